// Output kinds: each turns a LabPlan into text (a picture, a diagram source). Pure: no files, no
// process; the command decides where the text goes. Adding a kind = one file + one line in OUTPUTS.
import type {LabPlan} from '../plan/plan.js'
import {didYouMean, suggest} from '../util/suggest.js'
import {UsageError} from '../io/errors.js'
import {dotOutput} from './graph/dot.js'
import {mermaidOutput} from './graph/mermaid.js'
import {svgOutput} from './graph/svg.js'

export interface OutputSpec {
  /** What `--format` calls it. */
  readonly name: string
  /** Lower-case file extensions, with the dot, that choose this output for `--out` when `--format` is not given. */
  readonly extensions: readonly string[]
  /** The same plan gives the same bytes. */
  render(plan: LabPlan): string
}

/** Every output kind; the first is the default. */
export const OUTPUTS = [svgOutput, mermaidOutput, dotOutput] as const

export const DEFAULT_OUTPUT: OutputSpec = OUTPUTS[0]

export function outputNames(): string[] {
  return OUTPUTS.map((output) => output.name)
}

export function getOutput(name: string): OutputSpec {
  const output = OUTPUTS.find((o) => o.name === name)
  if (output) return output
  throw new UsageError(`unknown output format "${name}"${didYouMean(suggest(name, outputNames()))}`, `use one of: ${outputNames().join(', ')}`)
}

/** The output a file name's extension (".gv", ".SVG") asks for, if any. */
export function outputForExtension(ext: string): OutputSpec | undefined {
  const wanted = ext.toLowerCase()
  return OUTPUTS.find((o) => o.extensions.includes(wanted))
}
