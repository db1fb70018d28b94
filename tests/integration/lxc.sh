#!/usr/bin/env bash
# Root integration test of hooks/lxc/corral-mount with Debian's LXC: a
# busybox container (`lxc-create -t busybox`) in a private LXC path, no
# network (lxc.net.0.type = empty), a 256 MiB memory limit, and the hook
# from the source tree as its lxc.hook.mount.  lxc.cgroup.relative = 1
# puts the container's (and LXC's monitor's) cgroups below this test's own
# cgroup in every hierarchy, which the test checks.  Containers, cgroups,
# mounts, processes and the LXC path are removed at exit.
. "$(dirname "$0")/lib.sh"
require_root
HOOK=${CORRAL_LXC_HOOK:-$(cd "$(dirname "$0")/../../hooks/lxc" && pwd)/corral-mount}
command -v lxc-create >/dev/null || skip_all "lxc is not installed (apt-get install lxc)"
[ -x /usr/share/lxc/templates/lxc-busybox ] || skip_all "no LXC busybox template"
[ -x /bin/busybox ] || skip_all "no /bin/busybox (apt-get install busybox-static)"
[ -x "$HOOK" ] || skip_all "no hook at $HOOK"
cgt_detect
# On v2, lxc.cgroup.relative would put the container below a cgroup that
# holds this shell, which the no-internal-processes rule forbids once
# controllers are enabled; the v2 lane does not run LXC.
[ $CGT_V2 = 1 ] && skip_all "cgroup v2: the LXC test runs on v1/hybrid hosts only"

WORK=$(mktemp -d /tmp/corral-lxc-test.XXXXXX)
LXCP=$WORK/lxc
mkdir -p "$LXCP"
NAME=corral-lxc-$$
CFG=$LXCP/$NAME/config
t_atexit "rm -rf --one-file-system $WORK"

# Everything LXC makes in a hierarchy is below the cgroup it was started
# from (ours): lxc.payload.NAME, lxc.monitor.NAME, and lxc.pivot, where the
# monitor waits while it removes the others (LXC leaves lxc.pivot behind;
# it is removed here if this test made it).
# The directory of our own cgroup in every mounted hierarchy, including
# those lib.sh does not use (freezer, devices, name=systemd), where LXC
# makes its cgroups too.
own_dirs() {
	awk '
	FNR == NR { split($0, f, ":"); own[f[2]] = f[3]; next }
	{
		sep = 0; for (i = 1; i <= NF; i++) if ($i == "-") { sep = i; break }
		if ($(sep + 1) == "cgroup2" && ("" in own)) { print $5 own[""]; next }
		if ($(sep + 1) != "cgroup") next
		n = split($(sep + 3), o, ",")
		for (c in own) for (i = 1; i <= n; i++)
			if (c != "" && split(c, cs, ",") && cs[1] == o[i]) print $5 own[c]
	}' /proc/self/cgroup /proc/self/mountinfo | sed 's:/$::' | sort -u
}
PIVOTS=()
for d in $(own_dirs); do [ -d "$d/lxc.pivot" ] || PIVOTS+=("$d/lxc.pivot"); done

lxc_cleanup() {
	local d o
	if [ -d "$LXCP/$NAME" ]; then
		lxc-stop -P "$LXCP" -n "$NAME" -k >/dev/null 2>&1
		lxc-destroy -P "$LXCP" -n "$NAME" >/dev/null 2>&1
	fi
	for d in "${PIVOTS[@]}"; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
	for o in $(own_dirs); do
		for d in "$o/lxc.payload.$NAME" "$o/lxc.monitor.$NAME"; do
			[ -d "$d" ] && { find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
			                 [ -d "$d" ] && echo "# could not remove cgroup $d"; }
		done
	done
	true
}
t_atexit lxc_cleanup

