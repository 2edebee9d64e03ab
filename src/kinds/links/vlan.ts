// vlan: an 802.1Q subinterface `<port>.<id>` on a trunk (`vlans: [10, 20]` on a host link): the host's
// carries its address in that VLAN, the switch's joins the VLAN's bridge.
import {defineVirtual} from './virtual.js'

export const vlanKind = defineVirtual({
  kind: 'vlan',
  summary: '802.1Q subinterface <port>.<id> of a trunk link',
  driver: 'vlan',
  config: 'CONFIG_VLAN_8021Q',
  // ifupdown2 makes a VLAN device of any `<port>.<id>` stanza.
  ifupdown2: (v) => [`    vlan-id ${v.vlan}`, `    vlan-raw-device ${v.parent}`],
  netplan: (v) => ({section: 'vlans', lines: [`      id: ${v.vlan}`, `      link: ${v.parent}`]}),
})
