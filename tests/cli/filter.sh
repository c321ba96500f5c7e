#!/bin/sh
# CLI: bpfkit filter -- the classic program printed as tcpdump -d/-dd/-ddd
# print it (tcpdump's own output when it is installed, else goldens that
# tcpdump 4.99 / libpcap 1.10 printed), --ebpf and its round trip through
# the assembler and the VM, exact match counts over generated captures in
# the three engines, -w output equal to tcpdump -w's, -c, link types and
# snap lengths, JSON, and the errors: a bad expression (libpcap's message,
# the expression, exit 1), missing, truncated, corrupt files and unknown
# link types (exit 1), usage errors (exit 2). Then the differential test
# (tests/tools/filter_diff.c) over two generated captures.
. "$(dirname "$0")/lib.sh"
: "${BUILD:=build}"
GEN=$BUILD/tests/pcapgen
DIFF=$BUILD/tests/filter_diff
DATA=$(dirname "$0")/../data/filter

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
have_tcpdump=false
command -v tcpdump >/dev/null 2>&1 && have_tcpdump=true

# ---- printing ---------------------------------------------------------------------
while IFS='	' read -r name expr; do
	for d in d dd ddd; do
		got=$("$BPFKIT" filter -$d "$expr")
		check "-$d '$expr' is libpcap's program, printed as tcpdump prints it" \
			equals "$got" "$(cat "$DATA/$name.$d")"
		if $have_tcpdump; then
			check "-$d '$expr' equals tcpdump -$d" equals "$got" "$(tcpdump -$d "$expr" 2>/dev/null)"
		fi
	done
done <"$DATA/exprs"
check "-d is the default" equals "$("$BPFKIT" filter tcp port 80)" "$(cat "$DATA/tcp_port_80.d")"
check "the words of the expression are joined" equals "$("$BPFKIT" filter tcp port 80)" \
	"$("$BPFKIT" filter 'tcp port 80')"
if $have_tcpdump; then
	check "-y RAW equals tcpdump -y RAW -d" equals "$("$BPFKIT" filter -y RAW 'tcp port 22')" \
		"$(tcpdump -y RAW -d 'tcp port 22' 2>/dev/null)"
	check "-O (no optimizer) equals tcpdump -O -d" equals "$("$BPFKIT" filter -O 'tcp or udp')" \
		"$(tcpdump -O -d 'tcp or udp' 2>/dev/null)"
	check "-s 96 returns 96, as tcpdump -s 96 -d" equals "$("$BPFKIT" filter -s 96 ip)" \
		"$(tcpdump -s 96 -d ip 2>/dev/null)"
else
	skip "-y RAW, -O and -s against tcpdump" "tcpdump is not installed"
fi

ebpf=$("$BPFKIT" filter --ebpf 'ip[2:2] > 100')
want='r6 = r1
r6 += 8
r9 = r2
r9 -= 8
w0 = 0
w7 = 0
if r9 < 0xe goto L18
r0 = *(u16 *)(r6 + 12)
r0 = be16 r0
if w0 != 0x800 goto L16
if r9 < 0x12 goto L18
r0 = *(u16 *)(r6 + 16)
r0 = be16 r0
if w0 <= 0x64 goto L16
w0 = 262144
exit
L16:
w0 = 0
exit
L18:
w0 = 0
exit'
check "--ebpf: the kernel's mapping, with bounds-checked loads" equals "$ebpf" "$want"
printf '%s\n' "$ebpf" >"$tmp/f.asm"
check "--ebpf output reassembles" "$BPFKIT" asm "$tmp/f.asm" -o "$tmp/f.bin"
# header (wire length 60, 0) then an IPv4 frame with total length 0x0100
mem="3c 00 00 00 00 00 00 00 $(printf '00 %.0s' $(seq 12))08 00 45 00 01 00"
check "and runs in the VM: 262144 for ip[2:2] = 256" equals \
	"$("$BPFKIT" vm run --mem "$mem" "$tmp/f.asm" 2>&1)" "0x40000"
