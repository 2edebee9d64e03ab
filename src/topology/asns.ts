// Each router's final ASN (explicit, or its role's pool) against eBGP's rules: linked neighbours in
// different ASes, and no two nodes sharing one unless they are spines (of one pod) or super-spines,
// which never need each other's routes. Otherwise eBGP drops the routes between them as an AS-path loop.
import {planNumbers} from '../plan/numbers.js'
import type {Topology} from './model.js'
import type {Report} from './report.js'

const MAY_SHARE = new Set(['spine', 'super-spine'])

export function checkAsns(topology: Topology, report: Report): void {
  if (topology.routing.protocol !== 'bgp') return
  const {asns} = planNumbers(topology)
  const byName = new Map(topology.nodes.map((n) => [n.name, n]))
  const source = (name: string) => (byName.get(name)!.asn !== undefined ? 'its asn' : `its role's pool`)
  const reported = new Set<number>()
  for (const link of topology.links) {
    const [a, b] = [asns.get(link.a.node), asns.get(link.b.node)]
    if (a === undefined || a !== b) continue
    reported.add(a)
    report.error(link.origin, `${link.a.node} and ${link.b.node} are linked but both are in AS ${a} (${link.a.node}: ${source(link.a.node)}, ${link.b.node}: ${source(link.b.node)}); eBGP needs distinct ASNs`, `give ${explicitOne(link.a.node, link.b.node, byName)} another asn`)
  }
  const holders = new Map<number, string[]>()
  for (const [name, asn] of asns) holders.set(asn, [...(holders.get(asn) ?? []), name])
  for (const [asn, names] of holders) {
    if (names.length < 2 || reported.has(asn)) continue
    const roles = new Set(names.map((n) => byName.get(n)!.role))
    if (roles.size === 1 && MAY_SHARE.has([...roles][0])) continue
    const blamed = names.find((n) => byName.get(n)!.asn !== undefined) ?? names[1]
    report.error([...byName.get(blamed)!.origin, ...(byName.get(blamed)!.asn !== undefined ? ['asn'] : [])], `${names.join(' and ')} share AS ${asn}: eBGP drops the routes between them (an AS-path loop)`, `give ${blamed} an ASN of its own`)
  }
}

function explicitOne(a: string, b: string, nodes: Map<string, {asn?: number}>): string {
  return nodes.get(b)!.asn !== undefined ? b : a
}

/**
 * eBGP's loop rule on the real graph: each leaf's loopback propagated from its leaf along shortest
 * paths, a router refusing a path that already holds its own AS and hosts never passing routes on.
 * A leaf that cannot learn another's loopback (spines of two pods sharing one AS under super-spines)
 * is reported, rather than found by a `lab up` that never converges.
 */
export function checkAsPaths(topology: Topology, report: Report): void {
  if (topology.routing.protocol !== 'bgp' || !topology.nodes.some((n) => n.role === 'super-spine' || n.role === 'router')) return
  const {asns} = planNumbers(topology)
  const neighbours = new Map<string, string[]>()
  for (const {a, b} of topology.links) {
    if (!asns.has(a.node) || !asns.has(b.node)) continue
    neighbours.set(a.node, [...(neighbours.get(a.node) ?? []), b.node])
    neighbours.set(b.node, [...(neighbours.get(b.node) ?? []), a.node])
  }
  const transits = new Set(topology.nodes.filter((n) => n.role !== 'host').map((n) => n.name))
  const leaves = topology.nodes.filter((n) => n.role === 'leaf' || n.role === 'router')
  for (const origin of leaves) {
    const paths = new Map<string, number[]>([[origin.name, [asns.get(origin.name)!]]])
    let frontier = [origin.name]
    while (frontier.length > 0) {
      const next: string[] = []
      for (const current of frontier) {
        if (current !== origin.name && !transits.has(current)) continue
        for (const peer of neighbours.get(current) ?? []) {
          if (paths.has(peer) || paths.get(current)!.includes(asns.get(peer)!)) continue
          paths.set(peer, [asns.get(peer)!, ...paths.get(current)!])
          next.push(peer)
        }
      }
      frontier = next
    }
    const missing = leaves.filter((l) => l.role === 'leaf' && l.name !== origin.name && !paths.has(l.name) && asns.get(l.name) !== asns.get(origin.name))
    if (missing.length === 0 || origin.role !== 'leaf') continue
    report.error(origin.origin, `${missing.map((m) => m.name).join(', ')} cannot learn ${origin.name}'s loopback: every path crosses one AS twice, and eBGP drops it`, 'give the spines of each pod their own ASN (fabric: pods does), or the routers between them distinct ones', origin.origin[0] === 'nodes')
    return // one is enough: the same ASN plan breaks the others alike
  }
}
