// SPDX-License-Identifier: MIT
/*
 * VM benchmarks: each program in bench/progs is assembled, loaded and run
 * repeatedly on its input for about BENCH_TIME seconds (default 0.5) three
 * ways: in the interpreter, as the JIT's native code, and -- when running
 * as root -- in the kernel as an XDP (or socket filter) program through
 * BPF_PROG_TEST_RUN with repeat = N, which gives the kernel JIT's figure.
 * The engines take turns, ten rounds of a short batch each, and the
 * fastest batch of each counts: other processes on a shared machine only
 * ever add time, and taking turns exposes all three to the same conditions
 * (the kernel's own figure already leaves out time it was rescheduled).
 * The table gives ns per run, instructions per second, the JIT's speedup
 * over the interpreter, the JIT's time without instruction counting
 * (bpfkit_jit_opts.no_count, jit-nc) and that time relative to the kernel,
 * which does not count either. Every result is checked against a C
 * reference, and the JIT's instruction count against the interpreter's, so
 * a fast wrong engine cannot look good.
 *
 * Programs take r1 = input and r2 = its length, or (end_ptr) r2 = the end
 * of the input as a pointer, which is how XDP programs must be written for
 * the verifier to accept packet accesses. One instruction of prologue
 * adapts the entry for each engine: `add r2, r1` in the VM for end_ptr
 * programs; in the kernel, r1/r2 are loaded from struct xdp_md (and, for
 * length programs, r2 -= r1). The kernel column says which programs the
 * verifier refuses and why.
 *
 * usage: bench_vm [--check] [PROGS_DIR]   (default bench/progs)
 *
 * --check runs each program a few times instead of timing it and prints
 * TAP for the test runner: a program passes when every engine gives the C
 * reference's result and the JIT counts what the interpreter counts. The
 * programs written for the kernel's verifier (count and the _pkt ones) get
 * a second line: they must load and agree in the kernel too (a SKIP when
 * not root); the others are not loaded there.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include <bpfkit/isa.h>
#include <bpfkit/vm.h>

struct bench {
	const char *name;
	size_t mem_len;
	void (*fill)(uint8_t *mem, size_t len);
	uint64_t (*expect)(const uint8_t *mem, size_t len);
	bool end_ptr; /* r2 is the end of the input, not its length */
	bool kernel; /* written for the kernel's verifier: --check requires it to load */
};

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

static void fill_random(uint8_t *m, size_t n)
{
	uint32_t s = 42;
	for (size_t i = 0; i < n; i++)
		m[i] = (uint8_t)lcg(&s);
}

/* Two equal NUL-terminated strings, at the start and in the middle. */
static void fill_strings(uint8_t *m, size_t n)
{
	for (size_t i = 0; i < n / 2 - 1; i++)
		m[i] = m[n / 2 + i] = (uint8_t)('a' + i % 26);
	m[n / 2 - 1] = m[n - 1] = 0;
}

static uint64_t expect_loop(const uint8_t *m, size_t n) { (void)m; (void)n; return 1000000; }
static uint64_t expect_count(const uint8_t *m, size_t n) { (void)m; (void)n; return 100000; }
static uint64_t expect_half(const uint8_t *m, size_t n) { (void)m; return n / 2; }
static uint64_t expect_zero(const uint8_t *m, size_t n) { (void)m; (void)n; return 0; }

static uint64_t expect_primes(const uint8_t *m, size_t n)
{
	uint64_t count = 0;
	(void)m;
	(void)n;
	for (uint64_t i = 2; i < 5000; i++) {
		uint64_t d = 2;
		while (d * d <= i && i % d)
			d++;
		count += d * d > i;
	}
	return count;
}

