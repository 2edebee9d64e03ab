// Link kinds built on ports (bond, VLAN subinterface, bridge, VXLAN, macvlan, dummy): what each one
// is, which kernel driver it needs, and how a VM renders it (ifupdown2 on switches, netplan on
// hosts). Pure: providers build them (netns: providers/netns/virtual.ts). The plan lists them per
// node in `virtual` (docs/linux-links.md).
import type {PlannedVirtual} from '../../plan/plan.js'

export interface VirtualSpec<K extends string = string> {
  readonly kind: K
  readonly summary: string
  /** The kernel's driver (`ip link add … type <driver>`) and the option that builds it. */
  readonly driver: string
  readonly config: string
  /** ifupdown2 lines of its `iface` stanza (switches), after `auto`/`iface` and before the address. */
  ifupdown2(v: PlannedVirtual): string[]
  /** Its netplan section and entry (hosts); undefined where netplan cannot say it. */
  netplan?(v: PlannedVirtual): {section: 'bonds' | 'vlans' | 'bridges'; lines: string[]}
}

export function defineVirtual<K extends string>(spec: VirtualSpec<K>): VirtualSpec<K> {
  return spec
}
