// The pure judges of `lab verify`, on output captured from real FRR, ping, traceroute and iperf3.
import {describe, expect, it} from 'vitest'
import type {ExecOptions, NodeExecutor} from '../../src/io/executor.js'
import {evaluateBgp, plannedSessions, summaryProbe, type BgpExpectation} from '../../src/kinds/checks/bgp.js'
import {evaluateExec, execProbe} from '../../src/kinds/checks/exec.js'
import {evaluateIperf, iperfClientProbe, iperfServerProbe, prepareIperf, serverNotReady} from '../../src/kinds/checks/iperf.js'
import {evaluatePath, parseTraceroute, pathProbe} from '../../src/kinds/checks/path.js'
import {evaluatePing, pingExpectation, pingProbe} from '../../src/kinds/checks/ping.js'
import {evaluateEcmp} from '../../src/kinds/checks/ecmp.js'
import {evaluateRoute} from '../../src/kinds/checks/route.js'
import {describeHopWith, routeProbe, type RouteQuery} from '../../src/verify/routes.js'
import {labFacts, targetPrefix} from '../../src/verify/facts.js'
import {failed, fixture, ok, shippedPlan} from './verify-helpers.js'

const plan = shippedPlan('two-spine-two-leaf')
const facts = labFacts(plan)
const numbered = labFacts(shippedPlan('numbered-fabric'))

