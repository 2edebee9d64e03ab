// What a check kind is: one file holding its schema (the body under `- <kind>: {…}` in `verify:`),
// its semantic checks against the topology, and its behaviour (probes run through the node executor
// and a pure judge of their output). The registry in index.ts lists every kind once.
import type {z as Zod} from 'zod'
import type {TopologyNode} from '../../topology/model.js'
import type {Role} from '../../kinds/roles/index.js'
import type {LabFacts} from '../../verify/facts.js'
import type {PreparedCheck} from '../../verify/types.js'

/** Every check body may carry a label for reports. */
export interface Named {
  name?: string
}

/** How a check's `references` reports what is wrong with it; keys are relative to the check's body. */
export interface ReferenceContext {
  /** The node named at `key`, if it exists and has one of `roles` (all roles when absent); otherwise reported. */
  node(key: string | number | (string | number)[], name: string, roles?: readonly Role[]): TopologyNode | undefined
  /**
   * A `node:port` endpoint whose node exists and has that port (one end of a link); otherwise reported
   * with the closest name. Faults on links and impairments name their target this way.
   */
  endpoint(key: string | number | (string | number)[], text: string): {node: string; port: string} | undefined
  /** Whether a node of this name exists (no report). */
  has(name: string): boolean
  /** `verify[2].ping.from`: where a key is, for messages. */
  where(key: string | number | (string | number)[]): string
  error(key: string | number | (string | number)[], message: string, fix?: string): void
}

export interface CheckSpec<K extends string = string, B extends Named = Named> {
  readonly kind: K
  /** One line for help texts and docs. */
  readonly summary: string
  /**
   * The body's schema. zod is handed in rather than imported, so the commands that only run checks
   * (verify, exercise check) never load it.
   */
  body(z: typeof Zod): Zod.ZodType<B>
  /** Semantic checks that need the whole topology (unknown nodes, wrong roles, bad patterns). */
  references(check: B, context: ReferenceContext): void
  /** The check ready to run. `index` is its place in `verify:` (iperf numbers its ports apart with it). */
  prepare(check: B, facts: LabFacts, index: number): PreparedCheck
}

/** Keeps a kind's literal name and body type for the Check union. */
export function defineCheck<K extends string, B extends Named>(spec: CheckSpec<K, B>): CheckSpec<K, B> {
  return spec
}

/** A check as the plan holds it: `{kind, ...body}`. */
export type CheckOf<S> = S extends CheckSpec<infer K, infer B> ? {kind: K} & B : never

/** The optional label every body takes, described the same way in the published schema. */
export const NAME_FIELD = (z: typeof Zod) => z.string().optional().describe('Label shown in reports')
