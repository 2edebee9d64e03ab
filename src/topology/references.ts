// A topology's `verify:` list: each check parsed into {kind, ...body} and checked against the nodes by its kind.
import {checkReferences, type Check} from '../kinds/checks/index.js'
import type {ReferenceContext} from '../kinds/checks/spec.js'
import type {TopologyNode} from './model.js'
import type {Report} from './report.js'
import {pathText} from './schema-diagnostics.js'
import type {RawTopology} from './schema.js'

export function resolveChecks(raw: RawTopology, nodes: Map<string, TopologyNode>, report: Report): Check[] {
  return (raw.verify ?? []).map((rawCheck, index) => {
    const [kind, body] = Object.entries(rawCheck)[0] as [Check['kind'], Record<string, unknown>]
    const check = {kind, ...body} as Check
    checkReferences(check, referenceContext(['verify', index, kind], nodes, report))
    return check
  })
}

/** What a check kind's `references` sees: node lookups and errors located under `verify[i].<kind>`. */
export function referenceContext(path: (string | number)[], nodes: Map<string, TopologyNode>, report: Report): ReferenceContext {
  const names = [...nodes.keys()]
  const at = (key: string | number | (string | number)[]) => [...path, ...(Array.isArray(key) ? key : [key])]
  return {
    node(key, name, roles) {
      const node = nodes.get(name)
      if (!node) return void report.unknownNode(at(key), name, pathText(at(key)), names)
      if (roles && !roles.includes(node.role)) {
        report.error(at(key), `${pathText(at(key))}: ${name} is a ${node.role}; this check needs a ${roles.join(' or ')}`, `name a ${roles.join(' or ')}`)
        return undefined
      }
      return node
    },
    has: (name) => nodes.has(name),
    where: (key) => pathText(at(key)),
    error: (key, message, fix) => report.error(at(key), message, fix),
  }
}
