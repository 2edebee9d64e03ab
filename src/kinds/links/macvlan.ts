// macvlan: a second interface on a host port with a MAC of its own (`macvlans: {mv0: eth1}` on a
// host), addressed in that port's subnet: a second identity on the LAN without a namespace.
import {defineVirtual} from './virtual.js'

export const macvlanKind = defineVirtual({
  kind: 'macvlan',
  summary: 'macvlan (bridge mode) on a host port, with its own MAC and address in the port\'s subnet',
  driver: 'macvlan',
  config: 'CONFIG_MACVLAN',
  ifupdown2: (v) => [`    pre-up ip link add link ${v.parent} name ${v.name} address ${v.mac} type macvlan mode bridge`, `    post-down ip link del ${v.name}`],
})
