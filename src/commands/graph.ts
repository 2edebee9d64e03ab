import {Args, Flags} from '@oclif/core'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {BaseCommand} from '../cli/base-command.js'
import {GRAPH_FORMATS, renderGraph, type GraphFormat} from '../core/graph.js'
import {OperationError} from '../io/errors.js'
import {readPlan} from '../io/topology-file.js'

/** `--out fabric.dot` without `--format` means dot. */
const FORMAT_BY_EXTENSION: Record<string, GraphFormat> = {'.svg': 'svg', '.dot': 'dot', '.gv': 'dot', '.mmd': 'mermaid', '.mermaid': 'mermaid'}

export default class Graph extends BaseCommand<typeof Graph> {
  static summary = 'Draw the topology: spines on top, leaves, hosts below, ports labelled'
  static description =
    'SVG by default; --format mermaid or dot for text another tool lays out. Writes to stdout unless --out is given. With --json, prints {format, out?, bytes} instead of the picture (use it with --out).'
  static examples = [
    '<%= config.bin %> graph two-spine-two-leaf > fabric.svg',
    '<%= config.bin %> graph four-spine-eight-leaf --out /tmp/fabric.svg',
    '<%= config.bin %> graph routing-on-the-host --format dot | dot -Tpng -o fabric.png',
    '<%= config.bin %> graph numbered-fabric --format mermaid',
  ]
  static args = {topology: Args.string({description: 'topology name (in topologies/) or path to a YAML file', required: true})}
  static flags = {
    format: Flags.string({description: 'svg (default; or from the --out extension: .dot/.gv, .mmd/.mermaid), mermaid or dot', options: [...GRAPH_FORMATS]}),
    out: Flags.string({description: 'file to write (default: stdout)'}),
  }

  async run(): Promise<{format: GraphFormat; out?: string; bytes: number}> {
    // Warnings (provider limits and the like) are for validate and render; a picture does not need them.
    const {plan} = readPlan(this.args.topology)
    const out = this.flags.out ? path.resolve(this.flags.out) : undefined
    const format = (this.flags.format as GraphFormat | undefined) ?? (out ? FORMAT_BY_EXTENSION[path.extname(out).toLowerCase()] : undefined) ?? 'svg'
    const text = renderGraph(plan, format)
    const bytes = Buffer.byteLength(text)
    if (out) {
      try {
        mkdirSync(path.dirname(out), {recursive: true})
        writeFileSync(out, text)
      } catch (error) {
        throw new OperationError(`cannot write ${out}: ${(error as Error).message}`, 'choose a writable path with --out')
      }
      const shown = path.relative(process.cwd(), out)
      this.say(`wrote ${shown.startsWith('..') || !shown ? out : shown} (${format}, ${bytes} bytes)`)
    } else if (!this.jsonEnabled()) {
      process.stdout.write(text)
    }
    return {format, ...(out && {out}), bytes}
  }
}
