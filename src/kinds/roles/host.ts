// host: an Ubuntu server below a leaf. Plain (routing: static): an address and a default route via
// its leaf. Routing on the host (routing: bgp): FRR with its own ASN, announcing only its loopback.
import {defineRole} from './spec.js'
import {portNameProblem} from './switch-ports.js'

export const hostRole = defineRole({
  name: 'host',
  summary: 'server below a leaf: static (address + default route) or routing: bgp (routing on the host)',
  tier: 4,
  linksTo: ['leaf', 'router'],
  image: 'ubuntu/jammy64',
  memory: 512,
  routing: 'chosen',
  asn: (routing, index) => routing.hostAsnBase + index,
  forwards: false,
  endpoint: true,
  vmNetwork: 'netplan',
  numbersLinks: false,
  portProblem: portNameProblem,
  connectionProblem(node, peerRoles) {
    if (peerRoles.length > 0) return undefined
    return {message: `host ${node} has no link`, fix: `link it to a leaf or a router, e.g. "- [${node}:eth1, leaf1:swp1]"`}
  },
})
