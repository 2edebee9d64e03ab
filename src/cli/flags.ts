// Arguments and flags several commands share, defined once so they read the same everywhere.
import {Args, Flags} from '@oclif/core'
import {defaultProviderName, PROVIDER_NAMES} from '../providers/registry.js'

export const topologyArg = Args.string({description: 'topology name (in topologies/) or path to a YAML file', required: true})

export const labArg = Args.string({description: 'lab name (may be left out when exactly one lab is up)'})

export const labFlag = Flags.string({description: 'lab name (may be left out when exactly one lab is up)'})

/** The provider a lab is for: its limits apply (validate, render) and it builds the lab (up). */
export const providerFlag = (description: string, withDefault = true) =>
  Flags.string({description, options: PROVIDER_NAMES, ...(withDefault && {default: defaultProviderName()})})

/** One end of a link, as the topology names it. */
export const endpointArg = Args.string({description: 'one end of a link: node:port, e.g. leaf1:swp51', required: true})
