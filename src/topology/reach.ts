// A fabric split into parts that cannot reach each other (leaf1 only on spine1, leaf2 only on spine2)
// would come up "converged" and then fail every check between the parts: reported at validate.
import type {TopologyLink, TopologyNode} from './model.js'
import type {Report} from './report.js'

/** The connected parts of the graph, each in plan order; nodes without links are left out (reported elsewhere). */
export function connectedParts(nodes: readonly TopologyNode[], links: readonly TopologyLink[]): string[][] {
  const neighbours = new Map<string, string[]>()
  for (const {a, b} of links) {
    neighbours.set(a.node, [...(neighbours.get(a.node) ?? []), b.node])
    neighbours.set(b.node, [...(neighbours.get(b.node) ?? []), a.node])
  }
  const partOf = new Map<string, number>()
  const parts: string[][] = []
  for (const start of nodes) {
    if (partOf.has(start.name) || !neighbours.has(start.name)) continue
    const part: string[] = []
    const queue = [start.name]
    partOf.set(start.name, parts.length)
    while (queue.length > 0) {
      const current = queue.shift()!
      part.push(current)
      for (const next of neighbours.get(current) ?? []) {
        if (partOf.has(next)) continue
        partOf.set(next, parts.length)
        queue.push(next)
      }
    }
    const order = new Map(nodes.map((n, i) => [n.name, i]))
    parts.push(part.sort((x, y) => order.get(x)! - order.get(y)!))
  }
  return parts
}

export function checkReachability(nodes: readonly TopologyNode[], links: readonly TopologyLink[], report: Report): void {
  const parts = connectedParts(nodes, links)
  if (parts.length < 2) return
  const shown = (part: string[]) => `{${part.length > 6 ? `${part.slice(0, 6).join(', ')}, …` : part.join(', ')}}`
  const second = nodes.find((n) => n.name === parts[1][0])!
  report.error(
    second.origin,
    `the fabric is split into ${parts.length} parts that cannot reach each other: ${parts.map(shown).join(' and ')}`,
    `link the parts, e.g. ${parts[1][0]} to a node of ${shown(parts[0])}`,
    true,
  )
}
