// Writing a report (--junit) where the user said, as lab often runs as root: into an existing
// directory only (no directories created as root), never through a symlink (O_NOFOLLOW), only a
// regular file. /proc, /sys and other pseudo filesystems are refused up front.
import {closeSync, constants, existsSync, lstatSync, openSync, statSync, writeSync} from 'node:fs'
import path from 'node:path'
import {OperationError} from './errors.js'
import {asClassMember} from './acting-user.js'

const PSEUDO_FILESYSTEMS = ['/proc', '/sys', '/dev']

/** A class member's report is written with their own rights (acting-user.ts). */
export function writeReportFile(requested: string, content: string, flag = '--junit'): void {
  asClassMember(() => writeAsIs(requested, content, flag))
}

function writeAsIs(requested: string, content: string, flag: string): void {
  const file = path.resolve(requested)
  const dir = path.dirname(file)
  const refuse = (why: string, fix = `choose a file in an existing directory you may write with ${flag}`) => new OperationError(`cannot write the report ${file}: ${why}`, fix)
  if (PSEUDO_FILESYSTEMS.some((root) => file === root || file.startsWith(`${root}/`))) throw refuse(`${file.split('/')[1] ? `/${file.split('/')[1]}` : file} is not a place for files`)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw refuse(`the directory ${dir} does not exist (lab does not create directories)`, `mkdir -p ${dir} first, or choose another path with ${flag}`)
  if (existsSync(file) || isDanglingLink(file)) {
    const stat = lstatSync(file)
    if (stat.isSymbolicLink()) throw refuse('it is a symbolic link (lab does not follow links when writing reports)')
    if (!stat.isFile()) throw refuse('it exists and is not a regular file')
  }
  let fd: number
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644)
  } catch (error) {
    throw refuse((error as Error).message)
  }
  try {
    writeSync(fd, content)
  } catch (error) {
    throw refuse((error as Error).message)
  } finally {
    closeSync(fd)
  }
}

function isDanglingLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}
