// What a VM lab runs right now (qemu and vagrant alike): per running VM over SSH its FRR daemons,
// its links (`ip -j link`) and its BGP sessions; which VMs run is the provider's to say.
import {routingStatus} from '../frr/sessions.js'
import type {NodeExecutor} from '../io/executor.js'
import {linkIsUp, parseLinks, type KernelLink} from '../linux/iproute.js'
import {parseImpairments, TC_QDISCS} from '../linux/tc.js'
import type {LabPlan} from '../plan/plan.js'
import {mapLimit} from '../util/pool.js'
import {summarizeStatus} from './lab-status.js'
import type {DaemonStatus, LabStatus, LinkStatus, NodeStatus} from './provider.js'

/** One SSH round trip per node: hostname, each daemon's PID, the links and the qdiscs (impairments) as JSON. */
const PROBE = `hostname; for d in "$@"; do printf "daemon %s %s\\n" "$d" "$(pidof -s "$d" || true)"; done; echo ---; ip -j link show; echo ---; ${TC_QDISCS.join(' ')}`

export interface VmLabFacts {
  lab: string
  provider: string
  plan: LabPlan | undefined
  /** Node → its VM runs. */
  running: Map<string, boolean>
  executor: NodeExecutor
  building: boolean
  convergenceMs?: number
}

export async function vmLabStatus({lab, provider, plan, running, executor, building, convergenceMs}: VmLabFacts): Promise<LabStatus> {
  const planned: {name: string; role: string; daemons: string[]}[] = plan?.nodes ?? [...running.keys()].map((name) => ({name, role: 'unknown', daemons: []}))
  const kernelLinks = new Map<string, Map<string, KernelLink>>()
  const nodes: NodeStatus[] = await mapLimit(planned, 4, async (node): Promise<NodeStatus> => {
    const daemons: DaemonStatus[] = node.daemons.map((name) => ({name, alive: false}))
    if (!running.get(node.name)) return {name: node.name, role: node.role, running: false, daemons}
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
  return summarizeStatus({lab, provider, nodes, links, ...routing}, building, convergenceMs)
}
