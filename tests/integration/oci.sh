#!/usr/bin/env bash
# Root integration test of corral's runc-compatible command line: create,
# start, state, kill, delete, list, run (OCI mode), their error cases and
# messages (those of Debian's runc 1.1), --pid-file, --log, and that
# nothing is left behind (state directory, cgroups, processes, mounts).
# The bundle is a busybox rootfs (`corral rootfs busybox`) with a
# `runc spec` config.json edited by python3.  Every container's cgroup is
# below this test's own cgroup: relative on v1/hybrid (corral, like runc
# there, puts a relative cgroupsPath below its own cgroup); on v2 the
# absolute path of our own cgroup, which the test shell first leaves for
# a leaf.  corral's state lives in a temp directory (--root).
. "$(dirname "$0")/lib.sh"
OCI_TAG=oci
. "$(dirname "$0")/oci-lib.sh"

t_eq "--version in runc's shape (with global options too)" "corral version spec: 1.2.0" \
	"$("$CORRAL" --root "$STATE" --version | cut -d' ' -f1,2 | xargs)"

# ------------------------------------------------- create, start, state
ID=oci-$$-a
rm -f "$ROOTFS/started"
config "$ID" 'echo started > /started; exec sleep 100'
oc create --bundle "$BUNDLE" --pid-file "$WORK/pid" "$ID"
t_eq "create exits 0" "0 " "$RC $ERR"
PID=$(cat "$WORK/pid" 2>/dev/null)
oc state "$ID"
t_eq "state: status created" created "$(json status)"
t_eq "state: id" "$ID" "$(json id)"
t_eq "state: pid is the --pid-file's" "$PID" "$(json pid)"
t_eq "state: bundle" "$BUNDLE" "$(json bundle)"
t_eq "state: ociVersion from config.json" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ociVersion"])' "$WORK/spec.json")" "$(json ociVersion)"
t_eq "state: annotations" '{"org.corral.test": "oci"}' "$(json annotations)"
t_true "the init lives after corral create exited" kill -0 "$PID"
t_eq "the command has not run before start" "no" "$([ -e "$ROOTFS/started" ] && echo yes || echo no)"
t_true "the init is in the container's memory cgroup" grep -qx "$PID" "$(ct_dir memory "$ID")/cgroup.procs"
f=$(ct_dir memory "$ID")/memory.limit_in_bytes; [ $CGT_V2 = 1 ] && f=$(ct_dir memory "$ID")/memory.max
t_eq "the memory limit is applied" 67108864 "$(cat "$f" 2>/dev/null)"
oc list
t_true "list shows the created container" grep -qE "^$ID +$PID +created +$BUNDLE" <<< "$OUT"
oc list -q
t_eq "list -q prints the id" "$ID" "$OUT"
oc list --format json
t_eq "list --format json" "$ID created" "$(python3 -c 'import json,sys; print(" ".join(c["id"] + " " + c["status"] for c in json.loads(sys.argv[1])))' "$OUT" 2>&1)"

oc start "$ID"
t_eq "start exits 0" "0 " "$RC $ERR"
for _ in $(seq 100); do [ -e "$ROOTFS/started" ] && break; sleep 0.05; done
t_eq "the command ran after start" started "$(cat "$ROOTFS/started" 2>/dev/null)"
t_eq "the init became the command (same pid)" "sleep 100" "$(tr '\0' ' ' < /proc/"$PID"/cmdline | sed 's/ $//')"
t_eq "state: running" running "$(status "$ID")"

# ----------------------------------------------------------- error cases
oc start "$ID"
t_eq "start of a running container fails" "1 corral: cannot start an already running container" "$RC $ERR"
oc create --bundle "$BUNDLE" "$ID"
t_eq "a second create of the id fails" "1 corral: container with given ID already exists: $ID" "$RC $ERR"
oc delete "$ID"
t_eq "delete of a running container without --force fails" \
	"1 corral: cannot delete container $ID that is not stopped: running" "$RC $ERR"
t_eq "the failed commands left it running" running "$(status "$ID")"
oc state "no-such-$$"
t_eq "state of an unknown id" "1 corral: container does not exist" "$RC $ERR"
oc start "no-such-$$"
t_eq "start of an unknown id" "1 corral: container does not exist" "$RC $ERR"
oc kill "$ID" NOSUCHSIG
t_eq "kill with an unknown signal" "1 corral: invalid signal: NOSUCHSIG" "$RC $ERR"
oc create --bundle "$BUNDLE" "../x"
t_eq "an id with a slash is refused" "1 corral: invalid id format: ../x" "$RC $ERR"

