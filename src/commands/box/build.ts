import {Flags} from '@oclif/core'
import path from 'node:path'
import {BaseCommand} from '../../cli/base-command.js'
import {boxDir, type BoxManifest} from '../../box/box.js'
import {buildBox} from '../../box/build.js'
import {addVagrantBox, vagrantBoxState, vagrantLibvirtInstalled, VAGRANT_BOX_NAME} from '../../box/vagrant-box.js'
import {createProgress, withCancellation, type CommandProgress} from '../../io/progress.js'

export default class BoxBuild extends BaseCommand<typeof BoxBuild> {
  static summary = 'Build the Debian bookworm + FRR VM box from Debian packages (cached; --force rebuilds)'
  static teacherOnly = true
  static description = `mmdebstrap makes a Debian bookworm tree with FRR, ifupdown2, netplan, iproute2, iperf3, traceroute, tcpdump, OpenSSH and sudo, a cloud kernel and a small initrd; mkfs.ext4 -d turns it into a whole-disk ext4 (no loop mount) and qemu-img a compressed qcow2. Each node applies its rendered files at boot from a QEMU fw_cfg tarball (qemu provider) or Vagrant's provisioning (vagrant provider). lab's SSH key pair (user lab, key only, sudo) is kept beside the image.

Where the vagrant-libvirt plugin is installed, the image is also added to Vagrant as the libvirt box ${VAGRANT_BOX_NAME} (direct kernel boot from the box directory; a second call leaves it, --force adds it again).

The box lives in ${'$'}LAB_BOX_DIR, default /var/cache/lab/boxes/debian12-frr. A second call returns at once while the recipe is unchanged. Needs root and the Debian packages mmdebstrap, e2fsprogs, qemu-utils, openssh-client.`
  static examples = ['<%= config.bin %> box build', '<%= config.bin %> box build --force', 'LAB_BOX_DIR=/tmp/box <%= config.bin %> box build']
  static flags = {
    force: Flags.boolean({description: 'rebuild even if the cached box is current'}),
    provider: Flags.string({description: 'the provider that will use the box', options: ['qemu', 'vagrant'], default: 'qemu'}),
  }

  async run() {
    const progress = createProgress(this.jsonEnabled())
    const result = await withCancellation((signal) => buildBox({force: this.flags.force, signal, progress, dir: boxDir()}))
    const disk = result.manifest.files['root.qcow2']
    const size = disk ? `${(disk.bytes / 1e6).toFixed(0)} MB` : '?'
    if (result.built) progress.done(`box ${result.manifest.name} built in ${(result.manifest.buildMs / 1000).toFixed(1)} s (${result.reason}): root.qcow2 ${size}, kernel ${result.manifest.kernel}`)
    else this.say(`box ${result.manifest.name} is current (recipe ${result.manifest.recipe}, built ${result.manifest.builtAt}): ${path.relative(process.cwd(), result.dir) || result.dir}`)
    const vagrant = await this.vagrantBox(result.dir, result.manifest, result.built, progress)
    return {dir: result.dir, built: result.built, reason: result.reason, manifest: result.manifest, vagrant}
  }

  /** The libvirt Vagrant box: added where vagrant-libvirt is installed (required with --provider vagrant). */
  private async vagrantBox(dir: string, manifest: BoxManifest, rebuilt: boolean, progress: CommandProgress) {
    const current = await vagrantBoxState(manifest, dir)
    if (current.state === 'added' && !this.flags.force && !rebuilt) {
      this.say(`Vagrant box ${VAGRANT_BOX_NAME} ${current.version} (libvirt) is current`)
      return {box: VAGRANT_BOX_NAME, version: current.version, added: false}
    }
    if (this.flags.provider !== 'vagrant' && !(await vagrantLibvirtInstalled())) return {box: VAGRANT_BOX_NAME, added: false, skipped: 'vagrant-libvirt is not installed'}
    const added = await addVagrantBox(dir, manifest, {force: this.flags.force || rebuilt, progress})
    if (added.added) progress.done(`Vagrant box ${VAGRANT_BOX_NAME} ${added.version} added for libvirt in ${(added.ms / 1000).toFixed(1)} s`)
    else this.say(`Vagrant box ${VAGRANT_BOX_NAME} ${added.version} (libvirt) is current`)
    return {box: VAGRANT_BOX_NAME, version: added.version, added: added.added}
  }
}
