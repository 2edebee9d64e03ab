// The service behind `lab verify`: plan + executor in, the brief's result out. Knows no flags.
import type {LabPlan} from '../plan/plan.js'
import type {NodeExecutor} from '../io/executor.js'
import {runChecks, type RunOptions} from './runner.js'
import {buildSuite} from './suite.js'
import type {VerifyResult} from './types.js'

export interface VerifyOptions extends Omit<RunOptions, 'executor'> {
  provider: string
}

export async function verifyLab(plan: LabPlan, executor: NodeExecutor, options: VerifyOptions): Promise<VerifyResult> {
  const started = performance.now()
  const checks = await runChecks(buildSuite(plan), {...options, executor})
  const count = (status: string) => checks.filter((c) => c.status === status).length
  return {
    lab: plan.name,
    provider: options.provider,
    passed: count('pass'),
    failed: count('fail'),
    skipped: count('skip'),
    durationMs: Math.round(performance.now() - started),
    checks,
  }
}
