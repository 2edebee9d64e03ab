import {Flags} from '@oclif/core'
import path from 'node:path'
import {BaseCommand} from '../../cli/base-command.js'
import {boxDir} from '../../box/box.js'
import {buildBox} from '../../box/build.js'
import {createProgress, withCancellation} from '../../io/progress.js'

export default class BoxBuild extends BaseCommand<typeof BoxBuild> {
  static summary = 'Build the Debian bookworm + FRR VM box from Debian packages (cached; --force rebuilds)'
  static description = `mmdebstrap makes a Debian bookworm tree with FRR, ifupdown2, netplan, iproute2, iperf3, traceroute, tcpdump, OpenSSH and sudo, a cloud kernel and a small initrd; mkfs.ext4 -d turns it into a whole-disk ext4 (no loop mount) and qemu-img a compressed qcow2. Each node applies its rendered files at boot from a QEMU fw_cfg tarball. lab's SSH key pair (user lab, key only, sudo) is kept beside the image.

The box lives in ${'$'}LAB_BOX_DIR, default /var/cache/lab/boxes/debian12-frr. A second call returns at once while the recipe is unchanged. Needs root and the Debian packages mmdebstrap, e2fsprogs, qemu-utils, openssh-client.`
  static examples = ['<%= config.bin %> box build', '<%= config.bin %> box build --force', 'LAB_BOX_DIR=/tmp/box <%= config.bin %> box build']
  static flags = {
    force: Flags.boolean({description: 'rebuild even if the cached box is current'}),
    provider: Flags.string({description: 'the provider that will use the box', options: ['qemu'], default: 'qemu'}),
  }

  async run() {
    const progress = createProgress(this.jsonEnabled())
    const result = await withCancellation((signal) => buildBox({force: this.flags.force, signal, progress, dir: boxDir()}))
    const disk = result.manifest.files['root.qcow2']
    const size = disk ? `${(disk.bytes / 1e6).toFixed(0)} MB` : '?'
    if (result.built) progress.done(`box ${result.manifest.name} built in ${(result.manifest.buildMs / 1000).toFixed(1)} s (${result.reason}): root.qcow2 ${size}, kernel ${result.manifest.kernel}`)
    else this.say(`box ${result.manifest.name} is current (recipe ${result.manifest.recipe}, built ${result.manifest.builtAt}): ${path.relative(process.cwd(), result.dir) || result.dir}`)
    return {dir: result.dir, built: result.built, reason: result.reason, manifest: result.manifest}
  }
}
