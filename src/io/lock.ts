// One at a time: an exclusive lock file holding the owner's PID (one `lab up` per lab name, one box
// build per box). A lock whose process is gone (a crash) is taken over.
import {mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync} from 'node:fs'
import path from 'node:path'
import {UsageError} from './errors.js'

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Take `file`; `busy(owner)` is the error when a live process holds it. Resolves to the release. */
export function lockFile(file: string, busy: (owner: number) => UsageError): () => void {
  mkdirSync(path.dirname(file), {recursive: true})
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(file, {force: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(readFileSync(file, 'utf8').trim())
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && pidAlive(owner)) throw busy(owner)
      rmSync(file, {force: true}) // stale: its process is gone
    }
  }
  throw new UsageError(`could not lock ${file}`, `remove ${file} if nothing that takes it is running`)
}

export function lockLab(labDir: string): () => void {
  const lab = path.basename(labDir)
  return lockFile(path.join(path.dirname(labDir), `.${lab}.lock`), (owner) => new UsageError(`lab ${lab} is being brought up right now (by process ${owner})`, `wait for it, or lab down ${lab}`))
}
