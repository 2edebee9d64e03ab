// router: a generic FRR router with no fabric assumptions (a border or exit router, a ring of
// routers): links to any role, its own ASN from routing.router_asn_base + n unless it sets `asn`,
// and numbers its host links (hosts below a router get their subnet and gateway from it).
import {defineRole} from './spec.js'
import {switchPortProblem} from './switch-ports.js'

export const routerRole = defineRole({
  name: 'router',
  summary: 'a generic FRR router (border, exit, ring): links to any role, runs BGP (or OSPF)',
  tier: 2,
  linksTo: ['super-spine', 'spine', 'router', 'leaf', 'host'],
  image: 'CumulusCommunity/cumulus-vx',
  memory: 1024,
  routing: 'always',
  asn: (routing, index) => routing.routerAsnBase + index,
  forwards: true,
  endpoint: false,
  vmNetwork: 'ifupdown2',
  numbersLinks: true,
  portProblem: switchPortProblem,
  connectionProblem(node, peerRoles) {
    if (peerRoles.length > 0) return undefined
    return {message: `router ${node} has no link`, fix: `link it to another router, a spine or a leaf, e.g. "- [${node}:eth1, spine1:swp10]"`}
  },
})
