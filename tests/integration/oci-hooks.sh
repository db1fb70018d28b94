#!/usr/bin/env bash
# Root integration test of what corral's OCI mode adds to the life cycle:
# the OCI hooks of every stage (order, namespaces, the state on stdin,
# env, failures and timeouts), --console-socket (runc's protocol: the pty
# master over SCM_RIGHTS, with consoleSize), --preserve-fds, the corralfs
# views (annotation org.corral.views), an empty environment when the
# config gives none, and fifo device nodes.  The bundle and the cgroups
# are set up as in oci.sh (busybox rootfs, `runc spec` edited by python3,
# cgroups below our own cgroup, state in a temp --root).
. "$(dirname "$0")/lib.sh"
OCI_TAG=ocih
. "$(dirname "$0")/oci-lib.sh"
HOOKS=$WORK/hooks
mkdir -p "$HOOKS"
# jfield FILE KEY: KEY of the JSON object in FILE.
jfield() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$1" "$2" 2>/dev/null; }

# ----------------------------------------------------------------- hooks
# The host-side hook: records its stage, its stdin, its environment and
# its mount namespace.
cat > "$WORK/hook.sh" <<EOF
#!/bin/sh
cat > $HOOKS/\$1.json
echo "\$1" >> $HOOKS/order
env > $HOOKS/\$1.env
readlink /proc/self/ns/mnt > $HOOKS/\$1.mnt
EOF
chmod +x "$WORK/hook.sh"
ID=ocih-$$-h
HOOKCFG='
h = lambda st: {"path": W + "/hook.sh", "args": ["hook.sh", st], "env": ["HOOKVAR=" + st]}
c["hooks"] = {st: [h(st)] for st in ["prestart", "createRuntime", "createContainer", "poststart", "poststop"]}
# (not a shell script: dash clears its signal mask at start)
sig = lambda st: {"path": "/bin/sed", "args": ["sed", "-n", "-e", "s/^SigBlk:[[:space:]]*//w " + W + "/hooks/" + st + ".sig", "-e", "s/^SigIgn:[[:space:]]*//w " + W + "/hooks/" + st + ".sig", "/proc/self/status"]}
for st in ["prestart", "createRuntime"]: c["hooks"][st].append(sig(st))
c["hooks"]["startContainer"] = [{"path": "/bin/sh", "args": ["sh", "-c", "cat > /start-state; echo startContainer >> /start-order"]}]
'
config "$ID" 'exec sleep 100' "$HOOKCFG"
oc create --bundle "$BUNDLE" --pid-file "$WORK/pid" "$ID"
t_eq "create with hooks of every stage exits 0" "0 " "$RC $ERR"
PID=$(cat "$WORK/pid" 2>/dev/null)
t_eq "prestart, createRuntime, createContainer ran in that order at create" \
	"prestart createRuntime createContainer" "$(xargs < "$HOOKS/order")"
for st in prestart createRuntime createContainer; do
	t_eq "$st: the state on stdin (id status pid bundle annotation)" \
		"$ID creating $PID $BUNDLE $OCI_TAG" \
		"$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["id"], s["status"], s["pid"], s["bundle"], s["annotations"]["org.corral.test"])' "$HOOKS/$st.json" 2>&1)"
	t_eq "$st: its own environment only" "HOOKVAR=$st" "$(grep -v '^PWD=' "$HOOKS/$st.env" | xargs)"
done
t_eq "prestart and createRuntime run in the runtime's mount namespace" \
	"$(readlink /proc/self/ns/mnt) $(readlink /proc/self/ns/mnt)" \
	"$(cat "$HOOKS/prestart.mnt") $(cat "$HOOKS/createRuntime.mnt")"
t_eq "prestart and createRuntime: no signal blocked or ignored (SigBlk SigIgn)" \
	"0000000000000000 0000000000000000 0000000000000000 0000000000000000" \
	"$(cat "$HOOKS/prestart.sig" "$HOOKS/createRuntime.sig" | xargs)"
