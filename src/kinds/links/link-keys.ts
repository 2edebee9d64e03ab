// The keys a host link's long form takes for the Linux link kinds (docs/linux-links.md): `bond`,
// `vlan` (access port), `vlans` (trunk). Checked against the topology in topology/linux-links.ts.
import type {z as Zod} from 'zod'
import type {LinkOptions} from './spec.js'

export const MAX_VLAN = 4094

export function linuxLinkKeys(z: typeof Zod) {
  const vlanId = z.number().int().min(1).max(MAX_VLAN)
  return {
    bond: z.string().min(1).optional().describe('Host links: the 802.3ad bond this link is a member of; the links of one bond share its name (bond0) and link the same host and switch'),
    vlan: vlanId.optional().describe('Host links: an access port in this VLAN (untagged); the switch\'s port joins its bridge br<vlan>, whose address is the host\'s gateway. A VLAN on two or more switches is carried between them by VXLAN (VNI = VLAN id)'),
    vlans: z.array(vlanId).min(1).optional().describe('Host links: a trunk carrying these VLANs tagged, a subinterface <port>.<id> for each on both ends'),
  }
}

export function linuxLinkOptions(raw: {bond?: string; vlan?: number; vlans?: number[]}): Pick<LinkOptions, 'bond' | 'vlan' | 'vlans'> {
  return {...(raw.bond !== undefined && {bond: raw.bond}), ...(raw.vlan !== undefined && {vlan: raw.vlan}), ...(raw.vlans !== undefined && {vlans: raw.vlans})}
}
