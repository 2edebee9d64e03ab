// A node's `frr:` lines go through FRR's own check (vtysh --dryrun on the whole rendered frr.conf);
// each line FRR rejects is reported at its line in the topology file, and validate/render exit 2.
import {execa} from 'execa'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {frrSnippetProblems} from '../../src/io/frr-snippets.js'
import {formatDiagnostic} from '../../src/topology/diagnostics.js'
import {planFromText} from '../../src/topology/load.js'
import {readFileSync} from 'node:fs'
import {BIN, REPO} from '../support/paths.js'

const FILE = 'test/fixtures/frr-snippets/rejected.yaml'
const EXPECTED =
  'test/fixtures/frr-snippets/rejected.yaml:9:7: error: nodes.leaf1.frr: FRR rejects this line: Unknown command:  timers bgpx 3 9\n' +
  "  fix: correct or remove the line (lab renders it into the node's frr.conf and checks it with vtysh --dryrun)"

describe('frr: lines', () => {
  it('names the topology line FRR rejects (line 9 of the file, the third line of the block)', async () => {
    const cwd = process.cwd()
    process.chdir(REPO)
    try {
      const {plan} = planFromText(readFileSync(FILE, 'utf8'), FILE)
      const problems = await frrSnippetProblems(plan, FILE)
      expect(problems.map(formatDiagnostic).join('\n')).toBe(EXPECTED)
    } finally {
      process.chdir(cwd)
    }
  })

  it('accepts the lines of the shipped announce-border topology, with `router bgp` filled in with the ASN', async () => {
    const file = path.join(REPO, 'topologies/announce-border.yaml')
    const {plan} = planFromText(readFileSync(file, 'utf8'), file)
    expect(plan.nodes.find((n) => n.name === 'border')!.frrExtra).toBe('router bgp 65500\n timers bgp 5 15')
    expect(await frrSnippetProblems(plan, file)).toEqual([])
  })

  it('makes validate and render exit 2 with the located message, writing nothing', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'lab-frr-snippet-'))
    rmSync(out, {recursive: true})
    try {
      for (const args of [['validate', FILE], ['render', FILE, '--out', out]]) {
        const result = await execa('node', [BIN, ...args], {cwd: REPO, reject: false})
        expect(result.exitCode).toBe(2)
        expect(result.stderr).toContain(EXPECTED)
      }
      expect(existsSync(out)).toBe(false)
    } finally {
      rmSync(out, {recursive: true, force: true})
    }
  })
})