t_eq "createContainer runs in the container's mount namespace" \
	"$(readlink /proc/"$PID"/ns/mnt)" "$(cat "$HOOKS/createContainer.mnt")"
t_eq "startContainer has not run before start" no "$([ -e "$ROOTFS/start-order" ] && echo yes || echo no)"
oc start "$ID"
t_eq "start exits 0" "0 " "$RC $ERR"
# (the init runs them after `start` released it: start may return first)
for _ in $(seq 100); do [ -s "$ROOTFS/start-order" ] && break; sleep 0.05; done
t_eq "startContainer ran inside the container (its path resolved there)" startContainer \
	"$(cat "$ROOTFS/start-order" 2>/dev/null)"
t_eq "startContainer got the state" "$ID" "$(jfield "$ROOTFS/start-state" id)"
t_eq "poststart ran after start, with status running" "poststart running $PID" \
	"$(tail -1 "$HOOKS/order") $(jfield "$HOOKS/poststart.json" status) $(jfield "$HOOKS/poststart.json" pid)"
oc delete --force "$ID"
t_eq "delete --force exits 0" "0 " "$RC $ERR"
t_eq "poststop ran at delete, with status stopped" "poststop stopped" \
	"$(tail -1 "$HOOKS/order") $(jfield "$HOOKS/poststop.json" status)"
t_eq "the hooked container left nothing behind" "" "$(left_behind "$ID")"
rm -f "$ROOTFS/start-order" "$ROOTFS/start-state"

# A failing hook before the start fails the create, leaving nothing.
for st in prestart createRuntime createContainer; do
	ID=ocih-$$-f$st
	config "$ID" 'exec sleep 100' "c['hooks'] = {'$st': [{'path': '/bin/sh', 'args': ['sh', '-c', 'echo boom >&2; exit 3']}]}"
	oc create --bundle "$BUNDLE" "$ID"
	t_eq "a failing $st hook fails create with its output" \
		"1 corral: $st hook /bin/sh failed (exit status 3): boom" "$RC $ERR"
	t_eq "... and leaves nothing behind" "" "$(left_behind "$ID")"
done
ID=ocih-$$-timeout
config "$ID" 'exec sleep 100' "c['hooks'] = {'createRuntime': [{'path': '/bin/sleep', 'args': ['sleep', '30'], 'timeout': 1}]}"
t0=$(date +%s)
oc create --bundle "$BUNDLE" "$ID"
t1=$(date +%s)
t_eq "a hook past its timeout fails the create" "1 corral: createRuntime hook /bin/sleep: timed out after 1 s" "$RC $ERR"
t_true "... after about its timeout (took $((t1 - t0)) s)" test $((t1 - t0)) -lt 5
t_eq "... and leaves nothing behind (the hook killed too)" "" "$(left_behind "$ID")$(pgrep -f 'sleep 30' -P $$)"
ID=ocih-$$-poststart
config "$ID" 'exec sleep 100' "c['hooks'] = {'poststart': [{'path': '/bin/false'}]}"
oc create --bundle "$BUNDLE" "$ID"
oc start "$ID"
t_eq "a failing poststart hook is a warning: start still exits 0" \
	"0 corral: warning: poststart hook /bin/false failed (exit status 1)" "$RC $ERR"
t_eq "... and the container runs" running "$(status "$ID")"
oc delete --force "$ID"
t_eq "... delete leaves nothing behind" "0 " "$RC $(left_behind "$ID")"
# A state over 64 KiB (a big annotation), to a hook that writes 200 KiB
# first and reads its stdin only a second later: it gets all of it.
ID=ocih-$$-bigstate
config "$ID" 'exec sleep 100' "
c['annotations']['org.corral.big'] = 'x' * 100000
c['hooks'] = {'prestart': [{'path': '/bin/sh', 'args': ['sh', '-c', 'head -c 200000 /dev/zero; sleep 1; cat > $HOOKS/big.json'], 'timeout': 20}]}"
oc create --bundle "$BUNDLE" "$ID"
t_eq "a slow hook with a big state: create exits 0" "0" "$RC"
t_eq "... the hook read the whole state (the annotation's length, the id)" "100000 $ID" \
	"$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(len(s["annotations"]["org.corral.big"]), s["id"])' "$HOOKS/big.json" 2>&1 | tail -1)"
