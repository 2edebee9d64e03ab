#!/usr/bin/env node
// Run many `lab` command lines through oclif in one Node process, as bin/run.js would run each one,
// and print one JSON result per line: {argv, exitCode, stdout, stderr}. Saves a Node + oclif start-up
// (~0.8 s) per command line, so the bad-input suite can put every fixture through the real CLI.
//   node test/support/cli-batch.mjs '[["validate","x.yaml"],["render","x.yaml","--out","/tmp/o"]]'
import {run, flush, handle} from '@oclif/core'
import {EventEmitter} from 'node:events'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

// Each run() adds process listeners; a hundred runs in one process is expected here, not a leak.
EventEmitter.defaultMaxListeners = 0
process.setMaxListeners(0)

const root = pathToFileURL(path.resolve(import.meta.dirname, '..', '..', 'bin', 'run.js')).href
const commands = JSON.parse(process.argv[2])
const realStdout = process.stdout.write.bind(process.stdout)
const realStderr = process.stderr.write.bind(process.stderr)
const results = []

for (const argv of commands) {
  let stdout = ''
  let stderr = ''
  process.stdout.write = (chunk) => ((stdout += chunk), true)
  process.stderr.write = (chunk) => ((stderr += chunk), true)
  process.exitCode = undefined
  let exitCode
  try {
    await run(argv, root)
    await flush()
  } catch (error) {
    // Same path as bin/run.js's execute(): oclif's handler prints the error and sets the exit code.
    const exit = process.exit
    process.exit = (code) => {
      exitCode = code
    }
    try {
      await handle(error)
    } finally {
      process.exit = exit
    }
  } finally {
    process.stdout.write = realStdout
    process.stderr.write = realStderr
  }
  results.push({argv, exitCode: exitCode ?? process.exitCode ?? 0, stdout, stderr})
  process.exitCode = undefined
}
realStdout(`${JSON.stringify(results)}\n`)
