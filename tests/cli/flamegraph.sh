#!/bin/sh
# CLI: bpfkit flamegraph -- folded stacks from a file or stdin to an SVG
# (-o or stdout) that is well-formed XML, the options (title, width, height,
# minwidth, colours, inverted, reverse), `help`, and bad input: an error at
# FILE:LINE:COL with the line and a caret, exit 1, no output file left;
# usage errors exit 2; JSON errors with -j.
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# well_formed FILE: python3's XML parser reads it (skipped without python3)
well_formed() {
	command -v python3 >/dev/null 2>&1 || return 0
	python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$1"
}

printf 'main;parse;malloc 12\nmain;parse 3\nmain;run;<b>&"q 5\nidle 10\n' >"$tmp/p.folded"

"$BPFKIT" flamegraph "$tmp/p.folded" -o "$tmp/p.svg"; rc=$?
check "a file of folded stacks draws (exit 0)" [ "$rc" -eq 0 ]
check "the SVG is well-formed XML" well_formed "$tmp/p.svg"
svg=$(cat "$tmp/p.svg")
check "with a frame per merged frame and its tooltip" \
	contains "$svg" '<title>parse (15 samples, 50.00%)</title><rect x="403.3" y="53" width="590.0" height="15"'
check "the root is all the samples" contains "$svg" '<title>all (30 samples, 100.00%)</title>'
check "names are XML-escaped" contains "$svg" '<title>&lt;b&gt;&amp;&quot;q (5 samples, 16.67%)</title>'
check "the default title" contains "$svg" '>Flame Graph</text>'
check "the zoom and search script is embedded" contains "$svg" 'function zoom(z)'
check "nothing is loaded from the network" [ "$(grep -c 'href=\|src=' "$tmp/p.svg")" -eq 0 ]

out=$("$BPFKIT" flamegraph - <"$tmp/p.folded")
check "stdin (-) to stdout gives the same SVG" equals "$out" "$svg"
out=$("$BPFKIT" flamegraph <"$tmp/p.folded")
check "no FILE reads stdin" equals "$out" "$svg"

"$BPFKIT" flamegraph -t 'CPU <profile>' -w 600 -H 20 -c mem -i "$tmp/p.folded" -o "$tmp/o.svg"
svg=$(cat "$tmp/o.svg")
check "--title, escaped" contains "$svg" '>CPU &lt;profile&gt;</text>'
check "--width and --height" contains "$svg" '<svg version="1.1" width="600" height="150"'
check "--inverted puts the root at the top" contains "$svg" '<title>all (30 samples, 100.00%)</title><rect x="10.0" y="36" width="580.0" height="19" fill="rgb(0,'
check "--colors mem" well_formed "$tmp/o.svg"
out=$("$BPFKIT" flamegraph -i "$tmp/p.folded")
check "an inverted graph is an icicle graph" contains "$out" '>Icicle Graph</text>'
out=$("$BPFKIT" flamegraph --minwidth 400 "$tmp/p.folded")
check "--minwidth leaves narrow frames out" [ "$(echo "$out" | grep -c '<title>')" -eq 4 ]
out=$("$BPFKIT" flamegraph --reverse "$tmp/p.folded")
check "--reverse puts the leaves at the root" contains "$out" '<title>malloc (12 samples, 40.00%)</title><rect x="600.0" y="69"'

out=$("$BPFKIT" flamegraph help); rc=$?
check "help prints the usage (exit 0)" [ "$rc" -eq 0 ]
check "naming the options" contains "$out" "--minwidth PIXELS"
out=$("$BPFKIT" help)
check "bpfkit help lists flamegraph" contains "$out" "flamegraph"
out=$("$BPFKIT" flame --help)
check "a prefix of flamegraph works" contains "$out" "Usage: bpfkit flamegraph"

# bad input: FILE:LINE:COL, the line, a caret; exit 1; no SVG left
printf 'a;b 1\nmain;parse x3\n' >"$tmp/bad.folded"
out=$("$BPFKIT" flamegraph "$tmp/bad.folded" -o "$tmp/bad.svg" 2>&1); rc=$?
check "a bad count fails (exit 1)" [ "$rc" -eq 1 ]
check "naming FILE:LINE:COL" contains "$out" "$tmp/bad.folded:2:12: error: 'x3' is no sample count"
check "with the line and a caret" contains "$out" "main;parse x3
           ^~"
