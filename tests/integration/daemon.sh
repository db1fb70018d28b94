#!/usr/bin/env bash
# Root integration test of the daemon itself: options, daemon mode with a
# pid file, clean unmount on SIGTERM and SIGINT, --no-cpu-quota, usage errors.
. "$(dirname "$0")/lib.sh"
require_root
[ -x "$CORRALFS" ] || skip_all "corralfs not built at $CORRALFS"
cgt_detect

# --- command line
t_true "--help prints the usage" sh -c "'$CORRALFS' --help | grep -q '^Usage: corralfs'"
t_true "--version prints the version" sh -c "'$CORRALFS' --version | grep -Eq '^corralfs [0-9]+\.[0-9]+'"
out=$("$CORRALFS" --bogus 2>&1); rc=$?
t_eq "an unknown option exits 2" 2 "$rc"
t_true "an unknown option is named ($(echo "$out" | head -1))" grep -q "bogus" <<< "$out"
out=$("$CORRALFS" --foreground /etc/hostname 2>&1); rc=$?
t_eq "a mount point that is a file is refused (exit 1)" 1 "$rc"
t_true "the refusal names the mount point ($out)" grep -q "/etc/hostname" <<< "$out"

# --- daemon mode: pid file, syslog, SIGTERM unmounts
DMNT=$(mktemp -d /tmp/corral-test.XXXXXX)
PIDF=$DMNT.pid
t_atexit "is_mounted $DMNT && umount -l $DMNT; rmdir $DMNT 2>/dev/null; rm -f $PIDF"
"$CORRALFS" --pidfile "$PIDF" "$DMNT"
rc=$?
t_eq "the daemon starts in the background (exit 0)" 0 "$rc"
for _ in $(seq 50); do [ -s "$PIDF" ] && [ -f "$DMNT/.static" ] && break; sleep 0.05; done
dpid=$(cat "$PIDF" 2>/dev/null)
[ -n "$dpid" ] && CGT_PIDS+=("$dpid")
t_true "the pid file names the running daemon ($dpid)" sh -c "[ -n '$dpid' ] && grep -q corralfs /proc/$dpid/comm"
t_true "the daemon's mount answers" test "$(head -c 9 "$DMNT/.static")" = corralfs
kill -TERM "$dpid" 2>/dev/null
for _ in $(seq 50); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.1; done
t_true "SIGTERM ends the daemon" sh -c "! kill -0 $dpid 2>/dev/null"
t_true "SIGTERM unmounts" eval "! is_mounted $DMNT"
t_true "SIGTERM removes the pid file" test ! -e "$PIDF"

# --- SIGINT in the foreground, a file and a directory still open (their
# handles are never released: the sanitizer lane sees them leak, if so)
fs_start
pid=$FS_PID
exec 3< "$MNT/proc/meminfo" 4< "$MNT/sys/devices/system/cpu"
kill -INT "$pid"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
exec 3<&- 4<&-
t_true "SIGINT ends the foreground daemon (files still open)" sh -c "! kill -0 $pid 2>/dev/null"
t_true "SIGINT unmounts" eval "! is_mounted $MNT"
fs_stop

# --- inode numbers are what a node is, the same in every daemon (a
# restarted daemon must answer for the numbers the kernel holds): the
# passthrough paths of the cpu directory and the cgroup tree's cgroups,
# looked up in opposite orders by two daemons
CPUD=sys/devices/system/cpu
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
	T1=cgroup$(awk -F: '$1 == "0" { print $3 }' /proc/self/cgroup)/cgroup.procs T2=cgroup/cgroup.procs
else
	T1=cgroup/memory$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup) T2=cgroup/pids
fi
inos() { local p; for p in "$@"; do stat -c %i "$MNT/$p" 2>&1; done | xargs; }
fs_start
first=$(inos $CPUD/cpufreq $CPUD/vulnerabilities $CPUD/cpuidle "$T1" "$T2")
fs_stop
fs_start
second=$(inos "$T2" "$T1" $CPUD/cpuidle $CPUD/vulnerabilities $CPUD/cpufreq)
fs_stop
t_eq "two daemons give a path the same inode number, whatever the order of lookups" \
	"$first" "$(echo $second | awk '{ print $5, $4, $3, $2, $1 }')"
t_true "... and different paths different numbers ($first)" \
	test "$(echo $first | tr ' ' '\n' | sort -u | wc -l)" = 5

# --- after a crash: a container's bind mounts of a killed corralfs answer
# ENOTCONN; a new corralfs on the same mount point replaces them (and its
# own dead mount point), unless --no-reattach
# start_at DIR [OPTIONS]: a corralfs on DIR in the background; RA_PID
start_at() {
	local dir=$1
	shift
	env --default-signal=INT,TERM "$CORRALFS" --foreground "$@" "$dir" 2>> "$dir.log" &
	RA_PID=$!
	CGT_PIDS+=("$RA_PID")   # killed at exit, whatever happens below
	for _ in $(seq 200); do [ -f "$dir/.static" ] && return 0; sleep 0.05; done
	return 1
}
in_ns() { timeout 10 nsenter -t "$NSP" -m "$@" 2>&1; }
RA=$(mktemp -d /tmp/corral-test.XXXXXX)
RA2=$(mktemp -d /tmp/corral-test.XXXXXX)
t_atexit "for d in $RA $RA2; do is_mounted \$d && umount -l \$d; rmdir \$d 2>/dev/null; rm -f \$d.log; done"
start_at "$RA"
unshare -m --propagation private sh -c "mount --bind $RA/proc/meminfo /proc/meminfo &&
	mount --bind $RA/proc/uptime /proc/uptime && exec sleep 1000" &
