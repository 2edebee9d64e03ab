// netem: delay (with jitter), loss and a rate limit on one end of a link, as `tc qdisc … root netem`;
// `clear: true` removes it. Egress only: traffic leaving that port is impaired, as on a real optic.
import {OperationError} from '../../io/errors.js'
import {ENDPOINT_PATTERN, failedOn, splitEndpoint} from './endpoint.js'
import {defineFault} from './spec.js'

export interface NetemFault {
  endpoint: string
  delay?: string
  jitter?: string
  loss?: string
  rate?: string
  clear?: boolean
}

export const TIME_PATTERN = /^\d+(\.\d+)?(us|ms|s)$/
export const LOSS_PATTERN = /^\d+(\.\d+)?%$/
export const RATE_PATTERN = /^\d+(\.\d+)?([kmgt]?bit|[kmgt]?bps)$/i

const IMPAIRMENTS = ['delay', 'jitter', 'loss', 'rate'] as const

/** What is wrong with the combination (the schema checks each value), or nothing. */
export function netemProblem(fault: NetemFault): {key: string; message: string; fix: string} | undefined {
  const given = IMPAIRMENTS.filter((key) => fault[key] !== undefined)
  if (fault.clear && given.length > 0) return {key: 'clear', message: `clear removes the impairment; it takes no ${given.join(', ')}`, fix: 'either clear: true, or the impairments'}
  if (!fault.clear && given.length === 0) return {key: 'endpoint', message: 'no impairment given', fix: 'give delay, jitter, loss or rate (e.g. delay: 40ms), or clear: true'}
  if (fault.jitter !== undefined && fault.delay === undefined) return {key: 'jitter', message: 'jitter varies a delay; there is none', fix: 'add delay, e.g. delay: 40ms'}
  if (fault.loss !== undefined && Number.parseFloat(fault.loss) > 100) return {key: 'loss', message: `loss ${fault.loss} is over 100%`, fix: 'give a percentage from 0% to 100%'}
  return undefined
}

export function netemArgv(port: string, fault: NetemFault): string[] {
  if (fault.clear) return ['tc', 'qdisc', 'del', 'dev', port, 'root']
  return [
    'tc', 'qdisc', 'replace', 'dev', port, 'root', 'netem',
    ...(fault.delay ? ['delay', fault.delay, ...(fault.jitter ? [fault.jitter] : [])] : []),
    ...(fault.loss ? ['loss', fault.loss] : []),
    ...(fault.rate ? ['rate', fault.rate] : []),
  ]
}

export function describeNetem(fault: NetemFault): string {
  if (fault.clear) return `${fault.endpoint}: impairment cleared`
  const words = [
    ...(fault.delay ? [`delay ${fault.delay}${fault.jitter ? ` ±${fault.jitter}` : ''}`] : []),
    ...(fault.loss ? [`loss ${fault.loss}`] : []),
    ...(fault.rate ? [`rate ${fault.rate}`] : []),
  ]
  return `${fault.endpoint}: ${words.join(', ')}`
}

export const netemFault = defineFault<'netem', NetemFault>({
  kind: 'netem',
  summary: 'delay, jitter, loss and a rate limit on one end of a link (tc netem); clear: true removes it',
  body: (z) =>
    z
      .object({
        endpoint: z.string().regex(ENDPOINT_PATTERN, 'write node:port, e.g. spine1:swp1'),
        delay: z.string().regex(TIME_PATTERN, 'write a time such as 40ms').optional(),
        jitter: z.string().regex(TIME_PATTERN, 'write a time such as 5ms').optional(),
        loss: z.string().regex(LOSS_PATTERN, 'write a percentage such as 2%').optional(),
        rate: z.string().regex(RATE_PATTERN, 'write a rate such as 100mbit').optional(),
        clear: z.boolean().optional(),
      })
      .strict(),
  references(fault, refs) {
    refs.endpoint('endpoint', fault.endpoint)
    const problem = netemProblem(fault)
    if (problem) refs.error(problem.key, `${refs.where(problem.key)}: ${problem.message}`, problem.fix)
  },
  async apply(fault, {executor, signal}) {
    const {node, port} = splitEndpoint(fault.endpoint)
    const argv = netemArgv(port, fault)
    const result = await executor.exec(node, argv, {signal})
    const output = `${result.stderr}${result.stdout}`
    // Clearing a port that has no impairment is done already.
    if (fault.clear && result.exitCode !== 0 && /handle of zero|No such file|Invalid handle/i.test(output)) return `${fault.endpoint}: no impairment to clear`
    if (result.exitCode !== 0 && /qdisc kind is unknown/i.test(output)) {
      throw new OperationError(`${node}: this kernel has no netem queueing discipline (sch_netem), so ${fault.endpoint} cannot be impaired`, 'load it (modprobe sch_netem, package linux-modules-extra on Ubuntu) or use a kernel built with CONFIG_NET_SCH_NETEM')
    }
    if (result.exitCode !== 0) throw failedOn(node, argv, result)
    return describeNetem(fault)
  },
})
