// SshExecutor against a real SSH server (ssh2's Server, in this process) that runs each command
// with `sh -c`, the way sshd does: quoting, exit codes, stderr, timeouts, cancellation, one
// connection reused per node, and a pinned host key.
import {spawn} from 'node:child_process'
import type {AddressInfo} from 'node:net'
import ssh2 from 'ssh2'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {EXIT_CANCELLED, EXIT_SSH_FAILED, EXIT_TIMEOUT, SshExecutor, type SshTarget} from '../../src/providers/ssh-executor.js'

const hostKey = ssh2.utils.generateKeyPairSync('ed25519')
const otherHostKey = ssh2.utils.generateKeyPairSync('ed25519')
const userKey = ssh2.utils.generateKeyPairSync('ed25519')
const allowed = ssh2.utils.parseKey(userKey.public) as ssh2.ParsedKey

let server: ssh2.Server
let port = 0
let connections = 0
const commands: string[] = []
const killed: number[] = []

beforeAll(async () => {
  server = new ssh2.Server({hostKeys: [hostKey.private]}, (client) => {
    connections++
    client.on('authentication', (ctx) => {
      if (ctx.method === 'publickey' && ctx.key.algo === allowed.type && ctx.key.data.equals(allowed.getPublicSSH())) return ctx.accept()
      ctx.reject(['publickey'])
    })
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept()
        session.on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec()
          commands.push(info.command)
          const child = spawn('sh', ['-c', info.command], {stdio: ['ignore', 'pipe', 'pipe']})
          child.stdout.pipe(stream, {end: false})
          child.stderr.pipe(stream.stderr, {end: false})
          let closed = false
          // As sshd does: the client closing the channel (or signalling) ends the command.
          const stop = () => {
            closed = true
            if (child.exitCode === null && !child.killed) {
              killed.push(child.pid!)
              child.kill('SIGTERM')
            }
          }
          for (const event of ['close', 'end', 'eof']) stream.on(event, stop)
          session.on('signal', stop)
          child.on('close', (code) => {
            if (closed) return
            stream.exit(code ?? 255)
            stream.end()
          })
        })
      })
    })
    client.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})

afterAll(() => {
  server.close()
})

function executor(overrides: Partial<SshTarget> = {}) {
  return new SshExecutor(() => ({host: '127.0.0.1', port, username: 'lab', privateKey: userKey.private, hostKey: `ssh-ed25519 ${ssh2.utils.parseKey(hostKey.public) && (ssh2.utils.parseKey(hostKey.public) as ssh2.ParsedKey).getPublicSSH().toString('base64')} test`, sudo: false, ...overrides}))
}

describe('SshExecutor', () => {
  it('runs argv exactly as given, with its exit code, stdout and stderr', async () => {
    const ssh = executor()
    try {
      const argv = ['printf', '%s|', 'a b', "it's", '$HOME', '', 'line\nbreak', '`id`']
      const result = await ssh.exec('leaf1', argv)
      expect(result).toEqual({stdout: "a b|it's|$HOME||line\nbreak|`id`|", stderr: '', exitCode: 0})
      const failing = await ssh.exec('leaf1', ['sh', '-c', 'echo oops >&2; exit 3'])
      expect(failing).toEqual({stdout: '', stderr: 'oops\n', exitCode: 3})
    } finally {
      ssh.close()
    }
  })

  it('puts sudo -n -- in front for a user that is not root', async () => {
    const ssh = executor({sudo: undefined})
    try {
      await ssh.exec('leaf1', ['true'])
      expect(commands.at(-1)).toBe('sudo -n -- true')
    } finally {
      ssh.close()
    }
  })

  it('reuses one connection per node for many commands, also in parallel', async () => {
    const ssh = executor()
    try {
      const before = connections
      const results = await Promise.all(Array.from({length: 8}, (_, i) => ssh.exec('spine1', ['echo', String(i)])))
      expect(results.map((r) => r.stdout.trim())).toEqual(['0', '1', '2', '3', '4', '5', '6', '7'])
      await ssh.exec('spine1', ['true'])
      await ssh.exec('spine2', ['true'])
      expect(connections - before).toBe(2)
    } finally {
      ssh.close()
    }
  })

  it('stops a command at its timeout (exit 124) and closes its channel', async () => {
    const ssh = executor()
    try {
      const killedBefore = killed.length
      const started = Date.now()
      const result = await ssh.exec('leaf1', ['sleep', '30'], {timeoutMs: 500})
      expect(result.exitCode).toBe(EXIT_TIMEOUT)
      expect(result.stderr).toMatch(/timed out/)
      expect(Date.now() - started).toBeLessThan(5000)
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(killed.length).toBe(killedBefore + 1)
      // The connection is still good for the next command.
      expect((await ssh.exec('leaf1', ['echo', 'after'])).stdout).toBe('after\n')
    } finally {
      ssh.close()
    }
  })

  it('stops a command when its AbortSignal fires (exit 130)', async () => {
    const ssh = executor()
    try {
      const controller = new AbortController()
      setTimeout(() => controller.abort(new Error('SIGINT')), 300)
      const result = await ssh.exec('leaf1', ['sleep', '30'], {signal: controller.signal})
      expect(result.exitCode).toBe(EXIT_CANCELLED)
      const already = await ssh.exec('leaf1', ['true'], {signal: controller.signal})
      expect(already.exitCode).toBe(EXIT_CANCELLED)
    } finally {
      ssh.close()
    }
  })

  it('refuses a node presenting another host key (exit 255), and a node nobody listens for', async () => {
    const ssh = executor({hostKey: `ssh-ed25519 ${(ssh2.utils.parseKey(otherHostKey.public) as ssh2.ParsedKey).getPublicSSH().toString('base64')}`})
    try {
      const result = await ssh.exec('leaf1', ['true'], {timeoutMs: 5000})
      expect(result.exitCode).toBe(EXIT_SSH_FAILED)
    } finally {
      ssh.close()
    }
    const nobody = executor({port: 1})
    try {
      const result = await nobody.exec('leaf1', ['true'], {timeoutMs: 5000})
      expect(result.exitCode).toBe(EXIT_SSH_FAILED)
      expect(result.stderr).toMatch(/ECONNREFUSED/)
    } finally {
      nobody.close()
    }
  })
})

describe('SshExecutor.close', () => {
  it('gives up a connection attempt under way (a VM still booting) and the executor answers 255 after', async () => {
    // A listener that accepts TCP and never speaks SSH, like a forwarded port before sshd is up.
    const net = await import('node:net')
    const silent = net.createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const ssh = executor({port: (silent.address() as AddressInfo).port})
    try {
      const started = Date.now()
      const pending = ssh.exec('leaf1', ['true'])
      setTimeout(() => ssh.close(), 200)
      const result = await pending
      expect(result.exitCode).toBe(EXIT_SSH_FAILED)
      expect(result.stderr).toMatch(/executor closed/)
      expect(Date.now() - started).toBeLessThan(3000)
    } finally {
      silent.close()
    }
  })
})
