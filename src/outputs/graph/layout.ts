// The picture's geometry: centred rows (super-spines, spines, routers, leaves, hosts). Hosts sit under the mean of
// their leaves (a dual-attached host between its two), leaves over the mean of their hosts, spines
// over the mean of their leaves. Pure and deterministic: the same plan gives the same layout.
import type {LabPlan, PlannedLink, PlannedNode} from '../../plan/plan.js'
import type {Role} from '../../kinds/roles/index.js'
import {plural} from '../../util/text.js'
import {nodeLines} from './style.js'
import {mean, rolesOf, rowsOf, tiers, topDown, type LinkEnds, type Tiers} from './tiers.js'

export const MARGIN = 24
export const NAME_SIZE = 13
export const DETAIL_SIZE = 11
export const PORT_SIZE = 10
export const BOX_HEIGHT = 58
const ROW_GAP = 34 // horizontal space between neighbouring boxes
export const STUB = 24 // a wire leaves its box straight for this long; the port label sits on that stub
const PORT_GAP = 8 // horizontal space between neighbouring port labels
export const HEADER_TOP = MARGIN + 36 // baseline of the first header line, under the title
export const HEADER_LINE = 17 // header line spacing

/** Rough width of text in a sans-serif face; generous so boxes and labels never clip or touch. */
export function textWidth(text: string, size: number, bold = false): number {
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

/** Greedy word wrap at `maxChars`; a word longer than that gets a line of its own. */
export function wrap(text: string, maxChars: number): string[] {
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

// ---------------------------------------------------------------------------------------------
// layoutGraph and its steps, in the order it runs them.

/** One wire at one box edge. */
interface Attachment {
  link: number // index in plan.links
  port: string
  far: string // the node at the other end
}

/** Which wires leave each node downwards (its bottom edge) and upwards (its top edge). */
interface Edges {
  bottom: Map<string, Attachment[]>
  top: Map<string, Attachment[]>
}

function attachments(plan: LabPlan, ends: LinkEnds[]): Edges {
  const bottom = new Map<string, Attachment[]>(plan.nodes.map((n) => [n.name, []]))
  const top = new Map<string, Attachment[]>(plan.nodes.map((n) => [n.name, []]))
  ends.forEach(({upper, lower}, link) => {
    bottom.get(upper.node)!.push({link, port: upper.port, far: lower.node})
    top.get(lower.node)!.push({link, port: lower.port, far: upper.node})
  })
  return {bottom, top}
}

/** Every box in a row has the same width: enough for its text and for its port labels side by side. */
function boxWidths(rows: PlannedNode[][], edges: Edges): Map<string, number> {
  const portsWidth = (list: Attachment[]) => list.length * (Math.max(0, ...list.map((a) => textWidth(a.port, PORT_SIZE))) + PORT_GAP)
  const nodeWidth = (node: PlannedNode) => {
    const [name, routing, address] = nodeLines(node)
    const text = Math.max(textWidth(name, NAME_SIZE, true), textWidth(routing, DETAIL_SIZE), textWidth(address, DETAIL_SIZE)) + 20
    return Math.max(text, portsWidth(edges.bottom.get(node.name)!) + 16, portsWidth(edges.top.get(node.name)!) + 16)
  }
  const widthOf = new Map<string, number>()
  for (const row of rows) {
    const width = Math.ceil(Math.max(120, ...row.map(nodeWidth)) / 2) * 2 // even: half a box is whole pixels
    for (const node of row) widthOf.set(node.name, width)
  }
  return widthOf
}

/**
 * Box centres, before centring on the canvas. Pack hosts, centre leaves over them, then hosts
 * under the mean of their leaves (so a dual-attached host lands between its two) and spines over
 * the mean of their leaves.
 */
function columns(plan: LabPlan, {supers, spines, routers, leaves, hosts}: Tiers, edges: Edges, widthOf: Map<string, number>): Map<string, number> {
  const roles = rolesOf(plan)
  const neighbours = (name: string) => [...edges.bottom.get(name)!, ...edges.top.get(name)!].map((a) => a.far)
  const pitch = (row: PlannedNode[]) => widthOf.get(row[0]?.name)! + ROW_GAP
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
  place(supers, idealFrom(supers, 'spine'))
  // Routers over (or under) whatever they are linked to, once that is placed.
  place(routers, routers.map((n) => mean(neighbours(n.name).filter((p) => x.has(p)).map((p) => x.get(p)!))))
  return x
}

/** Canvas width, at least wide enough for the legend and a readable header, and the shift that centres the content. */
function canvas(x: Map<string, number>, widthOf: Map<string, number>): {width: number; shift: number} {
  const placed = [...x.entries()]
  const contentLeft = Math.min(0, ...placed.map(([name, cx]) => cx - widthOf.get(name)! / 2))
  const contentRight = Math.max(0, ...placed.map(([name, cx]) => cx + widthOf.get(name)! / 2))
  const width = Math.ceil(Math.max(contentRight - contentLeft + 2 * MARGIN, 640))
  return {width, shift: (width - (contentRight - contentLeft)) / 2 - contentLeft}
}

/** The description wrapped to the canvas, then a one-line summary of the fabric. */
function header(plan: LabPlan, {supers, spines, routers, leaves, hosts}: Tiers, width: number): string[] {
  const summary = [
    plan.protocol === 'ospf' ? 'OSPF area 0' : plan.routingMode === 'numbered' ? 'numbered BGP' : 'BGP unnumbered',
    [
      ...(supers.length > 0 ? [plural(supers.length, 'super-spine', 'super-spines')] : []),
      plural(spines.length, 'spine', 'spines'),
      ...(routers.length > 0 ? [plural(routers.length, 'router', 'routers')] : []),
      plural(leaves.length, 'leaf', 'leaves'),
      plural(hosts.length, 'host', 'hosts'),
    ].join(', '),
    plural(plan.links.length, 'link', 'links'),
  ].join(' · ')
  return [...wrap(plan.description, Math.floor((width - 2 * MARGIN) / (12 * 0.6))), summary]
}

/**
 * The top of each row, top to bottom, and the bottom of the last. The gap under a row grows with
 * how far its links reach sideways, so long wires are not flat.
 */
function rowTops(rows: PlannedNode[][], spines: PlannedNode[], ends: LinkEnds[], x: Map<string, number>, headerLines: number): {rowTop: Map<PlannedNode[], number>; bottom: number} {
  const reach = (upper: PlannedNode[]) => {
    const members = new Set(upper.map((n) => n.name))
    return Math.max(0, ...ends.filter((e) => members.has(e.upper.node)).map((e) => Math.abs(x.get(e.upper.node)! - x.get(e.lower.node)!)))
  }
  const rowTop = new Map<PlannedNode[], number>()
  let top = HEADER_TOP + headerLines * HEADER_LINE + 12
  rows.forEach((row, i) => {
    rowTop.set(row, top)
    top += BOX_HEIGHT
    if (i < rows.length - 1) top += Math.round(Math.min(row === spines ? 360 : 240, Math.max(2 * STUB + 60, reach(row) * 0.2)))
  })
  return {rowTop, bottom: top}
}

/**
 * Attachment points spread evenly along each box edge, in the order of the far ends so wires do
 * not cross at the box; each port label sits on its wire's straight stub.
 */
function attachPorts(edges: Edges, boxOf: Map<string, GraphBox>): {attachX: Map<string, number>; ports: GraphPort[]} {
  const attachX = new Map<string, number>() // `${link} ${node}` → x
  const ports: GraphPort[] = []
  for (const [side, sides] of [['bottom', edges.bottom], ['top', edges.top]] as const) {
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
  return {attachX, ports}
}

export function layoutGraph(plan: LabPlan): GraphLayout {
  const roles = rolesOf(plan)
  const ends = plan.links.map((link) => topDown(link, roles))
  const edges = attachments(plan, ends)
  const rowsByTier = tiers(plan)
  const rows = rowsOf(rowsByTier)
  const widthOf = boxWidths(rows, edges)
  const x = columns(plan, rowsByTier, edges, widthOf)
  const {width, shift} = canvas(x, widthOf)
  const headerLines = header(plan, rowsByTier, width)
  const {rowTop, bottom} = rowTops(rows, rowsByTier.spines, ends, x, headerLines.length)

  const boxes: GraphBox[] = rows.flatMap((row) => row.map((node) => ({node, x: x.get(node.name)! + shift, y: rowTop.get(row)!, width: widthOf.get(node.name)!})))
  const boxOf = new Map(boxes.map((b) => [b.node.name, b]))
  const {attachX, ports} = attachPorts(edges, boxOf)
  const wires: GraphWire[] = ends.map(({upper, lower}, i) => ({
    link: plan.links[i],
    x1: attachX.get(`${i} ${upper.node}`)!,
    y1: boxOf.get(upper.node)!.y + BOX_HEIGHT,
    x2: attachX.get(`${i} ${lower.node}`)!,
    y2: boxOf.get(lower.node)!.y,
  }))

  const legendY = bottom + 30
  return {width, height: legendY + 14 + MARGIN, headerLines, boxes, wires, ports, legendY}
}
