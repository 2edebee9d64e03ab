// FRR's dry run of rendered configs once per shape: which configs stand for which, on real renders.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {configShape, dryRunGroups, type RenderedConfig} from '../../src/frr/dryrun.js'
import {planLab, type LabPlan} from '../../src/plan/plan.js'
import {createRenderer} from '../../src/render/render.js'
import {loadTopology} from '../../src/topology/load.js'
import {REPO, templateSources} from '../support/paths.js'

const render = createRenderer(templateSources())

function load(text: string, file: string): LabPlan {
  const {topology, diagnostics} = loadTopology(text, file)
  if (!topology) throw new Error(diagnostics.map((d) => d.message).join('\n'))
  return planLab(topology)
}

function configs(plan: LabPlan): RenderedConfig[] {
  const files = new Map(render(plan).map((f) => [f.path, f.content]))
  return plan.nodes.filter((n) => n.daemons.length > 0).map((n) => ({node: n.name, text: files.get(`${n.name}/frr.conf`)!, own: n.frrExtra !== undefined}))
}

describe('dry runs once per shape of config', () => {
  it('a 1,000-node fabric: 132 routers are two shapes (spines, leaves), and every router is in exactly one group', () => {
    const plan = load('name: f\nfabric: { spines: 8, leaves: 124, hosts_per_leaf: 7 }\naddressing: { hosts: 10.128.0.0/12 }\n', 'f.yaml')
    const all = configs(plan)
    const groups = dryRunGroups(all)
    expect(all).toHaveLength(132)
    expect(groups.map((g) => g.check.node)).toEqual(['spine1', 'leaf1'])
    expect(groups.flatMap((g) => [g.check.node, ...g.alike]).sort()).toEqual(all.map((c) => c.node).sort())
    // Each group's configs differ from the one checked only in digits.
    for (const group of groups) for (const node of group.alike) expect(configShape(all.find((c) => c.node === node)!.text)).toBe(configShape(group.check.text))
  })

  it('a node with frr: lines of its own is checked alone', () => {
    const file = path.join(REPO, 'topologies/announce-border.yaml')
    const all = configs(load(readFileSync(file, 'utf8'), file))
    const own = all.filter((c) => c.own)
    expect(own.length).toBeGreaterThan(0)
    const groups = dryRunGroups(all)
    for (const config of own) expect(groups.find((g) => g.check.node === config.node)?.alike).toEqual([])
  })

  it('configs that differ in more than digits are different shapes', () => {
    const a = {node: 'a', text: 'router bgp 65001\n neighbor swp1 interface peer-group fabric\n', own: false}
    const b = {node: 'b', text: 'router bgp 65002\n neighbor swp1 interface peer-group fabric\n', own: false}
    const c = {node: 'c', text: 'router bgp 65003\n neighbor swp1 interface peer-group hosts\n', own: false}
    expect(dryRunGroups([a, b, c]).map((g) => [g.check.node, g.alike])).toEqual([['a', ['b']], ['c', []]])
  })
})
