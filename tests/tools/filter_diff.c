// SPDX-License-Identifier: MIT
/*
 * filter_diff: the packet filter's differential test. Over every packet of
 * a capture (pcapgen's), four engines must return the same value:
 * libpcap's own matcher (pcap_offline_filter / bpf_filter), bpfkit's
 * classic interpreter, and bpfkit's eBPF translation in the VM's
 * interpreter and its JIT.
 *
 *   filter_diff IN.pcap [-n EXPRS] [-r PROGS] [-s SEED] [-k N] [-v]
 *
 * The programs: EXPRS generated tcpdump expressions (protocols, hosts,
 * nets, ports, port ranges, byte offsets with arithmetic, tcp flags,
 * lengths, VLANs, nested and/or/not), each compiled by libpcap optimized
 * and unoptimized; and PROGS random valid classic programs (every opcode,
 * loads near and past the end of packets, X-relative loads, division by
 * a zero X, shifts by X up to 40, scratch memory), which libpcap's
 * bpf_filter() runs as the reference. With -k N (root), the first N
 * expressions and N random programs also run in the kernel engine
 * (BPFKIT_PKT_ENGINE_KERNEL: translated for the kernel, LD_ABS/LD_IND as
 * its own conversion emits them, run with BPF_PROG_TEST_RUN) on each
 * packet the kernel can take whole (caplen = len, at least an Ethernet
 * header: the kernel's `len` is the bytes it was given). Prints TAP; the
 * first few disagreements name the program, the packet and each engine's
 * value.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include <bpfkit/pkt.h>

struct pkt {
	struct pcap_pkthdr h;
	uint8_t *data;
};

static uint64_t rng_state = 1;
static int verbose;

static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static uint32_t pick(uint32_t n)
{
	return rnd() % n;
}

#define ONE_OF(a) ((a)[pick(sizeof(a) / sizeof((a)[0]))])

/* ---- expressions ---------------------------------------------------------- */

/* Append a primitive filter to @p s. */
static void gen_primitive(char *s, size_t size)
{
	static const char *protos[] = { "ip", "ip6", "tcp", "udp", "icmp", "arp", "icmp6", "ip proto 47",
					"ether proto 0x88b5", "ip6 proto 17", "ip6 proto 44", "vlan",
					"vlan 100", "vlan 101", "ether broadcast", "ether multicast",
					"ip multicast", "ip6 multicast" };
	static const char *hosts[] = { "10.0.0.1", "10.0.0.2", "10.0.0.5", "192.168.1.1", "192.168.1.3" };
	static const char *hosts6[] = { "2001:db8::1", "2001:db8::3", "fe80::1", "fe80::2" };
	static const char *dirs[] = { "", "src ", "dst ", "src or dst ", "src and dst " };
	static const char *l4[] = { "", "tcp ", "udp " };
	static const char *ports[] = { "80", "443", "22", "53", "8080", "1234", "123", "5000" };
	static const char *cmp[] = { "=", "!=", ">", "<", ">=", "<=" };
	static const char *offs[] = { "ip[0]", "ip[1]", "ip[2:2]", "ip[6:2] & 0x1fff", "ip[8]", "ip[9]",
				      "ip[12:4]", "ip[16:4]", "tcp[0:2]", "tcp[2:2]", "tcp[13]", "tcp[12] >> 4",
				      "tcp[tcpflags]", "udp[4:2]", "udp[0:2]", "icmp[icmptype]", "icmp[1]",
				      "ether[0]", "ether[12:2]", "ether[14:4]", "ether[60]", "ip6[6]",
				      "ip6[40:2]", "len", "ip[2:2] - 20", "(ip[0] & 0xf) * 4",
				      "ip[2:2] / 4", "ip[2:2] % 7", "ip[1] ^ 0xff", "ip[0] << 2",
				      "tcp[(tcp[12] >> 2):2]", "ip[ip[0] & 0xf]", "ether[ip[9]]",
				      "len - 14", "ip[2:2] + ip[0]", "ip[8] << (ip[9] & 0x1f)",
				      "ip[2:2] >> ip[9]", "udp[4:2] * 3", "tcp[14:2] | 0x8000",
				      "ip[2:2] / (ip[8] & 3)", "ip[2:2] % (ip[9] & 1)", "-ip[8]" };
	static const char *flags[] = { "tcp-syn", "tcp-ack", "tcp-fin", "tcp-rst", "tcp-push", "tcp-syn|tcp-ack" };
	size_t n = strlen(s);

	s += n;
	size -= n;
	switch (pick(10)) {
	case 0:
		snprintf(s, size, "%s", ONE_OF(protos));
		break;
	case 1:
		snprintf(s, size, "%shost %s", ONE_OF(dirs), ONE_OF(hosts));
		break;
	case 2:
		if (pick(2))
			snprintf(s, size, "%snet %s", ONE_OF(dirs), pick(2) ? "10.0.0.0/29" : "192.168.1.0/24");
		else
			snprintf(s, size, "ip6 %shost %s", ONE_OF(dirs), ONE_OF(hosts6));
		break;
	case 3:
		snprintf(s, size, "%s%sport %s", ONE_OF(l4), ONE_OF(dirs), ONE_OF(ports));
		break;
	case 4:
		snprintf(s, size, "%s%sportrange %u-%u", ONE_OF(l4), ONE_OF(dirs), 1 + pick(2000), 2000 + pick(60000));
		break;
	case 5:
		snprintf(s, size, "tcp[tcpflags] & (%s) %s 0", ONE_OF(flags), pick(2) ? "!=" : "=");
		break;
	case 6:
		snprintf(s, size, "%s %s", pick(2) ? "greater" : "less", pick(2) ? "64" : "200");
		break;
	case 7:
		snprintf(s, size, "len %s %u", ONE_OF(cmp), 14 + pick(300));
		break;
	default:
		snprintf(s, size, "%s %s %u", ONE_OF(offs), ONE_OF(cmp),
			 pick(3) ? pick(256) : pick(2) ? pick(1500) : rnd());
	}
}

