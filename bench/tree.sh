#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Cost of corralfs's cgroup tree (MOUNTPOINT/cgroup, issue 11) against
# /sys/fs/cgroup itself, in one run.
#
#   sudo bash bench/tree.sh [--seconds N] [--quick] [--rounds N] [--build DIR]
#
# Needs root and a build (meson setup build && ninja -C build). Mounts its
# own corralfs on a temp dir: run from the host's namespaces, it sees there
# the paths of /sys/fs/cgroup. Below this script's own cgroup in the memory
# and pids hierarchies (the one cgroup2 on a v2 host) it makes corral-tree.PID
# with children test (the readers: memory 256 MiB, pids 64), sleepers (50
# sleeping processes) and home (where cgcycle sits). Tree against direct,
# N seconds each (default 3, --quick 1) in --rounds alternating rounds
# (default 3), order rotated every round, medians shown:
#   1. open-read-close of test's memory.limit_in_bytes (v2: memory.max), and
#      of corralfs's fixed file .static (its FUSE floor); 1 and 4 readers;
#   2. the same of sleepers' cgroup.procs (50 pids);
#   3. bench/cgcycle: mkdir, write a memory limit, move itself in, move back,
#      rmdir.
# The mount, cgroups and processes are removed at exit and checked gone.
# Figures only: nothing here passes or fails a test.
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
BUILD=$REPO/build
ARGS="$*"
SECONDS_PER=3
ROUNDS=3
SLEEPERS=50
READERS=(1 4)
CYCLE_LIMIT=$((64 << 20))

usage() {
	sed -n '4,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

die() { echo "tree.sh: $*" >&2; exit 1; }
note() { echo "# $*" >&2; }

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--seconds) SECONDS_PER=${2:?--seconds needs a value}; shift ;;
		--quick) SECONDS_PER=1 ;;
		--rounds) ROUNDS=${2:?--rounds needs a value}; shift ;;
		--build) BUILD=${2:?--build needs a value}; shift ;;
		-h|--help) usage; exit 0 ;;
		*) usage >&2; exit 2 ;;
		esac
		shift
	done
	ROUND_SECONDS=$(awk -v s="$SECONDS_PER" -v r="$ROUNDS" 'BEGIN { printf "%.3f", s / r }')
}

# ---------------------------------------------------------------- state + cleanup

TMP=
MNT=
FS_PID=
TREE=             # set when the mount has a cgroup tree
DIED=
V2=               # a cgroup v2 host
V2_ENABLED=       # controllers this script enabled in its own cgroup (v2)
OWN_V2=
SLEEPER_PIDS=()
HIERS=()          # hierarchies used: memory pids, or v2
MEMH=             # the one holding memory
LIMIT_FILE=
declare -A REL=() # hierarchy -> corral-tree.PID's path from the hierarchy's root
declare -A RES=() # "tag|readers|key" -> value(s)

kill_and_wait() { # pid: TERM, up to 3 s, then KILL
	local pid=$1 _
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 30); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# Not mountpoint(1): it fails on a FUSE mount whose daemon died.
mounted() { # dir
	[ -n "$1" ] && awk -v d="$1" '$2 == d { f = 1 } END { exit !f }' /proc/self/mounts
}

unmount() { # dir
	mounted "$1" && umount -l "$1"
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
	local _
	[ -d "$1" ] || return 0
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		rmdir "$1" 2>/dev/null && return 0
		empty_cgroup "$1"
		sleep 0.1
	done
	echo "tree.sh: could not remove cgroup $1" >&2
}

