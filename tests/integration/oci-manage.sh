#!/usr/bin/env bash
# Root integration test of corral's pause, resume, kill --all (a fork
# bomb), update, ps, spec and features on OCI bundles: the kernel's cgroup files hold exactly what
# was asked for, a paused container's CPU time stands still, errors are
# runc 1.1's messages, bad input changes nothing, and nothing is left
# behind (state directory, cgroups incl. the v1 freezer ones, processes,
# mounts).  Bundle and cgroups as in oci.sh: a busybox rootfs, `runc
# spec` edited by python3, every container's cgroup below this test's own
# (relative on v1/hybrid, the absolute path of our own cgroup on v2).
. "$(dirname "$0")/lib.sh"
require_root
command -v ps > /dev/null || skip_all "no ps (apt-get install procps)"
[ -x "$SYSPROBE" ] || skip_all "sysprobe not built at $SYSPROBE"
OCI_TAG=mgr
. "$(dirname "$0")/oci-lib.sh"

# At exit, before oci-lib's cleanup (containers, then cgroups): our
# cgroups thawed (a frozen v1 task dies only once thawed).
mgr_thaw() {
	local d
	for d in $(find /sys/fs/cgroup -maxdepth 8 -type d -path "*freezer*/$OCI_CG/*" 2>/dev/null); do
		echo THAWED > "$d/freezer.state" 2>/dev/null
	done
	for d in $(find /sys/fs/cgroup -maxdepth 8 -type d -path "*/$OCI_CG/*" 2>/dev/null); do
		[ -f "$d/cgroup.freeze" ] && echo 0 > "$d/cgroup.freeze" 2>/dev/null
	done
}
t_atexit mgr_thaw

HAVE_V1_FREEZER=0
[ $CGT_V2 = 0 ] && grep -q ' - cgroup [^ ]* .*freezer' /proc/self/mountinfo && HAVE_V1_FREEZER=1
# cgfile CTRL ID V1FILE V2FILE: the value of the file (v1 or v2 name).
cgfile() {
	if [ $CGT_V2 = 1 ]; then cat "$(ct_dir "$1" "$2")/$4" 2>&1; else cat "$(ct_dir "$1" "$2")/$3" 2>&1; fi
}
# cputime ID: the cgroup's CPU time (ns on v1, us on v2).
cputime() {
	if [ $CGT_V2 = 1 ]; then
		awk '$1 == "usage_usec" {print $2}' "$(ct_dir cpu "$1")/cpu.stat"
	else
		cat "$(ct_dir cpuacct "$1")/cpuacct.usage"
	fi
}
# frozen_file ID: what the freezer file says (FROZEN/THAWED, v2 "frozen N").
frozen_file() {
	if [ $HAVE_V1_FREEZER = 1 ]; then
		cat "$(ct_dir freezer "$1")/freezer.state" 2>&1
	else
		grep '^frozen ' "$(ct_dir unified "$1")/cgroup.events" 2>&1
	fi
}
[ $HAVE_V1_FREEZER = 1 ] && FROZEN=FROZEN THAWED=THAWED || FROZEN="frozen 1" THAWED="frozen 0"

# config ID SCRIPT: oci-lib's config (64 MiB memory limit), /dev/null
# allowed explicitly (sh gives it to background jobs): runc adds it to the
# spec's device rules by itself, corral's OCI mode does not yet (reported).
DEVNULL='c["linux"]["resources"].setdefault("devices", []).append({"allow": True, "type": "c", "major": 1, "minor": 3, "access": "rwm"})'
config() { oci_config "$BUNDLE/config.json" "$1" "$2" "$DEVNULL"; }
# start ID SCRIPT: created and started, running.
start() {
	config "$1" "$2" && oc create --bundle "$BUNDLE" "$1" && oc start "$1" && wait_status "$1" running &&
		return 0
	echo "# starting $1 failed: rc $RC: $ERR (status $(status "$1"))"
	return 1
}

