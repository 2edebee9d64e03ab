// Where things live: the package's own files (templates, topologies) and the labs directory.
import {fileURLToPath} from 'node:url'
import path from 'node:path'

/** Root of the installed package (holds templates/, topologies/, Vagrantfile.hbs). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Labs are written under $LAB_HOME, or ./labs in the current directory. */
export function labsRoot(): string {
  return path.resolve(process.env.LAB_HOME ?? 'labs')
}

export function labDir(name: string): string {
  return path.join(labsRoot(), name)
}
