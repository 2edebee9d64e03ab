// A class on one server: one lab per student, named after the student, each with its own seed;
// brought up a few at a time (2 cores), graded together into a gradebook, taken down together.
import {existsSync, readFileSync} from 'node:fs'
import {gradeExercise, type ExerciseResult} from '../exercise/grade.js'
import type {Exercise} from '../exercise/resolve.js'
import {UsageError} from '../io/errors.js'
import {readExercise} from '../io/exercise-file.js'
import {readLabPlan} from '../io/lab-plan.js'
import {labDir, resolveLabDir} from '../io/paths.js'
import type {Progress} from '../io/progress.js'
import type {LabPlan} from '../plan/plan.js'
import type {Provider, ProviderSpec} from '../providers/provider.js'
import {readMachineLimits} from '../providers/netns/machine.js'
import {labsOnMachine} from '../providers/registry.js'
import {labNameProblem} from '../topology/schema.js'
import {lookupId} from '../linux/accounts.js'
import type {LabOwner} from '../providers/provider.js'
import {mapLimit} from '../util/pool.js'
import {readExerciseState, startExercise} from './exercise.js'
import {downLab} from './down.js'

/** Labs built at once by default: a build mostly waits (process start-up, BGP timers); measured on 2 cores, 30 students: 4 at once 41.7 s, 6 33.3 s, 10 27.1 s (bench/class-up.sh). */
export const CLASS_CONCURRENCY = 10

/** Students, one per line (`#` comments and blank lines ignored); each name becomes a lab name. */
export function readStudents(file: string): string[] {
  if (!existsSync(file)) throw new UsageError(`students file ${file} does not exist`, 'write one student name per line, e.g. "alice"')
  const students: string[] = []
  const problems: string[] = []
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    const name = line.replace(/#.*/, '').trim()
    if (!name) return
    const problem = labNameProblem(name)
    if (problem) problems.push(`${file}:${i + 1}:1: ${problem}`)
    else if (students.includes(name)) problems.push(`${file}:${i + 1}:1: student "${name}" is listed twice`)
    else students.push(name)
  })
  if (problems.length > 0) throw new UsageError(problems.join('\n'), 'names are lab names: lowercase letters, digits and "-", at most 24 characters, one per line')
  if (students.length === 0) throw new UsageError(`${file} names no student`, 'write one student name per line, e.g. "alice"')
  return students
}

/** FRR's resident memory per routing node, measured on two-spine-two-leaf (123 MB for 5 routers), with room. */
const MB_PER_ROUTER = 30
/** IPv6 neighbour entries per link end: the peer's link-local address, with half again as margin. */
const NEIGHBOURS_PER_LINK_END = 1.5

/** Refuses, with the numbers and the fix, a class the machine cannot hold: memory and the kernel's neighbour table. */
export function checkCapacity(plan: LabPlan, students: number): void {
  const routers = plan.nodes.filter((n) => n.daemons.length > 0).length
  const needMb = students * routers * MB_PER_ROUTER
  const machine = readMachineLimits()
  const availableMb = machine.memAvailableMb
  if (needMb > availableMb * 0.8) {
    throw new UsageError(
      `a class of ${students} needs about ${needMb} MB (${routers} FRR nodes × ${MB_PER_ROUTER} MB per lab); this machine has ${availableMb} MB available`,
      `split the class (fewer names in the students file), or free memory; each lab takes about ${routers * MB_PER_ROUTER} MB`,
    )
  }
  // Every namespace's neighbours share the machine's table (net.ipv6.neigh.default.gc_thresh3).
  const neighbours = Math.ceil(students * plan.links.length * 2 * NEIGHBOURS_PER_LINK_END)
  const limit = machine.neighbours.find((t) => t.family === 'ipv6')!.thresh[2]
  if (neighbours > limit) {
    throw new UsageError(
      `a class of ${students} needs about ${neighbours} IPv6 neighbour entries; the kernel keeps at most ${limit} (net.ipv6.neigh.default.gc_thresh3), shared by every lab`,
      `raise it first: sysctl -w net.ipv6.neigh.default.gc_thresh1=${neighbours} net.ipv6.neigh.default.gc_thresh2=${neighbours * 2} net.ipv6.neigh.default.gc_thresh3=${neighbours * 4}`,
    )
  }
}

