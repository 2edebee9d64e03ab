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
