#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The module arrows of docs/ARCHITECTURE.md, checked: every project header a
# product file includes ("dir/file.h") must be one its module may include,
# no two product .c/.h files may share a base name, and no two product
# structs a name.  Prints one line per
# violation ("FILE:LINE: MODULE may not include HEADER") and exits 1; TAP on
# stdout.  Usage: check-includes.sh [SOURCE_ROOT]
set -u
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || { echo "Bail out! no source tree at $root"; exit 1; }

# What each module may include: a folder prefix ("runtime/spec/") or one
# header.  The first pattern that matches the including file wins.
allowed() {
	case $1 in
	common/*)          echo "common/" ;;
	cgroup/*)          echo "cgroup/" ;;
	proc/*)            echo "proc/ cgroup/cgroup.h" ;;  # the snapshot structs
	fs/*)              echo "fs/ proc/proc.h cgroup/cgroup.h" ;;
	hooks/*)           echo "hooks/ common/" ;;
	runtime/spec/*)    echo "runtime/spec/ common/" ;;
	runtime/cgroups/*) echo "runtime/cgroups/ runtime/spec/ common/ cgroup/cgroup.h" ;;
	runtime/process/*) echo "runtime/process/ runtime/cgroups/ runtime/spec/ common/ cgroup/cgroup.h" ;;
	runtime/oci/*)     echo "runtime/oci/ runtime/process/ runtime/cgroups/ runtime/spec/ common/ cgroup/cgroup.h" ;;
	runtime/cli/*)     echo "runtime/cli/ runtime/oci/oci.h runtime/process/ runtime/cgroups/ runtime/spec/ common/ cgroup/cgroup.h" ;;
	*)                 echo "" ;;
	esac
}

# Known exceptions, FILE:HEADER, each with the reason it is still there.
exceptions=()
# Base names two product files may share, each with the reason; remove a
# name when its pair is gone.
shared_names=()

modules=(common cgroup proc fs hooks runtime)
mapfile -t files < <(find "${modules[@]}" -name '*.[ch]' -type f 2>/dev/null | LC_ALL=C sort)
fail=0

is_allowed() { # FILE HEADER ALLOWED
	local a
	for a in "${exceptions[@]}"; do [[ $a == "$1:$2" ]] && return 0; done
	for a in $3; do
		[[ $a == */ && $2 == "$a"* ]] && return 0
		[[ $a == "$2" ]] && return 0
	done
	return 1
}

check_includes() {
	local f line n hdr al bad=0
	for f in "${files[@]}"; do
		al=$(allowed "$f")
		if [[ -z $al ]]; then
			echo "# $f: in no module of check-includes.sh"; bad=1; continue
		fi
		while IFS=: read -r n line; do
			[[ $line =~ ^[[:space:]]*\#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]] || continue
			hdr=${BASH_REMATCH[1]}
			if [[ $hdr != */* ]]; then
				echo "# $f:$n: \"$hdr\": name headers from the top (\"dir/$hdr\")"; bad=1
			elif ! is_allowed "$f" "$hdr" "$al"; then
				echo "# $f:$n: ${f%/*}/ may not include $hdr"; bad=1
			fi
		done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$f")
	done
	return $bad
}

check_names() {
	local name bad=0 known
	while read -r name; do
		known=0
		for k in "${shared_names[@]}"; do [[ $k == "$name" ]] && known=1; done
		((known)) && continue
		echo "# base name $name is shared:" $(printf '%s\n' "${files[@]}" | grep -E "(^|/)${name//./\\.}\$")
		bad=1
	done < <(printf '%s\n' "${files[@]##*/}" | LC_ALL=C sort | uniq -d)
	for k in "${shared_names[@]}"; do
		[[ $(printf '%s\n' "${files[@]##*/}" | grep -cxF "$k") -gt 1 ]] ||
			echo "# $k is no longer shared: drop it from shared_names"
	done
	return $bad
}

check_structs() {
	local name bad=0
	while read -r name; do
		echo "# struct $name is defined twice:" $(grep -lE "^[[:space:]]*(static |typedef )?struct $name \{" "${files[@]}")
		bad=1
	done < <(grep -hoE '^[[:space:]]*(static |typedef )?struct [A-Za-z_0-9]+ \{' "${files[@]}" |
		 sed -E 's/.*struct ([A-Za-z_0-9]+) \{/\1/' | LC_ALL=C sort | uniq -d)
	return $bad
}

echo "1..3"
if check_includes; then echo "ok 1 - every module includes only what it may"
else echo "not ok 1 - every module includes only what it may"; fail=1; fi
if check_names; then echo "ok 2 - no two product files share a base name"
else echo "not ok 2 - no two product files share a base name"; fail=1; fi
if check_structs; then echo "ok 3 - no two product structs share a name"
else echo "not ok 3 - no two product structs share a name"; fail=1; fi
exit $fail
