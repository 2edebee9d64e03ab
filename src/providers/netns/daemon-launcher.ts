// Every FRR daemon of a lab started by one process. Each daemon used to be three process starts from
// lab (perl for memory merging, nsenter into the node's sandbox, the daemon), and a process start from
// Node costs tens of milliseconds of its one thread on a loaded machine (forking a large process).
// Here one perl reads the nodes on stdin and, a few nodes at a time, forks per daemon a child that opts
// into memory merging (linux/ksm.ts), enters the node's sandbox as `nsenter -t <init> -m -u -i -n`
// does (setns to its IPC, UTS, network and mount namespaces, in that order) and execs the daemon:
// zebra first, waited for (FRR's `-d` returns once the daemon is listening), then the node's others
// together. Each daemon's result is one stdout line as soon as its start returned.
import {OperationError} from '../../io/errors.js'
import {runPerlWorker} from '../../io/perl-worker.js'
import {MERGE_SYSCALLS} from '../../linux/ksm.js'

const SETNS: Partial<Record<NodeJS.Architecture, number>> = {x64: 308, arm64: 268, riscv64: 268, loong64: 268}

/**
 * Arguments: setns, prctl, personality numbers (prctl 0 = no memory merging on this architecture),
 * nodes in flight. Each stdin line: node, init pid, run dir, then one field per daemon (zebra first),
 * its argv joined by \x1f; tab-separated. Each stdout line: `<node> <daemon> <exit code>`; the daemon's
 * own output is in `<run dir>/<daemon>.start.log`.
 */
export const DAEMON_LAUNCHER = String.raw`
use strict; use warnings;
my ($SETNS, $PRCTL, $PERSONALITY, $INFLIGHT) = @ARGV;
my $stop = 0;
$SIG{TERM} = sub { $stop = 1 };
$| = 1;
sub start {
  my ($node, $init, $run, $argv) = @_;
  my @argv = split /\x1f/, $argv;
  my $name = (split m{/}, $argv[0])[-1];
  my $pid = fork // die "fork: $!\n";
  return ($pid, $name) if $pid;
  $SIG{TERM} = 'DEFAULT';
  open(STDIN, '<', '/dev/null'); open(STDOUT, '>', "$run/$name.start.log") or exit 126; open(STDERR, '>&', \*STDOUT);
  if ($PRCTL) { syscall($PRCTL, 67, 1, 0, 0, 0); syscall($PERSONALITY, 0x0040000) }
  my @ns = map { open(my $f, '<', "/proc/$init/ns/$_->[0]") or do { print "nsenter: cannot open /proc/$init/ns/$_->[0]: $!\n"; exit 1 }; [$f, @$_] } (['ipc', 0x08000000], ['uts', 0x04000000], ['net', 0x40000000], ['mnt', 0x00020000]);
  for (@ns) { syscall($SETNS, fileno($_->[0]), $_->[2]) == 0 or do { print "nsenter: reassociate to namespace 'ns/$_->[1]' failed: $!\n"; exit 1 } }
  close $_->[0] for @ns;
  exec { $argv[0] } @argv or do { print "$argv[0]: $!\n"; exit 127 };
}
sub node {
  my ($node, $init, $run, $first, @rest) = @_;
  my ($pid, $name) = start($node, $init, $run, $first);
  waitpid($pid, 0);
  print "$node\t$name\t" . ($? >> 8 || $? & 127 && 128 + ($? & 127)) . "\n";
  exit 0 if $?;
  my %names = map { start($node, $init, $run, $_) } @rest;
  while ((my $done = wait) > 0) { print "$node\t$names{$done}\t" . ($? >> 8 || $? & 127 && 128 + ($? & 127)) . "\n" if $names{$done} }
  exit 0;
}
my %flight;
while (!$stop && defined(my $line = <STDIN>)) {
  chomp $line;
  my $pid = fork // die "fork: $!\n";
  if ($pid == 0) { $SIG{TERM} = 'IGNORE'; node(split /\t/, $line) }
  $flight{$pid} = 1;
  if (keys %flight >= $INFLIGHT) { my $done = wait; delete $flight{$done} }
}
while ((my $done = wait) > 0) {}
`

export interface DaemonStart {
  node: string
  init: number
  runDir: string
  /** Each daemon's argv (the program by its path), zebra first. */
  daemons: string[][]
}

/** Nodes whose daemons are started at once: FRR's own start-up is the work, two cores' worth. */
const IN_FLIGHT = 4

/**
 * Start every daemon; `done(node, daemon, exitCode)` hears of each as soon as its start returned.
 * Aborting stops new nodes from being started; those in flight finish first, so nothing starts after.
 */
export async function launchDaemons(starts: readonly DaemonStart[], done: (node: string, daemon: string, exitCode: number) => void, signal?: AbortSignal): Promise<void> {
  const setns = SETNS[process.arch]
  if (setns === undefined) throw new OperationError(`FRR daemons are started with Linux system calls known for x86-64, arm64, riscv64 and loongarch64, not ${process.arch}`, 'run lab on one of those architectures')
  const merge = MERGE_SYSCALLS[process.arch] ?? {prctl: 0, personality: 0}
  const lines = starts.map((s) => [s.node, s.init, s.runDir, ...s.daemons.map((argv) => argv.join('\x1f'))].join('\t'))
  await runPerlWorker('FRR launcher', DAEMON_LAUNCHER, [setns, merge.prctl, merge.personality, IN_FLIGHT].map(String), lines, ([node, daemon, code]) => {
    if (node && daemon) done(node, daemon, Number(code))
  }, signal)
}
