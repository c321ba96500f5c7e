#!/bin/sh
# `make bench`, part: the cost of ustack --ustack-unwind dwarf per sample,
# against the kernel's frame-pointer walk. profile:hz:999 samples
# tests/ustack/callchain-nofp spinning 3 s (-O2 without frame pointers, 8
# frames deep) with @[ustack] = count(); --stats gives the kernel's time
# (run_time_ns over every CPU's runs; the predicate makes the other
# processes' runs cheap, and they are the same in both modes, so the
# difference over the samples is the copy's cost) and user space's unwind
# time per sample. Also the wall time and peak RSS of each whole run.
set -eu
BUILD=${BUILD:-build}
BPFKIT=${BPFKIT:-$BUILD/bpfkit}
NOFP=$BUILD/tests/ustack/callchain-nofp
R=$BUILD/bench/runcmd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x "$NOFP" ] || { echo "== ustack dwarf: skipped ($NOFP is not built: make test-build)"; exit 0; }
echo "== ustack: --ustack-unwind dwarf vs the frame-pointer walk (profile:hz:999 on callchain-nofp spinning 3 s)"
printf '%-8s %8s %10s %12s %14s %14s %8s %10s\n' mode runs ns/run "kernel ns" samples "user us/smp" frames "chain ok"
for mode in fp dwarf; do
	"$BPFKIT" trace --stats --ustack-unwind "$mode" -e 'profile:hz:999 /pid == cpid/ { @[ustack] = count(); }' \
		-c "$NOFP spin 3000" >"$tmp/$mode.out" 2>"$tmp/$mode.err" || { cat "$tmp/$mode.err"; exit 1; }
	set -- $(awk '/^profile:hz:999/ { print $2, $3 }' "$tmp/$mode.err")
	runs=$1 nsrun=$2
	total=$(awk -v r="$runs" -v n="$nsrun" 'BEGIN { printf "%.0f", r * n }')
	samples=$(awk '/^\]: / { s += $2 } END { print s + 0 }' "$tmp/$mode.out")
	user=$(sed -n 's/.*samples, \([0-9.]*\) us per sample, \([0-9.]*\) frames.*/\1 \2/p' "$tmp/$mode.err")
	[ -n "$user" ] || user="- -"
	ok=$(grep -c '^    a+' "$tmp/$mode.out" || true)
	printf '%-8s %8s %10s %12s %14s %14s %8s %10s\n' "$mode" "$runs" "$nsrun" "$total" "$samples" ${user} "$ok keys"
	echo "$total $samples" >"$tmp/$mode.tot"
done
set -- $(cat "$tmp/fp.tot") $(cat "$tmp/dwarf.tot")
awk -v f="$1" -v d="$3" -v s="$4" 'BEGIN { if (s > 0) printf "dwarf: %.1f us more kernel time per sample (registers + up to 8 KiB of stack into the ring buffer)\n", (d - f) / s / 1000 }'

# the same per system call: 2,000 getpgid() calls from chain_d, every run a sample
echo "== ustack: per sample at a tracepoint (2,000 getpgid() calls of callchain-nofp)"
printf '%-8s %8s %10s %14s %14s\n' mode runs ns/run "user us/smp" "samples kept"
for mode in fp dwarf; do
	"$BPFKIT" trace --stats --ustack-unwind "$mode" -e 'tracepoint:syscalls:sys_enter_getpgid /pid == cpid/ { @[ustack] = count(); }' \
		-c "$NOFP calls 2000 0 100" >"$tmp/$mode.out" 2>"$tmp/$mode.err" || { cat "$tmp/$mode.err"; exit 1; }
	set -- $(awk '/^tracepoint:syscalls:sys_enter_getpgid/ { print $2, $3 }' "$tmp/$mode.err")
	user=$(sed -n 's/.*samples, \([0-9.]*\) us per sample.*/\1/p' "$tmp/$mode.err")
	samples=$(awk '/^\]: / { s += $2 } END { print s + 0 }' "$tmp/$mode.out")
	printf '%-8s %8s %10s %14s %14s\n' "$mode" "$1" "$2" "${user:--}" "$samples"
done
