import {Flags} from '@oclif/core'
import path from 'node:path'
import {topologyArg} from '../cli/flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {renderLab} from '../io/lab-dir.js'
import {readPlan} from '../io/topology-file.js'
import {containerlabFile, containerlabTopology, CONTAINERLAB_IMAGES} from '../outputs/containerlab.js'
import {containerScripts} from '../providers/qemu/containers.js'
import type {ProviderFiles} from '../render/render.js'

export default class Export extends BaseCommand<typeof Export> {
  static summary = 'Write the lab for another tool: a containerlab topology with the rendered FRR files bound in'
  static description =
    'For a lab that outgrows one server: containerlab runs it across hosts, or on Kubernetes through clabernetes. The directory holds <name>.clab.yml, plan.json, each router\'s frr.conf and daemons, and each container host\'s containers.sh; deploy it with `containerlab deploy -t <dir>/<name>.clab.yml`.'
  static examples = [
    '<%= config.bin %> export two-spine-two-leaf --format containerlab',
    '<%= config.bin %> export ./big-fabric.yaml --format containerlab --out /tmp/big-fabric --router-image quay.io/frrouting/frr:9.1.0',
  ]
  static args = {topology: topologyArg}
  static flags = {
    format: Flags.string({description: 'what to write', options: ['containerlab'], required: true}),
    out: Flags.string({description: 'directory to write (default: <name>-containerlab): new, empty, or an earlier export, which is replaced'}),
    name: Flags.string({description: 'lab name (default: the topology\'s name)'}),
    'router-image': Flags.string({description: 'image of nodes that run FRR', default: CONTAINERLAB_IMAGES.router}),
    'host-image': Flags.string({description: 'image of plain hosts (iproute2 and ping)', default: CONTAINERLAB_IMAGES.host}),
  }

  async run(): Promise<{lab: string; format: string; dir: string; topology: string; files: string[]}> {
    const {plan} = readPlan(this.args.topology, {name: this.flags.name})
    const dir = path.resolve(this.flags.out ?? `${plan.name}-containerlab`)
    const images = {routerImage: this.flags['router-image'], hostImage: this.flags['host-image']}
    const files: ProviderFiles = {templates: [], render: (p) => [
      {path: containerlabFile(p), content: containerlabTopology(p, images)},
      // Each container host's containers: the qemu provider's script, run in its container.
      ...containerScripts(p),
    ]}
    const written = renderLab(plan, dir, files).map((f) => f.path)
    const topology = path.join(dir, containerlabFile(plan))
    this.say(`wrote ${path.relative(process.cwd(), topology) || topology} and ${written.length - 1} files beside it; deploy: containerlab deploy -t ${topology}`)
    return {lab: plan.name, format: this.flags.format, dir, topology, files: written}
  }
}
