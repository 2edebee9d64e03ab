// Every node's sandbox built by one process. The setup used to be a shell script per node: nsenter,
// unshare, sh, hostname, sysctl, perl and about fifteen mount/mkdir/touch processes, 22 process starts
// per node (22,000 for a 1,000-node fabric, most of `lab up`'s build time on 2 cores). Here one perl
// (perl-base, in every Debian) reads the nodes on stdin and, for each, forks a child that enters the
// node's network namespace (setns), unshares mount, UTS, IPC and PID namespaces, makes its mounts
// private and forks the node's init (PID 1 of the new PID namespace); the init does the same setup the
// script did, with system calls instead of processes, then becomes `sleep infinity`. A few nodes are
// in flight at once; each node's result is one line on stdout as soon as its init is ready.
import {OperationError} from '../../io/errors.js'
import {runPerlWorker} from '../../io/perl-worker.js'

/** System call numbers: x86-64's own table, and the generic one (arm64, riscv64, loongarch64). mount_setattr is 442 in both. */
const SYSCALLS: Partial<Record<NodeJS.Architecture, {mount: number; umount2: number; unshare: number; setns: number; sethostname: number}>> = {
  x64: {mount: 165, umount2: 166, unshare: 272, setns: 308, sethostname: 170},
  arm64: {mount: 40, umount2: 39, unshare: 97, setns: 268, sethostname: 161},
  riscv64: {mount: 40, umount2: 39, unshare: 97, setns: 268, sethostname: 161},
  loong64: {mount: 40, umount2: 39, unshare: 97, setns: 268, sethostname: 161},
}

/**
 * The builder. Arguments: mount, unshare, setns, sethostname numbers, nodes in flight, the directories
 * and the files to hide (':'-separated). Each stdin line:
 * run dir, hostname, network namespace file, sysctl settings (key=value), tab-separated. Each stdout
 * line: `ok <run dir> <init pid>` or `fail <run dir>` (the reason is in the node's sandbox.log).
 *
 * The init's setup, in order (as the shell script did): hostname; sysctls; the whole mount tree
 * read-only in one step (mount_setattr with AT_RECURSIVE, Linux 5.12+; EBUSY, seen once in 30 labs
 * built ten at a time, is retried for up to 2 s); private /tmp, /var/tmp, /run and /dev/shm; the
 * node's run dir kept writable across /run being covered (bound under /tmp, moved back); the run dir
 * at /run/frr and /etc/frr, its hosts and hostname files over the machine's; the machine's private
 * places hidden (an empty tmpfs over each directory, /dev/null over each file); the node's own /proc
 * with /proc/sys read-only but for /proc/sys/net, and /proc/sysrq-trigger read-only. Read-only and
 * writable are set on one mount with mount_setattr (the flag alone; nosuid, nodev, atime kept, as
 * `mount -o remount,bind,ro` does). Then `ready` in the run dir, SIGCHLD ignored (orphans reaped), and
 * exec `sleep infinity`.
 */