# ------------------------------------------------------------- features
oc features
t_eq "features exits 0" "0 " "$RC $ERR"
feat() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$OUT" "$1" 2>&1; }
t_eq "features: OCI versions" "1.0.0 1.2.0" "$(feat 'd["ociVersionMin"] + " " + d["ociVersionMax"]')"
t_eq "features: every hook stage" \
	"prestart createRuntime createContainer startContainer poststart poststop" "$(feat '" ".join(d["hooks"])')"
t_eq "features: namespaces corral creates (no user, no time)" "cgroup ipc mount network pid uts" \
	"$(feat '" ".join(d["linux"]["namespaces"])')"
t_eq "features: cgroup v1 and v2, no systemd" "True True False False" \
	"$(feat '" ".join(str(d["linux"]["cgroup"][k]) for k in ("v1", "v2", "systemd", "systemdUser"))')"
t_eq "features: seccomp actions (no NOTIFY)" \
	"SCMP_ACT_ALLOW SCMP_ACT_ERRNO SCMP_ACT_KILL SCMP_ACT_KILL_PROCESS SCMP_ACT_KILL_THREAD SCMP_ACT_LOG SCMP_ACT_TRACE SCMP_ACT_TRAP" \
	"$(feat '" ".join(d["linux"]["seccomp"]["actions"])')"
t_eq "features: 7 seccomp operators, the native arch" "7 True True" \
	"$(feat '"%d %s %s" % (len(d["linux"]["seccomp"]["operators"]), "SCMP_ARCH_X86_64" in d["linux"]["seccomp"]["archs"], d["linux"]["seccomp"]["enabled"])')"
t_eq "features: no apparmor, no selinux" "False False" \
	"$(feat 'str(d["linux"]["apparmor"]["enabled"]) + " " + str(d["linux"]["selinux"]["enabled"])')"
t_eq "features: mount options, none corral ignores (tmpcopyup)" "True True False" \
	"$(feat '"%s %s %s" % ("rbind" in d["mountOptions"], "rslave" in d["mountOptions"], "tmpcopyup" in d["mountOptions"])')"
t_eq "features: capabilities up to CAP_CHECKPOINT_RESTORE" "CAP_CHOWN CAP_CHECKPOINT_RESTORE 41" \
	"$(feat 'd["linux"]["capabilities"][0] + " " + d["linux"]["capabilities"][-1] + " " + str(len(d["linux"]["capabilities"]))')"
t_true "features: libseccomp's version annotation" grep -q '"io.github.seccomp.libseccomp.version": "[0-9]' <<< "$OUT"

# ----------------------------------------------------------------- spec
SPECDIR=$WORK/specb
mkdir -p "$SPECDIR"
oc spec --bundle "$SPECDIR"
t_eq "spec --bundle DIR exits 0" "0 " "$RC $ERR"
OUT=$(cat "$SPECDIR/config.json" 2>&1)
t_eq "spec: runc's starter (sh, terminal, readonly rootfs, 5 namespaces, deny all devices)" \
	"1.0.2-dev ['sh'] True True pid,network,ipc,uts,mount False" \
	"$(feat '"%s %s %s %s %s %s" % (d["ociVersion"], d["process"]["args"], d["process"]["terminal"], d["root"]["readonly"], ",".join(n["type"] for n in d["linux"]["namespaces"]), d["linux"]["resources"]["devices"][0]["allow"])')"
t_eq "spec: no ambient capabilities" "False" "$(feat '"ambient" in d["process"]["capabilities"]')"
oc spec --bundle "$SPECDIR"
t_eq "spec refuses to overwrite (runc's message)" "1 corral: File config.json exists. Remove it first" "$RC $ERR"
oc spec --bundle "$WORK/no-such-dir"
t_eq "spec --bundle of a missing directory" "1 corral: chdir $WORK/no-such-dir: no such file or directory" "$RC $ERR"
mkdir -p "$WORK/rootless"
oc spec --rootless --bundle "$WORK/rootless"
OUT=$(cat "$WORK/rootless/config.json" 2>&1)
t_eq "spec --rootless: user namespace, own ids mapped, no network ns, /sys bound" \
	"pid,ipc,uts,mount,user $(id -u) $(id -g) none" \
	"$(feat '"%s %d %d %s" % (",".join(n["type"] for n in d["linux"]["namespaces"]), d["linux"]["uidMappings"][0]["hostID"], d["linux"]["gidMappings"][0]["hostID"], [m for m in d["mounts"] if m["destination"] == "/sys"][0]["type"])')"
