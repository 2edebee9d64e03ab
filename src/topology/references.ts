// A topology's `verify:` list: each check parsed into {kind, ...body} and checked against the nodes by its kind.
// The same reference context serves exercises' faults (nodes and `node:port` endpoints).
import {checkReferences, type Check} from '../kinds/checks/index.js'
import type {ReferenceContext} from '../kinds/checks/spec.js'
import {didYouMean, listNames, suggest} from '../util/suggest.js'
import type {TopologyLink, TopologyNode} from './model.js'
import type {Report} from './report.js'
import {pathText} from './schema-diagnostics.js'
import type {RawTopology} from './schema.js'
import {isHole} from './salvage.js'

export function resolveChecks(raw: RawTopology, nodes: Map<string, TopologyNode>, report: Report, links: readonly TopologyLink[] = [], rejectedNodes: ReadonlySet<string> = new Set()): Check[] {
  return (raw.verify ?? []).flatMap((rawCheck, index) => {
    if (isHole(rawCheck)) return []
    const [kind, body] = Object.entries(rawCheck)[0] as [Check['kind'], Record<string, unknown>]
    const check = {kind, ...body} as Check
    checkReferences(check, referenceContext(['verify', index, kind], nodes, report, portsByNode(links), rejectedNodes))
    return [check]
  })
}

/** Each node's ports, from both ends of every link. */
export function portsByNode(links: readonly TopologyLink[]): Map<string, string[]> {
  const ports = new Map<string, string[]>()
  for (const {a, b} of links) {
    for (const end of [a, b]) {
      const list = ports.get(end.node) ?? []
      list.push(end.port)
      ports.set(end.node, list)
    }
  }
  return ports
}

/**
 * What a kind's `references` sees: node and endpoint lookups, errors located under `path`
 * (`verify[i].<kind>`, `faults[i].<kind>`).
 */
export function referenceContext(path: (string | number)[], nodes: Map<string, TopologyNode>, report: Report, ports: Map<string, string[]> = new Map(), rejectedNodes: ReadonlySet<string> = new Set()): ReferenceContext {
  const names = [...nodes.keys()]
  const at = (key: string | number | (string | number)[]) => [...path, ...(Array.isArray(key) ? key : [key])]
  const context: ReferenceContext = {
    node(key, name, roles) {
      const node = nodes.get(name)
      if (!node && rejectedNodes.has(name)) return undefined // already reported by the schema
      if (!node) return void report.unknownNode(at(key), name, pathText(at(key)), names)
      if (roles && !roles.includes(node.role)) {
        report.error(at(key), `${pathText(at(key))}: ${name} is a ${node.role}; this check needs a ${roles.join(' or ')}`, `name a ${roles.join(' or ')}`)
        return undefined
      }
      return node
    },
    endpoint(key, text) {
      const match = /^([^:\s]+):([^:\s]+)$/.exec(text)
      if (!match) return void report.error(at(key), `${pathText(at(key))}: "${text}" is not an endpoint`, 'write node:port, e.g. leaf1:swp51')
      const [, nodeName, port] = match
      if (!context.node(key, nodeName)) return undefined
      const known = ports.get(nodeName) ?? []
      if (known.includes(port)) return {node: nodeName, port}
      const guess = suggest(port, known)
      report.error(
        at(key),
        `${pathText(at(key))}: ${nodeName} has no port "${port}"${didYouMean(guess)}`,
        guess ? `write "${nodeName}:${guess}"` : known.length > 0 ? `${nodeName}'s ports: ${listNames(known)}` : `${nodeName} has no links`,
      )
      return undefined
    },
    has: (name) => nodes.has(name),
    where: (key) => pathText(at(key)),
    error: (key, message, fix) => report.error(at(key), message, fix),
  }
  return context
}
