#!/usr/bin/env bash
# The cgroup v2 lane: boots Debian's own kernel under qemu (TCG, no KVM) on
# a pure cgroup v2 hierarchy and runs the root integration suite there.
#
#   bash tests/vm/run.sh [--timeout SECONDS] [--build DIR] [--cgroup nested|root]
#                        [--keep] [--verbose] [--run SCRIPT]
#
# The guest's root file system is the host's, shared read-only over
# virtio-9p with a tmpfs overlay on top, so it runs the same bash, python3,
# node, meson and corralfs at the same paths as the host.  The initramfs
# (busybox-static, the kernel modules for virtio, 9p, overlay, fuse and loop)
# only mounts that and hands over to tests/vm/guest-init.sh.  The kernel
# package is fetched with apt-get download (never installed) and unpacked
# with dpkg -x; it and the initramfs are cached under $CORRAL_VM_CACHE
# (default /var/cache/corral-vm), which is reused when present and rebuilt
# when not.  --cgroup: each test starts alone in a child cgroup of the root
# (nested, the default, as on a host) or in the root cgroup itself.
# --keep keeps the console log; --verbose shows the console as it comes;
# --run runs a bash SCRIPT in the guest instead of the suite (debugging).
# Exit status: the guest's meson status, or 1 if the guest did
# not report (hang, time limit, crash), with the whole console log shown.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$REPO/build}
CACHE=${CORRAL_VM_CACHE:-/var/cache/corral-vm}
TIMEOUT=1800
KEEP=0
VERBOSE=0
CGMODE=nested
RUN=""
MODULES=(virtio_pci 9pnet_virtio 9p overlay fuse loop)

usage() { sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0"; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) TIMEOUT=${2:?--timeout needs a number of seconds}; shift;;
	--build) BUILD=${2:?--build needs a directory}; shift;;
	--cgroup) CGMODE=${2:?--cgroup needs nested or root}; shift;;
	--run) RUN=$(realpath "${2:?--run needs a script}"); shift;;
	--keep) KEEP=1;;
	--verbose|-v) VERBOSE=1;;
	-h|--help) usage;;
	*) echo "run.sh: unknown argument '$1'" >&2; usage 2 >&2;;
	esac
	shift
done

say() { echo "== v2 lane: $*"; }
die() { echo "== v2 lane: FAIL: $*" >&2; exit 1; }

# ------------------------------------------------------------ checks
[ "$(id -u)" = 0 ] || die "needs root (the guest reads the whole host root as root, and the tests need root)"
BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || die "no build directory (meson setup build && ninja -C build)"
[ -x "$BUILD/fs/corralfs" ] || die "corralfs is not built in $BUILD"
case $CGMODE in nested|root) ;; *) die "--cgroup is nested or root, not '$CGMODE'";; esac
case "$REPO$BUILD$RUN" in *[[:space:]]*) die "the repository and build paths must not contain spaces";; esac
for t in qemu-system-x86_64 apt-get apt-cache dpkg depmod modinfo gzip flock; do
	command -v "$t" >/dev/null || die "$t is missing (bash .ci/deps installs it)"
done
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || die "no $BUSYBOX (Debian's busybox-static)"

