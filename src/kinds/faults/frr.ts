// frr: an edit of a running node's FRR configuration (replace, add, remove lines), checked by FRR
// (`vtysh --dryrun`) and applied the way FRR applies a changed file: `frr-reload.py --reload`, which
// diffs the file against `show running-config` and sends only the difference through vtysh. The
// daemons keep running (no restart, so sessions the edit does not touch stay up). The rendered frr.conf
// stays pristine; the result is kept as the node's edited copy, which the next edit starts from.
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {checkFrrConfig} from '../../frr/dryrun.js'
import {currentFrrConfigPath, editedFrrConfigPath, editFrrConfig, type FrrEdit} from '../../frr/edits.js'
import {OperationError, UsageError} from '../../io/errors.js'
import {vtyshPath} from '../../io/tools.js'
import {readNodeText, writeNodeFile} from '../../io/node-files.js'
import {failedOn} from './endpoint.js'
import {defineFault} from './spec.js'

export interface FrrFault extends FrrEdit {
  node: string
}

/** Run on the node; the netns provider points it at the node's own vtysh sockets (see providers/netns/exec.ts). */
export const frrReloadArgv = (file: string) => ['frr-reload.py', '--reload', '--stdout', file]

export const frrFault = defineFault<'frr', FrrFault>({
  kind: 'frr',
  summary: 'replace, add or remove lines of a running node\'s FRR config, applied with frr-reload.py',
  body: (z) =>
    z
      .object({
        node: z.string().min(1),
        replace: z.record(z.string().min(1), z.string().min(1)).optional().describe('whole lines: old → new'),
        add: z.array(z.string().min(1)).optional().describe('lines to add; a context line first (router bgp 65002) adds the indented ones into it'),
        remove: z.array(z.string().min(1)).optional().describe('whole lines to remove'),
      })
      .strict(),
  references(fault, refs) {
    const node = refs.node('node', fault.node)
    if (node?.role === 'host' && node.routing !== 'bgp') refs.error('node', `${refs.where('node')}: ${fault.node} is a host without FRR (routing: static)`, 'name a router or a host with routing: bgp')
    const edits = Object.keys(fault.replace ?? {}).length + (fault.add?.length ?? 0) + (fault.remove?.length ?? 0)
    if (edits === 0) refs.error('node', `${refs.where('node')}: the edit changes nothing`, 'give replace, add or remove')
  },
  async apply(fault, {executor, labDir, signal}) {
    const edited = editedFrrConfigPath(labDir, fault.node)
    if (!existsSync(path.dirname(edited))) throw new UsageError(`${fault.node} is not running (no ${path.dirname(edited)})`, 'lab status shows what runs')
    // The node may write its run dir: its files are read without following links, FRR's check reads
    // a private copy, and what the node gets is a new file of lab's own.
    const text = editFrrConfig(readNodeText(currentFrrConfigPath(labDir, fault.node)), fault, fault.node)
    const check = await checkFrrText(text)
    if (!check.ok) throw new UsageError(`FRR rejects the edited config of ${fault.node}: ${check.output || `vtysh --dryrun exited ${check.exitCode}`}`, 'fix the lines given to replace/add so FRR accepts them')
    const candidate = `${edited}.new`
    writeNodeFile(candidate, text)
    try {
      const argv = frrReloadArgv(candidate)
      const result = await executor.exec(fault.node, argv, {signal, timeoutMs: 60_000})
      if (result.exitCode === 127) throw new OperationError(`${fault.node}: frr-reload.py is not installed`, 'install the frr-pythontools package (scripts/setup does)')
      if (result.exitCode !== 0) throw failedOn(fault.node, argv, result, `lab exec ${fault.node} -- vtysh -c 'show running-config' shows what was applied`)
      writeNodeFile(edited, text)
    } finally {
      rmSync(candidate, {force: true})
    }
    return `${fault.node}: FRR config edited (${describeEdit(fault)}) and reloaded`
  },
})

function describeEdit(fault: FrrEdit): string {
  const replaced = Object.entries(fault.replace ?? {}).map(([old, line]) => `"${old}" → "${line}"`)
  const added = (fault.add ?? []).length > 0 ? [`${fault.add!.length} added`] : []
  const removed = (fault.remove ?? []).length > 0 ? [`${fault.remove!.length} removed`] : []
  return [...replaced, ...added, ...removed].join(', ')
}

/** `vtysh --dryrun` on a private copy of the text (never on a file the node can swap). */
async function checkFrrText(text: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-frr-edit-'))
  try {
    const file = path.join(dir, 'frr.conf')
    writeFileSync(file, text, {mode: 0o644})
    return await checkFrrConfig(file, vtyshPath())
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
