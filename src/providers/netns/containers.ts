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
 */
export function containerPortLines(plan: LabPlan, host: PlannedNode): string[] {
  const group = host.containers
  if (!group) return []
  const lines = group.hostPort ? [`link add link ${group.parent} name ${group.hostPort} type ipvlan mode l3`] : []
  if (group.bridge) lines.push(`link add ${group.bridge} type bridge`, `link set dev ${group.parent} master ${group.bridge}`, `link set dev ${group.bridge} up`)
  for (const [i, name] of group.names.entries()) {
    const port = plan.nodes.find((n) => n.name === name)!.interfaces[0]
    if (group.bridge) {
      // The host's end of each pair joins the bridge: vc1, vc2 … for <host>-c1, -c2 …
      lines.push(`link add name vc${i + 1} mtu ${port.mtu} type veth peer name ${port.name} address ${port.mac} mtu ${port.mtu} netns ${netnsName(plan.name, name)}`)
      lines.push(`link set dev vc${i + 1} master ${group.bridge}`, `link set dev vc${i + 1} up`)
      continue
    }
    const kind = group.mode === 'ipvlan-l3' ? 'ipvlan mode l3' : `macvlan mode bridge`
    const mac = group.mode === 'ipvlan-l3' ? '' : ` address ${port.mac}`
    lines.push(`link add link ${group.parent} name ${port.name}${mac} mtu ${port.mtu} netns ${netnsName(plan.name, name)} type ${kind}`)
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
      const driver = host.containers!.mode === 'ipvlan-l3' ? 'ipvlan (CONFIG_IPVLAN)' : 'macvlan (CONFIG_MACVLAN)'
      throw new OperationError(`${host.name}'s ${host.containers!.mode} containers need the kernel's ${driver} driver, which this kernel does not have`, `load it (modprobe ${driver.split(' ')[0]}) or run the lab on a kernel built with it`)
    }
  }
}

/**
 * IPVLAN children share their parent's MAC. Kernels that derive the IPv6 link-local identifier from
 * the MAC alone give a child the parent's address, and IPVLAN L3 then hands the leaf's BGP unnumbered
 * traffic to the child (the 2016 article). Debian 12's kernel mixes in dev_id and keeps the session
 * (docs/containers.md); no IPv6 on the children rules the collision out everywhere.
 */
export function containerSysctls(node: PlannedNode): string[] {
  if (node.containers?.hostPort) return [`net.ipv6.conf.${node.containers.hostPort}.disable_ipv6=1`]
  if (node.container?.mode === 'ipvlan-l3') return node.interfaces.map((i) => `net.ipv6.conf.${i.name}.disable_ipv6=1`)
  return []
}

/** Where a node's port address goes: on a bridge host, the uplink's address sits on the bridge. */
export function addressDevice(node: PlannedNode, port: string): string {
  return node.containers?.bridge && node.containers.parent === port ? node.containers.bridge : port
}

/** Addresses and routes past the planned interfaces: the host's IPVLAN port; a container's default route. */
export function containerBatchLines(node: PlannedNode): string[] {
  if (node.containers?.hostPort) return [`address add ${node.containers.hostAddress} dev ${node.containers.hostPort}`, `link set dev ${node.containers.hostPort} up`]
  if (node.container?.mode === 'ipvlan-l3') return [`route add default dev ${node.interfaces[0].name}`]
  return []
}
