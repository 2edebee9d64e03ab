// Taking a lab down, the one way `lab down`, exercises and a class do it: under the lab's machine-wide
// lock, so a `down` never races an `up` of the same name (it refuses, naming the process and what to
// do), and not stopped halfway by Ctrl-C or a dropped ssh session (the teardown is short and bounded).
import {lockLab} from '../io/lock.js'
import type {Provider, TeardownReport} from '../providers/provider.js'

const HELD_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']

export async function downLab(lab: string, dir: string, provider: Provider): Promise<TeardownReport> {
  const unlock = lockLab(lab, 'down')
  const hold = (signal: NodeJS.Signals) => process.stderr.write(`${signal}: still tearing down ${lab}, please wait\n`)
  const ignoreClosedOutput = () => {}
  for (const signal of HELD_SIGNALS) process.on(signal, hold)
  process.stderr.on('error', ignoreClosedOutput)
  try {
    return await provider.down(lab, dir)
  } finally {
    unlock()
    for (const signal of HELD_SIGNALS) process.off(signal, hold)
    process.stderr.off('error', ignoreClosedOutput)
  }
}
