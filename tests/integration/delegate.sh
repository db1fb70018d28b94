#!/usr/bin/env bash
# Root integration test of `corral delegate`: a test user (corral-tdeleg)
# gets cgroups below this test's own cgroup in every mounted hierarchy
# (relative CGROUP on v1/hybrid; on v2 the absolute path of a sibling of
# the leaf the test shell moves to), and this checks, hierarchy by
# hierarchy, what the kernel's cgroup v2 delegation model says: exactly the
# directory and its delegated files are the user's, the limits are set and
# stay root's, the kernel lets the user mkdir below but not raise the
# limit; then `-- CMD` as the user, an existing cgroup refused, --remove
# with a process inside, a missing cgroup, an unknown user.  Nothing is
# left: no cgroup, no process, no user.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root (real cgroups and a test user)"
CORRAL=${CORRAL:-$BUILD/runtime/corral}
[ -x "$CORRAL" ] || skip_all "corral not built at $CORRAL (meson setup -Druntime=true)"
for t in useradd userdel setpriv; do
	command -v $t > /dev/null || skip_all "no $t on this machine"
done

TUSER=corral-tdeleg
id "$TUSER" > /dev/null 2>&1 && userdel "$TUSER"   # left by a killed run
useradd -M -N -s /usr/sbin/nologin "$TUSER" || { t_fail "useradd $TUSER"; t_done; exit 1; }
t_atexit "id $TUSER > /dev/null 2>&1 && userdel $TUSER"
TUID=$(id -u "$TUSER")
TGID=$(id -g "$TUSER")
AS_USER=(setpriv --reuid="$TUID" --regid="$TGID" --init-groups)

