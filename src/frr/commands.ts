// The questions lab asks FRR, as vtysh argv. Convergence (lab up), lab status and lab verify ask the
// same ones, so they never judge a node by different answers. `-d` sends the command to one daemon:
// vtysh then connects to that daemon only, which is what keeps polling cheap.

/** Peers of the default VRF's IPv4 unicast sessions: state, uptime, hostname, prefixes received. */
export const BGP_SUMMARY = ['vtysh', '-d', 'bgpd', '-c', 'show bgp vrf default ipv4 unicast summary json'] as const

/** Per-neighbour detail: why a session is down (last reset, last error, notifications). */
export const BGP_NEIGHBORS = ['vtysh', '-d', 'bgpd', '-c', 'show bgp vrf default neighbors json'] as const

/** zebra's whole IPv4 table, with each route's next hops and whether they are in the kernel. */
export const IPV4_ROUTES = ['vtysh', '-d', 'zebra', '-c', 'show ip route json'] as const

/** How long one question may take before the node counts as not answering. */
export const FRR_QUERY_TIMEOUT_MS = 10_000

/** OSPF adjacencies: state per neighbour and local interface. */
export const OSPF_NEIGHBORS = ['vtysh', '-d', 'ospfd', '-c', 'show ip ospf neighbor json'] as const
