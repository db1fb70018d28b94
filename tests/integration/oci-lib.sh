# What the tests of corral's OCI command line share (source it after
# lib.sh, with OCI_TAG set to a short name of the test, e.g. "oci"):
# a busybox bundle whose config.json comes from `runc spec`, edited by
# python3; every container's cgroup below this test's own cgroup (relative
# on v1/hybrid, where corral like runc puts a relative cgroupsPath below
# its own cgroup; on v2 the absolute path of our own cgroup, which the
# test shell first leaves for a leaf); corral's state in a temp --root;
# cleanup of whatever a failed test left, and left_behind to check it.
require_root
CORRAL=${CORRAL:-$BUILD/runtime/corral}
RUNC=$(command -v runc || echo /usr/sbin/runc)
[ -x "$CORRAL" ] || skip_all "corral not built at $CORRAL"
[ -x "$RUNC" ] || skip_all "runc is not installed (needed for 'runc spec')"
[ -x /bin/busybox ] || skip_all "no /bin/busybox (apt-get install busybox-static)"

OCI_CG=corral-$OCI_TAG-$$     # the name of our cgroup subtree
cgt_detect
if [ $CGT_V2 = 1 ]; then
	cgt_v2_prepare
	CGPATH=${CGT_V2_PARENT#/sys/fs/cgroup}/$OCI_CG
else
	CGPATH=$OCI_CG
fi
WORK=$(mktemp -d "/tmp/corral-$OCI_TAG-test.XXXXXX")
STATE=$WORK/state
BUNDLE=$WORK/bundle
ROOTFS=$BUNDLE/rootfs
mkdir -p "$BUNDLE"
t_atexit "rm -rf --one-file-system $WORK"
C=("$CORRAL" --root "$STATE")

# At exit, whatever a failed test left: containers, then our cgroups.
oci_cleanup() {
	local id d
	for id in $("${C[@]}" list -q 2>/dev/null); do "${C[@]}" delete --force "$id" >/dev/null 2>&1; done
	for d in $(find /sys/fs/cgroup -maxdepth 8 -depth -type d -name "$OCI_CG" 2>/dev/null); do
		for p in $(cat $(find "$d" -name cgroup.procs) 2>/dev/null); do kill -KILL "$p"; done
		find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
}
t_atexit oci_cleanup

# (only ours: other tests may mount and unmount meanwhile)
mount_points() { awk '{print $5}' /proc/self/mountinfo | grep -F "$WORK" | sort; }
mount_points > "$WORK/mounts0"
# ct_dir CTRL ID: the cgroup directory of container ID in CTRL's hierarchy
# (also freezer, which cgt_detect does not list).
ct_dir() {
	if [ $CGT_V2 = 1 ]; then
		echo "/sys/fs/cgroup$CGPATH/$2"
	elif [ "$1" = freezer ]; then
		local own; own=$(awk -F: '$2 == "freezer" {print $3}' /proc/self/cgroup)
		echo "/sys/fs/cgroup/freezer${own%/}/$CGPATH/$2"
	else
		local own; own=$(cgt_own "$1")
		echo "${CGT_MNT[$1]}${own%/}/$CGPATH/$2"
	fi
}
# left_behind ID: what container ID left (empty: nothing).
left_behind() {
	local cg mnts procs
	cg=$(find /sys/fs/cgroup -maxdepth 9 -type d -path "*/$OCI_CG/$1" 2>/dev/null | xargs)
	procs=$(grep -l "/$OCI_CG/$1\$" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3 | xargs)
	mnts=$(mount_points | diff "$WORK/mounts0" - | grep '^[<>]' | xargs)
	[ -e "$STATE/$1" ] && echo "state: $STATE/$1"
	[ -n "$cg" ] && echo "cgroups: $cg"
	[ -n "$procs" ] && echo "processes: $procs"
	[ -n "$mnts" ] && echo "mounts: $mnts"
	true
}
# nothing_left: none of our state directories and cgroups remain.
nothing_left() {
	ls "$STATE" 2>/dev/null
	find /sys/fs/cgroup -maxdepth 8 -type d -name "$OCI_CG" 2>/dev/null
}
# oc ARGS...: corral with our --root; sets OUT, ERR and RC.  Files, not
# $(...): a created container keeps corral's stdio (as runc's does), and
# a pipe would stay open until it ends.  oc_in FILE ARGS...: stdin FILE.
oc() { oc_in /dev/null "$@"; }
oc_in() {
	local in=$1; shift
	"${C[@]}" "$@" > "$WORK/out" 2> "$WORK/err" < "$in"; RC=$?
	OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err")
}
# json FIELD: FIELD of the JSON in $OUT ("" if none).
json() { python3 -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2], ""); print(json.dumps(v) if isinstance(v, dict) else v)' "$OUT" "$1" 2>/dev/null; }
# status ID: the status `corral state` reports.
status() { oc state "$1"; json status; }
# wait_status ID STATUS: waits (5 s at most) for it.
wait_status() {
	for _ in $(seq 100); do [ "$(status "$1")" = "$2" ] && return 0; sleep 0.05; done
	return 1
}

# The bundle: a busybox rootfs and runc's default config.
out=$("$CORRAL" rootfs busybox "$ROOTFS" 2>&1)
t_eq "corral rootfs busybox builds the rootfs" "0 " "$? $out"
(cd "$BUNDLE" && "$RUNC" spec)
cp "$BUNDLE/config.json" "$WORK/spec.json"

# config ID SCRIPT [PYTHON]: config.json for container ID running
# `sh -c SCRIPT`, with a 64 MiB memory limit and the annotation
# org.corral.test=$OCI_TAG, then the python statements PYTHON run on the
# dict c (W is $WORK).  runc spec's ambient capabilities are dropped:
# corral refuses ambient capabilities that are not inheritable (runc
# ignores them).  oci_config FILE ID SCRIPT [PYTHON]: the same, written
# to FILE instead of the bundle's config.json.
config() { oci_config "$BUNDLE/config.json" "$@"; }
oci_config() {
	python3 - "$WORK/spec.json" "$1" "$CGPATH/$2" "$3" "${4:-}" "$WORK" "$OCI_TAG" <<'PY'
import json, sys
src, dst, cgpath, script, extra, W, tag = sys.argv[1:]
c = json.load(open(src))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", script]
c["process"]["capabilities"].pop("ambient", None)
c["root"]["readonly"] = False
lin = c.setdefault("linux", {})
lin["cgroupsPath"] = cgpath
lin.setdefault("resources", {})["memory"] = {"limit": 67108864}
c["annotations"] = {"org.corral.test": tag}
exec(extra)
json.dump(c, open(dst, "w"), indent=1)
PY
}
