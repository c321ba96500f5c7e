#!/bin/sh
# The README's main job. Until the tracer lands: run a prime sieve (two
# local functions, a bitmap on the stack) in the user-space VM, printing r0
# (the number of primes below 4096) and what the run cost.
set -eu
BIN=${1:-build/bpfkit}
cd "$(dirname "$0")/.."
echo "+ $BIN vm run --stats examples/sieve.asm"
exec "$BIN" vm run --stats examples/sieve.asm
