// qemu: the same VMs as vagrant, driven by lab itself (one QEMU process per node, KVM where it really
// works, TCG otherwise). A qemu lab gets each node's VM network config (ifupdown2 or netplan) besides
// the FRR files; the runtime adds the boot-time file (qemu.env) itself.
import type {ProviderSpec} from '../provider.js'
import {qemuFiles} from './containers.js'

export const qemuSpec: ProviderSpec = {
  name: 'qemu',
  summary: 'VMs under QEMU driven by lab, from the box lab box build makes (KVM or TCG)',
  files: qemuFiles,
  load: async () => (await import('./provider.js')).qemuProvider,
}
