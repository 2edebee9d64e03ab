import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {vagrantFiles} from '../../src/providers/vagrant/files.js'
import {LAB_TEMPLATES} from '../../src/render/render.js'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = path.join(REPO, 'bin', 'run.js')

/** Shipped topologies: the golden-test inputs. */
export function shippedTopologyNames(): string[] {
  return readdirSync(path.join(REPO, 'topologies'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort()
}

/** Every template, as the CLI reads them for a vagrant lab (the core itself never touches the file system). */
export function templateSources(): Record<string, string> {
  return Object.fromEntries([...LAB_TEMPLATES, ...vagrantFiles.templates].map((name) => [name, readFileSync(path.join(REPO, name), 'utf8')]))
}
