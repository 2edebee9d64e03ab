// How progress reaches the user. In a terminal: one live line per step (cli-progress redraws it
// with the count and the elapsed time), the step's final state left behind when the next starts.
// Without one (CI, a pipe): each step as a line and, while a step counts, a short line every few
// seconds. With --verbose: every step and every detail line, as they happen.
import {SingleBar} from 'cli-progress'

export type Stamp = () => string

export interface ProgressSink {
  step(line: string): void
  detail(line: string): void
  count(title: string, done: number, total: number): void
  /** Close the current step's line (before a final message, an error, or exit). */
  end(): void
}

const write = (line: string) => process.stderr.write(`${line}\n`)

export function verboseSink(stamp: Stamp): ProgressSink {
  return {
    step: (title) => write(`${stamp()} ▸ ${title}`),
    detail: (message) => write(`${stamp()}     ${message}`),
    count: () => {},
    end: () => {},
  }
}

/** Without a terminal: step lines, and a count line at most every `everyMs` while a step counts. */
export function plainSink(stamp: Stamp, everyMs = 5_000): ProgressSink {
  let last = 0
  let lastCount = ''
  return {
    step: (title) => {
      last = Date.now()
      lastCount = ''
      write(`${stamp()} ▸ ${title}`)
    },
    detail: () => {},
    count: (title, done, total) => {
      const text = `${title} ${done}/${total}`
      if (text === lastCount || (Date.now() - last < everyMs && done < total)) return
      last = Date.now()
      lastCount = text
      write(`${stamp()}     ${text}`)
    },
    end: () => {},
  }
}

let activeBar: {stop(): void} | undefined

/** Ends the live line if one is drawn, so an error message starts on a line of its own. */
export function endLiveLine(): void {
  activeBar?.stop()
  activeBar = undefined
}

/** In a terminal: one line per step, redrawn in place with its count and elapsed time. */
export function liveSink(stamp: Stamp): ProgressSink {
  let title = ''
  let counts = ''
  let ticker: NodeJS.Timeout | undefined
  let bar: SingleBar | undefined
  const stop = () => {
    if (ticker) clearInterval(ticker)
    ticker = undefined
    if (bar) {
      bar.update({counts})
      bar.stop()
    }
    bar = undefined
    activeBar = undefined
  }
  return {
    step: (line) => {
      stop()
      title = line
      counts = ''
      bar = new SingleBar({
        format: (_options, _params, payload: {counts?: string}) => `${stamp()} ▸ ${title}${payload.counts ? ` ${payload.counts}` : ''}`,
        stream: process.stderr,
        hideCursor: false,
        clearOnComplete: false,
        linewrap: false,
        fps: 10,
      })
      bar.start(1, 0, {counts})
      activeBar = {stop}
      ticker = setInterval(() => bar?.update({counts}), 500)
      ticker.unref()
    },
    detail: () => {},
    count: (_title, done, total) => {
      counts = `${done}/${total}`
      bar?.update({counts})
    },
    end: stop,
  }
}
