#!/bin/sh
# The README's main job: count every system call on the machine for three
# seconds, by process name, with bpfkit's tracer (compiled in-process, loaded
# into the kernel, printed as bpftrace prints it). Without root, or where BPF
# cannot be used, say why and run a program in the user-space VM instead.
set -eu
BIN=${1:-build/bpfkit}
cd "$(dirname "$0")/.."
PROG='tracepoint:raw_syscalls:sys_enter { @[comm] = count(); } interval:s:3 { exit(); }'
why=
if [ "$(id -u)" != 0 ]; then
	why="the tracer needs root (or CAP_BPF, CAP_PERFMON and, to read tracefs, CAP_DAC_READ_SEARCH); you are uid $(id -u)"
elif ! err=$("$BIN" trace -e 'BEGIN { exit(); }' 2>&1 >/dev/null); then
	why="BPF cannot be used here: $(echo "$err" | head -n 1)"
fi
if [ -z "$why" ]; then
	echo "+ $BIN trace -e '$PROG'"
	exec "$BIN" trace -e "$PROG"
fi
echo "main-job: not tracing: $why" >&2
echo "main-job: falling back to the user-space VM (no root needed)" >&2
echo "+ $BIN vm run --stats examples/sieve.asm"
exec "$BIN" vm run --stats examples/sieve.asm
