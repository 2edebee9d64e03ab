// A Mermaid flowchart of the plan, top-down. Ids are prefixed so no node name can collide with a
// keyword ("end") or an edge token.
import type {LabPlan} from '../../plan/plan.js'
import type {OutputSpec} from '../index.js'
import {nodeLines, STYLES, styleOf} from './style.js'
import {orderedLinks} from './tiers.js'

const mermaidId = (name: string) => `n_${name.replace(/-/g, '_')}`
const mermaidText = (text: string) => text.replace(/["<>&#]/g, (c) => `#${c.charCodeAt(0)};`)

function graphMermaid(plan: LabPlan): string {
  const out: string[] = [`%% ${plan.name}${plan.description ? `: ${plan.description.replace(/\s+/g, ' ')}` : ''}`, 'flowchart TB']
  for (const node of plan.nodes) out.push(`  ${mermaidId(node.name)}["${nodeLines(node).map(mermaidText).join('<br/>')}"]`)
  for (const {upper, lower} of orderedLinks(plan)) {
    out.push(`  ${mermaidId(upper.node)} ---|"${mermaidText(upper.port)} ↔ ${mermaidText(lower.port)}"| ${mermaidId(lower.node)}`)
  }
  for (const [style, {fill, stroke}] of Object.entries(STYLES)) {
    const members = plan.nodes.filter((node) => styleOf(node) === style).map((node) => mermaidId(node.name))
    const className = style.replace(/-/g, '_')
    out.push(`  classDef ${className} fill:${fill},stroke:${stroke},color:#1d1f22`)
    if (members.length) out.push(`  class ${members.join(',')} ${className}`)
  }
  return `${out.join('\n')}\n`
}

export const mermaidOutput: OutputSpec = {name: 'mermaid', extensions: ['.mmd', '.mermaid'], render: graphMermaid}
