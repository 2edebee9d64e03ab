// Graph outputs, pure tier: the SVG is well-formed, complete, in three tiers and legible; Mermaid and dot name every link; the registry finds them.
import {spawnSync} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {XMLParser, XMLValidator} from 'fast-xml-parser'
import {describe, expect, it} from 'vitest'
import {planFromText} from '../../src/topology/load.js'
import type {LabPlan} from '../../src/plan/plan.js'
import {dotOutput} from '../../src/outputs/graph/dot.js'
import {spread} from '../../src/outputs/graph/layout.js'
import {mermaidOutput} from '../../src/outputs/graph/mermaid.js'
import {svgOutput} from '../../src/outputs/graph/svg.js'
import {tiers} from '../../src/outputs/graph/tiers.js'
import {DEFAULT_OUTPUT, getOutput, outputForExtension, outputNames, OUTPUTS} from '../../src/outputs/index.js'

const graphSvg = (plan: LabPlan) => svgOutput.render(plan)
const graphMermaid = (plan: LabPlan) => mermaidOutput.render(plan)
const graphDot = (plan: LabPlan) => dotOutput.render(plan)

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const TOPOLOGIES = readdirSync(path.join(ROOT, 'topologies')).filter((f) => f.endsWith('.yaml')).sort()

function planOf(file: string): LabPlan {
  return planFromText(readFileSync(path.join(ROOT, 'topologies', file), 'utf8'), `topologies/${file}`).plan
}

function planFromYaml(yaml: string): LabPlan {
  return planFromText(yaml, 'inline.yaml').plan
}

type Element = Record<string, unknown>
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])

interface ParsedSvg {
  width: number
  height: number
  boxes: {node: string; role: string; className: string; x: number; y: number; width: number; height: number; texts: string[]}[]
  ports: {node: string; text: string; x: number; y: number}[]
  wires: {a: string; b: string; d: string}[]
}

/** The SVG as the picture's parts: node boxes, port labels and wires, with their coordinates. */
function parseSvg(svg: string): ParsedSvg {
  const xml = new XMLParser({ignoreAttributes: false, attributeNamePrefix: '', textNodeName: '#text', parseAttributeValue: false, parseTagValue: false}).parse(svg)
  const root = xml.svg as Element
  const groups = list(root.g as Element[])
  const group = (name: string) => groups.find((g) => g.class === name)!
  const boxes = list(group('nodes').g as Element[]).map((g) => {
    const rect = g.rect as Element
    return {
      node: String(g['data-node']),
      role: String(g['data-role']),
      className: String(g.class),
      x: Number(rect.x),
      y: Number(rect.y),
      width: Number(rect.width),
      height: Number(rect.height),
      texts: list(g.text as Element[]).map((t) => String(t['#text'])),
    }
  })
  const ports = list(group('ports').text as Element[]).map((t) => ({node: String(t['data-node']), text: String(t['#text']), x: Number(t.x), y: Number(t.y)}))
  const wires = list(group('links').path as Element[]).map((p) => ({a: String(p['data-a']), b: String(p['data-b']), d: String(p.d)}))
  return {width: Number(root.width), height: Number(root.height), boxes, ports, wires}
}

const portWidth = (text: string) => text.length * 10 * 0.55 // DejaVu Sans at 10px is narrower than this on average

