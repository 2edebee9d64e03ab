import {Flags} from '@oclif/core'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {topologyArg} from '../cli/flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {OperationError} from '../io/errors.js'
import {readPlan} from '../io/topology-file.js'
import {DEFAULT_OUTPUT, OUTPUTS, getOutput, outputForExtension, outputNames} from '../outputs/index.js'

// Help text from the registry, so a new output kind shows up without touching this command.
const orList = (words: string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`)
const alternatives = OUTPUTS.filter((output) => output !== DEFAULT_OUTPUT)
const alternativeNames = orList(alternatives.map((output) => output.name))
// Grouped by output ("/" within a group), groups in alphabetical order: ".dot/.gv, .mmd/.mermaid".
const alternativeExtensions = alternatives.map((output) => output.extensions.join('/')).sort().join(', ')

export default class Graph extends BaseCommand<typeof Graph> {
  static summary = 'Draw the topology: spines on top, leaves, hosts below, ports labelled'
  static description =
    `${DEFAULT_OUTPUT.name.toUpperCase()} by default; --format ${alternativeNames} for text another tool lays out. Writes to stdout unless --out is given. With --json, prints {format, out?, bytes} instead of the picture (use it with --out).`
  static examples = [
    '<%= config.bin %> graph two-spine-two-leaf > fabric.svg',
    '<%= config.bin %> graph four-spine-eight-leaf --out /tmp/fabric.svg',
    '<%= config.bin %> graph routing-on-the-host --format dot | dot -Tpng -o fabric.png',
    '<%= config.bin %> graph numbered-fabric --format mermaid',
  ]
  static args = {topology: topologyArg}
  static flags = {
    format: Flags.string({
      description: `${DEFAULT_OUTPUT.name} (default; or from the --out extension: ${alternativeExtensions}), ${alternativeNames}`,
      options: outputNames(),
    }),
    out: Flags.string({description: 'file to write (default: stdout)'}),
  }

  async run(): Promise<{format: string; out?: string; bytes: number}> {
    // Warnings (provider limits and the like) are for validate and render; a picture does not need them.
    const {plan} = readPlan(this.args.topology)
    const out = this.flags.out ? path.resolve(this.flags.out) : undefined
    // --format wins; else the --out extension (`--out fabric.dot` means dot); else the default.
    const fromExtension = out ? outputForExtension(path.extname(out)) : undefined
    const output = this.flags.format === undefined ? (fromExtension ?? DEFAULT_OUTPUT) : getOutput(this.flags.format)
    const format = output.name
    const text = output.render(plan)
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
