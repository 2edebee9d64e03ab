// leaf: the lower tier of the fabric, top of the rack. Each leaf has its own ASN (leaf_asn_base + n),
// a subnet per host port (leaf .1, host .2), and uplinks to the spines.
import {defineRole} from './spec.js'
import {switchPortProblem} from './switch-ports.js'

export const leafRole = defineRole({
  name: 'leaf',
  summary: 'fabric leaf: uplinks to spines, hosts below, runs BGP',
  tier: 3,
  linksTo: ['spine', 'host', 'router'],
  image: 'CumulusCommunity/cumulus-vx',
  memory: 1024,
  routing: 'always',
  asn: (routing, index) => routing.leafAsnBase + index,
  forwards: true,
  endpoint: false,
  vmNetwork: 'ifupdown2',
  numbersLinks: true,
  portProblem: switchPortProblem,
  connectionProblem(node, peerRoles) {
    if (peerRoles.includes('spine') || peerRoles.includes('router')) return undefined
    return {message: `leaf ${node} has no uplink to a spine`, fix: `add a link such as "- [${node}:swp51, spine1:swp1]"`}
  },
})
