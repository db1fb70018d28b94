# Shared by the root integration tests (sourced by bash).  TAP output,
# layout-agnostic cgroup handling (v1, hybrid, v2), and cleanup that runs
# even when a test fails: every cgroup made here is a child of this
# process's own cgroup in its hierarchy and is removed on exit; corralfs is
# unmounted; every process started here is ended by pid.
set -u

# Debian's python3 directly: a version manager's shim in PATH (pyenv here)
# costs ~0.6 s a call, and the tests call it in wait loops.
[ -x /usr/bin/python3 ] && python3() { /usr/bin/python3 "$@"; }
T_N=0
T_FAILED=0
CGT_DIRS=()      # cgroups created, removed in reverse order
CGT_PIDS=()      # processes started, killed on exit
MNT=""
FS_PID=""

t_plan() { echo "1..$1"; }
t_ok() { T_N=$((T_N + 1)); echo "ok $T_N - $1"; }
t_fail() { T_N=$((T_N + 1)); T_FAILED=$((T_FAILED + 1)); echo "not ok $T_N - $1"; shift; for l in "$@"; do echo "# $l"; done; }
t_skip() { T_N=$((T_N + 1)); echo "ok $T_N - $1 # SKIP $2"; }
# t_eq NAME EXPECTED ACTUAL
t_eq() {
	if [ "$2" = "$3" ]; then t_ok "$1"; else t_fail "$1" "expected: '$2'" "actual:   '$3'"; fi
}
# t_true NAME CMD...: passes when CMD succeeds
t_true() {
	local name=$1; shift
	local out
	if out=$("$@" 2>&1); then t_ok "$name"; else t_fail "$name" "command: $*" "$out"; fi
}
skip_all() { echo "1..0 # SKIP $1"; exit 0; }

require_root() {
	[ "$(id -u)" = 0 ] || skip_all "needs root (real FUSE mount and cgroups)"
	[ -e /dev/fuse ] || skip_all "no /dev/fuse on this machine"
}

# ------------------------------------------------------------- cgroups
CGT_V2=0
declare -A CGT_MNT   # controller -> mount point (v1) ; "unified" -> cgroup2 mount

cgt_detect() {
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		CGT_V2=1
		CGT_MNT[unified]=/sys/fs/cgroup
		return
	fi
	local line mnt opts fstype c
	while read -r line; do
		mnt=$(echo "$line" | awk '{print $5}')
		fstype=$(echo "$line" | sed 's/.* - //' | awk '{print $1}')
		opts=$(echo "$line" | sed 's/.* - //' | awk '{print $3}')
		if [ "$fstype" = cgroup2 ]; then CGT_MNT[unified]=$mnt; continue; fi
		[ "$fstype" = cgroup ] || continue
		for c in memory cpu cpuacct cpuset pids blkio; do
			case ",$opts," in *",$c,"*) CGT_MNT[$c]=$mnt;; esac
		done
	done < /proc/self/mountinfo
}

# The cgroup of this shell in the hierarchy of controller $1 ("" for v2).
cgt_own() {
	if [ "$1" = unified ]; then
		awk -F: '$1 == "0" {print $3}' /proc/self/cgroup
	else
		awk -F: -v c="$1" '{n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3}' /proc/self/cgroup
	fi
}

# The distinct hierarchies (mount points) in use.
cgt_mounts() { printf '%s\n' "${CGT_MNT[@]}" | sort -u; }

# v2: children of our own cgroup get controllers through its
# cgroup.subtree_control.  Outside the root, the no-internal-processes rule
# means this shell (and the corralfs it started) first leave for a leaf,
# corral-test-runner; the root is exempt.  cgt_v2_release undoes all this.
cgt_v2_prepare() {
	local own=/sys/fs/cgroup$(cgt_own unified) c p
	own=${own%/}
	CGT_V2_PARENT=$own CGT_V2_RUNNER="" CGT_V2_ENABLED=()
	if [ "$own" != /sys/fs/cgroup ]; then
		CGT_V2_RUNNER=$own/corral-test-runner
		if [ ! -d "$CGT_V2_RUNNER" ]; then
			mkdir "$CGT_V2_RUNNER"
			CGT_DIRS+=("$CGT_V2_RUNNER")
		fi
		for p in $$ ${FS_PID:-}; do echo "$p" > "$CGT_V2_RUNNER/cgroup.procs"; done
	fi
	for c in cpuset cpu io memory pids; do
		grep -qw "$c" "$own/cgroup.controllers" || continue
		grep -qw "$c" "$own/cgroup.subtree_control" && continue
		if echo "+$c" > "$own/cgroup.subtree_control" 2>/dev/null; then
			CGT_V2_ENABLED+=("$c")
		else
			echo "# cannot enable $c in $own/cgroup.subtree_control (other processes in $own?)" >&2
		fi
	done
}