/* A whole expression: primitives joined with and/or, some negated, some
 * parenthesized, up to @p depth levels. */
static void gen_expr(char *s, size_t size, int depth)
{
	unsigned terms = depth > 0 ? 1 + pick(3) : 1;

	for (unsigned i = 0; i < terms; i++) {
		if (i)
			strncat(s, pick(2) ? " and " : " or ", size - strlen(s) - 1);
		if (!pick(5))
			strncat(s, "not ", size - strlen(s) - 1);
		if (depth > 0 && !pick(3)) {
			strncat(s, "(", size - strlen(s) - 1);
			gen_expr(s, size, depth - 1);
			strncat(s, ")", size - strlen(s) - 1);
		} else {
			gen_primitive(s, size);
		}
	}
}

/* ---- random classic programs ------------------------------------------------ */

/* A random valid classic program of up to @p max instructions: first a few
 * stores to M[0..3] (so every M[] read is of a written word, as libpcap's
 * bpf_filter() leaves M[] uninitialized), then random instructions with
 * forward jumps, then returns. */
static size_t gen_prog(struct bpfkit_cbpf_insn *p, size_t max)
{
	static const uint16_t ld[] = { 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x80, 0x00, 0x60, 0x01, 0x81,
				       0x61, 0xb1 };
	static const uint16_t alu[] = { 0x04, 0x14, 0x24, 0x34, 0x44, 0x54, 0x64, 0x74, 0x84, 0x94, 0xa4 };
	static const uint16_t jmp[] = { 0x15, 0x25, 0x35, 0x45 };
	size_t n = 0, body = 4 + pick((uint32_t)max - 12);

	for (unsigned k = 0; k < 4; k++) {
		p[n++] = (struct bpfkit_cbpf_insn){ .code = 0x00, .k = rnd() };
		p[n++] = (struct bpfkit_cbpf_insn){ .code = 0x02, .k = k };
	}
	while (n < body) {
		struct bpfkit_cbpf_insn in = { 0 };
		size_t left = body + 2 - n - 1; /* instructions after this one */

		switch (pick(6)) {
		case 0:
		case 1:
			in.code = ONE_OF(ld);
			in.k = pick(4) ? pick(80) : pick(2) ? rnd() : 0xfffffff0u + pick(16);
			if ((in.code & 0xe0) == 0x60)
				in.k = pick(4);
			break;
		case 2:
		case 3:
			in.code = (uint16_t)(ONE_OF(alu) | (pick(2) ? 0x08 : 0));
			if (in.code == 0x8c)
				in.code = 0x84;
			in.k = pick(2) ? pick(40) : rnd();
			if (!(in.code & 0x08) && ((in.code & 0xf0) == 0x30 || (in.code & 0xf0) == 0x90))
				in.k |= 1; /* a constant divisor is never 0 */
			if (!(in.code & 0x08) && ((in.code & 0xf0) == 0x60 || (in.code & 0xf0) == 0x70))
				in.k &= 31; /* a constant shift is below 32 */
			break;
		case 4:
			in.code = (uint16_t)(ONE_OF(jmp) | (pick(2) ? 0x08 : 0));
			in.k = pick(2) ? pick(256) : rnd();
			in.jt = (uint8_t)pick((uint32_t)(left < 255 ? left : 255));
			in.jf = (uint8_t)pick((uint32_t)(left < 255 ? left : 255));
			if (!pick(8)) {
				in.code = 0x05;
				in.k = pick((uint32_t)left);
				in.jt = in.jf = 0;
			}
			break;
		default:
			switch (pick(4)) {
			case 0: in.code = 0x07; break; /* tax */
			case 1: in.code = 0x87; break; /* txa */
			case 2: in.code = 0x02; in.k = pick(4); break;
			default: in.code = 0x03; in.k = pick(4); break;
			}
		}
		p[n++] = in;
	}
	p[n++] = (struct bpfkit_cbpf_insn){ .code = 0x16 }; /* ret a */
	p[n++] = (struct bpfkit_cbpf_insn){ .code = 0x06, .k = pick(2) ? 0 : rnd() };
	return n;
}

