// What `lab up` reports after it tore down a failed or interrupted build, on every provider.
import {OperationError, UsageError} from '../io/errors.js'
import type {LabPlan} from '../plan/plan.js'

/** The error to throw: an interruption says so; a failure keeps its own message; anything left behind is named. */
export function errorAfterTeardown(error: unknown, lab: string, signal: AbortSignal, leftovers: readonly string[]): unknown {
  const left = leftovers.length > 0 ? ` (could not remove: ${leftovers.join('; ')})` : ''
  if (signal.aborted) {
    return new OperationError(`interrupted (${String(signal.reason instanceof Error ? signal.reason.message : signal.reason)}): lab ${lab} was torn down${left}`, 'run lab up again')
  }
  if (error instanceof Error && left) error.message += left
  return error
}

/** vagrant does not build containers (qemu does, inside the host VMs): refuse before anything starts, rather than boot a VM per container. */
export function refuseContainers(plan: LabPlan, provider: string): void {
  const hosts = plan.nodes.filter((n) => n.containers).map((n) => n.name)
  if (hosts.length > 0) throw new UsageError(`${hosts.join(', ')} ${hosts.length === 1 ? 'has' : 'have'} containers:, which the ${provider} provider does not build yet`, 'use --provider qemu (it builds containers inside the host VMs) or --provider netns')
}
