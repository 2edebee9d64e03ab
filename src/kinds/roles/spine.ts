// spine: the upper tier of a leaf–spine fabric. All spines share one ASN (routing.spine_asn), so a
// path never crosses two of them; every leaf links to every spine.
import {defineRole} from './spec.js'
import {switchPortProblem} from './switch-ports.js'

export const spineRole = defineRole({
  name: 'spine',
  summary: 'fabric spine: links to leaves, runs BGP',
  tier: 1,
  linksTo: ['leaf', 'super-spine', 'router'],
  image: 'CumulusCommunity/cumulus-vx',
  memory: 1024,
  routing: 'always',
  asn: (routing) => routing.spineAsn,
  forwards: true,
  endpoint: false,
  vmNetwork: 'ifupdown2',
  numbersLinks: false,
  portProblem: switchPortProblem,
  connectionProblem(node, peerRoles) {
    // A spine with no leaf would still count as an ECMP path in every check of the fabric.
    if (peerRoles.length > 0) return undefined
    return {message: `spine ${node} has no link to a leaf`, fix: `link every leaf to it (a free swp5N uplink on the leaf to a free swpN on ${node}), or remove it`}
  },
})
