// A three-tier SVG of the plan (spines, leaves, hosts), drawn from layoutGraph: self-contained
// (styles inline, no scripts), with a title, a header, port labels and a legend.
import type {LabPlan} from '../../plan/plan.js'
import {escapeXml} from '../../util/xml.js'
import type {OutputSpec} from '../index.js'
import {BOX_HEIGHT, DETAIL_SIZE, HEADER_LINE, HEADER_TOP, layoutGraph, MARGIN, NAME_SIZE, PORT_SIZE, STUB, textWidth, type GraphBox, type GraphLayout, type GraphWire} from './layout.js'
import {nodeLines, STYLES, styleOf} from './style.js'

const FONT = "'DejaVu Sans', Verdana, Arial, Helvetica, sans-serif"

/** Numbers with at most one decimal and never "-0", so output is stable and small. */
function num(value: number): string {
  const rounded = Math.round(value * 10) / 10
  return Object.is(rounded, -0) ? '0' : String(rounded)
}

/** The XML prolog, the <svg> root with its size, title and description, and the stylesheet. */
function preamble(plan: LabPlan, {width, height}: GraphLayout): string[] {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${num(height)}" viewBox="0 0 ${width} ${num(height)}" font-family="${escapeXml(FONT)}">`,
    `<title>${escapeXml(plan.name)}</title>`,
    ...(plan.description ? [`<desc>${escapeXml(plan.description)}</desc>`] : []),
    '<style>',
    `.wire{stroke:#8a93a0;stroke-width:1.2;fill:none}`,
    `.port{font-size:${PORT_SIZE}px;fill:#33363b;text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}`,
    `.name{font-size:${NAME_SIZE}px;font-weight:bold;fill:#1d1f22;text-anchor:middle}`,
    `.detail{font-size:${DETAIL_SIZE}px;fill:#3a3d42;text-anchor:middle}`,
    `.title{font-size:16px;font-weight:bold;fill:#1d1f22}`,
    `.header{font-size:12px;fill:#4a4d52}`,
    `.legend{font-size:11px;fill:#3a3d42}`,
    ...Object.entries(STYLES).map(([style, {fill, stroke}]) => `.${style} rect{fill:${fill};stroke:${stroke};stroke-width:1.5}`),
    '</style>',
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ]
}

/** The lab's name as the title, then the header lines under it. */
function heading(plan: LabPlan, layout: GraphLayout): string[] {
  return [
    `<text class="title" x="${MARGIN}" y="${MARGIN + 14}">${escapeXml(plan.name)}</text>`,
    ...layout.headerLines.map((line, i) => `<text class="header" x="${MARGIN}" y="${HEADER_TOP + i * HEADER_LINE}">${escapeXml(line)}</text>`),
  ]
}

/** A wire as a path, with both ends as data attributes and a hover tip naming ports and addresses. */
function wirePath(wire: GraphWire): string {
  const {a, b, subnet} = wire.link
  const end = (e: typeof a) => `${e.node}:${e.port}${e.ipv4 ? ` ${e.ipv4}` : ''}`
  const tip = `${end(a)} ↔ ${end(b)}${subnet ? ` (${subnet})` : ''}`
  const d = `M${num(wire.x1)} ${num(wire.y1)}V${num(wire.y1 + STUB)}L${num(wire.x2)} ${num(wire.y2 - STUB)}V${num(wire.y2)}`
  return `<path class="wire" data-a="${escapeXml(`${a.node}:${a.port}`)}" data-b="${escapeXml(`${b.node}:${b.port}`)}" d="${d}"><title>${escapeXml(tip)}</title></path>`
}

/** A node: a rounded box coloured by its style, with its name, routing and address. */
function nodeBox(box: GraphBox): string[] {
  const [name, routing, address] = nodeLines(box.node).map(escapeXml)
  const left = box.x - box.width / 2
  return [
    `<g class="node ${styleOf(box.node)}" id="node-${escapeXml(box.node.name)}" data-node="${escapeXml(box.node.name)}" data-role="${box.node.role}">`,
    `<rect x="${num(left)}" y="${num(box.y)}" width="${box.width}" height="${BOX_HEIGHT}" rx="8" ry="8"/>`,
    `<text class="name" x="${num(box.x)}" y="${num(box.y + 19)}">${name}</text>`,
    `<text class="detail" x="${num(box.x)}" y="${num(box.y + 35)}">${routing}</text>`,
    `<text class="detail" x="${num(box.x)}" y="${num(box.y + 50)}">${address}</text>`,
    '</g>',
  ]
}

/** One swatch and caption per style, left to right along the bottom. */
function legend(layout: GraphLayout): string[] {
  const out: string[] = []
  let left = MARGIN
  for (const [style, {legend: caption}] of Object.entries(STYLES)) {
    out.push(`<g class="${style}"><rect x="${left}" y="${num(layout.legendY)}" width="22" height="14" rx="4" ry="4"/></g>`)
    out.push(`<text class="legend" x="${left + 28}" y="${num(layout.legendY + 11)}">${escapeXml(caption)}</text>`)
    left += 28 + Math.ceil(textWidth(caption, 11)) + 18
  }
  return out
}

/** `<g class="name">`, its children, `</g>`. */
const group = (name: string, children: string[]): string[] => [`<g class="${name}">`, ...children, '</g>']

function graphSvg(plan: LabPlan): string {
  const layout = layoutGraph(plan)
  const ports = layout.ports.map((port) => `<text class="port" data-node="${escapeXml(port.node)}" x="${num(port.x)}" y="${num(port.y)}">${escapeXml(port.text)}</text>`)
  // Wires first, so boxes and port labels are drawn over them.
  const out = [
    ...preamble(plan, layout),
    ...heading(plan, layout),
    ...group('links', layout.wires.map(wirePath)),
    ...group('nodes', layout.boxes.flatMap(nodeBox)),
    ...group('ports', ports),
    ...group('legend', legend(layout)),
    '</svg>',
  ]
  return `${out.join('\n')}\n`
}

export const svgOutput: OutputSpec = {name: 'svg', extensions: ['.svg'], render: graphSvg}
