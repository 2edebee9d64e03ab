// e2e (root, real namespaces, real FRR, tmux): `lab up` in a real terminal shows one live line per
// step with its count, not a line per node; --verbose shows every node; the lab's log always has
// every node's line. Read back with tmux capture-pane. About 10 s (two-spine-two-leaf, twice).
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {BIN, canRunNetns, LABS, REPO, removeLab} from './netns-support.js'
import {sleep} from '../../src/util/sleep.js'

const SOCKET = `z12-progress-${process.pid}` // a tmux server of our own: never another's sessions
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'})
const hasTmux = existsSync('/usr/bin/tmux')

/** Run `lab up` in a 160×40 terminal and return the screen once it has printed EXIT=<code>. */
async function upInTerminal(name: string, extra: string[] = []): Promise<string> {
  const command = `cd ${REPO} && LAB_HOME=${LABS} node ${BIN} up two-spine-two-leaf --name ${name} ${extra.join(' ')}; echo EXIT=$?; sleep 120`
  tmux('new-session', '-d', '-s', name, '-x', '160', '-y', '40', command)
  try {
    for (let waited = 0; waited < 120_000; waited += 250) {
      const screen = tmux('capture-pane', '-p', '-t', name)
      if (/EXIT=\d+/.test(screen)) return screen
      await sleep(250, new AbortController().signal)
    }
    throw new Error(`lab up did not finish in the terminal:\n${tmux('capture-pane', '-p', '-t', name)}`)
  } finally {
    tmux('kill-session', '-t', name)
  }
}

describe.skipIf(!canRunNetns || !hasTmux)('progress in a terminal', () => {
  afterAll(async () => {
    await removeLab('z12-tty')
    await removeLab('z12-tty-verbose')
    try {
      tmux('kill-server')
    } catch {
      // no server left
    }
  })

  it('one live line per step with its count; the per-node lines are in the lab log', {timeout: 150_000}, async () => {
    const screen = await upInTerminal('z12-tty')
    const lines = screen.split('\n').filter((l) => l.trim())
    expect(lines.join('\n')).toMatch(/EXIT=0/)
    const steps = lines.filter((l) => l.includes('▸'))
    expect(steps.map((l) => l.replace(/^\s*[\d.]+s ▸ /, ''))).toEqual([
      'preflight (netns)',
      expect.stringMatching(/^rendering /),
      'checking 5 rendered frr.conf files with FRR',
      'creating 6 namespaces and 6 veth pairs',
      'configuring nodes and starting FRR 12/12',
      'waiting for BGP to converge 5/5',
    ])
    expect(lines.some((l) => /^\s*[\d.]+s\s{5}(spine|leaf|host)\d/.test(l))).toBe(false) // no per-node line
    expect(lines.filter((l) => l.includes('✓ z12-tty is up: 6 nodes'))).toHaveLength(1)
    const log = readFileSync(path.join(LABS, 'z12-tty', 'up.log'), 'utf8')
    for (const node of ['spine1', 'spine2', 'leaf1', 'leaf2', 'host1', 'host2']) expect(log).toMatch(new RegExp(`^\\s*[\\d.]+s {5}${node}: `, 'm'))
    expect(log).toMatch(/✓ z12-tty is up/)
  })

  it('--verbose prints every node\'s line as it happens', {timeout: 150_000}, async () => {
    const screen = await upInTerminal('z12-tty-verbose', ['--verbose'])
    expect(screen).toMatch(/EXIT=0/)
    for (const node of ['spine1', 'leaf1', 'host1', 'host2']) expect(screen).toMatch(new RegExp(`^\\s*[\\d.]+s {5}${node}: `, 'm'))
  })
})
