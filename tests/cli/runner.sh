#!/bin/sh
# The test runner itself (tests/run.sh) and lib.sh: a missing conformance
# suite is a skip with the place it was looked for, and a failure under
# CI=true (it would hide 626 tests); a failed multi-line comparison prints
# only the lines that differ. run.sh runs in a scratch directory whose build
# holds only the conformance program, so it runs nothing else.
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
CONF="$BUILD/tests/conformance"
case "$CONF" in /*) ;; *) CONF="$PWD/$CONF" ;; esac
tmp=$(mktemp -d /tmp/bpfkit-runner-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$CONF" ]; then
	for name in no-suite-ci no-suite empty-suite-ci equals-diff; do
		skip "runner: $name" "$CONF is not built (make test-build)"
	done
	done_testing
	exit 0
fi
mkdir -p "$tmp/build/tests" "$tmp/empty"
cp "$CONF" "$tmp/build/tests/conformance"

# runner ENV...: tests/run.sh in the scratch directory; output in $out, status in $rc
runner() {
	out=$(cd "$tmp" && env "$@" BUILD=build sh "$REPO/tests/run.sh" 2>&1)
	rc=$?
}

runner CI=true BPF_CONFORMANCE_DIR="$tmp/none"
check "no-suite-ci: CI=true without the suite fails, naming where it looked" eval '[ "$rc" -ne 0 ] &&
	contains "$out" "the bpf-conformance suite is missing: $tmp/none" && contains "$out" "0 passed, 1 failed"'
runner CI=false BPF_CONFORMANCE_DIR="$tmp/none"
check "no-suite: elsewhere a skip with the place and the variable" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "no bpf-conformance suite at $tmp/none (set BPF_CONFORMANCE_DIR)" &&
	contains "$out" "0 passed, 0 failed, 1 skipped"'
runner CI=true BPF_CONFORMANCE_DIR="$tmp/empty"
check "empty-suite-ci: CI=true with no *.data files fails" eval '[ "$rc" -ne 0 ] &&
	contains "$out" "no conformance tests (*.data) at $tmp/empty"'

out=$(equals "$(printf 'a\nb\nc\nd\ne')" "$(printf 'a\nb\nC\nd\ne')")
check "equals-diff: a multi-line difference prints the differing lines" eval '
	[ "$(echo "$out" | grep -c "^# [-+]")" -eq 2 ] && contains "$out" "# -C" && contains "$out" "# +c" &&
	! contains "$out" "# +a" >/dev/null'
done_testing