# corral runs its own spec (only the command, no tty, and our cgroup)
python3 - "$SPECDIR/config.json" "$CGPATH/spec" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "echo spec ok; cat /proc/self/status | grep -c ^Cap"]
c["linux"]["cgroupsPath"] = sys.argv[2]
json.dump(c, open(sys.argv[1], "w"))
PY
ln -s "$ROOTFS" "$SPECDIR/rootfs"
oc run --bundle "$SPECDIR" "spec-$$"
t_eq "corral runs the config.json of corral spec" "0 spec ok 5" "$RC $(echo $OUT)"
t_eq "... and leaves nothing behind" "" "$(left_behind "spec-$$")"

# -------------------------------------------------------- pause, resume
ID=mgr-$$-p
start "$ID" 'while :; do :; done'
t_eq "a busy container runs" running "$(status "$ID")"
oc resume "$ID"
t_eq "resume of a running container fails (runc's message)" "1 corral: container not paused" "$RC $ERR"
oc pause "$ID"
t_eq "pause exits 0" "0 " "$RC $ERR"
t_eq "state: paused" paused "$(status "$ID")"
t_eq "the freezer says frozen" "$FROZEN" "$(frozen_file "$ID")"
oc list
t_true "list shows it paused" grep -qE "^$ID +[0-9]+ +paused " <<< "$OUT"
c1=$(cputime "$ID"); sleep 0.5; c2=$(cputime "$ID")
t_eq "a paused container's CPU time stands still" "$c1" "$c2"
oc pause "$ID"
t_eq "pause of a paused container fails (runc's message)" "1 corral: container not running" "$RC $ERR"
oc resume "$ID"
t_eq "resume exits 0" "0 " "$RC $ERR"
t_eq "state: running again" running "$(status "$ID")"
t_eq "the freezer says thawed" "$THAWED" "$(frozen_file "$ID")"
c1=$(cputime "$ID"); sleep 0.5; c2=$(cputime "$ID")
t_true "its CPU time grows again ($c1 -> $c2)" test "$c2" -gt "$c1"
oc pause "no-such-$$"
t_eq "pause of an unknown id" "1 corral: container does not exist" "$RC $ERR"
oc pause
t_eq "pause without an id" "1 corral: pause: \"pause\" requires exactly 1 argument" "$RC $ERR"

# kill KILL of a paused container ends it (v1: only once thawed)
oc pause "$ID"
oc kill "$ID" KILL
kill_rc="$RC $ERR"
wait_status "$ID" stopped
t_eq "kill KILL of a paused container stops it" "0  stopped" "$kill_rc $(status "$ID")"
oc pause "$ID"
t_eq "pause of a stopped container" "1 corral: container not running" "$RC $ERR"
oc delete "$ID"
t_eq "... deleted with nothing behind" "0 " "$RC $(left_behind "$ID")"

# pause of a created container: refused (its init waits for start)
config "$ID" 'exec sleep 100'
oc create --bundle "$BUNDLE" "$ID"
oc pause "$ID"
t_eq "pause of a created container is refused" "1 corral: container not running created" "$RC $ERR $(status "$ID")"

# delete --force of a paused container: thawed, killed, removed
oc start "$ID"; wait_status "$ID" running
oc pause "$ID"
t_eq "paused before delete --force" paused "$(status "$ID")"
oc delete "$ID"
t_eq "delete of a paused container without --force fails (runc's message)" \
	"1 corral: cannot delete container $ID that is not stopped: paused" "$RC $ERR"
oc delete --force "$ID"
t_eq "delete --force of a paused container leaves nothing" "0 " "$RC $ERR$(left_behind "$ID")"

