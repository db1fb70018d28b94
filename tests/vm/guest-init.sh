#!/bin/bash
# pid 1 of the cgroup v2 guest, in the host's root file system (read-only
# 9p share + tmpfs overlay).  Sets up a pure cgroup v2 machine, runs the root
# integration suite with meson, prints its output between markers and a
# final "CORRAL-VM-RESULT rc=N" line on the serial console, and powers off.
# pid 1 must never exit: every path ends in poweroff.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8
REPO=${CORRAL_REPO:?}
BUILD=${CORRAL_BUILD:-$REPO/build}
# nested: each test starts alone in a child cgroup of the root (the usual
# case on a host); root: in the root cgroup itself.
MODE=${CORRAL_VM_CGROUP:-nested}
RC=125

power_off() {
	sync
	echo o > /proc/sysrq-trigger
	sleep 30
}
finish() {
	echo "CORRAL-VM-RESULT rc=$RC"
	power_off
}
trap finish EXIT
trap 'exit' INT TERM

say() { echo "corral-vm: $*"; }
die() { say "$*"; exit; }

echo "CORRAL-VM-BOOTED uptime=$(cut -d' ' -f1 /proc/uptime)"

mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o mode=0620,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o mode=1777 shm /dev/shm
# Fresh /run and /tmp, unless the repository, build directory or --run
# script lives there.
for d in /run /tmp; do
	case "$REPO/ $BUILD/ ${CORRAL_VM_RUN:-}" in "$d"/*|*" $d"/*) continue;; esac
	mount -t tmpfs -o mode=$([ $d = /tmp ] && echo 1777 || echo 0755) tmpfs "$d"
done
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup || die "cannot mount cgroup2"
mountpoint -q /sys/fs/fuse/connections || mount -t fusectl fusectl /sys/fs/fuse/connections 2>/dev/null
mountpoint -q /sys/kernel/debug || true
hostname corral-v2
modprobe loop 2>/dev/null
[ -e /dev/loop-control ] || say "warning: no /dev/loop-control"

echo "+cpuset +cpu +io +memory +pids" > /sys/fs/cgroup/cgroup.subtree_control ||
	die "cannot enable controllers at the cgroup2 root"

say "kernel $(uname -r), $(nproc) CPUs, $(awk '/^MemTotal/ {print $2 " kB"}' /proc/meminfo)"
say "cgroup mounts: $(awk '$9 ~ /^cgroup/ {printf "%s(%s) ", $5, $9}' /proc/self/mountinfo)"
say "/proc/self/cgroup: $(tr '\n' ' ' < /proc/self/cgroup)"
say "root controllers: $(cat /sys/fs/cgroup/cgroup.controllers); subtree_control: $(cat /sys/fs/cgroup/cgroup.subtree_control)"
grep -q . /proc/pressure/cpu 2>/dev/null && say "PSI: on" || say "PSI: off"

cd "$REPO" || die "no $REPO"
[ -x "$BUILD/fs/corralfs" ] || die "corralfs is not built in $BUILD"
echo "CORRAL-VM-TESTS-BEGIN"
t0=$(cut -d' ' -f1 /proc/uptime)
wrap=()
case $MODE in
nested) wrap=(--wrapper "$REPO/tests/vm/own-cgroup.sh");;
root) ;;
*) die "unknown CORRAL_VM_CGROUP=$MODE";;
esac
[ -n "${CORRAL_VM_RUN:-}" ] || say "running the integration suite ($MODE cgroup)"
# --verbose: every test's TAP lines as they come; through a pipe, so meson
# prints plain lines rather than a terminal's progress bar.
if [ -n "${CORRAL_VM_RUN:-}" ]; then
	say "running $CORRAL_VM_RUN instead"
	# the programs the suite's scripts get from meson, from this build
	BUILD=$BUILD CORRALFS=$BUILD/fs/corralfs CORRAL=$BUILD/runtime/corral \
		CORRAL_HOOK=$BUILD/hooks/corral-hook SYSPROBE=$BUILD/tests/integration/sysprobe \
		bash "$CORRAL_VM_RUN" </dev/null 2>&1 | cat
else
	meson test -C "$BUILD" --no-rebuild --suite integration --num-processes 1 --timeout-multiplier 3 --verbose "${wrap[@]}" </dev/null 2>&1 | cat
fi
RC=${PIPESTATUS[0]}
# meson shows a TAP test's verdicts, not its diagnostics: print the whole
# output of every test that did not pass.
if [ "$RC" != 0 ] && [ -z "${CORRAL_VM_RUN:-}" ]; then
	log=$(ls -t "$BUILD"/meson-logs/testlog*.json 2>/dev/null | head -1)
	[ -n "$log" ] && python3 - "$log" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    t = json.loads(line)
    if t["result"] in ("OK", "SKIP", "EXPECTEDFAIL"):
        continue
    print(f"==== {t['name']}: {t['result']}; its output:")
    print(t.get("stdout") or "")
    if t.get("stderr"):
        print("==== its stderr:")
        print(t["stderr"])
PY
fi
# Every cgroup a test makes is removed afterwards.
left=$(find /sys/fs/cgroup -mindepth 1 -type d)
if [ -n "$left" ]; then
	say "cgroups left behind by the tests:"; echo "$left"
	[ "$RC" = 0 ] && RC=1
fi
echo "CORRAL-VM-TESTS-END seconds=$(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN {printf "%.1f", b - a}')"
exit
