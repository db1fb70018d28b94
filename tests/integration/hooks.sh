#!/usr/bin/env bash
# Root integration test of hooks/corral-hook with Debian's runc: a busybox
# rootfs (built by `corral rootfs busybox`, plus procps's dynamic `free`),
# a `runc spec` bundle with a 256 MiB memory limit and a one-CPU quota,
# corralfs mounted, and the hook as the bundle's createContainer hook.
# The container's cgroups go below this test's own cgroup (relative on
# v1/hybrid, where runc puts a relative path under its own cgroup; on v2
# runc would use the parent of its own cgroup, so the path is absolute
# under ours).  runc's state lives in a temp directory; containers,
# cgroups and mounts are removed at exit.
. "$(dirname "$0")/lib.sh"
require_root
CORRAL=${CORRAL:-$BUILD/runtime/corral}
CORRAL_HOOK=${CORRAL_HOOK:-$BUILD/hooks/corral-hook}
RUNC=$(command -v runc || echo /usr/sbin/runc)
[ -x "$RUNC" ] || skip_all "runc is not installed (apt-get install runc)"
[ -x "$CORRAL" ] || skip_all "corral not built at $CORRAL (needed for its busybox rootfs)"
[ -x "$CORRAL_HOOK" ] || skip_all "corral-hook not built at $CORRAL_HOOK"
[ -x /bin/busybox ] || skip_all "no /bin/busybox (apt-get install busybox-static)"

cgt_detect
fs_start || { t_fail "corralfs mounts"; t_done; exit 1; }
if [ $CGT_V2 = 1 ]; then
	cgt_v2_prepare
	CGPATH=${CGT_V2_PARENT#/sys/fs/cgroup}/corral-hooks-$$
else
	CGPATH=corral-hooks-$$
fi
WORK=$(mktemp -d /tmp/corral-hook-test.XXXXXX)
STATE=$WORK/runc-state
BUNDLE=$WORK/bundle
ROOTFS=$BUNDLE/rootfs
mkdir -p "$STATE" "$BUNDLE"
t_atexit "rm -rf --one-file-system $WORK"

# Remove every container left in our runc root, then the cgroups runc
# made below ours (it removes each container's, not the parents).
runc_cleanup() {
	local id d
	for id in $("$RUNC" --root "$STATE" list -q 2>/dev/null); do
		"$RUNC" --root "$STATE" delete --force "$id" >/dev/null 2>&1
	done
	for d in $(find /sys/fs/cgroup -maxdepth 8 -depth -type d -name "corral-hooks-$$" 2>/dev/null); do
		find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
		[ -d "$d" ] && echo "# could not remove cgroup $d"
	done
}
t_atexit runc_cleanup

mount_points() { awk '{print $5}' /proc/self/mountinfo | sort; }
mount_points > "$WORK/mounts0"
left_behind() {
	local cg mnts cts
	cg=$(find /sys/fs/cgroup -maxdepth 8 -type d -name "corral-hooks-$$" 2>/dev/null | xargs)
	mnts=$(mount_points | diff "$WORK/mounts0" - | grep '^[<>]' | xargs)
	cts=$("$RUNC" --root "$STATE" list -q 2>/dev/null | xargs)
	[ -n "$cg" ] && echo "cgroups: $cg"
	[ -n "$mnts" ] && echo "mounts: $mnts"
	[ -n "$cts" ] && echo "containers: $cts"
	true
}

# ------------------------------------------------------------ the bundle
out=$("$CORRAL" rootfs busybox "$ROOTFS" 2>&1)
t_eq "corral rootfs busybox builds the rootfs" "0 " "$? $out"
add_procps_free "$ROOTFS"
(cd "$BUNDLE" && "$RUNC" spec)
t_true "runc spec writes config.json" test -f "$BUNDLE/config.json"
cp "$BUNDLE/config.json" "$WORK/spec.json"

# config HOOK_ARGS ANNOTATION [STAGE]: rewrite config.json from runc's spec.
# HOOK_ARGS: "" for no hook, else the hook's arguments after its name
# (space separated); ANNOTATION: the value of org.corral.views, "" for none;
# STAGE: the hook's stage (createContainer).
config() {
	python3 - "$WORK/spec.json" "$BUNDLE/config.json" "$CORRAL_HOOK" "$CGPATH/ct" "$1" "$2" \
		"${3:-createContainer}" <<'PY'
import json, sys
src, dst, hook, cgpath, hook_args, ann, stage = sys.argv[1:]
c = json.load(open(src))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c",
    "/usr/bin/free -m | awk '/^Mem:/ {print $2}'; grep ^MemTotal: /proc/meminfo;"
    " grep -c ^processor /proc/cpuinfo; cat /sys/devices/system/cpu/online"]
c["root"]["readonly"] = False
lin = c.setdefault("linux", {})
lin["cgroupsPath"] = cgpath
res = lin.setdefault("resources", {})
res["memory"] = {"limit": 268435456}
res["cpu"] = {"quota": 100000, "period": 100000}
if hook_args:
    c["hooks"] = {stage: [{"path": hook, "args": ["corral-hook"] + hook_args.split()}]}
if ann:
    c["annotations"] = {"org.corral.views": ann}
json.dump(c, open(dst, "w"), indent=1)
PY
}
# ct ID: runc run; sets OUT (stdout), ERR and RC.
ct() {
	OUT=$("$RUNC" --root "$STATE" run -b "$BUNDLE" "$1" 2> "$WORK/err" < /dev/null); RC=$?
	ERR=$(cat "$WORK/err")
	"$RUNC" --root "$STATE" delete --force "$1" >/dev/null 2>&1
}
host_total=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
host_cpus=$(grep -c ^processor /proc/cpuinfo)
host_online=$(cat /sys/devices/system/cpu/online)

