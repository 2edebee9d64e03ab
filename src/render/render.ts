// LabPlan + template sources → the files of a lab directory. Pure: the caller reads templates and writes files.
import Handlebars from 'handlebars'
import type {LabPlan, PlannedNode} from '../plan/plan.js'

/** Template sources keyed by their path relative to the repository root. */
export type TemplateSources = Record<string, string>

export const TEMPLATE_FILES = [
  'Vagrantfile.hbs',
  'templates/frr/frr.conf.hbs',
  'templates/frr/daemons.hbs',
  'templates/cumulus/interfaces.hbs',
  'templates/ubuntu/netplan.yaml.hbs',
  'templates/vagrant/udev.rules.hbs',
  'templates/vagrant/provision.sh.hbs',
] as const

/** FRR daemons a `daemons` file lists (zebra is implicit). */
const FRR_DAEMONS = ['bgpd', 'ospfd', 'ospf6d', 'ripd', 'ripngd', 'isisd', 'pimd', 'ldpd', 'nhrpd', 'eigrpd', 'babeld', 'sharpd', 'pbrd', 'bfdd', 'fabricd', 'vrrpd', 'pathd', 'staticd']

/** VirtualBox chipsets: PIIX3 takes 8 NICs, ICH9 takes 36. */
const PIIX3_MAX_NICS = 8

export interface RenderedFile {
  path: string
  content: string
  mode?: number
}

export type Renderer = (plan: LabPlan) => RenderedFile[]

export function createRenderer(sources: TemplateSources): Renderer {
  const hbs = Handlebars.create()
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b)
  hbs.registerHelper('seq', (index: number) => (index + 1) * 10)
  // A double-quoted Ruby string literal: a box name with " or #{…} stays a string in the Vagrantfile.
  hbs.registerHelper('ruby', (text: string) => `"${String(text).replace(/[\\"#]/g, '\\$&').replace(/\n/g, '\\n')}"`)
  const compile = (name: (typeof TEMPLATE_FILES)[number]) => {
    const source = sources[name]
    if (source === undefined) throw new Error(`template ${name} is missing`)
    return hbs.compile(source, {noEscape: true, strict: false})
  }
  const t = {
    vagrantfile: compile('Vagrantfile.hbs'),
    frrConf: compile('templates/frr/frr.conf.hbs'),
    daemons: compile('templates/frr/daemons.hbs'),
    interfaces: compile('templates/cumulus/interfaces.hbs'),
    netplan: compile('templates/ubuntu/netplan.yaml.hbs'),
    udev: compile('templates/vagrant/udev.rules.hbs'),
    provision: compile('templates/vagrant/provision.sh.hbs'),
  }

  return (plan) => {
    // Templates put the description in a comment line: a multi-line one (`description: |`) must not
    // spill its later lines into the Vagrantfile as Ruby code.
    const lab = {name: plan.name, description: plan.description.trim().replace(/\s*\n\s*/g, ' '), fabricPrefixes: plan.fabricPrefixes}
    const files: RenderedFile[] = [{path: 'plan.json', content: `${JSON.stringify(plan, null, 2)}\n`}]
    const nodeViews = plan.nodes.map((node) => nodeView(plan, node))
    files.push({path: 'Vagrantfile', content: t.vagrantfile({lab, nodes: nodeViews})})
    for (const view of nodeViews) {
      const {node} = view
      const context = {lab, ...view}
      const dir = node.name
      if (node.bgp) {
        files.push({path: `${dir}/frr.conf`, content: t.frrConf(context)})
        const enabled = new Set(node.daemons)
        files.push({path: `${dir}/daemons`, content: t.daemons({...context, frrDaemons: FRR_DAEMONS.map((name) => ({name, enabled: enabled.has(name)}))})})
      }
      if (view.isSwitch) files.push({path: `${dir}/interfaces`, content: t.interfaces(context)})
      else files.push({path: `${dir}/netplan.yaml`, content: t.netplan(context)})
      files.push({path: `${dir}/udev.rules`, content: t.udev(context)})
      files.push({path: `${dir}/provision.sh`, content: t.provision(context), mode: 0o755})
    }
    return files
  }
}

function nodeView(plan: LabPlan, node: PlannedNode) {
  return {
    node,
    isSwitch: node.role !== 'host',
    hasFrr: Boolean(node.bgp),
    ich9: node.interfaces.length + 1 > PIIX3_MAX_NICS,
    nics: node.interfaces.map((port) => ({
      port: port.name,
      peer: `${port.peer.node}:${port.peer.port}`,
      network: plan.links[port.link].network,
      mac: port.mac.replaceAll(':', ''),
    })),
  }
}