/* ---- running ------------------------------------------------------------------ */

static struct bpfkit_pkt_filter *vm_f, *jit_f;
static unsigned long runs, matches; /* (program, packet) pairs, and those libpcap matched */

/* Run one program over every packet in bpfkit's three engines and compare
 * with @p ref (libpcap's value per packet). Returns the disagreements. */
static unsigned long compare(const char *what, const struct bpfkit_cbpf_insn *insns, size_t len,
			     const struct pkt *pkts, size_t npkts, const uint32_t *ref)
{
	struct bpfkit_diag diag;
	unsigned long bad = 0;

	vm_f = bpfkit_pkt_filter__new(insns, len, BPFKIT_PKT_ENGINE_VM, &diag);
	jit_f = vm_f ? bpfkit_pkt_filter__new(insns, len, BPFKIT_PKT_ENGINE_JIT, &diag) : NULL;
	if (!vm_f || !jit_f) {
		printf("# %s: loading failed: insn %ld: %s\n", what, diag.insn, diag.msg);
		bpfkit_pkt_filter__free(vm_f);
		return 1;
	}
	for (size_t i = 0; i < npkts; i++) {
		const struct pkt *p = &pkts[i];
		uint32_t c = bpfkit_cbpf_run(insns, len, p->data, p->h.caplen, p->h.len), v = ~0u, j = ~0u;
		int ev = bpfkit_pkt_filter__run(vm_f, p->data, p->h.caplen, p->h.len, &v, &diag);
		int ej = bpfkit_pkt_filter__run(jit_f, p->data, p->h.caplen, p->h.len, &j, &diag);

		runs++;
		matches += ref[i] != 0;

		if (!ev && !ej && c == ref[i] && v == ref[i] && j == ref[i])
			continue;
		if (bad++ < 3)
			printf("# %s: packet %zu (caplen %u len %u): libpcap %u cbpf %u vm %u%s jit %u%s\n", what,
			       i + 1, p->h.caplen, p->h.len, ref[i], c, v, ev ? " (fault)" : "", j,
			       ej ? " (fault)" : "");
	}
	bpfkit_pkt_filter__free(vm_f);
	bpfkit_pkt_filter__free(jit_f);
	return bad;
}

