// LabPlan → pictures: a three-tier SVG (spines, leaves, hosts), a Mermaid flowchart and a Graphviz graph.
// Pure and deterministic: the same plan gives the same bytes.
import type {LabPlan, PlannedLink, PlannedNode} from '../plan/plan.js'
import type {Role} from '../topology/schema.js'
import {escapeXml} from '../util/xml.js'

export const GRAPH_FORMATS = ['svg', 'mermaid', 'dot'] as const
export type GraphFormat = (typeof GRAPH_FORMATS)[number]

export function renderGraph(plan: LabPlan, format: GraphFormat): string {
  if (format === 'mermaid') return graphMermaid(plan)
  if (format === 'dot') return graphDot(plan)
  return graphSvg(plan)
}

// ---------------------------------------------------------------------------------------------
// What a node box says, shared by every format.

type Style = 'spine' | 'leaf' | 'host' | 'bgp-host'

const STYLES: Record<Style, {fill: string; stroke: string; legend: string}> = {
  spine: {fill: '#dbe8f8', stroke: '#2f5f9e', legend: 'spine'},
  leaf: {fill: '#dcf0d6', stroke: '#3f7f2f', legend: 'leaf'},
  host: {fill: '#f3f3f1', stroke: '#77736a', legend: 'host (static)'},
  'bgp-host': {fill: '#fbe6cf', stroke: '#b0621a', legend: 'host (BGP, routing on the host)'},
}

function styleOf(node: PlannedNode): Style {
  return node.role === 'host' ? (node.bgp ? 'bgp-host' : 'host') : node.role
}

/** Name, then how it routes, then its address: ["leaf1", "AS 65001", "10.0.0.3/32"]. */
export function nodeLines(node: PlannedNode): [string, string, string] {
  if (node.bgp) {
    const asn = `AS ${node.bgp.asn}`
    return [node.name, node.role === 'host' ? `BGP · ${asn}` : asn, node.loopback ?? node.bgp.routerId]
  }
  const addresses = node.interfaces.filter((i) => i.ipv4).map((i) => i.ipv4!)
  const address = addresses.length === 0 ? 'no address' : addresses.length === 1 ? addresses[0] : `${addresses[0]} +${addresses.length - 1}`
  return [node.name, node.gateway ? `static · gw ${node.gateway.address}` : 'static', address]
}

const TIER: Record<Role, number> = {spine: 0, leaf: 1, host: 2}

/** A link with its upper end (nearer the spines) first, so pictures read top-down. */
function topDown(link: PlannedLink, roles: Map<string, Role>): {upper: PlannedLink['a']; lower: PlannedLink['b']} {
  const [a, b] = [TIER[roles.get(link.a.node)!], TIER[roles.get(link.b.node)!]]
  return b < a ? {upper: link.b, lower: link.a} : {upper: link.a, lower: link.b}
}

// ---------------------------------------------------------------------------------------------
// Layout: three centred rows. Hosts sit under the mean of their leaves (a dual-attached host
// between its two), leaves over the mean of their hosts, spines over the mean of their leaves.

const MARGIN = 24
const FONT = "'DejaVu Sans', Verdana, Arial, Helvetica, sans-serif"
const NAME_SIZE = 13
const DETAIL_SIZE = 11
const PORT_SIZE = 10
const BOX_HEIGHT = 58
const ROW_GAP = 34 // horizontal space between neighbouring boxes
const STUB = 24 // a wire leaves its box straight for this long; the port label sits on that stub
const PORT_GAP = 8 // horizontal space between neighbouring port labels

/** Rough width of text in a sans-serif face; generous so boxes and labels never clip or touch. */
function textWidth(text: string, size: number, bold = false): number {
  return text.length * size * (bold ? 0.68 : 0.62)
}

export interface GraphBox {
  node: PlannedNode
  x: number // centre
  y: number // top
  width: number
}