# kill and delete never signal a recycled pid: the state's pid is now an
# unrelated process (another start time)
ID=mgr-$$-r
start "$ID" 'exec sleep 100'
sleep 300 & OTHER=$!
repid() { python3 -c 'import json,sys; f=sys.argv[1]; s=json.load(open(f)); s["pid"]=int(sys.argv[2]); json.dump(s, open(f, "w"))' "$STATE/$ID/state.json" "$1"; }
oc state "$ID"; INIT=$(json pid)
repid "$OTHER"
oc kill "$ID" KILL
t_eq "kill of a state whose pid is another process now: refused, naming it" \
	"1 corral: container not running: pid $OTHER is now another process" "$RC ${ERR%% (started at tick*}"
oc delete --force "$ID"
t_eq "... delete --force of it exits 0, leaving nothing" "0 " "$RC $ERR$(left_behind "$ID")"
t_true "... and the unrelated process lives" kill -0 "$OTHER"
kill "$OTHER"; wait "$OTHER" 2>/dev/null
for _ in $(seq 40); do [ -d "/proc/$INIT" ] || break; sleep 0.05; done
t_eq "... the container's own init was ended by delete (its cgroup)" "gone" \
	"$([ -d "/proc/$INIT" ] && cut -d' ' -f1-3 "/proc/$INIT/stat" || echo gone)"

# ----------------------------------------------------------- kill --all
# A fork bomb (every process forks two and exits; pids.max 1000) in a
# container without a pid namespace, where killing the init does not end
# the rest (runc's case for --all): kill --all freezes the cgroup, signals
# every listed process, thaws, so that no child forked between the
# listing and the signals escapes it.  corral create runs under a child
# subreaper of ours that reaps the bomb's orphans (this machine's pid 1
# does not; at a high priority, to keep up with the forks) and ends once
# the container's processes are all gone.
cp "$SYSPROBE" "$ROOTFS/sysprobe"
cat > "$WORK/reaper.py" <<'PY'
import ctypes, os, subprocess, sys
if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
    sys.exit("prctl PR_SET_CHILD_SUBREAPER: %s" % os.strerror(ctypes.get_errno()))
out = sys.argv[1]
rc = subprocess.call(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=open(out, "w"),
                     stderr=subprocess.STDOUT)
