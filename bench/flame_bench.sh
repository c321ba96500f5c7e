#!/bin/sh
# `make bench`, part: bpfkit flamegraph on a large profile. The input is
# made here, the same every run: 100,000 folded lines over 50,000 distinct
# stacks (each twice), 5 to 40 frames deep over 2,000 function names, the
# shape of a long system-wide profile. Prints the median wall time of 3 runs
# and the peak RSS (build/bench/runcmd), for the default --minwidth 0.1 and
# for --minwidth 0 (every frame drawn), and the SVG's size.
set -eu
BUILD=${BUILD:-build}
BPFKIT=${BPFKIT:-$BUILD/bpfkit}
R=$BUILD/bench/runcmd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

awk 'BEGIN {
	seed = 12345
	for (s = 0; s < 50000; s++) {
		seed = (seed * 1103515245 + 12345) % 2147483648
		depth = 5 + seed % 36
		line = "main"
		# a shared trunk, then branches: names repeat at each level
		for (d = 1; d < depth; d++) {
			seed = (seed * 1103515245 + 12345) % 2147483648
			f = d < 4 ? (s % (d * 7)) : seed % 2000
			line = line ";func_" d "_" f
		}
		seed = (seed * 1103515245 + 12345) % 2147483648
		stacks[s] = line
		counts[s] = 1 + seed % 100
	}
	for (r = 0; r < 2; r++)
		for (s = 0; s < 50000; s++)
			print stacks[s], counts[s]
}' >"$tmp/big.folded"

echo "== flamegraph: $(wc -l <"$tmp/big.folded") folded lines, 50000 distinct stacks, $(($(wc -c <"$tmp/big.folded") / 1024)) KiB"
printf '%-34s %10s %12s %10s\n' "case" "ms" "peak RSS KiB" "SVG KiB"
for mw in 0.1 0; do
	set -- $("$R" -n 3 -q "$BPFKIT" flamegraph --minwidth "$mw" "$tmp/big.folded" -o "$tmp/out.svg")
	printf '%-34s %10s %12s %10s\n' "bpfkit flamegraph --minwidth $mw" "$1" "$2" "$(($(wc -c <"$tmp/out.svg") / 1024))"
done
if command -v flamegraph.pl >/dev/null 2>&1; then
	set -- $("$R" -n 3 -q sh -c "flamegraph.pl --hash '$tmp/big.folded' > '$tmp/pl.svg'")
	printf '%-34s %10s %12s %10s\n' "flamegraph.pl --hash" "$1" "$2" "$(($(wc -c <"$tmp/pl.svg") / 1024))"
else
	echo "(flamegraph.pl is not installed: no comparison)"
fi
