// What "converged" means for a router of an OSPF lab (pure): every planned adjacency Full, and every
// prefix other routers bring into the area installed over as many equal-cost next hops as the graph
// offers (all fabric links cost the same, so: interfaces towards neighbours on a shortest path).
import {parseObject} from './json.js'
import type {LabPlan, PlannedNode} from '../plan/plan.js'
import type {ExpectedRoute, RouterExpectation, SessionSeen} from './expect.js'

type OspfRouter = PlannedNode & {ospf: NonNullable<PlannedNode['ospf']>}

export function ospfExpectations(plan: LabPlan): RouterExpectation[] {
  const routers = plan.nodes.filter((n): n is OspfRouter => n.ospf !== undefined)
  const adjacent = (r: OspfRouter) => r.ospf.interfaces.filter((i) => !i.passive)
  return routers.map((router) => {
    const connected = new Set(router.interfaces.map((i) => plan.links[i.link]?.subnet).filter(Boolean))
    const own = new Set(router.ospf.localPrefixes)
    const routes = new Map<string, ExpectedRoute>()
    for (const origin of routers) {
      if (origin.name === router.name) continue
      const distance = hopsFrom(origin.name, routers, adjacent)
      const offers = adjacent(router).map((i) => distance.get(i.peer)).filter((d): d is number => d !== undefined)
      if (offers.length === 0) continue
      const best = Math.min(...offers)
      const paths = offers.filter((d) => d === best).length
      for (const prefix of origin.ospf.localPrefixes) {
        if (connected.has(prefix) || own.has(prefix)) continue
        const seen = routes.get(prefix)
        routes.set(prefix, {prefix, paths: Math.max(paths, seen?.paths ?? 0), origins: [...(seen?.origins ?? []), origin.name]})
      }
    }
    return {
      node: router.name,
      protocol: 'ospf' as const,
      sessions: adjacent(router).map((i) => ({neighbor: i.name, peer: i.peer})),
      routes: [...routes.values()].sort((a, b) => a.prefix.localeCompare(b.prefix)),
    }
  })
}

function hopsFrom(origin: string, routers: OspfRouter[], adjacent: (r: OspfRouter) => Array<{peer: string}>): Map<string, number> {
  const byName = new Map(routers.map((r) => [r.name, r]))
  const distance = new Map<string, number>([[origin, 0]])
  const queue = [origin]
  while (queue.length > 0) {
    const current = queue.shift()!
    for (const {peer} of adjacent(byName.get(current)!)) {
      if (distance.has(peer)) continue
      distance.set(peer, distance.get(current)! + 1)
      queue.push(peer)
    }
  }
  return distance
}

/** One neighbour of `show ip ospf neighbor json` (FRR 8.4: by router-id, a list per router-id). */
export interface OspfNeighborSeen {
  nbrState?: string
  state?: string
  ifaceName?: string
}

/** Adjacency state by local interface ("swp51:10.2.0.1" → swp51); undefined when ospfd did not answer. */
export function parseOspfNeighbors(text: string): Map<string, string> | undefined {
  const json = parseObject<{neighbors?: Record<string, OspfNeighborSeen[]>}>(text)
  if (!json) return undefined
  const states = new Map<string, string>()
  for (const list of Object.values(json.neighbors ?? {})) {
    for (const n of list) if (n.ifaceName) states.set(n.ifaceName.split(':')[0], (n.nbrState ?? n.state ?? '').split('/')[0])
  }
  return states
}

/** Planned adjacencies that are not Full. */
export function adjacenciesNotFull(expectation: RouterExpectation, neighborsJson: string): SessionSeen[] {
  const states = parseOspfNeighbors(neighborsJson)
  if (!states) return expectation.sessions.map((s) => ({...s, state: 'unknown (ospfd did not answer)'}))
  return expectation.sessions.map((s) => ({...s, state: states.get(s.neighbor) ?? 'no adjacency'})).filter((s) => s.state !== 'Full')
}
