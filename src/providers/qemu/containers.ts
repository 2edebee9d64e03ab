// Containers in a qemu lab: no VM of their own. Each is a network namespace inside its host's VM,
// named like the container node (`ip netns exec host1-c1 …`), built after boot by one shell script
// per host (`<host>/containers.sh`, rendered here, pure) that `lab up` runs over SSH. The script is
// the netns provider's container build with the VM's namespace names: the same `ip -batch` lines
// for the host's ports (IPVLAN, macvlan, the Fan's IPIP tunnel and bridge), the same kernel settings
// and the same per-node batch inside each container.
import type {LabPlan, PlannedNode} from '../../plan/plan.js'
import type {ProviderFiles, RenderedFile} from '../../render/render.js'
import {nodeBatch, nodeSysctls} from '../netns/build.js'
import {containerBatchLines, containerPortLines, containerSysctls} from '../netns/containers.js'
import {vmNetworkFiles} from '../vagrant/files.js'
import {CONTAINER_SCRIPT} from '../../outputs/containerlab.js'

export {CONTAINER_SCRIPT}

/** A container's network namespace inside its host's VM: the container's own name. */
export function vmContainerNamespace(container: string): string {
  return container
}

function batch(prefix: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : [`${prefix} -batch - <<'EOF'`, ...lines, 'EOF']
}

function sysctl(prefix: string, settings: readonly string[]): string[] {
  return settings.length === 0 ? [] : [`${prefix}sysctl -q -w ${settings.join(' ')}`]
}

/** The script that builds one host's containers inside its VM (run with sh -e, as root). */
export function containerScript(plan: LabPlan, host: PlannedNode): string {
  const group = host.containers!
  const containers = group.names.map((name) => plan.nodes.find((n) => n.name === name)!)
  const lines = [
    '#!/bin/sh',
    `# Rendered by lab for ${host.name} (qemu provider): its ${group.mode} containers ${group.names.join(', ')},`,
    '# each a network namespace of this VM; lab up runs this over SSH once the VM is up.',
    'set -e',
    ...containers.map((c) => `ip netns add ${vmContainerNamespace(c.name)}`),
    ...batch('ip', containerPortLines(plan, host, vmContainerNamespace, true)),
    // Kernel settings after the ports exist, before they come up (no IPv6 on IPVLAN children and ipvl0).
    ...sysctl('', containerSysctls(host)),
    ...batch('ip', containerHostLines(plan, host)),
    ...containers.flatMap((c) => [
      ...sysctl(`ip netns exec ${vmContainerNamespace(c.name)} `, nodeSysctls(c).filter((s) => !s.startsWith('kernel.hostname='))),
      ...batch(`ip -n ${vmContainerNamespace(c.name)}`, nodeBatch(c).trimEnd().split('\n')),
    ]),
    '',
  ]
  return lines.join('\n')
}

/**
 * What the host adds past its rendered network config (netplan): the lines its netns batch adds for
 * containers; on a bridge host also its address moved from the uplink onto the bridge, with the
 * routes netplan leaves out for it (the plan's gateway is on the bridge).
 */
function containerHostLines(plan: LabPlan, host: PlannedNode): string[] {
  const group = host.containers!
  const lines: string[] = []
  if (group.bridge && host.gateway) {
    const address = host.interfaces.find((i) => i.name === group.parent)!.ipv4!
    const via = `via ${host.gateway.address} dev ${group.bridge}`
    lines.push(`address del ${address} dev ${group.parent}`, `address add ${address} dev ${group.bridge}`, ...plan.fabricPrefixes.map((p) => `route replace ${p} ${via}`), `route replace default ${via} metric 50`)
  }
  return [...lines, ...containerBatchLines(host)]
}

/** Each container host's `<host>/containers.sh` (the qemu lab's, and the containerlab export's). */
export function containerScripts(plan: LabPlan): RenderedFile[] {
  return plan.nodes.filter((n) => n.containers).map((host) => ({path: `${host.name}/${CONTAINER_SCRIPT}`, content: containerScript(plan, host), mode: 0o755}))
}

/** A qemu lab's files: each node's VM network config, and each container host's script. */
export const qemuFiles: ProviderFiles = {
  templates: vmNetworkFiles.templates,
  render(plan, templates, lab) {
    return [...vmNetworkFiles.render(plan, templates, lab), ...containerScripts(plan)]
  },
}
