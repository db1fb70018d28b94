#!/usr/bin/env bash
# Root integration test of the task counts with large task lists (kernel
# seq_files that take several read()s): a child cgroup of this test's own
# cgroup holding a process with 2000 threads, read through a mounted
# corralfs by a reader inside that cgroup: loadavg's running/total and
# /proc/stat's procs_running, procs_blocked and processes are exactly what
# /proc and ps say, and "processes" does not go down when the threads exit.
# Then, when corral is built, a container with 2100 processes: `corral ps`
# lists exactly the pids that ps shows in its cgroup, and `corral delete
# --force` of a fork bomb (bounded by pids.max) leaves nothing.
. "$(dirname "$0")/lib.sh"
require_root
[ -x "$CORRALFS" ] || skip_all "corralfs not built at $CORRALFS"
SYSPROBE=${SYSPROBE:-$BUILD/tests/integration/sysprobe}
[ -x "$SYSPROBE" ] || skip_all "sysprobe not built at $SYSPROBE"
command -v ps > /dev/null || skip_all "no ps (apt-get install procps)"

NTHREADS=2000
cgt_detect
fs_start || { t_fail "corralfs mounts"; t_done; exit 1; }
cgt_create "corral-tasks-$$"
TMP=$(mktemp -d /tmp/corral-tasks.XXXXXX)
t_atexit "rm -rf $TMP"

# The task list of the cgroup ("tasks" on v1, cgroup.threads on v2).
tasklist() {
	if [ $CGT_V2 = 1 ]; then cat "${CGT_PATH[pids]}/cgroup.threads"; else cat "${CGT_PATH[pids]}/tasks"; fi
}
# read_view FILE: FILE of the view, read by a cat inside the cgroup.
read_view() { cgt_run cat "$MNT/proc/$1"; }
stat_field() { awk -v k="$1" '$1 == k {print $2}'; }

# -------------------------------------------------- 2000 threads, one process
cgt_run "$SYSPROBE" threads $NTHREADS > "$TMP/threads.out" &
CGT_PIDS+=("$!")   # the subshell of the background function
for _ in $(seq 200); do [ -s "$TMP/threads.out" ] && break; sleep 0.05; done
t_eq "sysprobe made $NTHREADS threads" "$NTHREADS" "$(cat "$TMP/threads.out")"
SP=$(cat "${CGT_PATH[pids]}/cgroup.procs")   # the only process in there
CGT_PIDS+=("$SP")

proc_threads=$(ls "/proc/$SP/task" | wc -l)
ps_threads=$(ps -L --no-headers -p "$SP" | wc -l)
list_threads=$(tasklist | wc -l)
t_eq "/proc, ps and the cgroup's task list agree" "$((NTHREADS + 1)) $((NTHREADS + 1)) $((NTHREADS + 1))" \
	"$proc_threads $ps_threads $list_threads"

# The reader (cat) is the one more thread, and the one running.  One cat
# reads loadavg and stat, so both come from walks that saw the same threads
# (a second reader process, if the daemon walked again for it, would be one
# more fork: a slow machine, where the two reads are over 1 s apart, did so).
both=$(cgt_run cat "$MNT/proc/loadavg" "$MNT/proc/stat")
la=$(head -1 <<< "$both")
t_eq "loadavg running/total: the reader and every thread ($la)" "1/$((NTHREADS + 2))" "$(awk '{print $4}' <<< "$la")"
max_tid=$(ls "/proc/$SP/task" | sort -n | tail -1)
t_true "loadavg last_pid is at least the highest tid ($max_tid)" test "$(awk '{print $5}' <<< "$la")" -ge "$max_tid"
st=$(tail -n +2 <<< "$both")
t_eq "stat: procs_running, procs_blocked" "1 0" \
	"$(stat_field procs_running <<< "$st") $(stat_field procs_blocked <<< "$st")"
p1=$(stat_field processes <<< "$st")
t_eq "stat: processes counts every thread of the first walk" "$((NTHREADS + 2))" "$p1"

