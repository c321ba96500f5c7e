#!/bin/sh
# `make bench`: run every benchmark program and print its table.
set -eu
BUILD=${BUILD:-build}
echo "== VM: interpreter, JIT and kernel JIT ($(uname -m), $(nproc) cpus, BENCH_TIME=${BENCH_TIME:-0.5}s per program and engine)"
"$BUILD/bench/bench_vm" bench/progs
echo "== VM maps: operations per second per map type (interpreter, JIT, syscall-view API)"
"$BUILD/bench/bench_maps"
echo "== symbols: naming kernel addresses (kstack, ksym())"
"$BUILD/bench/bench_ksyms"
echo "== symbols: naming user addresses (ustack, usym())"
"$BUILD/bench/bench_usyms"
BUILD=$BUILD sh bench/flame_bench.sh
BUILD=$BUILD sh bench/filter_bench.sh
if [ "$(id -u)" = 0 ]; then
	BUILD=$BUILD sh bench/trace_bench.sh
	BUILD=$BUILD sh bench/prog_cost.sh
	BUILD=$BUILD sh bench/uprobe_bench.sh
	BUILD=$BUILD sh bench/ustack_bench.sh
else
	echo "== tracer: skipped (needs root)"
fi
