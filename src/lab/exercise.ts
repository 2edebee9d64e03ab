// Exercises on a live lab: start (up, converge, faults), check (grade), reset (rebuild, faults again),
// prove (a teacher's proof that the exercise is solvable). Which exercise a lab runs, and with which
// seed, is kept in labs/<lab>/exercise.json, so `check` and `reset` grade and rebuild the same one.
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {gradeExercise, type ExerciseResult} from '../exercise/grade.js'
import type {Exercise} from '../exercise/resolve.js'
import {OperationError, UsageError} from '../io/errors.js'
import {readExercise} from '../io/exercise-file.js'
import type {NodeExecutor} from '../io/executor.js'
import {readLabPlan} from '../io/lab-plan.js'
import {labDir} from '../io/paths.js'
import type {Progress} from '../io/progress.js'
import {readPlan} from '../io/topology-file.js'
import {applyFault, type Fault} from '../kinds/faults/index.js'
import type {LabPlan} from '../plan/plan.js'
import type {LabOwner, Provider, ProviderSpec} from '../providers/provider.js'
import {labOwner, linkPortLimits} from '../providers/registry.js'
import {labNameProblem} from '../topology/schema.js'
import {sleep} from '../util/sleep.js'
import {upLab} from './up.js'
import {downLab} from './down.js'

export const EXERCISE_STATE = 'exercise.json'

/** What a lab remembers of its exercise. */
export interface ExerciseState {
  exercise: string
  file: string
  seed: string
}

export function readExerciseState(lab: string, dir: string): ExerciseState {
  const file = path.join(dir, EXERCISE_STATE)
  if (!existsSync(file)) throw new UsageError(`lab ${lab} runs no exercise`, 'lab exercise start <exercise>; lab exercise list shows them')
  return JSON.parse(readFileSync(file, 'utf8')) as ExerciseState
}

export interface ExerciseRun {
  spec: ProviderSpec
  progress: Progress
  signal: AbortSignal
  timeoutMs: number
  /** Whose lab it is, when not whoever runs lab (a class: the student's account). */
  owner?: LabOwner
}

/** The lab an exercise builds: its topology under the lab's name. */
export function exercisePlan(exercise: Exercise, lab: string, spec: ProviderSpec): LabPlan {
  const problem = labNameProblem(lab)
  if (problem) throw new UsageError(problem, `give the lab a shorter name: --name ${lab.slice(0, 20).replace(/-$/, '')}`)
  return readPlan(exercise.topologyFile, {limits: linkPortLimits(spec.name), name: lab}).plan
}

/** Apply steps in order, through the provider's executor (and its daemon control); resolves to what each did. */
export async function applySteps(steps: readonly Fault[], plan: LabPlan, provider: Provider, signal: AbortSignal): Promise<string[]> {
  const dir = labDir(plan.name)
  const context = {plan, executor: provider.executor(plan.name, dir), labDir: dir, signal, daemons: provider.daemonControl?.(plan.name, dir)}
  const done: string[] = []
  for (const step of steps) {
    signal.throwIfAborted()
    done.push(await applyFault(step, context))
  }
  return done
}

/** Up, converged, faulted, remembered. A failure while faulting takes the lab down again. */
export async function startExercise(exercise: Exercise, lab: string, seed: string, run: ExerciseRun): Promise<{plan: LabPlan; applied: string[]}> {
  const plan = exercisePlan(exercise, lab, run.spec)
  const up = await upLab({plan, spec: run.spec, timeoutMs: run.timeoutMs, progress: run.progress, signal: run.signal, owner: run.owner})
  const provider = await run.spec.load()
  try {
    run.progress.step(`applying ${exercise.faults.length} fault${exercise.faults.length === 1 ? '' : 's'}`)
    const applied = await applySteps(exercise.faults, plan, provider, run.signal)
    run.progress.step('waiting until the faults show')
    await gradeFaulted((waitMs) => gradeExercise(exercise, plan, provider.executor(plan.name, up.dir), {waitMs, signal: run.signal}), run.signal)
    const state: ExerciseState = {exercise: exercise.id, file: path.resolve(exercise.file), seed}
    writeFileSync(path.join(up.dir, EXERCISE_STATE), `${JSON.stringify(state, null, 2)}\n`)
    return {plan, applied}
  } catch (error) {
    await downLab(plan.name, up.dir, provider)
    throw error
  }
}

