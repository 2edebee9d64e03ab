// Editing a node's FRR configuration as text (the `frr` fault): replace, remove and add lines. The
// rendered labs/<lab>/<node>/frr.conf is the pristine copy and is never written; each edit starts from
// the node's current config (the last edited copy, kept beside the node's run files, else the rendered
// one) and writes the result as the new edited copy. `lab down` removes the run directory, so a lab
// that comes up again starts from the rendered file.
import {existsSync} from 'node:fs'
import path from 'node:path'
import {UsageError} from '../io/errors.js'
import {machineDir} from '../io/paths.js'

export interface FrrEdit {
  /** Whole lines, old → new, matched ignoring leading and trailing spaces; the old line's indentation is kept. */
  replace?: Record<string, string>
  /** Lines added: a top-level line that opens an existing context (`router bgp 65002`) adds the indented lines after it into that context; anything else is appended. */
  add?: string[]
  /** Whole lines removed, matched like replace. */
  remove?: string[]
}

function renderedFrrConfigPath(labDir: string, node: string): string {
  return path.join(labDir, node, 'frr.conf')
}

/**
 * <run dir>/<node>/frr.edited.conf: the run directory holds what a node has at run time, on every
 * provider: /run/lab/<lab>/run/<node>/ for a netns lab (the same path inside the node's sandbox,
 * which may not see LAB_HOME), labs/<lab>/run/<node>/ for the others.
 */
export function editedFrrConfigPath(labDir: string, node: string): string {
  const onMachine = path.join(machineDir(path.basename(labDir)), 'run', node)
  return path.join(existsSync(onMachine) ? onMachine : path.join(labDir, 'run', node), 'frr.edited.conf')
}

/** The config a node runs now, as far as lab knows: the last edited copy, else the rendered one. */
export function currentFrrConfigPath(labDir: string, node: string): string {
  const edited = editedFrrConfigPath(labDir, node)
  return existsSync(edited) ? edited : renderedFrrConfigPath(labDir, node)
}

const indentOf = (line: string) => /^\s*/.exec(line)![0]

function findLine(lines: string[], wanted: string, node: string, what: string): number {
  const index = lines.findIndex((line) => line.trim() === wanted.trim())
  if (index < 0) throw new UsageError(`${what}: "${wanted.trim()}" is not a line of ${node}'s FRR config`, `lab exec ${node} -- vtysh -c 'show running-config' shows the lines it has; match one exactly`)
  return index
}

/** Where a context opened at `start` ends: its `exit` line, or the next top-level line. */
function contextEnd(lines: string[], start: number): number {
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i].trim() !== '' && indentOf(lines[i]) === '') return i
  }
  return lines.length
}

/** Added lines in blocks: a top-level line and the indented lines under it. */
function blocks(add: string[]): string[][] {
  const result: string[][] = []
  for (const line of add) {
    if (indentOf(line) === '' || result.length === 0) result.push([line])
    else result.at(-1)!.push(line)
  }
  return result
}

/** The edited text. Throws UsageError naming a replaced or removed line that is not there. */
export function editFrrConfig(text: string, edit: FrrEdit, node: string): string {
  const lines = text.replace(/\n$/, '').split('\n')
  for (const [old, replacement] of Object.entries(edit.replace ?? {})) {
    const index = findLine(lines, old, node, 'frr.replace')
    lines[index] = `${indentOf(lines[index])}${replacement.trim()}`
  }
  for (const line of edit.remove ?? []) lines.splice(findLine(lines, line, node, 'frr.remove'), 1)
  for (const block of blocks(edit.add ?? [])) {
    const opener = lines.findIndex((line) => indentOf(line) === '' && line.trim() === block[0].trim())
    if (opener >= 0 && block.length > 1) lines.splice(contextEnd(lines, opener), 0, ...block.slice(1))
    else lines.push(...block)
  }
  return `${lines.join('\n')}\n`
}
