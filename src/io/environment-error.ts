// Errors of the machine, not of lab: a full or read-only disk, a path too long, no permission. Each
// becomes one message naming the cause, the path and the fix (never "a bug in lab").
import path from 'node:path'
import {OperationError} from './errors.js'

const CAUSES: Record<string, {cause: string; fix: (where: string) => string}> = {
  ENOSPC: {cause: 'no space left on the device', fix: (where) => `free space on the filesystem holding ${where} (df -h ${where}), or set LAB_HOME to a directory on another one`},
  EDQUOT: {cause: 'disk quota exceeded', fix: (where) => `free space in your quota on ${where}, or set LAB_HOME to a directory elsewhere`},
  EROFS: {cause: 'the filesystem is read-only', fix: (where) => `set LAB_HOME to a writable directory (${where} is on a read-only filesystem)`},
  ENAMETOOLONG: {cause: 'a path is too long', fix: () => 'set LAB_HOME to a shorter directory, or use a shorter lab name'},
  EACCES: {cause: 'permission denied', fix: (where) => `run lab as a user who may write ${where} (e.g. with sudo), or set LAB_HOME to a directory you own`},
  EPERM: {cause: 'operation not permitted', fix: (where) => `run lab as a user who may change ${where} (e.g. with sudo)`},
}

/** The environment error behind `error`, as an OperationError with its fix; undefined for anything else. */
export function environmentError(error: unknown): OperationError | undefined {
  const errno = error as NodeJS.ErrnoException
  const known = typeof errno?.code === 'string' ? CAUSES[errno.code] : undefined
  if (!known) return undefined
  const where = errno.path ? path.dirname(errno.path) : (process.env.LAB_HOME ?? 'labs')
  const what = errno.path ? `${errno.syscall ?? 'writing'} ${errno.path}` : (errno.syscall ?? 'a file operation')
  return new OperationError(`${known.cause} (${errno.code}) while ${what}`, known.fix(where))
}
