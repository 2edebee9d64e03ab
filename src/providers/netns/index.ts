// netns: each node a network namespace on this machine, veth pairs named as planned, real FRR per node.
// Needs nothing beyond the FRR files every lab has, and has no link limit.
import type {ProviderSpec} from '../provider.js'

export const netnsSpec: ProviderSpec = {
  name: 'netns',
  summary: 'network namespaces on this machine, veth pairs, FRR per node (root)',
  load: async () => (await import('./provider.js')).netnsProvider,
}
