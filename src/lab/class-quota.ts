// What one class member may bring up on a shared server, so no student can crowd out the others:
// netns labs only, at most `maxLabs` labs and `maxNodes` nodes of their own at once, and never a lab
// named after another account (a class names each student's lab after them).
import {UsageError} from '../io/errors.js'
import {classMember} from '../io/acting-user.js'
import {readClassSetup, CLASS_LIMITS} from '../io/class-group.js'
import {userExists} from '../linux/accounts.js'
import type {LabPlan} from '../plan/plan.js'
import {labsOnMachine} from '../providers/registry.js'
import {readState} from '../providers/netns/state.js'

export async function assertWithinClassQuota(plan: LabPlan, provider: string): Promise<void> {
  const member = classMember()
  if (!member) return
  if (provider !== 'netns') throw new UsageError(`class members run netns labs; ${provider} labs (VMs) are the teacher's`, 'leave out --provider (netns is the default), or ask your teacher')
  if (plan.name !== member.user && userExists(plan.name)) throw new UsageError(`lab name ${plan.name} is another user's name (a class names each student's lab after them)`, `choose another name with --name, e.g. --name ${member.user}-${plan.name}`)
  const limits = {...CLASS_LIMITS, ...readClassSetup()?.limits}
  const mine = (await labsOnMachine()).filter((l) => l.lab !== plan.name)
  const nodes = mine.reduce((sum, l) => sum + (readState(l.lab)?.namespaces.length ?? 0), 0)
  if (mine.length + 1 > limits.maxLabs) throw new UsageError(`you have ${mine.length} labs up (${mine.map((l) => l.lab).join(', ')}); a class member may have ${limits.maxLabs}`, `take one down first: lab down ${mine[0].lab}`)
  if (nodes + plan.nodes.length > limits.maxNodes) throw new UsageError(`${plan.name} has ${plan.nodes.length} nodes and your labs ${nodes}; a class member may have ${limits.maxNodes} nodes up`, 'take a lab down first, or ask your teacher (lab setup --max-nodes)')
}