cgt_v2_release() {
	local c
	[ -n "${CGT_V2_PARENT:-}" ] || return 0
	for c in "${CGT_V2_ENABLED[@]}"; do echo "-$c" > "$CGT_V2_PARENT/cgroup.subtree_control"; done
	if [ -n "$CGT_V2_RUNNER" ]; then
		# We were a process of this (non-root) cgroup, so it had no
		# controllers enabled before; a runtime under test (runc) may have
		# enabled more for its own cgroups: turn them all off again, or the
		# no-internal-processes rule refuses our way back.
		for c in $(cat "$CGT_V2_PARENT/cgroup.subtree_control"); do
			echo "-$c" > "$CGT_V2_PARENT/cgroup.subtree_control"
		done
		echo $$ > "$CGT_V2_PARENT/cgroup.procs"
	fi
	CGT_V2_PARENT="" CGT_V2_RUNNER="" CGT_V2_ENABLED=()
}

# cgt_create NAME: a child of our own cgroup in every hierarchy; prints nothing.
declare -A CGT_PATH  # controller -> directory of the created cgroup
cgt_create() {
	local name=$1 c mnt own dir
	if [ $CGT_V2 = 1 ]; then
		[ -n "${CGT_V2_PARENT:-}" ] || cgt_v2_prepare
		dir=$CGT_V2_PARENT/$name
		mkdir "$dir"; CGT_DIRS+=("$dir")
		for c in memory cpu cpuacct cpuset pids blkio unified; do CGT_PATH[$c]=$dir; done
		return
	fi
	for c in "${!CGT_MNT[@]}"; do
		mnt=${CGT_MNT[$c]}
		own=$(cgt_own "$c"); [ "$c" = unified ] && own=$(cgt_own unified)
		dir=${mnt}${own%/}/$name
		if [ ! -d "$dir" ]; then
			mkdir "$dir"; CGT_DIRS+=("$dir")
		fi
		CGT_PATH[$c]=$dir
	done
	if [ -n "${CGT_PATH[cpuset]:-}" ]; then
		cat "$(dirname "${CGT_PATH[cpuset]}")/cpuset.cpus" > "${CGT_PATH[cpuset]}/cpuset.cpus"
		cat "$(dirname "${CGT_PATH[cpuset]}")/cpuset.mems" > "${CGT_PATH[cpuset]}/cpuset.mems"
	fi
}

# cgt_set KNOB VALUE — knobs: memory (bytes), cpus (list), quota "Q P", pids (n),
# read_bps "MAJ:MIN BYTES"
cgt_set() {
	local knob=$1 val=$2
	if [ $CGT_V2 = 1 ]; then
		case $knob in
		memory) echo "$val" > "${CGT_PATH[memory]}/memory.max";;
		cpus) echo "$val" > "${CGT_PATH[cpuset]}/cpuset.cpus";;
		quota) local q=${val% *}; [ "${q#-}" != "$q" ] && q=max   # v1's -1 is v2's max
		       echo "$q ${val#* }" > "${CGT_PATH[cpu]}/cpu.max";;
		pids) echo "$val" > "${CGT_PATH[pids]}/pids.max";;
		read_bps) echo "${val% *} rbps=${val#* }" > "${CGT_PATH[blkio]}/io.max";;
		esac
	else
		case $knob in
		memory) echo "$val" > "${CGT_PATH[memory]}/memory.limit_in_bytes";;
		cpus) echo "$val" > "${CGT_PATH[cpuset]}/cpuset.cpus";;
		quota) echo "${val#* }" > "${CGT_PATH[cpu]}/cpu.cfs_period_us"
		       echo "${val% *}" > "${CGT_PATH[cpu]}/cpu.cfs_quota_us";;
		pids) echo "$val" > "${CGT_PATH[pids]}/pids.max";;
		read_bps) echo "$val" > "${CGT_PATH[blkio]}/blkio.throttle.read_bps_device";;
		esac
	fi
}

# Move pid $1 into the created cgroup in every hierarchy.
cgt_enter() {
	local d
	for d in $(printf '%s\n' "${CGT_PATH[@]}" | sort -u); do
		echo "$1" > "$d/cgroup.procs"
	done
}

# Run a command inside the created cgroup: cgt_run CMD...
cgt_run() { bash -c 'for f in "$@"; do [ "$f" = -- ] && break; echo $$ > "$f/cgroup.procs"; done; while [ "$1" != -- ]; do shift; done; shift; exec "$@"' _ $(printf '%s\n' "${CGT_PATH[@]}" | sort -u) -- "$@"; }

