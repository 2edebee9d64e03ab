// What a node role is: where it sits in the fabric, which ports and links it takes, whether it routes,
// how its ASN is drawn, and what it needs around it. One file per role; index.ts lists them.

import type {Topology} from '../../topology/model.js'

/** A problem with its fix, located by the caller. */
export interface RoleProblem {
  message: string
  fix: string
}

export interface RoleSpec<N extends string = string> {
  readonly name: N
  /** One line for the schema and docs. */
  readonly summary: string
  /** Plan and graph order, top of the fabric first: node order, loopbacks and ASNs follow it. */
  readonly tier: number
  /** Roles it may be linked to. */
  readonly linksTo: readonly string[]
  /** VM providers' defaults: box and memory in MiB. */
  readonly image: string
  readonly memory: number
  /**
   * Routing: 'always' runs FRR (switches); 'chosen' follows the node's `routing:` key (hosts: static,
   * or bgp for routing on the host).
   */
  readonly routing: 'always' | 'chosen'
  /** Its ASN from the routing pools; `index` counts the routing nodes of this role before it, in plan order. */
  asn(routing: Topology['routing'], index: number): number
  /** Forwards packets between its ports (net.ipv4.ip_forward). */
  readonly forwards: boolean
  /**
   * An endpoint of the fabric (a host): its links carry a subnet numbered from the far end, its BGP
   * sessions form the `hosts` peer group, it is never a transit path, and the default suite pings it.
   */
  readonly endpoint: boolean
  /** Links are numbered from this end (subnets follow its ports): the leaf of leaf–spine and host–leaf links. */
  readonly numbersLinks: boolean
  /**
   * How a VM of this role configures its ports: ifupdown2 (`interfaces`, as Cumulus Linux does; the
   * provisioning installs it on Debian/Ubuntu boxes) or netplan (Ubuntu servers).
   */
  readonly vmNetwork: 'ifupdown2' | 'netplan'
  /** Why `port` cannot be one of this role's ports, or undefined. */
  portProblem(port: string, node: string): RoleProblem | undefined
  /** What it is missing, given the roles of the nodes its links reach (a leaf without uplink…), or undefined. */
  connectionProblem(node: string, peerRoles: readonly string[]): RoleProblem | undefined
}

export function defineRole<N extends string>(spec: RoleSpec<N>): RoleSpec<N> {
  return spec
}
