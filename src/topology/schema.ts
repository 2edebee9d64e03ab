// The topology file as written (the "raw" shape). Zod validates it; `topologyJsonSchema()`
// publishes the same schema for editors. Semantic checks (unknown nodes, ports used twice…)
// live in resolve.ts because they need the whole file.
import {z} from 'zod'
import {CHECK_SPECS} from '../kinds/checks/index.js'
import {LINK_SPECS} from '../kinds/links/index.js'
import {ROLES, type Role} from '../kinds/roles/index.js'
import {containersSchema, fanSchema} from './containers-schema.js'
import {linuxNodeKeys} from './linux-links-schema.js'
import {NAME_PATTERN} from './names.js'

export type {Role}

/** Linux interface names are at most 15 bytes (IFNAMSIZ 16 with the NUL). */
export const MAX_IFNAME = 15
/** Node names stay short so every name derived from them (hostname, port-like names) fits an interface name. */
export const MAX_NODE_NAME = 15
/** Lab names prefix namespace and VirtualBox network names; short keeps them readable. */
export const MAX_LAB_NAME = 24

const identifier = NAME_PATTERN

const labName = z
  .string()
  .regex(identifier, 'must be lowercase letters, digits and "-", starting with a letter')
  .max(MAX_LAB_NAME, `must be at most ${MAX_LAB_NAME} characters`)
  .describe('Lab name: lowercase letters, digits and "-"; names namespaces and VirtualBox networks')

const vagrantSettings = {
  image: z.string().min(1).optional().describe('Vagrant box for this node (vagrant provider)'),
  memory: z.number().int().min(256).max(65536).optional().describe('Memory in MiB (vagrant provider)'),
}

const prefix = z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'must be an IPv4 prefix like 10.0.0.0/16')
const asn = z.number().int().min(1).max(4294967294)

export const rawNodeSchema = z
  .object({
    role: z.enum(ROLES).describe(`${ROLES.slice(0, -1).join(', ')} or ${ROLES.at(-1)}`),
    routing: z
      .enum(['static', 'bgp'])
      .optional()
      .describe('Hosts only. static (default): address + default route via the leaf; bgp: FRR on the host (routing on the host)'),
    asn: asn.optional().describe('Routers: this node\'s own ASN instead of its role\'s pool'),
    loopback: prefix.optional().describe('Routers: a fixed loopback /32 (also the router-id) instead of the pool\'s next one'),
    announce: z.array(prefix).optional().describe('Routers: prefixes it originates; each is put on its loopback, so its addresses answer'),
    frr: z.string().optional().describe('Routers: extra FRR lines appended to its frr.conf, checked with vtysh --dryrun'),
    // The list first: a list with a bad prefix is then reported at that prefix, not as "not any".
    accept: z
      .union([z.array(prefix), z.literal('any')])
      .optional()
      .describe('BGP hosts: what its leaves accept from it beyond its own prefixes (loopback, announce, container range): more prefixes, each with anything inside it, or any (no filter)'),
    containers: containersSchema(z).optional(),
    fan: fanSchema(z).optional(),
    ...linuxNodeKeys(z),
    ...vagrantSettings,
  })
  .strict()

/** `links:` entries, in the form of each registered link kind. */
const linkForms = LINK_SPECS.map((spec) => spec.raw(z))
export const rawLinkSchema = linkForms.length === 1 ? linkForms[0] : z.union(linkForms as [z.ZodType, z.ZodType, ...z.ZodType[]])

const fabricSchema = z
  .object({
    spines: z.number().int().min(1).max(64).describe('Spines (per pod when pods is set)'),
    leaves: z.number().int().min(1).max(512).describe('Leaves (per pod when pods is set)'),
    hosts_per_leaf: z.number().int().min(0).max(48).default(1),
    host_routing: z.enum(['static', 'bgp']).default('static'),
    super_spines: z.number().int().min(1).max(32).optional().describe('A super-spine tier above the spines (5-stage Clos): superN, linked to every spine'),
    pods: z.number().int().min(1).max(32).optional().describe('With super_spines: pods of spines and leaves; each pod\'s spines share one ASN (pod_asn_base + pod − 1)'),
    pod_asn_base: asn.default(65100).describe('ASN of pod 1\'s spines; pod N gets pod_asn_base + N − 1'),
  })
  .strict()
  .describe('Generates spineN, leafN, hostN (and superN) and the links between them')

