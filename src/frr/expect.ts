// What "converged" means for a plan, decided from the plan alone (pure): on every router, every
// planned BGP session Established, and every prefix other routers originate installed with as many
// equal-cost next hops as the fabric offers (so ECMP is complete, not just the first path).
import {installedPaths, parseBgpSummary, parseRouteTable} from './json.js'
import {adjacenciesNotFull, ospfExpectations} from './expect-ospf.js'
import {neighborKey, type LabPlan, type PlannedNode} from '../plan/plan.js'

export interface ExpectedSession {
  /** How FRR names the neighbor: the interface (unnumbered) or the peer address (numbered). */
  neighbor: string
  peer: string
}

export interface ExpectedRoute {
  prefix: string
  /** Equal-cost next hops: sessions to neighbors on a shortest AS path towards the origin. */
  paths: number
  origins: string[]
}

export interface RouterExpectation {
  node: string
  /** Which daemon answers for the sessions: bgpd (sessions Established) or ospfd (adjacencies Full). */
  protocol?: 'bgp' | 'ospf'
  sessions: ExpectedSession[]
  routes: ExpectedRoute[]
}

export function convergenceExpectations(plan: LabPlan): RouterExpectation[] {
  if (plan.protocol === 'ospf') return ospfExpectations(plan)
  const routers = plan.nodes.filter((n): n is PlannedNode & {bgp: NonNullable<PlannedNode['bgp']>} => n.bgp !== undefined)
  const asnOf = new Map(routers.map((r) => [r.name, r.bgp.asn]))
  const roleOf = new Map(routers.map((r) => [r.name, r.role]))
  const adjacency = new Map(routers.map((r) => [r.name, r.bgp.neighbors.map((n) => n.peer)]))

  return routers.map((router) => {
    const connected = new Set(router.interfaces.map((i) => plan.links[i.link]?.subnet).filter((s): s is string => Boolean(s)))
    const own = new Set(router.bgp.localPrefixes)
    const routes = new Map<string, ExpectedRoute>()
    for (const origin of routers) {
      if (origin.name === router.name || origin.bgp.asn === router.bgp.asn) continue // eBGP drops paths through its own AS
      // Hops from the origin, never through the router's own AS (those paths are dropped on receipt).
      const distance = new Map<string, number>([[origin.name, 0]])
      const queue = [origin.name]
      while (queue.length > 0) {
        const current = queue.shift()!
        if (current !== origin.name && roleOf.get(current) === 'host') continue // hosts announce only their own prefixes
        for (const next of adjacency.get(current) ?? []) {
          if (distance.has(next) || asnOf.get(next) === router.bgp.asn) continue
          distance.set(next, distance.get(current)! + 1)
          queue.push(next)
        }
      }
      const offers = router.bgp.neighbors
        .filter((n) => n.peer === origin.name || roleOf.get(n.peer) !== 'host')
        .map((n) => distance.get(n.peer))
        .filter((d): d is number => d !== undefined)
      if (offers.length === 0) continue
      const best = Math.min(...offers)
      const paths = offers.filter((d) => d === best).length
      for (const prefix of origin.bgp.localPrefixes) {
        if (connected.has(prefix) || own.has(prefix)) continue
        const seen = routes.get(prefix)
        routes.set(prefix, {prefix, paths: Math.max(paths, seen?.paths ?? 0), origins: [...(seen?.origins ?? []), origin.name]})
      }
    }
    return {
      node: router.name,
      sessions: router.bgp.neighbors.map((n) => ({neighbor: neighborKey(n), peer: n.peer})),
      routes: [...routes.values()].sort((a, b) => a.prefix.localeCompare(b.prefix)),
    }
  })
}

export interface SessionSeen {
  neighbor: string
  peer: string
  state: string
}

/** Judge `show bgp summary json` (or, for OSPF, `show ip ospf neighbor json`): which planned sessions are not up. */
export function sessionsNotUp(expectation: RouterExpectation, summaryJson: string): SessionSeen[] {
  if (expectation.protocol === 'ospf') return adjacenciesNotFull(expectation, summaryJson)
  const summary = parseBgpSummary(summaryJson)
  if (!summary) return expectation.sessions.map((s) => ({...s, state: 'unknown (bgpd did not answer)'}))
  const peers = summary.peers ?? {}
  return expectation.sessions
    .map((s) => ({...s, state: peers[s.neighbor]?.state ?? 'not configured'}))
    .filter((s) => s.state !== 'Established')
}

export interface RouteShortfall {
  prefix: string
  expected: number
  installed: number
}

/** Judge `show ip route json`: expected prefixes not yet installed with all their next hops. */
export function routesMissing(expectation: RouterExpectation, routesJson: string): RouteShortfall[] {
  const table = parseRouteTable(routesJson) ?? {}
  return expectation.routes
    .map((route) => ({prefix: route.prefix, expected: route.paths, installed: installedPaths(table[route.prefix])}))
    .filter((route) => route.installed < route.expected)
}
