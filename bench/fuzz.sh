#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# One fuzz target for longer than the CI smoke (.ci/fuzz):
#
#   bash bench/fuzz.sh TARGET SECONDS      e.g. bash bench/fuzz.sh fuzz-oci 600
#
# TARGET is one of fuzz-json fuzz-oci fuzz-cli fuzz-kernel fuzz-cgroup.
# Builds ./build-fuzz if needed (clang, -Dfuzz=true), copies the seed corpus
# tests/fuzz/corpus/TARGET to a scratch directory (the repository is not
# modified; tests/fuzz/TARGET.dict is used when there is one), and runs the target in one process (one job, one worker) for
# SECONDS.  Prints the command, runs, exec/s, coverage and crashes; inputs
# that crashed or leaked are kept in build-fuzz/fuzz-bench/.  Exits non-zero
# when the target found anything.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
if [ $# -ne 2 ] || ! [[ $2 =~ ^[0-9]+$ ]] || [ ! -d "tests/fuzz/corpus/$1" ]; then
	echo "usage: bash bench/fuzz.sh TARGET SECONDS (TARGET: $(ls tests/fuzz/corpus | tr '\n' ' '))" >&2
	exit 2
fi
target=$1 secs=$2
BUILD=build-fuzz
[ -f $BUILD/build.ninja ] || CC=clang meson setup $BUILD -Dfuzz=true >/dev/null
ninja -C $BUILD "tests/fuzz/$target" >/dev/null
out=$BUILD/fuzz-bench
mkdir -p "$out"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export TMPDIR=$scratch/tmp   # the targets' own files, removed even after a crash
mkdir "$TMPDIR"
cp -r "tests/fuzz/corpus/$target" "$scratch/corpus"
log=$out/$target.log
dict=()
[ -f "tests/fuzz/$target.dict" ] && dict=(-dict="tests/fuzz/$target.dict")
cmd=("$BUILD/tests/fuzz/$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 "${dict[@]}"
     -print_final_stats=1 -artifact_prefix="$out/$target-" "$scratch/corpus")
echo "command: ${cmd[*]}"
start=$(date +%s)
rc=0
"${cmd[@]}" >"$log" 2>&1 || rc=$?
elapsed=$(($(date +%s) - start))
runs=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$log")
rate=$(awk '/^stat::average_exec_per_sec:/ {print $2}' "$log")
last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
cov=$(grep -o 'cov: [0-9]*' <<<"$last" | cut -d' ' -f2 || true)
ft=$(grep -o 'ft: [0-9]*' <<<"$last" | cut -d' ' -f2 || true)
corp=$(grep -o 'corp: [0-9]*/[0-9A-Za-z]*' <<<"$last" | cut -d' ' -f2 || true)
crashes=$(grep -c 'Test unit written to' "$log" || true)
echo "$target: ${elapsed} s, runs ${runs:-?}, exec/s ${rate:-?}, coverage ${cov:-?} edges" \
	"(${ft:-?} features, corpus ${corp:-?}), crashes $crashes, exit $rc"
if [ "$rc" != 0 ]; then
	grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -10 | sed 's/^/  /'
	echo "log: $log"
fi
exit "$rc"
