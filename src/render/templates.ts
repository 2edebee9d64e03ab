// The template engine every renderer shares: one Handlebars instance with lab's helpers.
import Handlebars from 'handlebars'

/** Template sources keyed by their path relative to the package root. */
export type TemplateSources = Record<string, string>

export type Template = (context: unknown) => string

export interface Templates {
  /** A template by its path; throws when the sources lack it (a packaging bug, not a user error). */
  get(name: string): Template
}

export function createTemplates(sources: TemplateSources): Templates {
  const hbs = Handlebars.create()
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b)
  hbs.registerHelper('seq', (index: number) => (index + 1) * 10)
  // A double-quoted Ruby string literal: a box name with " or #{…} stays a string in the Vagrantfile.
  hbs.registerHelper('ruby', (text: string) => `"${String(text).replace(/[\\"#]/g, '\\$&').replace(/\n/g, '\\n')}"`)
  const compiled = new Map<string, Template>()
  return {
    get(name) {
      let template = compiled.get(name)
      if (!template) {
        const source = sources[name]
        if (source === undefined) throw new Error(`template ${name} is missing`)
        template = hbs.compile(source, {noEscape: true, strict: false})
        compiled.set(name, template)
      }
      return template
    },
  }
}
