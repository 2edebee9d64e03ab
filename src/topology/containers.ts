// `containers:` on a host: container nodes `<host>-c1 … <host>-cN`, each in its own namespace. Checked
// here against the host (its role, its routing, its uplink) and the address pools; planned in
// plan/containers.ts. Modes are the ways a container meets the network (see docs/containers.md).
import {formatPrefix, parsePrefix, prefixesOverlap, prefixSize} from '../plan/ip.js'
import type {ContainerGroup, Topology, TopologyLink, TopologyNode} from './model.js'
import type {Report} from './report.js'
import {MAX_NODE_NAME} from './schema.js'
import type {RawContainers, RawFan} from './containers-schema.js'

/** Each host's containers, checked; and the container nodes, for `verify:` references. */
export function resolveContainers(
  rawNodes: Record<string, {containers?: RawContainers; fan?: RawFan}>,
  nodes: Map<string, TopologyNode>,
  links: readonly TopologyLink[],
  addressing: Topology['addressing'],
  report: Report,
): {groups: ContainerGroup[]; containerNodes: Map<string, TopologyNode>} {
  const groups: ContainerGroup[] = []
  const containerNodes = new Map<string, TopologyNode>()
  const taken: {subnet: ReturnType<typeof parsePrefix> & {}; host: string}[] = []
  for (const [host, rawNode] of Object.entries(rawNodes)) {
    const raw = rawNode.containers
    const node = nodes.get(host)
    if (rawNode.fan && node && node.role !== 'host') report.error(['nodes', host, 'fan'], `fan: applies to hosts only; ${host} is a ${node.role}`, 'move fan: to a host with fan containers', true)
    else if (rawNode.fan && node && raw?.mode !== 'fan') report.error(['nodes', host, 'fan'], `fan: gives ${host}'s containers an overlay /24, but ${host} has no fan containers`, `add containers: { mode: fan, count: 2 } to ${host}, or remove fan:`, true)
    if (!raw || !node) continue
    const path = ['nodes', host, 'containers']
    const before = report.diagnostics.length
    if (node.role !== 'host') report.error(path, `containers: applies to hosts only; ${host} is a ${node.role}`, 'move containers: to a host', true)
    const uplink = links.find((l) => l.a.node === host || l.b.node === host)
    const parent = uplink && (uplink.a.node === host ? uplink.a.port : uplink.b.port)
    if (node.role === 'host' && !parent) report.error(path, `${host} has no link for its containers to use`, `link ${host} to a leaf, e.g. "- [${host}:eth1, leaf1:swp1]"`, true)
    const subnet = raw.mode === 'fan' ? undefined : checkSubnet(raw, host, node, addressing, taken, report)
    const overlay = raw.mode === 'fan' ? checkFan(raw, rawNode.fan, host, addressing, report) : undefined
    const names = Array.from({length: raw.count}, (_, i) => `${host}-c${i + 1}`)
    const longest = names.at(-1)!
    if (longest.length > MAX_NODE_NAME) report.error([...path, 'count'], `container name "${longest}" is ${longest.length} characters; at most ${MAX_NODE_NAME} fit Linux's interface-name limit`, `shorten ${host} to ${MAX_NODE_NAME - (longest.length - host.length)} characters`)
    const clash = names.find((name) => nodes.has(name))
    if (clash) report.error([...path, 'count'], `container ${clash} has the name of a node declared in this topology`, `rename that node, or lower count below ${names.indexOf(clash) + 1}`)
    if (report.diagnostics.length > before || !parent) continue
    groups.push({host, mode: raw.mode, ...(subnet && {subnet}), ...(overlay && {overlay}), parent, names, origin: path})
    for (const name of names) containerNodes.set(name, {...node, name, routing: 'static', origin: path})
  }
  return {groups, containerNodes}
}

