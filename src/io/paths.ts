// Where things live: the package's own files (templates, topologies), the labs directory and each lab's machine-wide directory.
import {fileURLToPath} from 'node:url'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {classMember, memberLabsRoot} from './acting-user.js'

/**
 * Root of the installed package (holds templates/, topologies/, Vagrantfile.hbs): the nearest
 * directory above this module with lab's package.json (this module may be src/io, dist/io or a chunk
 * of dist/bundle, at different depths).
 */
export const PACKAGE_ROOT = packageRoot(path.dirname(fileURLToPath(import.meta.url)))

function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'lab') return dir
    if (path.dirname(dir) === dir) throw new Error(`lab's package.json was not found above ${from}`)
  }
}

/** Labs are written under $LAB_HOME, or ./labs in the current directory; a class member's in their own root-owned directory. */
export function labsRoot(): string {
  const member = classMember()
  if (member) return memberLabsRoot(member)
  return path.resolve(process.env.LAB_HOME ?? 'labs')
}

export function labDir(name: string): string {
  return path.join(labsRoot(), name)
}

/**
 * A lab's one identity on the machine, whatever LAB_HOME is: /run/lab/<name>/ holds its lock and
 * (netns) its state and run files. Namespaces are machine-wide, so a lab name is too.
 */
export const MACHINE_ROOT = '/run/lab'

export function machineDir(name: string): string {
  return path.join(MACHINE_ROOT, name)
}

/**
 * The directory a running lab was rendered into (its plan.json), as its machine-wide state records
 * it, so `lab exec/status/down` from another LAB_HOME find the same lab; else this LAB_HOME's.
 */
export function resolveLabDir(name: string): string {
  try {
    const recorded = (JSON.parse(readFileSync(path.join(machineDir(name), 'state.json'), 'utf8')) as {labDir?: unknown}).labDir
    if (typeof recorded === 'string' && path.basename(recorded) === name && existsSync(path.join(recorded, 'plan.json'))) return recorded
  } catch {
    // no state or unreadable: this LAB_HOME's directory
  }
  return labDir(name)
}
