// The Linux link kinds as `ip -batch` and `bridge -batch` lines (docs/linux-links.md), pure: the
// netns provider runs them in each node's namespace (providers/netns/virtual.ts), the containerlab
// export as `exec` commands. Bonds, VLAN subinterfaces, bridges, VXLAN devices, macvlans and dummies
// are made before the node's ports come up (bond members must be down to be enslaved); VXLAN
// head-end replication is one `fdb append` per remote.
import {BOND_PARAMETERS} from '../kinds/links/bond.js'
import type {VirtualKind} from '../kinds/links/index.js'
import type {PlannedNode, PlannedVirtual} from '../plan/plan.js'

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
