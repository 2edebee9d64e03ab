#!/usr/bin/env node
// lab's SSH forwarder for vagrant labs, run inside the namespace where the VMs' management network
// is: for each `node=address` argument, a unix socket DIR/node.sock whose connections go to
// address:22. Unix sockets are files, so lab's SSH client reaches them from the machine's namespace.
import net from 'node:net'
import {rmSync} from 'node:fs'
import path from 'node:path'

const [dir, ...pairs] = process.argv.slice(2)
for (const pair of pairs) {
  const [node, address] = pair.split('=')
  const socketPath = path.join(dir, `${node}.sock`)
  rmSync(socketPath, {force: true})
  net
    .createServer((client) => {
      const upstream = net.connect(22, address)
      client.pipe(upstream).pipe(client)
      const end = () => {
        client.destroy()
        upstream.destroy()
      }
      client.on('error', end).on('close', end)
      upstream.on('error', end).on('close', end)
    })
    .listen(socketPath)
}
process.on('SIGTERM', () => process.exit(0))
