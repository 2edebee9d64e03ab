// `lab flow`: an iperf3 flow between two nodes, with every node's interface counters read just before
// and just after it, and the path judged from them (path.ts). Everything goes through the executor.
import type {NodeExecutor} from '../io/executor.js'
import {OperationError} from '../io/errors.js'
import {formatGbps, iperfClientProbe, iperfServerProbe, serverNotReady, type IperfExpectation} from '../kinds/checks/iperf.js'
import type {LabPlan} from '../plan/plan.js'
import {sleep} from '../util/sleep.js'
import {labFacts} from '../verify/facts.js'
import {commandError, parseJson, runProbe} from '../verify/probe.js'
import type {RunContext} from '../verify/types.js'
import {flowPath, parseCounters, type Counters, type FlowPath} from './path.js'

export interface FlowResult extends FlowPath {
  lab: string
  from: string
  to: string
  source: string
  destination: string
  seconds: number
  /** What iperf3 measured: bytes sent and the receiver's rate. */
  bytes: number
  bitsPerSecond: number
}

export const FLOW_PORT = 5299

export async function runFlow(plan: LabPlan, executor: NodeExecutor, request: {from: string; to: string; seconds: number; port?: number; signal: AbortSignal}): Promise<FlowResult> {
  const facts = labFacts(plan)
  const e: IperfExpectation = {from: request.from, to: request.to, source: facts.addressOf(request.from), destination: facts.addressOf(request.to), minGbps: 0, seconds: request.seconds, port: request.port ?? FLOW_PORT}
  const context: RunContext = {executor, signal: request.signal}
  const before = await readCounters(plan, context)
  const client = await iperf(context, e)
  const after = await readCounters(plan, context)
  const json = parseJson<{error?: string; end?: {sum_sent?: {bytes?: number}; sum_received?: {bits_per_second?: number}}}>(client)
  if (!json || json.error || !json.end?.sum_sent?.bytes) throw new OperationError(`iperf3 ${e.from} -> ${e.to} (${e.destination}) did not run: ${json?.error ?? commandError(client)}`, `lab verify (can ${e.from} reach ${e.to}?); iperf3 must be installed`)
  const bytes = json.end.sum_sent.bytes
  return {lab: plan.name, from: e.from, to: e.to, source: e.source, destination: e.destination, seconds: e.seconds, bytes, bitsPerSecond: json.end.sum_received?.bits_per_second ?? 0, ...flowPath(plan, e.from, e.to, before, after, bytes)}
}

/** Every node's counters, read in parallel. */
async function readCounters(plan: LabPlan, context: RunContext): Promise<Counters> {
  const read = await Promise.all(plan.nodes.map(async (node) => {
    // 30 s: a TCG VM lab under load answers SSH slowly (all of a host's containers ask its VM at once); a late read blurs nothing, the flow is over or not yet begun.
    const result = await runProbe(context, {node: node.name, argv: ['ip', '-j', '-s', 'link', 'show'], timeoutMs: 30_000})
    if (result.exitCode !== 0) throw new OperationError(`cannot read ${node.name}'s interface counters: ${commandError(result)}`, `lab status ${plan.name}`)
    return [node.name, parseCounters(result.stdout)] as const
  }))
  return new Map(read)
}

/** One iperf3 flow: a one-client server on the destination, the client retried while it starts. */
async function iperf(context: RunContext, e: IperfExpectation) {
  const stopServer = new AbortController()
  const server = runProbe({...context, signal: AbortSignal.any([stopServer.signal, context.signal])}, iperfServerProbe(e))
  let serverExited = false
  void server.then(() => (serverExited = true))
  try {
    const startBy = Date.now() + 2_000
    for (;;) {
      await sleep(100, context.signal)
      const client = await runProbe(context, iperfClientProbe(e))
      if (!serverNotReady(client) || serverExited || Date.now() > startBy) return client
    }
  } finally {
    await Promise.race([server, sleep(1_000, context.signal).catch(() => undefined)])
    if (!serverExited) stopServer.abort()
    await server
  }
}

/** `host1 -> leaf1 -> spine2 -> leaf2 -> host2`, with the bytes each hop sent. */
export function describeFlow(result: FlowResult): string[] {
  const lines = [`${result.path.join(' -> ')}${result.complete ? '' : ' (incomplete)'}`]
  lines.push(`${formatGbps(result.bitsPerSecond)}, ${result.bytes} bytes in ${result.seconds} s from ${result.source} to ${result.destination}`)
  for (const hop of result.hops) lines.push(`  ${hop.node}:${hop.port} -> ${hop.peer}:${hop.peerPort}  ${hop.bytes} bytes`)
  if (result.stopped) lines.push(`stopped: ${result.stopped}`)
  return lines
}