export const SANDBOX_BUILDER = String.raw`
use strict; use warnings; use Errno ();
my ($MOUNT, $UMOUNT2, $UNSHARE, $SETNS, $SETHOSTNAME, $INFLIGHT, $HIDDEN_DIRS, $HIDDEN_FILES) = @ARGV;
our $TEMPLATE;
my ($MS_NOSUID, $MS_NODEV, $MS_NOEXEC, $MS_BIND, $MS_MOVE, $MS_REC, $MS_PRIVATE) = (2, 4, 8, 4096, 8192, 16384, 1 << 18);
my $NEWNS_UTS_IPC_PID = 0x20000 | 0x4000000 | 0x8000000 | 0x20000000;
my $stop = 0;
$SIG{TERM} = sub { $stop = 1 };
$| = 1;
sub mnt { my ($src, $dst, $type, $flags, $data) = @_; syscall($MOUNT, $src, $dst, $type, $flags, $data) == 0 or die "mount $dst: $!\n" }
sub setattr {
  my ($path, $recursive, $set, $clear) = @_;
  my $attr = pack('QQQQ', $set, $clear, 0, 0);
  for my $try (1 .. 100) {
    return if syscall(442, -100, $path, $recursive ? 0x8000 : 0, $attr, 32) == 0;
    last unless $!{EBUSY};
    select(undef, undef, undef, 0.02);
  }
  die "mount_setattr $path: $!\n";
}
sub mkpath { my $p = ''; for (grep { length } split m{/}, $_[0]) { $p .= "/$_"; -d $p or mkdir $p or die "mkdir $p: $!\n" } }
sub setup {
  my ($run, $host, @sysctls) = @_;
  syscall($SETHOSTNAME, $host, length $host) == 0 or die "hostname $host: $!\n";
  for (@sysctls) {
    my ($key, $value) = split /=/, $_, 2;
    (my $file = $key) =~ tr{.}{/};
    open(my $f, '>', "/proc/sys/$file") or die "sysctl: cannot stat /proc/sys/$file: $!\n";
    print $f $value or die "sysctl $key: $!\n";
    close $f or die "sysctl: setting key \"$key\": $!\n";
  }
  setattr('/', 1, 1, 0);
  mnt('lab-tmp', '/tmp', 'tmpfs', 0, 'mode=1777,size=64m');
  mkdir '/tmp/.lab-run' or die "mkdir /tmp/.lab-run: $!\n";
  mnt($run, '/tmp/.lab-run', 0, $MS_BIND, 0);
  setattr('/tmp/.lab-run', 0, 0, 1);
  mnt('lab-run', '/run', 'tmpfs', 0, 'mode=755,size=16m');
  mkpath($run); mkpath('/run/frr');
  mnt('/tmp/.lab-run', $run, 0, $MS_MOVE, 0);
  rmdir '/tmp/.lab-run' or die "rmdir /tmp/.lab-run: $!\n";
  mnt($run, '/run/frr', 0, $MS_BIND, 0);
  mnt('lab-var-tmp', '/var/tmp', 'tmpfs', 0, 'mode=1777,size=64m');
  mnt('lab-shm', '/dev/shm', 'tmpfs', 0, 'mode=1777,size=16m') if -d '/dev/shm';
  mnt("$run/etc/hosts", '/etc/hosts', 0, $MS_BIND, 0);
  mnt("$run/etc/hostname", '/etc/hostname', 0, $MS_BIND, 0) if -e '/etc/hostname';
  mnt($run, '/etc/frr', 0, $MS_BIND, 0) if -d '/etc/frr';
  for my $dir (split /:/, $HIDDEN_DIRS) { mnt('lab-hidden', $dir, 'tmpfs', 0, 'mode=700,size=1m') if -d $dir }
  for my $file (split /:/, $HIDDEN_FILES) { mnt('/dev/null', $file, 0, $MS_BIND, 0) if -f $file }
  # The node's own /dev: the harmless devices only (no disks, no /dev/mem, no other people's terminals),
  # its own /dev/shm and a private devpts; built under /tmp, then moved over /dev.
  my $dev = '/tmp/.lab-dev';
  mkdir $dev or die "mkdir $dev: $!\n";
  mnt('lab-dev', $dev, 'tmpfs', $MS_NOSUID | $MS_NOEXEC, 'mode=755,size=64k');
  for my $d (qw(null zero full random urandom tty)) {
    open(my $f, '>', "$dev/$d") or die "touch $dev/$d: $!\n"; close $f;
    mnt("/dev/$d", "$dev/$d", 0, $MS_BIND, 0);
  }
  mkdir "$dev/$_" or die "mkdir $dev/$_: $!\n" for qw(shm pts);
  mnt('/dev/shm', "$dev/shm", 0, $MS_MOVE, 0) if -d '/dev/shm';
  mnt('lab-devpts', "$dev/pts", 'devpts', $MS_NOSUID | $MS_NOEXEC, 'newinstance,ptmxmode=0666,mode=620');
  symlink('pts/ptmx', "$dev/ptmx") or die "symlink $dev/ptmx: $!\n";
  symlink('/proc/self/fd', "$dev/fd") or die "symlink $dev/fd: $!\n";
  symlink("/proc/self/fd/$_->[1]", "$dev/$_->[0]") or die "symlink $dev/$_->[0]: $!\n" for (['stdin', 0], ['stdout', 1], ['stderr', 2]);
  mnt($dev, '/dev', 0, $MS_MOVE, 0);
  rmdir $dev or die "rmdir $dev: $!\n";
  mnt('lab-proc', '/proc', 'proc', $MS_NOSUID | $MS_NODEV | $MS_NOEXEC, 0);
  mnt('/proc/sys', '/proc/sys', 0, $MS_BIND, 0); setattr('/proc/sys', 0, 1, 0);
  mnt('/proc/sys/net', '/proc/sys/net', 0, $MS_BIND, 0); setattr('/proc/sys/net', 0, 0, 1);
  my $sysrq = '/proc/sysrq-trigger';
  if (syscall($MOUNT, $sysrq, "$sysrq", 0, $MS_BIND, 0) == 0) { setattr($sysrq, 0, 1, 0) }
  open(my $ready, '>', "$run/ready") or die "touch $run/ready: $!\n"; close $ready;
}
sub node {
  my ($run, $host, $netns, @sysctls) = @_;
  pipe(my $r, my $w) or die "pipe: $!\n";
  my $child = fork // die "fork: $!\n";
  if ($child) { close $w; return {run => $run, r => $r, child => $child} }
  $SIG{TERM} = 'DEFAULT';
  close $r;
  open(STDIN, '<', '/dev/null'); open(STDOUT, '>', "$run/sandbox.log") or exit 1; open(STDERR, '>&', \*STDOUT);
  select((select($w), $| = 1)[0]);
  open(my $ns, '<', $netns) or die "nsenter: cannot open $netns: $!\n";
  syscall($SETNS, fileno($ns), 0x40000000) == 0 or die "nsenter: reassociate to namespace 'ns/net' failed: $!\n";
  close $ns;
  # The template's mount tree (the machine's without /run/netns): a copy costs a few mounts, not one per namespace on the machine.
  syscall($SETNS, fileno($TEMPLATE), 0x20000) == 0 or die "setns to the template mount namespace: $!\n";
  syscall($UNSHARE, $NEWNS_UTS_IPC_PID) == 0 or die "unshare failed: $!\n";
  pipe(my $ready_r, my $ready_w) or die "pipe: $!\n";
  my $init = fork // die "fork: $!\n";
  if ($init == 0) {
    close $ready_r;
    eval { setup($run, $host, @sysctls); 1 } or do { print STDERR $@; exit 1 };
    syswrite($ready_w, "ready\n");
    $SIG{CHLD} = 'IGNORE';
    exec 'sleep', 'infinity' or do { print STDERR "sleep: $!\n"; exit 1 };
  }
  close $ready_w;
  print $w "pid $init\n";
  my $ready = readline($ready_r);
  exit 1 unless defined $ready && $ready eq "ready\n";
  # The node's addresses, links and routes: ip in the node's network namespace already, no ip -n.
  system('ip', '-batch', "$run/ip.batch");
  if ($? != 0) { print $w 'ip ' . ($? >> 8 || 128 + ($? & 127)) . "\n"; exit 0 }
  print $w "ready\n";
  exit 0;
}
sub finish {
  my $job = shift;
  my ($init, $ready, $ip);
  while (my $line = readline($job->{r})) { $init = $1 if $line =~ /^pid (\d+)/; $ip = $1 if $line =~ /^ip (\d+)/; $ready = 1 if $line eq "ready\n" }
  close $job->{r};
  waitpid($job->{child}, 0);
  print $ready && $init ? "ok\t$job->{run}\t$init\n" : defined $ip ? "ip\t$job->{run}\t$ip\n" : "fail\t$job->{run}\n";
}
# The template: a process holding a private copy of the machine's mount tree with /run/netns (one
# mount per namespace on the machine) detached.
pipe(my $tr, my $tw) or die "pipe: $!\n";
pipe(my $keep_r, our $KEEP_W) or die "pipe: $!\n";
my $holder = fork // die "fork: $!\n";
if ($holder == 0) {
  close $tr; close $KEEP_W;
  syscall($UNSHARE, 0x20000) == 0 or die "unshare: $!\n";
  mnt('none', '/', 0, $MS_REC | $MS_PRIVATE, 0);
  my $netns = '/run/netns';
  syscall($UMOUNT2, $netns, 2) if -d $netns; # MNT_DETACH; not a mount point is fine
  syswrite($tw, "ok\n");
  close $tw;
  readline($keep_r); # EOF when the builder is gone, however it ended
  exit 0;
}
close $tw; close $keep_r;
my $ok = readline($tr);
die "the template mount namespace failed\n" unless defined $ok;
open(our $TEMPLATE, '<', "/proc/$holder/ns/mnt") or die "open /proc/$holder/ns/mnt: $!\n";
my @flight;
while (!$stop && defined(my $line = <STDIN>)) {
  chomp $line;
  push @flight, node(split /\t/, $line);
  finish(shift @flight) while @flight >= $INFLIGHT;
}
finish(shift @flight) while @flight;
close $KEEP_W;
waitpid($holder, 0);
`

