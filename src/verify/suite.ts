// From a plan to the checks to run: the brief's default suite, then the topology's own `verify:` list.
import {bgpKey, plannedSessions, prepareBgp} from '../kinds/checks/bgp.js'
import {ecmpKey, prepareEcmp} from '../kinds/checks/ecmp.js'
import {ospfKey, plannedAdjacencies, prepareOspf} from '../kinds/checks/ospf.js'
import {prepareCheck, type Check} from '../kinds/checks/index.js'
import {pingExpectation, pingKey} from '../kinds/checks/ping.js'
import type {LabPlan} from '../plan/plan.js'
import {convergenceExpectations} from '../frr/expect.js'
import {labFacts, type LabFacts} from './facts.js'
import {routeQuery} from './routes.js'
import {prepareSweptPing, sweepProbe} from './sweep.js'
import type {PreparedCheck} from './types.js'

/**
 * The default suite: every planned BGP session Established (OSPF labs: every adjacency Full) on every router; every host reaches
 * every other host from its own address (a check per pair, one fping per source host; the replies prove the way back);
 * every leaf reaches every other leaf's loopback over as many equal-cost paths as the graph offers
 * (shortest paths the routing protocol can use: the same rule `lab up` waits on).
 */
export function defaultSuite(plan: LabPlan, facts: LabFacts = labFacts(plan)): PreparedCheck[] {
  const checks: PreparedCheck[] = []
  for (const node of plan.nodes) {
    if (node.bgp) checks.push(prepareBgp({node: node.name, sessions: plannedSessions(facts, node.name)}, node.name, bgpKey(node.name)))
    if (node.ospf) checks.push(prepareOspf({node: node.name, adjacencies: plannedAdjacencies(facts, node.name)}, node.name, ospfKey(node.name)))
  }
  const hosts = plan.nodes.filter((n) => n.role === 'host').map((n) => n.name)
  hosts.forEach((from, i) => {
    const pairs = hosts.slice(i + 1).filter((to) => !parentAndMacvlanChild(facts, from, to) && !outsideFan(facts, from, to)).map((to) => pingExpectation(facts, from, to))
    if (pairs.length === 0) return
    const sweep = sweepProbe(pairs[0], pairs.map((e) => e.destination))
    for (const e of pairs) checks.push(prepareSweptPing(facts, e, sweep, `${from} -> ${e.to}`, pingKey(from, e.to)))
  })
  // Equal-cost paths as the real graph offers them (shortest paths the routing protocol may take), not "one per spine".
  const expected = new Map(convergenceExpectations(plan).map((e) => [e.node, new Map(e.routes.map((r) => [r.prefix, r.paths]))]))
  const leaves = plan.nodes.filter((n) => n.role === 'leaf').map((n) => n.name)
  for (const from of leaves) {
    for (const to of leaves) {
      if (from === to) continue
      const query = routeQuery(facts, from, to)
      const paths = expected.get(from)?.get(query.prefix)
      if (!paths) continue // no route the protocol could take (validate reports a split fabric)
      checks.push(prepareEcmp(facts, query, paths, `${from} -> ${to}`, ecmpKey(from, query.prefix, paths)))
    }
  }
  return checks
}

/**
 * A host and its own macvlan container: the kernel never passes traffic between a parent and its
 * macvlan children. Nor, from the host's own address, to its IPVLAN L3 children: a child's reply to
 * an address of its host outside the IPVLAN ports (the loopback the suite pings from) is not
 * delivered back (kernel 6.1; the host reaches them from its ipvl0 address, docs/containers.md).
 */
function parentAndMacvlanChild(facts: LabFacts, a: string, b: string): boolean {
  const child = facts.node(a).container ?? facts.node(b).container
  return (child?.mode === 'macvlan' || child?.mode === 'ipvlan-l3') && (child.host === a || child.host === b)
}

/** A Fan container and a node off its overlay: the overlay is routed only between its hosts (no NAT out of it, nothing in the fabric). */
function outsideFan(facts: LabFacts, a: string, b: string): boolean {
  const overlay = (name: string) => {
    const node = facts.node(name)
    return (node.container ? facts.node(node.container.host) : node).containers?.fan?.overlay
  }
  const container = (name: string) => facts.node(name).container?.mode === 'fan'
  return (container(a) || container(b)) && overlay(a) !== overlay(b)
}

/** A topology's declared check, ready to run. `index` is its place in `verify:`. */
export function declaredCheck(plan: LabPlan, check: Check, index: number, facts: LabFacts = labFacts(plan)): PreparedCheck {
  return prepareCheck(check, facts, index)
}

/** Default suite plus declared checks; a declared check asserting the same thing as a default one replaces it in place. */
export function buildSuite(plan: LabPlan): PreparedCheck[] {
  const facts = labFacts(plan)
  const declared = plan.checks.map((check, index) => declaredCheck(plan, check, index, facts))
  const declaredKeys = new Map(declared.map((c) => [c.key, c]))
  const used = new Set<string>()
  const suite = defaultSuite(plan, facts).map((c) => {
    const replacement = declaredKeys.get(c.key)
    if (!replacement) return c
    used.add(c.key)
    return replacement
  })
  const seen = new Set<string>()
  const extra = declared.filter((c) => !used.has(c.key) && !seen.has(c.key) && seen.add(c.key))
  return [...suite, ...extra]
}