check "--ebpf -D conf: the conformance dialect" contains "$("$BPFKIT" filter --ebpf -D conf ip)" \
	'ldxh %r0, [%r6+12]'

# ---- running over captures -------------------------------------------------------------
"$GEN" "$tmp/g.pcap" -n 3000 -s 1
check "-r: exact match count (tcp port 80)" equals "$("$BPFKIT" filter -r "$tmp/g.pcap" 'tcp port 80' 2>&1)" \
	"137 packets matched of 3000
286 packets captured short of their length (caplen < len)"
for e in cbpf vm jit; do
	check "--engine $e: the same count (udp or icmp)" equals \
		"$("$BPFKIT" filter --engine $e -r "$tmp/g.pcap" 'udp or icmp' 2>&1 | head -n 1)" \
		"842 packets matched of 3000"
done
check "--jit is --engine jit" equals "$("$BPFKIT" filter --jit -r "$tmp/g.pcap" 'vlan' 2>&1 | head -n 1)" \
	"$("$BPFKIT" filter --engine cbpf -r "$tmp/g.pcap" 'vlan' 2>&1 | head -n 1)"
check "-c 5 stops after 5 matches" equals "$("$BPFKIT" filter -c 5 -r "$tmp/g.pcap" tcp 2>&1 | head -n 1)" \
	"5 packets matched of 16"
check "-j: the counts as JSON" equals "$("$BPFKIT" filter -j -r "$tmp/g.pcap" 'tcp port 80')" \
	'{"packets":3000,"matched":137,"short":286}'
"$BPFKIT" filter -r "$tmp/g.pcap" -w "$tmp/out.pcap" 'host 10.0.0.1 and tcp' 2>/dev/null
check "-w writes the matching packets: they read back and all match again" equals \
	"$("$BPFKIT" filter -r "$tmp/out.pcap" 'host 10.0.0.1 and tcp' 2>&1 | head -n 1)" \
	"81 packets matched of 81"
"$GEN" "$tmp/s.pcap" -n 2000 -s 2 --snaplen 60
check "snap length 60: loads past caplen fail, counted" equals \
	"$("$BPFKIT" filter -r "$tmp/s.pcap" 'tcp[13] & 2 != 0' 2>&1)" \
	"87 packets matched of 2000
1516 packets captured short of their length (caplen < len)"
if $have_tcpdump; then
	for expr in 'tcp port 80' 'vlan and udp' 'ip6 and tcp[13] = 2' 'len > 200 or icmp' 'not ip'; do
		for f in g s; do
			"$BPFKIT" filter -r "$tmp/$f.pcap" -w "$tmp/b.pcap" "$expr" 2>/dev/null
			tcpdump -r "$tmp/$f.pcap" -w "$tmp/t.pcap" "$expr" 2>/dev/null
			check "-w '$expr' ($f.pcap) is byte for byte tcpdump -w's file" cmp -s "$tmp/b.pcap" "$tmp/t.pcap"
		done
	done
	check "-r -d: compiled for the file, as tcpdump -r -d" equals \
		"$("$BPFKIT" filter -r "$tmp/s.pcap" -d ip)" "$(tcpdump -r "$tmp/s.pcap" -d ip 2>/dev/null)"
else
	skip "-w against tcpdump -w" "tcpdump is not installed"
fi

check "a pcapng file reads: 1 of 3 (one captured short)" equals \
	"$("$BPFKIT" filter -r "$DATA/small.pcapng" 'tcp port 80' 2>&1)" "1 packet matched of 3
1 packet captured short of its length (caplen < len)"
check "pcapng: a load past caplen fails the whole filter, under not too" equals \
	"$("$BPFKIT" filter -r "$DATA/small.pcapng" 'ip and not udp' 2>&1 | head -n 1)" "1 packet matched of 3"

# ---- errors ----------------------------------------------------------------------------
out=$("$BPFKIT" filter 'tcp prot 80' 2>&1); rc=$?
check "a bad expression: libpcap's message with the expression, exit 1" equals "$rc: $out" \
	"1: bpfkit: error: filter 'tcp prot 80': can't parse filter expression: syntax error"