describe.each(TOPOLOGIES)('graph of %s', (file) => {
  const plan = planOf(file)
  const svg = graphSvg(plan)
  const picture = parseSvg(svg)

  it('is well-formed XML with an <svg> root and a size', () => {
    expect(XMLValidator.validate(svg)).toBe(true)
    expect(svg.startsWith('<?xml')).toBe(true)
    expect(picture.width).toBeGreaterThan(0)
    expect(picture.height).toBeGreaterThan(0)
  })

  it('draws every node once, with its name, and stays inside the canvas', () => {
    expect(picture.boxes.map((b) => b.node).sort()).toEqual(plan.nodes.map((n) => n.name).sort())
    for (const box of picture.boxes) {
      expect(box.texts[0]).toBe(box.node)
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(picture.width)
      expect(box.y + box.height).toBeLessThanOrEqual(picture.height)
    }
  })

  it('puts spines above leaves above hosts, and boxes in a row do not overlap', () => {
    const rows = ['spine', 'leaf', 'host'].map((role) => picture.boxes.filter((b) => b.role === role))
    for (const row of rows) expect(new Set(row.map((b) => b.y)).size).toBe(1)
    const [spines, leaves, hosts] = rows
    expect(spines[0].y + spines[0].height).toBeLessThan(leaves[0].y)
    expect(leaves[0].y + leaves[0].height).toBeLessThan(hosts[0].y)
    for (const row of rows) {
      const sorted = [...row].sort((p, q) => p.x - q.x)
      for (let i = 1; i < sorted.length; i++) expect(sorted[i].x).toBeGreaterThanOrEqual(sorted[i - 1].x + sorted[i - 1].width + 10)
    }
  })

  it('labels both ends of every link with the port name, beside its own node', () => {
    const expected = plan.links.flatMap((l) => [`${l.a.node}:${l.a.port}`, `${l.b.node}:${l.b.port}`]).sort()
    expect(picture.ports.map((p) => `${p.node}:${p.text}`).sort()).toEqual(expected)
    const boxOf = new Map(picture.boxes.map((b) => [b.node, b]))
    for (const port of picture.ports) {
      const box = boxOf.get(port.node)!
      expect(port.x).toBeGreaterThan(box.x)
      expect(port.x).toBeLessThan(box.x + box.width)
      const distance = Math.min(Math.abs(port.y - box.y), Math.abs(port.y - (box.y + box.height)))
      expect(distance).toBeLessThan(25)
    }
  })

  it('does not let port labels overlap each other', () => {
    const byBand = new Map<number, typeof picture.ports>()
    for (const port of picture.ports) byBand.set(port.y, [...(byBand.get(port.y) ?? []), port])
    for (const band of byBand.values()) {
      const sorted = [...band].sort((p, q) => p.x - q.x)
      for (let i = 1; i < sorted.length; i++) {
        expect(sorted[i].x - sorted[i - 1].x, `${sorted[i - 1].node}:${sorted[i - 1].text} vs ${sorted[i].node}:${sorted[i].text}`).toBeGreaterThan((portWidth(sorted[i].text) + portWidth(sorted[i - 1].text)) / 2)
      }
    }
  })

  it('draws one wire per link', () => {
    expect(picture.wires.map((w) => `${w.a} ${w.b}`).sort()).toEqual(plan.links.map((l) => `${l.a.node}:${l.a.port} ${l.b.node}:${l.b.port}`).sort())
  })

  it('marks hosts that route with BGP', () => {
    for (const node of plan.nodes.filter((n) => n.role === 'host')) {
      const box = picture.boxes.find((b) => b.node === node.name)!
      if (node.routing === 'bgp') {
        expect(box.className).toContain('bgp-host')
        expect(box.texts.join(' ')).toContain('BGP')
      } else {
        expect(box.className).not.toContain('bgp-host')
        expect(box.texts.join(' ')).not.toContain('BGP')
      }
    }
  })

  it('is deterministic: the same file gives the same bytes in every format', () => {
    const again = planOf(file)
    for (const output of OUTPUTS) expect(output.render(again)).toBe(output.render(plan))
  })

  it('mermaid: a top-down flowchart declaring every node and every link with both ports', () => {
    const mermaid = graphMermaid(plan)
    const lines = mermaid.split('\n')
    expect(lines).toContain('flowchart TB')
    for (const node of plan.nodes) expect(mermaid).toMatch(new RegExp(`^  n_${node.name.replace(/-/g, '_')}\\["${node.name}<br/>`, 'm'))
    const tier = (name: string) => ['super-spine', 'spine', 'router', 'leaf', 'host'].indexOf(plan.nodes.find((n) => n.name === name)!.role)
    for (const link of plan.links) {
      const [upper, lower] = tier(link.a.node) < tier(link.b.node) ? [link.a, link.b] : [link.b, link.a]
      expect(lines).toContain(`  n_${upper.node} ---|"${upper.port} ↔ ${lower.port}"| n_${lower.node}`)
    }
    expect(lines.filter((l) => l.includes('---|'))).toHaveLength(plan.links.length)
  })

  it('dot: an undirected graph with a rank per tier and every link with both ports', () => {
    const dot = graphDot(plan)
    expect(dot.startsWith(`graph "${plan.name}" {`)).toBe(true)
    expect(dot.trimEnd().endsWith('}')).toBe(true)
    const tier = (name: string) => ['super-spine', 'spine', 'router', 'leaf', 'host'].indexOf(plan.nodes.find((n) => n.name === name)!.role)
    for (const link of plan.links) {
      const [upper, lower] = tier(link.a.node) < tier(link.b.node) ? [link.a, link.b] : [link.b, link.a]
      expect(dot).toContain(`"${upper.node}" -- "${lower.node}" [taillabel="${upper.port}", headlabel="${lower.port}"`)
    }
    expect(dot.match(/\{ rank=same;/g)).toHaveLength(new Set(plan.nodes.map((n) => n.role)).size)
  })
})


describe('graph layout', () => {
  it('puts a dual-attached host between its two leaves', () => {
    const plan = planOf('routing-on-the-host.yaml')
    const centre = (name: string) => {
      const box = parseSvg(graphSvg(plan)).boxes.find((b) => b.node === name)!
      return box.x + box.width / 2
    }
    expect(centre('host3')).toBeGreaterThan(centre('leaf1'))
    expect(centre('host3')).toBeLessThan(centre('leaf2'))
    expect(centre('host1')).toBeLessThan(centre('host3'))
    expect(centre('host3')).toBeLessThan(centre('host2'))
    expect(tiers(plan).hosts.map((h) => h.name)).toEqual(['host1', 'host3', 'host2'])
  })

  it('centres each leaf over its own hosts in a generated fabric', () => {
    const picture = parseSvg(graphSvg(planOf('four-spine-eight-leaf.yaml')))
    const centre = (name: string) => {
      const box = picture.boxes.find((b) => b.node === name)!
      return box.x + box.width / 2
    }
    for (let leaf = 1; leaf <= 8; leaf++) {
      expect(Math.abs(centre(`leaf${leaf}`) - (centre(`host${2 * leaf - 1}`) + centre(`host${2 * leaf}`)) / 2)).toBeLessThan(1)
    }
  })

  it('escapes text for XML', () => {
    const plan = planFromYaml(`name: esc
description: "Tom & Jerry's <lab> \\"quoted\\""
fabric: { spines: 1, leaves: 1 }
`)
    const svg = graphSvg(plan)
    expect(XMLValidator.validate(svg)).toBe(true)
    expect(svg).toContain('Tom &amp; Jerry&apos;s &lt;lab&gt; &quot;quoted&quot;')
    const xml = new XMLParser({processEntities: true, htmlEntities: true}).parse(svg)
    expect(xml.svg.desc).toBe(`Tom & Jerry's <lab> "quoted"`)
    expect(graphDot(plan)).toContain(`Tom & Jerry's <lab> \\"quoted\\"`)
    expect(graphMermaid(plan).split('\n')[0]).toBe(`%% esc: Tom & Jerry's <lab> "quoted"`)
  })

  it('does not break for a big fabric (8 spines × 128 leaves × 2 hosts)', () => {
    const plan = planFromYaml('name: big\nfabric: { spines: 8, leaves: 128, hosts_per_leaf: 2 }\n')
    const svg = graphSvg(plan)
    expect(XMLValidator.validate(svg)).toBe(true)
    const picture = parseSvg(svg)
    expect(picture.boxes).toHaveLength(8 + 128 + 256)
    expect(picture.ports).toHaveLength(2 * plan.links.length)
    for (const role of ['spine', 'leaf', 'host']) {
      const row = picture.boxes.filter((b) => b.role === role).sort((p, q) => p.x - q.x)
      for (let i = 1; i < row.length; i++) expect(row[i].x).toBeGreaterThanOrEqual(row[i - 1].x + row[i - 1].width)
    }
    expect(graphMermaid(plan).split('\n').filter((l) => l.includes('---|'))).toHaveLength(plan.links.length)
  })

  it('keeps node names that are Mermaid keywords or contain "-" out of its syntax', () => {
    const plan = planFromYaml(`name: words
fabric: { spines: 1, leaves: 1, hosts_per_leaf: 0 }
nodes:
  end: { role: host }
  o-host: { role: host, routing: bgp }
links:
  - [end:eth1, leaf1:swp1]
  - [o-host:eth1, leaf1:swp2]
`)
    const mermaid = graphMermaid(plan)
    expect(mermaid).toContain('  n_end["end<br/>')
    expect(mermaid).toContain('  n_leaf1 ---|"swp2 ↔ eth1"| n_o_host')
    expect(mermaid).not.toMatch(/^\s*end\b/m)
  })

  it('dot output is accepted by Graphviz (scripts/setup installs graphviz)', () => {
    for (const file of TOPOLOGIES) {
      const result = spawnSync('dot', ['-Tsvg'], {input: graphDot(planOf(file)), encoding: 'utf8'})
      expect(result.stderr).toBe('')
      expect(result.status).toBe(0)
      expect(XMLValidator.validate(result.stdout)).toBe(true)
    }
  })
})

describe('spread', () => {
  it('keeps order and pitch, and leaves well-spaced items where they are', () => {
    expect(spread([0, 100, 300], 50)).toEqual([0, 100, 300])
    const crowded = spread([10, 10, 10], 40)
    expect(crowded).toEqual([-30, 10, 50])
    const mixed = spread([0, 5, 200], 40)
    expect(mixed[1] - mixed[0]).toBeCloseTo(40)
    expect(mixed[2]).toBe(200)
  })
})

describe('output registry', () => {
  it('names every output once, svg first as the default', () => {
    expect(outputNames()).toEqual(['svg', 'mermaid', 'dot'])
    expect(DEFAULT_OUTPUT).toBe(svgOutput)
    for (const name of outputNames()) expect(getOutput(name).name).toBe(name)
  })

  it('maps --out extensions to outputs, ignoring case, and nothing else', () => {
    const nameFor = (ext: string) => outputForExtension(ext)?.name
    expect(['.svg', '.dot', '.gv', '.mmd', '.mermaid', '.SVG', '.Gv'].map(nameFor)).toEqual(['svg', 'dot', 'dot', 'mermaid', 'mermaid', 'svg', 'dot'])
    expect(nameFor('.txt')).toBeUndefined()
    expect(nameFor('')).toBeUndefined()
    const all = OUTPUTS.flatMap((o) => o.extensions)
    expect(new Set(all).size).toBe(all.length)
  })

  it('fails on an unknown name with a suggestion and the known ones', () => {
    expect(() => getOutput('mermiad')).toThrow(/unknown output format "mermiad" \(did you mean "mermaid"\?\)/)
    expect(() => getOutput('png')).toThrow(expect.objectContaining({exitCode: 2, fix: 'use one of: svg, mermaid, dot'}))
  })
})
