#!/usr/bin/env bash
# Root integration test of `corral run`: a busybox rootfs built by
# `corral rootfs busybox` (plus the static tests/integration/helpers/sysprobe
# and procps's dynamic `free` with its libraries), corralfs mounted so the
# views are live, and every container's cgroup below a parent in this test's
# own cgroup (relative on v1/hybrid; on v2 the absolute path of our own
# cgroup, which the test shell leaves for a leaf first).  Limits, isolation,
# exit codes and bad input, each followed by a check that no cgroup, mount or
# process was left behind.  Layout-agnostic: v1, hybrid and v2 file names.
. "$(dirname "$0")/lib.sh"
require_root
CORRAL=${CORRAL:-$BUILD/runtime/corral}
SYSPROBE=${SYSPROBE:-$BUILD/tests/integration/sysprobe}
[ -x "$CORRAL" ] || skip_all "corral not built at $CORRAL (meson setup -Druntime=true)"
[ -x "$SYSPROBE" ] || skip_all "sysprobe not built at $SYSPROBE"
[ -x /bin/busybox ] || skip_all "no /bin/busybox (apt-get install busybox-static)"

cgt_detect
fs_start || { t_fail "corralfs mounts"; t_done; exit 1; }
if [ $CGT_V2 = 1 ]; then
	cgt_v2_prepare
	PARENT=${CGT_V2_PARENT#/sys/fs/cgroup}/corral-it-$$
	BADPARENT=${CGT_V2_PARENT#/sys/fs/cgroup}/cgroup.procs
else
	PARENT=corral-it-$$
	BADPARENT=cgroup.procs
fi
WORK=$(mktemp -d /tmp/corral-rt-test.XXXXXX)
t_atexit "rm -rf --one-file-system $WORK"
ROOTFS=$WORK/rootfs

# ------------------------------------------------------------ helpers
# ct ARGS...: corral run with the test's rootfs, cgroup parent and views
# (CT: the same as an array, for corral itself in the background).
CT=("$CORRAL" run --rootfs "$ROOTFS" --cgroup-parent "$PARENT")
ct() { "${CT[@]}" --views "$MNT" "$@"; }
# ct_out ARGS...: sets OUT, ERR and RC.
ct_out() { OUT=$(ct "$@" 2> "$WORK/err" < /dev/null); RC=$?; ERR=$(cat "$WORK/err"); }

# ct_dir CTRL NAME: the cgroup directory of container NAME for controller CTRL.
ct_dir() {
	if [ $CGT_V2 = 1 ]; then
		echo "/sys/fs/cgroup$PARENT/$2"
	else
		local own; own=$(cgt_own "$1")
		echo "${CGT_MNT[$1]}${own%/}/$PARENT/$2"
	fi
}
# wait_file DIR FILE...: waits (5 s at most) for one of the FILEs in DIR,
# prints its path.
wait_file() {
	local dir=$1 f; shift
	for _ in $(seq 100); do
		for f in "$@"; do
			[ -f "$dir/$f" ] && { echo "$dir/$f"; return 0; }
		done
		sleep 0.05
	done
	return 1
}

mount_points() { awk '{print $5}' /proc/self/mountinfo | sort; }
mount_points > "$WORK/mounts0"   # files, not <(...): the v2 guest has no /dev/fd
left_behind() {
	local cg procs mnts
	cg=$(find /sys/fs/cgroup -maxdepth 6 -type d -name "corral-it-$$" 2>/dev/null | xargs)
	procs=$(grep -l "/corral-it-$$/" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3 | xargs)
	mnts=$(mount_points | diff "$WORK/mounts0" - | grep '^[<>]' | xargs)
	[ -n "$cg" ] && echo "cgroups: $cg"
	[ -n "$procs" ] && echo "processes: $procs"
	[ -n "$mnts" ] && echo "mounts: $mnts"
	true
}
check_clean() { t_eq "nothing left behind after $1" "" "$(left_behind)"; }
# At exit, whatever a failed test left: processes killed, cgroups removed.
remove_leftovers() {
	local d p
	for d in $(find /sys/fs/cgroup -maxdepth 6 -type d -name "corral-it-$$" 2>/dev/null); do
		for p in $(cat $(find "$d" -name cgroup.procs) 2>/dev/null); do kill -KILL "$p"; done
		sleep 0.2
		find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
}
t_atexit remove_leftovers
# ------------------------------------------------------------ rootfs
out=$("$CORRAL" rootfs busybox "$ROOTFS" 2>&1)
t_eq "corral rootfs busybox builds a rootfs" "0 " "$? $out"
t_true "the rootfs has a static busybox and its applets" test -x "$ROOTFS/bin/busybox" -a -L "$ROOTFS/bin/sh"
t_eq "the rootfs's /tmp is 1777" 1777 "$(stat -c %a "$ROOTFS/tmp")"
t_true "the rootfs has root and nobody in etc/passwd" grep -q '^nobody:x:65534' "$ROOTFS/etc/passwd"
out=$("$CORRAL" rootfs busybox "$ROOTFS" 2>&1); rc=$?
t_eq "a non-empty rootfs directory is refused" \
	"125 corral: building a busybox rootfs: \`$ROOTFS\` exists and is not empty" "$rc $out"
cp "$SYSPROBE" "$ROOTFS/bin/sysprobe"
# procps free (dynamic) with its libraries, for the views
mkdir -p "$ROOTFS/opt/procps"
cp /usr/bin/free "$ROOTFS/opt/procps/free"
for lib in $(ldd /usr/bin/free | grep -o '/[^ ]*'); do
	mkdir -p "$ROOTFS$(dirname "$lib")"
	cp -L "$lib" "$ROOTFS$lib"
done

# ------------------------------------------------------------ basics
ct_out -- sh -c 'echo $$'
t_eq "the command is pid 1" "0 1" "$RC $OUT"
ct_out --hostname box -- hostname
t_eq "--hostname sets the hostname" "box" "$OUT"
ct_out --name "named-$$" -- hostname
t_eq "the hostname defaults to the name" "named-$$" "$OUT"
ct_out -- ip link show lo
t_true "lo is up in the new net namespace ($(echo "$OUT" | grep -o '<[^>]*>'))" grep -q '<LOOPBACK,UP' <<< "$OUT"
ct_out -- ls /sys/class/net
t_eq "only lo in the new net namespace" "lo" "$(echo $OUT)"
ct_out --network host -- ls /sys/class/net
t_eq "--network host shares the host's interfaces" "$(ls /sys/class/net | xargs)" "$(echo $OUT)"
ct_out --user 65534:65534 --workdir /tmp -e FOO=bar -- sh -c 'echo $(id -u):$(id -g) $(pwd) $FOO'
t_eq "--user, --workdir and --env" "65534:65534 /tmp bar" "$OUT"
ct_out --read-only -- sh -c 'touch /x 2>/dev/null && echo wrote || echo refused'
t_eq "--read-only refuses writes to /" "refused" "$OUT"
echo data > "$WORK/vol.txt"
ct_out -v "$WORK:/data:ro" -- sh -c 'cat /data/vol.txt; touch /data/y 2>/dev/null && echo wrote || echo refused'
t_eq "--volume SRC:DST:ro binds read-only" "data refused" "$(echo $OUT)"
check_clean "the basic containers"

# ------------------------------------------------------------ default mounts
# mount_of DEST: "TYPE SOURCE OPTIONS [SUPER]" of the mount at DEST in the
# container's own mountinfo ($OUT; the last one when mounts are stacked):
# OPTIONS are the per-mount flags, SUPER the filesystem options that the
# default mounts set (size, mode, ptmxmode, gid), as the kernel shows them.
mount_of() {
	awk -v d="$1" '$5 == d {
		for (i = 7; $i != "-"; i++)
			;
		n = split($(i + 3), o, ","); s = ""
		for (k = 1; k <= n; k++)
			if (o[k] ~ /^(size|mode|ptmxmode|gid)=/)
				s = s (s == "" ? " " : ",") o[k]
		r = $(i + 1) " " $(i + 2) " " $6 s
	} END { print r }' <<< "$OUT"
}
ct_out -- sh -c 'cat /proc/self/mountinfo; stat -c "shm-mode %a" /dev/shm'
t_eq "/proc is a proc, nosuid,nodev,noexec" "proc proc rw,nosuid,nodev,noexec,relatime" "$(mount_of /proc)"
t_eq "/dev is a 64 MiB tmpfs of mode 755, nosuid, strictatime" "tmpfs tmpfs rw,nosuid size=65536k,mode=755" \
	"$(mount_of /dev)"
t_eq "/dev/pts is a new devpts (gid 5, mode 620, ptmx 666), nosuid,noexec" \
	"devpts devpts rw,nosuid,noexec,relatime gid=5,mode=620,ptmxmode=666" "$(mount_of /dev/pts)"
# (tmpfs's own default mode, 1777, is left out of mountinfo: stat shows it)
t_eq "/dev/shm is a 64 MiB tmpfs of mode 1777, nosuid,nodev,noexec" \
	"tmpfs shm rw,nosuid,nodev,noexec,relatime size=65536k shm-mode 1777" \
	"$(mount_of /dev/shm) $(grep '^shm-mode ' <<< "$OUT")"
t_eq "/dev/mqueue is an mqueue, nosuid,nodev,noexec" "mqueue mqueue rw,nosuid,nodev,noexec,relatime" \
	"$(mount_of /dev/mqueue)"
t_eq "/sys is a read-only sysfs, nosuid,nodev,noexec" "sysfs sysfs ro,nosuid,nodev,noexec,relatime" \
	"$(mount_of /sys)"
if [ $CGT_V2 = 1 ]; then
	t_eq "/sys/fs/cgroup is a read-only cgroup2" "cgroup2 cgroup2 ro,nosuid,nodev,noexec,relatime" \
		"$(mount_of /sys/fs/cgroup)"
else
	t_eq "/sys/fs/cgroup is a read-only tmpfs of mode 755" "tmpfs tmpfs ro,nosuid,nodev,noexec,relatime mode=755" \
		"$(mount_of /sys/fs/cgroup)"
	t_eq "... holding the memory hierarchy, read-only" "cgroup cgroup ro,nosuid,nodev,noexec,relatime" \
		"$(mount_of /sys/fs/cgroup/memory)"
fi
check_clean "the default mounts"

# ------------------------------------------------------------ exit codes and signals
ct_out -- sh -c 'exit 3'
t_eq "exit 3 gives 3" 3 "$RC"
ct_out --init -- sh -c 'kill -9 $$'
t_eq "a command killed by SIGKILL gives 137 (--init)" 137 "$RC"
ct_out --init -- sh -c 'echo $$'
t_true "with --init the command is not pid 1 ($OUT)" test "$OUT" != 1 -a -n "$OUT"
"${CT[@]}" --no-views --name "kill-$$" -- sleep 30 > /dev/null 2>&1 & cpid=$!
CGT_PIDS+=("$cpid")
if procs=$(wait_file "$(ct_dir pids "kill-$$")" cgroup.procs) && sleep 0.3 &&
   init=$(head -1 "$procs") && [ -n "$init" ]; then
	kill -KILL "$init"
	wait "$cpid"; rc=$?
	t_eq "the container's init killed from the host gives 137" 137 "$rc"
else
	t_fail "the container's init killed from the host gives 137" "no cgroup.procs in $(ct_dir pids "kill-$$")"
	kill -KILL "$cpid"; wait "$cpid"
fi
"${CT[@]}" --no-views --init -- sleep 30 > /dev/null 2>&1 & cpid=$!
CGT_PIDS+=("$cpid")
sleep 1
kill -TERM "$cpid"
wait "$cpid"; rc=$?
t_eq "SIGTERM to corral reaches the container (--init: 143)" 143 "$rc"
ct_out -- /nonexistent-command
t_eq "a missing command gives 127" 127 "$RC"
t_true "... with a message naming it ($ERR)" grep -q nonexistent-command <<< "$ERR"
check_clean "the exit code tests"

# ------------------------------------------------------------ memory
"${CT[@]}" --no-views --name "mem-$$" --memory 32m -- sleep 2 > /dev/null 2>&1 & cpid=$!
CGT_PIDS+=("$cpid")
f=$(wait_file "$(ct_dir memory "mem-$$")" memory.limit_in_bytes memory.max)
t_eq "the cgroup's memory limit is 32 MiB while it runs (${f:-no file})" 33554432 "$(cat "$f" 2>/dev/null)"
wait "$cpid"
ct_out --memory 32m -- sysprobe alloc 64
t_eq "allocating 64 MiB under --memory 32m is OOM-killed" 137 "$RC"
ct_out --memory 32m -- sysprobe alloc 8
t_eq "allocating 8 MiB under --memory 32m finishes" "0 done" "$RC $OUT"
check_clean "the memory tests"

# ------------------------------------------------------------ pids
ct_out --pids-limit 16 -- sysprobe forkloop 100
t_eq "a fork loop stops at --pids-limit 16 (15 children + itself)" "0 15" "$RC $OUT"
check_clean "the pids test"

# ------------------------------------------------------------ cpu
"${CT[@]}" --no-views --name "cpu-$$" --cpus 0.5 -- sh -c 'sysprobe spin 1; sleep 1' > /dev/null 2>&1 & cpid=$!
CGT_PIDS+=("$cpid")
d=$(ct_dir cpu "cpu-$$")
if f=$(wait_file "$d" cpu.max cpu.cfs_quota_us); then
	case $f in
	*cpu.max) t_eq "cpu.max is 50000 100000 under --cpus 0.5" "50000 100000" "$(cat "$f")";;
	*) t_eq "cfs quota/period are 50000/100000 under --cpus 0.5" "50000/100000" \
		"$(cat "$f")/$(cat "$d/cpu.cfs_period_us")";;
	esac
	sleep 0.8
	thr=$(awk '$1 == "nr_throttled" {print $2}' "$d/cpu.stat")
	t_true "a busy loop under --cpus 0.5 is throttled (nr_throttled ${thr:-?})" test "${thr:-0}" -gt 0
