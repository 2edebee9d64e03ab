// Links: `[a:port, b:port]` parsed against the nodes (ports named as the role names them), then the
// fabric's rules (which roles may be linked, a port used once) and what each node is missing.
import {linkSpecOf} from '../kinds/links/index.js'
import {roleSpec} from '../kinds/roles/index.js'
import type {Endpoint, LinkPortLimit, TopologyLink, TopologyNode} from './model.js'
import type {RawTopology} from './schema.js'
import type {Report} from './report.js'
import type {YamlPath} from './diagnostics.js'
import {isHole, nodesNamedIn} from './salvage.js'

export function resolveLinks(raw: RawTopology, nodes: Map<string, TopologyNode>, generated: TopologyLink[], report: Report, rejectedNodes: ReadonlySet<string> = new Set()): {links: TopologyLink[]; inRejectedLink: Set<string>} {
  const links = [...generated]
  const names = [...nodes.keys()]
  // Nodes named by a link that was rejected: already reported, so not also "has no link".
  const inRejectedLink = new Set<string>()
  ;(raw.links ?? []).forEach((rawLink, index) => {
    if (isHole(rawLink)) return void nodesNamedIn(rawLink, nodes.keys()).forEach((node) => inRejectedLink.add(node))
    const path = ['links', index]
    const endpoints: Endpoint[] = []
    const spec = linkSpecOf(rawLink)
    const texts = spec.endpoints(rawLink)
    // A node the schema rejected is reported there; its links cannot be judged without its role.
    // Its peer's port is still checked, so one bad key on a spine does not hide every leaf's port errors.
    if (texts.some((text) => rejectedNodes.has(text.split(':')[0]))) return void checkKnownEnds(texts, path, nodes, report, inRejectedLink)
    texts.forEach((text, side) => {
      const [node, port] = text.split(':')
      const where = [...path, side]
      const target = nodes.get(node)
      if (!target) return report.unknownNode(where, node, `link endpoint "${text}"`, names)
      const problem = portProblem(target, port)
      if (problem) return report.error(where, `link endpoint "${text}": ${problem.message}`, problem.fix)
      endpoints.push({node, port})
    })
    if (endpoints.length === 2) links.push({kind: spec.kind, a: endpoints[0], b: endpoints[1], ...spec.options(rawLink), origin: path})
    else for (const text of texts) inRejectedLink.add(text.split(':')[0])
  })
  checkLinkRules(links, nodes, report)
  return {links, inRejectedLink}
}

function checkKnownEnds(texts: string[], path: YamlPath, nodes: Map<string, TopologyNode>, report: Report, inRejectedLink: Set<string>): void {
  texts.forEach((text, side) => {
    const [node, port] = text.split(':')
    inRejectedLink.add(node)
    const target = nodes.get(node)
    const problem = target && portProblem(target, port)
    if (problem) report.error([...path, side], `link endpoint "${text}": ${problem.message}`, problem.fix)
  })
}

function portProblem(node: TopologyNode, port: string): {message: string; fix: string} | undefined {
  return roleSpec(node.role).portProblem(port, node.name)
}

function checkLinkRules(links: TopologyLink[], nodes: Map<string, TopologyNode>, report: Report): void {
  const portUse = new Map<string, string>() // "node:port" → where first used
  for (const link of links) {
    const [a, b] = [nodes.get(link.a.node)!, nodes.get(link.b.node)!]
    if (a.name === b.name) {
      report.error(link.origin, `${a.name} is linked to itself (${link.a.port} ↔ ${link.b.port})`, 'connect the port to another node')
      continue
    }
    if (!roleSpec(a.role).linksTo.includes(b.role)) {
      report.error(link.origin, `a ${a.role}–${b.role} link (${a.name}:${link.a.port} ↔ ${b.name}:${link.b.port}) is not part of a leaf-spine fabric`, 'link leaves to spines, spines to super-spines and hosts to leaves; make a node role: router for any other link')
    }
    for (const end of [link.a, link.b]) {
      const key = `${end.node}:${end.port}`
      const first = portUse.get(key)
      if (first) report.error(link.origin, `port ${key} is used by two links (first at ${first})`, `use a free port on ${end.node}`)
      else portUse.set(key, originText(link.origin))
    }
  }
}

/** What each node's role needs around it, and the link-port limits of the providers. */
export function checkConnections(nodes: Map<string, TopologyNode>, links: TopologyLink[], inRejectedLink: Set<string>, limits: readonly LinkPortLimit[], report: Report): void {
  const peerRoles = new Map<string, string[]>()
  for (const link of links) {
    for (const [self, other] of [[link.a, link.b], [link.b, link.a]]) {
      const roles = peerRoles.get(self.node) ?? []
      roles.push(nodes.get(other.node)?.role ?? '')
      peerRoles.set(self.node, roles)
    }
  }
  for (const node of nodes.values()) {
    if (inRejectedLink.has(node.name)) continue
    const peers = peerRoles.get(node.name) ?? []
    const missing = roleSpec(node.role).connectionProblem(node.name, peers)
    if (missing) report.error(node.origin, missing.message, missing.fix, true)
    for (const limit of limits) {
      if (peers.length <= limit.maxLinkPorts) continue
      const message = `${node.name} has ${peers.length} links; ${limit.why}`
      if (limit.enforced) report.error(node.origin, message, limit.fix, true)
      else report.warning(node.origin, message, limit.fix, true)
    }
  }
}

function originText(origin: YamlPath): string {
  return origin.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('')
}
