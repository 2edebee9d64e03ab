// vxlan: a VLAN on more than one switch is carried over the routed fabric by VXLAN (VNI = VLAN id,
// UDP 4789) between the switches' loopbacks, with static head-end replication to every other switch
// of the VLAN; the device `vxlan<id>` is a port of the VLAN's bridge.
import {defineVirtual} from './virtual.js'

export const VXLAN_PORT = 4789
/** Outer IPv4 + UDP + VXLAN + inner Ethernet: the VLAN's MTU is the fabric's minus this. */
export const VXLAN_OVERHEAD = 50

export const vxlanKind = defineVirtual({
  kind: 'vxlan',
  summary: 'VXLAN of one VLAN between the switches that carry it (head-end replication)',
  driver: 'vxlan',
  config: 'CONFIG_VXLAN',
  ifupdown2: (v) => [
    `    vxlan-id ${v.vxlan!.vni}`,
    `    vxlan-local-tunnelip ${v.vxlan!.local}`,
    ...v.vxlan!.remotes.map((remote: string) => `    vxlan-remoteip ${remote}`),
    `    vxlan-port ${VXLAN_PORT}`,
    '    bridge-learning on',
  ],
})
