// `lab graph` end to end through the built CLI (npm test builds first): formats, --out, --json, exit codes.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {XMLValidator} from 'fast-xml-parser'
import {afterAll, describe, expect, it} from 'vitest'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const scratch = mkdtempSync(path.join(tmpdir(), 'lab-graph-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

function lab(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), ...args], {cwd: ROOT, encoding: 'utf8', timeout: 30_000})
  return {code: result.status, stdout: result.stdout, stderr: result.stderr}
}

describe('lab graph', () => {
  it('prints Graphviz dot with --format dot', () => {
    const {code, stdout, stderr} = lab('graph', 'two-spine-two-leaf', '--format', 'dot')
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout.startsWith('graph "two-spine-two-leaf" {')).toBe(true)
    expect(stdout).toContain('"spine1" -- "leaf1" [taillabel="swp1", headlabel="swp51"')
    expect(stdout).toContain('"leaf2" -- "host2" [taillabel="swp1", headlabel="eth1"')
  })

  it('prints SVG by default, and Mermaid on request', () => {
    const svg = lab('graph', 'two-spine-two-leaf')
    expect(svg.code).toBe(0)
    expect(XMLValidator.validate(svg.stdout)).toBe(true)
    expect(svg.stdout).toContain('<svg xmlns="http://www.w3.org/2000/svg"')
    const mermaid = lab('graph', 'routing-on-the-host', '--format', 'mermaid')
    expect(mermaid.code).toBe(0)
    expect(mermaid.stdout).toContain('flowchart TB')
    expect(mermaid.stdout).toContain('n_leaf2 ---|"swp2 ↔ eth2"| n_host3')
  })

  it('--out writes the file (format from --format, else from the extension) and prints nothing of the picture', () => {
    const svgFile = path.join(scratch, 'sub', 'fabric.svg')
    const written = lab('graph', 'numbered-fabric', '--out', svgFile)
    expect(written.code).toBe(0)
    expect(written.stdout).not.toContain('<svg')
    expect(written.stdout).toContain('(svg, ')
    expect(readFileSync(svgFile, 'utf8')).toBe(lab('graph', 'numbered-fabric').stdout)

    const dotFile = path.join(scratch, 'fabric.dot')
    expect(lab('graph', 'numbered-fabric', '--out', dotFile).code).toBe(0)
    expect(readFileSync(dotFile, 'utf8').startsWith('graph "numbered-fabric" {')).toBe(true)

    const forced = path.join(scratch, 'forced.dot')
    expect(lab('graph', 'numbered-fabric', '--out', forced, '--format', 'mermaid').code).toBe(0)
    expect(readFileSync(forced, 'utf8')).toContain('flowchart TB')
  })

  it('--json returns {format, out, bytes}', () => {
    const file = path.join(scratch, 'four.svg')
    const {code, stdout} = lab('graph', 'four-spine-eight-leaf', '--out', file, '--json')
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual({format: 'svg', out: file, bytes: statSync(file).size})
    const bare = lab('graph', 'two-spine-two-leaf', '--format', 'dot', '--json')
    expect(bare.code).toBe(0)
    const value = JSON.parse(bare.stdout)
    expect(value).toEqual({format: 'dot', bytes: Buffer.byteLength(lab('graph', 'two-spine-two-leaf', '--format', 'dot').stdout)})
  })

  it('exits 2 with located diagnostics for an invalid topology, and writes nothing', () => {
    const bad = path.join(scratch, 'bad.yaml')
    writeFileSync(bad, 'name: bad\nnodes:\n  spine1: { role: spine }\n  leaf1: { role: leef }\nlinks:\n  - [leaf1:swp51, spine1:swp1]\n')
    const out = path.join(scratch, 'bad.svg')
    const {code, stdout, stderr} = lab('graph', bad, '--out', out)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/bad\.yaml:4:\d+/)
    expect(() => statSync(out)).toThrow()
    expect(lab('validate', bad).code).toBe(2)
  })

  it('exits 2 for an unknown topology name or format', () => {
    const unknown = lab('graph', 'two-spine-two-leef')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('did you mean "two-spine-two-leaf"')
    const format = lab('graph', 'two-spine-two-leaf', '--format', 'png')
    expect(format.code).toBe(2)
    expect(format.stdout).toBe('')
  })
})
