// host: an Ubuntu server below a leaf. Plain (routing: static): an address and a default route via
// its leaf. Routing on the host (routing: bgp): FRR with its own ASN, announcing only its loopback.
import {defineRole} from './spec.js'

const HOST_PORT = /^eth[1-9]\d*$/

export const hostRole = defineRole({
  name: 'host',
  summary: 'server below a leaf: static (address + default route) or routing: bgp (routing on the host)',
  tier: 2,
  linksTo: ['leaf'],
  image: 'ubuntu/jammy64',
  memory: 512,
  routing: 'chosen',
  asn: (routing, index) => routing.hostAsnBase + index,
  forwards: false,
  endpoint: true,
  vmNetwork: 'netplan',
  numbersLinks: false,
  portProblem(port) {
    if (port === 'eth0') return {message: 'eth0 is the management interface of a host (Vagrant uses it)', fix: 'use eth1, eth2, …'}
    if (!HOST_PORT.test(port)) return {message: `"${port}" is not a host port`, fix: 'host ports are eth1, eth2, …'}
    return undefined
  },
  connectionProblem(node, peerRoles) {
    if (peerRoles.length > 0) return undefined
    return {message: `host ${node} has no link`, fix: `link it to a leaf, e.g. "- [${node}:eth1, leaf1:swp1]"`}
  },
})
