#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Read cost of corralfs against LXCFS and the native files, in one run.
#
#   sudo bash bench/run.sh [--seconds N] [--quick] [--rounds N] [--siblings N]
#                          [--build DIR]
#
# Needs root, a build (meson setup build && ninja -C build) and lxcfs installed.
# The readers run in a limited child cgroup of this script's own cgroup (memory
# 256 MiB, cpuset 0-1, CPU quota of 2 CPUs); the daemons stay where the script
# is. Each (file, daemon, readers) gets N seconds (default 3, --quick 1) split
# in --rounds rounds (default 3) that alternate corralfs, LXCFS and native;
# figures are medians over rounds. Everything made here is removed on exit.
# Figures only: nothing here passes or fails a test.
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
BUILD=$REPO/build
SECONDS_PER=3
ROUNDS=3
SIBLINGS=1000
SLEEPERS=50
CTRLS=(cpu cpuacct cpuset memory pids blkio)
FILES=(proc/meminfo proc/cpuinfo proc/stat proc/uptime proc/loadavg proc/diskstats
       proc/swaps sys/devices/system/cpu/online)
PSI_FILES=(proc/pressure/cpu proc/pressure/memory proc/pressure/io)
READERS=(1 4)

usage() {
	sed -n '4,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

die() { echo "run.sh: $*" >&2; exit 1; }
note() { echo "# $*" >&2; }

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--seconds) SECONDS_PER=${2:?--seconds needs a value}; shift ;;
		--quick) SECONDS_PER=1 ;;
		--rounds) ROUNDS=${2:?--rounds needs a value}; shift ;;
		--siblings) SIBLINGS=${2:?--siblings needs a value}; shift ;;
		--build) BUILD=${2:?--build needs a value}; shift ;;
		-h|--help) usage; exit 0 ;;
		*) usage >&2; exit 2 ;;
		esac
		shift
	done
	[ "$SLEEPERS" -le "$SIBLINGS" ] || SLEEPERS=$SIBLINGS
	ROUND_SECONDS=$(awk -v s="$SECONDS_PER" -v r="$ROUNDS" 'BEGIN { printf "%.3f", s / r }')
}

# ---------------------------------------------------------------- state + cleanup

TMP=
CORRAL_PID=
LXCFS_PID=
CORRAL_MNT=
LXCFS_MNT=
FLOOR_PID=
FLOOR_MNT=
HELLO_LL=/usr/share/doc/libfuse3-dev/examples/hello_ll.c
SLEEPER_PIDS=()
DIED=
declare -A BASE=()        # controller -> the benchmark's own cgroup directory
declare -A RES=()         # "impl|file|readers|key" -> value

kill_and_wait() { # pid: TERM, up to 3 s, then KILL
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 30); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# Not mountpoint(1): it fails on a FUSE mount whose daemon died.
unmount() { # dir
	[ -n "$1" ] && awk -v d="$1" '$2 == d { f = 1 } END { exit !f }' /proc/self/mounts &&
		umount -l "$1"
	return 0
}

# Kill what is left in one of our cgroups (only this script puts processes there).
empty_cgroup() { # dir
	local pid
	[ -f "$1/cgroup.procs" ] || return 0
	while read -r pid; do
		kill -KILL "$pid" 2>/dev/null
	done < "$1/cgroup.procs"
}

rmdir_retry() { # dir
	local i
	[ -d "$1" ] || return 0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		rmdir "$1" 2>/dev/null && return 0
		empty_cgroup "$1"
		sleep 0.1
	done
	echo "run.sh: could not remove cgroup $1" >&2
}

