// super-spine: a third tier above the spines (5-stage Clos). All super-spines share one ASN
// (routing.super_spine_asn); each links to spines, usually one per pod.
import {defineRole} from './spec.js'
import {switchPortProblem} from './switch-ports.js'

export const superSpineRole = defineRole({
  name: 'super-spine',
  summary: 'a tier above the spines (5-stage Clos): links to spines, runs BGP (or OSPF)',
  tier: 0,
  linksTo: ['spine', 'router'],
  image: 'CumulusCommunity/cumulus-vx',
  memory: 1024,
  routing: 'always',
  asn: (routing) => routing.superSpineAsn,
  forwards: true,
  endpoint: false,
  vmNetwork: 'ifupdown2',
  numbersLinks: false,
  portProblem: switchPortProblem,
  connectionProblem(node, peerRoles) {
    if (peerRoles.includes('spine')) return undefined
    return {message: `super-spine ${node} has no link to a spine`, fix: `link it to a spine of each pod, e.g. "- [spine1:swp51, ${node}:swp1]"`}
  },
})
