// Providers by name (containerlab's NodeRegistry, small): unknown names fail with the known ones.
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {NAME_PATTERN} from '../core/names.js'
import {suggest} from '../core/suggest.js'
import {UsageError} from '../io/errors.js'
import {labDir} from '../io/paths.js'
import {netnsProvider} from './netns/index.js'
import type {Provider} from './provider.js'
import {qemuProvider} from './qemu/index.js'
import {vagrantProvider} from './vagrant.js'

const PROVIDERS: Record<string, Provider> = {netns: netnsProvider, vagrant: vagrantProvider, qemu: qemuProvider}

export const PROVIDER_NAMES = Object.keys(PROVIDERS)

export function defaultProviderName(): string {
  return process.platform === 'linux' ? 'netns' : 'vagrant'
}

export function getProvider(name: string = defaultProviderName()): Provider {
  const provider = PROVIDERS[name]
  if (provider) return provider
  const guess = suggest(name, PROVIDER_NAMES)
  throw new UsageError(`unknown provider "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}`, `use one of: ${PROVIDER_NAMES.join(', ')}`)
}

/** The provider a lab was brought up with (its state file says), else the default. */
export function providerOfLab(lab: string): Provider {
  const file = path.join(labDir(lab), 'state.json')
  if (existsSync(file)) {
    try {
      const name = (JSON.parse(readFileSync(file, 'utf8')) as {provider?: string}).provider
      if (name && PROVIDERS[name]) return PROVIDERS[name]
    } catch {
      // unreadable state: fall back
    }
  }
  return getProvider()
}

/** Every lab any provider has on this machine. */
export async function labsOnMachine(): Promise<{lab: string; provider: Provider}[]> {
  const found = new Map<string, Provider>()
  for (const provider of Object.values(PROVIDERS)) for (const lab of await provider.labs()) if (!found.has(lab)) found.set(lab, provider)
  return [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([lab, provider]) => ({lab, provider}))
}

/** A lab was left out and none is up. */
export class NoLabUpError extends UsageError {
  constructor() {
    super('no lab is up', 'lab up <topology>')
  }
}

/**
 * `<lab>` as the brief has it: named, or left out when exactly one lab is up. `naming` is how the
 * calling command names a lab (`lab verify <lab>`, `lab exec --lab <lab> …`), for the fix when two are.
 */
export async function resolveLab(name: string | undefined, naming: (lab: string) => string): Promise<{lab: string; dir: string; provider: Provider}> {
  if (name) {
    if (!NAME_PATTERN.test(name)) throw new UsageError(`"${name}" is not a lab name (lowercase letters, digits, '-')`, 'lab status lists the labs that are up')
    return {lab: name, dir: labDir(name), provider: providerOfLab(name)}
  }
  const labs = await labsOnMachine()
  if (labs.length === 1) return {lab: labs[0].lab, dir: labDir(labs[0].lab), provider: labs[0].provider}
  if (labs.length === 0) throw new NoLabUpError()
  throw new UsageError(`${labs.length} labs are up (${labs.map((l) => l.lab).join(', ')}); say which`, `name one, e.g. ${naming(labs[0].lab)}`)
}
