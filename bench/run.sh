#!/bin/sh
# `make bench`: run every benchmark program and print its table.
set -eu
BUILD=${BUILD:-build}
echo "== interpreter ($(uname -m), $(nproc) cpus, BENCH_TIME=${BENCH_TIME:-0.5}s per program)"
"$BUILD/bench/bench_vm" bench/progs
