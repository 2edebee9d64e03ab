// Containers in netns: each container node has its own namespace (created with every other node's);
// its interface is made here, from inside its host's namespace, before any node is configured.
import type {LabPlan, PlannedNode} from '../../plan/plan.js'
import {OperationError} from '../../io/errors.js'
import {runOk} from '../../io/process.js'
import {tool} from '../../io/tools.js'
import {netnsName} from './names.js'

/**
 * `ip -batch` lines run in the host's namespace. IPVLAN L3: the host's own port (so the host reaches
 * its children) and one child per container, each created directly in the container's namespace
 * (the parent is looked up where the command runs, the new device lives where `netns` says).
 * `namespace` names a container's network namespace where the lines run (netns: lab_<lab>_<node>;
 * inside a VM: the container's name). The Fan: the IPIP tunnel and the overlay's bridge first.
 */
export function containerPortLines(plan: LabPlan, host: PlannedNode, namespace: (container: string) => string = (name) => netnsName(plan.name, name), staged = false): string[] {
  const group = host.containers
  if (!group) return []
  const lines = group.hostPort ? [`link add link ${group.parent} name ${group.hostPort} type ipvlan mode l3`] : []
  if (group.bridge) lines.push(`link add ${group.bridge} type bridge`, `link set dev ${group.parent} master ${group.bridge}`, `link set dev ${group.bridge} up`)
  const fan = group.fan
  if (fan) lines.push(`link add name ${fan.tunnel} type ipip local ${fan.underlay}`, `link add name ${fan.bridge} mtu ${fan.mtu} type bridge`)
  const bridge = group.bridge ?? fan?.bridge
  for (const [i, name] of group.names.entries()) {
    const port = plan.nodes.find((n) => n.name === name)!.interfaces[0]
    // staged (inside a VM, whose own eth0 is its management NIC): Debian's 6.1 kernel refuses a new
    // device named like one of the host's even when it is created in another namespace ("File
    // exists"), so the child is made as ctrN and moved into the container with its name.
    const child = staged ? `ctr${i + 1}` : port.name
    const into = staged ? '' : ` netns ${namespace(name)}`
    if (bridge) {
      // The host's end of each pair joins the bridge: vc1, vc2 … for <host>-c1, -c2 …
      lines.push(`link add name vc${i + 1} mtu ${port.mtu} type veth peer name ${child} address ${port.mac} mtu ${port.mtu}${into}`)
      lines.push(`link set dev vc${i + 1} master ${bridge}`, `link set dev vc${i + 1} up`)
    } else {
      const kind = group.mode === 'ipvlan-l3' ? 'ipvlan mode l3' : `macvlan mode bridge`
      const mac = group.mode === 'ipvlan-l3' ? '' : ` address ${port.mac}`
      lines.push(`link add link ${group.parent} name ${child}${mac} mtu ${port.mtu}${into} type ${kind}`)
    }
    if (staged) lines.push(`link set dev ${child} netns ${namespace(name)} name ${port.name}`)
  }
  return lines
}

export async function createContainerPorts(plan: LabPlan): Promise<void> {
  for (const host of plan.nodes) {
    const lines = containerPortLines(plan, host)
    if (lines.length === 0) continue
    try {
      await runOk([tool('ip'), '-n', netnsName(plan.name, host.name), '-batch', '-'], {input: `${lines.join('\n')}\n`})
    } catch (error) {
      if (!/Unknown device type/.test(String(error))) throw error
      throw missingDriver(host)
    }
  }
}

/** A container mode's driver missing from the kernel: named, with the qemu provider (Debian's kernel has them all) as the fix. */
export function missingDriver(host: PlannedNode): OperationError {
  const mode = host.containers!.mode
  const [driver, module] = mode === 'ipvlan-l3' ? ['ipvlan (CONFIG_IPVLAN)', 'ipvlan'] : mode === 'fan' ? ['IPIP tunnel (CONFIG_NET_IPIP)', 'ipip'] : ['macvlan (CONFIG_MACVLAN)', 'macvlan']
  return new OperationError(
    `${host.name}'s ${mode} containers need the kernel's ${driver} driver, which this kernel does not have`,
    `run this topology with --provider qemu (its VMs run Debian's kernel, which has it), or load it (modprobe ${module}) on a kernel built with it`,
  )
}

/**
 * IPVLAN children share their parent's MAC. Kernels that derive the IPv6 link-local identifier from
 * the MAC alone give a child the parent's address, and IPVLAN L3 then hands the leaf's BGP unnumbered
 * traffic to the child (the 2016 article). Debian 12's kernel mixes in dev_id and keeps the session
 * (docs/containers.md); no IPv6 on the children rules the collision out everywhere.
 */
export function containerSysctls(node: PlannedNode): string[] {
  // A Fan host routes between its containers' bridge and the tunnel.
  if (node.containers?.fan) return ['net.ipv4.ip_forward=1']
  if (node.containers?.hostPort) return [`net.ipv6.conf.${node.containers.hostPort}.disable_ipv6=1`]
  if (node.container?.mode === 'ipvlan-l3') return node.interfaces.map((i) => `net.ipv6.conf.${i.name}.disable_ipv6=1`)
  return []
}

/** Where a node's port address goes: on a bridge host, the uplink's address sits on the bridge. */
export function addressDevice(node: PlannedNode, port: string): string {
  return node.containers?.bridge && node.containers.parent === port ? node.containers.bridge : port
}

/** Addresses and routes past the planned interfaces: the host's IPVLAN port, the Fan's bridge, tunnel and routes; a container's default route. */
export function containerBatchLines(node: PlannedNode): string[] {
  const fan = node.containers?.fan
  if (fan) {
    return [
      `address add ${fan.address} dev ${fan.bridge}`,
      `link set dev ${fan.bridge} up`,
      `link set dev ${fan.tunnel} up`,
      // No remote on the tunnel: the outer destination is each route's next hop, another host's underlay address.
      ...fan.routes.map((r) => `route add ${r.to} via ${r.via} dev ${fan.tunnel} onlink`),
    ]
  }
  if (node.containers?.hostPort) return [`address add ${node.containers.hostAddress} dev ${node.containers.hostPort}`, `link set dev ${node.containers.hostPort} up`]
  if (node.container?.mode === 'ipvlan-l3') return [`route add default dev ${node.interfaces[0].name}`]
  return []
}
