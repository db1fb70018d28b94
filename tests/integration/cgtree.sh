#!/usr/bin/env bash
# Root integration test of corralfs's cgroup tree (MOUNTPOINT/cgroup): a
# real unprivileged user U (and a second one, U2) in cgroups delegated the
# kernel's v2 way (chown of the directory and of cgroup.procs,
# cgroup.threads, cgroup.subtree_control, tasks), below this test's own
# cgroup in every hierarchy.  U works through the tree with
# helpers/cgop.py, which prints the exact outcome (OK or the errno name) of
# every file-system operation:
#  - the happy path: mkdir job, a 64 MiB limit, moves in and out (own pid
#    and "0"), a memory hog OOM-killed there, rmdir;
#  - the escape suite: the delegation root's own limit, root's and U2's
#    processes pulled in, U's own pushed out (also into a world-writable
#    cgroup outside: the common-ancestor rule), mkdir/rmdir/chmod/chown
#    outside, c1/c10 prefixes and "..", two pids in one write, 5000 bytes,
#    an unknown pid, a thread id to cgroup.procs vs tasks/cgroup.threads,
#    7-byte chunked reads of a cgroup.procs over 4 KiB, EBUSY rmdirs;
#  - a reader in its own pid namespace: the tree rooted at its init's
#    cgroup, the effective limit there (read-only, EPERM), "1", "0" and its
#    own pid written, pids listed in its namespace;
#  - a reader in its own cgroup namespace: the tree rooted at the
#    namespace's root, a move whose source is outside it (ENOENT), the
#    root's non-delegatable files (EPERM);
#  - the daemon never moves itself (EPERM, even for root);
#  - a directory fd the host opened, carried into a pid namespace whose root
#    excludes it: ENOENT for everything (a node another reader looked up);
#  - one user's storm of writes meets the per-user budget (EAGAIN), another
#    user's change passes meanwhile.
# On a v1/hybrid host every outcome is compared with the expected one.  On a
# cgroup v2 host (the VM lane) the kernel is the oracle: the suite runs
# twice, directly on /sys/fs/cgroup and through the tree, and every
# scenario must give the same outcome both ways, and the expected one; the
# table of both is printed.  At the end nothing is left: no cgroup, no
# process of U or U2, no mount, no user.
. "$(dirname "$0")/lib.sh"
require_root
[ -x "$CORRALFS" ] || skip_all "corralfs not built at $CORRALFS"
SYSPROBE=${SYSPROBE:-$BUILD/tests/integration/sysprobe}
[ -x "$SYSPROBE" ] || skip_all "sysprobe not built at $SYSPROBE"
for t in useradd userdel usermod groupadd groupdel setpriv unshare; do
	command -v $t > /dev/null || skip_all "no $t"
