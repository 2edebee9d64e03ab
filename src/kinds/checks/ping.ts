// ping: from a node's own address to another node's, every echo answered.
import type {ExecResult} from '../../io/executor.js'
import type {LabFacts} from '../../verify/facts.js'
import {type PreparedCheck, type Probe, type Verdict} from '../../verify/types.js'
import {commandError, fail, pass, runProbe} from '../../verify/probe.js'
import {defineCheck, NAME_FIELD, type Named} from './spec.js'

const IPV4_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/

export interface PingExpectation {
  from: string
  to: string
  source: string
  destination: string
  count: number
}

export function pingExpectation(facts: LabFacts, from: string, to: string, count = 3): PingExpectation {
  // `to` is a node (its own address) or an IPv4 address (an announced prefix's, say).
  return {from, to, source: facts.addressOf(from), destination: IPV4_ADDRESS.test(to) ? to : facts.addressOf(to), count}
}

export const pingProbe = (e: PingExpectation): Probe => ({
  node: e.from,
  // -I: speak from the node's own address, so the reply must find its way back to it.
  argv: ['ping', '-n', '-c', String(e.count), '-i', '0.2', '-W', '1', '-I', e.source, e.destination],
  timeoutMs: 5_000 + e.count * 1_000,
})

export function evaluatePing(e: PingExpectation, result: ExecResult, describeAddress: (address: string) => string = (a) => a): Verdict {
  const text = `${result.stdout}\n${result.stderr}`
  const stats = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(text)
  if (!stats) {
    if (/Network is unreachable/.test(text)) return fail(`${e.from} has no route to ${e.to} (${e.destination}): ${commandError(result)}`)
    if (/Cannot assign requested address|bind/i.test(text)) return fail(`${e.from} does not have its address ${e.source}: ${commandError(result)}`)
    return fail(`no ping result from ${e.from}: ${commandError(result)}`)
  }
  const sent = Number(stats[1])
  const received = Number(stats[2])
  const rtt = /= [\d.]+\/([\d.]+)\//.exec(text)
  const target = `${e.to} (${e.destination}) from ${e.source}`
  if (received === sent && sent > 0) return pass(`${received}/${sent} replies from ${target}${rtt ? `, rtt ${rtt[1]} ms` : ''}`)
  // Who complained, in the network's words: "From 10.1.0.1 icmp_seq=1 Destination Net Unreachable".
  const complaints = new Map<string, string>()
  for (const match of text.matchAll(/^From ([\d.]+)(?: icmp_seq=\d+)? (.+)$/gm)) complaints.set(`${describeAddress(match[1])}: ${match[2].trim()}`, '')
  const why = complaints.size > 0 ? [...complaints.keys()].join('; ') : received === 0 ? 'no answer' : 'some echoes lost'
  return fail(`${received}/${sent} replies from ${target}, expected ${sent}/${sent}; ${why}`)
}

export function preparePing(facts: LabFacts, e: PingExpectation, name: string, key: string): PreparedCheck {
  return {
    kind: 'ping',
    name,
    key,
    settles: true,
    mostlyWaits: true,
    async run(context) {
      return evaluatePing(e, await runProbe(context, pingProbe(e)), facts.describeAddress)
    },
  }
}

export interface PingCheck extends Named {
  from: string
  to: string
  count?: number
}

export const pingKey = (from: string, to: string) => `ping:${from}:${to}`

export const pingCheck = defineCheck<'ping', PingCheck>({
  kind: 'ping',
  summary: 'from a node\'s own address to another node\'s (or an IPv4 address), every echo answered',
  body: (z) => z.object({from: z.string().min(1), to: z.string().min(1).describe('a node (its own address) or an IPv4 address'), count: z.number().int().min(1).max(20).optional(), name: NAME_FIELD(z)}).strict(),
  references(check, refs) {
    refs.node('from', check.from)
    if (!IPV4_ADDRESS.test(check.to)) refs.node('to', check.to)
  },
  prepare(check, facts) {
    const e = pingExpectation(facts, check.from, check.to, check.count)
    return preparePing(facts, e, check.name ?? `${check.from} -> ${check.to}`, pingKey(check.from, check.to))
  },
})
