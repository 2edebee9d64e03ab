// A Graphviz graph of the plan: tiers as rank=same groups; each edge runs from the upper node to
// the lower one, with the port names at its ends.
import type {LabPlan} from '../../plan/plan.js'
import type {OutputSpec} from '../index.js'
import {nodeLines, STYLES, styleOf} from './style.js'
import {orderedLinks, rolesOf, rowsOf, tiers} from './tiers.js'

const dotEscape = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\s+/g, ' ')
const dotString = (text: string) => `"${dotEscape(text)}"`

function graphDot(plan: LabPlan): string {
  const roles = rolesOf(plan)
  // "\n" in a dot label is a line break; the text around it is escaped.
  const label = `"${[plan.name, plan.description].filter(Boolean).map(dotEscape).join('\\n')}"`
  const out: string[] = [
    `graph ${dotString(plan.name)} {`,
    `  graph [label=${label}, labelloc=t, fontname="Helvetica", fontsize=14, rankdir=TB, ranksep=1.2, nodesep=0.35, ordering=out]`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, penwidth=1.5]',
    '  edge [color="#8a93a0", fontname="Helvetica", labelfontsize=9, labelfontcolor="#33363b", labeldistance=1.6]',
  ]
  // One rank per tier; an invisible chain keeps each tier in the SVG's left-to-right order.
  const rows = rowsOf(tiers(plan))
  for (const row of rows) {
    const names = row.map((m) => dotString(m.name))
    out.push(`  { rank=same; ${names.join('; ')}${names.length > 1 ? `; ${names.join(' -- ')} [style=invis]` : ''} }`)
  }
  for (const node of rows.flat()) {
    const {fill, stroke} = STYLES[styleOf(node)]
    const text = nodeLines(node).map(dotEscape).join('\\n')
    out.push(`  ${dotString(node.name)} [label="${text}", fillcolor="${fill}", color="${stroke}"]`)
  }
  for (const {upper, lower} of orderedLinks(plan)) {
    // Host links weigh more, so each leaf is drawn over its hosts rather than bunched under the spines.
    const weight = roles.get(lower.node) === 'host' ? ', weight=8' : ''
    out.push(`  ${dotString(upper.node)} -- ${dotString(lower.node)} [taillabel=${dotString(upper.port)}, headlabel=${dotString(lower.port)}${weight}]`)
  }
  out.push('}')
  return `${out.join('\n')}\n`
}

export const dotOutput: OutputSpec = {name: 'dot', extensions: ['.dot', '.gv'], render: graphDot}
