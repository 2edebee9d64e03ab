// A teacher's own exercises, kept from the students of a shared server: /etc/lab/exercises, written by
// root alone (e.g. 0700). A class member starts one by its id through the class helper; lab, as root,
// reads the exercise and its topology there, while the student can read neither file, and is not
// shown its faults or allowed to prove or lint it (docs/shared-server.md).
import {realpathSync} from 'node:fs'
import path from 'node:path'
import {assertOnlyRootWrites} from './class-group.js'

export const TEACHER_EXERCISES = '/etc/lab/exercises'

/** An exercise id's file among the teacher's, when lab runs as root and there is one. */
export function teachersExerciseById(id: string): string | undefined {
  if (process.getuid?.() !== 0 || id.includes('/') || /\.ya?ml$/.test(id)) return undefined
  const file = path.join(TEACHER_EXERCISES, `${id}.yaml`)
  return isTeachersFile(file) ? file : undefined
}

/**
 * Whether lab, as root, reads `file` as the teacher's: it exists and lies (links resolved) inside
 * /etc/lab/exercises, which only root can change. A directory others could write to is refused.
 */
export function isTeachersFile(file: string): boolean {
  if (process.getuid?.() !== 0) return false
  let real: string
  try {
    real = realpathSync(file)
  } catch {
    return false
  }
  if (!real.startsWith(`${TEACHER_EXERCISES}/`)) return false
  assertOnlyRootWrites(real, `students could change the teacher's exercise ${real}`, `chown -R root:root ${TEACHER_EXERCISES} && chmod -R go-rwx ${TEACHER_EXERCISES}`)
  return true
}