static unsigned long kernel_left; /* programs still to run in the kernel (-k) */
static unsigned long kernel_progs, kernel_runs, kernel_bad;
static int kernel_err; /* the first load error (-EPERM: not root) */

/* Run one program in the kernel engine over every packet it can take
 * whole; compare with @p ref. */
static void kernel_compare(const char *what, const struct bpfkit_cbpf_insn *insns, size_t len,
			   const struct pkt *pkts, size_t npkts, const uint32_t *ref)
{
	struct bpfkit_pkt_filter *f;
	struct bpfkit_diag diag;

	if (!kernel_left || kernel_err)
		return;
	kernel_left--;
	f = bpfkit_pkt_filter__new(insns, len, BPFKIT_PKT_ENGINE_KERNEL, &diag);
	if (!f) {
		kernel_err = -errno;
		if (kernel_err != -EPERM) {
			printf("# %s: kernel: %s\n", what, diag.msg);
			kernel_bad++;
		}
		return;
	}
	kernel_progs++;
	for (size_t i = 0; i < npkts; i++) {
		const struct pkt *p = &pkts[i];
		uint32_t k = ~0u;
		int err;

		if (p->h.caplen != p->h.len || p->h.caplen < 14)
			continue;
		kernel_runs++;
		err = bpfkit_pkt_filter__run(f, p->data, p->h.caplen, p->h.len, &k, &diag);
		if (err == -EMSGSIZE) { /* a frame the kernel refuses */
			kernel_runs--;
			continue;
		}
		if ((err || k != ref[i]) && kernel_bad++ < 3)
			printf("# %s: packet %zu (len %u): libpcap %u kernel %u%s%s\n", what, i + 1, p->h.len, ref[i], k,
			       err ? ": " : "", err ? diag.msg : "");
	}
	bpfkit_pkt_filter__free(f);
}

/* Compile @p expr with libpcap for @p linktype, optimized or not, and
 * compare every engine on every packet. -1 when libpcap refused it. */
static long check_expr(const char *expr, int linktype, int snaplen, bool optimize, const struct pkt *pkts,
		       size_t npkts, uint32_t *ref)
{
	struct bpf_program fp;
	pcap_t *dead = pcap_open_dead(linktype, snaplen);
	char what[700];
	long bad;

	if (pcap_compile(dead, &fp, expr, optimize, PCAP_NETMASK_UNKNOWN) < 0) {
		/* the optimizer refuses what it proves matches nothing; the
		 * unoptimized program still runs */
		bool none = optimize && strstr(pcap_geterr(dead), "rejects all packets");

		if (!none)
			printf("# '%s': %s\n", expr, pcap_geterr(dead));
		pcap_close(dead);
		return none ? 0 : -1;
	}
	for (size_t i = 0; i < npkts; i++)
		ref[i] = (uint32_t)pcap_offline_filter(&fp, &pkts[i].h, pkts[i].data);
	snprintf(what, sizeof(what), "'%s'%s", expr, optimize ? "" : " (-O)");
	bad = (long)compare(what, (const struct bpfkit_cbpf_insn *)fp.bf_insns, fp.bf_len, pkts, npkts, ref);
	kernel_compare(what, (const struct bpfkit_cbpf_insn *)fp.bf_insns, fp.bf_len, pkts, npkts, ref);
	if (verbose)
		printf("# %s: %u insns\n", what, fp.bf_len);
	pcap_freecode(&fp);
	pcap_close(dead);
	return bad;
}

/* Read every packet of @p path into memory. */
static struct pkt *read_all(const char *path, size_t *n, int *linktype, int *snaplen)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	struct pkt *v = NULL;
	size_t cap = 0;
	pcap_t *p = pcap_open_offline(path, errbuf);

	*n = 0;
	if (!p) {
		printf("Bail out! %s\n", errbuf);
		return NULL;
	}
	*linktype = pcap_datalink(p);
	*snaplen = pcap_snapshot(p);
	while (pcap_next_ex(p, &h, &d) == 1) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 1024;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				abort();
		}
		v[*n].h = *h;
		v[*n].data = malloc(h->caplen ? h->caplen : 1);
		if (!v[*n].data)
			abort();
		memcpy(v[*n].data, d, h->caplen);
		(*n)++;
	}
	pcap_close(p);
	return v;
}

