// `lab status` never calls a session that is not Established "up" (FRR's peerUptime of an Idle
// session is how long it has been down).
import {describe, expect, it} from 'vitest'
import {formatStatus} from '../../src/commands/status.js'
import type {LabStatus} from '../../src/providers/provider.js'

const status: LabStatus = {
  lab: 'f11-status',
  provider: 'netns',
  state: 'degraded',
  healthy: false,
  nodes: [{name: 'leaf1', role: 'leaf', running: true, daemons: [{name: 'bgpd', pid: 10, alive: true}]}],
  links: [],
  bgp: [
    {
      node: 'leaf1',
      sessions: [
        {neighbor: 'swp51', peer: 'spine1', state: 'Established', uptime: '00:01:02', prefixesReceived: 3},
        {neighbor: 'swp52', peer: 'spine2', state: 'Idle', inStateFor: '00:00:40'},
      ],
    },
  ],
}

describe('lab status sessions', () => {
  it('shows "up" only for Established sessions', () => {
    const lines = formatStatus(status).split('\n')
    expect(lines.find((l) => l.includes('spine1(swp51)'))).toMatch(/Established {2}up 00:01:02/)
    const idle = lines.find((l) => l.includes('spine2(swp52)'))!
    expect(idle).toMatch(/Idle {2}for 00:00:40/)
    expect(idle).not.toMatch(/\bup\b/)
    expect(lines).toContain('  leaf1  1/2 Established')
  })
})
