// p2p: a point-to-point link between two ports, `[leaf1:swp51, spine1:swp1]`, or in the long form
// `{endpoints: [leaf1:swp51, spine1:swp1], subnet: 10.9.0.0/31, mtu: 9000}`. A host link carries a
// host subnet (leaf .1, host .2); a fabric link is unnumbered (BGP over IPv6 link-local) or, in
// numbered mode or with its own `subnet`, numbered (a /31: the spine on the even address).
import {defineLink, type LinkOptions} from './spec.js'
import {linuxLinkKeys, linuxLinkOptions} from './link-keys.js'

const isLongForm = (raw: unknown): raw is {endpoints: [string, string]} & LinkOptions => Boolean(raw) && typeof raw === 'object' && !Array.isArray(raw)

export const p2pLink = defineLink({
  kind: 'p2p',
  summary: 'a point-to-point link: a veth pair in netns, two NICs on one network for VMs',
  raw: (z) => {
    const endpoint = z
      .string()
      .regex(/^[^:\s]+:[^:\s]+$/, 'must be "node:port", for example "leaf1:swp51"')
      .describe('node:port')
    const pair = z.tuple([endpoint, endpoint])
    const long = z
      .object({
        endpoints: pair.describe('[a:port, b:port]'),
        subnet: z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'must be an IPv4 prefix like 10.9.0.0/31').optional().describe('This link\'s own subnet (numbered, whatever the lab\'s mode): .0/.1 of a /31, .1/.2 of a longer one'),
        mtu: z.number().int().min(1280).max(9216).optional().describe('MTU of both ends (default: addressing.mtu)'),
        ...linuxLinkKeys(z),
      })
      .strict()
    return z.union([pair.describe('[a:port, b:port], a point-to-point link'), long.describe('a point-to-point link with its own subnet or MTU')])
  },
  matches: (raw) => Array.isArray(raw) || (isLongForm(raw) && Array.isArray(raw.endpoints)),
  endpoints: (raw) => (isLongForm(raw) ? raw.endpoints : (raw as [string, string])),
  options: (raw) => (isLongForm(raw) ? {...(raw.subnet && {subnet: raw.subnet}), ...(raw.mtu && {mtu: raw.mtu}), ...linuxLinkOptions(raw)} : {}),
  address(toEndpoint, addressing, subnet) {
    if (subnet) return addressing.ownSubnet(subnet, toEndpoint)
    if (toEndpoint) {
      const {subnet, first, second} = addressing.hostSubnet()
      return {subnet, a: first, b: second}
    }
    if (addressing.unnumbered) return {}
    const {subnet: drawn, first, second} = addressing.p2pSubnet()
    return {subnet: drawn, a: second, b: first}
  },
})
