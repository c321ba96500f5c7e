#!/bin/sh
# CLI: bpftrace's functions and language and bpfkit trace's options of
# issue 11 (bswap, ntop, macaddr, buf and %r, strerror, strcontains,
# username, cgroupid, signal), run in the kernel with exact outputs: what
# bpftrace 0.17 prints for the same scripts on this machine. Leak checks as
# in trace_run.sh. Needs root and BPF; otherwise the kernel checks SKIP.
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
W="$BUILD/tests/workload"
OBJS="$BUILD/tests/bpf_objects"
case "$W" in /*) ;; *) W="$PWD/$W" ;; esac
tmp=$(mktemp -d /tmp/bpfkit-tfun-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# ---- anywhere: compile errors ----------------------------------------------------------
out=$("$BPFKIT" trace -d -e 'tracepoint:syscalls:sys_enter_getpgid { signal("SIGKILL"); }' 2>&1); rc=$?
check "signal() without --unsafe: bpftrace's error" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "stdin:1:41: error: signal() is an unsafe function being used in safe mode"'
out=$("$BPFKIT" trace --unsafe -d -e 'BEGIN { signal(99); }' 2>&1); rc=$?
check "signal(99) in BEGIN: both of bpftrace's errors" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: signal can not be used with \"BEGIN\" probes" &&
	contains "$out" "error: 99 is not a valid signal, allowed range: [1,64]"'
out=$("$BPFKIT" trace -d -e 'BEGIN { printf("%d\n", cgroupid("/nonexistent")); }' 2>&1); rc=$?
check "cgroupid() of a missing path: the path's error" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: Failed to get \`cgroupid\` for path: \"/nonexistent\": No such file or directory"'

# ---- anywhere: bpfkit trace's options -------------------------------------------------
out=$("$BPFKIT" trace --version); rc=$?
check "--version: bpfkit vX.Y.Z, the version 'bpfkit version' prints" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "bpfkit v$("$BPFKIT" version | sed "s/^bpfkit //")" && equals "$("$BPFKIT" trace -V)" "$out"'
out=$("$BPFKIT" trace -h); rc=$?
check "-h: bpftrace's usage layout, exit 0" eval '[ "$rc" -eq 0 ] && equals "$(echo "$out" | grep "^[A-Z]")" "USAGE:
OPTIONS:
TROUBLESHOOTING OPTIONS:
ENVIRONMENT:
EXAMPLES:
PRIVILEGES:" && contains "$out" "    -q             keep messages quiet"'
out=$("$BPFKIT" trace -B sometimes -e 'BEGIN { exit(); }' 2>&1); rc=$?
check "-B with an unknown mode: usage error" eval '[ "$rc" -eq 2 ] &&
	contains "$out" "-B wants '\''line'\'', '\''full'\'' or '\''none'\'', not '\''sometimes'\''"'
out=$("$BPFKIT" trace -kkk -e 'BEGIN { exit(); }' 2>&1); rc=$?
check "-kkk: a usage error" eval '[ "$rc" -eq 2 ] && contains "$out" "there is no -kkk"'
out=$("$BPFKIT" trace -d -e 'BEGIN { @x[1] = 1; delete(@x[2]); $s = str(0); @c = count(); }' 2>&1); rc=$?
check "-d without -k: no helper_error event" eval '[ "$rc" -eq 0 ] && ! echo "$out" | grep -q helper_error'
out=$("$BPFKIT" trace -d -k -e 'BEGIN { @x[1] = 1; delete(@x[2]); $s = str(0); @c = count(); }' 2>&1); rc=$?
check "-d -k: an event per map update and delete, at the '=' and the call" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep helper_error)" "event 0 helper_error size=16 line=1 col=15 len=1 fmt=\"map_update_elem\"
event 1 helper_error size=16 line=1 col=20 len=13 fmt=\"map_delete_elem\""'
out=$("$BPFKIT" trace -d -kk -e 'BEGIN { @x[1] = 1; delete(@x[2]); $s = str(0); @c = count(); }' 2>&1); rc=$?
check "-d -kk: also the read of str(0) and count()'s lookup" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "helper_error size=16 line=1 col=40 len=6 fmt=\"probe_read_kernel_str\"" &&
	contains "$out" "helper_error size=16 line=1 col=53 len=7 fmt=\"map_lookup_elem\""'
out=$(BPFTRACE_STRLEN=300 "$BPFKIT" trace -d -e 'BEGIN { exit(); }' 2>&1); rc=$?
check "BPFTRACE_STRLEN=300: bpftrace's error" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: '\''BPFTRACE_STRLEN'\'' 300 exceeds the current maximum of 200 bytes."'
out=$(BPFTRACE_MAP_KEYS_MAX=x "$BPFKIT" trace -d -e 'BEGIN { exit(); }' 2>&1); rc=$?
check "BPFTRACE_MAP_KEYS_MAX=x: bpftrace's error" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: Env var '\''BPFTRACE_MAP_KEYS_MAX'\'' did not contain a valid uint64_t, or was zero-valued."'
out=$(BPFTRACE_STRLEN=24 BPFTRACE_MAP_KEYS_MAX=10 BPFTRACE_PERF_RB_PAGES=3 BPFTRACE_NO_CPP_DEMANGLE=1 \
	"$BPFKIT" trace -d -e 'BEGIN { @[str(curtask)] = 1; printf("x\n"); }' 2>&1); rc=$?
check "BPFTRACE_STRLEN, _MAP_KEYS_MAX, _PERF_RB_PAGES size strings, maps, the ring buffer" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "map @ hash key_size=24 value_size=8 max_entries=10 agg=plain key=string[24]" &&
	contains "$out" "map events ringbuf key_size=0 value_size=0 max_entries=16384"'
out=$(BPFTRACE_MAX_MAP_KEYS=7 "$BPFKIT" trace -d -e 'BEGIN { @[1] = 1; }' 2>&1)
check "BPFTRACE_MAX_MAP_KEYS (later bpftrace's name)" contains "$out" "max_entries=7 "
out=$("$BPFKIT" trace -d --include linux/sched.h -e 'BEGIN { @ = TASK_UNINTERRUPTIBLE; }' 2>&1); rc=$?
check "--include FILE: as #include <FILE> (its constants)" eval '[ "$rc" -eq 0 ] && contains "$out" "= 2"'
mkdir -p "$tmp/inc" && echo 'struct mine { int a; };' >"$tmp/inc/mine.h"
out=$("$BPFKIT" trace -d -I "$tmp/inc" -e '#include "mine.h"
BEGIN { exit(); }' 2>&1); rc=$?
check "-I DIR: a header found there is named as not read (no clang)" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "warning: $tmp/inc/mine.h is not read: bpfkit parses no C headers (it has no clang)"'
out=$("$BPFKIT" trace -d --no-warnings -I /nonexistent -e 'BEGIN { exit(); printf("x\n"); }' 2>&1 >/dev/null); rc=$?
check "--no-warnings: no warning at all" eval '[ "$rc" -eq 0 ] && equals "$out" ""'

# ---- the kernel ------------------------------------------------------------------------
why=$(kernel_why "$W" "$OBJS")
if [ -n "$why" ]; then
	for name in begin-values tracepoint-bytes inet-arrays cgroupid signal language quiet-notify max-probes \
		pton pton-field pton-field-errors helper-k-delete helper-k-update helper-k-reads helper-kk helper-kk-quiet leaks; do
		skip "kernel: $name" "$why"
	done
	done_testing
	exit 0
fi
bpf_objs_baseline "$OBJS"
leaks_ok=true
leakcheck() { bpf_objs_same || leaks_ok=false; }

out=$(timeout 30 "$BPFKIT" trace -e 'BEGIN {
	printf("%s %s %s %s\n", ntop(2, 0x0100007f), ntop(0x0100007f), ntop(10, 1), ntop("abc"));
	printf("%d %d %d %d %d\n", bswap((uint8)1), bswap((uint16)1), bswap((uint32)1), bswap(1), bswap((int16)-2));
	printf("%s|%s|%s\n", strerror(2), strerror(0), strerror(300));
	printf("%d %d %d %d\n", strcontains("hello", "ll"), strcontains("hello", "x"), strcontains(comm, "bpf"),
		strcontains("hello", comm));
	printf("%r|%rx|%rh\n", buf("ab\x01c", 4), buf("ab", 2), buf("ab", 2));
	printf("%s\n", username);
	print(ntop(0x0100007f)); print(strerror(1)); print(buf("abc", 3)); print(bswap((uint16)0x1234));
	@[ntop(0x0100007f), strerror(1), username] = count(); @b[buf("x\n", 2)] = 1;
	exit(); }' 2>&1); rc=$?
leakcheck
check "BEGIN: ntop, bswap, strerror, strcontains, buf, username as bpftrace prints them" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "Attaching 1 probe...
127.0.0.1 127.0.0.1 100:: 97.98.99.0
1 256 16777216 0 65279
No such file or directory|Success|Unknown error 300
1 0 1 0
ab\\x01c|\\x61\\x62|61 62
$(id -un)
127.0.0.1
Operation not permitted
abc
13330


@[127.0.0.1, Operation not permitted, $(id -un)]: 1
@b[x\\x0a]: 1"'

# bytes of a user pointer: macaddr (upper-case hex), buf of lengths known at
# compile time, at run time, and too long (cut to 64)
out=$(timeout 30 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_openat /comm == "workload"/ {
	printf("%s\n", macaddr(args->filename)); printf("%r\n", buf(args->filename, 7));
	$n = 3; printf("%r|%r\n", buf(args->filename, $n), buf(args->filename, 100)); exit(); }' \
	-c "$W openat $tmp/zz 1" 2>&1); rc=$?
leakcheck
# the first openat of the workload is the dynamic loader's, of /etc/ld.so.cache
# (the lines after buf()'s warning about 100 bytes, bpftrace's)
got=$(printf '%s\n' "$out" | sed -n '/^Attaching/,$p' | sed -n 2,4p)
check "tracepoint: macaddr and buf of a user pointer" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "warning: buf() length is too long and will be shortened to 64 bytes (see BPFTRACE_STRLEN)" &&
	equals "$got" "2F:65:74:63:2F:6C
/etc/ld
/et|/etc/ld.so.cache\\x00 search cache=%s\\x0a\\x00glibc-ld.so.cache1.1\\x00ld.so-1."'

# ntop of the 4- and 16-byte array fields of sock:inet_sock_set_state
( sleep 1; bash -c 'echo >/dev/tcp/127.0.0.1/9' 2>/dev/null ) &
out=$(timeout 30 "$BPFKIT" trace -e 'tracepoint:sock:inet_sock_set_state /args->dport == 9/ {
	printf("%s %s %s %s\n", ntop(args->saddr), ntop(args->daddr), ntop(args->daddr_v6), ntop(10, args->saddr_v6));
	print(buf(args->daddr, 4)); exit(); }' 2>&1); rc=$?
wait
leakcheck
check "ntop of array fields: AF_INET, AF_INET6" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | sed -n 2,3p)" "127.0.0.1 127.0.0.1 ::ffff:127.0.0.1 ::ffff:127.0.0.1
\\x7f\\x00\\x00\\x01"'

# an array field compared with pton(): its bytes (bash's connect to port 9)
( sleep 1; bash -c 'echo >/dev/tcp/127.0.0.1/9' 2>/dev/null ) &
out=$(timeout 30 "$BPFKIT" trace -e 'tracepoint:sock:inet_sock_set_state /args->dport == 9/ {
	printf("%d %d %d %d\n", args->daddr == pton("127.0.0.1"), args->daddr != pton("127.0.0.1"),
		pton("127.0.0.2") == args->saddr, args->daddr_v6 == pton("::ffff:7f00:1")); exit(); }' 2>&1); rc=$?
wait
leakcheck
check "pton() == an array field of its size: byte for byte" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | sed -n 2p)" "1 0 0 1"'
err=$("$BPFKIT" trace -d -e 'tracepoint:sock:inet_sock_set_state { if (args->saddr == pton("::1")) { } }' 2>&1)
err2=$("$BPFKIT" trace -d -e 'tracepoint:sock:inet_sock_set_state { if (args->saddr == 1) { } }' 2>&1)
check "pton() against a field of another size, or a field against an int: errors" eval '
	contains "$err" "stdin:1:55: error: Only arrays of same size support comparison operators." &&
	contains "$err2" "stdin:1:55: error: cannot compare uint8[4] with int64"'

# cgroupid(path): the cgroup v2 directory's id, its kernfs inode number (as
# bpftrace reads it, through name_to_handle_at)
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$cg2" ] && mkdir "$cg2/bpfkit-tfun-$$" 2>/dev/null; then
	out=$(timeout 30 "$BPFKIT" trace -e "BEGIN { printf(\"%d\\n\", cgroupid(\"$cg2/bpfkit-tfun-$$\")); exit(); }" 2>&1); rc=$?
	ino=$(stat -c %i "$cg2/bpfkit-tfun-$$")
	rmdir "$cg2/bpfkit-tfun-$$"
	leakcheck
	check "cgroupid(path) is the cgroup's id" eval '[ "$rc" -eq 0 ] && equals "$(echo "$out" | sed -n 2p)" "$ino"'
else
	skip "cgroupid" "no cgroup v2 mount where a cgroup can be made"
fi

# signal(): the traced workload dies of SIGUSR1 at its first marker call
# (the signal arrives when that call returns), so the probe counts 1 of 5
out=$(timeout 30 "$BPFKIT" trace --unsafe -e 'tracepoint:syscalls:sys_enter_getpgid /args->pid == 424242 && pid == cpid/ {
	@ = count(); signal("SIGUSR1"); }' -c "$W getpgid 5" 2>&1); rc=$?
leakcheck
check "signal(\"SIGUSR1\") with --unsafe kills the -c child at its first call" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep "^@:")" "@: 1"'

# the language: $N in probe names, a struct's last member without ';', ?:
# of statements, statements after exit() (a warning; the program loads)
out=$(timeout 30 "$BPFKIT" trace -e 'struct s { int a; int b }
i:ms:$1 { $1 ? printf("%d\n", sizeof(struct s)) : printf("no\n"); exit(); printf("never\n"); }' 5 2>&1); rc=$?
leakcheck
check "language: i:ms:\$1, struct member without ';', ?: of printf, code after exit()" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "stdin:2:75: warning: statements after exit() are never run
i:ms:\$1 { \$1 ? printf(\"%d\\n\", sizeof(struct s)) : printf(\"no\\n\"); exit(); printf(\"never\\n\"); }
                                                                          ^~~~~~~~~~~~~~~~~
Attaching 1 probe...
8"'

# -q, __BPFTRACE_NOTIFY_PROBES_ATTACHED (stderr, once, after attaching),
# -B none, BPFTRACE_MAX_PROBES
out=$(__BPFTRACE_NOTIFY_PROBES_ATTACHED=1 timeout 30 "$BPFKIT" trace -q -B none -e 'BEGIN { printf("b\n"); exit(); }' \
	2>"$tmp/notify.err"); rc=$?
leakcheck
check "-q: no Attaching line; the notify line on stderr" eval '[ "$rc" -eq 0 ] && equals "$out" "b" &&
	equals "$(cat "$tmp/notify.err")" "__BPFTRACE_NOTIFY_PROBES_ATTACHED"'
out=$(BPFTRACE_MAX_PROBES=1 timeout 30 "$BPFKIT" trace -e 'BEGIN { exit(); } END { }' 2>&1); rc=$?
leakcheck
check "BPFTRACE_MAX_PROBES=1 with 2 probes: bpftrace's error" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: Can'\''t attach to 2 probes because it exceeds the current limit of 1 probes."'

# pton(): bpftrace 0.17's text for an array
out=$(timeout 30 "$BPFKIT" trace -e 'BEGIN { $a = pton("255.1.128.1"); print($a); print(pton("::1"));
	printf("%d %d %s %d\n", $a[0], $a[2], ntop(pton("fe80::1")), $a == pton("255.1.128.1"));
	@k[pton("1.2.3.4")] = count(); @v = $a; exit(); }' 2>&1); rc=$?
leakcheck
check "pton(): print, index, ntop, ==, map key and value, as bpftrace prints them" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "Attaching 1 probe...
[255,1,128,1]
[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]
255 128 fe80::1 1


@k[[1,2,3,4]]: 1
@v: [255,1,128,1]"'

# -k / -kk: warnings (stderr) where a helper failed, the output (stdout) as without
out=$(timeout 30 "$BPFKIT" trace -k -e 'BEGIN { @x[1] = 1; delete(@x[2]); exit(); }' 2>"$tmp/k.err"); rc=$?
leakcheck
check "-k: a delete of a missing key warns at the call, the map prints as ever" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "@x[1]: 1" && equals "$(cat "$tmp/k.err")" "stdin:1:20: warning: Failed to map_delete_elem: No such file or directory (-2)
BEGIN { @x[1] = 1; delete(@x[2]); exit(); }
                   ^~~~~~~~~~~~~"'
out=$(BPFTRACE_MAP_KEYS_MAX=1 timeout 30 "$BPFKIT" trace -k -e 'BEGIN { @x[1] = 1; @x[2] = 2; exit(); }' 2>&1); rc=$?
leakcheck
check "-k: an update of a full map warns at its '=' (E2BIG)" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "stdin:1:26: warning: Failed to map_update_elem: Argument list too long (-7)"'
prog='tracepoint:syscalls:sys_enter_getpgid /pid == cpid/ { @[1] = count(); $s = str(args->pid); exit(); }'
out=$(timeout 30 "$BPFKIT" trace -k -e "$prog" -c "$W getpgid 1" 2>&1); rc=$?
leakcheck
check "-k: no check of reads and lookups" eval '[ "$rc" -eq 0 ] && ! echo "$out" | grep -q "warning:"'
out=$(timeout 30 "$BPFKIT" trace -kk -e "$prog" -c "$W getpgid 1" 2>&1); rc=$?
leakcheck
check "-kk: count()'s first lookup and str() of a bad user address" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "stdin:1:62: warning: Failed to map_lookup_elem: 0" &&
	contains "$out" "stdin:1:76: warning: Failed to probe_read_user_str: Bad address (-14)"'
out=$(timeout 30 "$BPFKIT" trace -kk --no-warnings -e "$prog" -c "$W getpgid 1" 2>&1); rc=$?
leakcheck
check "-kk --no-warnings: silent" eval '[ "$rc" -eq 0 ] && ! echo "$out" | grep -q "warning"'

check "kernel: no BPF program, map or link left behind" $leaks_ok
done_testing