cgt_detect
if [ $CGT_V2 = 1 ]; then
	cgt_v2_prepare   # the shell leaves for a leaf; controllers enabled in our cgroup
	PFX=${CGT_V2_PARENT#/sys/fs/cgroup}/
else
	PFX=""
fi
NAMES=(dtest dtest2 dtest3 dtest4 dtest-nouser dtest-exit dtest-fail)
t_atexit "for n in ${NAMES[*]}; do $CORRAL delegate --remove $PFX\$n > /dev/null 2>&1; done"

# Every hierarchy, in /proc/self/mountinfo's order, one line each:
# "MOUNTPOINT OWN KEY" (OWN: this shell's cgroup there; KEY: its name in
# /proc/self/cgroup, "-" for cgroup2).
hiers() {
	python3 - <<'EOF'
own = {}
for l in open('/proc/self/cgroup'):
    _, key, path = l.rstrip('\n').split(':', 2)
    own[key] = path
seen = set()
for l in open('/proc/self/mountinfo'):
    pre, post = l.split(' - ')
    f = pre.split()
    fstype, _, sopts = post.split()
    if f[3] != '/' or fstype not in ('cgroup', 'cgroup2'):
        continue
    for key, path in own.items():
        if (fstype == 'cgroup2') != (key == '') or key in seen:
            continue
        if key == '' or all(c in sopts.split(',') for c in key.split(',')):
            seen.add(key)
            print(f[4], path, key or '-')
            break
EOF
}
mapfile -t HIERS <<< "$(hiers)"   # no /dev/fd in the v2 guest: no <(...)
# dir NAME MOUNTPOINT OWN: the cgroup NAME of that hierarchy
dir() {
	if [ -n "$PFX" ]; then echo "$2$PFX$1"; else local o=${3%/}; echo "$2$o/$1"; fi
}
# dirs NAME: the cgroup NAME in every hierarchy
dirs() {
	local h
	for h in "${HIERS[@]}"; do set -- "$1" $h; dir "$1" "$2" "$3"; done
}
# ctrl_dir NAME CONTROLLER: NAME in the hierarchy of CONTROLLER
ctrl_dir() {
	local h mp own key
	for h in "${HIERS[@]}"; do
		read -r mp own key <<< "$h"
		if [ "$key" = - ] && [ $CGT_V2 = 1 ] || [[ ",$key," == *",$2,"* ]]; then
			dir "$1" "$mp" "$own"; return
		fi
	done
}
# left NAMES...: the directories of those cgroups that exist, space-separated
left() {
	local n d out=""
	for n in "$@"; do
		for d in $(dirs "$n"); do [ -e "$d" ] && out+="$d "; done
	done
	echo "${out% }"
}
# dl ARGS...: corral delegate; sets OUT, ERR and RC.
WORK=$(mktemp -d /tmp/corral-deleg-test.XXXXXX)
t_atexit "rm -rf $WORK"
dl() { OUT=$("$CORRAL" delegate "$@" 2> "$WORK/err" < /dev/null); RC=$?; ERR=$(cat "$WORK/err"); }

t_eq "the test sees cgroup hierarchies" yes "$([ ${#HIERS[@]} -gt 0 ] && echo yes)"
echo "# hierarchies: ${HIERS[*]}"

# ------------------------------------------------------------ delegating
dl --user "$TUSER" --memory 64m --pids-limit 50 "${PFX}dtest"
t_eq "delegate dtest: exit 0, nothing printed" "0||" "$RC|$OUT|$ERR"

DELEGATED=(cgroup.procs cgroup.threads cgroup.subtree_control memory.oom.group memory.reclaim tasks)
for d in $(dirs dtest); do
	want=$(basename "$d")
	for f in "${DELEGATED[@]}"; do [ -e "$d/$f" ] && want+=$'\n'$f; done
	want=$(sort <<< "$want")
	got=$(find "$d" -maxdepth 1 -user "$TUSER" -printf '%f\n' | sort)
	t_eq "$d: exactly the directory and its delegated files are $TUSER's" "$want" "$got"
	t_eq "$d: every other file is root's" "" \
		"$(find "$d" -maxdepth 1 ! -user "$TUSER" ! -user root -printf '%f ')"
	t_eq "$d: the group is $TUSER's primary group" "$TGID" "$(stat -c %g "$d")"
done
mem=$(ctrl_dir dtest memory)
if [ $CGT_V2 = 1 ]; then memfile=$mem/memory.max; else memfile=$mem/memory.limit_in_bytes; fi
t_eq "$memfile: 64m, root's" "67108864 root" "$(cat "$memfile") $(stat -c %U "$memfile")"
pids=$(ctrl_dir dtest pids)/pids.max
t_eq "$pids: 50, root's" "50 root" "$(cat "$pids") $(stat -c %U "$pids")"

dl --user "$TUSER" "${PFX}dtest"
first=$(dirs dtest | head -1)
t_eq "delegating dtest again: exit 1, EEXIST with the path" \
	"1|corral: delegate: creating cgroup $first: File exists" "$RC|$ERR"

# ------------------------------------------------------------ the kernel's checks
for d in $(dirs dtest); do
	out=$("${AS_USER[@]}" mkdir "$d/sub" 2>&1)
	rc=$?
	t_eq "$TUSER makes $d/sub itself (it owns dtest)" "0|$TUSER" "$rc|$(stat -c %U "$d/sub" 2>&1)$out"
done
out=$("${AS_USER[@]}" sh -c "echo 1000000 > $memfile" 2>&1)
t_eq "$TUSER cannot raise dtest's own limit: EACCES" \
	"sh: 1: cannot create $memfile: Permission denied|67108864" "$out|$(cat "$memfile")"

# ------------------------------------------------------------ -- CMD
want=""
while IFS=: read -r id key path; do
	hit=""
	for h in "${HIERS[@]}"; do [ "${h##* }" = "${key:--}" ] && hit=1; done
	if [ -z "$hit" ]; then want+="$id:$key:$path"$'\n'
	elif [ -n "$PFX" ]; then want+="$id:$key:${PFX}dtest2"$'\n'
	else want+="$id:$key:${path%/}/dtest2"$'\n'; fi
done < /proc/self/cgroup
dl --user "$TUSER" --memory 64m --cpus 0.5 "${PFX}dtest2" -- sh -c 'cat /proc/self/cgroup; id -u; echo "$HOME $USER $LOGNAME"'
t_eq "delegate dtest2 -- CMD: CMD runs in dtest2 in every hierarchy as $TUSER" \
	"0|${want}$TUID"$'\n'"/home/$TUSER $TUSER $TUSER|" "$RC|$OUT|$ERR"
cpu=$(ctrl_dir dtest2 cpu)
if [ $CGT_V2 = 1 ]; then
	t_eq "--cpus 0.5: $cpu/cpu.max" "50000 100000" "$(cat "$cpu/cpu.max")"
else
	t_eq "--cpus 0.5: $cpu/cpu.cfs_quota_us" "50000 100000" \
		"$(cat "$cpu/cpu.cfs_quota_us") $(cat "$cpu/cpu.cfs_period_us")"
fi
dl --user "$TUID" --group 0 "${PFX}dtest-exit" -- sh -c 'echo $(id -u) $(id -g) $USER; exit 7'
t_eq "numeric USER and GROUP; CMD's exit status is corral's" "7|$TUID 0 $TUSER|" "$RC|$OUT|$ERR"
t_eq "dtest-exit's directory is $TUID:0" "$TUID:0" "$(stat -c %u:%g "$(dirs dtest-exit | head -1)")"
dl --remove "${PFX}dtest-exit"
t_eq "--remove dtest-exit" "0||" "$RC|$OUT|$ERR"

# ------------------------------------------------------------ --remove
"$CORRAL" delegate --user "$TUSER" "${PFX}dtest3" -- sleep 1000 &
bg=$!
CGT_PIDS+=("$bg")
procs=$(ctrl_dir dtest3 pids)/cgroup.procs
for _ in $(seq 100); do [ -s "$procs" ] && break; sleep 0.05; done
sleeper=$(cat "$procs" 2>/dev/null)
t_eq "sleep runs in dtest3 as $TUSER" "$TUSER" "$(ps -o user= -p "${sleeper:-0}")"
dl --remove "${PFX}dtest3"
t_eq "--remove dtest3 with a process inside: exit 0, nothing printed" "0||" "$RC|$OUT|$ERR"
wait "$bg"
t_eq "the sleep was killed (corral's status 128+9)" 137 "$?"
t_eq "no dtest3 left in any hierarchy" "" "$(left dtest3)"
# the user moves its own process into a sub-cgroup it made (kernel rules:
# it owns dtest4's cgroup.procs, the common ancestor's, and sub's)
d4=$(ctrl_dir dtest4 pids)
"$CORRAL" delegate --user "$TUSER" "${PFX}dtest4" -- \
	sh -c "mkdir $d4/sub && echo \$\$ > $d4/sub/cgroup.procs && exec sleep 1000" &
bg=$!
CGT_PIDS+=("$bg")
for _ in $(seq 100); do [ -s "$d4/sub/cgroup.procs" ] && break; sleep 0.05; done
sleeper=$(cat "$d4/sub/cgroup.procs" 2>/dev/null)
t_eq "$TUSER's sleep moved itself into dtest4/sub" "$TUSER" "$(ps -o user= -p "${sleeper:-0}")"
dl --remove "${PFX}dtest4"
t_eq "--remove dtest4 with a process in a sub-cgroup" "0||" "$RC|$OUT|$ERR"
wait "$bg"
t_eq "that sleep was killed too" 137 "$?"
t_eq "no dtest4 left in any hierarchy" "" "$(left dtest4)"
dl --remove "${PFX}dtest"
t_eq "--remove dtest (with $TUSER's sub-cgroups)" "0||" "$RC|$OUT|$ERR"
dl --remove "${PFX}dtest2"
t_eq "--remove dtest2" "0||" "$RC|$OUT|$ERR"
dl --remove "${PFX}dtest"
t_eq "--remove of a missing cgroup: exit 1" \
	"1|corral: delegate: no delegated cgroup ${PFX}dtest" "$RC|$ERR"

# ------------------------------------------------------------ bad input
dl --user corral-tnouser --memory 64m "${PFX}dtest-nouser"
t_eq "an unknown user: exit 125, named" \
	"125|corral: delegate: no such user 'corral-tnouser'" "$RC|$ERR"
t_eq "nothing made for the unknown user" "" "$(left dtest-nouser)"
dl --user "$TUSER" --group corral-tnogroup "${PFX}dtest-nouser"
t_eq "an unknown group: exit 125, named" \
	"125|corral: delegate: no such group 'corral-tnogroup'" "$RC|$ERR"

dl --user "$TUSER" --memory 64m --cpuset-cpus 4095 "${PFX}dtest-fail"
t_eq "a limit the kernel refuses: exit 1, the file named" "1|yes" \
	"$RC|$([[ $ERR == "corral: delegate: "*cpuset.cpus* ]] && echo yes)"
echo "# $ERR"
t_eq "nothing left of the failed delegation, in any hierarchy" "" "$(left dtest-fail)"
if [ -n "${CGT_V2_RUNNER:-}" ]; then
	# relative: below the leaf this shell (so corral) is in
	t_atexit "$CORRAL delegate --remove dtest-busy > /dev/null 2>&1"
	dl --user "$TUSER" dtest-busy
	t_eq "v2: below corral's own cgroup, which has processes: exit 1, the rule named" \
		"1|yes" "$RC|$([[ $ERR == *"no-internal-processes rule"* ]] && echo yes)"
	echo "# $ERR"
	t_eq "nothing left of it" "" "$([ -e "$CGT_V2_RUNNER/dtest-busy" ] && echo there)"
fi

# ------------------------------------------------------------ nothing left
t_eq "no delegated cgroup left" "" "$(left "${NAMES[@]}")"
t_eq "no process of $TUSER left" "" "$(ps -o pid= -u "$TUID")"
userdel "$TUSER"
t_eq "$TUSER removed" "" "$(id "$TUSER" 2>/dev/null)"
t_done
