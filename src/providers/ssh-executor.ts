// A NodeExecutor over SSH (ssh2, no ssh binary): one connection per node, reused for every command,
// argv quoted into the one command string SSH carries (ssh-quote.ts), `sudo -n` in front when the
// login user is not root, timeouts and AbortSignals honoured. A connection keeps the process alive
// only while a command runs on it, so a CLI command that is done exits without closing anything.
import net from 'node:net'
import ssh2 from 'ssh2'
import type {ExecOptions, ExecResult, NodeExecutor} from '../io/executor.js'
import {commandLine} from './ssh-quote.js'

export interface SshTarget {
  host: string
  port: number
  username: string
  privateKey: Buffer | string
  /** The host key the node must present, as in a .pub file ("ssh-ed25519 AAAA… comment"); unset: any. */
  hostKey?: string
  /** A unix socket that leads to the node's SSH port (instead of host and port): a forwarder in another namespace. */
  path?: string
  /** Prefix commands with `sudo -n --` (default: when username is not root). */
  sudo?: boolean
}

/** Exit codes in the spirit of ssh(1) and run(): 255 connection failed (or its handshake timed out), 124 the command timed out, 130 cancelled. */
export const EXIT_SSH_FAILED = 255
export const EXIT_TIMEOUT = 124
export const EXIT_CANCELLED = 130

const SIGNALS: Record<string, number> = {HUP: 1, INT: 2, QUIT: 3, KILL: 9, SEGV: 11, PIPE: 13, TERM: 15}

interface Connection {
  client: ssh2.Client
  socket: net.Socket
  active: number
}

export class SshExecutor implements NodeExecutor {
  private readonly connections = new Map<string, Promise<Connection>>()
  /** close() also ends connection attempts still under way (a socket waiting on a booting VM). */
  private readonly closing = new AbortController()

  constructor(
    private readonly target: (node: string) => SshTarget,
    private readonly options: {connectTimeoutMs?: number} = {},
  ) {}

  async exec(node: string, argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const target = this.target(node)
    const command = commandLine(argv, {sudo: target.sudo ?? target.username !== 'root'})
    if (options.signal?.aborted) return {stdout: '', stderr: 'cancelled before it started', exitCode: EXIT_CANCELLED}
    let connection: Connection
    try {
      // The connection has its own bound (connectTimeoutMs): a first command on a node is not cut
      // short by the SSH handshake, which takes seconds on a VM under TCG.
      connection = await abortable(this.connection(node, target, undefined), options.signal)
    } catch (error) {
      const message = (error as Error).message
      if (options.signal?.aborted) return {stdout: '', stderr: `ssh ${node}: cancelled`, exitCode: EXIT_CANCELLED}
      return {stdout: '', stderr: `ssh ${node} (${target.host}:${target.port}): ${message}`, exitCode: EXIT_SSH_FAILED}
    }
    const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs
    return this.run(node, connection, command, deadline, options.signal)
  }

  /** Connect (or reuse the connection); resolves once authenticated. Useful to wait for a node's SSH. */
  async connect(node: string, options: {timeoutMs?: number; signal?: AbortSignal} = {}): Promise<void> {
    await abortable(this.connection(node, this.target(node), options.timeoutMs), options.signal)
  }

  /** Close every connection, and give up any attempt under way. The executor is done after this. */
  close(): void {
    this.closing.abort()
    for (const pending of this.connections.values()) void pending.then((c) => c.client.end(), () => undefined)
    this.connections.clear()
  }

  /** Shared by every caller for the node: no caller's AbortSignal ends it for the others (see abortable). */
  private connection(node: string, target: SshTarget, timeoutMs: number | undefined): Promise<Connection> {
    const existing = this.connections.get(node)
    if (existing) return existing
    const pending = openConnection(target, Math.min(timeoutMs ?? Infinity, this.options.connectTimeoutMs ?? 20_000), this.closing.signal)
    this.connections.set(node, pending)
    const forget = () => {
      if (this.connections.get(node) === pending) this.connections.delete(node)
    }
    pending.then((c) => {
      c.client.on('close', forget)
      c.client.on('error', forget)
    }, forget)
    return pending
  }