check "and no output file" [ ! -e "$tmp/bad.svg" ]
out=$(printf 'a;b\n' | "$BPFKIT" flamegraph 2>&1); rc=$?
check "a line without a count, on stdin" contains "$out" "<stdin>:1:1: error: no sample count"
out=$(printf 'a -1\n' | "$BPFKIT" flamegraph 2>&1)
check "a negative count" contains "$out" "<stdin>:1:3: error: negative sample count '-1'"
out=$(printf 'a 99999999999999999999\n' | "$BPFKIT" flamegraph 2>&1)
check "a huge count" contains "$out" "<stdin>:1:3: error: sample count too large"
out=$(printf '' | "$BPFKIT" flamegraph 2>&1); rc=$?
check "empty input fails (exit 1)" [ "$rc" -eq 1 ]
check "saying so" contains "$out" "<stdin>: error: no stacks in the input"
out=$(head -c 3000 /dev/urandom | "$BPFKIT" flamegraph 2>&1 >/dev/null); rc=$?
check "binary junk is an error, not a crash" [ "$rc" -eq 1 ]
out=$(printf 'ok 1\n\177ELF\0\1 2\n' | "$BPFKIT" flamegraph 2>&1)
check "a NUL byte names its place" contains "$out" "<stdin>:2:5: error: NUL byte"
check "without echoing the binary line to the terminal" [ "$(echo "$out" | wc -l)" -eq 1 ]
out=$(head -c 1100000 /dev/zero | tr '\0' x | "$BPFKIT" flamegraph 2>&1)
check "an over-long line" contains "$out" "<stdin>:1:1048577: error: line longer than 1048576 bytes"
out=$("$BPFKIT" -j flamegraph "$tmp/bad.folded" 2>/dev/null)
check "-j: the error as JSON" equals "$out" \
	"{\"error\":\"'x3' is no sample count (a whole number of samples)\",\"file\":\"$tmp/bad.folded\",\"line\":2,\"col\":12,\"len\":2}"
out=$("$BPFKIT" flamegraph "$tmp/none" 2>&1); rc=$?
check "a missing file fails (exit 1)" [ "$rc" -eq 1 ]
check "naming it" contains "$out" "cannot read '$tmp/none': No such file or directory"
out=$("$BPFKIT" flamegraph "$tmp/p.folded" -o /dev/full 2>&1); rc=$?
check "a failed write fails (exit 1)" [ "$rc" -eq 1 ]
check "saying why" contains "$out" "cannot write '/dev/full': No space left on device"
check "and the device is left alone (only a file it made is removed)" [ -c /dev/full ]

# what the tracer writes with -f folded draws (as root, where BPF works)
if [ "$(id -u)" != 0 ]; then
	skip "trace -f folded to flamegraph" "needs root"
elif ! timeout 30 "$BPFKIT" trace -f folded -o "$tmp/k.folded" \
	-e 'profile:hz:99 { @[comm, kstack] = count(); } interval:ms:500 { exit(); }' >"$tmp/k.err" 2>&1; then
	skip "trace -f folded to flamegraph" "the tracer cannot run here: $(head -n 1 "$tmp/k.err")"
elif [ ! -s "$tmp/k.folded" ]; then
	skip "trace -f folded to flamegraph" "no samples in 0.5 s"
else
	"$BPFKIT" flamegraph "$tmp/k.folded" -o "$tmp/k.svg"; rc=$?
	check "bpfkit trace -f folded's profile draws (exit 0)" [ "$rc" -eq 0 ]
	check "as well-formed XML" well_formed "$tmp/k.svg"
	total=$(awk '{ n += $NF } END { print n }' "$tmp/k.folded")
	total=$(echo "$total" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta') # 1,234 as the tooltips write it
	check "with all its samples" contains "$(cat "$tmp/k.svg")" "<title>all ($total samples, 100.00%)"
fi

# usage errors: exit 2
for args in "--width 0" "--width abc" "--height 1" "--minwidth -1" "--colors pink" "--nope" "a b"; do
	# shellcheck disable=SC2086
	"$BPFKIT" flamegraph $args "$tmp/p.folded" >/dev/null 2>&1; rc=$?
	check "flamegraph $args is a usage error (exit 2)" [ "$rc" -eq 2 ]
done
out=$("$BPFKIT" flamegraph --colors pink "$tmp/p.folded" 2>&1)
check "an unknown colour scheme lists the schemes" contains "$out" "unknown colour scheme 'pink' (hot, mem, io"

done_testing
