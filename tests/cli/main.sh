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

out=$("$BPFKIT" help)
check "help says what trace is" contains "$out" "trace    the tracer: compile a bpftrace program"
check "help says how to get an object's help" contains "$out" "bpfkit OBJECT help"

# `help` after an object or a command is its help: stdout, exit 0, nothing on stderr
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for words in "asm" "disasm" "trace" "vm" "vm run" "vm jit-dump" "vm plugin" "vm r"; do
	# shellcheck disable=SC2086 # the words split on purpose
	"$BPFKIT" $words help >"$tmp/out" 2>"$tmp/err"; rc=$?
	full=$words
	[ "$words" = "vm r" ] && full="vm run"
	check "'$words help' exits 0" [ "$rc" -eq 0 ]
	if [ "$words" = trace ]; then # bpftrace -h's layout
		check "'$words help' prints its usage on stdout" eval 'equals "$(head -n 1 "$tmp/out")" "USAGE:" &&
			contains "$(sed -n 2p "$tmp/out")" "    bpfkit trace "'
	else
		check "'$words help' prints its usage on stdout" contains "$(head -n 1 "$tmp/out")" "Usage: bpfkit $full "
	fi
	check "'$words help' prints nothing on stderr" [ ! -s "$tmp/err" ]
done
check "'trace help' says what running needs" contains "$("$BPFKIT" trace help)" "running needs root, or CAP_BPF"
# a file named help: ./help reads it
printf 'exit\n' >"$tmp/help"
abs=$(cd "$(dirname "$BPFKIT")" && pwd)/$(basename "$BPFKIT")
out=$(cd "$tmp" && "$abs" asm ./help)
check "'asm ./help' reads the file help" equals "$out" "95 00 00 00 00 00 00 00"

# JSON mode: every error is JSON on stdout, one object per line, nothing on stderr
printf 'mov %%r0, 1\nbogus %%r0\nexit\n' >"$tmp/bad.s"
printf 'BEGIN { @c = cont(); }\n' >"$tmp/bad.bt"
# json_err NAME ARGS...: bpfkit ARGS fails, stderr empty, stdout lines parse as
# JSON and the first has "error"; prints stdout for further checks.
json_err() {
	_jname=$1; shift
	"$BPFKIT" "$@" >"$tmp/out" 2>"$tmp/err"; _jrc=$?
	check "$_jname: fails" [ "$_jrc" -ne 0 ]
	check "$_jname: nothing on stderr" [ ! -s "$tmp/err" ]
	check "$_jname: JSON error lines on stdout" python3 -c 'import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines and "error" in lines[0] and isinstance(lines[0]["error"], str), lines' "$tmp/out"
}
json_err "no object" -j
json_err "unknown object" -j frobnicate
json_err "unknown global option" -j --bogus
json_err "vm without command" -j vm
json_err "unknown vm command" -j vm frob
json_err "asm unknown option" -j asm -x
json_err "asm missing argument" -j asm --dialect
json_err "asm missing file" -j asm "$tmp/missing"
json_err "asm bad source" -j asm "$tmp/bad.s"
check "asm bad source: file, line, col, len" contains "$(cat "$tmp/out")" \
	'"file":"'"$tmp/bad.s"'","line":2,"col":1,"len":5}'
json_err "asm -j after the file" asm "$tmp/bad.s" -j
json_err "pretty mode too" -p asm "$tmp/missing"
json_err "disasm unknown option" -j disasm --bogus x
json_err "disasm option with an argument it takes not" -j disasm --offsets=1 x
check "which says so" contains "$(cat "$tmp/out")" "option '--offsets' takes no argument"
json_err "disasm missing file" -j disasm "$tmp/missing"
json_err "vm run bad budget" -j vm run --budget x -e exit
json_err "vm run bad source" -j vm run "$tmp/bad.s"
json_err "vm plugin bad argument" -j vm plugin --zzz
json_err "vm plugin bad program" -j vm plugin --program zz
json_err "trace unknown option" -j trace -Z
json_err "trace without a program" -j trace
json_err "trace missing file" -j trace "$tmp/missing.bt"
json_err "trace compile error" -j trace -d "$tmp/bad.bt"
check "trace compile error: file, line, col, len, hint" equals "$(cat "$tmp/out")" \
	'{"error":"unknown function '"'cont'"'","file":"'"$tmp/bad.bt"'","line":1,"col":14,"len":4,"hint":"count"}'
json_err "trace -f json compile error" trace -f json -d -e 'BEGIN { @c = cont(); }'
json_err "trace -j compile error" trace -j -d -e 'BEGIN { @c = cont(); }'
json_err "trace -j usage error" trace -j -c true -p 1 -e 'BEGIN { exit(); }'
out=$("$BPFKIT" trace -d -e 'BEGIN { @c = cont(); }' 2>&1 >/dev/null)
check "without -j the compile error stays text on stderr" contains "$out" \
	"stdin:1:14: error: unknown function 'cont'; did you mean 'count'?"

done_testing