else
	t_fail "the cpu cgroup of the container exists" "$d"
	t_fail "a busy loop under --cpus 0.5 is throttled"
fi
wait "$cpid"
ct_out --cpuset-cpus 0 -- sh -c 'grep ^Cpus_allowed_list /proc/self/status'
t_eq "--cpuset-cpus 0 gives an affinity of {0}" "0" "$(echo "$OUT" | awk '{print $2}')"
check_clean "the cpu tests"

# ------------------------------------------------------------ devices
ct_out -- sh -c 'echo x > /dev/null && head -c 4 /dev/zero | wc -c'
t_eq "/dev/null and /dev/zero work" "0 4" "$RC $(echo $OUT)"
img=$WORK/disk.img
truncate -s 4M "$img"
if loopdev=$(losetup -f --show "$img" 2>/dev/null); then
	t_atexit "losetup -d $loopdev"
	mm=$(stat -Lc '%t %T' "$loopdev")
	maj=$((16#${mm% *})) min=$((16#${mm#* }))
	ct_out -- sysprobe mknod-blk /tmp/blk "$maj" "$min"
	t_true "a block node made inside cannot be opened ($OUT)" grep -q EPERM <<< "$OUT"
	ct_out -v "$loopdev:/dev/xblk" -- sysprobe open /dev/xblk
	t_eq "a block node bind-mounted in cannot be opened" "EPERM" "$OUT"
	ct_out --device "$loopdev:/dev/xblk" -- sysprobe open /dev/xblk
	t_eq "--device gives access to the block device" "ok" "$OUT"
	ct_out --device "$loopdev:/dev/xblk:r" -- sysprobe mknod-blk /tmp/blk "$maj" "$min"
	t_eq "--device :r allows opening a node made inside for reading" "mknod=ok open=ok" "$OUT"
else
	t_skip "block device tests" "no loop device available"
fi
ct_out --device /etc/hostname -- true
t_eq "--device of a regular file is refused" "125 corral: --device: '/etc/hostname' is not a device node" "$RC $ERR"
check_clean "the device tests"

# ------------------------------------------------------------ default devices (behaviour)
# The default device rules, seen from inside: each default node is the
# right device and opens (an error other than EPERM means the device cgroup
# let it through); a node made for a device not in the rules is refused.
ct_out -- sh -c 'for n in null zero full random urandom tty ptmx; do stat -L -c "$n %t:%T" /dev/$n; done'
t_eq "the default nodes: null 1:3 zero 1:5 full 1:7 random 1:8 urandom 1:9 tty 5:0 ptmx 5:2" \
	"0 null 1:3 zero 1:5 full 1:7 random 1:8 urandom 1:9 tty 5:0 ptmx 5:2" "$RC $(echo $OUT)"
ct_out -- sh -c 'echo $(head -c 4 /dev/full | wc -c) $(head -c 4 /dev/random | wc -c) $(head -c 4 /dev/urandom | wc -c)
	(echo x > /dev/full) 2>&1 | grep -o "No space left on device"'
t_eq "/dev/full reads 4 zeros and refuses writes (ENOSPC), random and urandom read" \
	"0 4 4 4 No space left on device" "$RC $(echo $OUT)"
# no controlling terminal: /dev/tty is ENXIO; a new pty's slave is locked: EIO
ct_out -- sh -c '(: < /dev/tty) 2>&1 | grep -o "No such device or address"
	exec 3<> /dev/ptmx && ls /dev/pts && (: < /dev/pts/0) 2>&1 | grep -o "Input/output error"'
t_eq "/dev/tty opens (ENXIO: no terminal), /dev/ptmx opens, its pts (136:0) too (EIO: locked)" \
	"0 No such device or address 0 ptmx Input/output error" "$RC $(echo $OUT)"
# 5:1 (the console) is the host's own: opened (read-only, by no session
# leader) from a node made inside, 2 s at most
ct_out -- sh -c 'mknod /tmp/console c 5 1 && timeout 2 sh -c ": < /tmp/console" 2>&1 | grep -c "not permitted"'
t_eq "a node of 5:1 (console) made inside is not refused by the device cgroup" "0" "$(echo $OUT)"
ct_out -- sh -c 'mknod /tmp/fuse c 10 229 && mknod /tmp/sda b 8 0 && echo made
	(: < /tmp/fuse) 2>&1 | grep -o "Operation not permitted"
	(: < /tmp/sda) 2>&1 | grep -o "Operation not permitted"'
t_eq "mknod c 10:229 and b 8:0 work (rule m) but opening them is EPERM (not in the rules)" \
	"0 made Operation not permitted Operation not permitted" "$RC $(echo $OUT)"
check_clean "the default device tests"

# ------------------------------------------------------------ masked and read-only paths
# From inside: a masked directory is an empty read-only tmpfs, a masked file
# /dev/null bound (1:3, reads nothing), a read-only path a read-only proc
# mount.  A path this kernel lacks is absent in the container too (a SKIP).
MASKED="/proc/asound /proc/acpi /proc/kcore /proc/keys /proc/latency_stats /proc/timer_list
	/proc/timer_stats /proc/sched_debug /proc/scsi /sys/firmware /sys/devices/virtual/powercap"
READONLY="/proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger"
ct_out -- sh -c 'cat /proc/self/mountinfo; for p in '"$(echo $MASKED)"'; do
	if [ -d $p ]; then echo "masked $p dir $(ls -A $p | wc -l)"
	elif [ -e $p ]; then echo "masked $p $(stat -c "%t:%T" $p) $(wc -c < $p)"
	else echo "masked $p absent"; fi; done'
for p in $MASKED; do
	got="$(awk -v p="$p" '$1 == "masked" && $2 == p {$1 = $2 = ""; print substr($0, 3)}' <<< "$OUT")"
	if [ -d "$p" ]; then
		t_eq "masked $p is an empty read-only tmpfs" "dir 0 tmpfs tmpfs ro,relatime" "$got $(mount_of "$p")"
	elif [ -e "$p" ]; then
		t_eq "masked $p is /dev/null (1:3) and reads nothing" "1:3 0" "$got"
	else
		t_eq "masked $p: absent on this kernel and in the container" "absent" "$got"
		t_skip "masked $p" "no $p on this kernel"
	fi
done
for p in $READONLY; do
	if [ -e "$p" ]; then
		t_eq "$p is read-only (a read-only proc bind)" "proc proc ro,nosuid,nodev,noexec,relatime" \
			"$(mount_of "$p")"
	else
		t_skip "read-only $p" "no $p on this kernel"
	fi
done
check_clean "the masked and read-only paths"

# ------------------------------------------------------------ seccomp and capabilities
ct_out -- sysprobe keyctl
t_eq "keyctl is EPERM under the default seccomp profile" EPERM "$OUT"
ct_out -- sysprobe unshare-ns
t_eq "unshare(CLONE_NEWNS) is EPERM" EPERM "$OUT"
ct_out --security-opt seccomp=unconfined -- sysprobe keyctl
t_eq "seccomp=unconfined lifts keyctl's EPERM" ok "$OUT"
# A Docker-format profile file: keyctl allowed, mkdir denied with EACCES.
cat > "$WORK/profile.json" <<'JSON'
{
  "defaultAction": "SCMP_ACT_ALLOW",
  "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}],
  "syscalls": [
    {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
    {"names": ["keyctl"], "action": "SCMP_ACT_ERRNO", "includes": {"caps": ["CAP_SYS_ADMIN"]}}
  ]
}
JSON
ct_out --security-opt seccomp="$WORK/profile.json" -- sh -c 'sysprobe keyctl; mkdir /tmp/d 2>&1'
t_eq "seccomp=FILE loads a Docker profile (keyctl allowed, mkdir EACCES)" \
	"ok mkdir: can't create directory '/tmp/d': Permission denied" "$(echo $OUT)"
echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"], "action": "NOPE"}]}' > "$WORK/bad.json"
ct_out --security-opt seccomp="$WORK/bad.json" -- true
t_eq "a wrong profile is refused naming the file and the JSON path" \
	"125 corral: --security-opt: seccomp profile $WORK/bad.json: syscalls[0].action: unknown action 'NOPE'" "$RC $ERR"
ct_out -- sysprobe mount
t_eq "mount fails without CAP_SYS_ADMIN" EPERM "$OUT"
ct_out -- grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status
t_eq "Docker's capability set, no_new_privs and a seccomp filter" \
	"CapInh: 0000000000000000 CapPrm: 00000000a80425fb CapEff: 00000000a80425fb CapBnd: 00000000a80425fb CapAmb: 0000000000000000 NoNewPrivs: 1 Seccomp: 2" \
	"$(echo $OUT)"
ct_out --cap-drop ALL --cap-add CHOWN -- grep ^CapBnd /proc/self/status
t_eq "--cap-drop ALL --cap-add CHOWN leaves CHOWN only" "CapBnd: 0000000000000001" "$(echo $OUT)"
check_clean "the seccomp and capability tests"

# ------------------------------------------------------------ the default seccomp profile (allowlist)
# Real programs run under it (clone3 -> ENOSYS makes glibc fall back to
# clone; io_uring's EPERM makes libuv fall back), and sysprobe's raw
# syscalls get the profile's answers: EPERM for what it does not allow,
# ENOSYS above the newest syscall libseccomp knows.
ct_out -- sh -c 'a=$(echo sub); echo $a | tr a-z A-Z; sleep 0.1 & wait; echo done'
t_eq "busybox sh (subshell, pipe, background job) runs under the default profile" "0 SUB done" "$RC $(echo $OUT)"
# python3 and node from the host's /usr, bind-mounted into a bare rootfs
HOSTROOT=$WORK/hostroot
mkdir -p "$HOSTROOT"/{usr,etc,tmp,proc,dev,sys}
chmod 1777 "$HOSTROOT/tmp"
for l in bin lib lib64 sbin; do ln -s "usr/$l" "$HOSTROOT/$l"; done
cp "$ROOTFS/etc/passwd" "$ROOTFS/etc/group" "$HOSTROOT/etc/"
hr() { OUT=$("$CORRAL" run --rootfs "$HOSTROOT" --cgroup-parent "$PARENT" --no-views -v /usr:/usr:ro "$@" 2> "$WORK/err" < /dev/null); RC=$?; ERR=$(cat "$WORK/err"); }
if [ -x /usr/bin/python3 ]; then
	hr -- /usr/bin/python3 -c 'import os, socket, subprocess, threading
t = threading.Thread(target=print, args=("thread",)); t.start(); t.join()
print(subprocess.run(["/bin/echo", "sub"], capture_output=True, text=True).stdout.strip(), os.getpid(), socket.socket().family.name)'
	t_eq "python3 (a thread, subprocess, a socket) runs under the default profile ($ERR)" "0 thread sub 1 AF_INET" "$RC $(echo $OUT)"
else
	t_skip "python3 runs under the default profile" "no /usr/bin/python3"
fi
if [ -x /usr/bin/node ]; then
	hr -- /usr/bin/node -e 'const cp = require("child_process"), fs = require("fs");
fs.writeFileSync("/tmp/x", "y");
console.log(cp.execFileSync("/bin/echo", ["sub"]).toString().trim(), process.pid, fs.readFileSync("/tmp/x", "utf8"))'
	t_eq "node (fs, child_process) runs under the default profile ($ERR)" "0 sub 1 y" "$RC $(echo $OUT)"
else
	t_skip "node runs under the default profile" "no /usr/bin/node"
fi
probe() { ct_out "${@:2}" -- sysprobe syscall $1; echo "$OUT"; }
t_eq "unshare(CLONE_NEWUSER) is EPERM" EPERM "$(probe 'unshare 0x10000000')"
t_eq "... allowed with --cap-add SYS_ADMIN (the profile follows the capabilities)" ok \
	"$(probe 'unshare 0x10000000' --cap-add SYS_ADMIN)"
t_eq "personality(PER_LINUX) and the 0xffffffff query are allowed" "ok ok" \
	"$(echo $(probe 'personality 0') $(probe 'personality 0xffffffff'))"
t_eq "personality(ADDR_NO_RANDOMIZE) is EPERM (allowed unconfined)" "EPERM ok" \
	"$(echo $(probe 'personality 0x40000') $(probe 'personality 0x40000' --security-opt seccomp=unconfined))"
t_eq "socket(AF_VSOCK) is EPERM" EPERM "$(probe 'socket 40 1 0')"
t_true "... not EPERM unconfined" test "$(probe 'socket 40 1 0' --security-opt seccomp=unconfined)" != EPERM
t_eq "kexec_load, open_by_handle_at, io_uring_setup are EPERM" "EPERM EPERM EPERM" \
	"$(echo $(probe 'kexec_load 0 0 0 0') $(probe 'open_by_handle_at 0xffffffff 0 0') $(probe 'io_uring_setup 1 0'))"
t_eq "clone3 is ENOSYS (glibc falls back to clone)" ENOSYS "$(probe 'clone3 0 0')"
t_eq "a syscall number above the newest known (1000) is ENOSYS" ENOSYS "$(probe 1000)"
if [ "$(uname -m)" = x86_64 ]; then
	t_eq "a number below the newest with no syscall (400) is EPERM (ENOSYS unconfined)" "EPERM ENOSYS" \
		"$(echo $(probe 400) $(probe 400 --security-opt seccomp=unconfined))"
fi
check_clean "the default seccomp profile tests"

# ------------------------------------------------------------ views
ct_out --memory 256m --cpuset-cpus 0 -- /opt/procps/free -m
t_eq "procps free -m shows 256 under --memory 256m" 256 "$(echo "$OUT" | awk '/^Mem:/ {print $2}')"
ct_out --memory 256m --cpuset-cpus 0 -- sh -c 'grep -c ^processor /proc/cpuinfo; head -n1 /sys/devices/system/cpu/online'
t_eq "--cpuset-cpus 0: one processor in cpuinfo, online is 0" "1 0" "$(echo $OUT)"
# busybox cat copies with sendfile(2), which stops at the file's size:
# corralfs reports the reader's own content length.
ct_out --memory 256m -- cat /proc/meminfo
t_eq "busybox cat /proc/meminfo shows the view" "MemTotal: 262144" "$(echo "$OUT" | awk '/^MemTotal/ {print $1, $2}')"
ct_out --cpus 1 -- grep -c ^processor /proc/cpuinfo
t_eq "--cpus 1: one processor in cpuinfo" 1 "$OUT"
ct_out -- cut -d. -f1 /proc/uptime
t_true "uptime starts with the container ($OUT s)" test -n "$OUT" -a "${OUT:-99}" -lt 5
OUT=$("${CT[@]}" --no-views --memory 256m -- awk '/^MemTotal/ {print $2}' /proc/meminfo)
t_eq "--no-views shows the host's MemTotal" "$(awk '/^MemTotal/ {print $2}' /proc/meminfo)" "$OUT"
mkdir "$WORK/dead"
ct_out --views "$WORK/dead" -- true
t_true "--views at a directory that is not a corralfs mount is an error naming it ($RC: $ERR)" \
	test "$RC" = 125 -a -n "$(grep -F "$WORK/dead" <<< "$ERR")"
check_clean "the views tests"

# ------------------------------------------------------------ terminal
if command -v script > /dev/null; then
	out=$(script -qec "$CORRAL run --rootfs $ROOTFS --cgroup-parent $PARENT --no-views -t -- sh -c 'test -t 0 && test -t 1 && echo tty; tty'" /dev/null < /dev/null | tr -d '\r')
	t_eq "-t gives the command a terminal of the container's own devpts (as runc)" "tty /dev/pts/0" "$(echo $out)"
else
	t_skip "-t gives the command a terminal" "no script(1)"
fi
check_clean "the terminal test"

# ------------------------------------------------------------ bad input
ct_out --memory 12q -- true
t_eq "a wrong size is refused" "125 corral: --memory: invalid size '12q'" "$RC $ERR"
ct_out --cpus -1 -- true
t_eq "a negative --cpus is refused" "125 corral: --cpus: must be a positive number, got '-1'" "$RC $ERR"
OUT=$("$CORRAL" run --rootfs /nonexistent-corral-rootfs --cgroup-parent "$PARENT" -- true 2>&1); RC=$?
t_eq "a missing rootfs is refused" \
	"125 corral: --rootfs: cannot use '/nonexistent-corral-rootfs': No such file or directory" "$RC $OUT"
ct_out
t_eq "no command is refused" "125 corral: no command given (corral run [OPTIONS] [--] CMD [ARG...])" "$RC $ERR"
OUT=$("$CORRAL" run --rootfs "$ROOTFS" --cgroup-parent "$BADPARENT" --no-views -- true 2>&1); RC=$?
t_true "a cgroup parent that cannot be created is an error naming it ($RC: $OUT)" \
	test "$RC" = 125 -a -n "$(grep -F cgroup.procs <<< "$OUT")"
OUT=$("$CORRAL" --help); RC=$?
t_true "corral --help says 125 is corral's own status" test "$RC" = 0 -a -n "$(grep 125 <<< "$OUT")"
OUT=$("$CORRAL" run --help); RC=$?
t_true "corral run --help lists the options" test "$RC" = 0 -a -n "$(grep -- --pids-limit <<< "$OUT")"
OUT=$("$CORRAL" frobnicate 2>&1); RC=$?
t_eq "an unknown command is refused" "125 corral: unknown command 'frobnicate' (see corral --help)" "$RC $OUT"
check_clean "the bad input tests"

t_done
