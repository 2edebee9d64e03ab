// A node's `frr:` lines checked by FRR itself: its whole rendered frr.conf through `vtysh --dryrun`,
// each line FRR rejects mapped back to the line of the topology file it came from. Runs before
// anything is written or built (lab validate, render, up); skipped with a warning where vtysh is missing.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {checkFrrConfig} from '../frr/dryrun.js'
import type {LabPlan} from '../plan/plan.js'
import {TopologyError, type Diagnostic} from '../topology/diagnostics.js'
import {parseSource} from '../topology/source.js'
import {mapLimit} from '../util/pool.js'
import {renderer} from './lab-dir.js'
import {asClassMember} from './acting-user.js'
import {vtyshPath, which} from './tools.js'

/** The marker line the FRR template writes just before a node's own lines. */
const MARKER = '! frr: lines from the topology'

export async function frrSnippetProblems(plan: LabPlan, file: string): Promise<Diagnostic[]> {
  const nodes = plan.nodes.filter((n) => n.frrExtra !== undefined)
  if (nodes.length === 0) return []
  const vtysh = process.env.LAB_VTYSH ?? which('vtysh')
  if (!vtysh) return [{severity: 'warning', message: `vtysh not found: the frr: lines of ${nodes.map((n) => n.name).join(', ')} were not checked`, fix: 'install frr (the package) to have FRR check them', path: [], file, line: 1, column: 1}]
  const text = asClassMember(() => readFileSync(file, 'utf8'))
  const source = parseSource(text, file)
  const rendered = renderer()(plan)
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-frr-'))
  try {
    const found = await mapLimit(nodes, 4, async (node) => {
      const conf = rendered.find((f) => f.path === `${node.name}/frr.conf`)!.content
      const confFile = path.join(tmp, `${node.name}.conf`)
      writeFileSync(confFile, conf)
      const check = await checkFrrConfig(confFile, vtyshPath())
      if (check.ok) return []
      const first = conf.split('\n').findIndex((l) => l.startsWith(MARKER)) + 2 // 1-based line of the node's first own line
      const start = snippetStart(source.locate({severity: 'error', message: '', path: ['nodes', node.name, 'frr']}), text)
      return [...check.output.matchAll(/^line (\d+): (.*)$/gm)].map(([, line, why]): Diagnostic => {
        const offset = Number(line) - first
        const words = why.replace(/^%\s*/, '').replace(/\[\d+\]/, '').trim()
        return {
          severity: 'error',
          message: `nodes.${node.name}.frr: FRR rejects this line: ${words}`,
          fix: 'correct or remove the line (lab renders it into the node\'s frr.conf and checks it with vtysh --dryrun)',
          path: ['nodes', node.name, 'frr'],
          file,
          line: offset >= 0 ? start.line + offset : start.line,
          column: start.column,
        }
      })
    })
    return found.flat()
  } finally {
    rmSync(tmp, {recursive: true, force: true})
  }
}

/** Where the first line of a node's `frr:` text is in the file: the line after `|` for a block, else the value itself. */
function snippetStart(located: Diagnostic, text: string): {line: number; column: number} {
  const lines = text.split('\n')
  const at = lines[(located.line ?? 1) - 1] ?? ''
  const rest = at.slice((located.column ?? 1) - 1)
  if (!/^[|>]/.test(rest)) return {line: located.line ?? 1, column: located.column ?? 1}
  const next = lines[located.line ?? 1] ?? ''
  return {line: (located.line ?? 1) + 1, column: next.length - next.trimStart().length + 1}
}

/** Throw every problem with the `frr:` lines as one topology error (exit 2, nothing built). */
export async function assertFrrSnippets(plan: LabPlan, file: string): Promise<Diagnostic[]> {
  const problems = await frrSnippetProblems(plan, file)
  if (problems.some((p) => p.severity === 'error')) throw new TopologyError(problems)
  return problems
}
