// FRR's own check of a rendered frr.conf: `vtysh --dryrun -f FILE`, before anything is built.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {CommandError} from '../io/errors.js'
import {run} from '../io/process.js'
import {vtyshPath} from '../io/tools.js'
import type {PlannedNode} from '../plan/plan.js'
import {mapLimit} from '../util/pool.js'

export interface FrrCheck {
  ok: boolean
  exitCode: number
  /** Lines of the file FRR rejected. */
  lines: number[]
  output: string
}

/**
 * FRR 8.4's `vtysh --dryrun` names each bad line ("line 17: % Unknown command…") but its exit code is
 * not reliable: a later `exit` line can reset it to 0. A file passes only when the exit code is 0 and
 * FRR reported nothing.
 */
export function judgeFrrDryrun(exitCode: number, stderr: string): FrrCheck {
  const lines = [...stderr.matchAll(/^line (\d+):/gm)].map((m) => Number(m[1]))
  return {ok: exitCode === 0 && lines.length === 0 && stderr.trim() === '', exitCode, lines, output: stderr.trim()}
}

export async function checkFrrConfig(file: string, vtysh = 'vtysh'): Promise<FrrCheck> {
  const result = await run([vtysh, '--dryrun', '-f', file])
  return judgeFrrDryrun(result.exitCode, `${result.stderr}${result.exitCode === 0 ? '' : result.stdout}`)
}

/**
 * What FRR's parser sees the same way in two rendered configs: the text with every number as 0 (ASNs,
 * router-ids, addresses, sequence, port and node numbers). The 124 leaves of a fabric render from one
 * template with values the plan already checked (ASN and address pools, port names), so they are a
 * couple of shapes, not 124 files. A node's own `frr:` lines are never grouped (dryRunGroups).
 */
export function configShape(text: string): string {
  return text.replace(/[0-9]+/g, '0')
}

export interface RenderedConfig {
  node: string
  text: string
  /** The node has its own `frr:` lines: checked alone, never stood for by another node. */
  own: boolean
}

/** The configs to dry-run: one per shape (the first node of each), every config with `frr:` lines of its own; with the nodes each stands for. */
export function dryRunGroups(configs: readonly RenderedConfig[]): {check: RenderedConfig; alike: string[]}[] {
  const groups = new Map<string, {check: RenderedConfig; alike: string[]}>()
  for (const config of configs) {
    const key = config.own ? `own:${config.node}` : configShape(config.text)
    const group = groups.get(key)
    if (group) group.alike.push(config.node)
    else groups.set(key, {check: config, alike: []})
  }
  return [...groups.values()]
}

/**
 * FRR's own check of the rendered frr.conf files (vtysh --dryrun), once per shape of config
 * (dryRunGroups), in parallel; all problems reported together, each with the nodes it stands for.
 */
export async function checkConfigs(labDir: string, nodes: PlannedNode[]): Promise<void> {
  const configs = nodes.filter((n) => n.daemons.length > 0).map((node) => ({node: node.name, text: readFileSync(path.join(labDir, node.name, 'frr.conf'), 'utf8'), own: node.frrExtra !== undefined}))
  const failures: string[] = []
  await mapLimit(dryRunGroups(configs), 4, async ({check, alike}) => {
    const file = path.join(labDir, check.node, 'frr.conf')
    const result = await checkFrrConfig(file, vtyshPath())
    const others = alike.length > 0 ? ` (and ${alike.length} node${alike.length === 1 ? '' : 's'} rendered alike: ${alike.slice(0, 5).join(', ')}${alike.length > 5 ? ', …' : ''})` : ''
    if (!result.ok) failures.push(`${file}${others}: ${result.output || `vtysh --dryrun exited ${result.exitCode}`}`)
  })
  if (failures.length > 0) {
    throw new CommandError([vtyshPath(), '--dryrun', '-f', '<node>/frr.conf'], failures.join('\n'), 1, 'fix the topology (or the templates) so FRR accepts the rendered frr.conf')
  }
}
