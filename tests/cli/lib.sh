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

# equals GOT WANT
equals() {
	[ "$1" = "$2" ] && return 0
	printf '# got:  %s\n# want: %s\n' "$1" "$2" | head -n 20
	return 1
}

done_testing() {
	echo "1..$_n"
}