# ---------------------------------------------------------- kill, delete
oc kill "$ID" KILL
t_eq "kill ID KILL exits 0" "0 " "$RC $ERR"
t_true "the container stops after kill" wait_status "$ID" stopped
oc state "$ID"
t_eq "state of a stopped container: pid 0" "stopped 0" "$(json status) $(json pid)"
oc start "$ID"
t_eq "start of a stopped container fails" "1 corral: cannot start a container that has stopped" "$RC $ERR"
oc kill "$ID"
t_eq "kill of a stopped container fails" "1 corral: container not running" "$RC $ERR"
t_true "its cgroup stays until delete" test -d "$(ct_dir memory "$ID")"
oc delete "$ID"
t_eq "delete of the stopped container exits 0" "0 " "$RC $ERR"
t_eq "delete leaves nothing behind" "" "$(left_behind "$ID")"
oc state "$ID"
t_eq "state after delete: does not exist" "1 corral: container does not exist" "$RC $ERR"

# kill with the default signal (TERM), by name with SIG, by number, --all
n=0
for sig in "" SIGTERM 15 "--all TERM"; do
	n=$((n + 1)); ID=oci-$$-k$n
	config "$ID" 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	oc create --bundle "$BUNDLE" "$ID" && oc start "$ID"
	wait_status "$ID" running
	# shellcheck disable=SC2086
	if [ "${sig#--all}" != "$sig" ]; then oc kill --all "$ID" TERM; else oc kill "$ID" $sig; fi
	rc=$RC
	wait_status "$ID" stopped
	t_eq "kill ${sig:-(default)} stops a container that traps TERM" "0 stopped" "$rc $(status "$ID")"
	oc delete "$ID"
	t_eq "... and delete leaves nothing behind" "0 " "$RC $(left_behind "$ID")"
done

# delete --force of a running container; delete of a created one
ID=oci-$$-f
config "$ID" 'exec sleep 100'
oc create --bundle "$BUNDLE" "$ID" && oc start "$ID"
oc delete --force "$ID"
t_eq "delete --force of a running container" "0 " "$RC $(left_behind "$ID")"
oc create --bundle "$BUNDLE" "$ID"
oc delete "$ID"
t_eq "delete of a created (never started) container" "0 " "$RC $(left_behind "$ID")"
oc delete --force "no-such-$$"
t_eq "delete --force of an unknown id is fine" "0 " "$RC $ERR"

# ----------------------------------------------------------- run (OCI)
ID=oci-$$-r
config "$ID" 'exec sleep 100'
oc run --detach --bundle "$BUNDLE" --pid-file "$WORK/pid2" "$ID"
t_eq "run --detach exits 0" "0 " "$RC $ERR"
oc state "$ID"
t_eq "run --detach: running, pid as --pid-file" "running $(cat "$WORK/pid2" 2>/dev/null)" \
	"$(json status) $(json pid)"
oc delete --force "$ID"
t_eq "... deleted with nothing behind" "0 " "$RC $(left_behind "$ID")"
config "$ID" 'echo out; exit 7'
oc run -b "$BUNDLE" "$ID"
t_eq "run (foreground) returns the exit code and the output" "7 out" "$RC $OUT"
t_eq "... and removes the container" "" "$(left_behind "$ID")"
(cd "$BUNDLE" && "${C[@]}" run "$ID" > "$WORK/out" 2>&1 < /dev/null); RC=$?; OUT=$(cat "$WORK/out")
t_eq "run ID with ./config.json is the OCI run" "7 out" "$RC $OUT"

# ------------------------------------------------------ failures, options
ID=oci-$$-e
config "$ID" 'true'
python3 - "$BUNDLE/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["process"]["args"] = ["/no/such/command"]
json.dump(c, open(sys.argv[1], "w"))
PY
oc create --bundle "$BUNDLE" "$ID"
t_true "create of a missing command fails ($RC: $ERR)" test "$RC" = 1 -a -n "$(grep -F /no/such/command <<< "$ERR")"
t_eq "... and leaves nothing behind" "" "$(left_behind "$ID")"
oc --systemd-cgroup list
t_eq "--systemd-cgroup is refused clearly" \
	"1 corral: systemd cgroup driver is not supported (use the cgroupfs driver, without --systemd-cgroup)" "$RC $ERR"
oc --log "$WORK/log.json" --log-format json state "no-such-$$"
t_eq "--log-format json writes the error to the log" "error container does not exist" \
	"$(python3 -c 'import json,sys; l=json.loads(open(sys.argv[1]).readline()); print(l["level"], l["msg"])' "$WORK/log.json" 2>&1)"
oc list -q
t_eq "no container is left in the state directory" "" "$OUT"
t_eq "no mount is left" "" "$(mount_points | diff "$WORK/mounts0" - | grep '^[<>]' | xargs)"

t_done
