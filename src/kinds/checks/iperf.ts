// iperf: iperf3 from one node to another inside the lab, at least a given throughput.
// The server serves one client (-1) and is bounded by `timeout`, so it never outlives the check.
import type {ExecResult} from '../../io/executor.js'
import {type PreparedCheck, type Probe, type Verdict} from '../../verify/types.js'
import {commandError, fail, parseJson, pass, runProbe} from '../../verify/probe.js'
import {sleep} from '../../util/sleep.js'
import {defineCheck, NAME_FIELD, type Named} from './spec.js'

export interface IperfExpectation {
  from: string
  to: string
  source: string
  destination: string
  minGbps: number
  seconds: number
  port: number
}

/** The server lives at most this long beyond the test itself. */
const SERVER_SLACK_SECONDS = 5

export const iperfServerProbe = (e: IperfExpectation): Probe => ({
  node: e.to,
  argv: ['timeout', String(e.seconds + SERVER_SLACK_SECONDS), 'iperf3', '-s', '-1', '-p', String(e.port), '-B', e.destination],
  timeoutMs: (e.seconds + SERVER_SLACK_SECONDS + 2) * 1000,
})

export const iperfClientProbe = (e: IperfExpectation): Probe => ({
  node: e.from,
  argv: ['iperf3', '-c', e.destination, '-B', e.source, '-p', String(e.port), '-t', String(e.seconds), '-J'],
  timeoutMs: (e.seconds + 10) * 1000,
})

interface IperfJson {
  error?: string
  end?: {sum_received?: {bits_per_second?: number}; sum_sent?: {bits_per_second?: number; retransmits?: number}}
}

export const formatGbps = (bitsPerSecond: number) => `${(bitsPerSecond / 1e9).toFixed(bitsPerSecond >= 1e10 ? 1 : 2)} Gbit/s`

export function evaluateIperf(e: IperfExpectation, client: ExecResult): Verdict {
  const json = parseJson<IperfJson>(client)
  if (!json) return fail(`iperf3 from ${e.from} gave no result: ${commandError(client)}`)
  if (json.error) return fail(`iperf3 ${e.from} -> ${e.to} (${e.destination}): ${json.error}`)
  const received = json.end?.sum_received?.bits_per_second
  if (received === undefined) return fail(`iperf3 ${e.from} -> ${e.to}: no throughput in the result`)
  const retransmits = json.end?.sum_sent?.retransmits
  const seen = `${formatGbps(received)} received over ${e.seconds} s${retransmits ? `, ${retransmits} retransmits` : ''}`
  return received >= e.minGbps * 1e9 ? pass(`${seen} (at least ${e.minGbps} Gbit/s)`) : fail(`${seen}; expected at least ${e.minGbps} Gbit/s`)
}

/** Connection refused while the server is still starting is worth a short retry, nothing else. */
export const serverNotReady = (client: ExecResult) => /Connection refused/i.test(parseJson<IperfJson>(client)?.error ?? client.stderr)

export function prepareIperf(e: IperfExpectation, name: string, key: string): PreparedCheck {
  return {
    kind: 'iperf',
    name,
    key,
    settles: false,
    exclusive: true,
    async run(context) {
      const stopServer = new AbortController()
      const abort = () => stopServer.abort()
      context.signal.addEventListener('abort', abort, {once: true})
      const server = runProbe({...context, signal: stopServer.signal}, iperfServerProbe(e))
      let serverExited = false
      void server.then(() => (serverExited = true))
      try {
        let client: ExecResult
        const startBy = Date.now() + 2_000
        for (;;) {
          await sleep(100, context.signal)
          client = await runProbe(context, iperfClientProbe(e))
          if (!serverNotReady(client) || serverExited || Date.now() > startBy) break
        }
        const verdict = evaluateIperf(e, client)
        if (serverExited) {
          // Ours failed (e.g. the port was taken): whatever answered the client was not our server.
          const ended = await server
          if (ended.exitCode !== 0 && verdict.status === 'pass') return fail(`${e.to}: lab's iperf3 server could not serve on port ${e.port} (${commandError(ended)}); the client reached another process there, so nothing was measured`)
          if (ended.exitCode !== 0) return {...verdict, detail: `${verdict.detail}; server on ${e.to}: ${commandError(ended)}`}
        }
        return verdict
      } finally {
        // With -1 the server leaves after its client; give it a moment, then end it.
        const grace = new AbortController()
        await Promise.race([server, sleep(1_000, grace.signal)])
        grace.abort()
        if (!serverExited) stopServer.abort()
        await server
        context.signal.removeEventListener('abort', abort)
      }
    },
  }
}

export const IPERF_BASE_PORT = 5201
export const IPERF_DEFAULT_SECONDS = 1

export interface IperfCheck extends Named {
  from: string
  to: string
  min_gbps: number
  seconds?: number
}

export const iperfCheck = defineCheck<'iperf', IperfCheck>({
  kind: 'iperf',
  summary: 'iperf3 from one host to another node reaches a minimum throughput',
  body: (z) => z.object({from: z.string().min(1), to: z.string().min(1), min_gbps: z.number().positive(), seconds: z.number().int().min(1).max(30).optional(), name: NAME_FIELD(z)}).strict(),
  references(check, refs) {
    refs.node('from', check.from, ['host'])
    refs.node('to', check.to)
  },
  prepare(check, facts, index) {
    const e = {
      from: check.from,
      to: check.to,
      source: facts.addressOf(check.from),
      destination: facts.addressOf(check.to),
      minGbps: check.min_gbps,
      seconds: check.seconds ?? IPERF_DEFAULT_SECONDS,
      port: IPERF_BASE_PORT + index,
    }
    return prepareIperf(e, check.name ?? `${check.from} -> ${check.to} at ${check.min_gbps}+ Gbit/s`, `iperf:${check.from}:${check.to}:${check.min_gbps}`)
  },
})