# Children first (test, sleepers, home, cycle), then corral-tree.PID.
remove_cgroups() {
	local h d
	for h in "${!REL[@]}"; do
		for d in "$(direct_of "$h")"/*/; do
			[ -d "$d" ] && rmdir_retry "${d%/}"
		done
		rmdir_retry "$(direct_of "$h")"
	done
	if [ -n "$V2_ENABLED" ] &&
	   ! echo "${V2_ENABLED//+/-}" > "$(direct_dir v2)${OWN_V2%/}/cgroup.subtree_control"; then
		note "could not turn $V2_ENABLED off again in ${OWN_V2}'s cgroup.subtree_control"
	fi
}

# Processes still in our cgroups once everything this script started was
# killed by pid and waited for: there should be none.
still_busy() {
	local h d pids out=
	for h in "${!REL[@]}"; do
		for d in "$(direct_of "$h")" "$(direct_of "$h")"/*/; do
			[ -f "$d/cgroup.procs" ] || continue
			pids=$(tr '\n' ' ' < "$d/cgroup.procs")
			pids=${pids% }
			[ -n "$pids" ] && out+="processes $pids in ${d%/} "
		done
	done
	echo "$out"
}

# What this script made and must have removed: say what is left, if anything.
leftovers() {
	local h left=
	[ -n "$(jobs -pr)" ] && left+="processes $(jobs -pr | tr '\n' ' ')"
	mounted "$MNT" && left+="mount $MNT "
	for h in "${!REL[@]}"; do
		[ -d "$(direct_of "$h")" ] && left+="cgroup $(direct_of "$h") "
	done
	[ -n "$TMP" ] && [ -e "$TMP" ] && left+="directory $TMP "
	echo "$left"
}

cleanup() {
	local status=$? pid left
	trap - EXIT INT TERM
	for pid in "${SLEEPER_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
	for pid in "${SLEEPER_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
	[ -n "$FS_PID" ] && kill_and_wait "$FS_PID"
	unmount "$MNT"
	left=$(still_busy)
	remove_cgroups
	[ -n "$TMP" ] && rm -rf --one-file-system "$TMP"
	left+=$(leftovers)
	if [ -n "$left" ]; then
		echo "tree.sh: LEFT BEHIND: $left" >&2
		exit 1
	fi
	note "cleanup: mount, cgroups, processes and $TMP are gone"
	exit "$status"
}

# ---------------------------------------------------------------- cgroups

own_cgroup() { # hierarchy -> this process's cgroup path in it
	awk -F: -v c="$1" 'c == "v2" && $1 == "0" && $2 == "" { print $3; exit }
		c != "v2" { n = split($2, a, ","); for (i = 1; i <= n; i++)
			if (a[i] == c) { print $3; exit } }' /proc/self/cgroup
}

direct_dir() { # hierarchy -> its root under /sys/fs/cgroup
	if [ "$1" = v2 ]; then echo /sys/fs/cgroup; else echo "/sys/fs/cgroup/$1"; fi
}

tree_dir() { # hierarchy -> its root in the mount's tree
	if [ "$1" = v2 ]; then echo "$MNT/cgroup"; else echo "$MNT/cgroup/$1"; fi
}

direct_of() { # hierarchy [child[/file]] -> its path under /sys/fs/cgroup
	echo "$(direct_dir "$1")${REL[$1]}${2:+/$2}"
}

tree_of() { # hierarchy [child[/file]] -> the same path through the tree
	echo "$(tree_dir "$1")${REL[$1]}${2:+/$2}"
}

# v2: the script's cgroup must hand memory and pids down (only the root
# cgroup can, while it holds this script).
v2_enable() { # own
	local ctl c want=
	ctl=$(direct_dir v2)${1%/}/cgroup.subtree_control
	for c in memory pids; do
		grep -qw "$c" "$ctl" || want+="+$c "
	done
	[ -z "$want" ] && return 0
	echo "$want" > "$ctl" ||
		die "cannot enable $want in $ctl (on cgroup v2 run from the root cgroup)"
	V2_ENABLED=$want
}

