#!/usr/bin/env bash
# corralfs.service (fs/corralfs.service.in, as meson configured it in the
# build directory) passes `systemd-analyze verify` without a word, with
# ExecStart pointed at this build's corralfs, and says what
# docs/service.md promises: restarted after a crash, SIGTERM to corralfs on
# stop, its helpers killed after, kept from the OOM killer.  TAP; no root.
set -u
UNIT=$1
CORRALFS=$2
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
if ! command -v systemd-analyze > /dev/null; then
	echo "1..0 # SKIP no systemd-analyze (Debian's systemd package)"
	exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s|^ExecStart=[^ ]*corralfs|ExecStart=$CORRALFS|" "$UNIT" > "$dir/corralfs.service"
out=$(cd "$dir" && SYSTEMD_LOG_COLOR=0 systemd-analyze verify ./corralfs.service 2>&1)
rc=$?
if [ $rc = 0 ] && [ -z "$out" ]; then ok "systemd-analyze verify: no error, no warning"
else no "systemd-analyze verify: no error, no warning" "exit $rc" "$out"; fi
for want in "Restart=always" "RestartSec=1" "KillMode=mixed" "OOMScoreAdjust=-900" \
	"ExecStart=$CORRALFS --foreground /var/lib/corral"; do
	if grep -qx "$want" "$dir/corralfs.service"; then ok "$want"
	else no "$want" "$(grep "^${want%%=*}=" "$dir/corralfs.service")"; fi
done
if grep -q '^ExecStart=/.*/bin/corralfs ' "$UNIT"; then ok "installed ExecStart is the installed binary"
else no "installed ExecStart is the installed binary" "$(grep ^ExecStart= "$UNIT")"; fi
echo "1..$n"
exit $fail
