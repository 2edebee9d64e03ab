// bridge: a switch's bridge `br<id>` for VLAN <id>, across its host ports in that VLAN (access ports,
// trunk subinterfaces, bonds, the VLAN's VXLAN device): one rack subnet, the switch's address on the
// bridge is the hosts' gateway.
import {defineVirtual} from './virtual.js'

export const bridgeKind = defineVirtual({
  kind: 'bridge',
  summary: 'a switch bridge br<vlan> across its ports in one VLAN, holding the gateway address',
  driver: 'bridge',
  config: 'CONFIG_BRIDGE',
  ifupdown2: (v) => [`    bridge-ports ${v.members!.join(' ')}`, '    bridge-stp off'],
})
