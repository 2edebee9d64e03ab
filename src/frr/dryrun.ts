// FRR's own check of a rendered frr.conf: `vtysh --dryrun -f FILE`.
import {run} from '../io/process.js'

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
