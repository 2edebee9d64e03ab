// tcpdump on one end of a link (`lab capture`), inside the node: bounded by a packet count and a time
// limit. Pure: the argv and the reading of what tcpdump reports.
export interface CaptureRequest {
  port: string
  count?: number
  seconds: number
  /** A pcap file; absent: decoded packets on stdout. */
  file?: string
}

/**
 * `timeout --signal=INT`: the time bound ends tcpdump the way Ctrl-C does, so it flushes the file and
 * prints its counts. --foreground keeps tcpdump in the terminal's process group (timeout would
 * otherwise start its own), so a Ctrl-C at the terminal reaches it. -U writes each packet at once; -Z root keeps root (Debian's tcpdump would switch to
 * user tcpdump before opening the file, which then cannot write where root asked).
 */
export function captureArgv(request: CaptureRequest): string[] {
  return [
    'timeout', '--foreground', '--signal=INT', String(request.seconds),
    'tcpdump', '-i', request.port, '-n', '-Z', 'root',
    ...(request.count === undefined ? [] : ['-c', String(request.count)]),
    ...(request.file === undefined ? ['-l'] : ['-U', '-w', request.file]),
  ]
}

/** tcpdump's "5 packets captured" on stderr. */
export function packetsCaptured(stderr: string): number | undefined {
  const match = /^(\d+) packets? captured/m.exec(stderr)
  return match ? Number(match[1]) : undefined
}

/** tcpdump ended by the time bound (timeout's 124) or by Ctrl-C finished normally. */
export const captureEndedNormally = (exitCode: number) => exitCode === 0 || exitCode === 124 || exitCode === 130
