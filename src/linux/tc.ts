// `tc -j qdisc show`, read in one place: which ports have an impairment (a root netem, or another
// shaper someone put there) and what it does, for `lab status`.
import type {Impairment} from '../providers/provider.js'

export const TC_QDISCS = ['tc', '-j', 'qdisc', 'show'] as const

/** Root qdiscs a port has without anyone impairing it. */
const PLAIN_QDISCS = new Set(['noqueue', 'noop', 'pfifo_fast', 'fq_codel', 'mq', 'pfifo', 'fq', 'ingress', 'clsact'])

interface TcQdisc {
  kind: string
  dev: string
  root?: boolean
  options?: Record<string, unknown>
}

const milliseconds = (seconds: unknown) => (typeof seconds === 'number' ? `${+(seconds * 1000).toFixed(3)}ms` : undefined)
const percent = (fraction: unknown) => (typeof fraction === 'number' ? `${+(fraction * 100).toFixed(3)}%` : undefined)
/** tc reports rates in bytes per second. */
const bits = (bytesPerSecond: unknown) => {
  if (typeof bytesPerSecond !== 'number' || bytesPerSecond <= 0) return undefined
  const bitsPerSecond = bytesPerSecond * 8
  for (const [unit, size] of [['gbit', 1e9], ['mbit', 1e6], ['kbit', 1e3]] as const) if (bitsPerSecond >= size) return `${+(bitsPerSecond / size).toFixed(3)}${unit}`
  return `${bitsPerSecond}bit`
}

const objectAt = (options: Record<string, unknown>, key: string) => (options[key] && typeof options[key] === 'object' ? (options[key] as Record<string, unknown>) : undefined)

/** netem's options as iproute2 prints them in JSON: delay and jitter in seconds, loss as a fraction, rate in bytes/s. */
function netemSettings(options: Record<string, unknown>): Omit<Impairment, 'port' | 'kind'> {
  const delay = objectAt(options, 'delay')
  const loss = objectAt(options, 'loss-random')
  const rate = objectAt(options, 'rate')
  const settings = {
    delay: delay && Number(delay.delay) > 0 ? milliseconds(delay.delay) : undefined,
    jitter: delay && Number(delay.jitter) > 0 ? milliseconds(delay.jitter) : undefined,
    loss: loss && Number(loss.loss) > 0 ? percent(loss.loss) : undefined,
    rate: bits(rate?.rate),
  }
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined))
}

/** Impairments by port; empty when the output is not a qdisc list. */
export function parseImpairments(text: string): Impairment[] {
  let qdiscs: TcQdisc[]
  try {
    qdiscs = JSON.parse(text) as TcQdisc[]
  } catch {
    return []
  }
  if (!Array.isArray(qdiscs)) return []
  return qdiscs
    .filter((q) => q.root && q.dev !== 'lo' && !PLAIN_QDISCS.has(q.kind))
    .map((q) => ({port: q.dev, kind: q.kind, ...(q.kind === 'netem' ? netemSettings(q.options ?? {}) : {rate: bits(q.options?.rate)})}))
    .map((i) => Object.fromEntries(Object.entries(i).filter(([, value]) => value !== undefined)) as unknown as Impairment)
}

export function describeImpairment(impairment: Impairment): string {
  const words = [
    ...(impairment.delay ? [`delay ${impairment.delay}${impairment.jitter ? ` ±${impairment.jitter}` : ''}`] : []),
    ...(impairment.loss ? [`loss ${impairment.loss}`] : []),
    ...(impairment.rate ? [`rate ${impairment.rate}`] : []),
  ]
  return `${impairment.port}: ${impairment.kind}${words.length > 0 ? ` ${words.join(', ')}` : ''}`
}
