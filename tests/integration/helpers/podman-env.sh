# Shared by tests/integration/podman.sh and bench/podman.sh (sourced by
# bash): a podman whose whole configuration, storage, locks, events and
# temp files live in one temp directory, and whose containers' cgroups sit
# below the caller's own cgroup in every hierarchy.
#
#   pm_cgroup_parent NAME   sets PM_PARENT (absolute --cgroup-parent) and
#                           PM_CG_NEW (cgroup dirs it will create), or fails
#                           with PM_WHY
#   pm_setup DIR            writes the configuration, exports it
#   pm_import ROOTFS IMG    `podman import` of a tarball of ROOTFS
#   pm_teardown             containers, images, mounts, cgroups, DIR: gone
#
# podman, not the runtime, decides where conmon goes: with cgroupfs it is
# `<cgroup-parent>/conmon`, made in every hierarchy from the root of the
# hierarchy (an absolute path), and never removed by podman.  So the parent
# is absolute: our own cgroup's path, which on a hybrid host must be one
# path deepest in one hierarchy and an ancestor in all the others (here:
# /process_api/X in memory, / elsewhere).  The directories podman creates
# between our own cgroup and the parent in the other hierarchies are ours
# to remove (PM_CG_NEW).

# Every cgroup hierarchy mounted: "mountpoint own-path" lines.  (No
# process substitution here: the v2 VM has no /dev/fd.)
pm_hierarchies() {
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		echo "/sys/fs/cgroup $(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)"
		return
	fi
	awk 'FNR == NR {split($0, a, " - "); split(a[2], b, " ");
			if (b[1] == "cgroup2" && $4 == "/") mnt[""] = $5
			else if (b[1] == "cgroup" && $4 == "/") {
				n = split(b[3], o, ",")
				for (i = 1; i <= n; i++) if (o[i] !~ /^(rw|ro|xattr|clone_children|nsdelegate)$/) opts[$5] = opts[$5] "," o[i]
			}
			next}
		{split($0, f, ":"); ctl = f[2]; path = substr($0, length(f[1]) + length(f[2]) + 3)
		 if (ctl == "") { if ("" in mnt) print mnt[""], path; next }
		 for (m in opts) if (substr(opts[m], 2) == ctl) print m, path}' /proc/self/mountinfo /proc/self/cgroup
}