oc delete --force "$ID"
t_eq "... delete leaves nothing behind" "0 " "$RC $(left_behind "$ID")"

# -------------------------------------------------------- console socket
# A console-socket listener as conmon is: receives the pty master, then
# copies what the container writes into a file until it closes.
cat > "$WORK/console.py" <<'PY'
import array, os, socket, sys
path, out = sys.argv[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path); s.listen(1)
open(out + ".ready", "w").close()
conn, _ = s.accept()
msg, fds, _, _ = socket.recv_fds(conn, 1024, 1)
with open(out, "wb") as f:
    f.write(b"name=" + msg + b"\n")
    while True:
        try:
            data = os.read(fds[0], 4096)
        except OSError:
            break
        if not data:
            break
        f.write(data)
        if b"END" in data:
            break
PY
ID=ocih-$$-tty
config "$ID" '[ -t 0 ] && [ -t 1 ] && echo TTY; tty; stty size; echo END; sleep 1' \
	'c["process"]["terminal"] = True; c["process"]["consoleSize"] = {"height": 30, "width": 100}'
oc create --bundle "$BUNDLE" "$ID"
t_eq "create of a terminal container without --console-socket is refused" \
	"1 corral: cannot allocate tty if corral will detach without setting console socket" "$RC $ERR"
t_eq "... leaving nothing" "" "$(left_behind "$ID")"
python3 "$WORK/console.py" "$WORK/console.sock" "$WORK/console.out" &
LPID=$!
for _ in $(seq 50); do [ -e "$WORK/console.out.ready" ] && break; sleep 0.1; done
oc create --bundle "$BUNDLE" --console-socket "$WORK/console.sock" "$ID"
t_eq "create --console-socket exits 0" "0 " "$RC $ERR"
oc start "$ID"
for _ in $(seq 50); do kill -0 $LPID 2>/dev/null || break; sleep 0.1; done
kill $LPID 2>/dev/null; wait $LPID 2>/dev/null
t_true "the listener got the pty master with the pty's name" grep -qx 'name=/dev/pts/0' "$WORK/console.out"
t_eq "the container's stdio is a terminal of its own devpts, sized from consoleSize" "TTY /dev/pts/0 30 100" \
	"$(tr -d '\r' < "$WORK/console.out" | grep -v '^name=' | grep -v END | xargs)"
oc delete --force "$ID"
t_eq "... delete leaves nothing behind" "0 " "$RC $(left_behind "$ID")"
config "$ID" 'true'
oc create --bundle "$BUNDLE" --console-socket "$WORK/console.sock" "$ID"
t_eq "--console-socket without a terminal is refused" \
	"1 corral: cannot use console socket if corral will not detach or allocate tty" "$RC $ERR"

# --------------------------------------------------------- preserve-fds
ID=ocih-$$-fds
echo three > "$WORK/f3"; echo four > "$WORK/f4"; echo five > "$WORK/f5"
config "$ID" 'cat <&3; cat <&4; test -e /proc/self/fd/5 && echo leaked5; test -e /proc/self/fd/6 && echo leaked6; true'
out=$("${C[@]}" run --bundle "$BUNDLE" --preserve-fds 2 "$ID" 3<"$WORK/f3" 4<"$WORK/f4" 5<"$WORK/f5" 6<"$WORK/f5" 2>&1 < /dev/null)
t_eq "--preserve-fds 2 passes fds 3 and 4, no others" "0 three four" "$? $(echo $out)"
t_eq "... run leaves nothing behind" "" "$(left_behind "$ID")"
oc run --bundle "$BUNDLE" --preserve-fds 2 "$ID"
t_eq "--preserve-fds naming a closed fd is refused" "1 corral: --preserve-fds 2: file descriptor 3 is not open" "$RC $ERR"
oc run --bundle "$BUNDLE" --preserve-fds x "$ID"
t_eq "--preserve-fds must be a count" "1 corral: --preserve-fds: expected a count of file descriptors, got 'x'" "$RC $ERR"

