// A command with the terminal attached (an interactive shell on a node, `ssh -tt`): Ctrl-C at the
// terminal reaches the command, not lab, so lab never dies of it and orphans the command; a SIGTERM
// sent to lab is passed on. Resolves to the command's exit code (128 + the signal that ended it, as a shell does).
import {constants} from 'node:os'
import {execa} from 'execa'

export async function runAttached(argv: readonly string[], env?: Record<string, string>): Promise<number> {
  const ignore = () => {}
  process.on('SIGINT', ignore)
  process.on('SIGQUIT', ignore)
  const child = execa(argv[0], argv.slice(1), {stdio: 'inherit', reject: false, ...(env && {env})})
  const forward = () => child.kill('SIGTERM')
  process.on('SIGTERM', forward)
  try {
    const result = await child
    if (result.exitCode !== undefined) return result.exitCode
    return result.signal ? 128 + (constants.signals[result.signal as NodeJS.Signals] ?? 15) : 127
  } finally {
    process.off('SIGINT', ignore)
    process.off('SIGQUIT', ignore)
    process.off('SIGTERM', forward)
  }
}
