// Who lab acts for. Root acts for itself; a class member runs lab as root through the class helper
// (`lab setup --class-group`), and then lab acts for that member: their labs only, their rendered
// files in a directory of their own, and files they name read or written with their own rights.
import {chmodSync, chownSync, lstatSync, mkdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {UsageError} from './errors.js'

/** Set by the class helper script before it runs lab; meaningless without root and SUDO_UID. */
export const CLASS_HELPER_ENV = 'LAB_CLASS_HELPER'

/** Students' rendered labs, one root-owned directory each (never in their home: root writes there). */
export const STUDENT_LABS_ROOT = '/var/lib/lab/users'

export interface ActingUser {
  uid: number
  gid: number
  user: string
}

/** The class member lab acts for, or undefined when lab acts for whoever runs it (root, or a user for unprivileged commands). */
export function classMember(): ActingUser | undefined {
  if (process.getuid?.() !== 0 || process.env[CLASS_HELPER_ENV] !== '1') return undefined
  const uid = Number(process.env.SUDO_UID)
  const gid = Number(process.env.SUDO_GID)
  const user = process.env.SUDO_USER
  if (!Number.isInteger(uid) || uid <= 0 || !Number.isInteger(gid) || !user || !/^[a-z_][a-z0-9_.-]*\$?$/i.test(user)) {
    throw new UsageError('the class helper runs lab for a class member through sudo, and sudo did not say who', 'run lab as yourself (it goes through sudo by itself)')
  }
  return {uid, gid, user}
}

/** A class member's own labs directory (root-owned, readable by the member's group, 0750). */
export function memberLabsRoot(member: ActingUser): string {
  const dir = path.join(STUDENT_LABS_ROOT, member.user)
  mkdirSync(dir, {recursive: true, mode: 0o755})
  const stat = lstatSync(dir)
  if (!stat.isDirectory() || stat.uid !== 0) throw new UsageError(`${dir} is not a directory owned by root`, `remove it (as root): rm -rf ${dir}`)
  chownSync(dir, 0, member.gid)
  chmodSync(dir, 0o750)
  return dir
}

let depth = 0

/**
 * Run `work` (synchronous file access only) with the class member's rights, so a path they name
 * is read or written as they could themselves: `lab up /etc/shadow` fails as it would for them.
 * Effective ids only (real ids stay root, to switch back); glibc switches every thread at once, and
 * nothing else runs during synchronous work. Without a class member, `work` runs as is.
 */
export function asClassMember<T>(work: () => T): T {
  const member = classMember()
  if (!member || depth > 0) return work()
  const groups = process.getgroups!()
  const posix = process as unknown as {initgroups(user: string, extraGroup: number): void} // present on POSIX; missing from @types/node
  posix.initgroups(member.user, member.gid)
  process.setegid!(member.gid)
  process.seteuid!(member.uid)
  depth++
  try {
    return work()
  } finally {
    depth--
    process.seteuid!(0)
    process.setegid!(0)
    process.setgroups!(groups)
  }
}

/** A file the user named (topology, exercise), read with their rights: one clear error when they may not. */
export function readNamedFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EACCES') throw error
    throw new UsageError(`you may not read the ${what} file ${file}`, 'give a file you can read yourself (lab reads it with your rights)')
  }
}