# ------------------------------------------------------------ with the hook
config "--views $MNT --all" ""
ct "hk-$$-a"
t_eq "runc runs the container with the hook" "0 " "$RC $ERR"
set -- $OUT
t_eq "free -m reports the 256 MiB limit" 256 "${1:-}"
t_eq "/proc/meminfo MemTotal is the limit" "MemTotal: 262144 kB" "${2:-} ${3:-} ${4:-}"
t_eq "/proc/cpuinfo shows the one-CPU quota" 1 "${5:-}"
t_eq "/sys/devices/system/cpu/online shows the one-CPU quota" 0 "${6:-}"

config "--views $MNT --all" "" createRuntime
ct "hk-$$-r"
t_eq "run in the runtime's namespaces (createRuntime), the hook enters the container's" \
	"0 262144" "$RC $(echo "$OUT" | awk '/^MemTotal:/ {print $2}')"
t_eq "... and leaves no mount in the runtime's namespace" "" \
	"$(mount_points | diff "$WORK/mounts0" - | grep '^[<>]' | xargs)"

config "--views $MNT" "true"
ct "hk-$$-b"
t_eq "opt-in mode: org.corral.views=true gives the views" "0 262144" "$RC $(echo "$OUT" | awk '/^MemTotal:/ {print $2}')"

config "--views $MNT" ""
ct "hk-$$-c"
t_eq "opt-in mode: no annotation, no views" "0 $host_total" "$RC $(echo "$OUT" | awk '/^MemTotal:/ {print $2}')"

config "--views $MNT --all" "false"
ct "hk-$$-d"
t_eq "--all with org.corral.views=false: no views" "0 $host_total" "$RC $(echo "$OUT" | awk '/^MemTotal:/ {print $2}')"

# ------------------------------------------------------------ without it
config "" ""
ct "hk-$$-e"
set -- $OUT
t_eq "without the hook: the host's MemTotal, CPUs and online CPUs" \
	"0 $host_total $host_cpus $host_online" "$RC ${3:-} ${5:-} ${6:-}"

# ------------------------------------------------------------ corralfs not mounted
mkdir "$WORK/empty"
config "--views $WORK/empty --all" ""
ct "hk-$$-f"
t_eq "corralfs not mounted: the container runs with the host's files" \
	"0 $host_total" "$RC $(echo "$OUT" | awk '/^MemTotal:/ {print $2}')"
runc_cleanup
t_eq "no container, cgroup or mount left behind by the containers" "" "$(left_behind)"

# ------------------------------------------------------------ the hook by hand
# hook STDIN ARGS...: sets OUT (stdout+stderr, one line each) and RC.
hook() {
	local in=$1; shift
	OUT=$(printf '%s' "$in" | "$CORRAL_HOOK" "$@" 2>&1); RC=$?
}
st() { printf '{"ociVersion":"1.0.2","id":"x","status":"creating","bundle":"%s"%s}' "$1" "${2:-}"; }
hook "$(st "$BUNDLE")" --views "$WORK/empty" --all
t_eq "not mounted: exit 0 and exactly one log line naming the path" \
	"0 1 yes" "$RC $(echo "$OUT" | wc -l) $(grep -qF "$WORK/empty is not a live corralfs" <<< "$OUT" && echo yes)"
hook "" --all
t_eq "empty stdin is an error" "1 corral-hook: state: nothing on stdin" "$RC $OUT"
hook '{"id": "x",' --all
t_true "bad state JSON is an error naming the state ($RC: $OUT)" \
	test "$RC" = 1 -a -n "$(grep -F 'corral-hook: state: line 1' <<< "$OUT")"
hook '{"id":"x","pid":"12","bundle":"/b"}' --all
t_eq "a string pid is an error naming the member" \
	"1 corral-hook: state: pid: expected a positive integer" "$RC $OUT"
hook '{"id":"x","pid":12}' --all
t_eq "a state without bundle is an error" "1 corral-hook: state: bundle: missing" "$RC $OUT"
hook "$(st "$WORK/nonexistent")" --all
t_eq "a missing config.json is an error naming it" \
	"1 corral-hook: reading $WORK/nonexistent/config.json: No such file or directory" "$RC $OUT"
mkdir "$WORK/badbundle"; echo '{"process": {}}' > "$WORK/badbundle/config.json"
hook "$(st "$WORK/badbundle")" --all
t_eq "a config.json without root is an error naming it" \
	"1 corral-hook: $WORK/badbundle/config.json: root: missing" "$RC $OUT"
hook "$(st "$BUNDLE" ',"annotations":{"org.corral.views":"maybe"}')" --views "$MNT"
t_eq "a bad org.corral.views value is an error" \
	"1 corral-hook: annotation: org.corral.views: expected \"true\" or \"false\"" "$RC $OUT"
hook "$(st "$BUNDLE")" --frob
t_true "an unknown option is refused ($RC)" test "$RC" = 2
t_eq "nothing left behind by the hook" "" "$(left_behind)"

t_done
