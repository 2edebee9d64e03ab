// The Linux link kinds in netns (docs/linux-links.md): each node's bonds, VLAN subinterfaces,
// bridges, VXLAN devices, macvlans and dummies made inside its namespace in the node's one
// `ip -batch` (before its ports come up: bond members must be down to be enslaved), VXLAN head-end
// replication with `bridge fdb append`, and the preflight probe of the kernel's drivers.
import {spawnSync} from 'node:child_process'
import {BOND_PARAMETERS} from '../../kinds/links/bond.js'
import {virtualSpec, type VirtualKind} from '../../kinds/links/index.js'
import type {PlannedNode, PlannedVirtual} from '../../plan/plan.js'
import {tool, which} from '../../io/tools.js'

type Creator = (v: PlannedVirtual) => string[]

const mac = (v: PlannedVirtual) => (v.mac ? ` address ${v.mac}` : '')

/** `ip -batch` lines creating each kind; every kind must be here. */
const CREATORS: Record<VirtualKind, Creator> = {
  bond: (v) => [
    `link add name ${v.name}${mac(v)} mtu ${v.mtu} type bond mode ${BOND_PARAMETERS.mode} miimon ${BOND_PARAMETERS.miimon} lacp_rate ${BOND_PARAMETERS.lacpRate} xmit_hash_policy ${BOND_PARAMETERS.hashPolicy}`,
    ...v.members!.map((m) => `link set dev ${m} master ${v.name}`),
  ],
  vlan: (v) => [`link add link ${v.parent} name ${v.name} mtu ${v.mtu} type vlan id ${v.vlan}`],
  bridge: (v) => [`link add name ${v.name}${mac(v)} mtu ${v.mtu} type bridge stp_state 0`],
  vxlan: (v) => [`link add name ${v.name}${mac(v)} mtu ${v.mtu} type vxlan id ${v.vxlan!.vni} local ${v.vxlan!.local} dstport ${v.vxlan!.port} learning`],
  macvlan: (v) => [`link add link ${v.parent} name ${v.name}${mac(v)} mtu ${v.mtu} type macvlan mode bridge`],
  dummy: (v) => [`link add name ${v.name}${mac(v)} mtu ${v.mtu} type dummy`],
}

/** Created before the node's ports come up: bonds first (their members still down), then what sits on them, then bridges and their ports. */
export function virtualCreateLines(node: PlannedNode): string[] {
  const list = node.virtual ?? []
  const lines = list.flatMap((v) => CREATORS[v.kind](v))
  // Bridge ports: physical ports, bonds, subinterfaces and VXLAN devices with a bridge as master.
  for (const port of node.interfaces) if (port.master && list.some((v) => v.kind === 'bridge' && v.name === port.master)) lines.push(`link set dev ${port.name} master ${port.master}`)
  for (const v of list) if (v.master) lines.push(`link set dev ${v.name} master ${v.master}`)
  return lines
}

/** After the ports are up: addresses, then each virtual interface up. */
export function virtualUpLines(node: PlannedNode): string[] {
  return (node.virtual ?? []).flatMap((v) => [...(v.ipv4 ? [`address add ${v.ipv4} dev ${v.name}`] : []), `link set dev ${v.name} up`])
}

/** `bridge -batch` lines: head-end replication, every broadcast and unknown frame sent to each other switch of the VLAN. */
export function vxlanFdbLines(node: PlannedNode): string[] {
  return (node.virtual ?? []).filter((v) => v.kind === 'vxlan').flatMap((v) => v.vxlan!.remotes.map((remote) => `fdb append 00:00:00:00:00:00 dev ${v.name} dst ${remote}`))
}

export function bridgeTool(): string {
  return tool('bridge')
}

/** A throwaway network namespace's argv that creates one device of the kind (the kernel autoloads a module where it can). */
function probeArgv(kind: VirtualKind): string[] {
  const ip = tool('ip')
  const veth = `${ip} link add lp0 type veth peer name lp1`
  const make: Record<VirtualKind, string> = {
    bond: `${ip} link add lp2 type bond`,
    vlan: `${veth} && ${ip} link add link lp0 name lp0.2 type vlan id 2`,
    bridge: `${ip} link add lp2 type bridge`,
    vxlan: `${ip} link add lp2 type vxlan id 2 dstport 4789`,
    macvlan: `${veth} && ${ip} link add link lp0 name lp2 type macvlan mode bridge`,
    dummy: `${ip} link add lp2 type dummy`,
  }
  return [tool('unshare'), '--net', 'sh', '-c', make[kind]]
}

/** The plan's link kinds this kernel cannot build, each with the option that would: probed in a namespace that vanishes with the probe. */
export function missingLinkKinds(plan: {nodes: readonly PlannedNode[]}): {kind: VirtualKind; driver: string; config: string}[] {
  const kinds = [...new Set(plan.nodes.flatMap((n) => (n.virtual ?? []).map((v) => v.kind)))]
  if (kinds.length === 0 || !which('unshare') || !which('ip')) return []
  return kinds
    .filter((kind) => {
      const result = spawnSync(probeArgv(kind)[0], probeArgv(kind).slice(1), {encoding: 'utf8', timeout: 10_000})
      return result.status !== 0 && /Unknown device type|not supported|Operation not supported/i.test(`${result.stderr}`)
    })
    .map((kind) => ({kind, driver: virtualSpec(kind).driver, config: virtualSpec(kind).config}))
}
