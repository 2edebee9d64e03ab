// A class member's privileged command goes through sudo and the class helper (class-group.ts); lab,
// run again there as root, acts for the member. This process only waits and passes the exit code on.
import {spawn} from 'node:child_process'
import {constants, userInfo} from 'node:os'
import {readClassSetup} from './class-group.js'
import {UsageError} from './errors.js'
import {which} from './tools.js'
import {groupEntry} from '../linux/accounts.js'

/** Without a class group, returns (the command says itself that it needs root); otherwise never returns. */
export async function forwardToClassHelper(command: string): Promise<void> {
  const setup = readClassSetup()
  if (!setup) return
  const user = userInfo().username
  const group = groupEntry(setup.group)
  const active = group !== undefined && process.getgroups!().includes(group.gid)
  if (!active) {
    const listed = group?.members.includes(user) ?? false
    throw listed
      ? new UsageError(`you were added to the class group ${setup.group} after you logged in`, `log in again (or run: newgrp ${setup.group})`)
      : new UsageError(`lab ${command} needs root; on this server, members of the class group ${setup.group} run it without, and ${user} is not one`, `ask your teacher to add you: sudo usermod -aG ${setup.group} ${user} (then log in again)`)
  }
  const sudo = which('sudo')
  if (!sudo) throw new UsageError('the class group reaches lab through sudo, which is not installed', 'ask your teacher: apt-get install sudo')
  const child = spawn(sudo, ['-n', setup.helper, ...process.argv.slice(2)], {stdio: 'inherit'})
  // The terminal's Ctrl-C reaches sudo itself, which passes it on; a kill aimed at this process is passed on too.
  const pass = (signal: NodeJS.Signals) => () => {
    try {
      child.kill(signal)
    } catch {
      // sudo runs as root: a signal we may not send is one it already got from the terminal
    }
  }
  process.on('SIGINT', () => {})
  process.on('SIGQUIT', () => {})
  process.on('SIGTERM', pass('SIGTERM'))
  process.on('SIGHUP', pass('SIGHUP'))
  const code = await new Promise<number>((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`error: cannot run ${sudo}: ${error.message}\n`)
      resolve(1)
    })
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? 128 + (signal ? constants.signals[signal] : 0)))
  })
  process.exit(code)
}
