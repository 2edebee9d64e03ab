// Files in a node's run dir, touched from the machine as root. Root inside the node may write that
// directory (FRR's sockets, logs, `write memory`), so any name there may have been swapped for a
// symbolic or hard link to a machine file: lab never follows one. A read takes only a regular file
// with one link; a write replaces whatever is there with a new file of lab's own (O_EXCL, O_NOFOLLOW).
import {closeSync, constants, fstatSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {OperationError} from './errors.js'

export function readNodeFile(file: string): Buffer {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile() || stat.nlink !== 1) throw new OperationError(`${file} is not a plain file of the node's (a link or a device was put there); lab did not read it`, 'take the lab down and up again')
    return readFileSync(fd)
  } finally {
    closeSync(fd)
  }
}

export function readNodeText(file: string): string {
  return readNodeFile(file).toString('utf8')
}

export function writeNodeFile(file: string, content: string | Uint8Array, mode = 0o644): void {
  rmSync(file, {force: true})
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode)
  try {
    writeFileSync(fd, content)
  } finally {
    closeSync(fd)
  }
}
