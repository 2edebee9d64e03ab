// LabPlan + template sources → the files of a lab directory. Pure: the caller reads templates and
// writes files. Every lab gets plan.json and each router's FRR files; a provider adds its own
// (the vagrant provider: the Vagrantfile, VM network configs, udev rules, provisioning).
import type {LabPlan, PlannedNode} from '../plan/plan.js'
import {createTemplates, type TemplateSources, type Templates} from './templates.js'

export type {TemplateSources} from './templates.js'

/** The templates every lab renders: FRR's configuration and daemons file per router. */
export const LAB_TEMPLATES = ['templates/frr/frr.conf.hbs', 'templates/frr/daemons.hbs'] as const

/** FRR daemons a `daemons` file lists (zebra is implicit). */
const FRR_DAEMONS = ['bgpd', 'ospfd', 'ospf6d', 'ripd', 'ripngd', 'isisd', 'pimd', 'ldpd', 'nhrpd', 'eigrpd', 'babeld', 'sharpd', 'pbrd', 'bfdd', 'fabricd', 'vrrpd', 'pathd', 'staticd']

export interface RenderedFile {
  path: string
  content: string
  mode?: number
}

/** What every template sees of the lab: a multi-line description is folded into the one comment line templates give it. */
export interface LabView {
  name: string
  description: string
  fabricPrefixes: string[]
}

/** Files a provider adds to the lab directory, from its own templates. */
export interface ProviderFiles {
  readonly templates: readonly string[]
  render(plan: LabPlan, templates: Templates, lab: LabView): RenderedFile[]
}

export type Renderer = (plan: LabPlan) => RenderedFile[]

export function createRenderer(sources: TemplateSources, providerFiles?: ProviderFiles): Renderer {
  const templates = createTemplates(sources)
  return (plan) => {
    const lab: LabView = {name: plan.name, description: plan.description.trim().replace(/\s*\n\s*/g, ' '), fabricPrefixes: plan.fabricPrefixes}
    const files: RenderedFile[] = [{path: 'plan.json', content: `${JSON.stringify(plan, null, 2)}\n`}]
    for (const node of plan.nodes) if (node.daemons.length > 0) files.push(...frrFiles(templates, lab, node))
    if (providerFiles) files.push(...providerFiles.render(plan, templates, lab))
    return files
  }
}

function frrFiles(templates: Templates, lab: LabView, node: PlannedNode): RenderedFile[] {
  const enabled = new Set(node.daemons)
  const context = {lab, node}
  return [
    {path: `${node.name}/frr.conf`, content: templates.get('templates/frr/frr.conf.hbs')(context)},
    {path: `${node.name}/daemons`, content: templates.get('templates/frr/daemons.hbs')({...context, frrDaemons: FRR_DAEMONS.map((name) => ({name, enabled: enabled.has(name)}))})},
  ]
}