/** The lab's exercise, graded now. */
export async function checkExercise(lab: string, dir: string, executor: NodeExecutor, options: {waitMs: number; signal?: AbortSignal}): Promise<ExerciseResult> {
  const state = readExerciseState(lab, dir)
  const exercise = readExercise(state.file, state.seed)
  return gradeExercise(exercise, readLabPlan(lab, dir), executor, options)
}

/** Back to the faulted start: the lab is rebuilt from its plan (whatever the student changed), then faulted again. */
export async function resetExercise(lab: string, dir: string, run: ExerciseRun): Promise<{plan: LabPlan; applied: string[]; exercise: Exercise}> {
  const state = readExerciseState(lab, dir)
  const exercise = readExercise(state.file, state.seed)
  const provider = await run.spec.load()
  const owner = labOwner(lab) // rebuilt, it stays the student's
  run.progress.step(`taking ${lab} down`)
  await downLab(lab, dir, provider)
  return {...(await startExercise(exercise, lab, state.seed, {...run, ...(owner && {owner})})), exercise}
}

/** How long prove waits for a fault, or a solution, to show. */
const SETTLE_MS = 60_000

/**
 * On a fresh lab: every check passes before the faults, at least one fails after them, all pass after
 * the solution. The lab is always taken down; the result says which stage failed and why.
 */
export async function proveExercise(exercise: Exercise, lab: string, run: ExerciseRun): Promise<{stages: {stage: string; result: ExerciseResult}[]}> {
  const plan = exercisePlan(exercise, lab, run.spec)
  const up = await upLab({plan, spec: run.spec, timeoutMs: run.timeoutMs, progress: run.progress, signal: run.signal})
  const provider = await run.spec.load()
  const executor = provider.executor(plan.name, up.dir)
  const stages: {stage: string; result: ExerciseResult}[] = []
  const grade = (waitMs: number) => gradeExercise(exercise, plan, executor, {waitMs, signal: run.signal})
  try {
    run.progress.step('before the faults: every check must pass')
    const healthy = await grade(SETTLE_MS)
    stages.push({stage: 'before the faults', result: healthy})
    if (healthy.score < healthy.max) throw proofFailure(exercise, 'before the faults', healthy, 'the topology itself does not pass these checks')
    run.progress.step(`applying ${exercise.faults.length} fault(s): at least one check must fail`)
    await applySteps(exercise.faults, plan, provider, run.signal)
    const broken = await gradeFaulted(grade, run.signal)
    stages.push({stage: 'after the faults', result: broken})
    if (broken.score === broken.max) throw proofFailure(exercise, 'after the faults', broken, 'the faults break nothing the checks see')
    run.progress.step(`applying the solution (${exercise.solution.length} step(s)): every check must pass`)
    await applySteps(exercise.solution, plan, provider, run.signal)
    const solved = await grade(SETTLE_MS)
    stages.push({stage: 'after the solution', result: solved})
    if (solved.score < solved.max) throw proofFailure(exercise, 'after the solution', solved, 'the solution does not fix what the checks see')
    return {stages}
  } finally {
    run.progress.step(`taking ${plan.name} down`)
    await downLab(plan.name, up.dir, provider)
  }
}

/** Gradings in a row that must agree before a faulted lab counts as settled. */
const SETTLED_ROUNDS = 3

/**
 * Faults take a moment to show everywhere (a route-map's timer, a withdrawal crossing the fabric):
 * grade until some check fails and the statuses stayed the same for a few rounds, bounded.
 */
async function gradeFaulted(grade: (waitMs: number) => Promise<ExerciseResult>, signal: AbortSignal): Promise<ExerciseResult> {
  const deadline = Date.now() + SETTLE_MS
  let previous = ''
  let same = 0
  for (;;) {
    const result = await grade(0)
    const statuses = result.checks.map((c) => c.status).join()
    same = statuses === previous ? same + 1 : 1
    previous = statuses
    if ((result.score < result.max && same >= SETTLED_ROUNDS) || Date.now() > deadline || signal.aborted) return result
    await sleep(300, signal)
  }
}

function proofFailure(exercise: Exercise, stage: string, result: ExerciseResult, why: string): OperationError {
  const failing = result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.name}: ${c.status}, ${c.detail}`)
  const detail = failing.length > 0 ? failing.join('; ') : `all ${result.checks.length} checks pass`
  return new OperationError(`exercise ${exercise.id} is not proven: ${stage}, ${why} (${result.score}/${result.max}): ${detail}`, `fix exercises/${exercise.id}.yaml (faults, checks or solution), then lab exercise prove ${exercise.id} again`)
}