# ------------------------------------------------- environment, devices
ID=ocih-$$-env
# (busybox sh itself sets PWD, SHLVL and a default PATH)
config "$ID" 'env | grep -v "^PWD=\|^SHLVL=\|^PATH=/sbin:/usr/sbin:/bin:/usr/bin$" | sort | xargs' 'del c["process"]["env"]'
out=$(CORRAL_TEST_MARK=1 HOME=/nowhere "${C[@]}" run --bundle "$BUNDLE" "$ID" 2>&1 < /dev/null)
t_eq "no process.env: an empty environment (nothing of corral's)" "0 " "$? $out"
config "$ID" 'echo x > /dev/null && head -c 3 /dev/zero | wc -c && head -c 5 /dev/urandom | wc -c && test -c /dev/mem && ! head -c 1 /dev/mem 2>/dev/null && echo mem-denied' \
	'c["linux"]["devices"] = [{"path": "/dev/mem", "type": "c", "major": 1, "minor": 1}]'
out=$("${C[@]}" run --bundle "$BUNDLE" "$ID" 2>&1 < /dev/null)
t_eq "runc spec's deny-all devices rule: the default devices still work, others do not (as runc)" \
	"0 3 5 mem-denied" "$? $(echo $out)"
config "$ID" 'ls -l /dev/fifo0 | cut -c1-10' \
	'c["linux"]["devices"] = [{"path": "/dev/fifo0", "type": "p", "fileMode": 416}]'
out=$("${C[@]}" run --bundle "$BUNDLE" "$ID" 2>&1 < /dev/null)
t_eq "a linux.devices fifo is created with its mode" "0 prw-r-----" "$? $out"

# --------------------------------------------------------- /sys/fs/cgroup
# The config's cgroup mount shows the container's own cgroup, with or
# without a cgroup namespace (runc spec has none on v1 hosts, one on v2:
# without one, the cgroups are bound).
ID=ocih-$$-cg
MEMFILE=/sys/fs/cgroup/memory/memory.limit_in_bytes; [ $CGT_V2 = 1 ] && MEMFILE=/sys/fs/cgroup/memory.max
for cgns in no yes; do
	extra="c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'cgroup']"
	[ $cgns = yes ] && extra="$extra; c['linux']['namespaces'].append({'type': 'cgroup'})"
	config "$ID" "cat $MEMFILE; mkdir /sys/fs/cgroup/x 2>/dev/null || echo read-only" "$extra"
	out=$("${C[@]}" run --bundle "$BUNDLE" "$ID" 2>&1 < /dev/null)
	t_eq "cgroup mount (cgroup namespace: $cgns): the container's memory limit, read-only" \
		"0 67108864 read-only" "$? $(echo $out)"
done
t_eq "... nothing left behind" "" "$(left_behind "$ID")"

# ---------------------------------------------- joining namespaces by path
ID=ocih-$$-nsa
config "$ID" 'echo nsa > /tmp-nsa; exec sleep 100'
oc run --bundle "$BUNDLE" --detach --pid-file "$WORK/nsa.pid" "$ID"
t_eq "a first container runs" "0 " "$RC $ERR"
APID=$(cat "$WORK/nsa.pid" 2>/dev/null)
ID2=ocih-$$-nsb
config "$ID2" 'tr "\0" " " < /proc/1/cmdline; readlink /proc/self/ns/pid; readlink /proc/self/ns/net; readlink /proc/self/ns/ipc' "
c.pop('hostname', None)
for n in c['linux']['namespaces']:
    if n['type'] in ('pid', 'network', 'ipc'):
        n['path'] = '/proc/$APID/ns/' + {'pid': 'pid', 'network': 'net', 'ipc': 'ipc'}[n['type']]
