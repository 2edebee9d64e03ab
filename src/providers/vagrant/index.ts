// vagrant: switch and host VMs from a rendered Vagrantfile (VirtualBox internal network per link).
import type {ProviderSpec} from '../provider.js'
import {vagrantFiles} from './files.js'

/** VirtualBox gives a VM at most 36 NICs (ICH9 chipset); Vagrant's management NIC takes one. */
const VIRTUALBOX_MAX_LINK_PORTS = 35

export const vagrantSpec: ProviderSpec = {
  name: 'vagrant',
  summary: 'VMs from the rendered Vagrantfile: vagrant-libvirt (KVM or TCG) driven by lab, VirtualBox by vagrant up',
  linkPortLimit: {
    maxLinkPorts: VIRTUALBOX_MAX_LINK_PORTS,
    why: `a VirtualBox VM takes at most ${VIRTUALBOX_MAX_LINK_PORTS} besides its management NIC`,
    fix: 'use fewer links per node for the vagrant provider (the netns provider has no such limit)',
  },
  files: vagrantFiles,
  load: async () => (await import('./provider.js')).vagrantProvider,
}
