// Bringing a planned lab up, the one way `lab up`, `lab exercise start/reset/prove` and a class do it:
// preflight, one build per lab name on the machine at a time, refuse a lab that is already up, render, build, converge.
import {shownPath} from '../util/text.js'
import path from 'node:path'
import {UsageError} from '../io/errors.js'
import {renderLab} from '../io/lab-dir.js'
import {lockLab} from '../io/lock.js'
import {labDir, resolveLabDir} from '../io/paths.js'
import type {Progress} from '../io/progress.js'
import type {LabPlan} from '../plan/plan.js'
import type {LabOwner, ProviderSpec, UpResult} from '../providers/provider.js'
import {classMember} from '../io/acting-user.js'

export interface UpRequest {
  plan: LabPlan
  spec: ProviderSpec
  /** Bound on the convergence wait. */
  timeoutMs: number
  progress: Progress
  signal: AbortSignal
  /** Recorded as the lab's owner; default: whoever runs lab. */
  owner?: LabOwner
}

export async function upLab({plan, spec, timeoutMs, progress, signal, owner}: UpRequest): Promise<UpResult & {dir: string}> {
  if (classMember() && spec.name !== 'netns') throw new UsageError(`class members run netns labs; ${spec.name} labs (VMs) are the teacher's`, `leave out --provider (netns is the default), or ask your teacher`)
  const provider = await spec.load()
  const dir = labDir(plan.name)
  progress.step(`preflight (${provider.name})`)
  await provider.preflight(plan)
  const unlock = lockLab(plan.name, 'up') // one `lab up` or `lab down` per lab name on the machine at a time
  try {
    const status = await provider.status(plan.name, resolveLabDir(plan.name))
    if (status.state !== 'down') {
      const owner = status.owner ? `, owned by ${status.owner}` : ''
      throw new UsageError(`lab ${plan.name} is already up${status.state === 'up' ? '' : ` (${status.state})`}${owner}; nothing was changed`, `start a second copy with --name <other-name>; if it is yours and you are done with it: lab down ${plan.name}`)
    }
    signal.throwIfAborted()
    progress.step(`rendering ${shownPath(dir)}`)
    renderLab(plan, dir, spec.files)
    progress.logTo?.(path.join(dir, 'up.log')) // every node's line, whatever the terminal shows
    signal.throwIfAborted()
    return {...(await provider.up(plan, {labDir: dir, signal, progress, timeoutMs, ...(owner && {owner})})), dir}
  } finally {
    unlock()
  }
}
