// link: one end of a link down or up (the kernel sees carrier loss on the peer too), or a flap:
// down, a pause, up again.
import {sleep} from '../../util/sleep.js'
import {ENDPOINT_PATTERN, failedOn, splitEndpoint} from './endpoint.js'
import {defineFault} from './spec.js'

export type LinkState = 'down' | 'up' | 'flap'

export interface LinkFault {
  endpoint: string
  state: LinkState
  /** flap: seconds between down and up. */
  seconds?: number
}

export const DEFAULT_FLAP_SECONDS = 3

export const linkArgv = (port: string, state: 'down' | 'up') => ['ip', 'link', 'set', 'dev', port, state]

export const linkFault = defineFault<'link', LinkFault>({
  kind: 'link',
  summary: 'one end of a link down, up, or flapped (down, a pause, up)',
  body: (z) =>
    z
      .object({
        endpoint: z.string().regex(ENDPOINT_PATTERN, 'write node:port, e.g. leaf1:swp51'),
        state: z.enum(['down', 'up', 'flap']),
        seconds: z.number().positive().max(3600).optional().describe(`flap: seconds down before up again (default ${DEFAULT_FLAP_SECONDS})`),
      })
      .strict(),
  references(fault, refs) {
    refs.endpoint('endpoint', fault.endpoint)
    if (fault.seconds !== undefined && fault.state !== 'flap') refs.error('seconds', `${refs.where('seconds')}: only a flap waits`, 'remove seconds, or set state: flap')
  },
  async apply(fault, {executor, signal}) {
    const {node, port} = splitEndpoint(fault.endpoint)
    const set = async (state: 'down' | 'up', cancellable = true) => {
      const argv = linkArgv(port, state)
      const result = await executor.exec(node, argv, cancellable ? {signal} : {})
      if (result.exitCode !== 0) throw failedOn(node, argv, result)
    }
    if (fault.state !== 'flap') {
      await set(fault.state)
      return `${fault.endpoint} ${fault.state}`
    }
    const seconds = fault.seconds ?? DEFAULT_FLAP_SECONDS
    await set('down')
    await sleep(seconds * 1000, signal)
    // Up again even when interrupted (not cancellable): a flap never leaves the link down.
    await set('up', false)
    return `${fault.endpoint} flapped (down ${seconds} s, then up)`
  },
})