out=$("$BPFKIT" filter 'tcp port foo' 2>&1); rc=$?
check "an unknown port: exit 1" equals "$rc: $out" "1: bpfkit: error: filter 'tcp port foo': unknown port 'foo'"
out=$("$BPFKIT" filter -j 'tcp port foo'); rc=$?
check "a bad expression in JSON" equals "$rc: $out" \
	'1: {"error":"filter '"'tcp port foo'"': unknown port '"'foo'"'"}'
out=$("$BPFKIT" filter -r "$tmp/none.pcap" tcp 2>&1); rc=$?
check "a missing file: exit 1" equals "$rc: $out" "1: bpfkit: error: $tmp/none.pcap: No such file or directory"
head -c 10 "$tmp/g.pcap" >"$tmp/t1.pcap"
out=$("$BPFKIT" filter -r "$tmp/t1.pcap" tcp 2>&1); rc=$?
check "a truncated file header: exit 1" equals "$rc: $out" \
	"1: bpfkit: error: $tmp/t1.pcap: truncated dump file; tried to read 24 file header bytes, only got 6"
head -c 1000 "$tmp/g.pcap" >"$tmp/t2.pcap"
out=$("$BPFKIT" filter -r "$tmp/t2.pcap" tcp 2>&1); rc=$?
check "a file cut inside a packet: the counts so far, then the error, exit 1" equals "$rc: $out" \
	"1: 2 packets matched of 11
bpfkit: error: $tmp/t2.pcap: packet 12: truncated dump file; tried to read 16 header bytes, only got 1"
printf 'this is not a capture file at all, not even close' >"$tmp/junk.pcap"
out=$("$BPFKIT" filter -r "$tmp/junk.pcap" tcp 2>&1); rc=$?
check "a corrupt file: exit 1" equals "$rc: $out" "1: bpfkit: error: $tmp/junk.pcap: unknown file format"
# a pcap header for link type 65000 and no packets
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\350\375\000\000' >"$tmp/lt.pcap"
out=$("$BPFKIT" filter -r "$tmp/lt.pcap" tcp 2>&1); rc=$?
check "an unknown link type: libpcap's message, exit 1" equals "$rc: $out" \
	"1: bpfkit: error: $tmp/lt.pcap: filter 'tcp': unknown data link type 65000 (min 104, max 289)"
"$BPFKIT" filter -w "$tmp/x.pcap" tcp 2>/dev/null; rc=$?
check "-w without -r: usage error (exit 2)" [ "$rc" -eq 2 ]
"$BPFKIT" filter --engine foo tcp 2>/dev/null; rc=$?
check "an unknown engine: usage error (exit 2)" [ "$rc" -eq 2 ]
"$BPFKIT" filter -y NOSUCH tcp 2>/dev/null; rc=$?
check "an unknown link type name: usage error (exit 2)" [ "$rc" -eq 2 ]
"$BPFKIT" filter help >/dev/null; rc=$?
check "filter help: exit 0" [ "$rc" -eq 0 ]
check "bpfkit help lists filter" contains "$("$BPFKIT" help)" "  filter   compile a tcpdump filter"

# ---- live capture (root): the kernel runs the classic filter on an AF_PACKET socket --------
# send_udp PORT N: N datagrams to 127.0.0.1:PORT, through bash's /dev/udp
send_udp() {
	_i=0
	while [ $_i -lt "$2" ]; do
		bash -c "echo hello-from-filter-sh-0123456789 >/dev/udp/127.0.0.1/$1"
		_i=$((_i + 1))
	done
}
if [ "$(id -u)" != 0 ]; then
	skip "live capture on lo" "needs root (CAP_NET_RAW)"
elif ! command -v bash >/dev/null 2>&1 || ! ip link show lo >/dev/null 2>&1; then
	skip "live capture on lo" "needs bash (/dev/udp) and a loopback interface"