cgt_destroy() {
	local i d pid
	for ((i = ${#CGT_DIRS[@]} - 1; i >= 0; i--)); do
		d=${CGT_DIRS[$i]}
		[ -d "$d" ] || continue
		if [ -f "$d/cgroup.procs" ]; then
			for pid in $(cat "$d/cgroup.procs" 2>/dev/null); do
				[ "$pid" = $$ ] && continue
				kill -KILL "$pid" 2>/dev/null
			done
		fi
		[ "$d" = "${CGT_V2_RUNNER:-}" ] && cgt_v2_release
		for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$d" 2>/dev/null && break; sleep 0.1; done
		[ -d "$d" ] && echo "# could not remove cgroup $d" >&2
	done
	CGT_DIRS=()
	cgt_v2_release
}

# ------------------------------------------------------------ corralfs
BUILD=${BUILD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../build" 2>/dev/null && pwd)}
CORRALFS=${CORRALFS:-$BUILD/fs/corralfs}

# The sanitizer lane (.ci/sanitize) sets CORRAL_SANITIZER_LOGS to a
# directory: every sanitized program these tests start (daemonized corralfs
# too, whose stderr is /dev/null) writes its ASan/LSan reports there, and
# fs_stop copies the foreground daemon's stderr there (UBSan built with
# -fno-sanitize-recover reports on stderr whatever log_path says).
if [ -n "${CORRAL_SANITIZER_LOGS:-}" ]; then
	mkdir -p "$CORRAL_SANITIZER_LOGS"
	SAN_TAG=$(basename "$0" .sh)
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$CORRAL_SANITIZER_LOGS/$SAN_TAG.asan"
	export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$CORRAL_SANITIZER_LOGS/$SAN_TAG.ubsan"
fi

# is_mounted DIR: DIR is a mount point, from /proc/self/mountinfo alone
# (never a stat on a FUSE mount, which blocks while its daemon is stuck).
is_mounted() { awk -v d="$1" '$5 == d {f = 1} END {exit !f}' /proc/self/mountinfo; }

fs_start() {
	MNT=$(mktemp -d /tmp/corral-test.XXXXXX)
	FS_LOG=$MNT.log
	# bash starts background jobs with SIGINT ignored, and libfuse keeps an
	# ignored signal ignored: give the daemon the default dispositions.
	env --default-signal=INT,TERM "$CORRALFS" --foreground "$@" "$MNT" 2> "$FS_LOG" &
	FS_PID=$!
	# a sanitized daemon starts slower: up to 10 s (returns as soon as up)
	for _ in $(seq 200); do
		[ -f "$MNT/.static" ] && return 0
		kill -0 "$FS_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "# corralfs did not come up:"; sed 's/^/#   /' "$FS_LOG"
	return 1
}

fs_stop() {
	if [ -n "$FS_PID" ] && kill -0 "$FS_PID" 2>/dev/null; then
		kill -TERM "$FS_PID"
		# 10 s: a sanitized daemon runs its leak check on the way out
		for _ in $(seq 100); do kill -0 "$FS_PID" 2>/dev/null || break; sleep 0.1; done
		if kill -0 "$FS_PID" 2>/dev/null; then
			echo "# corralfs $FS_PID did not end on SIGTERM within 10 s: killed"
			kill -KILL "$FS_PID"
		fi
		wait "$FS_PID" 2>/dev/null
	fi
	if [ -n "$MNT" ]; then
		is_mounted "$MNT" && umount -l "$MNT"
		rmdir "$MNT" 2>/dev/null
		[ -n "${CORRAL_SANITIZER_LOGS:-}" ] && [ -s "$MNT.log" ] &&
			cp "$MNT.log" "$CORRAL_SANITIZER_LOGS/$SAN_TAG.corralfs-stderr.$FS_PID"
		rm -f "$MNT.log"
	fi
	FS_PID=""
	MNT=""
}

# add_procps_free ROOTFS: procps `free` (dynamic, with its libraries) as
# ROOTFS/usr/bin/free in place of busybox's applet link, for the views.
add_procps_free() {
	local lib
	rm -f "$1/usr/bin/free" "$1/bin/free"
	cp /usr/bin/free "$1/usr/bin/free"
	for lib in $(ldd /usr/bin/free | grep -o '/[^ ]*'); do
		mkdir -p "$1$(dirname "$lib")"
		cp -L "$lib" "$1$lib"
	done
}

T_ATEXIT=()     # shell commands run at exit, last first
t_atexit() { T_ATEXIT+=("$1"); }

t_cleanup() {
	local p i
	for p in "${CGT_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	for ((i = ${#T_ATEXIT[@]} - 1; i >= 0; i--)); do eval "${T_ATEXIT[$i]}"; done
	fs_stop
	cgt_destroy
}

# The plan goes last (valid TAP), so a test aborted midway shows as failed.
t_done() {
	echo "1..$T_N"
	[ "$T_FAILED" = 0 ]
}

trap t_cleanup EXIT
