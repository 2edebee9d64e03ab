// Write a rendered lab directory atomically: nothing half-written is ever left under labs/.
import {accessSync, constants, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, existsSync} from 'node:fs'
import path from 'node:path'
import {createRenderer, LAB_TEMPLATES, type ProviderFiles, type RenderedFile} from '../render/render.js'
import type {LabPlan} from '../plan/plan.js'
import {UsageError} from './errors.js'
import {PACKAGE_ROOT} from './paths.js'

/** The renderer for a lab with these provider files (none: only plan.json and the FRR files). */
export function renderer(providerFiles?: ProviderFiles) {
  const names = [...LAB_TEMPLATES, ...(providerFiles?.templates ?? [])]
  const sources = Object.fromEntries(names.map((name) => [name, readFileSync(path.join(PACKAGE_ROOT, name), 'utf8')]))
  return createRenderer(sources, providerFiles)
}

/** Files the lab writes at run time (state, logs) are kept when re-rendering; everything rendered is replaced. */
const KEEP_ON_RERENDER = ['state.json', 'run']

/**
 * Rendering replaces the whole directory: only an earlier lab directory (it has plan.json), an empty
 * one or none at all may be replaced, never a directory or file of the user's (`--out .`, `--out ~`).
 */
function checkReplaceable(dir: string): void {
  if (!existsSync(dir)) return
  const isDir = statSync(dir).isDirectory()
  if (isDir && (existsSync(path.join(dir, 'plan.json')) || readdirSync(dir).length === 0)) return
  throw new UsageError(
    `${dir} ${isDir ? 'is not empty and is not a lab directory (it has no plan.json)' : 'is a file'}; rendering replaces the whole directory, so nothing was written`,
    `write to a new or empty directory (lab render <topology> --out DIR), or move ${dir} away first`,
  )
}

export function writeLabDir(dir: string, files: RenderedFile[]): void {
  checkReplaceable(dir)
  // Fails with the real cause (EROFS, EACCES): a recursive mkdir on a read-only disk says only ENOENT.
  mkdirSync(path.dirname(dir), {recursive: true})
  accessSync(path.dirname(dir), constants.W_OK)
  const staging = `${dir}.rendering-${process.pid}`
  rmSync(staging, {recursive: true, force: true})
  try {
    for (const file of files) {
      const target = path.join(staging, file.path)
      mkdirSync(path.dirname(target), {recursive: true})
      writeFileSync(target, file.content, {mode: file.mode ?? 0o644})
    }
    for (const keep of KEEP_ON_RERENDER) {
      const existing = path.join(dir, keep)
      if (existsSync(existing)) renameSync(existing, path.join(staging, keep))
    }
    mkdirSync(path.dirname(dir), {recursive: true})
    rmSync(dir, {recursive: true, force: true})
    renameSync(staging, dir)
  } finally {
    rmSync(staging, {recursive: true, force: true})
  }
}

export function renderLab(plan: LabPlan, dir: string, providerFiles?: ProviderFiles): RenderedFile[] {
  const files = renderer(providerFiles)(plan)
  writeLabDir(dir, files)
  return files
}
