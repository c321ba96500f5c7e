#!/bin/sh
# `make bench`, part: bpfkit filter over a large capture against tcpdump.
# The capture is made here, the same every run (build/tests/pcapgen --web:
# 1,000,000 Ethernet frames, nine in ten TCP, half of those port 80, in
# /tmp so it is in the page cache). Prints the median wall time of 3 runs,
# the peak RSS and packets per second of `bpfkit filter 'tcp port 80' -r`
# in each engine, and of `tcpdump -r big.pcap 'tcp port 80' -w /dev/null`
# when tcpdump is installed; then the match counts, which must be equal.
set -eu
BUILD=${BUILD:-build}
BPFKIT=${BPFKIT:-$BUILD/bpfkit}
R=$BUILD/bench/runcmd
N=${BENCH_PACKETS:-1000000}
tmp=$(mktemp -d /tmp/bpfkit-filter-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$BUILD/tests/pcapgen" "$tmp/big.pcap" -n "$N" -s 5 --web
cat "$tmp/big.pcap" >/dev/null # into the page cache before the first run
echo "== filter: 'tcp port 80' over $N packets ($(($(wc -c <"$tmp/big.pcap") / 1048576)) MiB), median of 3 runs"
printf '%-44s %10s %12s %12s\n' "case" "ms" "peak RSS KiB" "packets/s"
row() {
	name=$1; shift
	set -- $("$R" -n 3 -q "$@")
	printf '%-44s %10s %12s %12s\n' "$name" "$1" "$2" "$(awk -v ms="$1" -v n="$N" 'BEGIN { printf "%.0f", n / (ms / 1000) }')"
}
for e in cbpf vm jit; do
	row "bpfkit filter --engine $e" "$BPFKIT" filter --engine $e 'tcp port 80' -r "$tmp/big.pcap"
done
row "bpfkit filter --jit -w /dev/null" "$BPFKIT" filter --jit 'tcp port 80' -r "$tmp/big.pcap" -w /dev/null
if command -v tcpdump >/dev/null 2>&1; then
	row "tcpdump -r -w /dev/null" tcpdump -r "$tmp/big.pcap" 'tcp port 80' -w /dev/null
	tcpdump -r "$tmp/big.pcap" 'tcp port 80' -w "$tmp/t.pcap" 2>/dev/null
	"$BPFKIT" filter --jit 'tcp port 80' -r "$tmp/big.pcap" -w "$tmp/b.pcap" 2>/dev/null
	if cmp -s "$tmp/t.pcap" "$tmp/b.pcap"; then
		echo "(bpfkit's -w file is byte for byte tcpdump's: $("$BPFKIT" filter -r "$tmp/big.pcap" 'tcp port 80' 2>&1 | head -n 1))"
	else
		echo "MISMATCH: bpfkit's -w file differs from tcpdump's" >&2
		exit 1
	fi
else
	echo "(tcpdump is not installed: no comparison)"
fi
