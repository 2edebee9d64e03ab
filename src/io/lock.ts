// One `lab up` per lab name at a time: an exclusive lock file beside the lab directory, holding the
// owner's PID. A lock whose process is gone (a crash) is taken over.
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

export function lockLab(labDir: string): () => void {
  const file = path.join(path.dirname(labDir), `.${path.basename(labDir)}.lock`)
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
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && pidAlive(owner)) {
        throw new UsageError(`lab ${path.basename(labDir)} is being brought up right now (by process ${owner})`, `wait for it, or lab down ${path.basename(labDir)}`)
      }
      rmSync(file, {force: true}) // stale: its process is gone
    }
  }
  throw new UsageError(`could not lock ${file}`, `remove ${file} if no lab up is running`)
}
