// Every check kind, once. The topology schema, its semantic checks, `lab verify` (--only/--skip
// included) and the docs all read this list: a new kind is one file beside this one plus one line here.
import {bgpCheck} from './bgp.js'
import {ecmpCheck} from './ecmp.js'
import {execCheck} from './exec.js'
import {iperfCheck} from './iperf.js'
import {jsonCheck} from './json.js'
import {pathCheck} from './path.js'
import {pingCheck} from './ping.js'
import {ospfCheck} from './ospf.js'
import {routeCheck} from './route.js'
import type {LabFacts} from '../../verify/facts.js'
import type {PreparedCheck} from '../../verify/types.js'
import {specLookup} from '../lookup.js'
import type {CheckOf, CheckSpec, ReferenceContext} from './spec.js'

export const CHECK_SPECS = [pingCheck, bgpCheck, ospfCheck, ecmpCheck, routeCheck, pathCheck, iperfCheck, execCheck, jsonCheck] as const

/** A declared check as the plan holds it: `{kind, ...body}`, one member per kind. */
export type Check = CheckOf<(typeof CHECK_SPECS)[number]>
export type CheckKind = Check['kind']

export const CHECK_KINDS: readonly CheckKind[] = CHECK_SPECS.map((spec) => spec.kind)

const specOf = specLookup<(typeof CHECK_SPECS)[number], Check, CheckSpec<string, Check>>(CHECK_SPECS, 'check')

export function checkReferences(check: Check, context: ReferenceContext): void {
  specOf(check).references(check, context)
}

export function prepareCheck(check: Check, facts: LabFacts, index: number): PreparedCheck {
  return specOf(check).prepare(check, facts, index)
}
