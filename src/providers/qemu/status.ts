// What a qemu lab runs right now: QEMU processes from /proc (PID + start time), and per running VM
// over SSH its FRR daemons, its links (`ip -j link`) and its BGP sessions.
import {routingStatus} from '../../frr/sessions.js'
import {readLabPlan} from '../../io/lab-plan.js'
import {linkIsUp, parseLinks, type KernelLink} from '../../linux/iproute.js'
import {parseImpairments, TC_QDISCS} from '../../linux/tc.js'
import type {LabPlan} from '../../plan/plan.js'
import {mapLimit} from '../../util/pool.js'
import {isAlive} from '../netns/procs.js'
import type {DaemonStatus, LabStatus, LinkStatus, NodeStatus} from '../provider.js'
import type {SshExecutor} from '../ssh-executor.js'
import {readQemuState} from './state.js'
import {summarizeStatus} from '../lab-status.js'

/** One SSH round trip per node: hostname, each daemon's PID, the links and the qdiscs (impairments) as JSON. */
const PROBE = `hostname; for d in "$@"; do printf "daemon %s %s\\n" "$d" "$(pidof -s "$d" || true)"; done; echo ---; ip -j link show; echo ---; ${TC_QDISCS.join(' ')}`

export async function qemuStatus(lab: string, labDir: string, executor: SshExecutor): Promise<LabStatus> {
  const state = readQemuState(labDir)
  const base = {lab, provider: 'qemu'}
  if (!state) return {...base, state: 'down', healthy: false, nodes: [], links: [], bgp: []}
  let plan: LabPlan | undefined
  try {
    plan = readLabPlan(lab, labDir)
  } catch {
    plan = undefined
  }
  const running = new Map(state.vms.map((vm) => [vm.node, vm.pid > 0 && isAlive(vm.pid, vm.startTime)]))
  if (![...running.values()].some(Boolean)) {
    return {...base, state: 'down', healthy: false, nodes: [], links: [], bgp: []}
  }
  const planned: {name: string; role: string; daemons: string[]}[] = plan?.nodes ?? state.vms.map((vm) => ({name: vm.node, role: 'unknown', daemons: []}))
  const kernelLinks = new Map<string, Map<string, KernelLink>>()
  try {
    const nodes: NodeStatus[] = await mapLimit(planned, 4, async (node): Promise<NodeStatus> => {
      const up = running.get(node.name) ?? false
      const daemons: DaemonStatus[] = node.daemons.map((name) => ({name, alive: false}))
      if (!up) return {name: node.name, role: node.role, running: false, daemons}
      const result = await executor.exec(node.name, ['sh', '-c', PROBE, 'sh', ...node.daemons], {timeoutMs: 15_000})
      const [head, linksJson = '', qdiscsJson = ''] = result.stdout.split('\n---\n')
      const lines = head.split('\n')
      for (const line of lines) {
        const match = /^daemon (\S+) (\d*)$/.exec(line)
        const daemon = match && daemons.find((d) => d.name === match[1])
        if (daemon && match[2]) Object.assign(daemon, {pid: Number(match[2]), alive: true})
      }
      kernelLinks.set(node.name, parseLinks(linksJson))
      const impairments = parseImpairments(qdiscsJson)
      return {name: node.name, role: node.role, running: true, ...(result.exitCode === 0 && lines[0] && {hostname: lines[0]}), daemons, ...(impairments.length > 0 && {impairments})}
    })
    const endUp = (node: string, port: string) => linkIsUp(kernelLinks.get(node)?.get(port))
    const links: LinkStatus[] = (plan?.links ?? []).map((link) => ({
      a: `${link.a.node}:${link.a.port}`,
      b: `${link.b.node}:${link.b.port}`,
      up: endUp(link.a.node, link.a.port) && endUp(link.b.node, link.b.port),
    }))
    const routers = (plan?.nodes ?? []).filter((n) => n.daemons.length > 0)
    const nodeOf = (name: string) => nodes.find((n) => n.name === name)!
    const routing = await routingStatus(executor, routers, (name) => nodeOf(name).running, (name, daemon) => Boolean(nodeOf(name).daemons.find((d) => d.name === daemon)?.alive), 'VM not running')
    const building = state.status === 'building' && isAlive(state.cliPid)
    return summarizeStatus({...base, nodes, links, ...routing}, building, state.converged ? state.convergenceMs : undefined)
  } finally {
    executor.close()
  }
}
