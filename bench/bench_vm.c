// SPDX-License-Identifier: MIT
/*
 * Interpreter benchmarks: each program in bench/progs is assembled, loaded
 * and run repeatedly on its input for about BENCH_TIME seconds (default
 * 0.5); the table gives ns per run and instructions per second. Every result
 * is checked against a C reference so a fast wrong VM cannot look good.
 *
 * usage: bench_vm [PROGS_DIR]   (default bench/progs)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpfkit/isa.h>
#include <bpfkit/vm.h>

struct bench {
	const char *name;
	size_t mem_len;
	void (*fill)(uint8_t *mem, size_t len);
	uint64_t (*expect)(const uint8_t *mem, size_t len);
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

/* Run one benchmark; print its row. Returns 0, or 1 on any failure
 * (including a result that differs from the C reference). */
static int run_bench(const struct bench *b, const char *dir, double budget_s)
{
	struct bpfkit_prog *prog = NULL;
	struct bpfkit_vm *vm = NULL;
	struct bpfkit_diag d;
	uint8_t *mem = NULL, *pristine = NULL;
	char path[4096];
	size_t len = 0;
	char *text;
	uint64_t r0 = 0, runs = 0, want;
	double t0, t;
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
	vm = bpfkit_vm__new();
	if (!vm || bpfkit_vm__load(vm, prog->insns, prog->len, &d)) {
		fprintf(stderr, "bench: %s: insn %ld: %s\n", path, d.insn, vm ? d.msg : "no memory");
		goto out;
	}
	bpfkit_vm__set_budget(vm, 0);
	mem = calloc(1, b->mem_len + 1);
	pristine = calloc(1, b->mem_len + 1);
	if (!mem || !pristine)
		goto out;
	if (b->fill)
		b->fill(pristine, b->mem_len);
	want = b->expect(pristine, b->mem_len);

	t0 = now();
	do {
		/* Inputs are restored each run: memcpy writes into its input. */
		memcpy(mem, pristine, b->mem_len);
		if (bpfkit_vm__run(vm, b->mem_len ? mem : NULL, b->mem_len, &r0, NULL, &d)) {
			fprintf(stderr, "bench: %s: insn %ld: %s\n", b->name, d.insn, d.msg);
			goto out;
		}
		runs++;
		t = now() - t0;
	} while (t < budget_s || runs < 3);
	if (r0 != want) {
		fprintf(stderr, "bench: %s: r0 = %llu, the C reference says %llu\n", b->name,
			(unsigned long long)r0, (unsigned long long)want);
		goto out;
	}
	{
		double ns = t * 1e9 / (double)runs;
		uint64_t insns = bpfkit_vm__insn_count(vm);
		printf("%-10s %12llu %14.0f %12.1f\n", b->name, (unsigned long long)insns, ns,
		       (double)insns / ns * 1e3);
	}
	err = 0;
out:
	free(text);
	free(mem);
	free(pristine);
	bpfkit_prog__free(prog);
	bpfkit_vm__free(vm);
	return err;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "bench/progs";
	const char *env = getenv("BENCH_TIME");
	double budget = env ? atof(env) : 0.5;
	int fails = 0;

	printf("%-10s %12s %14s %12s\n", "program", "insns/run", "interp ns/run", "interp Minsn/s");
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		fails += run_bench(&benches[i], dir, budget > 0 ? budget : 0.5);
	return fails ? 1 : 0;
}