done
[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3"
PY=/usr/bin/python3

U=corral-tcg1
U2=corral-tcg2
UG=corral-tcgg   # a supplementary group of U
MIB64=67108864
MIB128=134217728
NCROWD=1100   # over 4 KiB of cgroup.procs even with 4-digit pids

# CGTREE_BASE=/sys/fs/cgroup runs the "tree" half on the kernel's files
# (to debug this script on a host without the tree).

# ------------------------------------------------------------ users
TMP=$(mktemp -d /tmp/corral-cgtree.XXXXXX)
chmod 755 "$TMP"
t_atexit "rm -rf $TMP"
cp "$(dirname "$0")/helpers/cgop.py" "$TMP/cgop.py"
cp "$SYSPROBE" "$TMP/sysprobe"
chmod 755 "$TMP/cgop.py" "$TMP/sysprobe"
CGOP=$TMP/cgop.py
SP=$TMP/sysprobe

# kill_pids PID...: SIGKILL to each argument that is a pid (a number > 1;
# never 0 or -1, which would mean a process group or everything).
kill_pids() {
	local p
	for p in "$@"; do
		[[ $p =~ ^[0-9]+$ ]] && [ "$p" -gt 1 ] && kill -KILL "$p" 2>/dev/null
	done
	return 0
}

# Every process of uid $1, by pid (only the test users' own: all started here).
pids_of_uid() {
	local f uid
	for f in /proc/[0-9]*/status; do
		uid=$(awk '$1 == "Uid:" {print $2; exit}' "$f" 2>/dev/null)
		[ "$uid" = "$1" ] && { f=${f#/proc/}; echo "${f%/status}"; }
	done
}
kill_user_procs() {
	local u uid p
	for u in "$U" "$U2"; do
		uid=$(id -u "$u" 2>/dev/null) || continue
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			p=$(pids_of_uid "$uid")
			[ -z "$p" ] && break
			kill_pids $p
			sleep 0.2
		done
	done
}
remove_users() {
	kill_user_procs
	local u
	for u in "$U" "$U2"; do
		getent passwd "$u" > /dev/null && userdel "$u"
	done
	getent group "$UG" > /dev/null && groupdel "$UG"
	return 0
}
remove_users   # left over by an aborted run
t_atexit remove_users
groupadd "$UG" || { t_fail "groupadd $UG"; t_done; exit 1; }
for u in "$U" "$U2"; do
	useradd -M -N -s /usr/sbin/nologin "$u" || { t_fail "useradd $u"; t_done; exit 1; }
done
usermod -a -G "$UG" "$U" || { t_fail "usermod -G $UG $U"; t_done; exit 1; }
UID1=$(id -u $U) GID1=$(id -g $U) UID2=$(id -u $U2)

# ------------------------------------------------------------ hierarchies
# HN: the hierarchies, by their directory name under /sys/fs/cgroup
# ("unified" alone on a v2 host, where it is /sys/fs/cgroup itself);
# H_OWN[name]: this test's own cgroup there ("" for the root).
HN=()
declare -A H_OWN
V2=0
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
	V2=1
	HN=(unified)
	H_OWN[unified]=$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
else
	while read -r mnt fstype opts; do
		name=${mnt#/sys/fs/cgroup/}
		own=""
		while IFS=: read -r _ ctrls path; do
			if [ "$fstype" = cgroup2 ]; then
				[ -z "$ctrls" ] && own=$path
			elif [ -n "$ctrls" ]; then
				ok=1
				for c in ${ctrls//,/ }; do
					case ",$opts," in *",$c,"*) ;; *) ok=0;; esac
				done
				[ $ok = 1 ] && own=$path
			fi
		done < /proc/self/cgroup
		HN+=("$name")
		H_OWN[$name]=$own
	done <<< "$(awk '$5 ~ "^/sys/fs/cgroup/[^/]+$" {split($0, a, " - "); split(a[2], b, " ");
		if (b[1] == "cgroup" || b[1] == "cgroup2") print $5, b[1], b[3]}' /proc/self/mountinfo)"
fi
for h in "${HN[@]}"; do H_OWN[$h]=${H_OWN[$h]%/}; done
# The hierarchy of the memory controller, where U works.
if [ $V2 = 1 ]; then MH=unified; else MH=memory; fi
[ -n "${H_OWN[$MH]+x}" ] || skip_all "no memory hierarchy"

# hpath BASE HIER REL: cgroup REL (relative to this test's own cgroup) of
# hierarchy HIER under BASE (/sys/fs/cgroup, or MNT/cgroup: the tree).
hpath() {
	local p
	if [ $V2 = 1 ]; then p=$1${H_OWN[$2]}; else p=$1/$2${H_OWN[$2]}; fi
	[ -n "$3" ] && p+=/$3
	echo "$p"
}
sys() { hpath /sys/fs/cgroup "$MH" "$1"; }    # the memory hierarchy, directly

D=corral-cgt-d-$$     # U's delegated cgroup
D2=corral-cgt-e-$$    # U2's
C1=corral-cgt-c1-$$   # delegated to U too
C10=corral-cgt-c10-$$ # root's, a name that has C1's as prefix
OPEN=corral-cgt-o-$$  # root's, with a cgroup.procs anyone may write
GRP=corral-cgt-g-$$   # root's, writable by group $UG (a supplementary group of U)
if [ $V2 = 1 ]; then
	LIM=memory.max
	HOME_REL=$D/shell # no internal processes: U's processes live in a leaf
	CGKEY=""
	# a file that is not delegatable, given to U at a view's root: writing
	# it there is EPERM by the root rule alone (nsdelegate's), not by DAC
	ISO=cgroup.max.depth ISOVAL=5
else
	LIM=memory.limit_in_bytes
	HOME_REL=$D
	CGKEY=memory
	ISO=memory.soft_limit_in_bytes ISOVAL=100000000
fi

# ------------------------------------------------------------ corralfs
fs_start || { t_fail "corralfs mounts"; t_done; exit 1; }
[ $V2 = 1 ] && cgt_v2_prepare   # this shell and corralfs to a leaf, controllers on

# delegate DIR USER: the kernel's way (cgroup-v2.rst "Delegation").
delegate() {
	local f
	chown "$2:" "$1" || return 1
	for f in cgroup.procs cgroup.threads cgroup.subtree_control tasks; do
		[ -e "$1/$f" ] && { chown "$2:" "$1/$f" || return 1; }
	done
	return 0
}
# mkcg HIER REL: root makes cgroup REL in HIER (cpuset: the parent's CPUs).
mkcg() {
	local dir
	dir=$(hpath /sys/fs/cgroup "$1" "$2")
	mkdir "$dir" || return 1
	CGT_DIRS+=("$dir")
	if [ -f "$dir/cpuset.cpus" ] && [ $V2 = 0 ]; then
		cat "$(dirname "$dir")/cpuset.cpus" > "$dir/cpuset.cpus"
		cat "$(dirname "$dir")/cpuset.mems" > "$dir/cpuset.mems"
	fi
}
setup_ok=1
for h in "${HN[@]}"; do
	{ mkcg "$h" "$D" && delegate "$(hpath /sys/fs/cgroup "$h" "$D")" $U &&
	  mkcg "$h" "$D2" && delegate "$(hpath /sys/fs/cgroup "$h" "$D2")" $U2; } || setup_ok=0
done
{ mkcg "$MH" "$C1" && delegate "$(sys "$C1")" $U && mkcg "$MH" "$C10" &&
  mkcg "$MH" "$OPEN" && chmod 666 "$(sys "$OPEN")/cgroup.procs" &&
  mkcg "$MH" "$GRP" && chgrp "$UG" "$(sys "$GRP")" && chmod 775 "$(sys "$GRP")"; } || setup_ok=0
if [ $V2 = 1 ]; then
	{ mkcg "$MH" "$HOME_REL" && delegate "$(sys "$HOME_REL")" $U; } || setup_ok=0
fi
t_eq "setup: users and delegated cgroups in ${#HN[@]} hierarchies" 1 "$setup_ok"
[ $setup_ok = 1 ] || { t_done; exit 1; }

# The directories U's (U2's) processes start in: HOME_REL in every hierarchy.
dirs_of() { local h; for h in "${HN[@]}"; do hpath /sys/fs/cgroup "$h" "$1"; done; }
# (no process substitution: the VM's /dev has no /dev/fd)
mapfile -t HOME_DIRS <<< "$(dirs_of "$HOME_REL")"
mapfile -t HOME2_DIRS <<< "$(dirs_of "$D2")"

# as_user USER DIR... -- CMD...: CMD as USER with all its groups, started in
# every DIR (a root wrapper writes its own pid into their cgroup.procs, then
# execs setpriv, which execs CMD).  In the background, run
# `bash -c "$AS" _ USER GID DIR... -- CMD... &` instead: $! is then CMD's pid.
AS='u=$1; g=$2; shift 2
	while [ "$1" != -- ]; do echo $$ > "$1/cgroup.procs" || exit 97; shift; done; shift
	exec setpriv --reuid="$u" --regid="$g" --init-groups --reset-env "$@"'
as_user() { local u=$1; shift; bash -c "$AS" _ "$u" "$(id -g "$u")" "$@"; }
# ucg OP... : cgop.py as U, started in U's home cgroups (u2cg: as U2 in its).
ucg() { as_user $U "${HOME_DIRS[@]}" -- $PY "$CGOP" "$@"; }
u2cg() { as_user $U2 "${HOME2_DIRS[@]}" -- $PY "$CGOP" "$@"; }

# ------------------------------------------------------------ layout
if [ $V2 = 1 ]; then
	t_eq "the tree is the unified hierarchy: same entries as /sys/fs/cgroup" \
		"$(ls /sys/fs/cgroup | xargs)" "$(ls "$MNT/cgroup" 2>&1 | xargs)"
else
	t_eq "one directory per hierarchy, named as under /sys/fs/cgroup" \
		"$(ls /sys/fs/cgroup | xargs)" "$(ls "$MNT/cgroup" 2>&1 | xargs)"
fi
t_eq "a reader in the daemon's namespaces sees the host tree ($MH/.../$D)" \
	"$(ls "$(sys "$D")" | xargs)" "$(ls "$(hpath "$MNT/cgroup" "$MH" "$D")" 2>&1 | xargs)"
t_eq "$D's $LIM through the tree is the real file's" \
	"$(cat "$(sys "$D")/$LIM")" "$(cat "$(hpath "$MNT/cgroup" "$MH" "$D")/$LIM" 2>&1)"

# ------------------------------------------------------------ scenarios
# A scenario records its outcome in RES_<mode>; on v1 it is asserted at once.
declare -A EXP RES_direct RES_tree
SCEN=()
MODE=tree
sc() {
	local name=$1 exp=$2 got=$3
	if [ "$MODE" = direct ] || [ $V2 = 1 ]; then
		[ -n "${EXP[$name]+x}" ] || SCEN+=("$name")
		EXP[$name]=$exp
	fi
	if [ "$MODE" = direct ]; then RES_direct[$name]=$got; else RES_tree[$name]=$got; fi
	[ $V2 = 1 ] || t_eq "$name" "$exp" "$got"
}
# tree-only checks (no kernel counterpart: the view's re-rooting, limits)
sc_tree() { [ "$MODE" = tree ] && t_eq "$@"; }
lines() { xargs; }   # cgop's lines on one line, blank-separated

# task_cg PID TID: the cgroup of thread TID of PID in the memory hierarchy.
task_cg() {
	if [ $V2 = 1 ]; then
		awk -F: '$1 == "0" {print $3}' "/proc/$1/task/$2/cgroup"
	else
		awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' "/proc/$1/task/$2/cgroup"
	fi
}
# tasks_in REL PID: how many of PID's threads are in cgroup REL (memory).
tasks_in() {
	local t n=0
	for t in $(ls "/proc/$2/task"); do
		[ "$(task_cg "$2" "$t")" = "${H_OWN[$MH]}/$1" ] && n=$((n + 1))
	done
	echo "$n"
}
wait_lines() {   # wait_lines FILE N: up to 60 s
	for _ in $(seq 600); do [ "$(cat "$1" 2>/dev/null | wc -l)" -ge "$2" ] && return 0; sleep 0.1; done
	return 1
}
# kill_in REL: kill every process of cgroup REL (memory) by pid, wait until empty.
kill_in() {
	local d p
	d=$(sys "$1")
	[ -f "$d/cgroup.procs" ] || return 0
	for _ in $(seq 100); do
		p=$(cat "$d/cgroup.procs")
		[ -z "$p" ] && return 0
		kill_pids $p
		sleep 0.1
	done
}
rm_cg() {  # rm_cg REL...: root removes cgroups of the memory hierarchy
	local r
	for r in "$@"; do
		[ -d "$(sys "$r")" ] || continue
		kill_in "$r"
		rmdir "$(sys "$r")" || echo "# could not remove $(sys "$r")"
	done
}

# Processes that U must not be able to move: root's, U2's.
sleep 100000 &
ROOTSLEEP=$!
CGT_PIDS+=("$ROOTSLEEP")
bash -c "$AS" _ $U2 "$(id -g $U2)" "${HOME2_DIRS[@]}" -- sleep 100000 &
U2SLEEP=$!
CGT_PIDS+=("$U2SLEEP")
for _ in $(seq 100); do [ "$(awk '$1 == "Uid:" {print $2}' /proc/$U2SLEEP/status 2>/dev/null)" = "$UID2" ] && break; sleep 0.05; done

suite() {
	MODE=$1
	local B J H n got exp tid tp out x
	if [ "$MODE" = direct ]; then B=/sys/fs/cgroup; else B=${CGTREE_BASE:-$MNT/cgroup}; fi
	P() { hpath "$B" "$MH" "$1"; }
	J=$(P "$D/job")
	H=$(P "$HOME_REL")
	echo "# ---- the suite, $MODE ($(P ""))"

	# --- the happy path
	if [ $V2 = 1 ]; then
		sc "U enables +memory +pids in its cgroup.subtree_control" OK \
			"$(ucg write "$(P "$D")/cgroup.subtree_control" "+memory +pids")"
	fi
	sc "U makes $D/job" OK "$(ucg mkdir "$J")"
	sc "job and its $LIM are owned by U" "OK $UID1 $GID1 755 OK $UID1 $GID1 644" \
		"$(ucg stat "$J" :: stat "$J/$LIM" | lines)"
	sc "U sets job's $LIM to 64 MiB" OK "$(ucg write "$J/$LIM" $MIB64)"
	if [ $V2 = 1 ]; then
		sc "U sets job's memory.swap.max to 0" OK "$(ucg write "$J/memory.swap.max" 0)"
	elif [ -f "$(sys "$D")/memory.memsw.limit_in_bytes" ]; then
		sc "U sets job's memory.memsw.limit_in_bytes to 64 MiB" OK \
			"$(ucg write "$J/memory.memsw.limit_in_bytes" $MIB64)"
	fi
	sc "U reads job's $LIM back" "OK $MIB64" "$(ucg read "$J/$LIM")"
	sc "U sets it as a shell does (O_CREAT|O_TRUNC), reads it in 3-byte chunks" "OK OK $MIB64" \
		"$(ucg writetrunc "$J/$LIM" "$MIB64
" :: read "$J/$LIM" 3 | lines)"
	sc "U moves itself into job (own pid, back with 0, in with 0), a 200 MiB hog there is OOM-killed, back out" \
		"OK OK ${H_OWN[$MH]}/$D/job OK OK OK ${H_OWN[$MH]}/$D/job OK signal SIGKILL OK OK ${H_OWN[$MH]}/$HOME_REL" \
		"$(ucg write "$J/cgroup.procs" '$SELF' :: cgline "$CGKEY" :: write "$H/cgroup.procs" 0 :: \
			write "$J/cgroup.procs" 0 :: cgline "$CGKEY" :: run "$SP" alloc 200 :: \
			write "$H/cgroup.procs" '$SELF' :: cgline "$CGKEY" | lines)"
	if [ $V2 = 1 ]; then
		n=$(awk '$1 == "oom_kill" {print $2}' "$(sys "$D/job")/memory.events" 2>&1)
	else
		n=$(awk '$1 == "oom_kill" {print $2}' "$(sys "$D/job")/memory.oom_control" 2>&1)
	fi
	sc "job counted the OOM kill" 1 "$n"

	# --- the escape suite
	sc "U writes its delegation root's own $LIM" EACCES "$(ucg write "$(P "$D")/$LIM" 1000000000)"
	sc "U pulls root's process into job" EACCES "$(ucg write "$J/cgroup.procs" $ROOTSLEEP)"
	sc "U pulls U2's process (in U2's delegated cgroup) into job" EACCES "$(ucg write "$J/cgroup.procs" $U2SLEEP)"
	sc "U pushes its own process into the test's own cgroup" EACCES "$(ucg write "$(P "")/cgroup.procs" '$SELF')"
	sc "U pushes its own process into U2's cgroup" EACCES "$(ucg write "$(P "$D2")/cgroup.procs" '$SELF')"
	sc "U pushes its own process into a cgroup outside with a world-writable cgroup.procs (common ancestor)" EACCES \
		"$(ucg write "$(P "$OPEN")/cgroup.procs" '$SELF')"
	sc "mkdir in the test's own cgroup" EACCES "$(ucg mkdir "$(P "")/corral-cgt-x-$$")"
	sc "mkdir in U2's cgroup" EACCES "$(ucg mkdir "$(P "$D2")/x")"
	sc "rmdir of U's delegation root" EACCES "$(ucg rmdir "$(P "$D")")"
	sc "rmdir of U2's cgroup" EACCES "$(ucg rmdir "$(P "$D2")")"
	sc "chmod of the test's own cgroup" EPERM "$(ucg chmod "$(P "")" 777)"
	sc "chmod of the delegation root's $LIM" EPERM "$(ucg chmod "$(P "$D")/$LIM" 666)"
	sc "chown of the delegation root to U2" EPERM "$(ucg chown "$(P "$D")" "$UID2" "$GID1")"
	sc "chown of the test's own cgroup.procs to U" EPERM "$(ucg chown "$(P "")/cgroup.procs" "$UID1" "$GID1")"
	sc "chmod of U's own job (it owns it)" "OK OK 700 OK" \
		"$(ucg chmod "$J" 700 :: stat "$J" :: chmod "$J" 755 | lines | awk '{print $1, $2, $5, $6}')"
	sc "c1 is U's: mkdir c1/x, rmdir it" "OK OK" "$(ucg mkdir "$(P "$C1")/x" :: rmdir "$(P "$C1")/x" | lines)"
	sc "c10 (c1 is a prefix) is root's: mkdir c10/x" EACCES "$(ucg mkdir "$(P "$C10")/x")"
	sc "mkdir $D/../c10/y" EACCES "$(ucg mkdir "$(P "$D")/../$C10/y")"
	sc "U moves its process into c10" EACCES "$(ucg write "$(P "$C10")/cgroup.procs" '$SELF')"
	sc "two pids in one write" EINVAL "$(ucg write "$J/cgroup.procs" '$SELF $SELF')"
	sc "two pids on two lines in one write" EINVAL "$(ucg write "$J/cgroup.procs" '$SELF
$SELF')"
	sc "a 5000-byte write" E2BIG "$(ucg writen "$J/cgroup.procs" 5000 '$SELF')"
	sc "a 4096-byte write (blanks and the pid) moves" "OK OK ${H_OWN[$MH]}/$D/job OK" \
		"$(ucg writen "$J/cgroup.procs" 4096 '$SELF' :: cgline "$CGKEY" :: write "$H/cgroup.procs" 0 | lines)"
	sc "an unknown pid" ESRCH "$(ucg write "$J/cgroup.procs" 999999999)"
	sc "not a number" EINVAL "$(ucg write "$J/cgroup.procs" abc)"
	sc "mkdir job/cgroup.procs (an interface file's name)" EEXIST "$(ucg mkdir "$J/cgroup.procs")"
	sc "rmdir of job with a child" "OK EBUSY OK" "$(ucg mkdir "$J/in" :: rmdir "$J" :: rmdir "$J/in" | lines)"
	sc "U makes a symlink, a hard link, a regular file in job; unlinks its cgroup.procs" \
		"EPERM EPERM EACCES EPERM" \
		"$(ucg symlink / "$J/l" :: link "$J/cgroup.procs" "$J/l" :: create "$J/f" :: unlink "$J/cgroup.procs" | lines)"
	[ $V2 = 1 ] && sc "U renames job (cgroup2 has no rename)" EPERM "$(ucg rename "$J" "$(P "$D")/job2")"
	sc "a supplementary group of U (group-writable cgroup): mkdir, rmdir; U2 (not in it): mkdir" \
		"OK OK EACCES" "$(ucg mkdir "$(P "$GRP")/x" :: rmdir "$(P "$GRP")/x" | lines) $(u2cg mkdir "$(P "$GRP")/x")"

	# threads: a process of U with 2 more threads, in U's home
	bash -c "$AS" _ $U $GID1 "${HOME_DIRS[@]}" -- "$SP" threads 2 > "$TMP/threads.$MODE" &
	tp=$!
	CGT_PIDS+=("$tp")
	wait_lines "$TMP/threads.$MODE" 1
	tid=$(ls /proc/$tp/task | grep -vx "$tp" | head -1)
	out=$(ucg write "$J/cgroup.procs" "$tid")
	sc "a thread id to job's cgroup.procs moves the whole process" "OK 3" "$out $(tasks_in "$D/job" $tp)"
	sc "rmdir of job with a process" EBUSY "$(ucg rmdir "$J")"
	out=$(ucg write "$H/cgroup.procs" "$tp")
	sc "U moves it back (cgroup.procs)" "OK 0" "$out $(tasks_in "$D/job" $tp)"
	if [ $V2 = 1 ]; then
		out=$(ucg write "$J/cgroup.threads" "$tid")
		sc "a thread id to job's cgroup.threads (a domain cgroup)" "EOPNOTSUPP 0" "$out $(tasks_in "$D/job" $tp)"
	else
		out=$(ucg write "$J/tasks" "$tid")
		sc "a thread id to job's tasks moves that thread only" "OK 1 ${H_OWN[$MH]}/$D/job" \
			"$out $(tasks_in "$D/job" $tp) $(task_cg $tp $tid)"
	fi
	{ kill_pids $tp; wait $tp; } 2>/dev/null

	# a cgroup.procs of over 4 KiB, read in 7-byte chunks
	mkdir "$(sys "$D/crowd")" && CGT_DIRS+=("$(sys "$D/crowd")")
	mapfile -t cdirs <<< "$(for h in "${HN[@]}"; do
		if [ "$h" = "$MH" ]; then sys "$D/crowd"; else hpath /sys/fs/cgroup "$h" "$HOME_REL"; fi; done)"
	bash -c "$AS" _ $U $GID1 "${cdirs[@]}" -- "$SP" procs $NCROWD > "$TMP/crowd.$MODE" &
	tp=$!
	CGT_PIDS+=("$tp")
	wait_lines "$TMP/crowd.$MODE" 1
	exp=$(cat "$(sys "$D/crowd")/cgroup.procs" | xargs)
	n=$(wc -c < "$(sys "$D/crowd")/cgroup.procs")
	got=$(ucg read "$(P "$D/crowd")/cgroup.procs" 7)
	x=$(ucg pread "$(P "$D/crowd")/cgroup.procs" 4000 40)
	if [ "$x" = "OK $(tail -c +4001 "$(sys "$D/crowd")/cgroup.procs" | head -c 40 | tr '\n' '|')" ]; then
		x="the kernel's 40 bytes at 4000"
	fi
	sc "cgroup.procs of $((NCROWD + 1)) processes: pread of 40 bytes at offset 4000" "the kernel's 40 bytes at 4000" "$x"
	if [ "$n" -le 4096 ]; then
		got="only $n bytes"
	elif [ "$got" = "OK $exp" ]; then
		got="$(wc -w <<< "$exp") pids, the kernel's list"
	else
		got="differs: $(head -c 200 <<< "$got")"
	fi
	sc "cgroup.procs of $((NCROWD + 1)) processes (over 4 KiB) in 7-byte reads" \
		"$((NCROWD + 1)) pids, the kernel's list" "$got"
	{ rm_cg "$D/crowd"; wait $tp; } 2>/dev/null

	sc "U removes job" OK "$(ucg rmdir "$J")"
	sc_tree "root moves the daemon itself through the tree" EPERM \
		"$($PY "$CGOP" write "$H/cgroup.procs" "$FS_PID")"

	pidns_suite
	cgns_suite
	fd_suite
	rate_suite
}

# One user's storm of changes: the daemon's per-user budget (fs/ratelimit.c:
# a burst of 400, 200 a second) answers EAGAIN once it is spent, while U2
# still gets its changes done at once, and U again a second later.  Through
# the tree only (the kernel has no such cap).
rate_suite() {
	local J out
	[ "$MODE" = tree ] || return 0
	J=$(P "$D/rl")
	sc_tree "U makes $D/rl for the storm" OK "$(ucg mkdir "$J")"
	out=$(as_user $U "${HOME_DIRS[@]}" -- $PY -c "$RATE_OPS" "$J/$LIM" $MIB64 1000)
	echo "# U's storm: $out (done, EAGAIN)"
	sc_tree "U's 1000 writes at once: at most the burst (400 + refill) done, then EAGAIN" \
		"OK" "$(awk '{ print ($1 >= 1 && $1 <= 460 && $2 >= 540 && $1 + $2 == 1000) ? "OK" : $0 }' <<< "$out")"
	sc_tree "meanwhile U2 writes its own cgroup.procs" OK \
		"$(u2cg write "$(P "$D2")/cgroup.procs" '$SELF')"
	sleep 1.2
	sc_tree "U writes again a second later" OK "$(ucg write "$J/$LIM" $MIB64)"
	rm_cg "$D/rl"
}
# write argv[2] to argv[1] argv[3] times: "<done> <EAGAIN>" (anything else: the errno)
RATE_OPS='import errno, os, sys
ok = again = 0
fd = os.open(sys.argv[1], os.O_WRONLY)
for _ in range(int(sys.argv[3])):
    try:
        os.write(fd, sys.argv[2].encode())
        ok += 1
    except OSError as e:
        if e.errno != errno.EAGAIN:
            sys.exit(errno.errorcode[e.errno])
        again += 1
print(ok, again)'


# A node another caller looked up first, reached from outside the caller's
# root: U, in the host's namespaces (the whole tree), opens U2's cgroup
# (a sibling of D: its number is a hash of its host path) and lists it
# (its names now cached by the kernel), then enters its own pid namespace
# (its root becomes its init's cgroup, HOME_REL) with that directory fd
# still open.  Every operation through the fd names a cgroup outside the
# new root: ENOENT, whatever the kernel had cached.  Through the tree only
# (the kernel's own cgroupfs has no per-reader roots).
fd_suite() {
	local dir out
	[ "$MODE" = tree ] || return 0
	dir=$(hpath "$B" "$MH" "$D2")
	mapfile -t out <<< "$(as_user $U "${HOME_DIRS[@]}" -- /bin/sh -c "exec 7< $dir && ls $dir > /dev/null &&
		$PY -c '$FD_OPS' host && exec unshare --user --map-root-user --pid --fork $PY -c '$FD_OPS' pidns" 2>&1)"
	sc_tree "U's directory fd on U2's cgroup, in the host's namespaces: list, open, stat" \
		"host OK OK OK" "${out[0]:-}"
	sc_tree "the same fd after U enters its own pid namespace (root: its init's cgroup): ENOENT" \
		"pidns ENOENT ENOENT ENOENT ENOENT" "${out[1]:-}"
}
# list fd 7, open its cgroup.procs, fstat it, (pidns) mkdir in it
FD_OPS='import errno, os, sys
def t(f):
    try:
        f()
        return "OK"
    except OSError as e:
        return errno.errorcode[e.errno]
r = [sys.argv[1], t(lambda: os.listdir(7)),
     t(lambda: os.close(os.open("cgroup.procs", os.O_RDONLY, dir_fd=7))), t(lambda: os.stat(7))]
if sys.argv[1] == "pidns":
    r.append(t(lambda: os.mkdir("x", dir_fd=7)))
print(" ".join(r))'


# A reader in its own user and pid namespace (no cgroup namespace), init (a
# shell) and the reader (pid 2) in U's home: through the tree its view is
# rooted at its init's cgroup (HOME_REL); directly, the whole hierarchy.
pidns_suite() {
	local R RP out x y listing zgot zexp pidsd PH=pids
	[ $V2 = 1 ] && PH=$MH   # one hierarchy holds pids too
	if [ "$B" = /sys/fs/cgroup ]; then
		R=$(hpath /sys/fs/cgroup "$MH" "$HOME_REL")
		RP=$(hpath /sys/fs/cgroup $PH "$HOME_REL")
	elif [ $V2 = 1 ]; then
		R=$B RP=$B
	else
		R=$B/memory RP=$B/pids
	fi
	pidsd=$(hpath /sys/fs/cgroup $PH "$D")
	echo 4000 > "$pidsd/pids.max"   # above the reaped-late crowd
	echo $MIB128 > "$(sys "$D")/$LIM"
	chown $U "$(sys "$HOME_REL")/$ISO"
	listing=$(ls "$(sys "$HOME_REL")" | sort | xargs)
	: > "$TMP/ns.out"
	chown $U "$TMP/ns.out"
	bash -c "$AS" _ $U $GID1 "${HOME_DIRS[@]}" -- unshare --user --map-root-user --pid --fork --mount-proc \
		/bin/sh -c "$PY $CGOP read $R/$LIM :: write $R/$LIM 1000000000 :: ls $R :: \
			write $R/$ISO $ISOVAL :: read $RP/pids.max :: \
			mkdir $R/sub1 :: mkdir $R/sub2 :: write $R/sub2/cgroup.procs '\$SELF' :: read $R/sub2/cgroup.procs :: \
			write $R/sub2/cgroup.procs 0 :: read $R/cgroup.procs :: write $R/sub1/cgroup.procs 1 :: \
			cgline '$CGKEY' > $TMP/ns.out; exec sleep 100000" &
	# (the init's move comes last: the view's root is its init's cgroup)
	x=$!
	CGT_PIDS+=("$x")
	wait_lines "$TMP/ns.out" 13 || true
	y=$(cat /proc/$x/task/$x/children 2>/dev/null | xargs)
	mapfile -t out < "$TMP/ns.out"
	sc_tree "pidns reader: $LIM at its view's root is the effective limit (128 MiB of $D)" \
		"OK $MIB128" "${out[0]:-}"
	# the kernel's order: DAC at open, then the root rule at write.  v1: the
	# root is D, whose limit file is root's (EACCES at open); v2: D/shell,
	# whose memory files U's own write to D's subtree_control made U's, so
	# the open passes and the write meets the root rule (EPERM)
	local limexp=EACCES
	[ $V2 = 1 ] && limexp=EPERM
	sc_tree "pidns reader: writing $LIM at its view's root ($limexp: the kernel's order)" \
		$limexp "${out[1]:-}"
	sc_tree "pidns reader: its view's root lists its init's cgroup" \
		"OK $listing" "${out[2]:-}"
	sc_tree "pidns reader: writing $ISO (U's, not delegatable) at its view's root" EPERM "${out[3]:-}"
	sc_tree "pidns reader: pids.max at its view's root is the effective limit (4000 of $D)" "OK 4000" "${out[4]:-}"
	sc "pidns reader: mkdir sub1 sub2, its own pid (2) to sub2, reads it back, 0 to sub2" \
		"OK OK OK OK 2 OK" "${out[5]:-} ${out[6]:-} ${out[7]:-} ${out[8]:-} ${out[9]:-}"
	# the unshare process (outside the namespace) is in the root too: the
	# kernel leaves it out on v1 and shows it as 0 on v2
	sc "pidns reader: its root's cgroup.procs in its pid namespace (the pids it can see)" "OK 1" \
		"$(tr ' ' '\n' <<< "${out[10]:-}" | grep -vx 0 | xargs)"
	if grep -qw 0 <<< "${out[10]:-}"; then zgot="tasks outside shown as 0"; else zgot="no 0"; fi
	if [ $V2 = 1 ]; then zexp="tasks outside shown as 0"; else zexp="no 0"; fi
	sc "pidns reader: its root's cgroup.procs, tasks outside its namespace" "$zexp" "$zgot"
	sc "pidns reader: \"1\" to sub1 moves its init (host's /proc/PID/cgroup)" \
		"OK OK ${H_OWN[$MH]}/$HOME_REL/sub2 ${H_OWN[$MH]}/$HOME_REL/sub1" \
		"${out[11]:-} ${out[12]:-} $(task_cg "$y" "$y" 2>&1)"
	{ kill_pids $y $x; wait $x; } 2>/dev/null
	rm_cg "$HOME_REL/sub1" "$HOME_REL/sub2"
	chown root "$(sys "$HOME_REL")/$ISO"
	echo max > "$pidsd/pids.max"
	echo max > "$(sys "$D")/$LIM" 2>/dev/null || echo -1 > "$(sys "$D")/$LIM"
}

# A reader in its own user, mount and cgroup namespace, made in $D/ns (a
# cgroup delegated to U); U's sleeper stays outside it, in U's home.  Its
# view: the tree rooted at its namespace's root ($D/ns); directly (v2), a
# cgroup2 mount of its own, which the kernel roots there too.
cgns_suite() {
	local R pre="" listing out usleep
	# (a v1 host's kernel has no cgroup2 memory hierarchy to compare with)
	[ "$B" = /sys/fs/cgroup ] && [ $V2 = 0 ] && return 0
	mkcg "$MH" "$D/ns" && delegate "$(sys "$D/ns")" $U && chown $U "$(sys "$D/ns")/$ISO"
	listing=$(ls "$(sys "$D/ns")" | sort | xargs)
	bash -c "$AS" _ $U $GID1 "${HOME_DIRS[@]}" -- sleep 100000 &
	usleep=$!
	CGT_PIDS+=("$usleep")
	for _ in $(seq 100); do [ "$(awk '$1 == "Uid:" {print $2}' /proc/$usleep/status 2>/dev/null)" = "$UID1" ] && break; sleep 0.05; done
	if [ "$B" = /sys/fs/cgroup ]; then
		R=$TMP/cgmnt
		mkdir -p "$R"
		pre="mount -t cgroup2 none $R && "
	else
		R=$B; [ $V2 = 0 ] && R+=/memory
	fi
	mapfile -t out <<< "$(as_user $U $(for h in "${HN[@]}"; do
		if [ "$h" = "$MH" ]; then sys "$D/ns"; else hpath /sys/fs/cgroup "$h" "$HOME_REL"; fi; done) -- \
		unshare --user --map-root-user --mount --cgroup /bin/sh -c "$pre$PY $CGOP ls $R :: mkdir $R/sub :: \
			write $R/sub/cgroup.procs $usleep :: write $R/sub/cgroup.procs '\$SELF' :: cgline '$CGKEY' :: \
			write $R/cgroup.procs '\$SELF' :: read $R/sub/cgroup.procs :: rmdir $R/sub :: write $R/$ISO $ISOVAL :: \
			write $R/$LIM 1000000000" 2>&1)"
	sc "cgroupns reader: its view's root lists its namespace's root" "OK $listing" "${out[0]:-}"
	sc "cgroupns reader: a process of U outside its namespace pulled into sub (both ends inside)" \
		"OK ENOENT" "${out[1]:-} ${out[2]:-}"
	sc "cgroupns reader: moves itself into sub (its /proc/self/cgroup) and back, rmdir sub" \
		"OK OK /sub OK OK OK" "${out[3]:-} ${out[4]:-} ${out[5]:-} ${out[6]:-} ${out[7]:-}"
	sc "cgroupns reader: writing $ISO (U's, not delegatable) at its root" EPERM "${out[8]:-}"
	# root's file: the kernel checks DAC at open, before the root rule
	sc "cgroupns reader: writing $LIM (root's) at its root" EACCES "${out[9]:-}"
	{ kill_pids $usleep; wait $usleep; } 2>/dev/null
	rm_cg "$D/ns/sub" "$D/ns"
}

