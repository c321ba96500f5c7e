// SPDX-License-Identifier: MIT
/*
 * bpfkit filter: a tcpdump expression compiled by libpcap to classic BPF,
 * printed as tcpdump -d/-dd/-ddd print it or translated to eBPF and
 * disassembled; with -r, run over a capture file in the classic
 * interpreter, the VM or the JIT, counting matches and writing the
 * matching packets with -w. The work is src/pkt/; this file reads options
 * and prints.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/pkt.h>

#include "cli.h"

/* The help text: stdout for --help. */
static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s filter [OPTIONS] EXPRESSION...\n"
		"       %s filter [OPTIONS] -r IN.pcap [-w OUT.pcap] [-c N] EXPRESSION...\n"
		"       %s filter [OPTIONS] -i IFACE [-w OUT.pcap] [-c N] EXPRESSION...\n"
		"\n"
		"Compile a tcpdump filter expression (pcap-filter(7)) with libpcap and print\n"
		"the classic BPF program as tcpdump -d does, or its eBPF translation (--ebpf,\n"
		"the kernel's socket-filter conversion). With -r, run the filter over a pcap or\n"
		"pcapng file in bpfkit's VM: \"N packets matched of M\" on standard error, and\n"
		"the matching packets written to -w OUT.pcap. The words of the expression are\n"
		"joined with spaces, as tcpdump joins them.\n"
		"\n"
		"Options:\n"
		"  -d                         print the classic program as text (the default)\n"
		"  -dd                        ... as a C array, as tcpdump -dd\n"
		"  -ddd                       ... as decimal numbers, as tcpdump -ddd\n"
		"  -e, --ebpf                 print the eBPF translation instead\n"
		"  -D, --dialect kern|conf    the dialect of --ebpf (default kern)\n"
		"  -r, --read FILE            run the filter over a capture file (- for stdin)\n"
		"  -w, --write FILE           write the matching packets to a pcap file\n"
		"  -i, --interface IFACE      capture live on IFACE (Ethernet or loopback; root):\n"
		"                             the kernel runs the classic filter on its socket\n"
		"  -c, --count N              stop after N matching packets\n"
		"      --engine cbpf|vm|jit|kernel\n"
		"                             where the filter runs (default vm): the classic\n"
		"                             interpreter, the eBPF in the VM or its JIT, or the\n"
		"                             kernel (BPF_PROG_TEST_RUN, root; --ebpf prints\n"
		"                             the kernel's form, with LD_ABS/LD_IND)\n"
		"      --jit, --kernel        the same as --engine jit, --engine kernel\n"
		"  -y, --linktype TYPE        link type to compile for without -r (EN10MB,\n"
		"                             RAW, LINUX_SLL, ... or a number; default EN10MB)\n"
		"  -s, --snaplen N            without -r, the snap length (262144): what a\n"
		"                             match returns, and with -i the bytes kept\n"
		"  -O, --no-optimize          do not run libpcap's optimizer (tcpdump -O)\n"
		"  -j, --json                 the counts (and errors) as JSON\n"
		"  -p, --pretty               indented JSON\n"
		"  -h, --help                 this help\n"
		"\n"
		"Examples:\n"
		"  %s filter -dd 'tcp port 80'\n"
		"  %s filter --ebpf 'ip[2:2] > 100'\n"
		"  %s filter -r in.pcap -w web.pcap 'tcp port 80 or tcp port 443'\n",
		cli_progname, cli_progname, cli_progname, cli_progname, cli_progname, cli_progname);
}

struct filter_args {
	int dump; /* -d count: 1, 2, 3 */
	bool ebpf, no_optimize;
	struct bpfkit_disasm_opts dis;
	const char *in, *out, *iface;
	unsigned long count; /* 0 = all */
	enum bpfkit_pkt_engine engine;
	int linktype, snaplen;
	char *expr; /* malloc'd */
};

