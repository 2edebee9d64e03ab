// Find and read a topology: a name in topologies/ or a path.
import {existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {TopologyError} from '../topology/diagnostics.js'
import {loadTopology} from '../topology/load.js'
import type {LinkPortLimit, Topology} from '../topology/model.js'
import {planLab, type LabPlan} from '../plan/plan.js'
import {labNameProblem} from '../topology/schema.js'
import type {Diagnostic} from '../topology/diagnostics.js'
import {didYouMean, suggest} from '../util/suggest.js'
import {UsageError} from './errors.js'
import {PACKAGE_ROOT} from './paths.js'
import {asClassMember, readNamedFile} from './acting-user.js'
import {isTeachersFile} from './teacher-exercises.js'

const TOPOLOGY_DIRS = () => [path.resolve('topologies'), path.join(PACKAGE_ROOT, 'topologies')]

export function shippedTopologies(): string[] {
  const names = new Set<string>()
  for (const dir of TOPOLOGY_DIRS()) {
    if (!existsSync(dir)) continue
    for (const file of readdirSync(dir)) if (file.endsWith('.yaml')) names.add(file.replace(/\.yaml$/, ''))
  }
  return [...names].sort()
}

/** `two-spine-two-leaf` ⇒ topologies/two-spine-two-leaf.yaml (here, then in the package); anything else is a path. */
export function resolveTopologyPath(reference: string): string {
  const looksLikePath = reference.includes('/') || reference.endsWith('.yaml') || reference.endsWith('.yml')
  if (looksLikePath) {
    if (existsSync(reference)) return reference
    throw new UsageError(`topology file ${reference} does not exist`, 'check the path')
  }
  for (const dir of TOPOLOGY_DIRS()) {
    const candidate = path.join(dir, `${reference}.yaml`)
    if (existsSync(candidate)) return path.relative(process.cwd(), candidate) || candidate
  }
  const known = shippedTopologies()
  const guess = suggest(reference, known)
  throw new UsageError(
    `no topology named "${reference}"${didYouMean(guess)}`,
    `use a path to a YAML file, or one of: ${known.join(', ')}`,
  )
}

export interface LoadedTopology {
  file: string
  topology: Topology
  warnings: Diagnostic[]
}

/** `limits`: the providers' link limits (providers/registry linkPortLimits), checked with the topology. */
/** A class member's file is found and read with their own rights (acting-user.ts). */
export function readTopology(reference: string, limits: readonly LinkPortLimit[] = []): LoadedTopology {
  // A teacher's exercise's topology beside it is read as root; a class member's file with their rights.
  const read = () => {
    const file = resolveTopologyPath(reference)
    return {file, text: readNamedFile(file, 'topology')}
  }
  const {file, text} = isTeachersFile(reference) ? read() : asClassMember(read)
  const {topology, diagnostics} = loadTopology(text, file, {limits})
  if (!topology) throw new TopologyError(diagnostics)
  return {file, topology, warnings: diagnostics}
}

export function readPlan(reference: string, options: {limits?: readonly LinkPortLimit[]; name?: string} = {}): LoadedTopology & {plan: LabPlan} {
  const problem = options.name === undefined ? undefined : labNameProblem(options.name)
  if (problem) throw new UsageError(problem, 'use lowercase letters, digits and "-", e.g. --name my-lab')
  const loaded = readTopology(reference, options.limits)
  const topology = options.name ? {...loaded.topology, name: options.name} : loaded.topology
  return {...loaded, topology, plan: planLab(topology)}
}
