#!/bin/sh
# Re-capture the golden files of the output layer's tests: run bpftrace on
# every NAME.bt here, text output into NAME.txt, `-f json` into NAME.json.
# Needs root and bpftrace (Debian's is 0.17.0, the version these files are
# from: `bpftrace --version` is checked). The tests never run this.
set -eu
cd "$(dirname "$0")"
ver=$(bpftrace --version)
case $ver in
*v0.17.*) ;;
*) echo "regen.sh: goldens are from bpftrace 0.17, this is $ver" >&2; exit 1 ;;
esac
for bt in *.bt; do
	name=${bt%.bt}
	bpftrace "$bt" > "$name.txt" 2>/dev/null
	bpftrace -f json "$bt" > "$name.json" 2>/dev/null
	echo "$name: $(wc -l < "$name.txt") text lines, $(wc -l < "$name.json") JSON lines"
done