describe('bgp', () => {
  const leaf1: BgpExpectation = {node: 'leaf1', sessions: plannedSessions(facts, 'leaf1')}

  it('knows the planned sessions, keyed as FRR keys them', () => {
    expect(plannedSessions(facts, 'leaf2')).toEqual([
      {key: 'swp1', peer: 'host2', port: 'swp1'},
      {key: 'swp51', peer: 'spine1', port: 'swp51'},
      {key: 'swp52', peer: 'spine2', port: 'swp52'},
    ])
    expect(plannedSessions(numbered, 'leaf1')).toEqual([
      {key: '10.2.0.0', peer: 'spine1', port: 'swp51'},
      {key: '10.2.0.2', peer: 'spine2', port: 'swp52'},
    ])
    expect(summaryProbe('leaf1')).toEqual({node: 'leaf1', argv: ['vtysh', '-d', 'bgpd', '-c', 'show bgp vrf default ipv4 unicast summary json']})
  })

  it('passes when every planned session is Established', () => {
    expect(evaluateBgp(leaf1, ok(fixture('frr/leaf1-bgp-ipv4-summary.json')))).toEqual({status: 'pass', detail: 'leaf1: 2 of 2 sessions Established, 8 prefixes received'})
    const leaf2 = {node: 'leaf2', sessions: plannedSessions(facts, 'leaf2')}
    expect(evaluateBgp(leaf2, ok(fixture('frr/leaf2-bgp-ipv4-summary.json'))).detail).toBe('leaf2: 3 of 3 sessions Established, 7 prefixes received')
  })

  it('passes numbered sessions keyed by the peer address', () => {
    const expectation = {node: 'leaf1', sessions: plannedSessions(numbered, 'leaf1')}
    expect(evaluateBgp(expectation, ok(fixture('frr/numbered-leaf1-bgp-ipv4-summary.json'))).status).toBe('pass')
  })

  it('names the session that is down, its state, its link and the last reset', () => {
    const verdict = evaluateBgp(
      leaf1,
      ok(fixture('frr/leaf1-bgp-ipv4-summary-spine2-link-down.json')),
      ok(fixture('frr/leaf1-bgp-neighbors-spine2-link-down.json')),
      ok(fixture('verify/leaf1-ip-link-spine2-link-down.json')),
    )
    expect(verdict).toEqual({
      status: 'fail',
      detail: 'leaf1: 1 of 2 sessions Established; swp52 (spine2) Idle, link has no carrier (far end down), last reset: Waiting for NHT',
    })
  })

  it('says when the link is down on this side', () => {
    const spine2 = {node: 'spine2', sessions: plannedSessions(facts, 'spine2')}
    const verdict = evaluateBgp(spine2, ok(fixture('frr/spine2-bgp-ipv4-summary-link-down.json')), ok(fixture('frr/spine2-bgp-neighbors-link-down.json')), ok(fixture('verify/spine2-ip-link-swp1-down.json')))
    expect(verdict.status).toBe('fail')
    expect(verdict.detail).toMatch(/^spine2: 1 of 2 sessions Established; swp1 \(leaf1\) Idle, link administratively down/)
  })

  it('shows the far side of a stopped bgpd as Active, waiting for the peer', () => {
    const spine1 = {node: 'spine1', sessions: plannedSessions(facts, 'spine1')}
    const verdict = evaluateBgp(spine1, ok(fixture('frr/spine1-bgp-ipv4-summary-leaf2-bgpd-stopped.json')), ok(fixture('frr/spine1-bgp-neighbors-leaf2-bgpd-stopped.json')))
    expect(verdict).toEqual({status: 'fail', detail: 'spine1: 1 of 2 sessions Established; swp2 (leaf2) Active, last reset: Waiting for peer OPEN'})
  })

  it('reports a node whose bgpd is not running', () => {
    const leaf2 = {node: 'leaf2', sessions: plannedSessions(facts, 'leaf2')}
    const noise = "% Can't open configuration file /etc/frr/x/vtysh.conf due to 'No such file or directory'.\nbgpd is not running\n"
    expect(evaluateBgp(leaf2, failed(noise))).toEqual({status: 'fail', detail: 'leaf2: cannot read BGP state: bgpd is not running'})
  })

  it('counts at least N Established, and prefixes received', () => {
    const summary = ok(fixture('frr/leaf1-bgp-ipv4-summary-spine2-link-down.json'))
    expect(evaluateBgp({...leaf1, established: 1}, summary).status).toBe('pass')
    expect(evaluateBgp({...leaf1, established: 2}, summary).detail).toMatch(/^leaf1: 1 of 2 sessions Established \(expected at least 2\); swp52 \(spine2\) Idle/)
    const healthy = ok(fixture('frr/leaf1-bgp-ipv4-summary.json'))
    expect(evaluateBgp({...leaf1, prefixes: 8}, healthy).status).toBe('pass')
    expect(evaluateBgp({...leaf1, prefixes: 9}, healthy)).toEqual({
      status: 'fail',
      detail: 'leaf1: 2 of 2 sessions Established, but 8 prefixes received, expected at least 9: swp51 (spine1) 4, swp52 (spine2) 4',
    })
  })

  it('reports a planned session FRR does not know', () => {
    const verdict = evaluateBgp({node: 'leaf1', sessions: [...leaf1.sessions, {key: 'swp53', peer: 'spine3', port: 'swp53'}]}, ok(fixture('frr/leaf1-bgp-ipv4-summary.json')))
    expect(verdict.detail).toBe('leaf1: 2 of 3 sessions Established; swp53 (spine3) not configured')
    expect(evaluateBgp(leaf1, ok('{}')).detail).toBe('leaf1: no BGP instance running (expected 2 sessions)')
  })
})