export interface ClassStart {
  student: string
  ok: boolean
  error?: string
}

export async function classUp(reference: string, students: string[], run: {spec: ProviderSpec; progress: Progress; signal: AbortSignal; timeoutMs: number; parallel?: number}): Promise<ClassStart[]> {
  const exercises = new Map(students.map((student) => [student, readExercise(reference, student)]))
  const quiet: Progress = {step: () => {}, detail: () => {}}
  let done = 0
  return mapLimit(students, run.parallel ?? CLASS_CONCURRENCY, async (student): Promise<ClassStart> => {
    try {
      run.signal.throwIfAborted()
      await startExercise(exercises.get(student)!, student, student, {...run, progress: quiet, ...studentAccount(student)})
      run.progress.detail(`${student}: up and faulted (${++done}/${students.length})`)
      run.progress.count?.(done, students.length)
      return {student, ok: true}
    } catch (error) {
      run.progress.detail(`${student}: FAILED: ${(error as Error).message.split('\n')[0]}`)
      return {student, ok: false, error: (error as Error).message}
    }
  })
}

/** A student with an account of that name on the server owns their lab (a class group member may then use it). */
function studentAccount(student: string): {owner?: LabOwner} {
  const uid = lookupId('/etc/passwd', student)
  return uid !== undefined && uid > 0 ? {owner: {uid, user: student}} : {}
}

/** The labs on this machine that run this exercise, by student (lab) name. */
export async function classLabs(exercise: Exercise): Promise<{student: string; provider: Provider}[]> {
  const labs = await labsOnMachine()
  return labs
    .filter(({lab}) => {
      try {
        return readExerciseState(lab, labDir(lab)).exercise === exercise.id
      } catch {
        return false
      }
    })
    .map(({lab, provider}) => ({student: lab, provider}))
}

export interface GradebookRow {
  student: string
  result: ExerciseResult
  /** Hints the student is being shown (one per failing check that has one). */
  hints: number
}

export async function classCheck(reference: string, waitMs: number): Promise<GradebookRow[]> {
  const exercise = readExercise(reference, '')
  const labs = await classLabs(exercise)
  if (labs.length === 0) throw new UsageError(`no lab on this machine runs exercise ${exercise.id}`, `lab class up ${exercise.id} --students <file>`)
  return mapLimit(labs, 4, async ({student, provider}) => {
    const dir = labDir(student)
    const state = readExerciseState(student, dir)
    const result = await gradeExercise(readExercise(state.file, state.seed), readLabPlan(student, dir), provider.executor(student, dir), {waitMs})
    return {student, result, hints: result.checks.filter((c) => c.hint).length}
  })
}

export async function classDown(reference: string): Promise<string[]> {
  const labs = await classLabs(readExercise(reference, ''))
  await mapLimit(labs, CLASS_CONCURRENCY, ({student, provider}) => downLab(student, resolveLabDir(student), provider))
  return labs.map((l) => l.student)
}

/** The gradebook as CSV: student, score, max, hints, then each check's status. */
export function gradebookCsv(rows: GradebookRow[]): string {
  const checks = rows[0]?.result.checks.map((c) => c.name) ?? []
  const quote = (value: string | number) => (/[",\n]/.test(String(value)) ? `"${String(value).replaceAll('"', '""')}"` : String(value))
  const lines = [['student', 'score', 'max', 'hints', ...checks].map(quote).join(',')]
  for (const row of rows) lines.push([row.student, row.result.score, row.result.max, row.hints, ...row.result.checks.map((c) => c.status)].map(quote).join(','))
  return `${lines.join('\n')}\n`
}

export function formatGradebook(rows: GradebookRow[]): string {
  const width = Math.max(7, ...rows.map((r) => r.student.length))
  const checks = rows[0]?.result.checks.map((c) => c.name) ?? []
  const header = `${'student'.padEnd(width)}  score  hints  ${checks.join('  ')}`
  const lines = rows.map((r) => `${r.student.padEnd(width)}  ${`${r.result.score}/${r.result.max}`.padStart(5)}  ${String(r.hints).padStart(5)}  ${r.result.checks.map((c, i) => c.status.padEnd(checks[i].length)).join('  ')}`)
  const solved = rows.filter((r) => r.result.score === r.result.max).length
  return [header, ...lines, '', `${solved} of ${rows.length} solved`].join('\n')
}

