// The Linux link kinds in netns (docs/linux-links.md): their lines (linux/virtual-lines.ts) run in each
// node's one `ip -batch` and a `bridge -batch`, and the preflight probe of the kernel's drivers.
import {spawnSync} from 'node:child_process'
import {virtualSpec, type VirtualKind} from '../../kinds/links/index.js'
import type {PlannedNode} from '../../plan/plan.js'
import {tool, which} from '../../io/tools.js'

export function bridgeTool(): string {
  return tool('bridge')
}

/** A throwaway network namespace's argv that creates one device of the kind (the kernel autoloads a module where it can). */
function probeArgv(kind: VirtualKind): string[] {
  const ip = tool('ip')
  const veth = `${ip} link add lp0 type veth peer name lp1`
  const make: Record<VirtualKind, string> = {
    bond: `${ip} link add lp2 type bond`,
    vlan: `${veth} && ${ip} link add link lp0 name lp0.2 type vlan id 2`,
    bridge: `${ip} link add lp2 type bridge`,
    vxlan: `${ip} link add lp2 type vxlan id 2 dstport 4789`,
    macvlan: `${veth} && ${ip} link add link lp0 name lp2 type macvlan mode bridge`,
    dummy: `${ip} link add lp2 type dummy`,
  }
  return [tool('unshare'), '--net', 'sh', '-c', make[kind]]
}

/** The plan's link kinds this kernel cannot build, each with the option that would: probed in a namespace that vanishes with the probe. */
export function missingLinkKinds(plan: {nodes: readonly PlannedNode[]}): {kind: VirtualKind; driver: string; config: string}[] {
  const kinds = [...new Set(plan.nodes.flatMap((n) => (n.virtual ?? []).map((v) => v.kind)))]
  if (kinds.length === 0 || !which('unshare') || !which('ip')) return []
  return kinds
    .filter((kind) => {
      const result = spawnSync(probeArgv(kind)[0], probeArgv(kind).slice(1), {encoding: 'utf8', timeout: 10_000})
      return result.status !== 0 && /Unknown device type|not supported|Operation not supported/i.test(`${result.stderr}`)
    })
    .map((kind) => ({kind, driver: virtualSpec(kind).driver, config: virtualSpec(kind).config}))
}
