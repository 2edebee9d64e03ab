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

function accountEntry(file: string, name: string): {id: number; fields: string[]} | undefined {
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const fields = line.split(':')
      if (fields[0] === name) return {id: Number(fields[2]), fields}
    }
  } catch {
    // no such file: treated as "not found"
  }
  return undefined
}