pm_cgroup_parent() {
	local name=$1 mnt own deepest=/ d
	PM_HIER=$(pm_hierarchies)
	while read -r mnt own; do
		if [ ${#own} -gt ${#deepest} ]; then deepest=$own; fi
	done <<< "$PM_HIER"
	while read -r mnt own; do
		case "$deepest/" in
		"${own%/}/"*) ;;
		*) PM_WHY="our cgroups are not one path ($own in $mnt, $deepest elsewhere): no --cgroup-parent is below all of them"
		   return 1;;
		esac
	done <<< "$PM_HIER"
	PM_PARENT=${deepest%/}/$name
	PM_CG_NEW=()
	while read -r mnt own; do
		d=$PM_PARENT
		while [ "$d" != "${own%/}" ] && [ -n "$d" ]; do
			[ -d "$mnt$d" ] || PM_CG_NEW+=("$mnt$d")
			d=${d%/*}
		done
	done <<< "$PM_HIER"
}

# pm_cg_dir CONTROLLER SUB: the directory of $PM_PARENT/SUB in the hierarchy
# holding CONTROLLER (v2: the one hierarchy).
pm_cg_dir() {
	local ctl=$1 sub=$2 mnt
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		echo "/sys/fs/cgroup$PM_PARENT/$sub"
		return
	fi
	mnt=$(awk -v c="$ctl" '{split($0, a, " - "); split(a[2], b, " "); n = split(b[3], o, ",");
		for (i = 1; i <= n; i++) if (b[1] == "cgroup" && o[i] == c) print $5}' /proc/self/mountinfo | head -1)
	echo "$mnt$PM_PARENT/$sub"
}
# The cgroup directory of podman's container ID for CONTROLLER.
pm_ct_cgroup() { pm_cg_dir "$2" "libpod-$1"; }

pm_setup() {
	PM_DIR=$1
	local d=$PM_DIR driver=overlay
	# overlay's upper layer cannot be on an overlayfs (the v2 VM's /tmp)
	[ "$(stat -f -c %T "$d")" = overlayfs ] && driver=vfs
	mkdir -p "$d/tmp" "$d/hooks.none" "$d/net" "$d/vartmp"
	cat > "$d/containers.conf" <<-EOF
	[containers]
	# within the hard limits here (no CAP_SYS_RESOURCE to raise them)
	default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
	pids_limit = 0
	log_driver = "k8s-file"
	[engine]
	cgroup_manager = "cgroupfs"
	events_logger = "file"
	tmp_dir = "$d/tmp"
	volume_path = "$d/volumes"
	image_copy_tmp_dir = "$d/vartmp"
	hooks_dir = ["$d/hooks.none"]
	# file locks under tmp_dir, not the machine-wide /dev/shm/libpod_lock
	lock_type = "file"
	# conmon runs 'podman container cleanup' with only this environment:
	# without our configuration it would look for the container elsewhere
	conmon_env_vars = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	  "CONTAINERS_CONF=$d/containers.conf", "CONTAINERS_STORAGE_CONF=$d/storage.conf",
	  "CONTAINERS_REGISTRIES_CONF=$d/registries.conf"]
	[network]
	network_backend = "cni"
	network_config_dir = "$d/net"
	EOF
	cat > "$d/storage.conf" <<-EOF
	[storage]
	driver = "$driver"
	graphroot = "$d/graph"
	runroot = "$d/run"
	EOF
	echo 'unqualified-search-registries = []' > "$d/registries.conf"
	export CONTAINERS_CONF=$d/containers.conf CONTAINERS_STORAGE_CONF=$d/storage.conf
	export CONTAINERS_REGISTRIES_CONF=$d/registries.conf TMPDIR=$d/vartmp
}

# pm_import ROOTFS IMAGE: containers/image keeps a blob-info cache in
# /var/lib/containers/cache for root, whatever the configuration says:
# import in a mount namespace of its own with a tmpfs over /var/lib.
pm_import() {
	tar -C "$1" -cf "$PM_DIR/image.tar" . &&
	unshare -m --propagation private sh -c \
		'mount -t tmpfs -o size=16m corral-podman-test /var/lib && exec podman import --quiet "$@"' \
		_ "$PM_DIR/image.tar" "$2" > /dev/null &&
	rm -f "$PM_DIR/image.tar"
}

# Mount points at or below DIR, deepest first.
pm_mounts() { awk -v d="$1" '$5 == d || index($5, d "/") == 1 {print $5}' /proc/self/mountinfo | sort -r; }

pm_teardown() {
	local m d mnt own p
	[ -n "${PM_DIR:-}" ] || return 0
	if [ -f "$PM_DIR/containers.conf" ]; then
		podman rm -af -t 0 > /dev/null 2>&1
		podman rmi -af > /dev/null 2>&1
	fi
	if [ -n "${PM_PARENT:-}" ]; then
		while read -r mnt own; do
			[ -d "$mnt$PM_PARENT" ] || continue
			for p in $(cat $(find "$mnt$PM_PARENT" -name cgroup.procs) 2> /dev/null); do
				kill -KILL "$p" 2> /dev/null
			done
		done <<< "$PM_HIER"
		while read -r mnt own; do
			[ -d "$mnt$PM_PARENT" ] || continue
			for _ in 1 2 3 4 5 6 7 8 9 10; do
				find "$mnt$PM_PARENT" -depth -type d -exec rmdir {} \; 2> /dev/null
				[ -d "$mnt$PM_PARENT" ] || break
				sleep 0.1
			done
		done <<< "$PM_HIER"
		for d in $(printf '%s\n' "${PM_CG_NEW[@]}" | awk '{print length, $0}' | sort -rn | cut -d' ' -f2-); do
			rmdir "$d" 2> /dev/null
		done
	fi
	for m in $(pm_mounts "$PM_DIR"); do umount "$m" 2> /dev/null || umount -l "$m"; done
	rm -rf --one-file-system "$PM_DIR"
	PM_DIR=""
}

# What is left of ours: cgroups, mounts, conmon or container processes.
pm_left() {
	local mnt own d
	while read -r mnt own; do
		[ -d "$mnt$PM_PARENT" ] && echo "cgroup $mnt$PM_PARENT"
	done <<< "$PM_HIER"
	for d in "${PM_CG_NEW[@]}"; do [ -d "$d" ] && echo "cgroup $d"; done
	[ -n "${PM_DIR:-}" ] && pm_mounts "$PM_DIR" | sed 's/^/mount /'
	grep -l -F "$PM_PARENT/" /proc/[0-9]*/cgroup 2> /dev/null | cut -d/ -f3 | sed 's/^/process /'
	true
}