describe('ping', () => {
  const e = pingExpectation(facts, 'host1', 'host2')

  it('pings from the host\'s own address to the other host\'s (loopback for a BGP host)', () => {
    expect(pingProbe(e).argv).toEqual(['ping', '-n', '-c', '3', '-i', '0.2', '-W', '1', '-I', '10.1.0.2', '10.0.0.5'])
    expect(pingProbe(pingExpectation(facts, 'host2', 'host1')).argv.slice(-3)).toEqual(['-I', '10.0.0.5', '10.1.0.2'])
  })

  it('passes with every reply', () => {
    expect(evaluatePing(e, ok(fixture('verify/ping-host1-host2.txt')))).toEqual({status: 'pass', detail: '3/3 replies from host2 (10.0.0.5) from 10.1.0.2, rtt 0.083 ms'})
  })

  it('says who reported the destination unreachable', () => {
    const verdict = evaluatePing(e, failed('', 1, fixture('verify/ping-host1-host2-unreachable.txt')), facts.describeAddress)
    expect(verdict).toEqual({status: 'fail', detail: '0/3 replies from host2 (10.0.0.5) from 10.1.0.2, expected 3/3; 10.1.0.1 (leaf1): Destination Net Unreachable'})
  })

  it('says when nothing answered, or the host cannot even send', () => {
    expect(evaluatePing(e, failed('', 1, fixture('verify/ping-no-reply.txt'))).detail).toBe('0/3 replies from host2 (10.0.0.5) from 10.1.0.2, expected 3/3; no answer')
    expect(evaluatePing(e, failed('ping: connect: Network is unreachable', 2)).detail).toBe('host1 has no route to host2 (10.0.0.5): ping: connect: Network is unreachable')
    expect(evaluatePing(e, failed('ping: bind: Cannot assign requested address', 2)).detail).toBe('host1 does not have its address 10.1.0.2: ping: bind: Cannot assign requested address')
  })

  it('fails on partial loss', () => {
    const text = '--- 10.0.0.5 ping statistics ---\n3 packets transmitted, 2 received, 33% packet loss, time 402ms\nrtt min/avg/max/mdev = 0.050/0.060/0.070/0.010 ms\n'
    expect(evaluatePing(e, failed('', 1, text)).detail).toBe('2/3 replies from host2 (10.0.0.5) from 10.1.0.2, expected 3/3; some echoes lost')
  })
})

