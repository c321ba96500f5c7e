#!/bin/sh
# The README's main job. Until the tracer lands: assemble a small program
# (a prime sieve) and run it in the user-space VM, printing r0.
set -eu
BIN=${1:-build/bpfkit}
cd "$(dirname "$0")/.."
echo "+ $BIN vm run examples/sieve.asm"
exec "$BIN" vm run examples/sieve.asm