/* The words left after the options, joined with spaces (malloc'd). */
static char *join_words(int argc, char **argv, int first)
{
	size_t n = 1;
	char *s;

	for (int i = first; i < argc; i++)
		n += strlen(argv[i]) + 1;
	s = calloc(1, n);
	if (!s)
		return NULL;
	for (int i = first; i < argc; i++) {
		if (i > first)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* A whole number from @p min to @p max for option @p opt, or -1. */
static long number(const char *opt, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		cli_usage("%s takes a whole number from %ld to %ld, not '%s'", opt, min, max, s);
		return -1;
	}
	return v;
}

/* Parse the command line. Returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, struct filter_args *a)
{
	enum { OPT_ENGINE = 256, OPT_JIT, OPT_KERNEL };
	static const struct option longopts[] = {
		{ "ebpf", no_argument, NULL, 'e' },
		{ "dialect", required_argument, NULL, 'D' },
		{ "read", required_argument, NULL, 'r' },
		{ "interface", required_argument, NULL, 'i' },
		{ "write", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'c' },
		{ "engine", required_argument, NULL, OPT_ENGINE },
		{ "jit", no_argument, NULL, OPT_JIT },
		{ "kernel", no_argument, NULL, OPT_KERNEL },
		{ "linktype", required_argument, NULL, 'y' },
		{ "snaplen", required_argument, NULL, 's' },
		{ "no-optimize", no_argument, NULL, 'O' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char optstring[] = "deD:r:i:w:c:y:s:Ojph";
	long v;
	int c;

	a->dis.dialect = BPFKIT_DIALECT_KERN;
	a->engine = BPFKIT_PKT_ENGINE_VM;
	a->linktype = -1;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (++a->dump > 3)
				return cli_usage("-d, -dd or -ddd: at most three d's");
			break;
		case 'e':
			a->ebpf = true;
			break;
		case 'D':
			if (cli_parse_dialect(optarg, &a->dis.dialect))
				return EXIT_USAGE;
			break;
		case 'r':
			a->in = optarg;
			break;
		case 'i':
			a->iface = optarg;
			break;
		case 'w':
			a->out = optarg;
			break;
		case 'c':
			if ((v = number("-c", optarg, 1, LONG_MAX)) < 0)
				return EXIT_USAGE;
			a->count = (unsigned long)v;
			break;
		case OPT_ENGINE:
			if (!strcmp(optarg, "cbpf"))
				a->engine = BPFKIT_PKT_ENGINE_CBPF;
			else if (!strcmp(optarg, "vm"))
				a->engine = BPFKIT_PKT_ENGINE_VM;
			else if (!strcmp(optarg, "jit"))
				a->engine = BPFKIT_PKT_ENGINE_JIT;
			else if (!strcmp(optarg, "kernel"))
				a->engine = BPFKIT_PKT_ENGINE_KERNEL;
			else
				return cli_usage("unknown engine '%s' (cbpf, vm, jit or kernel)", optarg);
			break;
		case OPT_JIT:
			a->engine = BPFKIT_PKT_ENGINE_JIT;
			break;
		case OPT_KERNEL:
			a->engine = BPFKIT_PKT_ENGINE_KERNEL;
			break;
		case 'y':
			if ((a->linktype = bpfkit_pkt_linktype(optarg)) < 0)
				return cli_usage("unknown link type '%s' (EN10MB, RAW, LINUX_SLL, ... or a number)",
						 optarg);
			break;
		case 's':
			if ((v = number("-s", optarg, 1, INT_MAX)) < 0)
				return EXIT_USAGE;
			a->snaplen = (int)v;
			break;
		case 'O':
			a->no_optimize = true;
			break;
		case 'j':
			cli.json = true;
			break;
		case 'p':
			cli.json = cli.pretty = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return cli_bad_option(argc, argv, optstring, "filter");
		}
	}
	if (a->in && a->iface)
		return cli_usage("-r or -i: a capture file or an interface, not both");
	if (a->out && !a->in && !a->iface)
		return cli_usage("-w needs -r or -i: the packets come from a capture file or an interface");
	if (a->count && !a->in && !a->iface)
		return cli_usage("-c needs -r or -i");
	if ((a->in || a->iface) && a->linktype >= 0)
		return cli_usage("-y: the capture file or the interface gives the link type");
	if (a->iface && (a->dump || a->ebpf))
		return cli_usage("-i runs the filter; print it without -i");
	a->expr = join_words(argc, argv, optind);
	if (!a->expr)
		return cli_fail("out of memory");
	return -1;
}

/* Compile the expression; on failure print libpcap's message with it. */
static int compile(const struct filter_args *a, int linktype, int snaplen, struct bpfkit_cbpf_insn **insns,
		   size_t *len)
{
	struct bpfkit_diag diag;

	bpfkit_diag__clear(&diag);
	if (bpfkit_pkt_compile(a->expr, linktype, snaplen, a->no_optimize, insns, len, &diag))
		return cli_fail("filter '%s': %s", a->expr, diag.msg);
	return EXIT_OK;
}

/* Print the classic program (-d forms) or its eBPF translation. */
static int print_prog(const struct filter_args *a, const struct bpfkit_cbpf_insn *insns, size_t len)
{
	struct bpfkit_prog *prog = NULL;
	struct bpfkit_diag diag;
	char *text;

	if (a->ebpf) {
		bpfkit_diag__clear(&diag);
		if (bpfkit_cbpf_to_ebpf(insns, len,
					a->engine == BPFKIT_PKT_ENGINE_KERNEL ? BPFKIT_CBPF_TARGET_KERNEL : BPFKIT_CBPF_TARGET_VM,
					&prog, &diag))
			return cli_fail("translating to eBPF: insn %ld: %s", diag.insn, diag.msg);
		text = bpfkit_disasm(prog, &a->dis);
		bpfkit_prog__free(prog);
	} else {
		text = bpfkit_cbpf_dump(insns, len, (enum bpfkit_cbpf_dump)(a->dump ? a->dump : 1));
	}
	if (!text)
		return cli_fail("out of memory");
	fputs(text, stdout);
	free(text);
	return EXIT_OK;
}

struct run_counts {
	unsigned long packets, matched, short_caps;
	unsigned long not_run; /* frames the kernel engine refuses (too short) */
};

/* Print the counts: tcpdump's summary on stderr, or one JSON object. */
static void print_counts(const struct run_counts *n)
{
	struct json_w *w;

	if (!cli.json) {
		fprintf(stderr, "%lu packet%s matched of %lu\n", n->matched, n->matched == 1 ? "" : "s",
			n->packets);
		if (n->short_caps)
			fprintf(stderr, "%lu packet%s captured short of %s length (caplen < len)\n",
				n->short_caps, n->short_caps == 1 ? "" : "s", n->short_caps == 1 ? "its" : "their");
		if (n->not_run)
			fprintf(stderr, "%lu packet%s not run: the kernel refuses frames cut inside their "
					"Ethernet, IPv4 or IPv6 header\n", n->not_run, n->not_run == 1 ? "" : "s");
		return;
	}
	w = json_w_new(stdout);
	if (!w)
		return;
	json_w_obj_begin(w);
	json_w_key(w, "packets");
	json_w_uint(w, n->packets);
	json_w_key(w, "matched");
	json_w_uint(w, n->matched);
	json_w_key(w, "short");
	json_w_uint(w, n->short_caps);
	if (n->not_run) {
		json_w_key(w, "not_run");
		json_w_uint(w, n->not_run);
	}
	json_w_obj_end(w);
	json_w_free(w);
}

/* Read every packet of @p r, run @p f over it, count and write matches.
 * 0, or -errno with the reason in @p diag (a damaged file, a packet too
 * big), after which the counts so far are still right. */
static int run_packets(const struct filter_args *a, struct bpfkit_pcap_reader *r, struct bpfkit_pkt_filter *f,
		       struct bpfkit_pcap_writer *w, struct run_counts *n, struct bpfkit_diag *diag)
{
	struct bpfkit_pcap_rec rec;
	const uint8_t *data;
	uint32_t ret;
	int rc;

	while (!a->count || n->matched < a->count) {
		rc = bpfkit_pcap_reader__next(r, &rec, &data, diag);
		if (rc <= 0)
			return rc;
		rc = bpfkit_pkt_filter__run(f, data, rec.caplen, rec.len, &ret, diag);
		if (rc == -EMSGSIZE) { /* the kernel engine and a frame it refuses */
			n->not_run++;
			ret = 0;
		} else if (rc) {
			char msg[sizeof(diag->msg)];

			snprintf(msg, sizeof(msg), "%s", diag->msg);
			return bpfkit_diag__set(diag, rc, "packet %lu: %s", n->packets + 1, msg);
		}
		n->packets++;
		n->short_caps += rec.caplen < rec.len;
		if (!ret)
			continue;
		n->matched++;
		if (ret < rec.caplen)
			rec.caplen = ret; /* the filter's snap length */
		if (w && bpfkit_pcap_writer__write(w, &rec, data))
			return bpfkit_diag__set(diag, -EIO, "%s: write error", a->out);
	}
	return 0;
}

/* -r: open the capture, compile for its link type and snap length (as
 * tcpdump -r does), then print (-d, --ebpf) or run over every packet. */
static int run_file(const struct filter_args *a)
{
	struct bpfkit_pcap_reader *r = NULL;
	struct bpfkit_pcap_writer *w = NULL;
	struct bpfkit_pkt_filter *f = NULL;
	struct bpfkit_cbpf_insn *insns = NULL;
	struct run_counts n = { 0 };
	struct bpfkit_diag diag;
	size_t len = 0;
	int rc, lt, err;

	bpfkit_diag__clear(&diag);
	if (bpfkit_pcap_reader__open(a->in, &r, &diag))
		return cli_fail("%s", diag.msg);
	lt = bpfkit_pcap_reader__linktype(r);
	if (bpfkit_pkt_compile(a->expr, lt, bpfkit_pcap_reader__snaplen(r), a->no_optimize, &insns, &len, &diag)) {
		rc = cli_fail("%s: filter '%s': %s", a->in, a->expr, diag.msg);
		goto out;
	}
	if (a->dump || a->ebpf) {
		rc = print_prog(a, insns, len);
		goto out;
	}
	f = bpfkit_pkt_filter__new(insns, len, a->engine, &diag);
	if (!f) {
		rc = cli_fail("loading the filter: %s", diag.msg);
		goto out;
	}
	if (a->out && bpfkit_pcap_writer__open(a->out, lt, bpfkit_pcap_reader__snaplen(r), &w, &diag)) {
		rc = cli_fail("%s", diag.msg);
		goto out;
	}
	err = run_packets(a, r, f, w, &n, &diag);
	if (w && bpfkit_pcap_writer__close(w) && !err)
		err = bpfkit_diag__set(&diag, -EIO, "%s: write error", a->out);
	w = NULL;
	print_counts(&n);
	rc = err ? cli_fail("%s: %s", a->in, diag.msg) : EXIT_OK;
out:
	bpfkit_pcap_writer__close(w);
	bpfkit_pkt_filter__free(f);
	bpfkit_pcap_reader__close(r);
	free(insns);
	return rc;
}

static volatile sig_atomic_t live_stop;

static void on_signal(int sig)
{
	(void)sig;
	live_stop = 1;
}

/* The counts of a live capture: tcpdump's lines on stderr, or JSON. */
static void print_live_counts(const struct filter_args *a, unsigned long matched, unsigned long disagree,
			      unsigned long drops)
{
	struct json_w *w;

	if (!cli.json) {
		fprintf(stderr, "%lu packet%s matched on %s\n", matched, matched == 1 ? "" : "s", a->iface);
		if (disagree)
			fprintf(stderr, "%lu of them %s not match in bpfkit's %s engine\n", disagree,
				disagree == 1 ? "does" : "do", a->engine == BPFKIT_PKT_ENGINE_CBPF ? "cbpf"
							       : a->engine == BPFKIT_PKT_ENGINE_VM ? "vm"
							       : a->engine == BPFKIT_PKT_ENGINE_JIT ? "jit" : "kernel");
		fprintf(stderr, "%lu packet%s dropped by the kernel\n", drops, drops == 1 ? "" : "s");
		return;
	}
	w = json_w_new(stdout);
	if (!w)
		return;
	json_w_obj_begin(w);
	json_w_key(w, "interface");
	json_w_str(w, a->iface);
	json_w_key(w, "matched");
	json_w_uint(w, matched);
	json_w_key(w, "disagree");
	json_w_uint(w, disagree);
	json_w_key(w, "dropped");
	json_w_uint(w, drops);
	json_w_obj_end(w);
	json_w_free(w);
}

/*
 * -i: the kernel runs the classic program on an AF_PACKET socket; every
 * packet it passes is written (-w) and also run through the chosen engine,
 * which must match it too: a packet it does not match is counted (the
 * kernel's view can differ, e.g. VLAN tags the NIC took off). Until -c
 * matches, or SIGINT/SIGTERM.
 */
static int run_live(const struct filter_args *a)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int snaplen = a->snaplen ? a->snaplen : BPFKIT_PKT_SNAPLEN_DEFAULT;
	struct bpfkit_pcap_writer *w = NULL;
	struct bpfkit_pkt_filter *f = NULL;
	struct bpfkit_pkt_live *l = NULL;
	struct bpfkit_cbpf_insn *insns = NULL;
	unsigned long matched = 0, disagree = 0, drops = 0;
	struct bpfkit_pcap_rec rec;
	struct bpfkit_diag diag;
	uint8_t *buf = NULL;
	size_t len = 0;
	uint32_t ret;
	int rc, err = 0;

	rc = compile(a, BPFKIT_PKT_DLT_DEFAULT, snaplen, &insns, &len);
	if (rc)
		return rc;
	bpfkit_diag__clear(&diag);
	buf = malloc((size_t)snaplen);
	f = bpfkit_pkt_filter__new(insns, len, a->engine, &diag);
	if (!buf || !f) {
		rc = cli_fail("loading the filter: %s", buf ? diag.msg : "out of memory");
		goto out;
	}
	if (bpfkit_pkt_live__open(a->iface, insns, len, &l, &diag)) {
		rc = cli_fail("%s", diag.msg);
		goto out;
	}
	if (a->out && bpfkit_pcap_writer__open(a->out, BPFKIT_PKT_DLT_DEFAULT, snaplen, &w, &diag)) {
		rc = cli_fail("%s", diag.msg);
		goto out;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!live_stop && (!a->count || matched < a->count)) {
		err = bpfkit_pkt_live__next(l, &rec, buf, (size_t)snaplen, 500, &diag);
		if (err == 0 || err == -EINTR) {
			err = 0;
			continue;
		}
		if (err < 0)
			break;
		err = 0;
		matched++;
		if (bpfkit_pkt_filter__run(f, buf, rec.caplen, rec.len, &ret, &diag) || !ret)
			disagree++;
		if (w && bpfkit_pcap_writer__write(w, &rec, buf)) {
			err = bpfkit_diag__set(&diag, -EIO, "%s: write error", a->out);
			break;
		}
	}
	if (w && bpfkit_pcap_writer__close(w) && !err)
		err = bpfkit_diag__set(&diag, -EIO, "%s: write error", a->out);
	w = NULL;
	bpfkit_pkt_live__drops(l, &drops);
	print_live_counts(a, matched, disagree, drops);
	rc = err ? cli_fail("%s: %s", a->iface, diag.msg) : EXIT_OK;
out:
	bpfkit_pcap_writer__close(w);
	bpfkit_pkt_live__close(l);
	bpfkit_pkt_filter__free(f);
	free(insns);
	free(buf);
	return rc;
}

/* bpfkit filter [OPTIONS] EXPRESSION... */
int cmd_filter(int argc, char **argv)
{
	struct filter_args a = { 0 };
	struct bpfkit_cbpf_insn *insns = NULL;
	size_t len = 0;
	int rc;

	rc = parse_args(argc, argv, &a);
	if (rc >= 0) {
		free(a.expr);
		return rc;
	}
	if (a.in) {
		rc = run_file(&a);
	} else if (a.iface) {
		rc = run_live(&a);
	} else {
		rc = compile(&a, a.linktype >= 0 ? a.linktype : BPFKIT_PKT_DLT_DEFAULT,
			     a.snaplen ? a.snaplen : BPFKIT_PKT_SNAPLEN_DEFAULT, &insns, &len);
		if (!rc)
			rc = print_prog(&a, insns, len);
	}
	free(insns);
	free(a.expr);
	return rc;
}