setup_cgroups() {
	local h own c
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		V2=1 HIERS=(v2) MEMH=v2 LIMIT_FILE=memory.max
	else
		HIERS=(memory pids) MEMH=memory LIMIT_FILE=memory.limit_in_bytes
	fi
	for h in "${HIERS[@]}"; do
		own=$(own_cgroup "$h")
		[ -n "$own" ] || die "no $h hierarchy in /proc/self/cgroup"
		[ -d "$(direct_dir "$h")$own" ] || die "$(direct_dir "$h")$own is missing"
		[ -n "$V2" ] && { OWN_V2=$own; v2_enable "$own"; }
		REL[$h]=${own%/}/corral-tree.$$
		mkdir "$(direct_of "$h")" || die "creating $(direct_of "$h")"
		[ -n "$V2" ] && { echo "+memory +pids" > "$(direct_of "$h")/cgroup.subtree_control" ||
			die "enabling memory and pids in $(direct_of "$h")"; }
		for c in test sleepers home; do
			mkdir "$(direct_of "$h" "$c")" || die "creating $(direct_of "$h" "$c")"
		done
	done
	if ! echo $((256 << 20)) > "$(direct_of "$MEMH" "test/$LIMIT_FILE")" ||
	   ! echo 64 > "$(direct_of "${HIERS[-1]}" test/pids.max)"; then
		die "setting the limits of the test cgroup"
	fi
}

procs_of() { # child -> its cgroup.procs in every hierarchy
	local h out=
	for h in "${HIERS[@]}"; do out+="$(direct_of "$h" "$1/cgroup.procs") "; done
	echo "$out"
}

# sh -c script: move this process into every $CG_PROCS file, change to
# directory $CG_CWD (if set), then exec "$@".
# shellcheck disable=SC2016 # expanded by that sh, not here
MOVE_AND_EXEC='for f in $CG_PROCS; do echo $$ > "$f" || exit 1; done
	cd "${CG_CWD:-.}" || exit 1; exec "$@"'

# Run a command with its process moved into child cgroup $1 first, in
# directory $RUN_CWD if the caller sets it.
run_in() { # child command...
	local procs
	procs=$(procs_of "$1")
	shift
	CG_PROCS=$procs CG_CWD=${RUN_CWD:-} sh -c "$MOVE_AND_EXEC" sh "$@"
}

# The sleepers: started directly (no subshell in between), so that each pid
# in SLEEPER_PIDS is the sleep itself.
start_sleepers() {
	local procs file
	procs=$(procs_of sleepers)
	file=$(direct_of "$MEMH" sleepers/cgroup.procs)
	for _ in $(seq "$SLEEPERS"); do
		CG_PROCS=$procs sh -c "$MOVE_AND_EXEC" sh sleep 100000 &
		SLEEPER_PIDS+=($!)
	done
	for _ in $(seq 100); do
		[ "$(wc -l < "$file")" -ge "$SLEEPERS" ] && return 0
		sleep 0.1
	done
	die "only $(wc -l < "$file") of $SLEEPERS sleepers in $file after 10 s"
}

# ---------------------------------------------------------------- corralfs

start_corralfs() {
	local bin=$BUILD/fs/corralfs
	[ -x "$bin" ] || die "no $bin: build first"
	MNT=$TMP/mnt
	mkdir -p "$MNT"
	"$bin" --foreground "$MNT" > "$TMP/corralfs.log" 2>&1 &
	FS_PID=$!
	for _ in $(seq 100); do
		[ -e "$MNT/.static" ] && break
		kill -0 "$FS_PID" 2>/dev/null || break
		sleep 0.1
	done
	if [ ! -e "$MNT/.static" ]; then
		tail -n 20 "$TMP/corralfs.log" >&2
		die "corralfs did not come up on $MNT"
	fi
	if [ -f "$(tree_of "$MEMH" "test/$LIMIT_FILE")" ]; then
		TREE=1
	else
		note "no $(tree_of "$MEMH" "test/$LIMIT_FILE"): this corralfs has no cgroup tree, its rows are left out"
	fi
}

# If the daemon died, say so once, show its log and leave the tree out.
check_daemon() {
	[ -n "$FS_PID" ] && ! kill -0 "$FS_PID" 2>/dev/null || return 0
	wait "$FS_PID"
	note "corralfs (pid $FS_PID) died, status $?; last lines of its log:"
	tail -n 20 "$TMP/corralfs.log" | sed 's/^/#   /' >&2
	DIED=1 FS_PID='' TREE=''
	unmount "$MNT"
}

