// path: traceroute from a node goes through the named nodes, in order, and arrives.
// Hops are named by mapping the answering address back to its node through the plan
// (in unnumbered fabrics routers answer from their loopback).
import type {ExecResult} from '../../io/executor.js'
import type {LabFacts} from '../../verify/facts.js'
import {type PreparedCheck, type Probe, type Verdict} from '../../verify/types.js'
import {commandError, fail, pass, runProbe} from '../../verify/probe.js'
import {defineCheck, NAME_FIELD, type Named} from './spec.js'

export interface PathExpectation {
  from: string
  to: string
  source: string
  destination: string
  via: string[]
}

export interface Hop {
  ttl: number
  /** Absent when the probe went unanswered (`*`). */
  address?: string
  /** traceroute's annotation, e.g. `!N` (network unreachable), `!H`. */
  flag?: string
}

export const MAX_HOPS = 8

export const pathProbe = (e: PathExpectation): Probe => ({
  node: e.from,
  // One probe per hop, one second per probe; traceroute sends the hops' probes in parallel.
  argv: ['traceroute', '-n', '-w', '1', '-q', '1', '-m', String(MAX_HOPS), '-s', e.source, e.destination],
  timeoutMs: 15_000,
})

export function parseTraceroute(text: string): Hop[] {
  const hops: Hop[] = []
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line)
    if (!match) continue
    const rest = match[2].trim()
    const address = /^(\d+\.\d+\.\d+\.\d+)/.exec(rest)?.[1]
    const flag = /\s(![A-Za-z0-9]*)\s*$/.exec(rest)?.[1]
    hops.push({ttl: Number(match[1]), ...(address && {address}), ...(flag && {flag})})
  }
  return hops
}

const FLAG_WORDS: Record<string, string> = {'!N': 'network unreachable', '!H': 'host unreachable', '!P': 'protocol unreachable', '!X': 'administratively prohibited'}

export function evaluatePath(e: PathExpectation, result: ExecResult, nameOf: (address: string) => string | undefined = () => undefined): Verdict {
  const hops = parseTraceroute(result.stdout)
  if (hops.length === 0) return fail(`no traceroute from ${e.from}: ${commandError(result)}`)
  const names = hops.map((h) => (h.address ? nameOf(h.address) ?? h.address : '*'))
  // Trailing unanswered hops say one thing: nothing answered from there on.
  const answered = names.length - [...names].reverse().findIndex((n) => n !== '*')
  const shown = answered > names.length ? [] : names.slice(0, answered)
  const route = [e.from, ...shown, ...(shown.length < names.length ? ['*'] : [])].join(' -> ')
  const last = hops[hops.length - 1]
  const arrived = last.address === e.destination && !last.flag
  // The named nodes must appear in this order (other hops may sit between them).
  let next = 0
  for (const name of names) if (next < e.via.length && name === e.via[next]) next++
  const expected = `expected ${e.from} -> ${e.via.join(' -> ')} -> ${e.to}`
  if (!arrived) {
    const lastName = shown.at(-1) ?? e.from
    const why = last.flag
      ? `${names[names.length - 1]} says ${FLAG_WORDS[last.flag] ?? last.flag}`
      : last.address
        ? `still not there after ${hops.length} hops`
        : `no answer beyond ${lastName === e.from ? `${e.from}, from any of ${hops.length} hops` : lastName}`
    return fail(`did not reach ${e.to} (${e.destination}): ${route} (${why}); ${expected}`)
  }
  if (next < e.via.length) return fail(`went ${route}, not via ${e.via[next]}; ${expected}`)
  return pass(route)
}

export function preparePath(facts: LabFacts, e: PathExpectation, name: string, key: string): PreparedCheck {
  return {
    kind: 'path',
    name,
    key,
    settles: true,
    mostlyWaits: true,
    async run(context) {
      return evaluatePath(e, await runProbe(context, pathProbe(e)), facts.ownerOf)
    },
  }
}

export interface PathCheck extends Named {
  from: string
  to: string
  via: string[]
}

export const pathCheck = defineCheck<'path', PathCheck>({
  kind: 'path',
  summary: 'traceroute from a host passes the named nodes in order and arrives',
  body: (z) => z.object({from: z.string().min(1), to: z.string().min(1), via: z.array(z.string().min(1)).min(1), name: NAME_FIELD(z)}).strict(),
  references(check, refs) {
    refs.node('from', check.from, ['host'])
    refs.node('to', check.to)
    check.via.forEach((name, i) => refs.node(['via', i], name))
  },
  prepare(check, facts) {
    const e = {from: check.from, to: check.to, source: facts.addressOf(check.from), destination: facts.addressOf(check.to), via: check.via}
    return preparePath(facts, e, check.name ?? `${check.from} -> ${check.to} via ${check.via.join(', ')}`, `path:${check.from}:${check.to}:${check.via.join(',')}`)
  },
})
