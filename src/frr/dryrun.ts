// FRR's own check of a rendered frr.conf: `vtysh --dryrun -f FILE`, before anything is built.
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

/** FRR's own check of every rendered frr.conf (vtysh --dryrun), in parallel; all problems reported together. */
export async function checkConfigs(labDir: string, nodes: PlannedNode[]): Promise<void> {
  const routers = nodes.filter((n) => n.daemons.length > 0)
  const failures: string[] = []
  await mapLimit(routers, 8, async (node) => {
    const file = path.join(labDir, node.name, 'frr.conf')
    const check = await checkFrrConfig(file, vtyshPath())
    if (!check.ok) failures.push(`${file}: ${check.output || `vtysh --dryrun exited ${check.exitCode}`}`)
  })
  if (failures.length > 0) {
    throw new CommandError([vtyshPath(), '--dryrun', '-f', '<node>/frr.conf'], failures.join('\n'), 1, 'fix the topology (or the templates) so FRR accepts the rendered frr.conf')
  }
}