cpu_ticks() { # pid -> utime + stime of the whole process, in clock ticks
	local rest
	rest=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
	rest=${rest##*) }
	awk '{ print $12 + $13 }' <<< "$rest"
}

# ---------------------------------------------------------------- measuring

field() { # name line -> value of name=value in line
	local re="(^| )$1=([^ ]*)"
	[[ $2 =~ $re ]] && echo "${BASH_REMATCH[2]}"
}

# The file a read measurement opens: path below corral-tree.PID, or .static.
read_path() { # impl file
	case $1 in
	static) [ -n "$FS_PID" ] && echo "$MNT/.static" ;;
	tree|treecwd) [ -n "$TREE" ] && tree_of "$MEMH" "$2" ;;
	direct|directcwd) direct_of "$MEMH" "$2" ;;
	esac
}

# Append one round's figures to RES["tag|readers|key"]; operations and the
# daemon's CPU ticks (tree and static only) add up in "ops" and "ticks".
record() { # tag readers line t0 count-key keys...
	local at="$1|$2" line=$3 t0=$4 ops=$5 k
	shift 5
	for k in "$@"; do RES["$at|$k"]+="$(field "$k" "$line") "; done
	RES["$at|ops"]=$((${RES["$at|ops"]:-0} + $(field "$ops" "$line")))
	[ -n "$t0" ] && [ -n "$FS_PID" ] &&
		RES["$at|ticks"]=$((${RES["$at|ticks"]:-0} + $(cpu_ticks "$FS_PID") - t0))
	return 0
}

# Impls treecwd and directcwd open the file by its name from its directory
# (the readers' cwd): the kernel then walks one component, not the path.
measure_read() { # tag impl file readers
	local tag=$1 impl=$2 path line t0='' cwd=''
	path=$(read_path "$impl" "$3")
	[ -n "$path" ] || return 0
	[[ $impl = direct* ]] || t0=$(cpu_ticks "$FS_PID")
	[[ $impl = *cwd ]] && cwd=$(dirname "$path") path=$(basename "$path")
	if ! line=$(RUN_CWD=$cwd run_in test "$BUILD/bench/readloop" -p -t "$ROUND_SECONDS" \
			-j "$4" "$path"); then
		note "$tag j=$4: readloop failed"
		check_daemon
		return 0
	fi
	echo "$tag $line" >&2
	record "$tag" "$4" "$line" "$t0" reads reads_per_s p50_us p99_us
}

measure_cycle() { # impl
	local tag=cycle-$1 line t0='' home new
	if [ "$1" = tree ]; then
		[ -n "$TREE" ] || return 0
		home=$(tree_of "$MEMH" home) new=$(tree_of "$MEMH" cycle)
		t0=$(cpu_ticks "$FS_PID")
	else
		home=$(direct_of "$MEMH" home) new=$(direct_of "$MEMH" cycle)
	fi
	if ! line=$(run_in home "$BUILD/bench/cgcycle" -t "$ROUND_SECONDS" \
			-l "$LIMIT_FILE=$CYCLE_LIMIT" "$home" "$new"); then
		note "$tag: cgcycle failed"
		check_daemon
		return 0
	fi
	echo "$tag $line" >&2
	record "$tag" 1 "$line" "$t0" cycles cycles_per_s p50_us p99_us \
		mkdir_p50_us limit_p50_us in_p50_us out_p50_us rmdir_p50_us
}

# ROUNDS rounds, the order of the implementations rotated every round.
alternate() { # function args-before-impl -- impls...
	local fn=$1 r k n impls=() pre=()
	shift
	while [ "$1" != -- ]; do pre+=("$1"); shift; done
	shift
	impls=("$@") n=$#
	for r in $(seq "$ROUNDS"); do
		for k in $(seq 0 $((n - 1))); do
			"$fn" "${impls[$(((r + k) % n))]}" "${pre[@]}"
		done
	done
}