/** ipvlan-l3: a valid subnet of its own, large enough for the containers plus the host's address in it. */
function checkSubnet(raw: RawContainers, host: string, node: TopologyNode, addressing: Topology['addressing'], taken: {subnet: NonNullable<ReturnType<typeof parsePrefix>>; host: string}[], report: Report): string | undefined {
  const path = ['nodes', host, 'containers']
  if (raw.mode === 'bridge' && node.role === 'host' && node.routing !== 'static') report.error([...path, 'mode'], `bridge containers put ${host}'s address on a bridge, which BGP unnumbered on ${host} does not follow`, `use routing: static on ${host}, or mode: macvlan`)
  if (raw.mode !== 'ipvlan-l3') {
    if (raw.subnet) report.error([...path, 'subnet'], `${raw.mode} containers are addressed from the leaf's host subnet, not from subnet ${raw.subnet}`, 'remove subnet, or use mode: ipvlan-l3 for a range of their own')
    const room = 2 ** (32 - addressing.hostPrefixLength) - 4 // network, leaf, host, broadcast
    if (raw.count > room) report.error([...path, 'count'], `a /${addressing.hostPrefixLength} host subnet holds ${room} containers besides the leaf and the host; ${raw.count} are wanted`, 'lower count, or a shorter addressing.host_prefix_length')
    return undefined
  }
  if (node.role === 'host' && node.routing !== 'bgp') report.error([...path, 'mode'], `ipvlan-l3 containers are announced by ${host}'s own BGP, but ${host} has routing: static`, `add routing: bgp to ${host}`)
  if (!raw.subnet) return void report.error(path, `ipvlan-l3 containers need a subnet to be addressed from`, 'add subnet, e.g. subnet: 172.16.1.0/28', true)
  const subnet = parsePrefix(raw.subnet)
  if (!subnet) return void report.error([...path, 'subnet'], `"${raw.subnet}" is not a valid IPv4 network`, 'write a network address with no host bits set, e.g. 172.16.1.0/28')
  const needed = raw.count + 3 // network, broadcast, the host's own address in the range
  if (prefixSize(subnet) < needed) return void report.error([...path, 'subnet'], `${raw.subnet} holds ${Math.max(prefixSize(subnet) - 3, 0)} containers (besides the host's own address); ${raw.count} are wanted`, 'use a shorter prefix or a lower count')
  for (const [key, pool] of Object.entries({loopbacks: addressing.loopbacks, hosts: addressing.hosts, p2p: addressing.p2p})) {
    const parsed = parsePrefix(pool)
    if (parsed && prefixesOverlap(parsed, subnet)) return void report.error([...path, 'subnet'], `${raw.subnet} overlaps addressing.${key} ${pool}`, 'give the containers a range of their own, e.g. 172.16.1.0/28')
  }
  const clash = taken.find((t) => prefixesOverlap(t.subnet, subnet))
  if (clash) return void report.error([...path, 'subnet'], `${raw.subnet} overlaps the containers of ${clash.host}`, 'give each host its own container range')
  taken.push({subnet, host})
  return formatPrefix(subnet)
}

/**
 * fan: the host's `fan: {overlay}`, a /8 apart from the address pools, and an underlay that maps onto
 * it: the Fan takes the last two octets of the host's address (A.B.x.y => O.x.y.0/24), so every host
 * of the overlay must sit in one /16 — the hosts pool must be a /16 or longer.
 */
function checkFan(raw: RawContainers, fan: RawFan | undefined, host: string, addressing: Topology['addressing'], report: Report): string | undefined {
  const path = ['nodes', host, 'containers']
  if (raw.subnet) report.error([...path, 'subnet'], `fan containers are addressed from ${host}'s overlay /24, not from subnet ${raw.subnet}`, 'remove subnet (the overlay comes from fan: on the host)')
  if (!fan) return void report.error([...path, 'mode'], `fan containers are addressed from ${host}'s Fan overlay, but ${host} has no fan:`, `add fan: { overlay: 250.0.0.0/8 } to ${host}`)
  const overlay = parsePrefix(fan.overlay)
  const at = ['nodes', host, 'fan', 'overlay']
  if (!overlay) return void report.error(at, `"${fan.overlay}" is not a valid IPv4 network`, 'write a /8 network with no host bits set, e.g. 250.0.0.0/8')
  if (overlay.length !== 8) return void report.error(at, `the Fan overlay must be a /8 (it holds one /24 per underlay address of a /16); ${fan.overlay} is a /${overlay.length}`, `use ${formatPrefix({network: Math.floor(overlay.network / 2 ** 24) * 2 ** 24, length: 8})}`)
  for (const [key, pool] of Object.entries({loopbacks: addressing.loopbacks, hosts: addressing.hosts, p2p: addressing.p2p})) {
    const parsed = parsePrefix(pool)
    if (parsed && prefixesOverlap(parsed, overlay)) return void report.error(at, `${fan.overlay} overlaps addressing.${key} ${pool}`, 'use an overlay /8 of its own, e.g. 250.0.0.0/8')
  }
  const hosts = parsePrefix(addressing.hosts)
  if (hosts && hosts.length < 16) return void report.error(at, `the Fan maps one underlay /16 onto ${fan.overlay}, but addressing.hosts ${addressing.hosts} spans ${2 ** (16 - hosts.length)} /16s (hosts in two of them would get the same overlay /24)`, 'use a /16 (or longer) addressing.hosts, e.g. hosts: 10.1.0.0/16')
  return formatPrefix(overlay)
}

/** Every node a check or fault may name: the topology's nodes and its containers (as hosts). */
export function nodesWithContainers(topology: Pick<Topology, 'nodes' | 'containers'>): Map<string, TopologyNode> {
  const nodes = new Map(topology.nodes.map((n) => [n.name, n]))
  for (const group of topology.containers) {
    const host = nodes.get(group.host)!
    for (const name of group.names) nodes.set(name, {...host, name, routing: 'static', origin: group.origin})
  }
  return nodes
}
