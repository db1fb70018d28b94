#!/bin/bash
# meson test --wrapper in the v2 guest: runs one test alone in a fresh child
# cgroup of the root, as on a host whose processes sit in a non-root cgroup
# (GUIDE §2), so the test must take the no-internal-processes detour.  The
# cgroup is removed afterwards if the test left it empty.
cg=/sys/fs/cgroup/corral-ci-$$
mkdir "$cg" || exit 1
( echo "$BASHPID" > "$cg/cgroup.procs" && exec "$@" )
rc=$?
rmdir "$cg" 2>/dev/null || echo "# $cg is not empty after the test" >&2
exit $rc