int main(int argc, char **argv)
{
	unsigned long nexpr = 300, nprog = 300, bad = 0, refused = 0, t = 0, nkernel = 0;
	struct bpfkit_cbpf_insn prog[200];
	size_t npkts;
	int c, linktype, snaplen;
	struct pkt *pkts;
	uint32_t *ref;

	while ((c = getopt(argc, argv, "n:r:s:k:v")) != -1) {
		switch (c) {
		case 'k': nkernel = strtoul(optarg, NULL, 0); break;
		case 'n': nexpr = strtoul(optarg, NULL, 0); break;
		case 'r': nprog = strtoul(optarg, NULL, 0); break;
		case 's': rng_state = strtoull(optarg, NULL, 0) * 0x9e3779b97f4a7c15ULL | 1; break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: filter_diff IN.pcap [-n EXPRS] [-r PROGS] [-s SEED] [-k N] [-v]\n");
			return 2;
		}
	}
	kernel_left = nkernel;
	if (optind != argc - 1) {
		fprintf(stderr, "usage: filter_diff IN.pcap [-n EXPRS] [-r PROGS] [-s SEED] [-v]\n");
		return 2;
	}
	pkts = read_all(argv[optind], &npkts, &linktype, &snaplen);
	if (!pkts)
		return 1;
	ref = calloc(npkts, sizeof(*ref));
	if (!ref)
		return 1;

	for (unsigned long i = 0; i < nexpr; i++) {
		char expr[600] = "";
		long b1, b2;

		gen_expr(expr, sizeof(expr), 2);
		b1 = check_expr(expr, linktype, snaplen, true, pkts, npkts, ref);
		b2 = check_expr(expr, linktype, snaplen, false, pkts, npkts, ref);
		if (b1 < 0 || b2 < 0)
			refused++;
		else
			bad += (unsigned long)(b1 + b2);
	}
	printf("# expressions: libpcap matched %lu of %lu (program, packet) pairs\n", matches, runs);
	printf("%s %lu - %lu expressions, optimized and not, over %zu packets: libpcap, cbpf, vm and jit agree%s\n",
	       bad ? "not ok" : "ok", ++t, nexpr, npkts, bad ? "" : "");
	printf("%s %lu - libpcap compiled every generated expression (%lu refused)\n", refused ? "not ok" : "ok", ++t,
	       refused);

	bad = 0;
	for (unsigned long i = 0; i < nprog; i++) {
		size_t len = gen_prog(prog, sizeof(prog) / sizeof(prog[0]));
		struct bpfkit_diag diag;
		char what[64];

		if (bpfkit_cbpf_check(prog, len, &diag)) {
			printf("# random program %lu: insn %ld: %s\n", i, diag.insn, diag.msg);
			bad++;
			continue;
		}
		for (size_t k = 0; k < npkts; k++)
			ref[k] = bpf_filter((const struct bpf_insn *)prog, pkts[k].data, pkts[k].h.len,
					    pkts[k].h.caplen);
		snprintf(what, sizeof(what), "random program %lu", i);
		bad += compare(what, prog, len, pkts, npkts, ref);
		if (i == 0)
			kernel_left = nkernel; /* as many random programs as expressions */
		kernel_compare(what, prog, len, pkts, npkts, ref);
	}
	printf("%s %lu - %lu random classic programs over %zu packets: bpf_filter, cbpf, vm and jit agree\n",
	       bad ? "not ok" : "ok", ++t, nprog, npkts);
	if (nkernel && kernel_err == -EPERM)
		printf("ok %lu # SKIP kernel: BPF_PROG_LOAD needs root (EPERM)\n", ++t);
	else if (nkernel)
		printf("%s %lu - kernel: %lu programs over %lu (program, packet) runs: BPF_PROG_TEST_RUN agrees\n",
		       kernel_bad || kernel_err ? "not ok" : "ok", ++t, kernel_progs, kernel_runs);
	printf("1..%lu\n", t);
	for (size_t i = 0; i < npkts; i++)
		free(pkts[i].data);
	free(pkts);
	free(ref);
	return 0;
}
