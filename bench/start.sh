#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Start latency of `corral run` against Debian's `runc run`, in one run.
#
#   sudo bash bench/start.sh [--runs N] [--build DIR]
#
# Both run busybox's /bin/true on the same busybox rootfs (built with
# `corral rootfs busybox`) with memory 256 MiB, 1 CPU of quota and 64 pids,
# the same seccomp profile (corral's default allowlist for Docker's
# capability set, read from runtime/spec/seccomp-default.c into runc's
# config.json) and Docker's capability set;
# corral also mounts the corralfs views (a corralfs is started for it).
# Every cgroup is below this script's own cgroup (relative cgroup paths: both
# runtimes resolve them under their own cgroup on v1/hybrid) and is removed
# at the end.  N (default 100) sequential containers each, corral and runc
# alternating; prints medians, p90, the ratio and corral's peak RSS (then 10
# more runs under /usr/bin/time: its "%M", the largest ru_maxrss of corral
# and its container process before exec; not measured from python, whose
# fork would count python's own pages, as maxrss survives execve).
# Installs runc with apt-get if it is missing.
# Figures only: nothing here passes or fails a test.
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
BUILD=$REPO/build
RUNS=100

while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=${2:?--runs needs a number}; shift;;
	--build) BUILD=${2:?--build needs a directory}; shift;;
	-h|--help) sed -n '4,20s/^# \{0,1\}//p' "$0"; exit 0;;
	*) echo "start.sh: unknown argument '$1'" >&2; exit 2;;
	esac
	shift
done