limit_read() { # impl readers
	case $1 in
	*cwd) measure_read "limitcwd-${1%cwd}" "$1" "test/$LIMIT_FILE" "$2" ;;
	*) measure_read "limit-$1" "$1" "test/$LIMIT_FILE" "$2" ;;
	esac
}
static_read() { measure_read static static "" "$2"; }
procs_read() { measure_read "procs-$1" "$1" sleepers/cgroup.procs "$2"; }
small_read() { # impl readers: the limit file, or .static for "static"
	if [ "$1" = static ]; then static_read "$@"; else limit_read "$@"; fi
}

measure_all() {
	local j
	for j in "${READERS[@]}"; do
		alternate small_read "$j" -- tree direct static treecwd directcwd
		alternate procs_read "$j" -- tree direct
	done
	alternate measure_cycle -- tree direct
}

same() { if [ "$1" = "$2" ]; then echo "="; else echo "!="; fi; }

# Same bytes through the tree and directly (cgroup.procs compared sorted).
check_same() {
	local f a b
	[ -n "$TREE" ] || { echo "checks:    no tree"; return; }
	f=test/$LIMIT_FILE
	a=$(cat "$(tree_of "$MEMH" "$f")") b=$(cat "$(direct_of "$MEMH" "$f")")
	printf "checks:    %s through the tree %s direct (%s)\n" "$f" \
		"$(same "$a" "$b")" "$a / $b"
	f=sleepers/cgroup.procs
	a=$(sort -n "$(tree_of "$MEMH" "$f")") b=$(sort -n "$(direct_of "$MEMH" "$f")")
	printf "           %s through the tree %s direct (%s / %s pids)\n" "$f" \
		"$(same "$a" "$b")" "$(wc -w <<< "$a")" "$(wc -w <<< "$b")"
}

# ---------------------------------------------------------------- report

