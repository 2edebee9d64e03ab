// The loader never throws: every mangled variant of every shipped topology either loads (and then
// plans and renders) or yields located error diagnostics. A throw would reach the user as "a bug in lab".
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {loadTopology} from '../../src/topology/load.js'
import {planLab} from '../../src/plan/plan.js'
import {vagrantFiles} from '../../src/providers/vagrant/files.js'
import {createRenderer} from '../../src/render/render.js'
import {REPO, shippedTopologyNames, templateSources} from '../support/paths.js'

/** Deterministic manglings of a file: each line deleted, duplicated, cut in half, or given a stray character. */
function variants(text: string): string[] {
  const lines = text.split('\n')
  const out: string[] = []
  const withLine = (i: number, replacement: string[]) => [...lines.slice(0, i), ...replacement, ...lines.slice(i + 1)].join('\n')
  lines.forEach((line, i) => {
    out.push(withLine(i, []))
    out.push(withLine(i, [line, line]))
    out.push(withLine(i, [line.slice(0, Math.ceil(line.length / 2))]))
    for (const stray of [':', '[', '{', '"', '- ', '&a ', '*a ', '\t']) out.push(withLine(i, [`${stray}${line}`]))
    out.push(withLine(i, [line.replace(/\d+/, '0')]))
    out.push(withLine(i, [line.replace(/\d+/, '99999999999')]))
    out.push(withLine(i, [line.replace(/: /, ': null #')]))
  })
  return out
}

const render = createRenderer(templateSources(), vagrantFiles)

describe.each(shippedTopologyNames())('mangled %s', (name) => {
  const file = `topologies/${name}.yaml`
  const text = readFileSync(path.join(REPO, file), 'utf8')

  it('never throws: it loads, plans and renders, or reports located errors', () => {
    let rejected = 0
    for (const variant of variants(text)) {
      const {topology, diagnostics} = loadTopology(variant, file)
      for (const d of diagnostics) {
        expect(d.line, d.message).toBeGreaterThanOrEqual(1)
        expect(d.column, d.message).toBeGreaterThanOrEqual(1)
        expect(d.message.length).toBeGreaterThan(5)
      }
      if (topology) {
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([])
        expect(render(planLab(topology)).length).toBeGreaterThan(1)
      } else {
        expect(diagnostics.some((d) => d.severity === 'error')).toBe(true)
        rejected++
      }
    }
    expect(rejected).toBeGreaterThan(10)
  })
})