export interface GraphPort {
  text: string
  node: string
  x: number
  y: number // baseline
}

/** A wire: straight out of the upper box's bottom edge, across, straight into the lower box's top edge. */
export interface GraphWire {
  link: PlannedLink
  x1: number
  y1: number
  x2: number
  y2: number
}

export interface GraphLayout {
  width: number
  height: number
  headerLines: string[]
  boxes: GraphBox[]
  wires: GraphWire[]
  ports: GraphPort[]
  legendY: number
}

/**
 * Place order-preserving items as near their ideal centres as possible, at least `pitch` apart:
 * least squares under x[i+1] − x[i] ≥ pitch, solved by pooling adjacent violators on x[i] − i·pitch.
 */
export function spread(ideal: readonly number[], pitch: number): number[] {
  const blocks: {sum: number; count: number}[] = []
  ideal.forEach((value, i) => {
    blocks.push({sum: value - i * pitch, count: 1})
    while (blocks.length > 1) {
      const [left, right] = [blocks[blocks.length - 2], blocks[blocks.length - 1]]
      if (left.sum / left.count <= right.sum / right.count) break
      blocks.splice(-2, 2, {sum: left.sum + right.sum, count: left.count + right.count})
    }
  })
  const result: number[] = []
  for (const block of blocks) for (let k = 0; k < block.count; k++) result.push(block.sum / block.count + result.length * pitch)
  return result
}

/** Ideal centres where some are unknown: fill the gaps one pitch from a known neighbour. */
function fillIdeal(ideal: (number | undefined)[], pitch: number): number[] {
  const firstKnown = ideal.findIndex((v) => v !== undefined)
  if (firstKnown === -1) return ideal.map((_, i) => i * pitch)
  const out: number[] = []
  for (let i = 0; i < ideal.length; i++) {
    out.push(ideal[i] ?? (i < firstKnown ? ideal[firstKnown]! - (firstKnown - i) * pitch : out[i - 1] + pitch))
  }
  return out
}

const mean = (values: number[]): number | undefined => (values.length === 0 ? undefined : values.reduce((s, v) => s + v, 0) / values.length)

function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}

/**
 * The three rows, left to right: spines and leaves in plan order; hosts in the order of their
 * leaves (a dual-attached host between its two), then plan order.
 */
export function tiers(plan: LabPlan): {spines: PlannedNode[]; leaves: PlannedNode[]; hosts: PlannedNode[]} {
  const spines = plan.nodes.filter((n) => n.role === 'spine')
  const leaves = plan.nodes.filter((n) => n.role === 'leaf')
  const leafIndex = new Map(leaves.map((n, i) => [n.name, i]))
  const leavesOf = new Map<string, number[]>()
  for (const link of plan.links) {
    for (const [self, other] of [[link.a, link.b], [link.b, link.a]]) {
      if (leafIndex.has(other.node)) leavesOf.set(self.node, [...(leavesOf.get(self.node) ?? []), leafIndex.get(other.node)!])
    }
  }
  const hosts = plan.nodes
    .map((node, order) => ({node, order, key: mean(leavesOf.get(node.name) ?? []) ?? leaves.length}))
    .filter((h) => h.node.role === 'host')
    .sort((p, q) => p.key - q.key || p.order - q.order)
    .map((h) => h.node)
  return {spines, leaves, hosts}
}

/** Links top-down (upper end first), ordered by tier, then left to right at both ends. */
function orderedLinks(plan: LabPlan): {upper: PlannedLink['a']; lower: PlannedLink['b']}[] {
  const roles = new Map(plan.nodes.map((n) => [n.name, n.role]))
  const {spines, leaves, hosts} = tiers(plan)
  const position = new Map([...spines, ...leaves, ...hosts].map((n, i) => [n.name, i]))
  return plan.links
    .map((link) => topDown(link, roles))
    .sort((p, q) => position.get(p.upper.node)! - position.get(q.upper.node)! || position.get(p.lower.node)! - position.get(q.lower.node)! || p.upper.port.localeCompare(q.upper.port, 'en', {numeric: true}))
}