# The threads exit: the fork count stays, the current counts drop.
kill -KILL "$SP"
for _ in $(seq 100); do [ -z "$(tasklist)" ] && break; sleep 0.05; done
t_eq "the cgroup is empty" "" "$(tasklist | xargs)"
sleep 1.1   # the daemon walks the tasks at most once a second
st=$(read_view stat)
p2=$(stat_field processes <<< "$st")
# The new reader is one more fork when a walk sees it; when the sampler's
# walk is under way as it reads, it gets that walk's count (the reader unseen).
t_true "stat: processes after the threads exit: not fewer, at most one more, the new reader ($p1 -> $p2)" \
	test "$p2" -ge "$p1" -a "$p2" -le "$((p1 + 1))"
la=$(read_view loadavg)
t_eq "loadavg total after the threads exit: the reader" "1/1" "$(awk '{print $4}' <<< "$la")"

# ------------------------------------------------- corral: 2100 processes
CORRAL=${CORRAL:-$BUILD/runtime/corral}
if [ ! -x "$CORRAL" ] || [ ! -x /bin/busybox ] || ! command -v runc > /dev/null; then
	t_skip "corral ps of a container with 2100 processes" "corral, busybox or runc missing"
	t_done; exit
fi
fs_stop
cgt_destroy
OCI_TAG=tasks
. "$(dirname "$0")/oci-lib.sh"
cp "$SYSPROBE" "$ROOTFS/sysprobe"
NPROCS=2100
BIGMEM='c["linux"]["resources"]["memory"] = {"limit": 1073741824}'
ID=crowd-$$
oci_config "$BUNDLE/config.json" "$ID" "/sysprobe procs $NPROCS > /dev/null; sleep 1000" "$BIGMEM"
oc create --bundle "$BUNDLE" "$ID" && oc start "$ID"
procs_dir=$(ct_dir pids "$ID")
for _ in $(seq 300); do [ "$(wc -l < "$procs_dir/cgroup.procs")" -ge $((NPROCS + 2)) ] && break; sleep 0.05; done
# sh, sysprobe and its children (the sleep comes after them)
want=$(sort -n "$procs_dir/cgroup.procs" | xargs)
t_true "the container has more than 2000 processes ($(wc -w <<< "$want"))" test "$(wc -w <<< "$want")" -gt 2000
# ps's cgroup column: "ID:CONTROLLERS:PATH" entries joined by commas
if [ $CGT_V2 = 1 ]; then
	cg_pat="(^|,)0::${procs_dir#/sys/fs/cgroup}(,|\$)"
else
	cg_pat="(^|,)[0-9]+:([^:]*,)?pids(,[^:]*)?:${procs_dir#"${CGT_MNT[pids]}"}(,|\$)"
fi
ps_pids=$(ps -e -o pid=,cgroup:4096= | awk -v pat="$cg_pat" '$2 ~ pat {print $1}' | sort -n | xargs)
oc ps --format json "$ID"
got=$(python3 -c 'import json,sys; print(" ".join(map(str, sorted(json.loads(sys.argv[1])))))' "$OUT" 2>&1)
echo "# corral ps listed $(wc -w <<< "$got") pids, the cgroup has $(wc -w <<< "$want")"
t_eq "corral ps --format json: exactly the cgroup's pids" "$want" "$got"
t_eq "ps shows the same pids in that cgroup" "$want" "$ps_pids"
oc delete --force "$ID"
t_eq "delete --force of the crowd" "0 " "$RC $ERR"
t_eq "nothing left of the crowd" "" "$(left_behind "$ID")"

# A fork bomb (pids.max 1500; the init shell reaps the orphans so that
# zombies do not fill pids.max): delete --force kills it all, nothing left.
ID=bomb-$$
oci_config "$BUNDLE/config.json" "$ID" "/sysprobe forkbomb & while :; do wait; sleep 0.01; done" \
	"$BIGMEM; c[\"linux\"][\"resources\"][\"pids\"] = {\"limit\": 1500}"
oc create --bundle "$BUNDLE" "$ID" && oc start "$ID"
t_eq "the fork bomb container starts" "0 " "$RC $ERR"
bomb_dir=$(ct_dir pids "$ID")
for _ in $(seq 200); do [ "$(wc -l < "$bomb_dir/cgroup.procs" 2>/dev/null || echo 0)" -ge 1000 ] && break; sleep 0.05; done
n=$(wc -l < "$bomb_dir/cgroup.procs")
t_true "the fork bomb runs ($n processes)" test "$n" -ge 1000
oc delete --force "$ID"
t_eq "delete --force of the fork bomb" "0 " "$RC $ERR"
t_eq "nothing left of the fork bomb" "" "$(left_behind "$ID")"
t_done