# Between the rounds: U's processes (not U2's) ended, what U made removed.
round_reset() {
	local uid p
	uid=$(id -u $U)
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		p=$(pids_of_uid "$uid")
		[ -z "$p" ] && break
		kill_pids $p
		sleep 0.2
	done
	rm_cg "$GRP/x" "$D/job2" "$D/job/in" "$D/job" "$D/crowd" "$HOME_REL/sub1" "$HOME_REL/sub2" "$C1/x" "$D/ns/sub" "$D/ns"
	[ $V2 = 1 ] && echo "-memory -pids" > "$(sys "$D")/cgroup.subtree_control" 2>/dev/null
	return 0
}

umask 022
if [ $V2 = 1 ]; then
	suite direct
	round_reset
fi
suite tree
round_reset

if [ $V2 = 1 ]; then
	echo "# the kernel is the oracle: every scenario directly on /sys/fs/cgroup and through the tree"
	echo "# scenario | direct | tree | same?"
	for s in "${SCEN[@]}"; do
		d=${RES_direct[$s]-} t=${RES_tree[$s]-}
		if [ "$d" = "$t" ]; then same=yes; else same=NO; fi
		echo "# $s | $d | $t | $same"
	done
	for s in "${SCEN[@]}"; do
		d=${RES_direct[$s]-} t=${RES_tree[$s]-}
		if [ "$d" = "$t" ] && [ "$d" = "${EXP[$s]}" ]; then
			t_ok "$s: direct = tree = ${EXP[$s]}"
		else
			t_fail "$s: direct = tree = ${EXP[$s]}" "expected: '${EXP[$s]}'" "direct:   '$d'" "tree:     '$t'"
		fi
	done
fi

# ------------------------------------------------------------ nothing left
for p in "${CGT_PIDS[@]}"; do kill_pids "$p"; wait "$p" 2>/dev/null; done
CGT_PIDS=()
left_dirs=()
all_dirs=("${CGT_DIRS[@]}")
MNT0=$MNT
fs_stop
cgt_destroy
for d in "${all_dirs[@]}"; do [ -d "$d" ] && left_dirs+=("$d"); done
t_eq "no cgroup left behind" "" "${left_dirs[*]}"
t_eq "no process of $U or $U2 left" "" "$( { pids_of_uid $UID1; pids_of_uid $UID2; } | xargs)"
remove_users
t_eq "the test users and group are removed" "" "$(getent passwd $U $U2; getent group $UG)"
t_eq "no corralfs mount left" "" "$(is_mounted "$MNT0" && echo "$MNT0")"
t_done