interface Attachment {
  link: number
  port: string
  far: string // the node at the other end
}

export function layoutGraph(plan: LabPlan): GraphLayout {
  const roles = new Map(plan.nodes.map((n) => [n.name, n.role]))
  const ends = plan.links.map((link) => topDown(link, roles))

  // Which wires leave each node downwards (bottom edge) and upwards (top edge).
  const bottom = new Map<string, Attachment[]>(plan.nodes.map((n) => [n.name, []]))
  const topSide = new Map<string, Attachment[]>(plan.nodes.map((n) => [n.name, []]))
  ends.forEach(({upper, lower}, link) => {
    bottom.get(upper.node)!.push({link, port: upper.port, far: lower.node})
    topSide.get(lower.node)!.push({link, port: lower.port, far: upper.node})
  })
  const neighbours = (name: string) => [...bottom.get(name)!, ...topSide.get(name)!].map((a) => a.far)

  // Every box in a row has the same width: enough for its text and for its port labels side by side.
  const portsWidth = (list: Attachment[]) => list.length * (Math.max(0, ...list.map((a) => textWidth(a.port, PORT_SIZE))) + PORT_GAP)
  const rowWidth = (row: PlannedNode[]) =>
    Math.ceil(
      Math.max(
        120,
        ...row.map((node) => {
          const [name, routing, address] = nodeLines(node)
          const text = Math.max(textWidth(name, NAME_SIZE, true), textWidth(routing, DETAIL_SIZE), textWidth(address, DETAIL_SIZE)) + 20
          return Math.max(text, portsWidth(bottom.get(node.name)!) + 16, portsWidth(topSide.get(node.name)!) + 16)
        }),
      ) / 2,
    ) * 2

  const {spines, leaves, hosts} = tiers(plan)
  const rows = [spines, leaves, hosts].filter((row) => row.length > 0)
  const widthOf = new Map<string, number>()
  for (const row of rows) {
    const width = rowWidth(row)
    for (const node of row) widthOf.set(node.name, width)
  }
  const pitch = (row: PlannedNode[]) => widthOf.get(row[0]?.name)! + ROW_GAP

  // Pack hosts, centre leaves over them, then hosts under the mean of their leaves (so a
  // dual-attached host lands between its two) and spines over the mean of their leaves.
  const x = new Map<string, number>()
  const place = (row: PlannedNode[], ideal: (number | undefined)[]) => {
    if (row.length === 0) return
    spread(fillIdeal(ideal, pitch(row)), pitch(row)).forEach((value, i) => x.set(row[i].name, value))
  }
  const idealFrom = (row: PlannedNode[], role: Role) =>
    row.map((n) => mean(neighbours(n.name).filter((p) => roles.get(p) === role && x.has(p)).map((p) => x.get(p)!)))
  place(hosts, hosts.map((_, i) => i * pitch(hosts)))
  place(leaves, idealFrom(leaves, 'host'))
  place(hosts, idealFrom(hosts, 'leaf'))
  const leafCentre = mean(leaves.map((n) => x.get(n.name)!))
  place(spines, idealFrom(spines, 'leaf').map((v) => v ?? leafCentre))

  // Canvas: content centred, at least wide enough for the legend and a readable header.
  const placed = [...x.entries()]
  const contentLeft = Math.min(0, ...placed.map(([name, cx]) => cx - widthOf.get(name)! / 2))
  const contentRight = Math.max(0, ...placed.map(([name, cx]) => cx + widthOf.get(name)! / 2))
  const width = Math.ceil(Math.max(contentRight - contentLeft + 2 * MARGIN, 640))
  const shift = (width - (contentRight - contentLeft)) / 2 - contentLeft
  const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`
  const summary = [
    plan.routingMode === 'numbered' ? 'numbered BGP' : 'BGP unnumbered',
    [plural(spines.length, 'spine', 'spines'), plural(leaves.length, 'leaf', 'leaves'), plural(hosts.length, 'host', 'hosts')].join(', '),
    plural(plan.links.length, 'link', 'links'),
  ].join(' · ')
  const headerLines = [...wrap(plan.description, Math.floor((width - 2 * MARGIN) / (12 * 0.6))), summary]

  // Rows top to bottom. The gap grows with how far links reach sideways, so long wires are not flat.
  const reach = (upper: PlannedNode[]) => {
    const members = new Set(upper.map((n) => n.name))
    return Math.max(0, ...ends.filter((e) => members.has(e.upper.node)).map((e) => Math.abs(x.get(e.upper.node)! - x.get(e.lower.node)!)))
  }
  const rowTop = new Map<PlannedNode[], number>()
  let top = MARGIN + 36 + headerLines.length * 17 + 12
  rows.forEach((row, i) => {
    rowTop.set(row, top)
    top += BOX_HEIGHT
    if (i < rows.length - 1) top += Math.round(Math.min(row === spines ? 360 : 240, Math.max(2 * STUB + 60, reach(row) * 0.2)))
  })
  const boxes: GraphBox[] = rows.flatMap((row) => row.map((node) => ({node, x: x.get(node.name)! + shift, y: rowTop.get(row)!, width: widthOf.get(node.name)!})))
  const boxOf = new Map(boxes.map((b) => [b.node.name, b]))

  // Attachment points spread evenly along an edge, in the order of the far ends, so wires do not
  // cross at the box; each port label sits on its wire's straight stub.
  const attachX = new Map<string, number>() // `${link} ${node}` → x
  const ports: GraphPort[] = []
  for (const [side, sides] of [['bottom', bottom], ['top', topSide]] as const) {
    for (const [node, list] of sides) {
      const box = boxOf.get(node)!
      const inner = box.width - 16
      const sorted = [...list].sort((p, q) => boxOf.get(p.far)!.x - boxOf.get(q.far)!.x || p.port.localeCompare(q.port, 'en', {numeric: true}))
      sorted.forEach((a, i) => {
        const ax = box.x - inner / 2 + ((i + 0.5) * inner) / sorted.length
        attachX.set(`${a.link} ${node}`, ax)
        const baseline = side === 'bottom' ? box.y + BOX_HEIGHT + STUB / 2 + PORT_SIZE * 0.35 : box.y - STUB / 2 + PORT_SIZE * 0.35
        ports.push({text: a.port, node, x: ax, y: baseline})
      })
    }
  }
  ports.sort((p, q) => p.y - q.y || p.x - q.x)
  const wires: GraphWire[] = ends.map(({upper, lower}, i) => ({
    link: plan.links[i],
    x1: attachX.get(`${i} ${upper.node}`)!,
    y1: boxOf.get(upper.node)!.y + BOX_HEIGHT,
    x2: attachX.get(`${i} ${lower.node}`)!,
    y2: boxOf.get(lower.node)!.y,
  }))

  const legendY = top + 30
  return {width, height: legendY + 14 + MARGIN, headerLines, boxes, wires, ports, legendY}
}

// ---------------------------------------------------------------------------------------------
// SVG

/** Numbers with at most one decimal and never "-0", so output is stable and small. */
function n(value: number): string {
  const rounded = Math.round(value * 10) / 10
  return Object.is(rounded, -0) ? '0' : String(rounded)
}

export function graphSvg(plan: LabPlan): string {
  const layout = layoutGraph(plan)
  const {width, height} = layout
  const out: string[] = []
  out.push('<?xml version="1.0" encoding="UTF-8"?>')
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${n(height)}" viewBox="0 0 ${width} ${n(height)}" font-family="${escapeXml(FONT)}">`)
  out.push(`<title>${escapeXml(plan.name)}</title>`)
  if (plan.description) out.push(`<desc>${escapeXml(plan.description)}</desc>`)
  out.push('<style>')
  out.push(`.wire{stroke:#8a93a0;stroke-width:1.2;fill:none}`)
  out.push(`.port{font-size:${PORT_SIZE}px;fill:#33363b;text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}`)
  out.push(`.name{font-size:${NAME_SIZE}px;font-weight:bold;fill:#1d1f22;text-anchor:middle}`)
  out.push(`.detail{font-size:${DETAIL_SIZE}px;fill:#3a3d42;text-anchor:middle}`)
  out.push(`.title{font-size:16px;font-weight:bold;fill:#1d1f22}`)
  out.push(`.header{font-size:12px;fill:#4a4d52}`)
  out.push(`.legend{font-size:11px;fill:#3a3d42}`)
  for (const [style, {fill, stroke}] of Object.entries(STYLES)) out.push(`.${style} rect{fill:${fill};stroke:${stroke};stroke-width:1.5}`)
  out.push('</style>')
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`)

  out.push(`<text class="title" x="${MARGIN}" y="${MARGIN + 14}">${escapeXml(plan.name)}</text>`)
  layout.headerLines.forEach((line, i) => out.push(`<text class="header" x="${MARGIN}" y="${MARGIN + 36 + i * 17}">${escapeXml(line)}</text>`))

  out.push('<g class="links">')
  for (const wire of layout.wires) {
    const {a, b, subnet} = wire.link
    const end = (e: typeof a) => `${e.node}:${e.port}${e.ipv4 ? ` ${e.ipv4}` : ''}`
    const tip = `${end(a)} ↔ ${end(b)}${subnet ? ` (${subnet})` : ''}`
    const d = `M${n(wire.x1)} ${n(wire.y1)}V${n(wire.y1 + STUB)}L${n(wire.x2)} ${n(wire.y2 - STUB)}V${n(wire.y2)}`
    out.push(`<path class="wire" data-a="${escapeXml(`${a.node}:${a.port}`)}" data-b="${escapeXml(`${b.node}:${b.port}`)}" d="${d}"><title>${escapeXml(tip)}</title></path>`)
  }
  out.push('</g>')

  out.push('<g class="nodes">')
  for (const box of layout.boxes) {
    const [name, routing, address] = nodeLines(box.node).map(escapeXml)
    const left = box.x - box.width / 2
    out.push(`<g class="node ${styleOf(box.node)}" id="node-${escapeXml(box.node.name)}" data-node="${escapeXml(box.node.name)}" data-role="${box.node.role}">`)
    out.push(`<rect x="${n(left)}" y="${n(box.y)}" width="${box.width}" height="${BOX_HEIGHT}" rx="8" ry="8"/>`)
    out.push(`<text class="name" x="${n(box.x)}" y="${n(box.y + 19)}">${name}</text>`)
    out.push(`<text class="detail" x="${n(box.x)}" y="${n(box.y + 35)}">${routing}</text>`)
    out.push(`<text class="detail" x="${n(box.x)}" y="${n(box.y + 50)}">${address}</text>`)
    out.push('</g>')
  }
  out.push('</g>')

  out.push('<g class="ports">')
  for (const port of layout.ports) out.push(`<text class="port" data-node="${escapeXml(port.node)}" x="${n(port.x)}" y="${n(port.y)}">${escapeXml(port.text)}</text>`)
  out.push('</g>')

  out.push('<g class="legend">')
  let lx = MARGIN
  for (const [style, {legend}] of Object.entries(STYLES)) {
    out.push(`<g class="${style}"><rect x="${lx}" y="${n(layout.legendY)}" width="22" height="14" rx="4" ry="4"/></g>`)
    out.push(`<text class="legend" x="${lx + 28}" y="${n(layout.legendY + 11)}">${escapeXml(legend)}</text>`)
    lx += 28 + Math.ceil(textWidth(legend, 11)) + 18
  }
  out.push('</g>')
  out.push('</svg>')
  return `${out.join('\n')}\n`
}

// ---------------------------------------------------------------------------------------------
// Mermaid: ids are prefixed so no node name can collide with a keyword ("end") or an edge token.

const mermaidId = (name: string) => `n_${name.replace(/-/g, '_')}`
const mermaidText = (text: string) => text.replace(/["<>&#]/g, (c) => `#${c.charCodeAt(0)};`)

