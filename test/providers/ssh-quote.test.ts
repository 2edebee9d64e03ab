// ssh joins its arguments into one string that the remote shell splits again: argv must arrive as given.
// Checked against a real POSIX shell (sh -c), the way sshd runs the command.
import {execFileSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import {commandLine, shellQuote} from '../../src/providers/ssh-quote.js'

/** What a remote `sh -c <line>` would see as argv: printed NUL-separated by printf. */
function roundTrip(argv: string[]): string[] {
  const line = commandLine(['printf', '%s\\0', ...argv])
  const out = execFileSync('sh', ['-c', line], {encoding: 'utf8'})
  return out.split('\0').slice(0, -1)
}

describe('shellQuote', () => {
  it('leaves plain words alone and quotes everything else', () => {
    expect(shellQuote('vtysh')).toBe('vtysh')
    expect(shellQuote('10.0.0.1/32')).toBe('10.0.0.1/32')
    expect(shellQuote('show bgp summary json')).toBe("'show bgp summary json'")
    expect(shellQuote('')).toBe("''")
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    expect(shellQuote('$HOME')).toBe("'$HOME'")
  })

  const cases: [string, string[]][] = [
    ['spaces', ['show bgp summary', '  two  spaces  ']],
    ['single and double quotes', ["it's", '"quoted"', `'"'"'`, "'"]],
    ['dollar, backticks and expansions', ['$HOME', '${PATH}', '$(id)', '`id`', '$((1+1))', '\\$']],
    ['newlines and tabs', ['line 1\nline 2', '\ttab', '\n', 'trailing\n']],
    ['empty arguments', ['', 'x', '', '']],
    ['globs, operators and comments', ['*', '?', '[a]', ';', '&&', '|', '>', '<', '#not a comment', '~', 'a=b', '-c']],
    ['backslashes and unicode', ['a\\b', '\\n', 'ünïcødé ✓', '\\']],
  ]
  for (const [name, argv] of cases) {
    it(`argv arrives as given through sh -c: ${name}`, () => {
      expect(roundTrip(argv)).toEqual(argv)
    })
  }
})

describe('commandLine', () => {
  it('puts sudo -n -- in front when asked, quoted like the rest', () => {
    expect(commandLine(['vtysh', '-c', 'show bgp summary json'], {sudo: true})).toBe("sudo -n -- vtysh -c 'show bgp summary json'")
    expect(commandLine(['ip', '-j', 'link'])).toBe('ip -j link')
  })

  it('refuses an empty argv', () => {
    expect(() => commandLine([])).toThrow(/no command/)
  })
})
