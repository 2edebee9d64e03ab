// bond: an 802.3ad (LACP) bond of several links between a host and its switch, `bond: bond0` on each
// member link (`{endpoints: [host3:eth1, leaf2:swp3], bond: bond0}`); the bond carries the link's
// address (or its VLANs) and survives a member going down.
import {defineVirtual} from './virtual.js'

export const BOND_PARAMETERS = {mode: '802.3ad', miimon: 100, lacpRate: 'fast', hashPolicy: 'layer3+4'} as const

export const bondKind = defineVirtual({
  kind: 'bond',
  summary: '802.3ad bond of the links that share its name (host to switch)',
  driver: 'bond',
  config: 'CONFIG_BONDING',
  ifupdown2: (v) => [
    `    bond-slaves ${v.members!.join(' ')}`,
    `    bond-mode ${BOND_PARAMETERS.mode}`,
    `    bond-miimon ${BOND_PARAMETERS.miimon}`,
    '    bond-lacp-rate 1',
    `    bond-xmit-hash-policy ${BOND_PARAMETERS.hashPolicy}`,
  ],
  netplan: (v) => ({
    section: 'bonds',
    lines: [
      `      interfaces: [${v.members!.join(', ')}]`,
      '      parameters:',
      `        mode: ${BOND_PARAMETERS.mode}`,
      `        lacp-rate: ${BOND_PARAMETERS.lacpRate}`,
      `        mii-monitor-interval: ${BOND_PARAMETERS.miimon}`,
      `        transmit-hash-policy: ${BOND_PARAMETERS.hashPolicy}`,
    ],
  }),
})