else
	port=$((40000 + $$ % 20000))
	timeout 20 "$BPFKIT" filter -i lo -c 3 -s 60 -w "$tmp/live.pcap" "udp dst port $port" 2>"$tmp/live.err" &
	pid=$!
	# datagrams to port+1 (never read) and to port, until the capture has 3
	_k=0
	while kill -0 $pid 2>/dev/null && [ $_k -lt 150 ]; do
		send_udp $((port + 1)) 1
		send_udp "$port" 1
		sleep 0.1
		_k=$((_k + 1))
	done
	wait $pid; rc=$?
	check "-i lo -c 3: stops after 3 matches (exit 0)" equals "$rc: $(cat "$tmp/live.err")" "0: 3 packets matched on lo
0 packets dropped by the kernel"
	check "-w: only the matching datagrams, cut to -s 60, with their wire length" equals \
		"$("$BPFKIT" filter -r "$tmp/live.pcap" "udp dst port $port and len = 74" 2>&1)" \
		"3 packets matched of 3
3 packets captured short of their length (caplen < len)"
	out=$("$BPFKIT" filter -i nosuch0 tcp 2>&1); rc=$?
	check "-i: an unknown interface, exit 1" equals "$rc: $out" "1: bpfkit: error: no interface 'nosuch0'"
fi
"$BPFKIT" filter -i lo -d tcp 2>/dev/null; rc=$?
check "-i with -d: usage error (exit 2)" [ "$rc" -eq 2 ]
"$BPFKIT" filter -i lo -r "$tmp/g.pcap" tcp 2>/dev/null; rc=$?
check "-i with -r: usage error (exit 2)" [ "$rc" -eq 2 ]

# ---- the kernel engine (root): the kernel's form of the translation through BPF_PROG_TEST_RUN ----
check "--kernel --ebpf: the kernel's form, LD_ABS and skb->len" equals \
	"$("$BPFKIT" filter --kernel --ebpf 'ip[2:2] > len')" 'r6 = r1
w0 = 0
w7 = 0
*(u32 *)(r10 - 60) = 0
r0 = *(u16 *)skb[12]
if w0 != 0x800 goto L14
r0 = *(u16 *)skb[16]
*(u32 *)(r10 - 60) = r0
r0 = *(u32 *)(r6 + 0)
w7 = w0
r0 = *(u32 *)(r10 - 60)
if w0 <= w7 goto L14
w0 = 262144
exit
L14:
w0 = 0
exit'
if [ "$(id -u)" != 0 ]; then
	skip "the kernel engine" "needs root (BPF_PROG_LOAD)"
else
	check "--kernel: the count of the other engines, runts and cut frames not run" equals \
		"$("$BPFKIT" filter --kernel -r "$tmp/g.pcap" 'tcp port 80' 2>&1)" "137 packets matched of 3000
286 packets captured short of their length (caplen < len)
155 packets not run: the kernel refuses frames cut inside their Ethernet, IPv4 or IPv6 header"
	"$DIFF" "$tmp/g.pcap" -n 40 -r 40 -k 40 -s 21 >"$tmp/diffk.out"
	check "the kernel agrees with libpcap (40 expression programs, 40 random programs)" \
		grep -q '^ok 4 - kernel: 80 programs' "$tmp/diffk.out"
	grep '^#' "$tmp/diffk.out" | head -n 5
fi

# ---- the differential test ---------------------------------------------------------------
"$DIFF" "$tmp/g.pcap" -n 300 -r 300 -s 11 >"$tmp/diff.out"
while IFS= read -r line; do
	case "$line" in
	"ok "*) check "differential (g.pcap): ${line#ok [0-9]* - }" true ;;
	"not ok "*) check "differential (g.pcap): ${line#not ok [0-9]* - }" false ;;
	"#"*) echo "$line" ;;
	esac
done <"$tmp/diff.out"
"$DIFF" "$tmp/s.pcap" -n 100 -r 100 -s 12 >"$tmp/diff2.out"
while IFS= read -r line; do
	case "$line" in
	"ok "*) check "differential (snaplen 60): ${line#ok [0-9]* - }" true ;;
	"not ok "*) check "differential (snaplen 60): ${line#not ok [0-9]* - }" false ;;
	"#"*) echo "$line" ;;
	esac
done <"$tmp/diff2.out"
done_testing