describe('ecmp and route', () => {
  const toLeaf2: RouteQuery = {node: 'leaf1', ...targetPrefix(facts, 'leaf2'), frr: true}
  const describe_ = describeHopWith(facts)

  it('targets a node\'s loopback, or a plain host\'s subnet', () => {
    expect(targetPrefix(facts, 'leaf2')).toEqual({prefix: '10.0.0.4/32', label: "leaf2's loopback 10.0.0.4/32"})
    expect(targetPrefix(facts, 'host1')).toEqual({prefix: '10.1.0.0/24', label: "host1's subnet 10.1.0.0/24"})
    expect(targetPrefix(facts, '10.1.1.0/24')).toEqual({prefix: '10.1.1.0/24', label: '10.1.1.0/24'})
    expect(routeProbe(toLeaf2, false).argv).toEqual(['vtysh', '-d', 'zebra', '-c', 'show ip route json'])
    expect(routeProbe({...toLeaf2, node: 'host1', frr: false}, true).argv).toEqual(['ip', '-j', '-4', 'route', 'show', 'exact', '10.0.0.4/32'])
  })

  it('counts the installed next hops and names the spines behind them', () => {
    expect(evaluateEcmp(toLeaf2, 2, ok(fixture('frr/leaf1-route-leaf2-loopback.json')), describe_)).toEqual({
      status: 'pass',
      detail: "2 next hops to leaf2's loopback 10.0.0.4/32: swp51 (spine1), swp52 (spine2)",
    })
    expect(evaluateEcmp(toLeaf2, 2, ok(fixture('frr/leaf1-route-leaf2-loopback-spine2-link-down.json')), describe_)).toEqual({
      status: 'fail',
      detail: "1 next hop to leaf2's loopback 10.0.0.4/32: swp51 (spine1); expected 2",
    })
    expect(evaluateEcmp(toLeaf2, 2, ok(fixture('frr/leaf1-route-absent.json'))).detail).toBe("no route to leaf2's loopback 10.0.0.4/32; expected 2 equal-cost paths")
    expect(evaluateEcmp(toLeaf2, 2, failed('zebra is not running')).detail).toBe("cannot read leaf1's routes: zebra is not running")
  })

  it('finds the prefix in the whole table (4 spines: 4 paths)', () => {
    const fabric = labFacts(shippedPlan('four-spine-eight-leaf'))
    const table = ok(fixture('frr/fabric4x8-leaf1-route-table.json'))
    const q = {node: 'leaf1', ...targetPrefix(fabric, 'leaf8'), frr: true}
    expect(evaluateEcmp(q, 4, table, describeHopWith(fabric))).toEqual({
      status: 'pass',
      detail: "4 next hops to leaf8's loopback 10.0.0.12/32: swp51 (spine1), swp52 (spine2), swp53 (spine3), swp54 (spine4)",
    })
    expect(evaluateRoute({...q, prefix: '10.0.0.0/16', label: '10.0.0.0/16'}, false, table).status).toBe('pass')
    expect(evaluateRoute({node: 'leaf1', ...targetPrefix(fabric, 'host1'), frr: true}, true, table, describeHopWith(fabric)).detail).toBe('leaf1 has 10.1.0.0/24 (connected via swp1 (host1))')
  })

  it('names numbered next hops by their address\'s owner', () => {
    const q = {node: 'leaf1', ...targetPrefix(numbered, 'leaf3'), frr: true}
    expect(evaluateEcmp(q, 2, ok(fixture('frr/numbered-leaf1-route-leaf3-loopback.json')), describeHopWith(numbered)).detail).toBe(
      "2 next hops to leaf3's loopback 10.0.0.5/32: swp51 (spine1), swp52 (spine2)",
    )
  })

  it('takes the selected route when several protocols offer one', () => {
    const q = {node: 'host2', prefix: '10.1.1.0/24', label: '10.1.1.0/24', frr: true}
    expect(evaluateRoute(q, true, ok(fixture('frr/host2-route-two-entries.json')), describe_)).toEqual({status: 'pass', detail: 'host2 has 10.1.1.0/24 (connected via eth1 (leaf2))'})
  })

  it('route: present or absent as required', () => {
    const q = {node: 'leaf1', ...targetPrefix(facts, 'host2'), frr: true}
    expect(evaluateRoute(q, true, ok(fixture('frr/leaf1-route-absent.json')))).toEqual({status: 'fail', detail: "leaf1 has no route to host2's loopback 10.0.0.5/32"})
    expect(evaluateRoute(q, false, ok(fixture('frr/leaf1-route-absent.json')))).toEqual({status: 'pass', detail: "leaf1 has no route to host2's loopback 10.0.0.5/32, as expected"})
    const p2p = {node: 'spine1', prefix: '10.2.0.0/31', label: '10.2.0.0/31', frr: true}
    expect(evaluateRoute(p2p, false, ok(fixture('frr/numbered-spine1-route-p2p.json')), describeHopWith(numbered))).toEqual({
      status: 'fail',
      detail: 'spine1 has 10.2.0.0/31 (connected via swp1 (leaf1)); it must not',
    })
  })

  it('reads the kernel table on plain hosts', () => {
    const q = {node: 'host1', ...targetPrefix(facts, 'leaf2'), frr: false}
    const routes = '[{"dst":"10.0.0.0/16","gateway":"10.1.0.1","dev":"eth1","flags":[]}]'
    expect(evaluateEcmp(q, 1, ok(routes), describe_)).toEqual({status: 'pass', detail: "1 next hop to leaf2's loopback 10.0.0.4/32: eth1 (leaf1)"})
    const multipath = '[{"dst":"10.0.0.4","protocol":"bgp","nexthops":[{"gateway":"10.1.0.1","dev":"eth1"},{"gateway":"10.1.1.1","dev":"eth2"}]}]'
    expect(evaluateEcmp(q, 2, ok(multipath)).status).toBe('pass')
    expect(evaluateRoute(q, true, ok('[]')).detail).toBe("host1 has no route to leaf2's loopback 10.0.0.4/32")
  })
})