export function graphMermaid(plan: LabPlan): string {
  const out: string[] = [`%% ${plan.name}${plan.description ? `: ${plan.description.replace(/\s+/g, ' ')}` : ''}`, 'flowchart TB']
  for (const node of plan.nodes) out.push(`  ${mermaidId(node.name)}["${nodeLines(node).map(mermaidText).join('<br/>')}"]`)
  for (const {upper, lower} of orderedLinks(plan)) {
    out.push(`  ${mermaidId(upper.node)} ---|"${mermaidText(upper.port)} ↔ ${mermaidText(lower.port)}"| ${mermaidId(lower.node)}`)
  }
  for (const [style, {fill, stroke}] of Object.entries(STYLES)) {
    const members = plan.nodes.filter((node) => styleOf(node) === style).map((node) => mermaidId(node.name))
    const className = style.replace(/-/g, '_')
    out.push(`  classDef ${className} fill:${fill},stroke:${stroke},color:#1d1f22`)
    if (members.length) out.push(`  class ${members.join(',')} ${className}`)
  }
  return `${out.join('\n')}\n`
}

// ---------------------------------------------------------------------------------------------
// Graphviz dot: tiers as rank=same groups; each edge runs from the upper node to the lower one.

const dotEscape = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\s+/g, ' ')
const dotString = (text: string) => `"${dotEscape(text)}"`

