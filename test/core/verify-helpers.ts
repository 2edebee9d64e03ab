// Shared by the verify unit tests: plans from the shipped topologies and real captured output.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {planFromText} from '../../src/topology/load.js'
import type {LabPlan} from '../../src/plan/plan.js'
import type {ExecResult} from '../../src/io/executor.js'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export function shippedPlan(name: string): LabPlan {
  return planFromText(readFileSync(path.join(ROOT, 'topologies', `${name}.yaml`), 'utf8'), `topologies/${name}.yaml`).plan
}

/** Output captured from real FRR 8.4 / iputils / iperf3 in network namespaces: `frr/…` (vtysh JSON) or `verify/…`. */
export function fixture(file: string): string {
  return readFileSync(path.join(ROOT, 'test/fixtures', file), 'utf8')
}

export const ok = (stdout: string): ExecResult => ({stdout, stderr: '', exitCode: 0})
export const failed = (stderr: string, exitCode = 1, stdout = ''): ExecResult => ({stdout, stderr, exitCode})
