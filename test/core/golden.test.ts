// Golden tests for the pure core: every shipped topology → plan.json and every rendered file, compared
// byte for byte with test/golden/<topology>/. A change in output is a reviewed diff:
//   UPDATE_GOLDEN=1 npx vitest run test/core/golden.test.ts && git diff test/golden
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {loadTopology} from '../../src/topology/load.js'
import {planLab} from '../../src/plan/plan.js'
import {vagrantFiles} from '../../src/providers/vagrant/files.js'
import {createRenderer, type RenderedFile} from '../../src/render/render.js'
import {REPO, shippedTopologyNames, templateSources} from '../support/paths.js'

const GOLDEN = path.join(REPO, 'test', 'golden')
const UPDATE = process.env.UPDATE_GOLDEN === '1'

function renderTopology(name: string, renderer = createRenderer(templateSources(), vagrantFiles)): RenderedFile[] {
  const file = `topologies/${name}.yaml`
  const {topology, diagnostics} = loadTopology(readFileSync(path.join(REPO, file), 'utf8'), file)
  if (!topology) throw new Error(`${file} is invalid:\n${diagnostics.map((d) => d.message).join('\n')}`)
  return renderer(planLab(topology))
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, {withFileTypes: true})
    .flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort()
}

const topologies = shippedTopologyNames()

describe('golden files', () => {
  it('covers every shipped topology', () => {
    expect(topologies.length).toBeGreaterThanOrEqual(4)
    if (!UPDATE) expect(readdirSync(GOLDEN).sort()).toEqual(topologies)
  })

  describe.each(topologies)('%s', (name) => {
    const files = renderTopology(name)
    const dir = path.join(GOLDEN, name)

    if (UPDATE) {
      rmSync(dir, {recursive: true, force: true})
      for (const file of files) {
        mkdirSync(path.dirname(path.join(dir, file.path)), {recursive: true})
        writeFileSync(path.join(dir, file.path), file.content)
      }
    }

    it('renders exactly the expected set of files', () => {
      expect(files.map((f) => f.path).sort()).toEqual(listFiles(dir))
      expect(new Set(files.map((f) => f.path)).size).toBe(files.length)
    })

    it.each(files.map((f) => [f.path, f] as const))('%s matches byte for byte', (_path, file) => {
      expect(file.content).toBe(readFileSync(path.join(dir, file.path), 'utf8'))
    })

    it('marks only the provisioning scripts executable', () => {
      for (const file of files) expect([file.path, file.mode ?? 0o644]).toEqual([file.path, file.path.endsWith('provision.sh') ? 0o755 : 0o644])
    })
  })
})

describe('determinism', () => {
  it.each(topologies)('%s: loading, planning and rendering twice gives identical bytes', (name) => {
    const first = renderTopology(name)
    // A fresh renderer (no template cache shared) and the same one used twice must agree.
    const renderer = createRenderer(templateSources(), vagrantFiles)
    expect(renderTopology(name, renderer)).toEqual(first)
    expect(renderTopology(name, renderer)).toEqual(first)
  })
})

describe('user text in the Vagrantfile', () => {
  it('a multi-line description stays inside the Vagrantfile comment', () => {
    const yaml = 'name: desc\ndescription: |\n  first line\n  system("touch /tmp/owned")\nfabric: {spines: 1, leaves: 1}\n'
    const {topology} = loadTopology(yaml, 'desc.yaml')
    const files = createRenderer(templateSources(), vagrantFiles)(planLab(topology!))
    const vagrantfile = files.find((f) => f.path === 'Vagrantfile')!.content
    expect(vagrantfile).toContain('# first line system("touch /tmp/owned")')
    expect(vagrantfile.split('\n').filter((line) => line.includes('system('))).toEqual(['# first line system("touch /tmp/owned")'])
  })

  it('a box name with quotes or #{…} stays a Ruby string in the Vagrantfile', () => {
    const yaml = 'name: img\nnodes:\n  spine1: { role: spine, image: \'x"; system("id"); y="#{1}\' }\n  leaf1: { role: leaf }\nlinks:\n  - [leaf1:swp51, spine1:swp1]\n'
    const {topology} = loadTopology(yaml, 'img.yaml')
    const files = createRenderer(templateSources(), vagrantFiles)(planLab(topology!))
    expect(files.find((f) => f.path === 'Vagrantfile')!.content).toContain('node.vm.box = LAB_BOX || "x\\"; system(\\"id\\"); y=\\"\\#{1}"\n')
  })
})