mount_points() { awk '{print $5}' /proc/self/mountinfo | sort; }
mount_points > "$WORK/mounts0"
# Live processes (zombies waiting for their reaper aside) that name our
# LXC path: LXC's monitor is "[lxc monitor] PATH NAME".
lxc_procs() {
	ps -eo pid=,stat=,args= > "$WORK/ps"   # first, so the filter is not in the list
	awk -v p="$LXCP" 'index($0, p) && $2 !~ /^Z/ {print $1}' "$WORK/ps" | xargs
}
left_behind() {
	local cg="" d o mnts procs
	for o in $(own_dirs); do
		for d in "$o/lxc.payload.$NAME" "$o/lxc.monitor.$NAME"; do
			[ -d "$d" ] && cg="$cg $d"
		done
	done
	for d in "${PIVOTS[@]}"; do [ -d "$d" ] && cg="$cg $d"; done
	mnts=$(mount_points | diff "$WORK/mounts0" - | grep '^[<>]' | xargs)
	for _ in $(seq 30); do procs=$(lxc_procs); [ -z "$procs" ] && break; sleep 0.1; done
	[ -n "$cg" ] && echo "cgroups:$cg"
	[ -n "$mnts" ] && echo "mounts: $mnts"
	[ -n "$procs" ] && echo "processes: $procs"
	true
}

# ------------------------------------------------------------ the container
cat > "$WORK/base.conf" <<EOF
lxc.net.0.type = empty
lxc.apparmor.profile = unconfined
EOF
out=$(lxc-create -P "$LXCP" -n "$NAME" -t busybox -f "$WORK/base.conf" 2>&1)
t_eq "lxc-create -t busybox makes the container" "0" "$?$( [ -f "$CFG" ] || echo " no $CFG: $out")"
[ -f "$CFG" ] || { t_done; exit 1; }
cp "$CFG" "$WORK/config0"
MEM_OWN=${CGT_MNT[memory]}$(cgt_own memory | sed 's:/$::')
host_total=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)

# config LINES...: the template's config plus our limits and LINES.
config() {
	{
		cat "$WORK/config0"
		echo "lxc.cgroup.relative = 1"
		echo "lxc.cgroup.memory.limit_in_bytes = 268435456"
		printf '%s\n' "$@"
	} > "$CFG"
}
# ct: start the container, read its MemTotal and online CPUs, stop it.
# Sets RC (of lxc-start), OUT (MemTotal in kB), ONLINE, CTMOUNTS (the
# container's mountinfo), CGS (its init's /proc/PID/cgroup), MEMLIM (the
# memory limit of the container's cgroup below ours) and LOG (LXC's log,
# where LXC copies what the hook printed, at DEBUG level).
ct() {
	local pid
	OUT="" ONLINE="" CTMOUNTS="" CGS="" MEMLIM="" RC=0
	: > "$WORK/log"
	lxc-start -P "$LXCP" -n "$NAME" -d -l DEBUG -o "$WORK/log" < /dev/null > "$WORK/err" 2>&1 || RC=$?
	if [ $RC = 0 ]; then
		pid=$(lxc-info -P "$LXCP" -n "$NAME" -p -H 2>/dev/null)
		[ -n "$pid" ] && CGS=$(cat "/proc/$pid/cgroup" 2>/dev/null)
		MEMLIM=$(cat "$MEM_OWN/lxc.payload.$NAME/memory.limit_in_bytes" 2>&1)
		OUT=$(lxc-attach -P "$LXCP" -n "$NAME" -- awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>> "$WORK/err")
		ONLINE=$(lxc-attach -P "$LXCP" -n "$NAME" -- cat /sys/devices/system/cpu/online 2>> "$WORK/err")
		CTMOUNTS=$(lxc-attach -P "$LXCP" -n "$NAME" -- cat /proc/self/mountinfo 2>> "$WORK/err")
	fi
	lxc-stop -P "$LXCP" -n "$NAME" -k >> "$WORK/err" 2>&1
	LOG=$(cat "$WORK/log")
}

