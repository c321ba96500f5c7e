#!/bin/sh
# CLI: global options, object dispatch with prefixes, exit codes.
. "$(dirname "$0")/lib.sh"

out=$("$BPFKIT" help); rc=$?
check "help exits 0" [ "$rc" -eq 0 ]
check "help lists objects" contains "$out" "vm "

"$BPFKIT" >/dev/null 2>&1; rc=$?
check "no object is a usage error (2)" [ "$rc" -eq 2 ]

err=$("$BPFKIT" frobnicate 2>&1 >/dev/null); rc=$?
check "unknown object exits 2" [ "$rc" -eq 2 ]
check "unknown object is named" contains "$err" "unknown object 'frobnicate'"

err=$("$BPFKIT" v 2>&1 >/dev/null); rc=$?
check "ambiguous prefix exits 2" [ "$rc" -eq 2 ]
check "ambiguous prefix is said" contains "$err" "ambiguous"

out=$("$BPFKIT" ver); rc=$?
check "unambiguous prefix runs the command" contains "$out" "bpfkit "

err=$("$BPFKIT" --bogus 2>&1 >/dev/null); rc=$?
check "unknown global option exits 2" [ "$rc" -eq 2 ]

err=$("$BPFKIT" -j frobnicate 2>&1 >/dev/null)
check "errors are JSON with -j" contains "$err" '{"error":'

done_testing
