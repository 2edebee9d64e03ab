// Fault kinds without a lab: the argv each one runs on a node (through a recording executor), the
// FRR config edits, and the reference checks (unknown node or port, with "did you mean").
import {describe, expect, it} from 'vitest'
import {checkFaultAgainstPlan} from '../../src/cli/faults.js'
import type {ExecResult, NodeExecutor} from '../../src/io/executor.js'
import {UsageError} from '../../src/io/errors.js'
import {applyFault, FAULT_KINDS, type Fault} from '../../src/kinds/faults/index.js'
import type {FaultContext} from '../../src/kinds/faults/spec.js'
import {shippedPlan} from '../core/verify-helpers.js'

const plan = shippedPlan('two-spine-two-leaf')

/** Records every command; answers each with `answer` (success by default). */
function recorder(answer: ExecResult = {stdout: '', stderr: '', exitCode: 0}) {
  const calls: {node: string; argv: string[]}[] = []
  const executor: NodeExecutor = {
    async exec(node, argv) {
      calls.push({node, argv: [...argv]})
      return answer
    },
  }
  const context: FaultContext = {plan, executor, labDir: '/nonexistent/lab'}
  return {calls, context}
}

async function argvOf(fault: Fault): Promise<{node: string; argv: string[]}[]> {
  const {calls, context} = recorder()
  await applyFault(fault, context)
  return calls
}

describe('fault kinds: what runs on the node', () => {
  it('lists the five kinds in registry order', () => {
    expect(FAULT_KINDS).toEqual(['link', 'netem', 'frr', 'daemon', 'exec'])
  })

  it('link down/up is ip link set on the endpoint\'s node', async () => {
    expect(await argvOf({kind: 'link', endpoint: 'leaf1:swp52', state: 'down'})).toEqual([{node: 'leaf1', argv: ['ip', 'link', 'set', 'dev', 'swp52', 'down']}])
    expect(await argvOf({kind: 'link', endpoint: 'spine1:swp1', state: 'up'})).toEqual([{node: 'spine1', argv: ['ip', 'link', 'set', 'dev', 'swp1', 'up']}])
  })

  it('a flap is down, then up after the pause', async () => {
    const started = Date.now()
    const calls = await argvOf({kind: 'link', endpoint: 'leaf1:swp51', state: 'flap', seconds: 0.2})
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
    expect(calls.map((c) => c.argv.at(-1))).toEqual(['down', 'up'])
  })

  it('netem builds one tc qdisc replace with what is given; clear deletes the root qdisc', async () => {
    expect(await argvOf({kind: 'netem', endpoint: 'spine1:swp1', delay: '40ms', jitter: '5ms', loss: '2%', rate: '100mbit'})).toEqual([
      {node: 'spine1', argv: ['tc', 'qdisc', 'replace', 'dev', 'swp1', 'root', 'netem', 'delay', '40ms', '5ms', 'loss', '2%', 'rate', '100mbit']},
    ])
    expect((await argvOf({kind: 'netem', endpoint: 'leaf2:swp51', loss: '10%'}))[0].argv).toEqual(['tc', 'qdisc', 'replace', 'dev', 'swp51', 'root', 'netem', 'loss', '10%'])
    expect((await argvOf({kind: 'netem', endpoint: 'leaf2:swp51', clear: true}))[0].argv).toEqual(['tc', 'qdisc', 'del', 'dev', 'swp51', 'root'])
  })

  it('netem on a kernel without sch_netem says so, with the fix', async () => {
    const {context} = recorder({stdout: '', stderr: 'Error: Specified qdisc kind is unknown.', exitCode: 2})
    await expect(applyFault({kind: 'netem', endpoint: 'spine1:swp1', delay: '40ms'}, context)).rejects.toThrow(/this kernel has no netem queueing discipline \(sch_netem\), so spine1:swp1 cannot be impaired/)
  })

  it('clearing a port with no impairment is not an error', async () => {
    const {context} = recorder({stdout: '', stderr: 'Error: Cannot delete qdisc with handle of zero.', exitCode: 2})
    expect(await applyFault({kind: 'netem', endpoint: 'spine1:swp1', clear: true}, context)).toBe('spine1:swp1: no impairment to clear')
  })

  it('exec: a list is argv, a string runs with sh -c; a failure names node, command and output', async () => {
    expect(await argvOf({kind: 'exec', node: 'host1', command: ['ip', 'route', 'del', 'default']})).toEqual([{node: 'host1', argv: ['ip', 'route', 'del', 'default']}])
    expect((await argvOf({kind: 'exec', node: 'host1', command: 'ip route del default'}))[0].argv).toEqual(['sh', '-c', 'ip route del default'])
    const {context} = recorder({stdout: '', stderr: 'RTNETLINK answers: No such process', exitCode: 2})
    await expect(applyFault({kind: 'exec', node: 'host1', command: ['ip', 'route', 'del', 'default']}, context)).rejects.toThrow('host1: `ip route del default` failed (exit 2): RTNETLINK answers: No such process')
  })

  it('daemon needs the provider\'s daemon control, and says so without it', async () => {
    const {context} = recorder()
    await expect(applyFault({kind: 'daemon', node: 'leaf1', daemon: 'bgpd', state: 'stopped'}, context)).rejects.toThrow(/cannot stop or start single daemons/)
    const done: string[] = []
    const daemons = {stop: async (node: string, daemon: string) => (done.push(`stop ${node} ${daemon}`), true), start: async (node: string, daemon: string) => (done.push(`start ${node} ${daemon}`), false)}
    expect(await applyFault({kind: 'daemon', node: 'leaf1', daemon: 'bgpd', state: 'stopped'}, {...context, daemons})).toBe('leaf1: bgpd stopped')
    expect(await applyFault({kind: 'daemon', node: 'leaf1', daemon: 'bgpd', state: 'started'}, {...context, daemons})).toBe('leaf1: bgpd was running already')
    expect(done).toEqual(['stop leaf1 bgpd', 'start leaf1 bgpd'])
  })
})

