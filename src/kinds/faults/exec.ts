// exec: a command run on a node (`ip route del default`): a list is argv, a string a shell line.
import {failedOn} from './endpoint.js'
import {defineFault} from './spec.js'

export interface ExecFault {
  node: string
  command: string | string[]
}

export const execFaultArgv = (command: string | string[]) => (typeof command === 'string' ? ['sh', '-c', command] : [...command])

export const execFault = defineFault<'exec', ExecFault>({
  kind: 'exec',
  summary: 'a command run on a node (a list is argv, a string runs with sh -c); a non-zero exit is an error',
  body: (z) => z.object({node: z.string().min(1), command: z.union([z.string().min(1), z.array(z.string()).min(1)])}).strict(),
  references(fault, refs) {
    refs.node('node', fault.node)
  },
  async apply(fault, {executor, signal}) {
    const argv = execFaultArgv(fault.command)
    const result = await executor.exec(fault.node, argv, {signal, timeoutMs: 60_000})
    if (result.exitCode !== 0) throw failedOn(fault.node, argv, result)
    return `${fault.node}: ${typeof fault.command === 'string' ? fault.command : fault.command.join(' ')}`
  },
})