  private run(node: string, connection: Connection, command: string, deadline: number | undefined, signal: AbortSignal | undefined): Promise<ExecResult> {
    return new Promise((resolve) => {
      const stdout: Buffer[] = []
      const stderr: Buffer[] = []
      let settled = false
      let timer: NodeJS.Timeout | undefined
      let channel: ssh2.ClientChannel | undefined
      connection.active++
      connection.socket.ref()
      const finish = (exitCode: number, extra = '') => {
        if (settled) return
        settled = true
        if (timer) clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        connection.client.removeListener('close', onConnectionClosed)
        if (--connection.active === 0) connection.socket.unref()
        const err = Buffer.concat(stderr).toString('utf8')
        resolve({stdout: Buffer.concat(stdout).toString('utf8'), stderr: extra ? `${err}${err && !err.endsWith('\n') ? '\n' : ''}${extra}` : err, exitCode})
      }
      // The remote command is bounded by closing its channel: sshd closes its pipes, and a command
      // that is only waiting or printing ends (anything longer-lived must bound itself, e.g. timeout(1)).
      const stop = (exitCode: number, why: string) => {
        try {
          channel?.signal('TERM')
        } catch {
          // not supported by every server
        }
        channel?.close()
        finish(exitCode, why)
      }
      const onAbort = () => stop(EXIT_CANCELLED, `ssh ${node}: cancelled`)
      const onConnectionClosed = () => finish(EXIT_SSH_FAILED, `ssh ${node}: connection closed`)
      signal?.addEventListener('abort', onAbort, {once: true})
      connection.client.once('close', onConnectionClosed)
      if (deadline !== undefined) timer = setTimeout(() => stop(EXIT_TIMEOUT, `ssh ${node}: timed out`), Math.max(0, deadline - Date.now()))
      try {
        connection.client.exec(command, (error, stream) => {
          if (error) return finish(EXIT_SSH_FAILED, `ssh ${node}: ${error.message}`)
          channel = stream
          if (settled) {
            stream.close()
            return
          }
          stream.on('data', (chunk: Buffer) => stdout.push(chunk))
          stream.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
          stream.on('close', (code?: number | null, signalName?: string) => {
            if (typeof code === 'number') finish(code)
            else if (signalName) finish(128 + (SIGNALS[signalName] ?? 0), `ssh ${node}: killed by SIG${signalName}`)
            else finish(EXIT_SSH_FAILED, `ssh ${node}: no exit status`)
          })
        })
      } catch (error) {
        finish(EXIT_SSH_FAILED, `ssh ${node}: ${(error as Error).message}`)
      }
    })
  }
}

/** The key in a .pub line as the raw bytes SSH sends. */
export function publicKeyBlob(line: string): Buffer {
  const base64 = line.trim().split(/\s+/)[1]
  if (!base64) throw new Error(`not an SSH public key: ${line.slice(0, 40)}`)
  return Buffer.from(base64, 'base64')
}

/** One caller stops waiting when its signal fires; the shared work goes on for the others. */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work
  if (signal.aborted) return Promise.reject(new Error('cancelled'))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('cancelled'))
    signal.addEventListener('abort', onAbort, {once: true})
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

function openConnection(target: SshTarget, timeoutMs: number, closing: AbortSignal): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = target.path ? net.connect({path: target.path}) : net.connect({host: target.host, port: target.port})
    const client = new ssh2.Client()
    let done = false
    const fail = (error: Error) => {
      if (done) return
      done = true
      clearTimeout(timer)
      closing.removeEventListener('abort', onClosing)
      client.end()
      socket.destroy()
      reject(error)
    }
    const timer = setTimeout(() => fail(new Error(`connection timed out after ${timeoutMs} ms`)), Number.isFinite(timeoutMs) ? timeoutMs : 20_000)
    const onClosing = () => fail(new Error('executor closed'))
    if (closing.aborted) return onClosing()
    closing.addEventListener('abort', onClosing, {once: true})
    const expected = target.hostKey ? publicKeyBlob(target.hostKey) : undefined
    socket.on('error', fail)
    socket.once('connect', () => {
      client.connect({
        sock: socket,
        username: target.username,
        privateKey: target.privateKey,
        readyTimeout: Number.isFinite(timeoutMs) ? timeoutMs : 20_000,
        // No keepalive: its interval timer would keep a finished CLI command from exiting.
        keepaliveInterval: 0,
        ...(expected && {hostVerifier: (key: Buffer) => Buffer.isBuffer(key) && key.equals(expected)}),
      })
    })
    client.once('ready', () => {
      if (done) return
      done = true
      clearTimeout(timer)
      closing.removeEventListener('abort', onClosing)
      socket.removeListener('error', fail)
      socket.on('error', () => undefined) // reported through the client's 'close'
      client.on('error', () => undefined)
      socket.unref()
      resolve({client, socket, active: 0})
    })
    client.on('error', fail)
  })
}
