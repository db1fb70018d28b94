#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Start latency of `podman run` with corral as its runtime against podman
# with Debian's runc, in one run.
#
#   sudo bash bench/podman.sh [--runs N] [--build DIR]
#
# Each run is `podman --runtime R run --rm --network none --cgroup-parent P
# IMG true`, R the built corral or /usr/sbin/runc, alternating (the order
# swapped every round), N (default 50) each, after 3 warm-up runs each.
# IMG is `podman import` of a busybox rootfs (`corral rootfs busybox`).
# podman is configured entirely in a temp directory
# (tests/integration/helpers/podman-env.sh: cgroupfs manager, overlay
# storage, file locks, events in a file) and P is below this script's own
# cgroup in every hierarchy; everything is removed at the end.  corralfs is
# not mounted: corral starts the container with the plain /proc files, as
# runc does.  Prints median, p90 and p99 of each and the ratio of the
# medians.  Figures only: nothing here passes or fails a test.
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
BUILD=$REPO/build
RUNS=50

while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=${2:?--runs needs a number}; shift;;
	--build) BUILD=$(cd "${2:?--build needs a directory}" && pwd) || exit 2; shift;;
	-h|--help) sed -n '4,20s/^# \{0,1\}//p' "$0"; exit 0;;
	*) echo "podman.sh: unknown argument '$1'" >&2; exit 2;;
	esac
	shift
done

die() { echo "podman.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root"
CORRAL=$BUILD/runtime/corral
RUNC=$(command -v runc || echo /usr/sbin/runc)
[ -x "$CORRAL" ] || die "no $CORRAL (meson setup $BUILD && ninja -C $BUILD)"
command -v podman > /dev/null || die "podman is not installed (bash .ci/deps)"
[ -x "$RUNC" ] || die "runc is not installed (bash .ci/deps)"

. "$REPO/tests/integration/helpers/podman-env.sh"
pm_cgroup_parent "corral-bench-podman-$$" || die "$PM_WHY"
[ -f /sys/fs/cgroup/cgroup.controllers ] && [ "$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)" != / ] &&
	die "on cgroup v2 run it from the root cgroup (a nested v2 cgroup holding this shell cannot delegate controllers)"
TMP=$(mktemp -d /tmp/corral-bench-podman.XXXXXX)
trap pm_teardown EXIT
pm_setup "$TMP"

"$CORRAL" rootfs busybox "$TMP/rootfs" > /dev/null || die "corral rootfs busybox failed"
IMG=localhost/corral-bench:$$
pm_import "$TMP/rootfs" "$IMG" || die "podman import failed"

python3 - "$RUNS" "$CORRAL" "$RUNC" "$PM_PARENT" "$IMG" <<'EOF'
import statistics, subprocess, sys, time
runs, corral, runc, parent, img = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]

def cmd(rt):
    return ["podman", "--runtime", rt, "run", "--rm", "--network", "none",
            "--cgroup-parent", parent, img, "true"]

def one(rt):
    t0 = time.perf_counter_ns()
    p = subprocess.run(cmd(rt), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    dt = (time.perf_counter_ns() - t0) / 1e6
    if p.returncode != 0:
        sys.exit("%s failed (%d): %s" % (rt, p.returncode, p.stderr.decode(errors="replace").strip()))
    return dt

for _ in range(3):
    one(corral); one(runc)
c_ms, r_ms = [], []
for i in range(runs):
    for rt in ((corral, runc) if i % 2 == 0 else (runc, corral)):
        (c_ms if rt == corral else r_ms).append(one(rt))

def pct(v, q):
    v = sorted(v); return v[min(len(v) - 1, int(q * len(v)))]
cm, rm = statistics.median(c_ms), statistics.median(r_ms)
print("runs: %d each, alternating; podman run --rm --network none --cgroup-parent P IMG true" % runs)
print("%-15s %10s %10s %10s %10s %10s" % ("", "median ms", "p90 ms", "p99 ms", "min ms", "max ms"))
for name, v in (("podman+corral", c_ms), ("podman+runc", r_ms)):
    print("%-15s %10.1f %10.1f %10.1f %10.1f %10.1f" % (name, statistics.median(v), pct(v, 0.9),
                                                      pct(v, 0.99), min(v), max(v)))
print("ratio corral/runc (medians): %.3f; p99: %.3f" % (cm / rm, pct(c_ms, 0.99) / pct(r_ms, 0.99)))
EOF