describe('path', () => {
  const e = {from: 'host1', to: 'host2', source: '10.1.0.2', destination: '10.0.0.5', via: ['leaf1', 'leaf2']}

  it('traces from the host\'s own address with one probe per hop', () => {
    expect(pathProbe(e).argv).toEqual(['traceroute', '-n', '-w', '1', '-q', '1', '-m', '8', '-s', '10.1.0.2', '10.0.0.5'])
    expect(parseTraceroute(fixture('verify/traceroute-host1-host2-broken.txt'))).toEqual([{ttl: 1, address: '10.1.0.1', flag: '!N'}])
    expect(parseTraceroute(' 1  10.1.0.1  0.1 ms\n 2  *\n')).toEqual([{ttl: 1, address: '10.1.0.1'}, {ttl: 2}])
  })

  it('maps hops back to nodes (routers answer from their loopback)', () => {
    expect(evaluatePath(e, ok(fixture('verify/traceroute-host1-host2.txt')), facts.ownerOf)).toEqual({status: 'pass', detail: 'host1 -> leaf1 -> spine1 -> leaf2 -> host2'})
    const back = {from: 'host2', to: 'host1', source: '10.0.0.5', destination: '10.1.0.2', via: ['spine2']}
    expect(evaluatePath(back, ok(fixture('verify/traceroute-host2-host1.txt')), facts.ownerOf).detail).toBe('host2 -> leaf2 -> spine2 -> leaf1 -> host1')
  })

  it('fails when the way goes elsewhere or stops', () => {
    const viaSpine2 = {...e, via: ['spine2']}
    expect(evaluatePath(viaSpine2, ok(fixture('verify/traceroute-host1-host2.txt')), facts.ownerOf)).toEqual({
      status: 'fail',
      detail: 'went host1 -> leaf1 -> spine1 -> leaf2 -> host2, not via spine2; expected host1 -> spine2 -> host2',
    })
    expect(evaluatePath(e, ok(fixture('verify/traceroute-host1-host2-broken.txt')), facts.ownerOf).detail).toBe(
      'did not reach host2 (10.0.0.5): host1 -> leaf1 (leaf1 says network unreachable); expected host1 -> leaf1 -> leaf2 -> host2',
    )
    expect(evaluatePath(e, ok(' 1  10.1.0.1  0.1 ms\n 2  *\n 3  *\n'), facts.ownerOf).detail).toBe(
      'did not reach host2 (10.0.0.5): host1 -> leaf1 -> * (no answer beyond leaf1); expected host1 -> leaf1 -> leaf2 -> host2',
    )
    expect(evaluatePath(e, ok(' 1  *\n 2  *\n'), facts.ownerOf).detail).toBe(
      'did not reach host2 (10.0.0.5): host1 -> * (no answer beyond host1, from any of 2 hops); expected host1 -> leaf1 -> leaf2 -> host2',
    )
  })
})

describe('iperf', () => {
  const e = {from: 'host1', to: 'host2', source: '10.1.0.2', destination: '10.0.0.5', minGbps: 1, seconds: 1, port: 5201}

  it('bounds the one-shot server with timeout; the client reports JSON', () => {
    expect(iperfServerProbe(e)).toMatchObject({node: 'host2', argv: ['timeout', '6', 'iperf3', '-s', '-1', '-p', '5201', '-B', '10.0.0.5']})
    expect(iperfClientProbe(e)).toMatchObject({node: 'host1', argv: ['iperf3', '-c', '10.0.0.5', '-B', '10.1.0.2', '-p', '5201', '-t', '1', '-J']})
  })

  it('compares the received throughput with the minimum', () => {
    expect(evaluateIperf(e, ok(fixture('verify/iperf3-host1-host2.json')))).toEqual({status: 'pass', detail: '15.2 Gbit/s received over 1 s (at least 1 Gbit/s)'})
    expect(evaluateIperf({...e, minGbps: 20}, ok(fixture('verify/iperf3-host1-host2.json')))).toEqual({status: 'fail', detail: '15.2 Gbit/s received over 1 s; expected at least 20 Gbit/s'})
  })

  it('reports iperf3\'s own error', () => {
    const refused = failed('', 1, fixture('verify/iperf3-connection-refused.json'))
    expect(evaluateIperf(e, refused).detail).toBe('iperf3 host1 -> host2 (10.0.0.5): unable to connect to server: Connection refused')
    expect(serverNotReady(refused)).toBe(true)
    expect(evaluateIperf(e, failed('iperf3: not found', 127)).detail).toBe('iperf3 from host1 gave no result: iperf3: not found')
  })
})