NSP=$!
CGT_PIDS+=("$NSP")
for _ in $(seq 100); do [ "$(in_ns head -c 8 /proc/uptime | tr -dc 0-9)" != "" ] &&
	in_ns grep -q "$RA/proc/meminfo\|/proc/meminfo.*corralfs" /proc/self/mountinfo && break; sleep 0.05; done
t_eq "a container's /proc/meminfo is corralfs's" "MemTotal:" "$(in_ns head -1 /proc/meminfo | cut -d' ' -f1)"
kill -KILL "$RA_PID"; wait "$RA_PID" 2>/dev/null
t_eq "corralfs killed: the container's /proc/meminfo is dead" \
	"head: cannot open '/proc/meminfo' for reading: Transport endpoint is not connected" \
	"$(in_ns head -1 /proc/meminfo)"
start_at "$RA2" --no-reattach
t_eq "a corralfs with --no-reattach elsewhere leaves it dead" \
	"head: cannot open '/proc/meminfo' for reading: Transport endpoint is not connected" \
	"$(in_ns head -1 /proc/meminfo)"
kill -TERM "$RA_PID"; wait "$RA_PID" 2>/dev/null
start_at "$RA"
t_eq "a new corralfs comes up on the dead mount point" 0 "$?"
# (it replaces the dead mounts in a thread, once it serves)
for _ in $(seq 100); do in_ns test -r /proc/uptime && break; sleep 0.05; done
t_eq "... and the container's /proc/meminfo answers again" "MemTotal:" \
	"$(in_ns head -1 /proc/meminfo | cut -d' ' -f1)"
t_true "... its /proc/uptime too" sh -c "nsenter -t $NSP -m cat /proc/uptime | grep -Eq '^[0-9]+\.[0-9]+ [0-9]+\.[0-9]+$'"
t_eq "... no dead corralfs mount is left in its namespace ($(in_ns grep -c fuse.corralfs /proc/self/mountinfo) corralfs mounts)" "" \
	"$(in_ns sed -n 's/^[^ ]* [^ ]* [^ ]* [^ ]* \([^ ]*\) .* - fuse\.corralfs .*/\1/p' /proc/self/mountinfo | while read -r m; do
		nsenter -t "$NSP" -m stat "$m" > /dev/null 2>&1 || echo "$m"; done)"
t_true "the log names what it replaced" grep -q "reattach: /proc/meminfo of pid $NSP's mount namespace is $RA/proc/meminfo again" "$RA.log"
kill "$NSP"; wait "$NSP" 2>/dev/null
kill -TERM "$RA_PID"; wait "$RA_PID" 2>/dev/null
for d in "$RA" "$RA2"; do is_mounted "$d" && umount -l "$d"; rmdir "$d"; rm -f "$d.log"; done
t_true "nothing of it is left mounted" sh -c "! grep -qE '$RA|$RA2' /proc/self/mountinfo"

# --- CPU quota: counted by default, ignored with --no-cpu-quota
if [ "$(nproc --all)" -ge 2 ]; then
	cgt_create "corral-it-d-$$"
	cgt_set cpus 0-1
	cgt_set quota "50000 100000"
	fs_start
	t_eq "a quota of 0.5 CPU on cpuset 0-1 shows 1 CPU" 0 "$(cgt_run cat "$MNT/sys/devices/system/cpu/online")"
	fs_stop
	fs_start --no-cpu-quota
	t_eq "--no-cpu-quota shows the cpuset's 2 CPUs" 0-1 "$(cgt_run cat "$MNT/sys/devices/system/cpu/online")"
	t_eq "--no-cpu-quota: cpuinfo has 2 processors" 2 "$(cgt_run grep -c ^processor "$MNT/proc/cpuinfo")"
	fs_stop
	cgt_set quota "150000 100000"
	fs_start
	t_eq "a quota of 1.5 CPUs rounds up to 2" 0-1 "$(cgt_run cat "$MNT/sys/devices/system/cpu/online")"
	cgt_set quota "-1 100000"
	[ $CGT_V2 = 1 ] && cgt_set quota "max 100000"
	cgt_set cpus 1
	sleep 0.12
	t_eq "cpuset 1 alone shows as CPU 0" 0 "$(cgt_run cat "$MNT/sys/devices/system/cpu/online")"
	t_eq "its cpu0 directory is host CPU 1's" "$(cat /sys/devices/system/cpu/cpu1/topology/core_id)" \
		"$(cgt_run cat "$MNT/sys/devices/system/cpu/cpu0/topology/core_id")"
	out=$(cgt_run ls "$MNT/sys/devices/system/cpu/cpu1" 2>&1)
	t_true "it has no cpu1 directory ($out)" grep -q "No such file" <<< "$out"
	fs_stop
else
	t_skip "CPU quota and --no-cpu-quota" "needs 2 CPUs, this machine has $(nproc --all)"
fi

t_done
