// One perl process that does many small system-call jobs for lab (the netns sandbox builder, the FRR
// launcher): lines in on stdin, tab-separated answers out on stdout as each job is done. Starting one
// process instead of one per job is the point (a process start from Node costs tens of milliseconds
// of its one thread on a loaded machine).
import {spawn} from 'node:child_process'
import {createInterface} from 'node:readline'
import {OperationError} from './errors.js'

/**
 * Run `script` with `args`, feed it `lines`, hand each answer's fields to `answer` as it comes.
 * Aborting sends SIGTERM (the script stops taking new jobs and finishes those in flight); a non-zero
 * exit throws, naming `what` and perl's own words.
 */
export async function runPerlWorker(what: string, script: string, args: readonly string[], lines: readonly string[], answer: (fields: string[]) => void, signal?: AbortSignal): Promise<void> {
  const child = spawn('perl', ['-e', script, ...args], {stdio: ['pipe', 'pipe', 'pipe']})
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const stop = () => child.kill('SIGTERM')
  signal?.addEventListener('abort', stop, {once: true})
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve(code))
  })
  child.stdin.on('error', () => {}) // perl gone early: its exit code and stderr say why
  child.stdin.end(lines.map((line) => `${line}\n`).join(''))
  try {
    for await (const line of createInterface({input: child.stdout})) answer(line.split('\t'))
    const code = await exited
    if (code !== 0) throw new OperationError(`the ${what} (perl) failed${stderr.trim() ? `: ${stderr.trim()}` : ` with exit code ${code}`}`, 'apt-get install perl-base; then lab down and lab up again')
  } finally {
    signal?.removeEventListener('abort', stop)
  }
}
