// SSH sends one command string, which the remote user's shell (POSIX sh/bash) splits again: argv
// must be quoted so that it arrives exactly as given. Single quotes keep everything literal,
// newlines included; a single quote itself is closed, escaped and reopened ('\'').
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/

export function shellQuote(arg: string): string {
  if (arg === '') return "''"
  if (SAFE.test(arg)) return arg
  return `'${arg.replaceAll("'", `'\\''`)}'`
}

/** The command line for argv; with sudo, run as root without a password prompt (`sudo -n`, fails instead of asking). */
export function commandLine(argv: readonly string[], options: {sudo?: boolean} = {}): string {
  if (argv.length === 0) throw new Error('no command to run')
  const words = options.sudo ? ['sudo', '-n', '--', ...argv] : argv
  return words.map(shellQuote).join(' ')
}
