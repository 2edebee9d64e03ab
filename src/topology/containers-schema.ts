// The `containers:` key of a host, as written. Its own module so schema.ts can use it without a cycle.
import type {z as Zod} from 'zod'

export const CONTAINER_MODES = ['ipvlan-l3', 'macvlan', 'bridge', 'fan'] as const
export type ContainerMode = (typeof CONTAINER_MODES)[number]
export const MAX_CONTAINERS = 16

export function containersSchema(z: typeof Zod) {
  return z
    .object({
      mode: z.enum(CONTAINER_MODES).describe('ipvlan-l3: IPVLAN L3 children of the host\'s uplink, addressed from subnet and announced by the host\'s BGP; macvlan: macvlan children on the leaf\'s host subnet, like hosts of their own; bridge: veth pairs into a Linux bridge on the host that enslaves its uplink, on the leaf\'s host subnet; fan: veth pairs into a bridge on the host, addressed from the host\'s Fan overlay /24 (needs fan: on the host)'),
      subnet: z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'must be an IPv4 prefix like 172.16.1.0/28').optional().describe('ipvlan-l3: the container range the host announces'),
      count: z.number().int().min(1).max(MAX_CONTAINERS).default(1).describe('Containers <host>-c1 … <host>-cN'),
    })
    .strict()
    .describe('Containers on this host, each a node of its own (<host>-c1 …)')
}

/** `fan:` on a host: the Fan overlay /8 its underlay /16 maps onto (underlay A.B.x.y => overlay O.x.y.0/24). */
export function fanSchema(z: typeof Zod) {
  return z
    .object({
      overlay: z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'must be an IPv4 prefix like 250.0.0.0/8').describe('The overlay /8, e.g. 250.0.0.0/8: the host with underlay A.B.x.y gets O.x.y.0/24 for its containers'),
    })
    .strict()
    .describe('The Fan (Ubuntu Fan, built from plain IPIP): this host\'s containers get the overlay /24 its underlay address maps to')
}

export interface RawFan {
  overlay: string
}

export interface RawContainers {
  mode: ContainerMode
  subnet?: string
  count: number
}