median() { # numbers... -> their median, or -
	[ $# -gt 0 ] || { echo -; return; }
	printf "%s\n" "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# RES value: the median over rounds, or daemon CPU us per operation over all rounds.
get() { # tag|readers|key
	local at=${1%|*} key=${1##*|}
	case $key in
	cpu_us)
		if [ -z "${RES["$at|ticks"]:-}" ] || [ "${RES["$at|ops"]:-0}" -eq 0 ]; then
			echo -
			return
		fi
		awk -v d="${RES["$at|ticks"]}" -v hz="$HZ" -v n="${RES["$at|ops"]}" \
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
	echo "command:   sudo bash bench/tree.sh${ARGS:+ $ARGS}"
	echo "date:      $START_DATE"
	echo "kernel:    $(uname -r), cgroup $([ -n "$V2" ] && echo v2 || echo v1/hybrid)"
	echo "cpu:       $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), nproc $(nproc)"
	echo "corral:    $(git -C "$REPO" describe --always --dirty 2>/dev/null || echo 'no commit')"
	echo "load:      $LOAD_BEFORE (before) / $(cut -d' ' -f1-3 /proc/loadavg) (after)"
	echo "seconds:   $SECONDS_PER per measurement, in $ROUNDS alternating rounds (medians shown)"
	echo "cgroups:   $(direct_of "$MEMH"): test (readers; memory 256 MiB, pids 64),"
	echo "           sleepers ($SLEEPERS processes), home (cgcycle), cycle (made and removed)"
}

# Names the kernel looks up below the mount to open the limit file by its path.
depth() {
	local rel
	rel=$(tree_of "$MEMH" "test/$LIMIT_FILE")
	rel=${rel#"$MNT"/}
	echo "$(($(tr -cd / <<< "$rel" | wc -c) + 1))"
}

print_row() { # label tag-prefix readers [static]
	local t d s
	t=$(get "$2-tree|$3|$4") d=$(get "$2-direct|$3|$4")
	s=-
	[ "${5:-}" = static ] && s=$(get "static|$3|reads_per_s")
	printf "%-26s %2s | %8s %7s %7s | %8s %7s %7s | %8s %7s %7s | %6s %6s | %6s %6s\n" \
		"$1" "$3" \
		"$t" "$(get "$2-tree|$3|p50_us")" "$(get "$2-tree|$3|p99_us")" \
		"$d" "$(get "$2-direct|$3|p50_us")" "$(get "$2-direct|$3|p99_us")" \
		"$s" "$([ "${5:-}" = static ] && get "static|$3|p50_us" || echo -)" \
		"$([ "${5:-}" = static ] && get "static|$3|p99_us" || echo -)" \
		"$(ratio "$t" "$d")" "$(ratio "$t" "$s")" \
		"$(get "$2-tree|$3|cpu_us")" "$([ "${5:-}" = static ] && get "static|$3|cpu_us" || echo -)"
}

print_table() {
	local j
	printf "%-26s %2s | %8s %7s %7s | %8s %7s %7s | %8s %7s %7s | %6s %6s | %6s %6s\n" \
		what j tree/s p50us p99us direct/s p50us p99us static/s p50us p99us \
		t/dir t/stat cpu_t cpu_s
	for j in "${READERS[@]}"; do
		print_row "test/$LIMIT_FILE" limit "$j" reads_per_s static
	done
	for j in "${READERS[@]}"; do
		print_row "  the same, cwd test/" limitcwd "$j" reads_per_s static
	done
	for j in "${READERS[@]}"; do
		print_row "sleepers/cgroup.procs" procs "$j" reads_per_s
	done
	print_row "cycle (cgcycle)" cycle 1 cycles_per_s
	echo "(j = concurrent readers; /s = reads/s summed over readers, or cycles/s;"
	echo " p50/p99 per read or per cycle in us; t/dir = tree/direct, t/stat = tree/.static;"
	echo " \"cwd test/\": the readers open the file by its name from its directory, so"
	echo " the kernel looks up one name, not the $(depth) of the path below the mount;"
	echo " cpu_t, cpu_s = corralfs CPU time (utime+stime) per tree operation, per .static"
	echo " read, in us, 1/${HZ} s ticks)"
	echo
}

print_steps() {
	local s
	printf "cycle steps, p50 us:  "
	for s in mkdir limit in out rmdir; do printf "%14s" "$s"; done
	echo
	for impl in tree direct; do
		printf "  %-19s" "$impl"
		for s in mkdir limit in out rmdir; do
			printf "%14s" "$(get "cycle-$impl|1|${s}_p50_us")"
		done
		echo
	done
	echo "(limit = writing $CYCLE_LIMIT to $LIMIT_FILE; in/out = cgcycle writing its pid"
	echo " to cycle/cgroup.procs, then to home/cgroup.procs)"
	echo
}

print_target() {
	local j r verdict tag
	echo "target: a tree read within 2x of .static's cost (tree reads/s >= 0.5 x .static's)"
	for j in "${READERS[@]}"; do
		for tag in limit limitcwd; do
			r=$(ratio "$(get "$tag-tree|$j|reads_per_s")" "$(get "static|$j|reads_per_s")")
			verdict=-
			[ "$r" != - ] && verdict=$(awk -v r="$r" 'BEGIN { print (r >= 0.5 ? "met" : "missed") }')
			printf "  j=%s  tree/.static %5s: %-6s (%s)\n" "$j" "$r" "$verdict" \
				"$([ $tag = limit ] && echo "by its path" || echo "from its directory")"
		done
	done
}

# ---------------------------------------------------------------- main

main() {
	parse_args "$@"
	[ "$(id -u)" = 0 ] || die "run as root"
	[ -x "$BUILD/bench/readloop" ] || die "no $BUILD/bench/readloop: build first"
	[ -x "$BUILD/bench/cgcycle" ] || die "no $BUILD/bench/cgcycle: build first"
	HZ=$(getconf CLK_TCK)
	START_DATE=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
	LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	TMP=$(mktemp -d /tmp/corral-tree.XXXXXX)
	setup_cgroups
	start_corralfs
	start_sleepers
	note "measuring (${#READERS[@]} reader counts x (5 + 2) x $ROUNDS rounds + 2 x $ROUNDS cycle rounds, ${ROUND_SECONDS} s each)"
	measure_all
	print_header
	check_same
	echo
	print_table
	print_steps
	print_target
	if [ -n "$DIED" ]; then
		echo "CORRALFS DIED DURING THE RUN: see the notes above"
		exit 1
	fi
}

main "$@"
