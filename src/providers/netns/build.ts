// Namespaces, veth pairs, addresses and kernel settings for a plan. Batched: one `ip -batch` in the
// machine's namespace creates every namespace and veth pair (each end created directly inside its
// node's namespace with its planned name, MAC and MTU, so no temporary name ever appears on the
// machine), then every node's sandbox from one builder process (which sets sysctls and hostname and,
// once each is up, runs the node's own `ip -batch` inside its network namespace).
import type {LinkKind} from '../../kinds/links/index.js'
import type {LabPlan, PlannedLink, PlannedNode} from '../../plan/plan.js'
import {runOk} from '../../io/process.js'
import {addressDevice, containerBatchLines, containerSysctls} from './containers.js'
import {netnsName} from './names.js'
import {bridgeTool} from './virtual.js'
import {virtualCreateLines, virtualUpLines, vxlanFdbLines} from '../../linux/virtual-lines.js'
import {startSandboxes} from './sandbox.js'
import {nodeKernelSettings} from '../../linux/sysctls.js'
import {tool} from '../../io/tools.js'

type LinkBuilder = (plan: LabPlan, link: PlannedLink, mtuOf: (node: string, port: string) => number) => string[]

/** `ip -batch` lines in the machine's namespace for each link kind; every kind must be here. */
const LINK_BUILDERS: Record<LinkKind, LinkBuilder> = {
  // A veth pair, each end created directly inside its node's namespace with its planned name, MAC and MTU.
  p2p: (plan, {a, b}, mtuOf) => [
    `link add name ${a.port} address ${a.mac} mtu ${mtuOf(a.node, a.port)} netns ${netnsName(plan.name, a.node)} ` +
      `type veth peer name ${b.port} address ${b.mac} mtu ${mtuOf(b.node, b.port)} netns ${netnsName(plan.name, b.node)}`,
  ],
}

export function rootBatch(plan: LabPlan): string {
  const lines = plan.nodes.map((node) => `netns add ${netnsName(plan.name, node.name)}`)
  const ports = new Map(plan.nodes.flatMap((node) => node.interfaces.map((port) => [`${node.name}:${port.name}`, port.mtu] as const)))
  const mtuOf = (node: string, port: string) => ports.get(`${node}:${port}`)!
  for (const link of plan.links) lines.push(...LINK_BUILDERS[link.kind ?? 'p2p'](plan, link, mtuOf))
  return `${lines.join('\n')}\n`
}

/** Kernel settings inside a node: its hostname, what every lab node gets (linux/sysctls.ts), and its containers' ports. */
export function nodeSysctls(node: PlannedNode): string[] {
  const settings = [
    `kernel.hostname=${node.hostname}`,
    ...nodeKernelSettings(node),
    ...containerSysctls(node),
  ]
  return settings
}

export function nodeBatch(node: PlannedNode): string {
  const lines = ['link set dev lo up']
  if (node.loopback) lines.push(`address add ${node.loopback} dev lo`)
  // Bonds, VLANs, bridges, VXLAN, macvlans, dummies (virtual.ts): made while the ports are still down.
  lines.push(...virtualCreateLines(node))
  // Announced prefixes answer on the loopback (a /24 there makes every address of it local).
  for (const address of node.loopbackAddresses ?? []) lines.push(`address add ${address} dev lo`)
  for (const port of node.interfaces) {
    if (port.ipv4) lines.push(`address add ${port.ipv4} dev ${addressDevice(node, port.name)}`)
    lines.push(`link set dev ${port.name} up`)
  }
  lines.push(...virtualUpLines(node))
  if (node.gateway) lines.push(`route add default via ${node.gateway.address} dev ${node.gateway.interface}`)
  lines.push(...containerBatchLines(node))
  return `${lines.join('\n')}\n`
}

/** One `ip -batch`, short, and left to finish on Ctrl-C (the caller checks the signal after it). */
export async function createNamespacesAndLinks(plan: LabPlan): Promise<void> {
  await runOk([tool('ip'), '-batch', '-'], {input: rootBatch(plan)}, 'run `lab down` to remove what was created, then try again')
}

/**
 * Every node: its sandbox (mount, PID, UTS and IPC namespaces inside its network namespace, with its
 * hostname and sysctls set before anything else enters), then its addresses, links and routes in one
 * `ip -batch`, run by the sandbox builder inside the node's network namespace once the sandbox is up.
 * `configured` hears of each node done.
 */
export async function configureNodes(plan: LabPlan, signal: AbortSignal, configured: (node: PlannedNode) => void): Promise<void> {
  const withFdb: PlannedNode[] = []
  await startSandboxes(plan, plan.nodes, nodeSysctls, nodeBatch, (node) => (vxlanFdbLines(node).length > 0 ? withFdb.push(node) : configured(node)), signal)
  // VXLAN forwarding entries (few nodes): `bridge -batch` once the node's links exist.
  for (const node of withFdb) {
    await runOk([bridgeTool(), '-n', netnsName(plan.name, node.name), '-batch', '-'], {input: `${vxlanFdbLines(node).join('\n')}\n`})
    configured(node)
  }
}