# ------------------------------------------------------------ with the hook
fs_start || { t_fail "corralfs mounts"; t_done; exit 1; }
config "lxc.hook.mount = $HOOK $MNT"
ct
t_eq "lxc-start runs the container with the hook" "0" "$RC$( [ $RC = 0 ] || echo " $(cat "$WORK/err")")"
t_eq "/proc/meminfo MemTotal is lxc.cgroup.memory.limit_in_bytes" 262144 "$OUT"
t_eq "the seven /proc files and /sys/devices/system/cpu are corralfs, read-only" 8 \
	"$(grep -c ' ro,[^ ]* .* - fuse.corralfs ' <<< "$CTMOUNTS")"
t_eq "/sys/devices/system/cpu/online comes from the view" "$(cat "$MNT/sys/devices/system/cpu/online")" "$ONLINE"
bad=""
while IFS=: read -r _ ctrl path; do
	own=$(awk -F: -v c="$ctrl" '$2 == c {print $3}' /proc/self/cgroup)
	case $path in "${own%/}/lxc.payload.$NAME") ;; *) bad="$bad $ctrl:$path(own $own)";; esac
done <<< "$CGS"
t_eq "the container's cgroup is ours/lxc.payload.NAME in every hierarchy" "$(wc -l < /proc/self/cgroup) " \
	"$(grep -c . <<< "$CGS") $bad"
t_eq "the memory limit is in the container's cgroup below ours" 268435456 "$MEMLIM"

config "lxc.hook.mount = $HOOK" "lxc.environment = CORRAL_VIEWS=$MNT"
ct
t_eq "views from CORRAL_VIEWS (lxc.environment), the hook without arguments" "0 262144" "$RC $OUT"

# ------------------------------------------------------------ without it
config
ct
t_eq "without the hook: the host's MemTotal" "0 $host_total" "$RC $OUT"

# ------------------------------------------------------------ corralfs not mounted
mkdir "$WORK/empty"
config "lxc.hook.mount = $HOOK $WORK/empty"
ct
t_eq "corralfs not mounted: the container starts with the host's MemTotal" "0 $host_total" "$RC $OUT"
t_true "... and the hook logs one line naming the path" \
	test "$(grep -cF "$WORK/empty is not a live corralfs mount" <<< "$LOG")" = 1

# ------------------------------------------------------------ the hook by hand
# In a private mount namespace, on a fake rootfs (no procfs, no sysfs).
hook() { OUT=$(unshare -m --propagation private env "$@" 2>&1); RC=$?; }
R=$WORK/fakeroot
mkdir -p "$R/proc" "$R/sys/devices/system" "$WORK/outside"
hook -u LXC_ROOTFS_MOUNT "$HOOK" "$MNT" c lxc mount
t_eq "without LXC_ROOTFS_MOUNT: exit 1" "1 1" "$RC $(grep -c LXC_ROOTFS_MOUNT <<< "$OUT")"
hook LXC_ROOTFS_MOUNT="$R" "$HOOK" "$WORK/empty" c lxc mount
t_eq "not mounted: exit 0 and exactly one line" "0 1" "$RC $(wc -l <<< "$OUT")"
ln -s "$WORK/outside" "$R/sys/devices/system/cpu"
hook LXC_ROOTFS_MOUNT="$R" "$HOOK" "$MNT" c lxc mount
t_eq "a symlink leaving the rootfs is refused (exit 1)" "1 1" \
	"$RC $(grep -c "resolves to $WORK/outside, not to itself" <<< "$OUT")"
rm "$R/sys/devices/system/cpu"; mkdir "$R/sys/devices/system/cpu"
hook LXC_ROOTFS_MOUNT="$R" "$HOOK" "$MNT" c lxc mount
t_eq "no procfs in the rootfs: one line, /sys/devices/system/cpu still bound" "0 1" \
	"$RC $(grep -c "is not a procfs" <<< "$OUT")"

# ------------------------------------------------------------ cleanup
out=$(lxc-destroy -P "$LXCP" -n "$NAME" 2>&1)
t_eq "lxc-destroy removes the container" "0 no" "$? $( [ -d "$LXCP/$NAME" ] && echo yes || echo no)"
for d in "${PIVOTS[@]}"; do [ -d "$d" ] && rmdir "$d"; done
fs_stop
t_eq "no cgroup, mount or process left behind" "" "$(left_behind)"

t_done
