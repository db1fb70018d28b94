#!/usr/bin/env bash
# (being written)
. "$(dirname "$0")/lib.sh"
skip_all "not written yet"
