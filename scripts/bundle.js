#!/usr/bin/env node
// Bundle the compiled commands (dist/commands, from tsc) into dist/bundle: each command one entry
// file, the code they share in a few chunks. `lab <command>` then opens a handful of files instead of
// ~680 (Node's module loader cost ~0.35 s of every command; bench/SCALE.md). @oclif/core stays
// outside (bin/run.js and the commands must share it), and so do ssh2 (native parts) and typescript
// (which @oclif/core only loads for development).
import {build} from 'esbuild'
import {readdirSync, rmSync, statSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const commands = path.join(root, 'dist', 'commands')
const out = path.join(root, 'dist', 'bundle')

const entries = (dir) => readdirSync(dir).flatMap((name) => {
  const file = path.join(dir, name)
  return statSync(file).isDirectory() ? entries(file) : name.endsWith('.js') ? [file] : []
})

rmSync(out, {recursive: true, force: true})
const result = await build({
  entryPoints: entries(commands).sort(),
  outbase: commands,
  outdir: out,
  entryNames: 'commands/[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@oclif/core', 'ssh2', 'cpu-features', 'typescript'],
  // CommonJS dependencies (handlebars, cli-progress) require Node's own modules.
  banner: {js: "import {createRequire as __labRequire} from 'node:module'; const require = __labRequire(import.meta.url);"},
  logLevel: 'warning',
  metafile: true,
})
const files = Object.keys(result.metafile.outputs).length
console.log(`dist/bundle: ${entries(commands).length} commands in ${files} files`)
