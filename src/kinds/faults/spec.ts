// What a fault kind is: something done to a running lab (a link down, an impairment, an FRR config
// edit, a daemon stopped, a command run), by hand (`lab link`, `lab impair`) or from an exercise's
// `faults:` and `solution:` lists. One file per kind: its schema, its semantic checks and how it is
// applied, always through the node executor so it works on every provider.
import type {z as Zod} from 'zod'
import type {DaemonControl, NodeExecutor} from '../../io/executor.js'
import type {LabPlan} from '../../plan/plan.js'
import type {ReferenceContext} from '../checks/spec.js'

export interface FaultContext {
  plan: LabPlan
  executor: NodeExecutor
  /** labs/<lab>: the rendered, pristine files (a node's frr.conf is never edited in place). */
  labDir: string
  signal?: AbortSignal
  /**
   * Added for the `daemon` fault: stopping and starting one daemon is provider-specific (netns: by
   * recorded PID, so `lab down` still finds the restarted one). Optional: every other kind runs on the
   * executor alone; `daemon` fails with the fix when it is absent. Pass provider.daemonControl?.(lab, dir).
   */
  daemons?: DaemonControl
}

export interface FaultSpec<K extends string = string, B = unknown> {
  readonly kind: K
  /** One line for help texts and docs. */
  readonly summary: string
  /** The body under `- <kind>: {…}` in an exercise's faults or solution (zod handed in, as for checks). */
  body(z: typeof Zod): Zod.ZodType<B>
  /** Semantic checks against the topology: the node exists, the port is one of its ports, … */
  references(fault: B, context: ReferenceContext): void
  /** Do it on the running lab; resolves to what was done, in the network's words ("leaf1:swp52 down"). */
  apply(fault: B, context: FaultContext): Promise<string>
}

export function defineFault<K extends string, B>(spec: FaultSpec<K, B>): FaultSpec<K, B> {
  return spec
}
