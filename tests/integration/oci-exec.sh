#!/usr/bin/env bash
# Root integration test of `corral exec` (runc 1.1's exec): a new process
# in a running container shares the init's namespaces (pid, mount, net,
# ipc, uts, cgroup), its cgroup in every hierarchy and its seccomp filter;
# takes --env/--cwd/--user or a --process file (capabilities, consoleSize);
# exit codes propagate; --detach/--pid-file, --tty with and without a
# --console-socket, --preserve-fds; runc's error messages and exit codes;
# nothing left behind; exec takes its filter through the compiled-filter
# cache as create does.  The containers are set up as in oci.sh: a busybox
# rootfs, `runc spec` configs edited by python3 (one bundle per container,
# since exec reads the bundle's config.json), cgroups below our own.
. "$(dirname "$0")/lib.sh"
require_root
command -v python3 > /dev/null || skip_all "no python3"
OCI_TAG=exec
. "$(dirname "$0")/oci-lib.sh"
BG_PIDS=()
# At exit, before oci-lib's cleanup (containers, then cgroups): our
# background jobs.
bg_cleanup() { local p; for p in "${BG_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; }
t_atexit bg_cleanup

# gone PID: the process ended (gone, or a zombie waiting for its reaper).
gone() {
	local _
	for _ in $(seq 100); do
		[ -e "/proc/$1" ] || return 0
		[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ] && return 0
		sleep 0.05
	done
	return 1
}
ns_of() { for n in pid mnt net ipc uts cgroup; do printf '%s ' "$(readlink "/proc/$1/ns/$n")"; done; }

# ------------------------------------------------------------ the bundles
echo "only in the rootfs" > "$ROOTFS/exec-marker"

# config ID SCRIPT: WORK/bundle-ID/config.json for container ID running
# `sh -c SCRIPT` (oci-lib's config: 64 MiB memory limit) on the shared
# rootfs, with a cgroup namespace, runc's default devices and a seccomp
# filter that makes mkdir/mkdirat fail with EPERM.
EXEC_PY='
c["root"] = {"path": W + "/bundle/rootfs", "readonly": False}
lin = c["linux"]
if not any(n["type"] == "cgroup" for n in lin["namespaces"]):  # runc spec has it on v2
    lin["namespaces"].append({"type": "cgroup"})
# the devices runc allows in every container (its AllowedDevices), listed
# since corral does not add them at create yet
lin["resources"]["devices"] = [{"allow": False, "access": "rwm"}] + [
    {"allow": True, "type": "c", "major": 1, "minor": mi, "access": "rwm"} for mi in (3, 5, 7, 8, 9)] + [
    {"allow": True, "type": "c", "major": 5, "minor": mi, "access": "rwm"} for mi in (0, 2)] + [
    {"allow": True, "type": "c", "major": 136, "access": "rwm"}]
lin["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW",
                  "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
'
config() {
	mkdir -p "$WORK/bundle-$1"
	oci_config "$WORK/bundle-$1/config.json" "$1" "$2" "$EXEC_PY"
}
# process FILE JSON-OVERRIDES: a process.json from runc spec's process.
process() {
	python3 - "$WORK/spec.json" "$1" "$2" <<'PY'
import json, sys
src, dst, over = sys.argv[1:]
p = json.load(open(src))["process"]
p["terminal"] = False
p["capabilities"].pop("ambient", None)
p.update(json.loads(over))
json.dump(p, open(dst, "w"))
PY
}

ID=exec-$$-a
config "$ID" 'exec sleep 1000'
# create compiles the seccomp filter into a cache of our own (seccomp-cache.c)
mkdir -m 700 "$WORK/sc-create" "$WORK/sc-exec"
CORRAL_SECCOMP_CACHE="$WORK/sc-create" oc create --bundle "$WORK/bundle-$ID" --pid-file "$WORK/init.pid" "$ID"
t_eq "create of the container exits 0" "0 " "$RC $ERR"
oc start "$ID"
INIT=$(cat "$WORK/init.pid" 2>/dev/null)
t_eq "the container runs" running "$(status "$ID")"

# ------------------------------------------------ exit codes and output
oc exec "$ID" true
t_eq "exec true: exit 0" "0  " "$RC $OUT $ERR"
oc exec "$ID" sh -c 'echo to-stdout; echo to-stderr >&2; exit 3'
t_eq "exec sh -c 'exit 3': exit 3, stdout and stderr captured" "3 to-stdout to-stderr" "$RC $OUT $ERR"
oc exec "$ID" sh -c 'kill -KILL $$'
t_eq "a process killed by SIGKILL: 137" "137" "$RC"
oc exec "$ID" no-such-command
t_eq "a missing command: runc's message and exit status 255" \
	"255 corral: exec failed: unable to start container process: exec: \"no-such-command\": executable file not found in \$PATH" \
	"$RC $ERR"
oc exec "$ID" /no/such/path
t_eq "a missing path: exit 255, the error names it" \
	"255 corral: exec failed: unable to start container process: exec: \"/no/such/path\": No such file or directory" \
	"$RC $ERR"
t_eq "the failed execs left no process in the container's cgroup" "$INIT" \
	"$(cat "$(ct_dir memory "$ID")/cgroup.procs" | xargs)"

# ------------------------------------------------ namespaces and cgroup
oc exec "$ID" sh -c 'echo $$; cat /proc/1/cmdline | tr "\0" " "'
t_eq "pid namespace: the init is pid 1, the exec'd shell a small pid" "sleep 1000" \
	"$(sed -n 2p <<< "$OUT" | sed 's/ $//')"
t_true "... and the shell's pid is the container's ($(head -1 <<< "$OUT"))" test "$(head -1 <<< "$OUT")" -lt 100
oc exec "$ID" cat /exec-marker
t_eq "mount namespace: the rootfs's files" "only in the rootfs" "$OUT"
oc exec "$ID" sh -c 'test -e /usr/lib/os-release || test -e /etc/debian_version || echo no-host-files'
t_eq "... and not the host's" "no-host-files" "$OUT"
oc exec "$ID" sh -c 'grep -v ":/\$" /proc/self/cgroup; echo end'
t_eq "cgroup namespace: every line of /proc/self/cgroup is its root" "end" "$OUT"

oc exec -d --pid-file "$WORK/x.pid" "$ID" sleep 100
XP=$(cat "$WORK/x.pid" 2>/dev/null)
t_eq "exec --detach exits 0 at once" "0 " "$RC $ERR"
t_true "--pid-file names a live process ($XP)" kill -0 "$XP"
t_eq "... it runs the command" "sleep 100" "$(tr '\0' ' ' < "/proc/$XP/cmdline" 2>/dev/null | sed 's/ $//')"
t_eq "... in the init's namespaces (pid mnt net ipc uts cgroup)" "$(ns_of "$INIT")" "$(ns_of "$XP")"
t_eq "... in the init's cgroup in every hierarchy" "$(cat "/proc/$INIT/cgroup")" "$(cat "/proc/$XP/cgroup" 2>/dev/null)"
t_true "... listed in the container's cgroup.procs" grep -qx "$XP" "$(ct_dir memory "$ID")/cgroup.procs"
kill -TERM "$XP"
t_true "... and it ends when killed" gone "$XP"

CORRAL_EXEC_NO_PIDFD=1 "${C[@]}" exec -d --pid-file "$WORK/y.pid" "$ID" sleep 100 < /dev/null > /dev/null 2>&1
YP=$(cat "$WORK/y.pid" 2>/dev/null)
t_eq "through /proc/PID/ns (no pidfd): the init's namespaces" "$(ns_of "$INIT")" "$(ns_of "$YP")"
t_eq "... and cgroup" "$(cat "/proc/$INIT/cgroup")" "$(cat "/proc/$YP/cgroup" 2>/dev/null)"
kill -KILL "$YP"; gone "$YP"

# ------------------------------------------------- the process's settings
oc exec --user 1000:100 --cwd /tmp -e FOO=bar -e PATH=/bin "$ID" sh -c 'echo $(id -u):$(id -g) $(pwd) $FOO $PATH'
t_eq "--user, --cwd, --env (PATH replaced)" "0 1000:100 /tmp bar /bin" "$RC $OUT"
oc exec --user 7 --additional-gids 20 --additional-gids 21 "$ID" id
t_eq "--user UID keeps the config's gid; --additional-gids" "uid=7 gid=0(root) groups=20,21" "$OUT"
oc exec -e FOO=bar "$ID" sh -c 'echo $TERM $FOO'
t_eq "the config's env is the base (TERM), --env adds to it" "xterm bar" "$OUT"
oc exec "$ID" sh -c 'mkdir /tmp/denied; echo rc=$?; touch /tmp/allowed && echo touched'
t_eq "the container's seccomp filter applies (mkdir: EPERM, touch works)" \
	"rc=1 touched" "$(grep -v mkdir: <<< "$OUT" | xargs)"
t_true "... with the EPERM message ($ERR)" grep -q "mkdir: can't create directory '/tmp/denied': Operation not permitted" <<< "$ERR"
oc exec "$ID" grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status
t_eq "seccomp mode 2 and no_new_privs (runc spec's noNewPrivileges)" "NoNewPrivs: 1 Seccomp: 2" "$(xargs <<< "$OUT")"
# exec takes its filter through the compiled-filter cache, as create does:
# it stores the very program create stored, under the same name (the
# profile's hash) ...
KEY=$(ls "$WORK/sc-create")
CORRAL_SECCOMP_CACHE="$WORK/sc-exec" oc exec "$ID" true
t_eq "exec stores its compiled filter in the cache, under create's name ($KEY)" "0 $KEY" \
	"$RC $(ls "$WORK/sc-exec")"
t_true "... the same program as create's, byte for byte" cmp "$WORK/sc-create/$KEY" "$WORK/sc-exec/$KEY"
# ... and runs the cached program: one whose mkdir answer is edited from
# ERRNO(EPERM) to ERRNO(ENOENT) makes the exec'd mkdir fail with ENOENT.
EDITED=$(python3 - "$WORK/sc-exec/$KEY" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
n = 0
for off in range(0, len(data), 8):
    code, jt, jf, k = struct.unpack_from("=HBBI", data, off)
    if code == 0x06 and k == 0x00050001:  # BPF_RET|BPF_K, SECCOMP_RET_ERRNO|EPERM
        struct.pack_into("=HBBI", data, off, code, jt, jf, 0x00050002)
        n += 1
open(sys.argv[1], "wb").write(data)
print(n)
PY
)
t_eq "... its one return of ERRNO(EPERM) edited" 1 "$EDITED"
CORRAL_SECCOMP_CACHE="$WORK/sc-exec" oc exec "$ID" mkdir /tmp/cached
t_eq "exec loads the cached program (mkdir: ENOENT from the edited cache entry)" \
	"1 mkdir: can't create directory '/tmp/cached': No such file or directory" "$RC $ERR"

process "$WORK/p1.json" '{"args": ["sh", "-c", "grep CapEff /proc/self/status; id -u; pwd; echo $X"],
  "env": ["PATH=/bin", "X=from-json"], "cwd": "/tmp",
  "capabilities": {"bounding": ["CAP_CHOWN", "CAP_KILL"], "effective": ["CAP_CHOWN", "CAP_KILL"],
                   "permitted": ["CAP_CHOWN", "CAP_KILL"]}}'
oc exec --process "$WORK/p1.json" "$ID"
t_eq "--process: args, env, cwd, capabilities (CapEff = CHOWN|KILL)" \
	"0 CapEff: 0000000000000021 0 /tmp from-json" "$RC $(xargs <<< "$OUT")"
process "$WORK/p2.json" '{"args": ["id", "-u"], "user": {"uid": 1234, "gid": 1234}}'
oc exec -p "$WORK/p2.json" "$ID"
t_eq "--process: user" "0 1234" "$RC $OUT"
process "$WORK/p3.json" '{"args": ["sh", "-c", "ulimit -n"], "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 321, "hard": 321}]}'
oc exec -p "$WORK/p3.json" "$ID"
t_eq "--process: rlimits" "0 321" "$RC $OUT"

echo "passed on fd 3" > "$WORK/fd3"
"${C[@]}" exec --preserve-fds 1 "$ID" sh -c 'cat <&3' 3< "$WORK/fd3" > "$WORK/out" 2>&1 < /dev/null
t_eq "--preserve-fds 1 passes fd 3" "passed on fd 3" "$(cat "$WORK/out")"
"${C[@]}" exec "$ID" sh -c '[ -e /proc/self/fd/3 ] && echo open || echo closed' 3< "$WORK/fd3" > "$WORK/out" 2>&1 < /dev/null
t_eq "without it fd 3 is closed" "closed" "$(cat "$WORK/out")"

# ------------------------------------------------------------ signals
"${C[@]}" exec "$ID" sh -c 'trap "exit 9" TERM; echo ready; while :; do sleep 0.1; done' > "$WORK/sig" 2>&1 < /dev/null &
CP=$!; BG_PIDS+=("$CP")
for _ in $(seq 100); do grep -q ready "$WORK/sig" && break; sleep 0.05; done
# corral joined the container's pid namespace only for the fork of its
# child: what it forks later (a sanitizer's leak checker, a helper) is born
# in its own pid namespace again
t_eq "after the fork, corral exec's pid_for_children is its own pid namespace again" \
	"$(readlink /proc/self/ns/pid) $(readlink /proc/self/ns/pid)" \
	"$(readlink "/proc/$CP/ns/pid") $(readlink "/proc/$CP/ns/pid_for_children")"
kill -TERM "$CP"; wait "$CP"; RC=$?
t_eq "SIGTERM to corral exec reaches the process (its trap exits 9)" 9 "$RC"

# ---------------------------------------------------------- terminals
"${C[@]}" exec -t "$ID" sh -c 'test -t 0 && test -t 1 && echo tty-yes; stty size' > "$WORK/out" 2>&1 < /dev/null
t_eq "-t without a console socket: a pty copied to corral's stdout" "tty-yes" "$(head -1 "$WORK/out" | tr -d '\r')"
oc exec -t -d "$ID" sh
t_eq "-t -d without --console-socket: runc's error" \
	"255 corral: exec failed: cannot allocate tty if corral will detach without setting console socket" "$RC $ERR"
oc exec --console-socket "$WORK/nosock" "$ID" true
t_eq "--console-socket without -t -d: runc's error" \
	"255 corral: exec failed: cannot use console socket if corral will not detach or allocate tty" "$RC $ERR"

# A console-socket listener (conmon's part): receives the pty master,
# types commands into it and collects what comes back.
cat > "$WORK/console.py" <<'PY'
import os, socket, sys
path, out = sys.argv[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path); s.listen(1); s.settimeout(20)
open(path + ".ready", "w").close()
c, _ = s.accept()
name, fds, _, _ = socket.recv_fds(c, 1024, 1)
master = fds[0]
os.write(master, b"stty size; tty >/dev/null && echo is-a-tty; echo ok-$((6*7)); exit\n")
data = b""
while True:
    try:
        b = os.read(master, 4096)
    except OSError:
        break
    if not b:
        break
    data += b
open(out, "w").write("name=%s\n%s" % (name.decode(), data.decode(errors="replace").replace("\r", "")))
PY
python3 "$WORK/console.py" "$WORK/console.sock" "$WORK/console.out" &
PY_PID=$!; BG_PIDS+=("$PY_PID")
for _ in $(seq 100); do [ -e "$WORK/console.sock.ready" ] && break; sleep 0.05; done
process "$WORK/pt.json" '{"terminal": true, "args": ["sh"], "consoleSize": {"height": 33, "width": 101}}'
oc exec --process "$WORK/pt.json" --detach --tty --console-socket "$WORK/console.sock" --pid-file "$WORK/t.pid" "$ID"
t_eq "--tty --detach --console-socket (conmon's form) exits 0" "0 " "$RC $ERR"
for _ in $(seq 200); do kill -0 "$PY_PID" 2>/dev/null || break; sleep 0.05; done
CONS=$(cat "$WORK/console.out" 2>/dev/null)
t_true "the listener got the master with the pty's name ($(head -1 <<< "$CONS"))" grep -q '^name=/dev/pts/[0-9]' <<< "$CONS"
t_true "commands typed into the master run in the container" grep -qx "ok-42" <<< "$CONS"
t_true "the pty is the process's terminal" grep -qx "is-a-tty" <<< "$CONS"
t_true "process.consoleSize applied (stty size: 33 101)" grep -qx "33 101" <<< "$CONS"
t_true "the shell ended with 'exit'" gone "$(cat "$WORK/t.pid" 2>/dev/null || echo 0)"

# -------------------------------------------------------------- errors
oc exec "no-such-$$" true
t_eq "unknown id" "255 corral: exec failed: container does not exist" "$RC $ERR"
oc exec
t_eq "no id" "1 corral: exec: \"exec\" requires a minimum of 1 argument" "$RC $ERR"
oc exec "$ID"
t_eq "no command and no --process" "255 corral: exec failed: process args cannot be empty" "$RC $ERR"
oc exec --cwd tmp "$ID" pwd
t_eq "a relative --cwd" "255 corral: exec failed: Cwd must be an absolute path" "$RC $ERR"
oc exec --user abc "$ID" id
t_eq "a non-numeric --user" \
	"255 corral: exec failed: parsing abc as int for uid failed: strconv.Atoi: parsing \"abc\": invalid syntax" "$RC $ERR"
oc exec --bogus "$ID" true
t_eq "an unknown option" "1 corral: flag provided but not defined: -bogus" "$RC $ERR"
# Go's flag forms, as runc's: -name, --name=v, -n=v, a flag's =VALUE as ParseBool reads it
oc exec -e=A=1 -env B=2 --env=C=3 -detach=F --tty=false -u=0 "$ID" sh -c 'echo "$A$B$C $(id -u)"'
t_eq "-e=V, -env V, --env=V, -detach=F, --tty=false" "0 123 0" "$RC $OUT"
oc exec --tty=maybe "$ID" true
t_eq "a flag's bad value" "1 corral: invalid boolean value \"maybe\" for -tty: parse error" "$RC $ERR"
oc exec --detac "$ID" true
t_eq "a name is never abbreviated" "1 corral: flag provided but not defined: -detac" "$RC $ERR"
oc exec -dt "$ID" true
t_eq "no bundles" "1 corral: flag provided but not defined: -dt" "$RC $ERR"
oc exec "$ID" -e
t_eq "options end at the id" "255 corral: exec failed: unable to start container process: exec: \"-e\": executable file not found in \$PATH" "$RC $ERR"
oc exec --cwd
t_eq "a value missing" "1 corral: flag needs an argument: -cwd" "$RC $ERR"
echo '{"args": "sh", "cwd": "/"}' > "$WORK/bad.json"
oc exec --process "$WORK/bad.json" "$ID"
t_eq "a malformed process.json: the error names the file and the JSON path" \
	"255 corral: exec failed: $WORK/bad.json: args: expected array of strings" "$RC $ERR"
echo '{"args": ["true"], "cwd": "/", "capabilities": {"effective": ["CAP_NOPE"]}}' > "$WORK/bad.json"
oc exec --process "$WORK/bad.json" "$ID"
t_eq "... an unknown capability" \
	"255 corral: exec failed: $WORK/bad.json: capabilities.effective[0]: unknown capability 'CAP_NOPE'" "$RC $ERR"
oc exec --process "$WORK/none.json" "$ID"
t_eq "... a missing file" "255 corral: exec failed: $WORK/none.json: No such file or directory" "$RC $ERR"
oc exec --preserve-fds 5 "$ID" true
t_eq "--preserve-fds of fds that are not open" "255 corral: exec failed: --preserve-fds 5: fd 3 is not open" "$RC $ERR"
t_eq "after all of these the container holds its init only" "$INIT" \
	"$(cat "$(ct_dir memory "$ID")/cgroup.procs" | xargs)"

# a created (never started) container: runc execs into it, and so do we
ID2=exec-$$-c
config "$ID2" 'exec sleep 1000'
oc create --bundle "$WORK/bundle-$ID2" "$ID2"
oc exec "$ID2" sh -c 'echo in-created; cat /proc/1/cmdline | tr "\0" " "'
t_eq "exec into a created container" "0 in-created" "$RC $(head -1 <<< "$OUT")"
t_eq "... whose init still waits for start" created "$(status "$ID2")"
oc delete --force "$ID2"
t_eq "... deleted with nothing behind" "0 " "$RC $(left_behind "$ID2")"

# a stopped container
ID3=exec-$$-s
config "$ID3" 'true'
oc create --bundle "$WORK/bundle-$ID3" "$ID3" && oc start "$ID3"
wait_status "$ID3" stopped
oc exec "$ID3" true
t_eq "exec into a stopped container: runc's message" \
	"255 corral: exec failed: cannot exec in a stopped container" "$RC $ERR"
oc delete "$ID3"
t_eq "... deleted with nothing behind" "0 " "$RC $(left_behind "$ID3")"

# --------------------------------------------------------------- the end
oc exec -d --pid-file "$WORK/z.pid" "$ID" sleep 1000
ZP=$(cat "$WORK/z.pid" 2>/dev/null)
oc delete --force "$ID"
t_eq "delete --force of the container" "0 " "$RC $ERR"
t_true "... ends an exec'd process too" gone "$ZP"
t_eq "... and nothing is left behind (state, cgroups, processes, mounts)" "" "$(left_behind "$ID")"
oc list -q
t_eq "no container is left in the state directory" "" "$OUT"
t_done