describe('fault kinds: references against the lab (lab link/impair input)', () => {
  const problem = (fault: Fault) => {
    try {
      checkFaultAgainstPlan(fault, plan)
      return undefined
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError)
      return `${(error as UsageError).message} | ${(error as UsageError).fix}`
    }
  }

  it('accepts the brief\'s example faults', () => {
    const faults: Fault[] = [
      {kind: 'frr', node: 'leaf2', replace: {'router bgp 65002': 'router bgp 65099'}},
      {kind: 'link', endpoint: 'leaf1:swp52', state: 'down'},
      {kind: 'netem', endpoint: 'spine1:swp1', delay: '40ms', loss: '2%'},
      {kind: 'daemon', node: 'leaf1', daemon: 'bgpd', state: 'stopped'},
      {kind: 'exec', node: 'host1', command: ['ip', 'route', 'del', 'default']},
    ]
    expect(faults.map(problem)).toEqual([undefined, undefined, undefined, undefined, undefined])
  })

  it('an unknown node, with did-you-mean', () => {
    expect(problem({kind: 'link', endpoint: 'leaf9:swp52', state: 'down'})).toBe('link.endpoint: no node named "leaf9" in this topology (did you mean "leaf1"?) | write "leaf1"')
    expect(problem({kind: 'exec', node: 'hots1', command: 'true'})).toBe('exec.node: no node named "hots1" in this topology (did you mean "host1"?) | write "host1"')
  })

  it('a port the node does not have, with did-you-mean or its ports', () => {
    expect(problem({kind: 'link', endpoint: 'leaf1:swp53', state: 'down'})).toBe('link.endpoint: leaf1 has no port "swp53" (did you mean "swp51"?) | write "leaf1:swp51"')
    expect(problem({kind: 'netem', endpoint: 'spine1:eth0', delay: '40ms'})).toBe('netem.endpoint: spine1 has no port "eth0" | spine1\'s ports: swp1, swp2')
  })

  it('bad values and combinations', () => {
    expect(problem({kind: 'link', endpoint: 'leaf1', state: 'down'})).toMatch(/^link\.endpoint: write node:port/)
    expect(problem({kind: 'netem', endpoint: 'spine1:swp1', delay: '40'})).toMatch(/^netem\.delay: write a time such as 40ms/)
    expect(problem({kind: 'netem', endpoint: 'spine1:swp1'})).toBe('netem.endpoint: no impairment given | give delay, jitter, loss or rate (e.g. delay: 40ms), or clear: true')
    expect(problem({kind: 'netem', endpoint: 'spine1:swp1', jitter: '5ms'})).toBe('netem.jitter: jitter varies a delay; there is none | add delay, e.g. delay: 40ms')
    expect(problem({kind: 'netem', endpoint: 'spine1:swp1', clear: true, loss: '1%'})).toBe('netem.clear: clear removes the impairment; it takes no loss | either clear: true, or the impairments')
    expect(problem({kind: 'netem', endpoint: 'spine1:swp1', loss: '150%'})).toBe('netem.loss: loss 150% is over 100% | give a percentage from 0% to 100%')
    expect(problem({kind: 'link', endpoint: 'leaf1:swp51', state: 'down', seconds: 3})).toBe('link.seconds: only a flap waits | remove seconds, or set state: flap')
  })

  it('FRR faults on a host without FRR, and an edit that changes nothing', () => {
    expect(problem({kind: 'frr', node: 'host1', add: ['ip route 0.0.0.0/0 10.1.0.1']})).toBe('frr.node: host1 is a host without FRR (routing: static) | name a router or a host with routing: bgp')
    expect(problem({kind: 'daemon', node: 'host1', daemon: 'bgpd', state: 'stopped'})).toBe('daemon.node: host1 is a host without FRR (routing: static) | name a router or a host with routing: bgp')
    expect(problem({kind: 'frr', node: 'leaf2'})).toBe('frr.node: the edit changes nothing | give replace, add or remove')
    expect(problem({kind: 'daemon', node: 'leaf1', daemon: 'sshd' as 'bgpd', state: 'stopped'})).toMatch(/^daemon\.daemon: /)
  })
})
