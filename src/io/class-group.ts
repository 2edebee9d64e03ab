// Students without root: `lab setup --class-group G` lets members of G run lab's privileged commands
// through sudo, and through one root-owned helper script only. lab itself then acts for the member
// (acting-user.ts): their own labs, their own rendered files, files they name read with their rights.
// The same shape as containerlab's clab_admins group, with sudo (a Debian package) as the gate.
import {chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {execa} from 'execa'
import {CLASS_HELPER_ENV, STUDENT_LABS_ROOT} from './acting-user.js'
import {UsageError} from './errors.js'
import {PACKAGE_ROOT} from './paths.js'
import {which} from './tools.js'
import {lookupId} from '../linux/accounts.js'

export const CLASS_CONFIG = '/etc/lab/class.json'
export const CLASS_HELPER = '/usr/local/libexec/lab/class-helper'
export const CLASS_SUDOERS = '/etc/sudoers.d/lab-class'

export interface ClassLimits {
  /** Labs one member may have up at once. */
  maxLabs: number
  /** Nodes of one member's labs together. */
  maxNodes: number
}

/** Defaults: a few two-spine-two-leaf sized labs per student (a 30-student class is about 2 GB; docs/shared-server.md). */
export const CLASS_LIMITS: ClassLimits = {maxLabs: 3, maxNodes: 40}

export interface ClassSetup {
  group: string
  helper: string
  limits?: Partial<ClassLimits>
}

export function readClassSetup(): ClassSetup | undefined {
  try {
    const setup = JSON.parse(readFileSync(CLASS_CONFIG, 'utf8')) as Partial<ClassSetup>
    if (typeof setup.group !== 'string' || typeof setup.helper !== 'string') return undefined
    const limits = Object.fromEntries(Object.entries(setup.limits ?? {}).filter(([key, value]) => key in CLASS_LIMITS && Number.isInteger(value) && (value as number) > 0))
    return {group: setup.group, helper: setup.helper, limits}
  } catch {
    return undefined
  }
}

const GROUP_NAME = /^[a-z_][a-z0-9_-]{0,31}$/

/** Write the helper, the sudoers rule (checked by visudo) and /etc/lab/class.json; creates the group if missing. */
export async function setUpClassGroup(group: string, limits: ClassLimits = CLASS_LIMITS): Promise<{created: boolean; files: string[]}> {
  if (process.getuid?.() !== 0) throw new UsageError('lab setup changes sudoers and /etc/lab: it needs root', `sudo lab setup --class-group ${group}`)
  if (!GROUP_NAME.test(group)) throw new UsageError(`"${group}" is not a group name`, 'use lowercase letters, digits, "-" and "_", e.g. --class-group netlab')
  if (!which('sudo') || !which('visudo')) throw new UsageError('class members reach lab through sudo, which is not installed', 'apt-get install sudo')
  const entry = path.join(PACKAGE_ROOT, 'bin', 'run.js')
  const node = realpathSync(process.execPath)
  // package.json and the manifest (when built) tell oclif where the commands are.
  const manifest = path.join(PACKAGE_ROOT, 'oclif.manifest.json')
  for (const file of [entry, node, path.join(PACKAGE_ROOT, 'package.json'), ...(existsSync(manifest) ? [manifest] : []), path.join(PACKAGE_ROOT, 'dist'), path.join(PACKAGE_ROOT, 'node_modules')]) assertOnlyRootWrites(file)

  const created = lookupId('/etc/group', group) === undefined
  if (created) await execa('groupadd', [group])

  mkdirSync(path.dirname(CLASS_HELPER), {recursive: true, mode: 0o755})
  writeAtomically(CLASS_HELPER, helperScript(group, node, entry), 0o755)
  const rule = sudoersRule(group)
  const candidate = path.join(path.dirname(CLASS_SUDOERS), '.lab-class.candidate') // a name with a dot: sudo never reads it
  writeFileSync(candidate, rule, {mode: 0o440})
  try {
    const check = await execa('visudo', ['-cf', candidate], {reject: false, all: true})
    if (check.exitCode !== 0) throw new UsageError(`visudo rejected the rule lab wrote: ${check.all?.trim()}`, 'this is a bug in lab; the machine was not changed')
    renameSync(candidate, CLASS_SUDOERS)
  } finally {
    rmSync(candidate, {force: true})
  }
  mkdirSync(STUDENT_LABS_ROOT, {recursive: true, mode: 0o755})
  mkdirSync(path.dirname(CLASS_CONFIG), {recursive: true, mode: 0o755})
  writeAtomically(CLASS_CONFIG, `${JSON.stringify({group, helper: CLASS_HELPER, limits} satisfies ClassSetup, null, 2)}\n`, 0o644)
  return {created, files: [CLASS_HELPER, CLASS_SUDOERS, CLASS_CONFIG]}
}

/** Undo setUpClassGroup (the group and students' rendered files stay). Idempotent. */
export function removeClassGroup(): string[] {
  if (process.getuid?.() !== 0) throw new UsageError('lab setup changes sudoers and /etc/lab: it needs root', 'sudo lab setup --remove')
  return [CLASS_SUDOERS, CLASS_HELPER, CLASS_CONFIG].filter((file) => {
    if (!existsSync(file)) return false
    rmSync(file)
    return true
  })
}

export function helperScript(group: string, node: string, entry: string): string {
  return [
    '#!/bin/sh',
    `# Written by \`lab setup --class-group ${group}\`; run that again to rewrite it.`,
    `# Members of ${group} run lab as root through this file only (${CLASS_SUDOERS});`,
    '# lab then acts for them (SUDO_UID): their own labs, and files they name read with their rights.',
    `${CLASS_HELPER_ENV}=1`,
    `export ${CLASS_HELPER_ENV}`,
    `exec ${shellQuote(node)} ${shellQuote(entry)} "$@"`,
    '',
  ].join('\n')
}

export function sudoersRule(group: string): string {
  return [
    `# Written by \`lab setup --class-group ${group}\`: members of ${group} run lab's privileged commands`,
    '# through the helper only, with a clean environment; lab refuses them other users\' labs.',
    `Defaults!${CLASS_HELPER} env_reset`,
    `%${group} ALL=(root) NOPASSWD: ${CLASS_HELPER}`,
    '',
  ].join('\n')
}

/**
 * What root runs for students must be writable by root alone: the file and every directory above it
 * (a world-writable directory only with the sticky bit, like /tmp, where others cannot replace entries).
 */
export function assertOnlyRootWrites(file: string, what = `class members would run ${file} as root`, fix = `install lab where only root writes (e.g. chown -R root:root ${PACKAGE_ROOT} && chmod -R go-w ${PACKAGE_ROOT}), then run lab setup again`): void {
  let current = path.resolve(file)
  for (;;) {
    const stat = lstatSync(current).isSymbolicLink() ? statSync(current) : lstatSync(current)
    const sticky = (stat.mode & 0o1000) !== 0
    const groupWrites = (stat.mode & 0o020) !== 0 && stat.gid !== 0
    const othersWrite = (stat.mode & 0o002) !== 0
    if (stat.uid !== 0 || ((groupWrites || othersWrite) && !(stat.isDirectory() && sticky))) {
      throw new UsageError(
        `${current} can be changed by someone other than root, and ${what}`,
        fix,
      )
    }
    const parent = path.dirname(current)
    if (parent === current) return
    current = parent
  }
}

function writeAtomically(file: string, content: string, mode: number): void {
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, content, {mode})
  chmodSync(temporary, mode)
  renameSync(temporary, file)
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}