die() { echo "start.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root"
CORRAL=$BUILD/runtime/corral
CORRALFS=$BUILD/fs/corralfs
[ -x "$CORRAL" ] || die "no $CORRAL (meson setup -Druntime=true $BUILD && ninja -C $BUILD)"
[ -x "$CORRALFS" ] || die "no $CORRALFS"
[ -f /sys/fs/cgroup/cgroup.controllers ] && [ "$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)" != / ] &&
	die "on cgroup v2 run it from the root cgroup (a nested v2 cgroup holding this shell cannot delegate controllers)"
if ! command -v runc > /dev/null; then
	echo "# installing runc (apt-get install runc)" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q runc > /dev/null || die "could not install runc"
fi

TMP=$(mktemp -d /tmp/corral-start.XXXXXX)
PARENT=corral-start-$$
FS_PID=""
cleanup() {
	local d
	if [ -n "$FS_PID" ]; then
		kill -TERM "$FS_PID" 2> /dev/null
		wait "$FS_PID" 2> /dev/null
	fi
	mountpoint -q "$TMP/views" && umount -l "$TMP/views"
	# runc removes its containers' cgroups but not the parents it made
	for d in $(find /sys/fs/cgroup -maxdepth 6 -type d -name "$PARENT" 2> /dev/null); do
		find "$d" -depth -type d -exec rmdir {} \; 2> /dev/null
	done
	rm -rf --one-file-system "$TMP"
}
trap cleanup EXIT

# ------------------------------------------------------------ setup
"$CORRAL" rootfs busybox "$TMP/rootfs" || die "corral rootfs busybox failed"
mkdir "$TMP/views"
env --default-signal=INT,TERM "$CORRALFS" --foreground "$TMP/views" 2> "$TMP/corralfs.log" &
FS_PID=$!
for _ in $(seq 100); do [ -f "$TMP/views/.static" ] && break; sleep 0.05; done
[ -f "$TMP/views/.static" ] || die "corralfs did not come up: $(cat "$TMP/corralfs.log")"

mkdir "$TMP/bundle"
(cd "$TMP/bundle" && runc spec) || die "runc spec failed"
python3 - "$TMP/bundle/config.json" "$TMP/rootfs" "$REPO/runtime/spec/seccomp-default.c" "$PARENT" <<'EOF' || die "editing config.json failed"
import json, re, sys
path, rootfs, seccomp_c, parent = sys.argv[1:]
c = json.load(open(path))
src = open(seccomp_c).read()
caps = ["CAP_" + n for n in "CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP "
        "SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE".split()]
ns_flags = [0x00020000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x02000000]
p = c["process"]
p["terminal"] = False
p["args"] = ["/bin/true"]
p["noNewPrivileges"] = True
for k in ("bounding", "effective", "permitted"):
    p["capabilities"][k] = caps
p["capabilities"]["inheritable"] = p["capabilities"]["ambient"] = []
c["root"] = {"path": rootfs, "readonly": False}
l = c["linux"]
if not any(n["type"] == "cgroup" for n in l["namespaces"]):
    l["namespaces"].append({"type": "cgroup"})
l["cgroupsPath"] = parent + "/runc"
l["resources"].update({"memory": {"limit": 256 << 20}, "cpu": {"quota": 100000, "period": 100000},
                       "pids": {"limit": 64}})
# seccomp-default.c's table for these capabilities, on x86_64
names = lambda text: re.findall(r'"([a-z0-9_]+)"', text)
rules = [{"names": names(re.search(r'allowed\[\] = \{(.*?)\};', src, re.S).group(1)),
          "action": "SCMP_ACT_ALLOW"}]
for name, op, value in re.findall(r'ALLOW_ARG\("(\w+)", RT_OP_(EQ|NE), (\w+)', src):
    rules.append({"names": [name], "action": "SCMP_ACT_ALLOW",
                  "args": [{"index": 0, "value": int(value, 0), "op": "SCMP_CMP_" + op}]})
rules.append({"names": names(re.search(r'ALLOW_ON\(X86_64_ONLY,(.*?)\)', src, re.S).group(1)),
              "action": "SCMP_ACT_ALLOW"})
for cap, text in re.findall(r'ALLOW_IF\((CAP_\w+),(.*?)\),\n', src, re.S):
    if cap in caps:
        rules.append({"names": names(text), "action": "SCMP_ACT_ALLOW"})
rules.append({"names": ["clone"], "action": "SCMP_ACT_ALLOW",
              "args": [{"index": 0, "value": sum(ns_flags), "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]})
rules.append({"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38})
l["seccomp"] = {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
                "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                "syscalls": rules}
json.dump(c, open(path, "w"), indent=1)
print("# runc seccomp: %d rules, %d syscall names allowed" % (len(rules), sum(len(r["names"]) for r in rules)),
      file=sys.stderr)
EOF

# ------------------------------------------------------------ runs
python3 - "$RUNS" "$CORRAL" "$TMP" "$PARENT" <<'EOF'
import os, statistics, subprocess, sys, time
runs, corral, tmp, parent = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
corral_cmd = [corral, "run", "--rootfs", tmp + "/rootfs", "--memory", "256m", "--cpus", "1",
              "--pids-limit", "64", "--cgroup-parent", parent, "--views", tmp + "/views", "/bin/true"]
def runc_cmd(i):
    return ["runc", "--root", tmp + "/runc-state", "run", "--bundle", tmp + "/bundle", "b%d" % i]

def peak_rss_kib(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return int(r.stderr.decode().strip().splitlines()[-1])

def one(cmd):
    t0 = time.perf_counter_ns()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status = os.waitpid(p.pid, 0)
    dt = (time.perf_counter_ns() - t0) / 1e6
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace").strip()
    p.stderr.close()
    if p.returncode != 0:
        sys.exit("%s failed (%d): %s" % (cmd[0], p.returncode, err))
    return dt

c_ms, r_ms = [], []
for i in range(runs):
    order = [0, 1] if i % 2 == 0 else [1, 0]
    for which in order:
        if which == 0:
            c_ms.append(one(corral_cmd))
        else:
            r_ms.append(one(runc_cmd(i)))

rss = [peak_rss_kib(corral_cmd) for _ in range(10)]

def pct(v, q):
    v = sorted(v); return v[min(len(v) - 1, int(q * len(v)))]
cm, rm = statistics.median(c_ms), statistics.median(r_ms)
print("runs: %d each, alternating; /bin/true on a busybox rootfs, memory 256m, 1 CPU, 64 pids, seccomp" % runs)
print("%-8s %10s %10s %10s %10s" % ("", "median ms", "p90 ms", "min ms", "max ms"))
print("%-8s %10.2f %10.2f %10.2f %10.2f" % ("corral", cm, pct(c_ms, 0.9), min(c_ms), max(c_ms)))
print("%-8s %10.2f %10.2f %10.2f %10.2f" % ("runc", rm, pct(r_ms, 0.9), min(r_ms), max(r_ms)))
print("ratio corral/runc (medians): %.3f  (target <= 0.3)" % (cm / rm))
print("corral peak RSS: %.2f MiB (max of /usr/bin/time %%M over 10 runs; median %.2f MiB; target <= 3.5)"
      % (max(rss) / 1024, statistics.median(rss) / 1024))
EOF
