// daemon: one FRR daemon of a node stopped or started again (with the node's current config).
import {OperationError} from '../../io/errors.js'
import {defineFault} from './spec.js'

/** The daemons lab starts on a node (the plan decides which run where). */
export const FRR_DAEMONS = ['zebra', 'bgpd', 'staticd', 'ospfd', 'bfdd'] as const

export interface DaemonFault {
  node: string
  daemon: (typeof FRR_DAEMONS)[number]
  state: 'stopped' | 'started'
}

export const daemonFault = defineFault<'daemon', DaemonFault>({
  kind: 'daemon',
  summary: 'one FRR daemon of a node stopped, or started again with the node\'s current config',
  body: (z) => z.object({node: z.string().min(1), daemon: z.enum(FRR_DAEMONS), state: z.enum(['stopped', 'started'])}).strict(),
  references(fault, refs) {
    const node = refs.node('node', fault.node)
    if (node?.role === 'host' && node.routing !== 'bgp') refs.error('node', `${refs.where('node')}: ${fault.node} is a host without FRR (routing: static)`, 'name a router or a host with routing: bgp')
  },
  async apply(fault, {daemons}) {
    if (!daemons) throw new OperationError(`this lab's provider cannot stop or start single daemons (${fault.daemon} on ${fault.node})`, 'use a netns lab, or an exec fault that runs the node\'s own service manager')
    if (fault.state === 'stopped') {
      const stopped = await daemons.stop(fault.node, fault.daemon)
      return `${fault.node}: ${fault.daemon} ${stopped ? 'stopped' : 'was not running'}`
    }
    const started = await daemons.start(fault.node, fault.daemon)
    return `${fault.node}: ${fault.daemon} ${started ? 'started' : 'was running already'}`
  },
})
