// Host reachability at scale: the default suite's ping checks from one host share one `fping` to all
// their targets (one process per host instead of one ping per pair), and each pair is judged from
// its own line with the same words as a ping. A pair that fails is retried on its own with ping; a
// node without fping is pinged pair by pair, as before.
import type {ExecResult} from '../io/executor.js'
import {evaluatePing, pingProbe, type PingExpectation} from '../kinds/checks/ping.js'
import type {LabFacts} from './facts.js'
import {commandError, fail, pass, runProbe, runSharedProbe} from './probe.js'
import type {PreparedCheck, Probe, Verdict} from './types.js'

/** fping's names for ICMP errors in ping's words, so a failure reads the same either way. */
const PING_WORDS: Record<string, string> = {
  'Network Unreachable': 'Destination Net Unreachable',
  'Host Unreachable': 'Destination Host Unreachable',
  'Port Unreachable': 'Destination Port Unreachable',
  'Time Exceeded': 'Time to live exceeded',
}

/**
 * fping not found on the node: nsenter, sh and ssh exit 127 for a missing program; sudo (how the
 * vagrant provider runs commands in its VMs) exits 1 and says so.
 */
function fpingMissing(result: {exitCode: number; stderr?: string}): boolean {
  return result.exitCode === 127 || (result.exitCode === 1 && /^sudo: fping: command not found/m.test(result.stderr ?? ''))
}

/**
 * One fping from `from`'s own address to every target: -c echoes each, -p ms between echoes to one
 * target (ping -i 0.2), -t ms to wait for a reply (ping -W 1), -i ms between any two sends. Not -q:
 * that would drop the ICMP errors that say who refused.
 */
export function sweepProbe(source: PingExpectation, targets: readonly string[]): Probe {
  return {
    node: source.from,
    argv: ['fping', '-c', String(source.count), '-p', '200', '-t', '1000', '-i', '1', '-S', source.source, ...targets],
    timeoutMs: 10_000 + targets.length * source.count * 20,
  }
}

/**
 * The pair's share of an fping answer, as a ping would have put it: `10.1.0.2 : xmt/rcv/%loss = 3/3/0%,
 * min/avg/max = 0.04/0.05/0.06`; ICMP errors name who complained ("ICMP Network Unreachable from
 * 10.1.0.1 for ICMP Echo sent to 10.1.0.9").
 */
export function evaluateSweep(e: PingExpectation, result: ExecResult, describeAddress: (address: string) => string = (a) => a): Verdict {
  const text = `${result.stdout}\n${result.stderr}`
  const escaped = e.destination.replaceAll('.', '\\.')
  const target = `${e.to} (${e.destination}) from ${e.source}`
  const stats = new RegExp(`^${escaped}\\s+: xmt/rcv/%loss = (\\d+)/(\\d+)/\\d+%(?:, min/avg/max = [\\d.]+/([\\d.]+)/)?`, 'm').exec(text)
  if (!stats) {
    if (/Cannot assign requested address|cannot bind/i.test(text)) return fail(`${e.from} does not have its address ${e.source}: ${commandError(result)}`)
    if (new RegExp(`${escaped}.*Network is unreachable`).test(text)) return fail(`${e.from} has no route to ${e.to} (${e.destination}): Network is unreachable`)
    return fail(`no ping result from ${e.from}: ${commandError(result)}`)
  }
  const sent = Number(stats[1])
  const received = Number(stats[2])
  if (received === sent && sent > 0) return pass(`${received}/${sent} replies from ${target}${stats[3] ? `, rtt ${stats[3]} ms` : ''}`)
  if (sent === 0 && new RegExp(`${escaped}.*Network is unreachable`).test(text)) return fail(`${e.from} has no route to ${e.to} (${e.destination}): Network is unreachable`)
  const complaints = new Set<string>()
  for (const match of text.matchAll(new RegExp(`^ICMP (.+?) from ([\\d.]+) for ICMP Echo sent to ${escaped}$`, 'gm'))) complaints.add(`${describeAddress(match[2])}: ${PING_WORDS[match[1]] ?? match[1]}`)
  const why = complaints.size > 0 ? [...complaints].join('; ') : received === 0 ? 'no answer' : 'some echoes lost'
  return fail(`${received}/${sent} replies from ${target}, expected ${sent}/${sent}; ${why}`)
}

/**
 * A default-suite ping that reads the shared fping of its source host (`sweep`: that host's probe,
 * the same object for all its pairs, so the memo runs it once). Retries ping the pair alone.
 */
export function prepareSweptPing(facts: LabFacts, e: PingExpectation, sweep: Probe, name: string, key: string): PreparedCheck {
  let attempts = 0
  return {
    kind: 'ping',
    name,
    key,
    settles: true,
    mostlyWaits: true,
    shares: `fping:${sweep.node}`,
    async run(context) {
      if (attempts++ === 0) {
        // Any sweep of this host in this run counts (not only one started in the last second):
        // its pairs queue behind the concurrency limit, and a failure is retried fresh anyway.
        const swept = await runSharedProbe({...context, notBefore: 0}, sweep)
        if (!fpingMissing(swept)) return evaluateSweep(e, swept, facts.describeAddress)
      }
      return evaluatePing(e, await runProbe(context, pingProbe(e)), facts.describeAddress)
    },
  }
}
