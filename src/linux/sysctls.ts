// The kernel settings every lab node gets, whatever runs it (netns, qemu guests, a containerlab export).
import type {PlannedNode} from '../plan/plan.js'

/** No DAD (IPv6 link-locals usable at once, which BGP unnumbered needs), forwarding on routers only, no rp_filter. */
export function nodeKernelSettings(node: PlannedNode): string[] {
  const forwarding = node.forwarding ? '1' : '0'
  return [
    'net.ipv6.conf.all.accept_dad=0',
    'net.ipv6.conf.default.accept_dad=0',
    ...node.interfaces.map((i) => `net.ipv6.conf.${i.name}.accept_dad=0`),
    'net.ipv4.conf.all.rp_filter=0',
    'net.ipv4.conf.default.rp_filter=0',
    `net.ipv4.ip_forward=${forwarding}`,
    `net.ipv6.conf.all.forwarding=${forwarding}`,
    // ECMP hashes on L4 ports (iperf streams spread); traceroute sees every hop's ICMP error.
    'net.ipv4.fib_multipath_hash_policy=1',
    'net.ipv6.fib_multipath_hash_policy=1',
    'net.ipv4.icmp_ratelimit=0',
    'net.ipv6.icmp.ratelimit=0',
    // A host with a macvlan: each interface answers ARP for its own address only, so the LAN learns the macvlan's own MAC.
    ...((node.virtual ?? []).some((v) => v.kind === 'macvlan') ? ['net.ipv4.conf.all.arp_ignore=1'] : []),
  ]
}
