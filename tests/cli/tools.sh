#!/bin/sh
# CLI: the scripts shipped in tools/. Each has a header (a description, a
# USAGE line) and a line in bpfkit-tools(7); each compiles with -d, as root
# and as nobody (over a copy of the tracefs formats the tools name, since
# tracefs is root-only); those that need uprobes SKIP where bpfkit refuses
# them. As root, most run against a workload started with -c and their output
# is checked: execsnoop sees the child's exec, opensnoop its open of a known
# path and a failed one, syscount its calls, killsnoop its signals, the block
# tools its direct I/O, tcplife its loopback connection, bashreadline a
# line typed into bash, gethostlatency a getaddrinfo(), and profile.bt's
# folded stacks draw a flame graph. Needs root for the kernel part;
# otherwise SKIP with the reason.
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
root=$(cd "$(dirname "$0")/../.." && pwd)
tools=$root/tools
W="$BUILD/tests/workload"
OBJS="$BUILD/tests/bpf_objects"
case "$W" in /*) ;; *) W="$PWD/$W" ;; esac
tmp=$(mktemp -d /tmp/bpfkit-tools-XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
uprobe_tools="bashreadline gethostlatency"

# ---- headers and docs ---------------------------------------------------------------------
man=$(cat "$root/docs/bpfkit-tools.7.scd")
n=0
for f in "$tools"/*.bt; do
	t=$(basename "$f" .bt)
	n=$((n + 1))
	check "$t: a header with its name, a description and USAGE" eval \
		'head -n 3 "$f" | grep -q "^ \* $t.bt	[A-Z]" && grep -q "^ \* USAGE: $t.bt" "$f"'
	check "$t: listed in bpfkit-tools(7)" contains "$man" "*$t.bt*"
done
check "at least 20 tools" [ "$n" -ge 20 ]

# ---- compile-only: as root (or whoever runs this), and as nobody ------------------------------
# uprobe_why TOOL: why a tool that needs uprobes cannot compile here, or nothing.
uprobe_why() {
	_e=$("$BPFKIT" trace -d "$tools/$1.bt" 2>&1 >/dev/null) && return 0
	case "$_e" in
	*"not yet supported by bpfkit"*) echo "$_e" | grep -m1 -o "[^:]*not yet supported by bpfkit" | sed 's/^ *//' ;;
	esac
}
tfs=/sys/kernel/tracing
[ -r "$tfs/events" ] || tfs=
for f in "$tools"/*.bt; do
	t=$(basename "$f" .bt)
	case " $uprobe_tools " in
	*" $t "*)
		why=$(uprobe_why "$t")
		if [ -n "$why" ]; then
			skip "$t compiles (-d)" "$why"
			continue
		fi ;;
	esac
	if [ -z "$tfs" ] && grep -q '^tracepoint:' "$f"; then
		skip "$t compiles (-d)" "tracefs is not readable here"
		continue
	fi
	err=$("$BPFKIT" trace -d "$f" 2>&1 >/dev/null); rc=$?
	check "$t compiles (-d)" eval '[ "$rc" -eq 0 ] || { echo "# $err" | head -n 5; false; }'
done

# as nobody: a copy of the formats of every tracepoint the tools name (a
# glob expands over the live tracefs), readable by all
if [ "$(id -u)" != 0 ] || [ -z "$tfs" ] || ! command -v setpriv >/dev/null 2>&1 || ! id nobody >/dev/null 2>&1; then
	skip "the tools compile as nobody" "needs root (to copy tracefs formats), setpriv and the user nobody"
else
	fake=$tmp/tracefs
	mkdir -p "$fake/events"
	echo 0 >"$fake/events/enable"
	for tp in $(grep -ho '^tracepoint:[a-z_0-9]*:[a-z_0-9*]*' "$tools"/*.bt | sort -u); do
		sys=${tp#tracepoint:}; ev=${sys#*:}; sys=${sys%%:*}
		for d in "$tfs/events/$sys"/$ev; do
			[ -f "$d/format" ] || continue
			mkdir -p "$fake/events/$sys/${d##*/}"
			cat "$d/format" >"$fake/events/$sys/${d##*/}/format"
		done
	done
	chmod -R a+rX "$fake"
	bad=
	for f in "$tools"/*.bt; do
		t=$(basename "$f" .bt)
		case " $uprobe_tools " in *" $t "*) [ -n "$(uprobe_why "$t")" ] && continue ;; esac
		setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
			env BPFKIT_TRACEFS="$fake" "$BPFKIT" trace -d "$f" >/dev/null 2>"$tmp/err" ||
			{ bad="$bad $t"; head -n 3 "$tmp/err" | sed 's/^/# /'; }
	done
	check "the tools compile as nobody (-d, a copy of tracefs)" equals "$bad" ""
fi

# ---- the kernel ------------------------------------------------------------------------------
names="execsnoop opensnoop opensnoop-enoent syscount killsnoop biolatency biosnoop bitesize
	runqlat runqlen cpuwalk tcplife statsnoop syncsnoop vfsstat pidpersec bashreadline gethostlatency
	profile flamegraph leaks"
why=$(kernel_why "$W" "$OBJS")
if [ -n "$why" ]; then
	for t in $names; do skip "kernel: $t" "$why"; done
	done_testing
	exit 0
fi
bpf_objs_baseline "$OBJS"

# run TOOL CMD: the tool's output while CMD runs (-c), through -o so that
# CMD's own output (on the same terminal) cannot land inside its lines;
# then the tracer's stderr
run() {
	rm -f "$tmp/run.out"
	"$BPFKIT" trace -o "$tmp/run.out" "$tools/$1.bt" -c "$2" >/dev/null 2>"$tmp/run.err"
	cat "$tmp/run.out" "$tmp/run.err"
}
marker=bpfkit-tools-$$
out=$(run execsnoop "/bin/echo $marker")
check "kernel: execsnoop prints the header and the child's exec with its arguments" eval \
	'contains "$out" "TIME(ms)   PID   ARGS" &&
	echo "$out" | grep -Eq "^[0-9]+ +[0-9]+ +/bin/echo $marker\$"'

out=$(run opensnoop "/bin/cat /etc/hostname /nonexistent-$marker")
check "kernel: opensnoop sees cat open /etc/hostname (fd 3, no error)" eval \
	'echo "$out" | grep -Eq "^[0-9]+ +cat +3 +0 /etc/hostname\$" || { echo "$out" | sed "s/^/# /" | head; false; }'
check "kernel: opensnoop sees the failed open (-1, ENOENT 2)" eval \
	'echo "$out" | grep -Eq "^[0-9]+ +cat +-1 +2 /nonexistent-$marker\$"'

out=$(run syscount "dd if=/dev/zero of=/dev/null bs=1 count=20000")
check "kernel: syscount counts dd's 20000 reads and writes" eval \
	'contains "$out" "Top 10 syscalls IDs:" && contains "$out" "Top 10 processes:" &&
	echo "$out" | awk -F": " "/^@process\\[dd\\]/ { n = \$2 } END { exit !(n >= 40000) }" &&
	echo "$out" | awk -F": " "/^@syscall\\[0\\]/ { n = \$2 } END { exit !(n >= 20000) }"'

# a workload script (-c splits at blanks, with no shell)
cat >"$tmp/w.sh" <<EOF
#!/bin/sh
kill -0 1
kill -0 2147483646 2>/dev/null
dd if=/dev/zero of=$tmp/io bs=4k count=32 oflag=direct 2>/dev/null
stat /etc/hostname >/dev/null
sync
EOF
chmod +x "$tmp/w.sh"
out=$(run killsnoop "$tmp/w.sh")
check "kernel: killsnoop sees kill(1, 0) = 0 and kill(2147483646, 0) = -ESRCH" eval \
	'contains "$out" "TIME      PID    COMM             SIG  TPID   RESULT" &&
	echo "$out" | grep -Eq "^[0-9:]+  [0-9]+ +w.sh +0 +1 +0\$" &&
	echo "$out" | grep -Eq "^[0-9:]+  [0-9]+ +w.sh +0 +2147483646 -3\$"'
out=$(run biolatency "$tmp/w.sh")
check "kernel: biolatency draws a histogram of the direct writes (32 or more)" eval \
	'contains "$out" "@usecs:" &&
	echo "$out" | awk "/^\\[/ { n += \$3 } END { exit !(n >= 32) }"'
out=$(run biosnoop "$tmp/w.sh")
check "kernel: biosnoop prints dd's requests" eval \
	'echo "$out" | grep -Eq "^[0-9]+ +[0-9]+:[0-9]+ +dd +[0-9]+ +[0-9]+\$"'
out=$(run bitesize "$tmp/w.sh")
check "kernel: bitesize: dd's 4 KiB requests" eval \
	'contains "$out" "@[dd]:" && echo "$out" | grep -Eq "^\\[4K, 8K\\) +[0-9]+"'
out=$(run statsnoop "$tmp/w.sh")
check "kernel: statsnoop sees stat /etc/hostname" eval \
	'echo "$out" | grep -Eq "^[0-9]+ +stat +0 /etc/hostname\$"'
out=$(run syncsnoop "$tmp/w.sh")
check "kernel: syncsnoop sees sync()" eval \
	'echo "$out" | grep -Eq "^[0-9:]+  [0-9]+ +sync +tracepoint:syscalls:sys_enter_sync\$"'

out=$(run runqlat "sleep 0.3")
check "kernel: runqlat draws a histogram" contains "$out" "@usecs:"
out=$(run runqlen "$W spin 300")
check "kernel: runqlen draws a linear histogram from 0" eval \
	'contains "$out" "@runqlen:" && echo "$out" | grep -Eq "^\\[[0-9]+, [0-9]+\\) +[0-9]+ \\|"'
out=$(run cpuwalk "$W spin 300")
check "kernel: cpuwalk draws CPUs" eval \
	'contains "$out" "@cpu:" && echo "$out" | grep -Eq "^\\[[0-9]+, [0-9]+\\) +[0-9]+ \\|"'
out=$(run vfsstat "sleep 1.2")
check "kernel: vfsstat prints a second's counts" eval \
	'echo "$out" | grep -Eq "^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\$" &&
	echo "$out" | grep -Eq "^@\\[tracepoint:syscalls:sys_enter_[a-z0-9]+\\]: [0-9]+\$"'
out=$(run pidpersec "$tmp/w.sh")
check "kernel: pidpersec counts forks" contains "$out" "Tracing new processes... Hit Ctrl-C to end."

if command -v perl >/dev/null 2>&1; then
	cat >"$tmp/tcp.pl" <<'EOF'
#!/usr/bin/perl
# one loopback TCP session: connect, a line each way, close; writes the port to $ARGV[0]
use IO::Socket::INET;
my $srv = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1) or die;
my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $srv->sockport) or die;
my $a = $srv->accept;
print $c "hello\n"; my $l = <$a>;
close $c; close $a;
open(my $f, '>', $ARGV[0]) or die; print $f $srv->sockport, "\n";
EOF
	chmod +x "$tmp/tcp.pl"
	out=$(run tcplife "$tmp/tcp.pl $tmp/port")
	port=$(cat "$tmp/port" 2>/dev/null)
	check "kernel: tcplife prints both ends of the loopback session" eval \
		'[ -n "$port" ] &&
		echo "$out" | grep -Eq "^[0-9]+ +tcp.pl +127.0.0.1 +[0-9]+ +127.0.0.1 +$port +[0-9]+\$" &&
		echo "$out" | grep -Eq "^[0-9]+ +tcp.pl +127.0.0.1 +$port +127.0.0.1 +[0-9]+ +[0-9]+\$"'
else
	skip "kernel: tcplife" "no perl for a loopback session"
fi

# the uprobe tools: a shell's typed line (bash -i on a pty through script(1)), a lookup through libc
if [ -n "$(uprobe_why bashreadline)" ]; then
	skip "kernel: bashreadline" "$(uprobe_why bashreadline)"
elif ! command -v script >/dev/null 2>&1 || [ ! -x /bin/bash ]; then
	skip "kernel: bashreadline" "no script(1) or /bin/bash for an interactive shell"
else
	cat >"$tmp/rl.sh" <<EOF
#!/bin/sh
printf 'echo $marker\\nexit\\n' | script -q -c 'bash --norc --noprofile -i' /dev/null >/dev/null
EOF
	chmod +x "$tmp/rl.sh"
	out=$(run bashreadline "$tmp/rl.sh")
	check "kernel: bashreadline prints the line bash read" eval \
		'echo "$out" | grep -Eq "^[0-9:]+  [0-9]+ +echo $marker\$"'
fi
if [ -n "$(uprobe_why gethostlatency)" ]; then
	skip "kernel: gethostlatency" "$(uprobe_why gethostlatency)"
elif ! command -v perl >/dev/null 2>&1; then
	skip "kernel: gethostlatency" "no perl to call getaddrinfo()"
else
	out=$(run gethostlatency "$(command -v perl) -MSocket -e Socket::getaddrinfo(q(localhost))")
	check "kernel: gethostlatency sees perl's getaddrinfo(\"localhost\")" eval \
		'echo "$out" | grep -Eq "^[0-9:]+  [0-9]+ +perl +[0-9]+ localhost\$"'
fi

out=$(run profile "$W spin 300" | grep -c '^    ')
check "kernel: profile.bt prints @[kstack] frames" [ "$out" -gt 0 ]
"$BPFKIT" trace -f folded "$tools/profile.bt" 1 2>"$tmp/err" | "$BPFKIT" flamegraph -o "$tmp/cpu.svg"
rc=$?
check "kernel: bpfkit trace -f folded tools/profile.bt 1 | bpfkit flamegraph -o cpu.svg" eval \
	'[ "$rc" -eq 0 ] && grep -q "<svg" "$tmp/cpu.svg" && grep -q "<title>all (" "$tmp/cpu.svg"'
check "kernel: leaks" bpf_objs_same
done_testing
