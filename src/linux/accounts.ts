// The machine's users and groups, read from /etc/passwd and /etc/group (no NSS: lab's own accounts
// — frr, class students, the class group — are local ones).
import {readFileSync} from 'node:fs'

export function userExists(name: string): boolean {
  return lookupId('/etc/passwd', name) !== undefined
}

/** uid (from /etc/passwd) or gid (from /etc/group) of a name. */
export function lookupId(file: '/etc/passwd' | '/etc/group', name: string): number | undefined {
  return accountEntry(file, name)?.id
}

/** A group's gid and listed members (not those having it as primary group). */
export function groupEntry(name: string): {gid: number; members: string[]} | undefined {
  const entry = accountEntry('/etc/group', name)
  return entry && {gid: entry.id, members: (entry.fields[3] ?? '').split(',').filter(Boolean)}
}

/** A uid's name and primary gid, from /etc/passwd. */
export function userById(uid: number): {user: string; gid: number} | undefined {
  const fields = entries('/etc/passwd').find((f) => f.length > 3 && f[2] !== '' && Number(f[2]) === uid)
  return fields && {user: fields[0], gid: Number(fields[3])}
}

/** A group only this user is in (Debian's user private group): no other account has it as primary or lists it. */
export function isPrivateGroup(gid: number, user: string): boolean {
  const users = entries('/etc/passwd')
  const groups = entries('/etc/group')
  if (users.length === 0 || groups.length === 0) return false // unreadable: not known to be private
  const sharesPrimary = users.some((f) => f.length > 3 && f[0] !== user && Number(f[3]) === gid)
  const listed = groups.some((f) => f.length > 3 && Number(f[2]) === gid && f[3].split(',').some((member) => member && member !== user))
  return !sharesPrimary && !listed
}

function accountEntry(file: string, name: string): {id: number; fields: string[]} | undefined {
  const fields = entries(file).find((f) => f[0] === name)
  return fields && {id: Number(fields[2]), fields}
}

/** The file's lines split at ':'; none when it cannot be read. */
function entries(file: string): string[][] {
  try {
    return readFileSync(file, 'utf8').split('\n').map((line) => line.split(':'))
  } catch {
    return []
  }
}