TMP=$(mktemp -d /tmp/corral-vm.XXXXXX)
QPID=""
cleanup() {
	if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then kill -KILL "$QPID" 2>/dev/null || true; fi
	if [ $KEEP = 1 ]; then echo "== v2 lane: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

# ------------------------------------------------------------ kernel
# Prints the directory the kernel package is unpacked in.
kernel_fetch() {
	local pkg deb dl kdir
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ {print $2; exit}')
	if [ -z "$pkg" ]; then
		apt-get update -qq >&2 || true
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ {print $2; exit}')
	fi
	[ -n "$pkg" ] || { echo "cannot resolve linux-image-amd64 with apt-cache" >&2; return 1; }
	deb=$(ls "$CACHE/${pkg}_"*_amd64.deb 2>/dev/null | sort -V | tail -1)
	if [ -z "$deb" ]; then
		echo "== v2 lane: downloading $pkg" >&2
		dl=$(mktemp -d "$CACHE/download.XXXXXX")
		(cd "$dl" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2) || { rm -rf "$dl"; return 1; }
		mv "$dl"/"${pkg}_"*_amd64.deb "$CACHE/"
		rm -rf "$dl"
		deb=$(ls "$CACHE/${pkg}_"*_amd64.deb | sort -V | tail -1)
	fi
	kdir=${deb%.deb}
	if [ ! -f "$kdir/.unpacked" ]; then
		echo "== v2 lane: unpacking ${deb##*/}" >&2
		rm -rf "$kdir" "$kdir.tmp"
		dpkg -x "$deb" "$kdir.tmp" >&2 || { rm -rf "$kdir.tmp"; return 1; }
		touch "$kdir.tmp/.unpacked"
		mv "$kdir.tmp" "$kdir"
	fi
	echo "$kdir"
}

# ------------------------------------------------------------ initramfs
# module_closure KDIR VER MOD...: the .ko files of MODs and their dependencies.
module_closure() {
	local kdir=$1 ver=$2 f n; shift 2
	declare -A ko=() seen=()
	while read -r f; do
		n=${f##*/}; n=${n%%.ko*}; ko[${n//-/_}]=$f
	done < <(find "$kdir/lib/modules/$ver/kernel" -name '*.ko*')
	local todo=("$@")
	while [ ${#todo[@]} -gt 0 ]; do
		n=${todo[0]//-/_}; todo=("${todo[@]:1}")
		[ -n "${seen[$n]:-}" ] && continue
		seen[$n]=1
		f=${ko[$n]:-}
		if [ -z "$f" ]; then
			grep -q "/${n}.ko" "$kdir/lib/modules/$ver/modules.builtin" 2>/dev/null && continue
			grep -q "/${n//_/-}.ko" "$kdir/lib/modules/$ver/modules.builtin" 2>/dev/null && continue
			echo "module $n not found in $kdir" >&2; return 1
		fi
		echo "$f"
		for d in $(modinfo -F depends "$f" | tr ',' ' '); do todo+=("$d"); done
	done
}

# Prints the path of the (cached) initramfs for kernel VER in KDIR.
initrd_build() {
	local kdir=$1 ver=$2 mods key out st f rel a
	mods=$(module_closure "$kdir" "$ver" "${MODULES[@]}") || return 1
	key=$( { echo "$ver"; echo "${mods//"$kdir"/}"; cat "$BUSYBOX" "$HERE/init"; } | sha256sum | cut -c1-16)
	out=$CACHE/initrd-$ver-$key.gz
	if [ ! -f "$out" ]; then
		echo "== v2 lane: building the initramfs" >&2
		st=$TMP/initramfs
		mkdir -p "$st"/{bin,dev,proc,sys,lower,rw,newroot} "$st/lib/modules/$ver"
		cp "$BUSYBOX" "$st/bin/busybox"
		for a in $("$BUSYBOX" --list); do [ "$a" = busybox ] || ln -s busybox "$st/bin/$a"; done
		mknod -m 600 "$st/dev/console" c 5 1
		cp "$HERE/init" "$st/init"; chmod 755 "$st/init"
		for f in $mods; do
			rel=${f#"$kdir/lib/modules/$ver/"}
			mkdir -p "$st/lib/modules/$ver/$(dirname "$rel")"
			cp "$f" "$st/lib/modules/$ver/$rel"
		done
		for f in modules.order modules.builtin modules.builtin.modinfo; do
			[ -f "$kdir/lib/modules/$ver/$f" ] && cp "$kdir/lib/modules/$ver/$f" "$st/lib/modules/$ver/"
		done
		depmod -b "$st" "$ver" || return 1
		(cd "$st" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null) | gzip -1 > "$out.tmp"
		rm -f "$CACHE"/initrd-"$ver"-*.gz
		mv "$out.tmp" "$out"
		rm -rf "$st"
	fi
	echo "$out"
}

T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}'; }

mkdir -p "$CACHE"
exec 9> "$CACHE/.lock"
flock 9
KDIR=$(kernel_fetch) || die "could not get Debian's kernel package"
VER=$(ls "$KDIR/lib/modules" | head -1)
VMLINUZ=$KDIR/boot/vmlinuz-$VER
[ -f "$VMLINUZ" ] || die "no $VMLINUZ"
INITRD=$(initrd_build "$KDIR" "$VER") || die "could not build the initramfs"
flock -u 9

# ------------------------------------------------------------ boot
LOG=$TMP/console.log
: > "$LOG"
APPEND="console=ttyS0 quiet loglevel=3 panic=-1 psi=1 cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1"
APPEND+=" CORRAL_REPO=$REPO CORRAL_BUILD=$BUILD CORRAL_VM_CGROUP=$CGMODE"
[ -n "$RUN" ] && APPEND+=" CORRAL_VM_RUN=$RUN"
say "kernel $VER (${KDIR##*/}), qemu TCG, 2 CPUs, 2 GiB, time limit ${TIMEOUT} s (prep $(elapsed) s)"
qemu-system-x86_64 -name corral-v2 -accel tcg,thread=multi -cpu max -smp 2 -m 2048 \
	-nographic -monitor none -serial "file:$LOG" -no-reboot -nic none \
	-kernel "$VMLINUZ" -initrd "$INITRD" -append "$APPEND" \
	-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	< /dev/null > "$TMP/qemu.out" 2>&1 &
QPID=$!
TAIL=""
if [ $VERBOSE = 1 ]; then tail -n +1 -f --pid="$QPID" "$LOG" & TAIL=$!; fi

deadline=$(( $(date +%s) + TIMEOUT ))
booted="" timed_out=0 reported=""
while kill -0 "$QPID" 2>/dev/null; do
	if [ -z "$booted" ] && grep -q 'CORRAL-VM-BOOTED' "$LOG"; then
		booted=$(elapsed)
		[ $VERBOSE = 1 ] || say "guest booted after $booted s, running the integration suite"
	fi
	if [ -z "$reported" ] && grep -q 'CORRAL-VM-RESULT' "$LOG"; then
		reported=$(date +%s)
	fi
	# A guest that reported but does not power off is ended after 20 s.
	if [ -n "$reported" ] && [ $(( $(date +%s) - reported )) -gt 20 ]; then
		kill -KILL "$QPID" 2>/dev/null || true
		break
	fi
	if [ "$(date +%s)" -ge "$deadline" ]; then
		timed_out=1
		kill -KILL "$QPID" 2>/dev/null || true
		break
	fi
	sleep 0.5
done
wait "$QPID" 2>/dev/null && qrc=0 || qrc=$?
QPID=""
[ -n "$TAIL" ] && { kill "$TAIL" 2>/dev/null || true; wait "$TAIL" 2>/dev/null || true; }

# ------------------------------------------------------------ verdict
CLEAN=$TMP/console.txt
# Plain text: no carriage returns, no terminal escapes (the firmware's).
tr -d '\r' < "$LOG" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[c]//g' > "$CLEAN"
result=$(sed -n 's/^.*CORRAL-VM-RESULT rc=\([0-9]*\).*/\1/p' "$CLEAN" | tail -1)
if [ $VERBOSE = 0 ]; then
	echo "---- guest: integration suite on cgroup v2 ----"
	sed -n '/^CORRAL-VM-TESTS-BEGIN/,/^CORRAL-VM-TESTS-END/{/^CORRAL-VM-TESTS-/!p}' "$CLEAN"
	echo "---- end of guest output ----"
fi
tests_s=$(sed -n 's/^CORRAL-VM-TESTS-END seconds=//p' "$CLEAN")
show_console() {
	echo "---- full console log ----"
	cat "$CLEAN"
	echo "---- qemu ----"
	cat "$TMP/qemu.out"
	echo "---- end ----"
}
if [ $timed_out = 1 ]; then
	show_console
	die "the guest did not finish within $TIMEOUT s (killed)"
fi
if [ -z "$result" ]; then
	show_console
	die "the guest did not report a result (qemu exit status $qrc)"
fi
if [ "$result" != 0 ]; then
	show_console
	die "the integration suite failed in the guest (rc=$result; boot ${booted:-?} s, tests ${tests_s:-?} s, total $(elapsed) s)"
fi
say "PASS (boot ${booted:-?} s, tests ${tests_s:-?} s, total $(elapsed) s)"
