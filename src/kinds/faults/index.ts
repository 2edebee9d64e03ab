// Every fault kind, once. Exercises' faults and solutions, `lab link` and `lab impair` all read this
// list: a new kind is one file beside this one plus one line here.
import {daemonFault} from './daemon.js'
import {execFault} from './exec.js'
import {frrFault} from './frr.js'
import {linkFault} from './link.js'
import {netemFault} from './netem.js'
import {specLookup} from '../lookup.js'
import type {ReferenceContext} from '../checks/spec.js'
import type {FaultContext, FaultSpec} from './spec.js'

export const FAULT_SPECS = [linkFault, netemFault, frrFault, daemonFault, execFault] as const

type FaultOf<S> = S extends FaultSpec<infer K, infer B> ? {kind: K} & B : never

/** A fault as an exercise holds it: `{kind, ...body}`, one member per kind. */
export type Fault = FaultOf<(typeof FAULT_SPECS)[number]>
export type FaultKind = Fault['kind']

export const FAULT_KINDS: readonly FaultKind[] = FAULT_SPECS.map((spec) => spec.kind)

const specOf = specLookup<(typeof FAULT_SPECS)[number], Fault, FaultSpec<string, Fault>>(FAULT_SPECS, 'fault')

export function faultReferences(fault: Fault, context: ReferenceContext): void {
  specOf(fault).references(fault, context)
}

export function applyFault(fault: Fault, context: FaultContext): Promise<string> {
  return specOf(fault).apply(fault, context)
}