static uint64_t expect_checksum(const uint8_t *m, size_t n)
{
	uint64_t sum = 0;
	size_t i;
	for (i = 0; i + 1 < n; i += 2)
		sum += (uint64_t)m[i] << 8 | m[i + 1];
	if (i < n)
		sum += (uint64_t)m[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum ^ 0xffff;
}

static uint64_t expect_switch(const uint8_t *m, size_t n)
{
	uint64_t a = 0;
	for (size_t i = 0; i < n; i++) {
		switch (m[i] & 7) {
		case 0: a += 1; break;
		case 1: a -= 3; break;
		case 2: a <<= 1; break;
		case 3: a >>= 1; break;
		case 4: a *= 3; break;
		case 5: a |= 0x10; break;
		case 6: a &= 0xffffff; break;
		default: a ^= 0x5a; break;
		}
	}
	return a;
}

static const struct bench benches[] = {
	{ "loop", 0, NULL, expect_loop },
	{ "memcpy", 4096, fill_random, expect_half },
	{ "strcmp", 2048, fill_strings, expect_zero },
	{ "primes", 0, NULL, expect_primes },
	{ "checksum", 1500, fill_random, expect_checksum },
	{ "switch", 4096, fill_random, expect_switch },
	{ "count", 0, NULL, expect_count, false, true },
	{ "csum_pkt", 1500, fill_random, expect_checksum, true, true },
	{ "memcpy_pkt", 1500, fill_random, expect_half, true, true },
	{ "strcmp_pkt", 1500, fill_strings, expect_zero, true, true },
	{ "switch_pkt", 960, fill_random, expect_switch, true, true },
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *read_text(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = 0;
			*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

#define ROUNDS 10

/* One engine's state and figure for one program. */
struct engine {
	const char *name;
	struct bpfkit_vm *vm; /* interpreter and JIT */
	int fd; /* kernel: the loaded program, or -1 */
	uint32_t repeat; /* kernel: runs per test run */
	double ns; /* per run, the fastest batch; < 0 = not measured */
	uint64_t insns; /* per run */
	char why[200]; /* why not measured */
	bool failed; /* kernel: loaded, but the test run failed or disagreed */
	bool unavailable; /* the JIT on a host it does not support */
};

/* The program with an engine's prologue in front (see the top). */
static struct bpfkit_insn *with_prologue(const struct bpfkit_prog *p, const struct bpfkit_insn *pro,
					 size_t npro, size_t *n)
{
	struct bpfkit_insn *out = malloc((p->len + npro) * sizeof(*out));

	if (!out)
		return NULL;
	memcpy(out, pro, npro * sizeof(*pro));
	memcpy(out + npro, p->insns, p->len * sizeof(*out));
	*n = p->len + npro;
	return out;
}

#define INSN(c, d, s, o, i) ((struct bpfkit_insn){ .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) })

/* Load the program into a VM, compiled when @p jit is non-NULL. */
static int vm_setup(const struct bench *b, const struct bpfkit_prog *prog,
		    const struct bpfkit_jit_opts *jit, struct engine *e)
{
	const struct bpfkit_insn pro[] = { INSN(BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, 2, 1, 0, 0) };
	struct bpfkit_insn *insns;
	struct bpfkit_diag d;
	size_t n = 0;
	int err = 1;

	e->name = !jit ? "interpreter" : jit->no_count ? "jit (no_count)" : "jit";
	e->ns = -1;
	e->vm = bpfkit_vm__new();
	insns = with_prologue(prog, pro, b->end_ptr ? 1 : 0, &n);
	bpfkit_diag__clear(&d);
	if (!e->vm || !insns || bpfkit_vm__load(e->vm, insns, n, &d)) {
		fprintf(stderr, "bench: %s: insn %ld: %s\n", b->name, d.insn, e->vm ? d.msg : "no memory");
	} else if (jit && (err = bpfkit_vm__jit_compile(e->vm, jit, &d))) {
		if (err == -EOPNOTSUPP) /* not an x86-64 host: no JIT column */
			e->unavailable = true, err = 0;
		else
			fprintf(stderr, "bench: %s: jit: insn %ld: %s\n", b->name, d.insn, d.msg);
	} else {
		err = 0;
	}
	bpfkit_vm__set_budget(e->vm, 0);
	free(insns);
	return err;
}

/* Runs for about @p secs; keeps the per-run time if it is the best yet and
 * checks r0 against the C reference. */
static int vm_batch(const struct bench *b, struct engine *e, double secs, uint8_t *mem,
		    const uint8_t *pristine)
{
	uint64_t r0 = 0, k = 0, want = b->expect(pristine, b->mem_len);
	struct bpfkit_diag d;
	double t0 = now(), el;

	if (e->unavailable)
		return 0;
	do {
		/* Inputs are restored each run: memcpy writes into its input. */
		memcpy(mem, pristine, b->mem_len);
		if (bpfkit_vm__run(e->vm, b->mem_len ? mem : NULL, b->mem_len, &r0, NULL, &d)) {
			fprintf(stderr, "bench: %s: insn %ld: %s\n", b->name, d.insn, d.msg);
			return 1;
		}
		k++;
		el = now() - t0;
	} while (el < secs || k < 2);
	if (r0 != want) {
		fprintf(stderr, "bench: %s (%s): r0 = %llu, the C reference says %llu\n", b->name,
			e->name, (unsigned long long)r0, (unsigned long long)want);
		return 1;
	}
	if (e->ns < 0 || el * 1e9 / (double)k < e->ns)
		e->ns = el * 1e9 / (double)k;
	e->insns = bpfkit_vm__insn_count(e->vm);
	return 0;
}

/* The verifier's reason from its log: the last line before its
 * "processed N insns" summary that is not a dump of states. */
static void verifier_reason(const char *log, char *why, size_t size)
{
	const char *end = strstr(log, "\nprocessed "), *line;

	if (!end)
		end = log + strlen(log);
	for (;;) {
		while (end > log && end[-1] == '\n')
			end--;
		line = end;
		while (line > log && line[-1] != '\n')
			line--;
		if (line == log || (strncmp(line, "cur state:", 10) && strncmp(line, "old state:", 10)))
			break;
		end = line;
	}
	snprintf(why, size, "%.*s", (int)(end - line), line);
}

/* Load @p prog into the kernel as XDP (packet = input), falling back to a
 * socket filter. Sets e->fd, or e->why with the verifier's reason. */
static void kernel_setup(const struct bench *b, const struct bpfkit_prog *prog, struct engine *e)
{
	const struct bpfkit_insn xdp[] = {
		INSN(BPFKIT_LDX | BPFKIT_MEM | BPFKIT_W, 2, 1, 4, 0), /* r2 = ctx->data_end */
		INSN(BPFKIT_LDX | BPFKIT_MEM | BPFKIT_W, 1, 1, 0, 0), /* r1 = ctx->data */
		INSN(BPFKIT_ALU64 | BPFKIT_SUB | BPFKIT_X, 2, 1, 0, 0), /* r2 = length */
	};
	const struct bpfkit_insn skb[] = {
		INSN(BPFKIT_LDX | BPFKIT_MEM | BPFKIT_W, 2, 1, 0, 0), /* r2 = skb->len */
	};
	static char log[1 << 16];
	char xdp_why[180] = ""; /* fits e->why after "verifier: " */
	struct bpfkit_insn *insns;
	size_t n = 0;

	e->name = "kernel";
	e->ns = -1;
	e->fd = -1;
	if (geteuid() != 0) {
		snprintf(e->why, sizeof(e->why), "not root");
		return;
	}
	for (int pass = 0; pass < 2 && e->fd < 0; pass++) {
		LIBBPF_OPTS(bpf_prog_load_opts, o);
		enum bpf_prog_type t = pass ? BPF_PROG_TYPE_SOCKET_FILTER : BPF_PROG_TYPE_XDP;
		char *why = pass ? e->why : xdp_why;
		size_t size = pass ? sizeof(e->why) : sizeof(xdp_why);

		insns = pass ? with_prologue(prog, skb, 1, &n)
			     : with_prologue(prog, xdp, b->end_ptr ? 2 : 3, &n);
		if (!insns)
			break;
		e->fd = bpf_prog_load(t, b->name, "GPL", (const struct bpf_insn *)insns, n, &o);
		if (e->fd < 0) {
			int err = errno;
			LIBBPF_OPTS(bpf_prog_load_opts, lo, .log_buf = log, .log_size = sizeof(log),
				    .log_level = 1);
			log[0] = '\0';
			e->fd = bpf_prog_load(t, b->name, "GPL", (const struct bpf_insn *)insns, n, &lo);
			if (e->fd < 0 && log[0])
				verifier_reason(log, why, size);
			else if (e->fd < 0)
				snprintf(why, size, "%s", strerror(err));
		}
		free(insns);
	}
	if (e->fd < 0 && xdp_why[0])
		snprintf(e->why, sizeof(e->why), "verifier: %s", xdp_why); /* XDP's reason tells */
}

/* One BPF_PROG_TEST_RUN of e->repeat runs (sized from @p est_ns to take
 * about @p secs); keeps the kernel's per-run duration if the best yet. */
static void kernel_batch(const struct bench *b, struct engine *e, double secs, double est_ns,
			 const uint8_t *pristine)
{
	uint64_t want = b->expect(pristine, b->mem_len);
	size_t len = b->mem_len < 64 ? 64 : b->mem_len; /* XDP wants an Ethernet header's worth */
	static uint8_t pkt[65536], out[65536 + 512];

	if (e->fd < 0)
		return;
	if (!e->repeat) {
		double reps = est_ns > 0 ? secs * 1e9 / est_ns : 1000;
		e->repeat = reps < 2 ? 2 : reps > 1e7 ? 10000000 : (uint32_t)reps;
	}
	memset(pkt, 0, len);
	memcpy(pkt, pristine, b->mem_len);
	{
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = (uint32_t)len,
			    .data_out = out, .data_size_out = (uint32_t)sizeof(out), .repeat = e->repeat);
		if (bpf_prog_test_run_opts(e->fd, &o)) {
			snprintf(e->why, sizeof(e->why), "test run: %s", strerror(errno));
		} else if (o.retval != (uint32_t)want) {
			snprintf(e->why, sizeof(e->why), "kernel returned %u, the C reference says %u",
				 o.retval, (uint32_t)want);
		} else {
			if (e->ns < 0 || o.duration < e->ns)
				e->ns = o.duration;
			return;
		}
	}
	close(e->fd); /* a failure is final */
	e->failed = true;
	e->fd = -1;
	e->ns = -1;
}

/* TAP for --check: the program's line, then the kernel's. */
static void check_report(const struct bench *b, int err, const struct engine *ek, unsigned *n)
{
	*n += 1;
	printf("%s %u - %s: the interpreter and the JIT give the C reference's result%s\n",
	       err ? "not ok" : "ok", *n, b->name, err ? "" : " and the same count");
	if (!b->kernel)
		return;
	*n += 1;
	if (err)
		printf("ok %u - %s in the kernel # SKIP the VM engines failed first\n", *n, b->name);
	else if (ek->failed)
		printf("not ok %u - %s in the kernel: %s\n", *n, b->name, ek->why);
	else if (ek->ns >= 0)
		printf("ok %u - %s in the kernel gives the C reference's result\n", *n, b->name);
	else if (geteuid() != 0)
		printf("ok %u - %s in the kernel # SKIP %s\n", *n, b->name, ek->why);
	else
		printf("not ok %u - %s in the kernel: %s\n", *n, b->name, ek->why);
}

/* Run one benchmark in every engine, in turns; print its row (or with
 * @p check, its TAP lines, numbered from *@p tap). Returns 0, or 1 on any
 * failure (including a result that differs from the C reference). */
static int run_bench(const struct bench *b, const char *dir, double budget_s, char *notes,
		     size_t notes_size, unsigned *tap)
{
	struct bpfkit_prog *prog = NULL;
	struct bpfkit_diag d;
	static const struct bpfkit_jit_opts counted = { 0 }, uncounted = { .no_count = true };
	struct engine ei = { 0 }, ej = { 0 }, en = { 0 }, ek = { .fd = -1 };
	uint8_t *pristine = NULL, *mem = NULL;
	char path[4096], kcol[40] = "SKIP", rcol[16] = "-";
	size_t len = 0;
	char *text;
	int err = 1;

	snprintf(path, sizeof(path), "%s/%s.asm", dir, b->name);
	text = read_text(path, &len);
	if (!text) {
		fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
		return 1;
	}
	bpfkit_diag__clear(&d);
	if (bpfkit_asm(text, len, BPFKIT_DIALECT_AUTO, &prog, &d)) {
		fprintf(stderr, "bench: %s:%d:%d: %s\n", path, d.line, d.col, d.msg);
		goto out;
	}
	pristine = calloc(1, b->mem_len + 1);
	mem = calloc(1, b->mem_len + 1);
	if (!pristine || !mem || b->mem_len > 65536)
		goto out;
	if (b->fill)
		b->fill(pristine, b->mem_len);
	if (vm_setup(b, prog, NULL, &ei) || vm_setup(b, prog, &counted, &ej) ||
	    vm_setup(b, prog, &uncounted, &en))
		goto out;
	if (!tap || b->kernel)
		kernel_setup(b, prog, &ek);
	for (int r = 0; r < ROUNDS; r++) {
		if (vm_batch(b, &ei, budget_s / ROUNDS, mem, pristine) ||
		    vm_batch(b, &ej, budget_s / ROUNDS, mem, pristine) ||
		    vm_batch(b, &en, budget_s / ROUNDS, mem, pristine))
			goto out;
		kernel_batch(b, &ek, budget_s / ROUNDS, en.ns, pristine);
	}
	if (!ej.unavailable && ej.insns != ei.insns) {
		fprintf(stderr, "bench: %s: the JIT counted %llu instructions, the interpreter %llu\n",
			b->name, (unsigned long long)ej.insns, (unsigned long long)ei.insns);
		goto out;
	}
	if (tap) {
		err = ek.failed;
		goto out;
	}
	if (ek.ns >= 0) {
		snprintf(kcol, sizeof(kcol), "%.0f", ek.ns);
		snprintf(rcol, sizeof(rcol), "%.2fx", en.ns / ek.ns);
	} else {
		size_t used = strlen(notes);
		snprintf(notes + used, notes_size - used, "  kernel skipped for %s: %s\n", b->name, ek.why);
	}
	if (ej.unavailable)
		printf("%-9s %10llu %11.0f %8.1f %10s %8s %8s %8s %10s %9s\n", b->name,
		       (unsigned long long)ei.insns, ei.ns, (double)ei.insns / ei.ns * 1e3, "-", "-", "-",
		       "-", kcol, "-");
	else
		printf("%-9s %10llu %11.0f %8.1f %10.0f %8.1f %7.1fx %8.0f %10s %9s\n", b->name,
		       (unsigned long long)ei.insns, ei.ns, (double)ei.insns / ei.ns * 1e3, ej.ns,
		       (double)ej.insns / ej.ns * 1e3, ei.ns / ej.ns, en.ns, kcol, rcol);
	err = 0;
out:
	if (tap)
		check_report(b, err && !ek.failed, &ek, tap);
	if (ek.fd >= 0)
		close(ek.fd);
	bpfkit_vm__free(ei.vm);
	bpfkit_vm__free(ej.vm);
	bpfkit_vm__free(en.vm);
	free(text);
	free(pristine);
	free(mem);
	bpfkit_prog__free(prog);
	return err;
}

int main(int argc, char **argv)
{
	bool check = argc > 1 && !strcmp(argv[1], "--check");
	const char *dir = argc > 1 + check ? argv[1 + check] : "bench/progs";
	const char *env = getenv("BENCH_TIME");
	double budget = check ? 1e-6 : env ? atof(env) : 0.5;
	unsigned tap = 0;
	static char notes[8192];
	int fails = 0;
	FILE *f = fopen("/proc/sys/net/core/bpf_jit_enable", "r");
	int kjit = -1;

	if (f) {
		if (fscanf(f, "%d", &kjit) != 1)
			kjit = -1;
		fclose(f);
	}
	if (check) {
		for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
			fails += run_bench(&benches[i], dir, budget, notes, sizeof(notes), &tap);
		printf("1..%u\n", tap);
		return fails ? 1 : 0;
	}
	printf("%-9s %10s %11s %8s %10s %8s %8s %8s %10s %9s\n", "program", "insns/run", "interp ns",
	       "Minsn/s", "jit ns", "Minsn/s", "speedup", "jit-nc", "kernel ns", "jit/kern");
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		fails += run_bench(&benches[i], dir, budget > 0 ? budget : 0.5, notes, sizeof(notes), NULL);
	if (geteuid() == 0)
		printf("kernel: XDP via BPF_PROG_TEST_RUN, bpf_jit_enable = %d%s\n", kjit,
		       kjit == 0 ? " (interpreter: not the JIT's figure)" : "");
	else
		printf("kernel: skipped (not root)\n");
	fputs(notes, stdout);
	return fails ? 1 : 0;
}