"
out=$("${C[@]}" run --bundle "$BUNDLE" "$ID2" 2>&1 < /dev/null)
t_eq "a container joining the first one's pid, net and ipc namespaces by path sees its pid 1 and shares them" \
	"0 sleep 100 $(readlink /proc/"$APID"/ns/pid) $(readlink /proc/"$APID"/ns/net) $(readlink /proc/"$APID"/ns/ipc)" \
	"$? $(echo $out)"
t_eq "... it left nothing, and corral went back to its own pid namespace" "" "$(left_behind "$ID2")"
config "$ID2" 'true' "
for n in c['linux']['namespaces']:
    if n['type'] == 'pid':
        n['path'] = '$WORK/no-such-ns'
"
oc run --bundle "$BUNDLE" "$ID2"
t_eq "a pid namespace path that does not exist is an error naming it" \
	"1 corral: joining the pid namespace $WORK/no-such-ns: No such file or directory" "$RC $ERR"
t_eq "... leaving nothing" "" "$(left_behind "$ID2")"
oc delete --force "$ID"
t_eq "the first container is deleted" "0 " "$RC $(left_behind "$ID")"

# ---------------------------------------------------------------- rlimits
ID=ocih-$$-rl
config "$ID" 'ulimit -n; ulimit -Hn' 'c["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 500, "hard": 600}]'
out=$("${C[@]}" run --bundle "$BUNDLE" "$ID" 2>&1 < /dev/null)
t_eq "process.rlimits are set" "0 500 600" "$? $(echo $out)"
config "$ID" 'true' 'c["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 700, "hard": 600}]'
oc run --bundle "$BUNDLE" "$ID"
t_eq "an rlimit the kernel refuses: the error names it" \
	"1 corral: setting RLIMIT_NOFILE to 700/600 (soft/hard): Invalid argument" "$RC $ERR"
t_eq "... leaving nothing" "" "$(left_behind "$ID")"

# ---------------------------------------------------------------- views
if fs_start; then
	ID=ocih-$$-views
	MEMTOTAL='grep MemTotal /proc/meminfo | tr -s " " | cut -d" " -f2'
	HOST_MT=$(grep MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2)
	config "$ID" "$MEMTOTAL" "c['annotations']['org.corral.views'] = '$MNT'"
	out=$("${C[@]}" run --bundle "$BUNDLE" "$ID" 2>&1 < /dev/null)
	t_eq "OCI mode mounts the views (corralfs at the annotation's path): MemTotal = the 64 MiB limit" \
		"0 65536" "$? $out"
	config "$ID" "$MEMTOTAL" "c['annotations']['org.corral.views'] = 'false'"
	out=$("${C[@]}" run --bundle "$BUNDLE" "$ID" 2>&1 < /dev/null)
	t_eq "org.corral.views=false: the host's MemTotal" "0 $HOST_MT" "$? $out"
	config "$ID" "$MEMTOTAL" "c['annotations']['org.corral.views'] = '$WORK'"
	out=$("${C[@]}" run --bundle "$BUNDLE" "$ID" 2>&1 < /dev/null)
	t_eq "a path without corralfs: plain files, no message" "0 $HOST_MT" "$? $out"
	t_eq "... nothing left behind" "" "$(left_behind "$ID")"
	fs_stop
else
	t_fail "corralfs starts"
fi

oci_cleanup
t_eq "nothing of ours is left (state, cgroups)" "" "$(nothing_left)"
t_done
