import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {TEMPLATE_FILES} from '../../src/render/render.js'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = path.join(REPO, 'bin', 'run.js')

/** Shipped topologies: the golden-test inputs. */
export function shippedTopologyNames(): string[] {
  return readdirSync(path.join(REPO, 'topologies'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort()
}

/** Template sources as the CLI reads them (the core itself never touches the file system). */
export function templateSources(): Record<string, string> {
  return Object.fromEntries(TEMPLATE_FILES.map((name) => [name, readFileSync(path.join(REPO, name), 'utf8')]))
}
