// Grading: every check of an exercise run on the live lab (through the verify runner: parallel,
// retried while state settles), then `needs` applied: a check whose prerequisite did not pass is
// blocked, not failed. The score is the points of the checks that passed.
import type {NodeExecutor} from '../io/executor.js'
import {prepareCheck} from '../kinds/checks/index.js'
import type {LabPlan} from '../plan/plan.js'
import {labFacts} from '../verify/facts.js'
import {runChecks} from '../verify/runner.js'
import type {Exercise} from './resolve.js'

export type GradeStatus = 'pass' | 'fail' | 'blocked'

export interface GradedResult {
  name: string
  kind: string
  points: number
  status: GradeStatus
  detail: string
  /** Shown while the check does not pass. */
  hint?: string
  durationMs: number
}

/** `lab exercise check --json` (schema/exercise-result.schema.json). */
export interface ExerciseResult {
  exercise: string
  lab: string
  score: number
  max: number
  checks: GradedResult[]
}

export interface GradeOptions {
  /** Seconds a failing check is retried while state settles. */
  waitMs: number
  concurrency?: number
  signal?: AbortSignal
}

export async function gradeExercise(exercise: Exercise, plan: LabPlan, executor: NodeExecutor, options: GradeOptions): Promise<ExerciseResult> {
  const facts = labFacts(plan)
  const prepared = exercise.checks.map((graded, index) => ({...prepareCheck(graded.check, facts, index), name: graded.name}))
  const results = await runChecks(prepared, {executor, concurrency: options.concurrency ?? 6, waitMs: options.waitMs, signal: options.signal})
  const statusOf = new Map<string, GradeStatus>()
  const checks = exercise.checks.map((graded, i): GradedResult => {
    const result = results[i]
    const blockedBy = graded.needs.filter((name) => statusOf.get(name) !== 'pass')
    const status: GradeStatus = blockedBy.length > 0 ? 'blocked' : result.status === 'pass' ? 'pass' : 'fail'
    statusOf.set(graded.name, status)
    const detail = status === 'blocked' ? `blocked until ${blockedBy.join(', ')} pass${blockedBy.length === 1 ? 'es' : ''}; ${result.detail}` : result.detail
    return {name: graded.name, kind: graded.check.kind, points: graded.points, status, detail, ...(status === 'fail' && graded.hint && {hint: graded.hint}), durationMs: result.durationMs}
  })
  return {
    exercise: exercise.id,
    lab: plan.name,
    score: checks.filter((c) => c.status === 'pass').reduce((sum, c) => sum + c.points, 0),
    max: exercise.checks.reduce((sum, c) => sum + c.points, 0),
    checks,
  }
}