open(out + ".rc", "w").write(str(rc))
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
PY
BOMB="$DEVNULL; r = c[\"linux\"][\"resources\"]; r[\"memory\"] = {\"limit\": 1073741824}; r[\"pids\"] = {\"limit\": 1000}
c[\"linux\"][\"namespaces\"] = [n for n in c[\"linux\"][\"namespaces\"] if n[\"type\"] != \"pid\"]"
nprocs() { wc -l < "$(ct_dir pids "$1")/cgroup.procs" 2>/dev/null || echo gone; }
# bomb ID SCRIPT MIN: a container running SCRIPT with at least MIN
# processes; REAPER is its reaper's pid.
bomb() {
	oci_config "$BUNDLE/config.json" "$1" "$2" "$BOMB"
	rm -f "$WORK/reaper.out.rc"
	nice -n -15 python3 "$WORK/reaper.py" "$WORK/reaper.out" "${C[@]}" create --bundle "$BUNDLE" "$1" &
	REAPER=$!
	for _ in $(seq 100); do [ -e "$WORK/reaper.out.rc" ] && break; sleep 0.05; done
	[ "$(cat "$WORK/reaper.out.rc" 2>/dev/null)" = 0 ] || { echo "# create: $(cat "$WORK/reaper.out")"; return 1; }
	oc start "$1" || return 1
	for _ in $(seq 200); do [ "$(nprocs "$1")" -ge "$3" ] && return 0; sleep 0.05; done
	return 1
}
# not_stopped ID: how many listed processes are not in state T.
not_stopped() {
	local p n=0
	for p in $(cat "$(ct_dir pids "$1")/cgroup.procs"); do
		[ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = T ] || n=$((n + 1))
	done
	echo $n
}
# reaper_gone: the reaper ended (5 s at most) once the bomb was gone.
reaper_gone() {
	for _ in $(seq 100); do kill -0 "$REAPER" 2>/dev/null || { wait "$REAPER"; return 0; }; sleep 0.05; done
	return 1
}
ID=mgr-$$-b
bomb "$ID" "/sysprobe forkbomb & exec sleep 100000" 300
t_true "a fork bomb runs without a pid namespace ($(nprocs "$ID") processes)" test "$(nprocs "$ID")" -ge 300
oc kill --all "$ID" KILL
kill_rc="$RC $ERR"
for _ in $(seq 60); do [ "$(nprocs "$ID")" = 0 ] && break; sleep 0.05; done
t_eq "kill --all KILL of the fork bomb: exit 0, its cgroup empty (within 3 s)" "0  0" "$kill_rc $(nprocs "$ID")"
t_true "... the container stops" wait_status "$ID" stopped
oc delete --force "$ID"
t_eq "... deleted with nothing behind" "0 " "$RC $(left_behind "$ID")"
t_true "... and its reaper has no orphan left to wait for" reaper_gone

# 300 sleepers, then 4 fork chains (each subshell forks the next one at
# once, lingers 1 ms and exits: new pids all the time, listed after the
# sleepers' on v1, where signalling those 300 first takes that long)
CHAINS='/sysprobe procs 300 > /dev/null & sleep 1; rm -f /tmp/reap; mkfifo /tmp/reap
c() { c & read -t 0.001 x <> /tmp/reap; }; for i in 1 2 3 4; do c; done; exec sleep 100000'
# 306: the 300 sleepers, their parent, the init and at least one live
# process per chain (the emulated v2 guest forks slower than a chain's 1 ms
# linger, so its chains hold fewer processes at once than the host's)
bomb "$ID" "$CHAINS" 306
t_true "300 sleepers and 4 fork chains run ($(nprocs "$ID") processes)" test "$(nprocs "$ID")" -ge 306
oc kill --all "$ID" KILL
kill_rc="$RC $ERR"
for _ in $(seq 60); do [ "$(nprocs "$ID")" = 0 ] && break; sleep 0.05; done
t_eq "kill --all KILL of the fork chains: exit 0, their cgroup empty (within 3 s)" "0  0" "$kill_rc $(nprocs "$ID")"
oc delete --force "$ID"
t_eq "... deleted with nothing behind" "0 " "$RC $(left_behind "$ID")"
t_true "... and its reaper has no orphan left to wait for" reaper_gone

bomb "$ID" "$CHAINS" 306
t_true "300 sleepers and 4 fork chains again ($(nprocs "$ID") processes)" test "$(nprocs "$ID")" -ge 306
oc kill --all "$ID" STOP
for _ in $(seq 100); do [ "$(not_stopped "$ID")" = 0 ] && break; sleep 0.05; done
n1=$(nprocs "$ID")
t_eq "kill --all STOP: exit 0, every one of its $n1 processes stopped (T)" "0  0" "$RC $ERR $(not_stopped "$ID")"
sleep 0.5
t_eq "... and none forks any more ($n1 processes 0.5 s later)" "$n1" "$(nprocs "$ID")"
oc kill --all "$ID" KILL
t_eq "kill --all KILL of the stopped ones: its cgroup empty" "0  0" "$RC $ERR $(nprocs "$ID")"
wait_status "$ID" stopped
oc delete --force "$ID"
t_eq "... deleted with nothing behind" "0 " "$RC $(left_behind "$ID")"
t_true "... and its reaper has no orphan left to wait for" reaper_gone

# a process in a sub-cgroup of the container's cgroup (in every
# hierarchy) is one of "all" too
start "$ID" 'sleep 100000 & exec sleep 100000'
oc state "$ID"; INIT=$(json pid)
CHILD=$(grep -vx "$INIT" "$(ct_dir pids "$ID")/cgroup.procs")
for d in $(find /sys/fs/cgroup -maxdepth 9 -type d -path "*/$OCI_CG/$ID" 2>/dev/null); do
	mkdir "$d/sub"
	for f in cpuset.cpus cpuset.mems; do [ -f "$d/$f" ] && cat "$d/$f" > "$d/sub/$f"; done
	echo "$CHILD" > "$d/sub/cgroup.procs"
done
t_eq "a second process, moved into sub-cgroups" "$INIT" "$(cat "$(ct_dir pids "$ID")/cgroup.procs")"
oc kill --all "$ID" STOP
for _ in $(seq 40); do [ "$(awk '{print $3}' "/proc/$CHILD/stat")" = T ] && break; sleep 0.05; done
t_eq "kill --all STOP stops the init and the process in the sub-cgroup" "0  T T" \
	"$RC $ERR $(awk '{print $3}' "/proc/$INIT/stat") $(awk '{print $3}' "/proc/$CHILD/stat")"
oc kill --all "$ID" KILL
t_eq "kill --all KILL: the sub-cgroup is empty too" "0  " "$RC $ERR $(cat "$(ct_dir pids "$ID")/sub/cgroup.procs")"
wait_status "$ID" stopped
oc delete "$ID"
t_eq "... deleted with nothing behind (its sub-cgroups too)" "0 " "$RC $(left_behind "$ID")"

# a paused container stays paused through kill --all of another signal
start "$ID" 'trap "exit 0" TERM; while :; do sleep 0.1; done'
oc pause "$ID"
oc kill --all "$ID" TERM
t_eq "kill --all TERM of a paused container: exit 0, still paused" "0  paused $FROZEN" \
	"$RC $ERR $(status "$ID") $(frozen_file "$ID")"
oc resume "$ID"
t_true "... resumed, the TERM ends it" wait_status "$ID" stopped
oc delete "$ID"
t_eq "... deleted with nothing behind" "0 " "$RC $(left_behind "$ID")"

# ---------------------------------------------------------------- update
ID=mgr-$$-u
start "$ID" 'exec sleep 100'
mem() { cgfile memory "$ID" memory.limit_in_bytes memory.max; }
t_eq "the starting memory limit" 67108864 "$(mem)"
SWAPF=memory.memsw.limit_in_bytes; [ $CGT_V2 = 1 ] && SWAPF=memory.swap.max
if [ -f "$(ct_dir memory "$ID")/$SWAPF" ]; then
	oc update --memory 256m --memory-swap 512m "$ID"
	t_eq "update --memory 256m --memory-swap 512m" "0 268435456" "$RC$ERR $(mem)"
	want=536870912; [ $CGT_V2 = 1 ] && want=268435456
	t_eq "... swap: memory+swap (v1) / swap alone (v2)" "$want" "$(cat "$(ct_dir memory "$ID")/$SWAPF")"
	oc update --memory 128m "$ID"
	t_eq "update --memory below the memory+swap in force" "0 134217728" "$RC$ERR $(mem)"
else
	t_skip "update --memory-swap" "no swap accounting ($SWAPF)"
	oc update --memory 128m "$ID"
	t_eq "update --memory 128m" "0 134217728" "$RC$ERR $(mem)"
fi
oc update --memory-reservation 32m "$ID"
t_eq "update --memory-reservation 32m" "0 33554432" \
	"$RC$ERR $(cgfile memory "$ID" memory.soft_limit_in_bytes memory.low)"
oc update --cpu-period 100000 --cpu-quota 50000 "$ID"
if [ $CGT_V2 = 1 ]; then got=$(cgfile cpu "$ID" x cpu.max); else
	got="$(cgfile cpu "$ID" cpu.cfs_quota_us x) $(cgfile cpu "$ID" cpu.cfs_period_us x)"; fi
t_eq "update --cpu-quota 50000 --cpu-period 100000" "0 50000 100000" "$RC$ERR $got"
oc update --cpu-share 512 "$ID"
want=512; [ $CGT_V2 = 1 ] && want=$(python3 -c 'import math; l=math.log2(512); print(math.ceil(10 ** ((l * l + 125 * l - 126) / 612)))')
t_eq "update --cpu-share 512 (v2: weight $want)" "0 $want" "$RC$ERR $(cgfile cpu "$ID" cpu.shares cpu.weight)"
oc update --cpu-shares 1024 "$ID"
want=1024; [ $CGT_V2 = 1 ] && want=100
t_eq "update --cpu-shares 1024 (v2: weight 100)" "0 $want" "$RC$ERR $(cgfile cpu "$ID" cpu.shares cpu.weight)"
oc update --cpuset-cpus 0 --cpuset-mems 0 "$ID"
t_eq "update --cpuset-cpus 0 --cpuset-mems 0" "0 0 0" \
	"$RC$ERR $(cgfile cpuset "$ID" cpuset.cpus cpuset.cpus) $(cgfile cpuset "$ID" cpuset.mems cpuset.mems)"
oc update --pids-limit 50 "$ID"
t_eq "update --pids-limit 50" "0 50" "$RC$ERR $(cgfile pids "$ID" pids.max pids.max)"

cat > "$WORK/res.json" <<'EOF'
{"memory": {"limit": 100663296, "reservation": 0}, "cpu": {"quota": 30000, "period": 100000},
 "pids": {"limit": 40}, "devices": [{"allow": false, "access": "rwm"}]}
EOF
oc update -r "$WORK/res.json" "$ID"
if [ $CGT_V2 = 1 ]; then got=$(cgfile cpu "$ID" x cpu.max); else got="$(cgfile cpu "$ID" cpu.cfs_quota_us x) 100000"; fi
t_eq "update -r FILE: memory, quota, pids (0 = unchanged)" "0 100663296 30000 100000 40 33554432" \
	"$RC$ERR $(mem) $got $(cgfile pids "$ID" pids.max pids.max) $(cgfile memory "$ID" memory.soft_limit_in_bytes memory.low)"
echo '{"pids": {"limit": 30}, "cpu": {"shares": 2048}}' > "$WORK/res2.json"
oc_in "$WORK/res2.json" update -r - "$ID"
want=2048; [ $CGT_V2 = 1 ] && want=$(python3 -c 'import math; l=11; print(math.ceil(10 ** ((l * l + 125 * l - 126) / 612)))')
t_eq "update -r - (stdin)" "0 30 $want" "$RC$ERR $(cgfile pids "$ID" pids.max pids.max) $(cgfile cpu "$ID" cpu.shares cpu.weight)"
oc update --pids-limit -1 "$ID"
t_eq "update --pids-limit -1: no limit" "0 max" "$RC$ERR $(cgfile pids "$ID" pids.max pids.max)"

# bad input: runc's messages, the old values stay
before="$(mem) $(cgfile pids "$ID" pids.max pids.max) $(cgfile cpuset "$ID" cpuset.cpus cpuset.cpus)"
oc update --memory abc --pids-limit 20 "$ID"
t_eq "update --memory abc" "1 corral: invalid value for memory: invalid size: 'abc'" "$RC $ERR"
oc update --cpu-period 1x "$ID"
t_eq "update --cpu-period 1x" \
	"1 corral: invalid value for cpu-period: strconv.ParseUint: parsing \"1x\": invalid syntax" "$RC $ERR"
oc update --cpu-quota q "$ID"
t_eq "update --cpu-quota q" \
	"1 corral: invalid value for cpu-quota: strconv.ParseInt: parsing \"q\": invalid syntax" "$RC $ERR"
oc update --pids-limit many "$ID"
t_eq "update --pids-limit many" "1 corral: invalid value \"many\" for flag -pids-limit: parse error" "$RC $ERR"
oc update -r "$WORK/no-such.json" "$ID"
t_eq "update -r of a missing file" "1 corral: open $WORK/no-such.json: no such file or directory" "$RC $ERR"
echo '{"memory": {"limit": "1g"}}' > "$WORK/bad.json"
oc update -r "$WORK/bad.json" "$ID"
t_eq "update -r with a string limit names the member" \
	"1 corral: update: resources.memory.limit: expected an integer, got string" "$RC $ERR"
echo '{"memory": {' > "$WORK/bad2.json"
oc update -r "$WORK/bad2.json" "$ID"
t_true "update -r with broken JSON names the file ($ERR)" grep -qF "corral: update: $WORK/bad2.json: " <<< "$ERR"
oc update --memory 100m --cpuset-cpus 99 "$ID"
t_true "a cpuset the kernel refuses: its error with the file ($ERR)" \
	grep -qE "^corral: writing '99' to .*/cpuset.cpus: " <<< "$ERR"
t_eq "bad input left every old value" "$before" \
	"$(mem) $(cgfile pids "$ID" pids.max pids.max) $(cgfile cpuset "$ID" cpuset.cpus cpuset.cpus)"
if [ $CGT_V2 = 0 ]; then
	oc update --memory 4k "$ID"
	t_true "a limit below the usage: the kernel's error naming the file ($ERR)" \
		grep -qE "^corral: writing '4096' to .*/memory.limit_in_bytes: Device or resource busy$" <<< "$ERR"
	t_eq "... and the old limit stays" "${before%% *}" "$(mem)"
else
	t_skip "a memory limit below the usage is refused" "cgroup v2 reclaims and OOM-kills instead"
	t_skip "... and the old limit stays" "cgroup v2"
fi
oc update --memory 1m "no-such-$$"
t_eq "update of an unknown id" "1 corral: container does not exist" "$RC $ERR"
oc kill "$ID" KILL; wait_status "$ID" stopped
oc update --memory 100m "$ID"
t_eq "update of a stopped container" "1 corral: container not running" "$RC $ERR"
oc delete "$ID"
t_eq "... deleted with nothing behind" "0 " "$RC $(left_behind "$ID")"

# -------------------------------------------------------------------- ps
ID=mgr-$$-s
start "$ID" 'sleep 100 & sleep 100 & wait'
sleep 0.3
PIDDIR=$(ct_dir pids "$ID")
cg_pids=$(cat /dev/null $(find "$PIDDIR" -name cgroup.procs) | sort -n | xargs)
oc ps --format json "$ID"
t_eq "ps --format json: the pids of the cgroup" "0 $cg_pids" "$RC$ERR $(python3 -c 'import json,sys; print(" ".join(map(str, json.loads(sys.argv[1]))))' "$OUT" 2>&1)"
t_eq "... the container's sh and its two sleeps" "sh sleep sleep" \
	"$(for p in $cg_pids; do cat /proc/$p/comm; done | sort | xargs)"
oc ps "$ID"
t_true "ps (table): ps -ef's header" grep -qE '^UID +PID +PPID' <<< "$(head -1 <<< "$OUT")"
t_eq "ps (table): only the container's processes" "$cg_pids" \
	"$(tail -n +2 <<< "$OUT" | awk '{print $2}' | sort -n | xargs)"
oc ps "$ID" -o pid,comm
t_eq "ps ID -o pid,comm: ps's options after the id" "PID COMMAND|$(for p in $cg_pids; do echo "$p $(cat /proc/$p/comm)"; done | xargs | tr ' ' ' ')" \
	"$(head -1 <<< "$OUT" | xargs)|$(tail -n +2 <<< "$OUT" | xargs)"
oc ps -f xml "$ID"
t_eq "ps -f xml" "1 corral: invalid format option" "$RC $ERR"
oc ps
t_eq "ps without an id" "1 corral: ps: \"ps\" requires a minimum of 1 argument" "$RC $ERR"
oc ps "no-such-$$"
t_eq "ps of an unknown id" "1 corral: container does not exist" "$RC $ERR"
oc pause "$ID"
oc ps -f json "$ID"
t_eq "ps of a paused container" "0 $cg_pids" "$RC$ERR $(python3 -c 'import json,sys; print(" ".join(map(str, json.loads(sys.argv[1]))))' "$OUT" 2>&1)"
oc delete --force "$ID"
t_eq "delete --force: nothing behind" "0 " "$RC $(left_behind "$ID")"

# ------------------------------------------------------------ the end
oc list -q
t_eq "no container is left in the state directory" "" "$OUT"
t_eq "no cgroup is left (freezer included)" "" \
	"$(find /sys/fs/cgroup -maxdepth 9 -type d -path "*/$OCI_CG/*" 2>/dev/null | xargs)"
t_eq "no mount is left" "" "$(mount_points | diff "$WORK/mounts0" - | grep '^[<>]' | xargs)"

t_done
