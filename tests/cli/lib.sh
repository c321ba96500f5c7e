# Shared by tests/cli/*.sh: TAP output helpers. Source it, call check/skip,
# end with done_testing. $BPFKIT is the binary under test.
: "${BPFKIT:=build/bpfkit}"
_n=0

# check NAME CMD...: one TAP line, ok when CMD succeeds.
check() {
	_name=$1; shift
	_n=$((_n + 1))
	if "$@"; then
		echo "ok $_n - $_name"
	else
		echo "not ok $_n - $_name"
	fi
}

# skip NAME REASON
skip() {
	_n=$((_n + 1))
	echo "ok $_n # SKIP $1: $2"
}

# contains HAYSTACK NEEDLE: fixed-string search, printing both on failure.
contains() {
	case "$1" in
	*"$2"*) return 0 ;;
	esac
	printf '# expected to find: %s\n# in: %s\n' "$2" "$1" | head -n 20
	return 1
}

# equals GOT WANT: on a difference, one line each; for several lines, only
# the lines that differ (diff -u, as TAP comments).
equals() {
	[ "$1" = "$2" ] && return 0
	case "$1$2" in
	*'
'*)
		_d=$(mktemp -d /tmp/bpfkit-eq-XXXXXX)
		printf '%s\n' "$2" >"$_d/want"
		printf '%s\n' "$1" >"$_d/got"
		echo "# got (+) differs from want (-):"
		(cd "$_d" && diff -U1 want got) | tail -n +3 | head -n 40 | sed 's/^/# /'
		rm -rf "$_d"
		;;
	*) printf '# got:  %s\n# want: %s\n' "$1" "$2" ;;
	esac
	return 1
}

done_testing() {
	echo "1..$_n"
}

# kernel_why WORKLOAD OBJS: why the kernel tests cannot run here (not root,
# the test tools not built, BPF unusable: its first error line), or nothing.
kernel_why() {
	if [ "$(id -u)" != 0 ]; then
		echo "needs root"
	elif [ ! -x "$1" ] || [ ! -x "$2" ]; then
		echo "build/tests/workload and bpf_objects are not built (make test-build)"
	elif ! _probe=$("$BPFKIT" trace -e 'BEGIN { exit(); }' 2>&1); then
		echo "BPF is not usable here: $(echo "$_probe" | head -n 1)"
	fi
}

# Leak checks of kernel tests, with build/tests/bpf_objects (prints "progs P
# maps M links L"). bpf_objs_baseline OBJS: remember the counts once they
# settle (a run before may still be freeing its maps). bpf_objs_same: no
# count is above the baseline within 3 s (the kernel frees maps a little
# after the last fd closes; other BPF users on the machine may hold objects
# for a moment, so fewer than before is fine).
bpf_objs_baseline() {
	_objs=$1
	_base=$("$_objs")
	_i=0
	while [ $_i -lt 30 ]; do
		sleep 0.1
		_now=$("$_objs")
		[ "$_now" = "$_base" ] && break
		_base=$_now
		_i=$((_i + 1))
	done
}
bpf_objs_same() {
	_i=0
	while [ $_i -lt 30 ]; do
		echo "$("$_objs") $_base" | awk '{ exit !($2 <= $8 && $4 <= $10 && $6 <= $12) }' && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "# bpf objects before: $_base; after: $("$_objs")"
	return 1
}
