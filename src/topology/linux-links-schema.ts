// The node keys of the Linux link kinds (docs/linux-links.md), as written: `dummies` on switches,
// `macvlans` on hosts. Their own module so schema.ts can use them without a cycle.
import type {z as Zod} from 'zod'

export function linuxNodeKeys(z: typeof Zod) {
  return {
    dummies: z
      .record(z.string(), z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'must be an address with its prefix length, like 192.0.2.10/32'))
      .optional()
      .describe('Switches: dummy interfaces, name → service address (192.0.2.10/32); each address is announced by the switch\'s BGP'),
    macvlans: z
      .record(z.string(), z.string().min(1))
      .optional()
      .describe('Hosts: macvlan interfaces, name → the host port they sit on (mv0: eth1); each gets its own MAC and the next address of that port\'s subnet'),
  }
}