const routingSchema = z
  .object({
    protocol: z.enum(['bgp', 'ospf']).default('bgp').describe('bgp: eBGP everywhere; ospf: an OSPF area 0 underlay (numbered point-to-point links, loopbacks and host subnets announced)'),
    mode: z.enum(['unnumbered', 'numbered']).default('unnumbered').describe('unnumbered: BGP over IPv6 link-local; numbered: /31 per fabric link'),
    spine_asn: asn.default(65000),
    leaf_asn_base: asn.default(65001),
    host_asn_base: asn.default(4200000001),
    super_spine_asn: asn.default(65200).describe('ASN every super-spine shares'),
    router_asn_base: asn.default(65300).describe('ASN of the first role: router node; the next ones count up'),
  })
  .strict()

const addressingSchema = z
  .object({
    loopbacks: prefix.default('10.0.0.0/16').describe('Pool for router loopbacks (/32 each)'),
    hosts: prefix.default('10.1.0.0/16').describe('Pool for host subnets, one per leaf host port'),
    host_prefix_length: z.number().int().min(16).max(30).default(24),
    p2p: prefix.default('10.2.0.0/16').describe('Pool for /31 fabric links in numbered mode'),
    mtu: z.number().int().min(1280).max(9216).default(1500),
  })
  .strict()

/** What a file that leaves out `routing:` or `addressing:` gets: the schema's own defaults, stated once. */
export const ROUTING_DEFAULTS = routingSchema.parse({})
export const ADDRESSING_DEFAULTS = addressingSchema.parse({})

const roleDefaults = z.object(vagrantSettings).strict()

/** `- <kind>: {…}` under verify, one alternative per registered check kind. */
const checkOptions = CHECK_SPECS.map((spec) => z.object({[spec.kind]: spec.body(z)}).strict())
export const rawCheckSchema = z.union(checkOptions as [z.ZodObject, z.ZodObject, ...z.ZodObject[]])

export const rawTopologySchema = z
  .object({
    $schema: z.string().optional(),
    name: labName,
    description: z.string().optional(),
    fabric: fabricSchema.optional(),
    nodes: z.record(z.string(), rawNodeSchema).optional(),
    links: z.array(rawLinkSchema).optional(),
    routing: routingSchema.optional(),
    addressing: addressingSchema.optional(),
    roles: z
      .object(Object.fromEntries(ROLES.map((role) => [role, roleDefaults.optional()])) as Record<Role, z.ZodOptional<typeof roleDefaults>>)
      .strict()
      .optional()
      .describe('Per-role Vagrant defaults (image, memory)'),
    verify: z.array(rawCheckSchema).optional(),
  })
  .strict()

export type RawTopology = z.infer<typeof rawTopologySchema>
export type RawCheck = z.infer<typeof rawCheckSchema>

/** The JSON Schema editors use to complete topology files (published as schema/topology.schema.json). */
export function topologyJsonSchema(): unknown {
  const schema = z.toJSONSchema(rawTopologySchema, {io: 'input'}) as Record<string, unknown>
  return {
    ...schema,
    title: 'lab topology',
    description: 'A leaf-spine lab for `lab` (validate, render, up). Generated from src/core/schema.ts by `lab schema`; semantic checks (unknown nodes, ports used twice, address pools) are done by `lab validate`.',
  }
}

/** Why `name` cannot name a lab (for `--name`, which bypasses the file's schema), or undefined. */
export function labNameProblem(name: string): string | undefined {
  const result = labName.safeParse(name)
  return result.success ? undefined : `lab name "${name}" ${result.error.issues.map((i) => i.message).join('; ')}`
}

export {NAME_PATTERN} from './names.js'