describe('iperf cleanup', () => {
  const e = {from: 'host1', to: 'host2', source: '10.1.0.2', destination: '10.0.0.5', minGbps: 1, seconds: 1, port: 5201}

  /** The server runs until its signal aborts (it never got a client); the client answers as given. */
  function lab(client: () => {stdout: string; stderr: string; exitCode: number}) {
    const events: string[] = []
    const executor: NodeExecutor = {
      exec: (node: string, argv: readonly string[], options: ExecOptions = {}) => {
        if (argv.includes('-s')) {
          events.push('server started')
          return new Promise((resolve) => options.signal?.addEventListener('abort', () => {
            events.push('server stopped')
            resolve({stdout: '', stderr: 'killed', exitCode: 143})
          }))
        }
        events.push('client')
        return Promise.resolve(client())
      },
    }
    return {executor, events}
  }

  it('stops a server that never got its client, and reports the client\'s error', async () => {
    const {executor, events} = lab(() => ({stdout: '{"error": "unable to connect to server: No route to host"}', stderr: '', exitCode: 1}))
    const verdict = await prepareIperf(e, 'x', 'x').run({executor, signal: new AbortController().signal})
    expect(verdict).toEqual({status: 'fail', detail: 'iperf3 host1 -> host2 (10.0.0.5): unable to connect to server: No route to host'})
    expect(events).toEqual(['server started', 'client', 'server stopped'])
  })

  it('retries the client while the server is still starting', async () => {
    let calls = 0
    const {executor, events} = lab(() => (++calls < 3 ? {stdout: fixture('verify/iperf3-connection-refused.json'), stderr: '', exitCode: 1} : ok(fixture('verify/iperf3-host1-host2.json'))))
    const verdict = await prepareIperf(e, 'x', 'x').run({executor, signal: new AbortController().signal})
    expect(verdict.status).toBe('pass')
    expect(events).toEqual(['server started', 'client', 'client', 'client', 'server stopped'])
  })
})

describe('exec', () => {
  it('runs a string through sh, a list as argv', () => {
    expect(execProbe({node: 'leaf1', command: 'ip -br link | grep swp', expect: 'UP'}).argv).toEqual(['sh', '-c', 'ip -br link | grep swp'])
    expect(execProbe({node: 'leaf1', command: ['vtysh', '-c', 'show bgp summary'], expect: 'x'}).argv).toEqual(['vtysh', '-c', 'show bgp summary'])
  })

  it('matches the pattern against the output, line by line', () => {
    const e = {node: 'leaf1', command: ['vtysh', '-c', 'show bgp summary'], expect: '^Total number of neighbors 2$'}
    expect(evaluateExec(e, ok('Neighbor V AS\nTotal number of neighbors 2\n'))).toEqual({status: 'pass', detail: '`vtysh -c show bgp summary` on leaf1 matched /^Total number of neighbors 2$/: Total number of neighbors 2'})
    expect(evaluateExec(e, failed('bgpd is not running'))).toEqual({status: 'fail', detail: '`vtysh -c show bgp summary` on leaf1 (exit 1) did not match /^Total number of neighbors 2$/; output: bgpd is not running'})
  })
})
