// The parts the fault kinds and lab capture/status stand on: FRR config edits as text, tcpdump's argv
// and counts, tc's JSON read back as impairments, and frr-reload.py pointed at a netns node's sockets.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {editFrrConfig} from '../../src/frr/edits.js'
import {describeImpairment, parseImpairments} from '../../src/linux/tc.js'
import {captureArgv, packetsCaptured} from '../../src/linux/tcpdump.js'
import {rewriteVtysh} from '../../src/providers/netns/exec.js'
import {ROOT} from '../core/verify-helpers.js'

const leaf2 = readFileSync(path.join(ROOT, 'test/golden/two-spine-two-leaf/leaf2/frr.conf'), 'utf8')
const linesOf = (text: string) => text.split('\n')

describe('FRR config edits', () => {
  it('replace swaps a whole line and keeps its indentation', () => {
    const edited = editFrrConfig(leaf2, {replace: {'router bgp 65002': 'router bgp 65099', 'bgp router-id 10.0.0.4': 'bgp router-id 10.0.0.99'}}, 'leaf2')
    expect(linesOf(edited)).toContain('router bgp 65099')
    expect(linesOf(edited)).toContain(' bgp router-id 10.0.0.99')
    expect(linesOf(edited)).not.toContain('router bgp 65002')
    expect(linesOf(edited).length).toBe(linesOf(leaf2).length)
  })

  it('a replaced or removed line that is not there is an error naming it', () => {
    expect(() => editFrrConfig(leaf2, {replace: {'router bgp 65001': 'router bgp 65099'}}, 'leaf2')).toThrow('frr.replace: "router bgp 65001" is not a line of leaf2\'s FRR config')
    expect(() => editFrrConfig(leaf2, {remove: [' neighbor swp9 interface peer-group fabric']}, 'leaf2')).toThrow('frr.remove: "neighbor swp9 interface peer-group fabric" is not a line of leaf2\'s FRR config')
  })

  it('remove drops the line; add puts indented lines into an existing context, other lines at the end', () => {
    const edited = editFrrConfig(leaf2, {remove: ['neighbor swp52 interface peer-group fabric'], add: ['router bgp 65002', ' timers bgp 3 9', 'ip route 192.0.2.0/24 Null0']}, 'leaf2')
    const lines = linesOf(edited)
    expect(lines.some((l) => l.includes('neighbor swp52'))).toBe(false)
    const opener = lines.indexOf('router bgp 65002')
    const exit = lines.indexOf('exit', opener)
    expect(lines.indexOf(' timers bgp 3 9')).toBe(exit - 1)
    expect(lines.filter((l) => l === 'router bgp 65002')).toHaveLength(1)
    expect(lines.at(-2)).toBe('ip route 192.0.2.0/24 Null0')
  })
})

describe('lab capture: tcpdump', () => {
  it('is bounded by time (SIGINT, so the file is complete) and by count; writes a file or prints line-buffered', () => {
    expect(captureArgv({port: 'swp51', count: 5, seconds: 60, file: '/tmp/x.pcap'})).toEqual(['timeout', '--foreground', '--signal=INT', '60', 'tcpdump', '-i', 'swp51', '-n', '-Z', 'root', '-c', '5', '-U', '-w', '/tmp/x.pcap'])
    expect(captureArgv({port: 'eth1', seconds: 10})).toEqual(['timeout', '--foreground', '--signal=INT', '10', 'tcpdump', '-i', 'eth1', '-n', '-Z', 'root', '-l'])
  })

  it('reads the count tcpdump reports', () => {
    expect(packetsCaptured('listening on swp51, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n5 packets captured\n7 packets received by filter\n0 packets dropped by kernel\n')).toBe(5)
    expect(packetsCaptured('1 packet captured\n')).toBe(1)
    expect(packetsCaptured('tcpdump: swp9: No such device exists\n')).toBeUndefined()
  })
})

describe('lab status: impairments from tc -j qdisc show', () => {
  it('a root netem with delay, jitter, loss and rate; plain qdiscs and lo are not impairments', () => {
    const json = JSON.stringify([
      {kind: 'noqueue', handle: '0:', dev: 'lo', root: true, refcnt: 2, options: {}},
      {kind: 'netem', handle: '8001:', dev: 'swp1', root: true, refcnt: 2, options: {limit: 1000, delay: {delay: 0.04, jitter: 0.005, correlation: 0}, 'loss-random': {loss: 0.02, correlation: 0}, rate: {rate: 12_500_000, packetoverhead: 0}, ecn: false, gap: 0}},
      {kind: 'noqueue', handle: '0:', dev: 'swp2', root: true, refcnt: 2, options: {}},
      {kind: 'tbf', handle: '8002:', dev: 'swp3', root: true, refcnt: 2, options: {rate: 125_000}},
    ])
    const impairments = parseImpairments(json)
    expect(impairments).toEqual([
      {port: 'swp1', kind: 'netem', delay: '40ms', jitter: '5ms', loss: '2%', rate: '100mbit'},
      {port: 'swp3', kind: 'tbf', rate: '1mbit'},
    ])
    expect(impairments.map(describeImpairment)).toEqual(['swp1: netem delay 40ms ±5ms, loss 2%, rate 100mbit', 'swp3: tbf rate 1mbit'])
  })

  it('nothing to read is no impairment', () => {
    expect(parseImpairments('')).toEqual([])
    expect(parseImpairments('{"error": 1}')).toEqual([])
  })
})

describe('netns: frr-reload.py reaches the node\'s own daemons', () => {
  it('gets the vtysh directory, the node\'s run dir as config and socket dir, and its temp files there', () => {
    const argv = rewriteVtysh(['frr-reload.py', '--reload', '--stdout', '/l/run/leaf2/frr.edited.conf'], '/l/run/leaf2')
    expect(argv[0]).toMatch(/\/frr-reload\.py$/)
    expect(argv.slice(1, 4)).toEqual(['--reload', '--stdout', '/l/run/leaf2/frr.edited.conf'])
    expect(argv.slice(5)).toEqual([argv[5], '--confdir', '/l/run/leaf2', '--vty_socket', '/l/run/leaf2', '--rundir', '/l/run/leaf2'])
    expect(argv[4]).toBe('--bindir')
  })
})
