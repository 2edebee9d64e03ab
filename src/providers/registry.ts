// Providers by name (containerlab's NodeRegistry, small): every command takes provider names, limits
// and files from this one list; unknown names fail with the known ones. A provider's runtime is
// loaded only when a command needs it, so validate and render stay quick.
import {UsageError} from '../io/errors.js'
import {resolveLabDir} from '../io/paths.js'
import {classMember} from '../io/acting-user.js'
import {readState} from './netns/state.js'
import type {LinkPortLimit} from '../topology/model.js'
import {NAME_PATTERN} from '../topology/names.js'
import {didYouMean, suggest} from '../util/suggest.js'
import {netnsSpec} from './netns/index.js'
import type {LabOwner, Provider, ProviderSpec} from './provider.js'
import {qemuSpec} from './qemu/index.js'
import {vagrantSpec} from './vagrant/index.js'

export const PROVIDER_SPECS: readonly ProviderSpec[] = [netnsSpec, vagrantSpec, qemuSpec]

export const PROVIDER_NAMES = PROVIDER_SPECS.map((spec) => spec.name)

export function defaultProviderName(): string {
  return process.platform === 'linux' ? 'netns' : 'vagrant'
}

export function providerSpec(name: string = defaultProviderName()): ProviderSpec {
  const spec = PROVIDER_SPECS.find((s) => s.name === name)
  if (spec) return spec
  throw new UsageError(`unknown provider "${name}"${didYouMean(suggest(name, PROVIDER_NAMES))}`, `use one of: ${PROVIDER_NAMES.join(', ')}`)
}

export function getProvider(name: string = defaultProviderName()): Promise<Provider> {
  return providerSpec(name).load()
}

/** Every provider's link limit, enforced for the one the lab is for and a warning for the others. */
export function linkPortLimits(provider: string = defaultProviderName()): LinkPortLimit[] {
  return PROVIDER_SPECS.flatMap((spec) => (spec.linkPortLimit ? [{...spec.linkPortLimit, enforced: spec.name === provider}] : []))
}

/** Every lab any provider has on this machine, each with the provider that has it (a class member: their own only). */
export async function labsOnMachine(): Promise<{lab: string; provider: Provider}[]> {
  const labs = await everyLabOnMachine()
  const member = classMember()
  return member ? labs.filter(({lab}) => ownedBy(lab, member.uid)) : labs
}

async function everyLabOnMachine(): Promise<{lab: string; provider: Provider}[]> {
  const found = new Map<string, Provider>()
  for (const spec of PROVIDER_SPECS) {
    const provider = await spec.load()
    for (const lab of await provider.labs()) if (!found.has(lab)) found.set(lab, provider)
  }
  return [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([lab, provider]) => ({lab, provider}))
}

/** Who brought a lab up, as its machine-wide state records it (netns labs; class members run no other kind). */
export function labOwner(lab: string): LabOwner | undefined {
  return readState(lab)?.owner
}

/** A lab without a recorded owner is root's. */
function ownedBy(lab: string, uid: number): boolean {
  return labOwner(lab)?.uid === uid
}

/** A class member names another user's lab: refused, whatever the command. */
async function assertMayUse(lab: string): Promise<void> {
  const member = classMember()
  if (!member || ownedBy(lab, member.uid)) return
  if (!(await everyLabOnMachine()).some((l) => l.lab === lab)) return // not up: the command says so itself
  throw new UsageError(`lab ${lab} is not yours: you may only use the labs you brought up`, `lab status lists yours; start your own copy with lab up <topology> --name <other-name>`)
}

/** The provider that has this lab on the machine, else the default one. */
async function providerOfLab(lab: string): Promise<Provider> {
  return (await labsOnMachine()).find((l) => l.lab === lab)?.provider ?? getProvider()
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
    await assertMayUse(name)
    return {lab: name, dir: resolveLabDir(name), provider: await providerOfLab(name)}
  }
  const labs = await labsOnMachine()
  if (labs.length === 1) return {lab: labs[0].lab, dir: resolveLabDir(labs[0].lab), provider: labs[0].provider}
  if (labs.length === 0) throw new NoLabUpError()
  throw new UsageError(`${labs.length} labs are up (${labs.map((l) => l.lab).join(', ')}); say which`, `name one, e.g. ${naming(labs[0].lab)}`)
}