export interface SandboxRequest {
  runDir: string
  hostname: string
  netns: string
  sysctls: string[]
}

/** Nodes whose init is being set up at once: the setup is system calls, so a few keep 2 cores busy. */
const IN_FLIGHT = 4

/**
 * Build every requested sandbox with one perl; `ready(runDir, initPid)` hears of each as soon as its
 * init runs. Resolves to the run dirs that failed (their sandbox.log says why). Aborting stops new
 * nodes from being started; those in flight finish, so nothing is left half-built outside the lab's
 * namespaces.
 */
export async function buildSandboxes(requests: readonly SandboxRequest[], hidden: {dirs: readonly string[]; files: readonly string[]}, ready: (runDir: string, init: number) => void, signal?: AbortSignal): Promise<{failed: string[]; ipFailed: {runDir: string; exitCode: number}[]}> {
  const calls = SYSCALLS[process.arch]
  if (!calls) throw new OperationError(`node sandboxes are built with Linux system calls known for x86-64, arm64, riscv64 and loongarch64, not ${process.arch}`, 'run lab on one of those architectures')
  const failed: string[] = []
  const ipFailed: {runDir: string; exitCode: number}[] = []
  const args = [calls.mount, calls.umount2, calls.unshare, calls.setns, calls.sethostname, IN_FLIGHT].map(String)
  const lines = requests.map((r) => [r.runDir, r.hostname, r.netns, ...r.sysctls].join('\t'))
  await runPerlWorker('sandbox builder', SANDBOX_BUILDER, [...args, hidden.dirs.join(':'), hidden.files.join(':')], lines, ([status, runDir, init]) => {
    if (status === 'ok') ready(runDir, Number(init))
    else if (status === 'fail') failed.push(runDir)
    else if (status === 'ip') ipFailed.push({runDir, exitCode: Number(init)})
  }, signal)
  return {failed, ipFailed}
}
