#!/usr/bin/env node
// Benchmark of the pure core on a big generated fabric: 8 spines × 128 leaves × 2 hosts per leaf
// (392 nodes, 1280 links). In-process, after a warm-up; prints the median of N runs per stage and
// its ratio to a trivial baseline measured in the same run (JSON.stringify of the plan), so figures
// from different machines can be compared.
//
//   npm run build && node bench/render.js [runs=20]
//
// The "+ write" stage writes the lab directory (1450 files) under $BENCH_DIR (default: the OS temp
// directory): it measures that file system as much as lab, so compare it with BENCH_DIR=/dev/shm.
//
// Imports from dist/: benchmark what ships. The spines have 128 ports, more than VirtualBox allows:
// that is a warning under the default (netns) provider, as it should be.
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {loadTopology} from '../dist/topology/load.js'
import {planLab} from '../dist/plan/plan.js'
import {renderer, writeLabDir} from '../dist/io/lab-dir.js'
import {vagrantFiles} from '../dist/providers/vagrant/files.js'

const runs = Number(process.argv[2] ?? 20)
const text = `name: bench
description: 8 spines, 128 leaves, 2 hosts per leaf
fabric: { spines: 8, leaves: 128, hosts_per_leaf: 2 }
verify:
  - ecmp: { node: leaf1, to: leaf128, paths: 8 }
`

// The first run pays for JIT warm-up and Handlebars' lazy template compilation: what one `lab render` sees.
const coldStart = performance.now()
renderer(vagrantFiles)(planLab(loadTopology(text, 'bench.yaml').topology))
const cold = performance.now() - coldStart

const loaded = loadTopology(text, 'bench.yaml')
if (!loaded.topology) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'))
const topology = loaded.topology
const render = renderer(vagrantFiles) // reads and compiles the templates once, as the CLI does
const plan = planLab(topology)
const files = render(plan)
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0)
const out = mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'lab-bench-'))

const stages = {
  'baseline: JSON.stringify(plan)': () => JSON.stringify(plan),
  'load (YAML + schema + resolve)': () => loadTopology(text, 'bench.yaml'),
  plan: () => planLab(topology),
  'plan + render': () => render(planLab(topology)),
  'load + plan + render': () => render(planLab(loadTopology(text, 'bench.yaml').topology)),
  'load + plan + render + write': () => writeLabDir(path.join(out, 'lab'), render(planLab(loadTopology(text, 'bench.yaml').topology))),
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

try {
  const results = {}
  for (const [name, fn] of Object.entries(stages)) {
    for (let i = 0; i < 3; i++) fn() // warm-up
    const times = []
    for (let i = 0; i < runs; i++) {
      const start = performance.now()
      fn()
      times.push(performance.now() - start)
    }
    results[name] = median(times)
  }
  const baseline = results['baseline: JSON.stringify(plan)']
  console.log(`fabric: ${plan.nodes.length} nodes, ${plan.links.length} links; ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB rendered; median of ${runs} runs, Node ${process.version}; writes under ${path.dirname(out)}`)
  results['cold: first load + plan + render'] = cold
  const width = Math.max(...Object.keys(results).map((k) => k.length))
  for (const [name, ms] of Object.entries(results)) {
    if (name.startsWith('cold')) {
      console.log(`${name.padEnd(width)}  ${ms.toFixed(1).padStart(8)} ms  (once, not a median)`)
      continue
    }
    console.log(`${name.padEnd(width)}  ${ms.toFixed(1).padStart(8)} ms  ${(ms / baseline).toFixed(1).padStart(6)}× baseline`)
  }
} finally {
  rmSync(out, {recursive: true, force: true})
}
