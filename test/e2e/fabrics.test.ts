// e2e for real fabrics (issue 11): each new shipped topology comes up on real FRR in namespaces and
// passes its own `lab verify` (default suite + declared checks), plus what each key promises:
// OSPF adjacencies Full and ECMP, a 5-stage Clos across pods, numbered and unnumbered sessions side
// by side, an announced prefix answering from the far side. Labs are named f11-…; about 40 s.
import {afterAll, describe, expect, it} from 'vitest'
import {canRunNetns, lab, leftovers, NOTHING_LEFT, plan, removeLab} from './netns-support.js'

interface VerifyJson {
  passed: number
  failed: number
  checks: {kind: string; name: string; status: string; detail: string}[]
}

const LABS = {ospf: 'f11-ospf', clos: 'f11-clos', mixed: 'f11-mixed', announce: 'f11-announce'} as const

async function upAndVerify(topology: string, name: string): Promise<VerifyJson> {
  const up = await lab(['up', topology, '--name', name])
  expect(up.exitCode, up.stderr).toBe(0)
  const verify = await lab(['verify', name, '--json'])
  const report = JSON.parse(verify.stdout) as VerifyJson
  expect(report.checks.filter((c) => c.status !== 'pass'), verify.stdout).toEqual([])
  expect(verify.exitCode).toBe(0)
  return report
}

async function vtyshJson(name: string, node: string, command: string): Promise<Record<string, unknown>> {
  const result = await lab(['exec', '--lab', name, node, '--', 'vtysh', '-c', command])
  expect(result.exitCode, result.stderr).toBe(0)
  return JSON.parse(result.stdout) as Record<string, unknown>
}

describe.skipIf(!canRunNetns)('real fabrics on netns', () => {
  afterAll(async () => {
    for (const name of Object.values(LABS)) await removeLab(name)
  })

  it('ospf-fabric: every adjacency Full, ECMP over both spines, the border\'s announced /24 answers', async () => {
    const report = await upAndVerify('ospf-fabric', LABS.ospf)
    // The default suite checks adjacencies, not BGP sessions: one ospf check per router.
    expect(report.checks.filter((c) => c.kind === 'ospf').length).toBeGreaterThanOrEqual(5)
    expect(report.checks.some((c) => c.kind === 'bgp')).toBe(false)
    const status = JSON.parse((await lab(['status', LABS.ospf, '--json'])).stdout) as {healthy: boolean; ospf: {sessions: {state: string}[]}[]}
    expect(status.healthy).toBe(true)
    expect(status.ospf.flatMap((r) => r.sessions).every((s) => s.state === 'Full')).toBe(true)
    const routes = await vtyshJson(LABS.ospf, 'leaf1', 'show ip route 203.0.113.0/24 json')
    const entry = (routes['203.0.113.0/24'] as {protocol: string; nexthops: unknown[]}[])[0]
    expect([entry.protocol, entry.nexthops.length]).toEqual(['ospf', 2])
  })

  it('five-stage-clos: per-pod spine ASNs, and leaves reach across pods over both spines', async () => {
    await upAndVerify('five-stage-clos', LABS.clos)
    const asns = new Map(plan(LABS.clos).nodes.map((n) => [n.name, n.bgp?.asn]))
    expect([asns.get('spine1'), asns.get('spine2'), asns.get('spine3'), asns.get('super1')]).toEqual([65100, 65100, 65101, 65200])
    const route = await vtyshJson(LABS.clos, 'leaf1', `show ip route ${plan(LABS.clos).nodes.find((n) => n.name === 'leaf4')!.loopback} json`)
    const [entry] = Object.values(route) as {nexthops: {interfaceName: string}[]}[][]
    expect(entry[0].nexthops.map((h) => h.interfaceName).sort()).toEqual(['swp51', 'swp52'])
  })

  it('mixed-numbering: an unnumbered and a numbered session on one leaf, both Established', async () => {
    await upAndVerify('mixed-numbering', LABS.mixed)
    const summary = await vtyshJson(LABS.mixed, 'leaf1', 'show bgp vrf default ipv4 unicast summary json')
    const peers = summary.peers as Record<string, {state: string}>
    expect(peers.swp51?.state).toBe('Established') // over IPv6 link-local
    expect(peers['10.9.0.0']?.state).toBe('Established') // its own /31
    const link = await lab(['exec', '--lab', LABS.mixed, 'leaf1', '--', 'ip', '-j', 'link', 'show', 'swp52'])
    expect((JSON.parse(link.stdout) as {mtu: number}[])[0].mtu).toBe(9000)
  })

  it('announce-border: the announced /24 and an anycast /32 answer from the far side', async () => {
    await upAndVerify('announce-border', LABS.announce)
    for (const [from, to] of [['host2', '192.0.2.99'], ['spine2', '192.0.2.1'], ['leaf2', '192.0.2.254']]) {
      const ping = await lab(['exec', '--lab', LABS.announce, from, '--', 'ping', '-c', '2', '-i', '0.2', '-W', '1', to])
      expect(ping.exitCode, `${from} -> ${to}: ${ping.stdout}`).toBe(0)
    }
  })

  it('leaves nothing behind after down', async () => {
    for (const name of Object.values(LABS)) {
      expect((await lab(['down', name])).exitCode).toBe(0)
      expect(await leftovers(name)).toEqual(NOTHING_LEFT)
    }
  })
})
