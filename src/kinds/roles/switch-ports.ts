// Switch ports are named as on Cumulus Linux: swp1, swp2, … (breakouts swp1s0).
import type {RoleProblem} from './spec.js'

const SWITCH_PORT = /^swp[1-9]\d*(s\d+)?$/

export function switchPortProblem(port: string, node: string): RoleProblem | undefined {
  if (SWITCH_PORT.test(port)) return undefined
  return {message: `"${port}" is not a switch port of ${node}`, fix: 'switch ports are named swp1, swp2, … (as on Cumulus Linux)'}
}
