// Find and read an exercise: an id in exercises/ or a path; its topology is a name in topologies/ or a
// path relative to the exercise file. Every problem is located; a bad file throws a TopologyError.
import {existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {instantiateExercise, parseExercise, type ParsedExercise} from '../exercise/load.js'
import type {Exercise} from '../exercise/resolve.js'
import {pickValues, type Values} from '../exercise/variables.js'
import {TopologyError, type Diagnostic} from '../topology/diagnostics.js'
import {didYouMean, suggest} from '../util/suggest.js'
import {UsageError} from './errors.js'
import {PACKAGE_ROOT} from './paths.js'
import {asClassMember, classMember, readNamedFile} from './acting-user.js'
import {readTopology, resolveTopologyPath} from './topology-file.js'
import {isTeachersFile, teachersExerciseById} from './teacher-exercises.js'

const EXERCISE_DIRS = () => [path.resolve('exercises'), path.join(PACKAGE_ROOT, 'exercises')]

export function shippedExercises(): {id: string; file: string}[] {
  const found = new Map<string, string>()
  for (const dir of EXERCISE_DIRS()) {
    if (!existsSync(dir)) continue
    for (const file of readdirSync(dir).sort()) if (file.endsWith('.yaml') && !found.has(file)) found.set(file.replace(/\.yaml$/, ''), path.join(dir, file))
  }
  return [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, file]) => ({id, file}))
}

export function resolveExercisePath(reference: string): string {
  if (reference.includes('/') || reference.endsWith('.yaml') || reference.endsWith('.yml')) {
    if (existsSync(reference)) return reference
    throw new UsageError(`exercise file ${reference} does not exist`, 'check the path')
  }
  const shipped = shippedExercises()
  const match = shipped.find((e) => e.id === reference)
  if (match) return path.relative(process.cwd(), match.file) || match.file
  const ids = shipped.map((e) => e.id)
  throw new UsageError(`no exercise named "${reference}"${didYouMean(suggest(reference, ids))}`, `lab exercise list shows them; or give a path to a YAML file`)
}

interface ReadExercise {
  parsed: ParsedExercise
  where: {file: string; topologyFile: string}
  load(values: Values): Exercise
}

function read(reference: string): ReadExercise {
  // A teacher's exercise (teacher-exercises.ts) is read as root; a class member's file with their own rights.
  const teachers = teachersExerciseById(reference) ?? (isTeachersFile(reference) ? reference : undefined)
  return teachers ? readAsIs(teachers) : asClassMember(() => readAsIs(reference))
}

function readAsIs(reference: string): ReadExercise {
  const file = resolveExercisePath(reference)
  const {parsed, diagnostics} = parseExercise(readNamedFile(file, 'exercise'), file)
  if (!parsed) throw new TopologyError(diagnostics)
  const relative = path.join(path.dirname(file), parsed.raw.topology)
  const topologyRef = existsSync(relative) && parsed.raw.topology.includes('.') ? relative : parsed.raw.topology
  let topologyFile: string
  try {
    topologyFile = resolveTopologyPath(topologyRef)
  } catch (error) {
    const problem: Diagnostic = {severity: 'error', message: `topology: ${(error as Error).message}`, fix: (error as UsageError).fix, path: ['topology']}
    throw new TopologyError([parsed.source.locate(problem)])
  }
  const {topology} = readTopology(topologyFile)
  const where = {file, topologyFile}
  return {
    parsed,
    where,
    load(values) {
      const result = instantiateExercise(parsed, where, topology, values)
      if (!result.exercise) throw new TopologyError(result.diagnostics)
      return result.exercise
    },
  }
}

/** The exercise as a student gets it: one value per variable, picked by the seed (which may depend on the exercise id, e.g. the default lab name). */
export function readExercise(reference: string, seed: string | ((id: string) => string)): Exercise {
  const exercise = read(reference)
  const chosen = typeof seed === 'string' ? seed : seed(exercise.parsed.raw.exercise)
  return exercise.load(pickValues(exercise.parsed.raw.variables ?? {}, chosen))
}

/** Lint: the exercise with every value of every variable (the others at their first value); every problem once. */
export function lintExercise(reference: string): Exercise {
  const exercise = read(reference)
  const variables = exercise.parsed.raw.variables ?? {}
  const first = Object.fromEntries(Object.entries(variables).map(([name, values]) => [name, values[0]]))
  const problems = new Map<string, Diagnostic>()
  let result: Exercise | undefined
  const tries = [first, ...Object.entries(variables).flatMap(([name, values]) => values.slice(1).map((value) => ({...first, [name]: value})))]
  for (const values of tries) {
    try {
      const loaded = exercise.load(values)
      result ??= loaded
    } catch (error) {
      if (!(error instanceof TopologyError)) throw error
      for (const d of error.diagnostics) problems.set(`${d.line}:${d.column}:${d.message}`, d)
    }
  }
  if (problems.size > 0) throw new TopologyError([...problems.values()])
  return result!
}

/** A teacher's exercise run by a class member: its faults and solution are not theirs to see. */
export function keptFromClassMember(exercise: Exercise): boolean {
  return classMember() !== undefined && isTeachersFile(exercise.file)
}

export function assertNotKeptFromClassMember(exercise: Exercise): void {
  if (keptFromClassMember(exercise)) throw new UsageError(`${exercise.id} is your teacher's exercise: its faults and solution are kept from the class`, `lab exercise start ${exercise.id}, then lab exercise check`)
}