# Children first (test, siblings), then the benchmark's own cgroup.
remove_cgroups() {
	local c d
	for c in "${!BASE[@]}"; do
		for d in "${BASE[$c]}"/*/; do
			[ -d "$d" ] && rmdir_retry "${d%/}"
		done
		rmdir_retry "${BASE[$c]}"
	done
}

cleanup() {
	local pid
	trap - EXIT INT TERM
	for pid in "${SLEEPER_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
	for pid in "${SLEEPER_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
	[ -n "$CORRAL_PID" ] && kill_and_wait "$CORRAL_PID"
	[ -n "$LXCFS_PID" ] && kill_and_wait "$LXCFS_PID"
	[ -n "$FLOOR_PID" ] && kill_and_wait "$FLOOR_PID"
	unmount "$CORRAL_MNT"
	unmount "$LXCFS_MNT"
	unmount "$FLOOR_MNT"
	remove_cgroups
	[ -n "$TMP" ] && rm -rf --one-file-system "$TMP"
}

# ---------------------------------------------------------------- cgroups

own_cgroup() { # controller -> this process's cgroup path in that hierarchy
	awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++)
		if (a[i] == c) { print $3; exit } }' /proc/self/cgroup
}

# mkdir a v1 cgroup; cpuset needs cpus and mems before it can hold tasks.
make_cgroup() { # controller dir
	mkdir "$2" || return 1
	if [ "$1" = cpuset ]; then
		cat "$2/../cpuset.cpus" > "$2/cpuset.cpus" &&
		cat "$2/../cpuset.mems" > "$2/cpuset.mems"
	fi
}

setup_cgroups() {
	local c own
	for c in "${CTRLS[@]}"; do
		own=$(own_cgroup "$c")
		[ -n "$own" ] || die "no $c hierarchy in /proc/self/cgroup"
		[ -d "/sys/fs/cgroup/$c$own" ] || die "/sys/fs/cgroup/$c$own is missing"
		BASE[$c]=/sys/fs/cgroup/$c${own%/}/corral-bench.$$
		make_cgroup "$c" "${BASE[$c]}" || die "creating ${BASE[$c]}"
		make_cgroup "$c" "${BASE[$c]}/test" || die "creating ${BASE[$c]}/test"
	done
	echo $((256 << 20)) > "${BASE[memory]}/test/memory.limit_in_bytes" &&
	echo 0-1 > "${BASE[cpuset]}/test/cpuset.cpus" &&
	echo 100000 > "${BASE[cpu]}/test/cpu.cfs_period_us" &&
	echo 200000 > "${BASE[cpu]}/test/cpu.cfs_quota_us" ||
		die "setting the limits of the test cgroup"
}

# On v1 the kernel counts a cgroup's block I/O only on devices it throttles:
# give the test cgroup a no-op rule (1 TiB/s) on the disk under $TMP and read
# a file there with O_DIRECT, so its diskstats has a line. Best effort.
prime_diskstats() {
	local dev sys
	dev=$(findmnt -no MAJ:MIN -T "$TMP" 2>/dev/null | tr -d ' ')
	sys=/sys/dev/block/$dev
	[ -e "$sys/partition" ] && dev=$(cat "$sys/../dev")
	if [ -z "$dev" ] ||
	   ! echo "$dev $((1 << 40))" > "${BASE[blkio]}/test/blkio.throttle.read_bps_device"; then
		note "no block I/O accounting for the test cgroup: diskstats may be empty"
		return
	fi
	dd if=/dev/urandom of="$TMP/io" bs=64k count=4 conv=fsync status=none &&
	run_in test dd if="$TMP/io" of=/dev/null bs=64k iflag=direct status=none ||
		note "direct read for diskstats failed"
}

procs_files() { # child name -> its cgroup.procs in every hierarchy
	local c out=
	for c in "${CTRLS[@]}"; do out+="${BASE[$c]}/$1/cgroup.procs "; done
	echo "$out"
}

# Run a command with its process moved into child cgroup $1 first.
run_in() { # child command...
	local procs
	procs=$(procs_files "$1")
	shift
	CG_PROCS=$procs sh -c 'for f in $CG_PROCS; do echo $$ > "$f" || exit 1; done
		exec "$@"' sh "$@"
}

# ---------------------------------------------------------------- daemons

wait_for() { # pid file what
	local i
	for i in $(seq 100); do
		[ -e "$2" ] && return 0
		kill -0 "$1" 2>/dev/null || { note "$3 exited while starting"; return 1; }
		sleep 0.1
	done
	note "$3: $2 did not appear in 10 s"
	return 1
}

start_corralfs() {
	local bin=$BUILD/fs/corralfs
	CORRAL_MNT=$TMP/corralfs
	if [ ! -x "$bin" ]; then
		note "no $bin: corralfs is left out"
		CORRAL_MNT=
		return
	fi
	mkdir -p "$CORRAL_MNT"
	"$bin" --foreground "$CORRAL_MNT" > "$TMP/corralfs.log" 2>&1 &
	CORRAL_PID=$!
	if ! wait_for "$CORRAL_PID" "$CORRAL_MNT/.static" corralfs; then
		tail -n 20 "$TMP/corralfs.log" >&2
		kill_and_wait "$CORRAL_PID"
		unmount "$CORRAL_MNT"
		CORRAL_PID=
		CORRAL_MNT=
	fi
}

# -l: LXCFS virtualizes loadavg only when asked; --enable-cfs: let the CPU quota
# lower its CPU count, as corralfs does by default. Same work on both sides.
start_lxcfs() {
	LXCFS_MNT=$TMP/lxcfs
	command -v lxcfs > /dev/null || { note "no lxcfs: left out"; LXCFS_MNT=; return; }
	mkdir -p "$LXCFS_MNT"
	lxcfs -f -l --enable-cfs -p "$TMP/lxcfs.pid" "$LXCFS_MNT" > "$TMP/lxcfs.log" 2>&1 &
	LXCFS_PID=$!
	if ! wait_for "$LXCFS_PID" "$LXCFS_MNT/proc/meminfo" lxcfs; then
		tail -n 20 "$TMP/lxcfs.log" >&2
		kill_and_wait "$LXCFS_PID"
		unmount "$LXCFS_MNT"
		LXCFS_PID=
		LXCFS_MNT=
	fi
}

# The FUSE floor: libfuse's own hello_ll example (one fixed file, /hello),
# compiled from the copy libfuse3-dev installs; left out if it is not there.
start_floor() {
	FLOOR_MNT=$TMP/floor
	# shellcheck disable=SC2046 # pkg-config's flags are meant to split
	if ! cc -O2 $(pkg-config --cflags fuse3 2>/dev/null) "$HELLO_LL" -o "$TMP/hello_ll" \
		$(pkg-config --libs fuse3 2>/dev/null) 2> "$TMP/floor.log"; then
		note "cannot build $HELLO_LL: no FUSE floor"
		FLOOR_MNT=
		return
	fi
	mkdir -p "$FLOOR_MNT"
	"$TMP/hello_ll" -f "$FLOOR_MNT" >> "$TMP/floor.log" 2>&1 &
	FLOOR_PID=$!
	if ! wait_for "$FLOOR_PID" "$FLOOR_MNT/hello" hello_ll; then
		kill_and_wait "$FLOOR_PID"
		unmount "$FLOOR_MNT"
		FLOOR_PID=
		FLOOR_MNT=
	fi
}

cpu_ticks() { # pid -> utime + stime of the whole process, in clock ticks
	local rest
	rest=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
	rest=${rest##*) }
	awk '{ print $12 + $13 }' <<< "$rest"
}

rss_kib() { # pid field -> the field of /proc/PID/status, in kB
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}

# ---------------------------------------------------------------- measuring

field() { # name line -> value of name=value in line
	local re="(^| )$1=([^ ]*)"
	[[ $2 =~ $re ]] && echo "${BASH_REMATCH[2]}"
}

impl_path() { # impl file -> the path to read, empty if impl is not there
	case $1 in
	corralfs) [ -n "$CORRAL_MNT" ] && echo "$CORRAL_MNT/$2" ;;
	lxcfs) [ -n "$LXCFS_MNT" ] && [ -e "$LXCFS_MNT/$2" ] && echo "$LXCFS_MNT/$2" ;;
	native) echo "/$2" ;;
	floor) [ -n "$FLOOR_MNT" ] && echo "$FLOOR_MNT/$2" ;;
	esac
}

impl_pid() {
	case $1 in
	corralfs) echo "$CORRAL_PID" ;;
	lxcfs) echo "$LXCFS_PID" ;;
	floor) echo "$FLOOR_PID" ;;
	*) echo ;;
	esac
}

# If a daemon died, say so once, show its log and leave it out from now on.
check_daemon() { # impl
	local pid
	pid=$(impl_pid "$1")
	[ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null || return 0
	wait "$pid"
	note "$1 (pid $pid) died, status $?; last lines of its log:"
	tail -n 20 "$TMP/$1.log" | sed 's/^/#   /' >&2
	DIED+="$1 "
	unmount "$(impl_mnt "$1")"
	case $1 in
	corralfs) CORRAL_PID='' CORRAL_MNT='' ;;
	lxcfs) LXCFS_PID='' LXCFS_MNT='' ;;
	floor) FLOOR_PID='' FLOOR_MNT='' ;;
	esac
}

impl_mnt() {
	case $1 in
	corralfs) echo "$CORRAL_MNT" ;;
	lxcfs) echo "$LXCFS_MNT" ;;
	floor) echo "$FLOOR_MNT" ;;
	esac
}

# One readloop round (processes) in the test cgroup. Each round appends its
# reads/s, p50 and p99 to RES["tag|file|readers|key"] lists; reads and the
# daemon's CPU ticks add up in the "reads" and "ticks" keys.
measure() { # tag impl file readers
	local tag=$1 impl=$2 file=$3 j=$4 path pid t0 t1 line k at
	path=$(impl_path "$impl" "$file") || return 0
	[ -n "$path" ] || return 0
	pid=$(impl_pid "$impl")
	[ -n "$pid" ] && t0=$(cpu_ticks "$pid")
	if ! line=$(run_in test "$BUILD/bench/readloop" -p -t "$ROUND_SECONDS" -j "$j" "$path"); then
		note "$impl $file readers=$j: readloop failed"
		check_daemon "$impl"
		return 0
	fi
	echo "$tag $impl $line" >&2
	at="$tag|$file|$j"
	for k in reads_per_s p50_us p99_us; do
		RES["$at|$k"]+="$(field "$k" "$line") "
	done
	RES["$at|reads"]=$((${RES["$at|reads"]:-0} + $(field reads "$line")))
	if [ -n "$pid" ]; then
		t1=$(cpu_ticks "$pid")
		RES["$at|ticks"]=$((${RES["$at|ticks"]:-0} + t1 - t0))
	fi
}

# Each file: ROUNDS rounds of A, B, C, the order rotated every round.
measure_files() {
	local j r k file impls=(corralfs lxcfs native) impl
	for j in "${READERS[@]}"; do
		for file in "${FILES[@]}" "${PSI_FILES[@]}"; do
			for r in $(seq "$ROUNDS"); do
				for k in 0 1 2; do
					impl=${impls[$(((r + k) % 3))]}
					measure "$impl" "$impl" "$file" "$j"
				done
			done
		done
		for r in $(seq "$ROUNDS"); do
			measure corralfs corralfs .static "$j"
			measure floor floor hello "$j"
		done
	done
}

# ---------------------------------------------------------------- 1000 siblings

make_siblings() {
	local c n
	for c in "${CTRLS[@]}"; do
		for n in $(seq -w 1 "$SIBLINGS"); do
			make_cgroup "$c" "${BASE[$c]}/sib$n" || die "creating ${BASE[$c]}/sib$n"
		done
	done
}

# Each sleeper reads meminfo and loadavg through both daemons once, then sleeps:
# both daemons now know its cgroup (cached view, load average sampling).
start_sleepers() {
	local n i reads=
	for file in proc/meminfo proc/loadavg; do
		[ -n "$CORRAL_MNT" ] && reads+="$CORRAL_MNT/$file "
		[ -n "$LXCFS_MNT" ] && reads+="$LXCFS_MNT/$file "
	done
	for i in $(seq 1 "$SLEEPERS"); do
		n=$(printf "%0${#SIBLINGS}d" $(((i - 1) * SIBLINGS / SLEEPERS + 1)))
		run_in "sib$n" sh -c 'cat $0 > /dev/null; touch "$1"; exec sleep 100000' \
			"$reads" "$TMP/ready.$i" &
		SLEEPER_PIDS+=($!)
	done
	for i in $(seq 1 200); do
		[ "$(find "$TMP" -maxdepth 1 -name 'ready.*' | wc -l)" -ge "$SLEEPERS" ] && break
		sleep 0.1
	done
	note "$(find "$TMP" -maxdepth 1 -name 'ready.*' | wc -l) of $SLEEPERS sleepers have read"
}

siblings_test() {
	local impl r
	for r in $(seq "$ROUNDS"); do
		for impl in corralfs lxcfs; do measure "before-$impl" "$impl" proc/meminfo 1; done
	done
	note "creating $SIBLINGS sibling cgroups in ${CTRLS[*]}"
	make_siblings
	start_sleepers
	sleep 1
	for r in $(seq "$ROUNDS"); do
		for impl in corralfs lxcfs; do measure "after-$impl" "$impl" proc/meminfo 1; done
	done
}

# ---------------------------------------------------------------- report

median() { # numbers... -> their median, or -
	[ $# -gt 0 ] || { echo -; return; }
	printf "%s\n" "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# RES value: the median over rounds, or daemon CPU us per read over all rounds.
get() { # tag|file|readers|key
	local at=${1%|*} key=${1##*|}
	case $key in
	cpu_us)
		[ -n "${RES["$at|ticks"]:-}" ] && [ "${RES["$at|reads"]:-0}" -gt 0 ] || { echo -; return; }
		awk -v d="${RES["$at|ticks"]}" -v hz="$HZ" -v n="${RES["$at|reads"]}" \
			'BEGIN { printf "%.1f", d * 1e6 / hz / n }' ;;
	*)
		# shellcheck disable=SC2086 # a list of numbers
		median ${RES[$1]:-} ;;
	esac
}

ratio() { # a b -> a/b with 2 decimals, or -
	if [[ $1 =~ ^[0-9.]+$ && $2 =~ ^[0-9.]+$ ]] && [ "$2" != 0 ]; then
		awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
	else
		echo -
	fi
}

print_header() {
	echo "date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "kernel:    $(uname -r)"
	echo "cpu:       $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), nproc $(nproc)"
	echo "corral:    $(git -C "$REPO" describe --always --dirty 2>/dev/null || echo 'no commit')"
	echo "lxcfs:     $(lxcfs --version 2>&1 | head -n 1)"
	echo "seconds:   $SECONDS_PER per measurement, in $ROUNDS alternating rounds (medians shown)"
	echo "cgroup:    readers in ${BASE[memory]}/test"
	echo "           (memory 256 MiB, cpuset 0-1, cfs quota 200000/100000)"
	echo "readers:   readloop -p (processes), 1 and 4 at a time"
	echo
}

# What the test cgroup sees: proof the numbers are its own, not the host's.
print_views() {
	local impl path
	for impl in corralfs lxcfs native; do
		path=$(impl_path "$impl" proc/meminfo) && [ -n "$path" ] || continue
		printf "%-9s MemTotal seen from the test cgroup: %s; cpu/online: %s\n" "$impl" \
			"$(run_in test awk '/^MemTotal/ { print $2, $3 }' "$path")" \
			"$(run_in test cat "$(impl_path "$impl" sys/devices/system/cpu/online)")"
	done
	echo
}

print_row() { # file readers
	local f=$1 j=$2 c l n
	c=$(get "corralfs|$f|$j|reads_per_s")
	l=$(get "lxcfs|$f|$j|reads_per_s")
	n=$(get "native|$f|$j|reads_per_s")
	printf "%-30s %2s | %8s %8s %8s | %8s %8s %8s | %8s %6s %6s | %6s %6s | %6s %6s\n" \
		"$f" "$j" \
		"$c" "$(get "corralfs|$f|$j|p50_us")" "$(get "corralfs|$f|$j|p99_us")" \
		"$l" "$(get "lxcfs|$f|$j|p50_us")" "$(get "lxcfs|$f|$j|p99_us")" \
		"$n" "$(get "native|$f|$j|p50_us")" "$(get "native|$f|$j|p99_us")" \
		"$(ratio "$c" "$l")" "$(ratio "$c" "$n")" \
		"$(get "corralfs|$f|$j|cpu_us")" "$(get "lxcfs|$f|$j|cpu_us")"
}

print_table() {
	local j f
	printf "%-30s %2s | %8s %8s %8s | %8s %8s %8s | %8s %6s %6s | %6s %6s | %6s %6s\n" \
		file j corral/s p50us p99us lxcfs/s p50us p99us native/s p50us p99us \
		c/lx c/nat cpu_c cpu_lx
	for j in "${READERS[@]}"; do
		for f in "${FILES[@]}" "${PSI_FILES[@]}" .static; do print_row "$f" "$j"; done
	done
	echo "(j = concurrent readers; reads/s summed over readers; p50/p99 per read in us;"
	echo " c/lx, c/nat = corralfs reads/s over LXCFS's, over native's;"
	echo " cpu_c, cpu_lx = daemon CPU time (utime+stime) per read in us, 1/${HZ} s ticks)"
	echo
}

print_floor() {
	local j
	echo "FUSE floor, a fixed tiny file: corralfs .static against libfuse's hello_ll /hello"
	for j in "${READERS[@]}"; do
		printf "  j=%s  corralfs .static %8s/s p50 %6s p99 %7s cpu %6s | hello_ll %8s/s p50 %6s p99 %7s cpu %6s | ratio %s\n" \
			"$j" "$(get "corralfs|.static|$j|reads_per_s")" "$(get "corralfs|.static|$j|p50_us")" \
			"$(get "corralfs|.static|$j|p99_us")" "$(get "corralfs|.static|$j|cpu_us")" \
			"$(get "floor|hello|$j|reads_per_s")" "$(get "floor|hello|$j|p50_us")" \
			"$(get "floor|hello|$j|p99_us")" "$(get "floor|hello|$j|cpu_us")" \
			"$(ratio "$(get "corralfs|.static|$j|reads_per_s")" "$(get "floor|hello|$j|reads_per_s")")"
	done
	echo
}

print_memory() {
	local impl pid
	for impl in corralfs lxcfs; do
		pid=$(impl_pid "$impl")
		[ -n "$pid" ] || continue
		echo "$impl memory: VmRSS $(rss_kib "$pid" VmRSS) kB, VmHWM $(rss_kib "$pid" VmHWM) kB"
	done
	echo
}

print_siblings() {
	local impl b a
	echo "meminfo, 1 reader, before and after $SIBLINGS sibling cgroups ($SLEEPERS with a reader):"
	for impl in corralfs lxcfs; do
		b=$(get "before-$impl|proc/meminfo|1|reads_per_s")
		a=$(get "after-$impl|proc/meminfo|1|reads_per_s")
		printf "  %-8s before %8s/s p50 %6s us | after %8s/s p50 %6s us | after/before %s\n" \
			"$impl" "$b" "$(get "before-$impl|proc/meminfo|1|p50_us")" \
			"$a" "$(get "after-$impl|proc/meminfo|1|p50_us")" "$(ratio "$a" "$b")"
	done
	echo
}

# ---------------------------------------------------------------- main

main() {
	parse_args "$@"
	[ "$(id -u)" = 0 ] || die "run as root"
	[ -x "$BUILD/bench/readloop" ] || die "no $BUILD/bench/readloop: build first"
	HZ=$(getconf CLK_TCK)
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	TMP=$(mktemp -d /tmp/corral-bench.XXXXXX)
	setup_cgroups
	start_corralfs
	start_lxcfs
	start_floor
	prime_diskstats
	print_header
	print_views
	note "measuring (${#FILES[@]} + ${#PSI_FILES[@]} files x 3 x ${#READERS[@]} reader counts)"
	measure_files
	siblings_test
	print_table
	print_floor
	print_memory
	print_siblings
	[ -z "$DIED" ] || echo "DAEMONS THAT DIED DURING THE RUN: $DIED"
}

main "$@"
