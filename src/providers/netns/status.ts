// What a netns lab runs right now, read from the machine (namespaces, /proc, ip, vtysh), not trusted from the state file.
import {existsSync} from 'node:fs'
import {routingStatus} from '../../frr/sessions.js'
import {parseImpairments, TC_QDISCS} from '../../linux/tc.js'
import {IP_LINKS, linkIsUp, parseLinks, type KernelLink} from '../../linux/iproute.js'
import type {LabPlan} from '../../plan/plan.js'
import {readLabPlanIfAny} from '../../io/lab-plan.js'
import {run} from '../../io/process.js'
import {mapLimit} from '../../util/pool.js'
import type {DaemonStatus, LabStatus, LinkStatus, NodeStatus} from '../provider.js'
import {NetnsExecutor} from './exec.js'
import {netnsName, netnsPath} from './names.js'
import {readPid} from './frr.js'
import {isAlive} from './procs.js'
import {readState, type LabState} from './state.js'
import {summarizeStatus} from '../lab-status.js'
import {labNamespaces} from './namespaces.js'
import {tool} from '../../io/tools.js'

export async function netnsStatus(lab: string, labDir: string): Promise<LabStatus> {
  const state = readState(lab)
  const plan = readLabPlanIfAny(lab, labDir)
  const namespaces = new Set(labNamespaces().get(lab) ?? [])
  const base = {lab, provider: 'netns'}
  if (namespaces.size === 0) return {...base, state: 'down', healthy: false, nodes: [], links: [], bgp: []}

  const nodes = nodeStatuses(lab, plan, namespaces, state)
  const links = await linkStatuses(lab, plan, nodes)
  const executor = new NetnsExecutor(lab, labDir)
  const routers = (plan?.nodes ?? []).filter((n) => n.daemons.length > 0)
  await addImpairments(executor, nodes)
  const nodeOf = (name: string) => nodes.find((n) => n.name === name)!
  const routing = await routingStatus(executor, routers, (name) => nodeOf(name).running, (name, daemon) => Boolean(nodeOf(name).daemons.find((d) => d.name === daemon)?.alive), 'namespace missing')

  const building = state?.status === 'building' && isAlive(state.cliPid)
  const status = summarizeStatus({...base, nodes, links, ...routing}, building, state?.converged ? state.convergenceMs : undefined)
  return state?.owner ? {...status, owner: state.owner.user} : status
}

/** Each planned node (or, without a plan, each namespace found): namespace there, daemons alive by PID and start time. */
function nodeStatuses(lab: string, plan: LabPlan | undefined, namespaces: Set<string>, state: LabState | undefined): NodeStatus[] {
  const planned = plan?.nodes ?? [...namespaces].map((ns) => ({name: ns.slice(`lab_${lab}_`.length), role: 'unknown', daemons: [] as string[], bgp: undefined}))
  return planned.map((node) => {
    const running = namespaces.has(netnsName(lab, node.name)) && existsSync(netnsPath(netnsName(lab, node.name)))
    const daemons: DaemonStatus[] = node.daemons.map((daemon) => {
      const record = state?.daemons.find((d) => d.node === node.name && d.daemon === daemon)
      const pid = record?.pid ?? readPid(lab, node.name, daemon)
      return {name: daemon, ...(pid !== undefined && {pid}), alive: pid !== undefined && isAlive(pid, record?.startTime)}
    })
    return {name: node.name, role: node.role, running, daemons}
  })
}

/** netem (or another shaper) on a node's ports, through the executor like any command on a node; a node tc cannot read shows none. */
async function addImpairments(executor: NetnsExecutor, nodes: NodeStatus[]): Promise<void> {
  await mapLimit(nodes.filter((n) => n.running), 8, async (node) => {
    const result = await executor.exec(node.name, TC_QDISCS).catch(() => undefined)
    const impairments = result?.exitCode === 0 ? parseImpairments(result.stdout) : []
    if (impairments.length > 0) node.impairments = impairments
  })
}

/** Each planned link up at both ends: one `ip -j link` per running node. */
async function linkStatuses(lab: string, plan: LabPlan | undefined, nodes: NodeStatus[]): Promise<LinkStatus[]> {
  const kernelLinks = new Map<string, Map<string, KernelLink>>()
  await mapLimit(nodes.filter((n) => n.running), 8, async (node) => {
    const result = await run([tool('ip'), '-n', netnsName(lab, node.name), ...IP_LINKS.slice(1)])
    kernelLinks.set(node.name, parseLinks(result.stdout))
  })
  const endUp = (node: string, port: string) => linkIsUp(kernelLinks.get(node)?.get(port))
  return (plan?.links ?? []).map((link) => ({
    a: `${link.a.node}:${link.a.port}`,
    b: `${link.b.node}:${link.b.port}`,
    up: endUp(link.a.node, link.a.port) && endUp(link.b.node, link.b.port),
  }))
}
