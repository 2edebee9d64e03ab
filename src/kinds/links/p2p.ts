// p2p: a point-to-point link between two ports, `[leaf1:swp51, spine1:swp1]`. A host link carries a
// host subnet (leaf .1, host .2); a fabric link is unnumbered (BGP over IPv6 link-local) or, in
// numbered mode, a /31 with the spine on the even address.
import {defineLink} from './spec.js'

export const p2pLink = defineLink({
  kind: 'p2p',
  summary: 'a point-to-point link: a veth pair in netns, two NICs on one network for VMs',
  raw: (z) => {
    const endpoint = z
      .string()
      .regex(/^[^:\s]+:[^:\s]+$/, 'must be "node:port", for example "leaf1:swp51"')
      .describe('node:port')
    return z.tuple([endpoint, endpoint]).describe('[a:port, b:port], a point-to-point link')
  },
  matches: (raw) => Array.isArray(raw),
  endpoints: (raw) => raw as [string, string],
  address(toEndpoint, addressing) {
    if (toEndpoint) {
      const {subnet, first, second} = addressing.hostSubnet()
      return {subnet, a: first, b: second}
    }
    if (addressing.unnumbered) return {}
    const {subnet, first, second} = addressing.p2pSubnet()
    return {subnet, a: second, b: first}
  },
})
