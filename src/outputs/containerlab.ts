// A lab as a containerlab topology (pure): the same nodes, links, addresses and rendered FRR files,
// for a lab that outgrows one server (containerlab across hosts, or Kubernetes via clabernetes).
// Every node is kind `linux` (containerlab runs those privileged, so sysctl and ip work in `exec`);
// routers and BGP hosts run the FRR image with their rendered frr.conf and daemons bound in, plain
// hosts a small image with iproute2 and ping. What the netns provider does with `ip -batch` and
// sysctl happens here in `exec`, which containerlab runs once the node's links exist. The Linux link
// kinds (bonds, VLANs, bridges, VXLAN, macvlans, dummies) are the netns provider's own `ip` lines
// (linux/virtual-lines.ts); a host's containers are namespaces inside the host's container, built by
// the containers.sh the qemu provider runs in a VM (written beside it by `lab export`, bound in and
// run from `exec`), so they are not containerlab nodes.
import {stringify} from 'yaml'
import type {LabPlan, PlannedNode} from '../plan/plan.js'
import {nodeKernelSettings} from '../linux/sysctls.js'
import {virtualCreateLines, virtualUpLines, vxlanFdbLines} from '../linux/virtual-lines.js'

export const CONTAINERLAB_IMAGES = {
  /** FRR's own image, the release lab renders for (`frr version 8.4`). */
  router: 'quay.io/frrouting/frr:8.4.1',
  host: 'ghcr.io/hellt/network-multitool',
}

export interface ContainerlabOptions {
  routerImage?: string
  hostImage?: string
}

interface ClabNode {
  kind: 'linux'
  image: string
  binds?: string[]
  exec: string[]
  labels: Record<string, string>
}

/** The topology file's name beside the bound files: containerlab resolves binds relative to it. */
export const containerlabFile = (plan: LabPlan) => `${plan.name}.clab.yml`

/** A container host's script (the qemu provider runs it in the VM; `lab export` writes it beside the topology), and where containerlab binds it. */
export const CONTAINER_SCRIPT = 'containers.sh'
export const CONTAINER_SCRIPT_PATH = `/lab/${CONTAINER_SCRIPT}`

export function containerlabTopology(plan: LabPlan, options: ContainerlabOptions = {}): string {
  const nodes: Record<string, ClabNode> = {}
  for (const node of plan.nodes) if (!node.container) nodes[node.name] = clabNode(node, options)
  const links = plan.links.map((link) => ({endpoints: [`${link.a.node}:${link.a.port}`, `${link.b.node}:${link.b.port}`]}))
  const header = `# containerlab topology of lab ${plan.name}, written by \`lab export --format containerlab\`.\n# Deploy: containerlab deploy -t ${containerlabFile(plan)}\n`
  return header + stringify({name: plan.name, topology: {nodes, links}}, {lineWidth: 0})
}

function clabNode(node: PlannedNode, options: ContainerlabOptions): ClabNode {
  const runsFrr = node.daemons.length > 0
  const binds = [
    ...(runsFrr ? [`${node.name}/frr.conf:/etc/frr/frr.conf`, `${node.name}/daemons:/etc/frr/daemons`] : []),
    ...(node.containers ? [`${node.name}/${CONTAINER_SCRIPT}:${CONTAINER_SCRIPT_PATH}`] : []),
  ]
  return {
    kind: 'linux',
    image: runsFrr ? (options.routerImage ?? CONTAINERLAB_IMAGES.router) : (options.hostImage ?? CONTAINERLAB_IMAGES.host),
    ...(binds.length > 0 && {binds}),
    exec: nodeExec(node),
    labels: {'lab.role': node.role},
  }
}

/**
 * What the netns provider's sysctls (providers/netns/build.ts) and `ip -batch` do, as commands run
 * in the container (kept in step with it by test/outputs/containerlab.test.ts): DAD off
 * (BGP unnumbered needs link-locals at once), forwarding on routers, MTUs, addresses, the loopback,
 * the Linux link kinds, and for plain hosts the default route via their leaf instead of containerlab's
 * management one; a container host is first configured as a VM's network config would leave it, and
 * its containers.sh then does the rest (a bridge host's address moves onto its bridge).
 * containerlab's ports are already up: a bond's members are taken down to be enslaved, then brought
 * up again. The hostname is containerlab's (the node name); FRR's own
 * comes from frr.conf.
 */
export function nodeExec(node: PlannedNode): string[] {
  const sysctls = nodeKernelSettings(node)
  const commands = sysctls.map((s) => `sysctl -qw ${s}`)
  if (node.loopback) commands.push(`ip address add ${node.loopback} dev lo`)
  for (const address of node.loopbackAddresses ?? []) commands.push(`ip address add ${address} dev lo`)
  const members = (node.virtual ?? []).flatMap((v) => (v.kind === 'bond' ? v.members ?? [] : []))
  for (const member of members) commands.push(`ip link set dev ${member} down`)
  commands.push(...virtualCreateLines(node).map((line) => `ip ${line}`))
  for (const port of node.interfaces) {
    commands.push(`ip link set dev ${port.name} mtu ${port.mtu}`)
    if (port.ipv4) commands.push(`ip address add ${port.ipv4} dev ${port.name}`)
    if (members.includes(port.name)) commands.push(`ip link set dev ${port.name} up`)
  }
  commands.push(...virtualUpLines(node).map((line) => `ip ${line}`))
  commands.push(...vxlanFdbLines(node).map((line) => `bridge ${line}`))
  if (node.gateway) commands.push(`ip route replace default via ${node.gateway.address} dev ${node.gateway.interface}`)
  if (node.containers) commands.push(`sh -e ${CONTAINER_SCRIPT_PATH}`)
  return commands
}