export function graphDot(plan: LabPlan): string {
  const roles = new Map(plan.nodes.map((n) => [n.name, n.role]))
  // "\n" in a dot label is a line break; the text around it is escaped.
  const label = `"${[plan.name, plan.description].filter(Boolean).map(dotEscape).join('\\n')}"`
  const out: string[] = [
    `graph ${dotString(plan.name)} {`,
    `  graph [label=${label}, labelloc=t, fontname="Helvetica", fontsize=14, rankdir=TB, ranksep=1.2, nodesep=0.35, ordering=out]`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, penwidth=1.5]',
    '  edge [color="#8a93a0", fontname="Helvetica", labelfontsize=9, labelfontcolor="#33363b", labeldistance=1.6]',
  ]
  // One rank per tier; an invisible chain keeps each tier in the SVG's left-to-right order.
  const {spines, leaves, hosts} = tiers(plan)
  for (const row of [spines, leaves, hosts]) {
    if (row.length === 0) continue
    const names = row.map((m) => dotString(m.name))
    out.push(`  { rank=same; ${names.join('; ')}${names.length > 1 ? `; ${names.join(' -- ')} [style=invis]` : ''} }`)
  }
  for (const node of [...spines, ...leaves, ...hosts]) {
    const {fill, stroke} = STYLES[styleOf(node)]
    const text = nodeLines(node).map(dotEscape).join('\\n')
    out.push(`  ${dotString(node.name)} [label="${text}", fillcolor="${fill}", color="${stroke}"]`)
  }
  for (const {upper, lower} of orderedLinks(plan)) {
    // Host links weigh more, so each leaf is drawn over its hosts rather than bunched under the spines.
    const weight = roles.get(lower.node) === 'host' ? ', weight=8' : ''
    out.push(`  ${dotString(upper.node)} -- ${dotString(lower.node)} [taillabel=${dotString(upper.port)}, headlabel=${dotString(lower.port)}${weight}]`)
  }
  out.push('}')
  return `${out.join('\n')}\n`
}
