// SPDX-License-Identifier: MIT
/*
 * Map benchmark: map operations per second in the VM, per map type, from a
 * program (the helpers, as programs use maps) in the interpreter and the
 * JIT, and through the syscall-view API. Each program loops 100,000 times
 * over 1,024 keys of a map of 1,024 entries (key u32, value u64):
 *   lookup  bpf_map_lookup_elem of a present key and an add through the
 *           pointer (the counting pattern: one lookup per iteration)
 *   update  bpf_map_update_elem(BPF_ANY) of a present key
 *   push+pop  queue and stack: one bpf_map_push_elem and one
 *           bpf_map_pop_elem per iteration
 * The table gives nanoseconds per iteration (loop overhead included: a
 * dozen instructions) and millions of operations per second; the fastest
 * of five runs counts. Per-CPU maps have 2 CPUs. As root the same programs
 * also run in the kernel (an XDP program with a kernel map of the same
 * attributes, 4,000 iterations a run (the verifier refuses programs with over
 * 8,192 jumps to follow), BPF_PROG_TEST_RUN with repeat 50:
 * the kernel's JIT and its map code), and the last column is the JIT's
 * time over the kernel's.
 *
 * usage: bench_maps
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <errno.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <bpfkit/isa.h>
#include <bpfkit/vm.h>

#define ITERS 100000
#define KITERS 4000
#define NKEYS 1024

static const char lookup_prog[] =
	"r6 = 0\n"
	"loop:\n"
	"r1 = r6\n"
	"r1 &= 1023\n"
	"*(u32 *)(r10 - 4) = r1\n"
	"r1 = map[m] ll\n"
	"r2 = r10\n"
	"r2 += -4\n"
	"call bpf_map_lookup_elem\n"
	"if r0 == 0 goto next\n"
	"r1 = *(u64 *)(r0 + 0)\n"
	"r1 += 1\n"
	"*(u64 *)(r0 + 0) = r1\n"
	"next:\n"
	"r6 += 1\n"
	"if r6 < %d goto loop\n"
	"r0 = 0\n"
	"exit\n";

static const char update_prog[] =
	"r6 = 0\n"
	"loop:\n"
	"r1 = r6\n"
	"r1 &= 1023\n"
	"*(u32 *)(r10 - 4) = r1\n"
	"*(u64 *)(r10 - 16) = r6\n"
	"r1 = map[m] ll\n"
	"r2 = r10\n"
	"r2 += -4\n"
	"r3 = r10\n"
	"r3 += -16\n"
	"r4 = 0\n"
	"call bpf_map_update_elem\n"
	"r6 += 1\n"
	"if r6 < %d goto loop\n"
	"r0 = 0\n"
	"exit\n";

static const char pushpop_prog[] =
	"r6 = 0\n"
	"loop:\n"
	"*(u64 *)(r10 - 8) = r6\n"
	"r1 = map[m] ll\n"
	"r2 = r10\n"
	"r2 += -8\n"
	"r3 = 0\n"
	"call bpf_map_push_elem\n"
	"r1 = map[m] ll\n"
	"r2 = r10\n"
	"r2 += -16\n"
	"call bpf_map_pop_elem\n"
	"r6 += 1\n"
	"if r6 < %d goto loop\n"
	"r0 = 0\n"
	"exit\n";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Assemble @p fmt with @p iters loop iterations. */
static struct bpfkit_prog *assemble(const char *fmt, int iters, struct bpfkit_diag *d)
{
	char text[2048];
	struct bpfkit_prog *p = NULL;

	snprintf(text, sizeof(text), fmt, iters);
	if (bpfkit_asm(text, strlen(text), BPFKIT_DIALECT_KERN, &p, d))
		return NULL;
	return p;
}

/* Fastest of five runs of @p text over @p m, in seconds; -1 on error. */
static double time_prog(struct bpfkit_vm_map *m, const char *text, bool jit)
{
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct bpfkit_prog *p = NULL;
	struct bpfkit_diag d = { 0 };
	double best = -1;
	uint64_t r0;

	if (!vm || bpfkit_vm__register_kernel_helpers(vm) || bpfkit_vm__bind_map(vm, "m", m) < 0 ||
	    !(p = assemble(text, ITERS, &d)) ||
	    bpfkit_vm__load_prog(vm, p, &d) || (jit && bpfkit_vm__jit_compile(vm, NULL, &d))) {
		fprintf(stderr, "bench_maps: %s\n", d.msg);
		goto out;
	}
	bpfkit_vm__set_budget(vm, 0);
	for (int i = 0; i < 5; i++) {
		double t0 = now(), t;
		if (bpfkit_vm__run(vm, NULL, 0, &r0, NULL, &d)) {
			fprintf(stderr, "bench_maps: %s\n", d.msg);
			best = -1;
			goto out;
		}
		t = now() - t0;
		if (best < 0 || t < best)
			best = t;
	}
out:
	bpfkit_prog__free(p);
	bpfkit_vm__free(vm);
	return best;
}

/* Fastest of five rounds of ITERS syscall-view lookups (or updates). */
static double time_api(struct bpfkit_vm_map *m, bool update)
{
	uint8_t val[64] = { 0 };
	double best = -1;

	for (int r = 0; r < 5; r++) {
		double t0 = now(), t;
		for (uint32_t i = 0; i < ITERS; i++) {
			uint32_t k = i & (NKEYS - 1);
			if (update)
				bpfkit_vm_map__update(m, &k, val, BPFKIT_ANY);
			else
				bpfkit_vm_map__lookup(m, &k, val);
		}
		t = now() - t0;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

/*
 * The same program in the kernel: a map of the same attributes (filled
 * with the keys), the lddw pointed at it, loaded as XDP, and BPF_PROG_TEST_RUN
 * with repeat 50; seconds for ITERS iterations, or -1 (not root, refused).
 */
static double time_kernel(const struct bpfkit_map_attr *a, const char *text)
{
	struct bpfkit_prog *p = NULL;
	struct bpfkit_diag d = { 0 };
	int ncpus = libbpf_num_possible_cpus(), mfd = -1, pfd = -1;
	uint8_t pkt[64] = { 0 }, *val = NULL;
	double best = -1;

	if (geteuid() != 0 || ncpus <= 0)
		return -1;
	mfd = bpf_map_create((enum bpf_map_type)a->type, "bench", a->key_size, a->value_size,
			     a->max_entries, NULL);
	val = calloc((size_t)ncpus, 8 + a->value_size);
	if (mfd < 0 || !val || !(p = assemble(text, KITERS, &d)))
		goto out;
	for (uint32_t k = 0; a->key_size && k < NKEYS; k++)
		bpf_map_update_elem(mfd, &k, val, BPF_ANY);
	for (size_t i = 0; i < p->nrelocs; i++) {
		p->insns[p->relocs[i].insn].src = BPF_PSEUDO_MAP_FD;
		p->insns[p->relocs[i].insn].imm = mfd;
	}
	pfd = bpf_prog_load(BPF_PROG_TYPE_XDP, "bench_maps", "GPL", (const struct bpf_insn *)p->insns,
			    p->len, NULL);
	for (int r = 0; pfd >= 0 && r < 5; r++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt),
			    .repeat = 50);
		if (bpf_prog_test_run_opts(pfd, &o))
			break;
		double t = (double)o.duration / 1e9 * ITERS / KITERS;
		if (best < 0 || t < best)
			best = t;
	}
out:
	if (pfd >= 0)
		close(pfd);
	if (mfd >= 0)
		close(mfd);
	free(val);
	bpfkit_prog__free(p);
	return best;
}

static void row(const char *type, const char *op, double interp, double jit, double api,
		double kern)
{
	printf("%-16s %-9s", type, op);
	printf(" %8.1f %8.1f", interp * 1e9 / ITERS, ITERS / interp / 1e6);
	if (jit > 0)
		printf(" %8.1f %8.1f", jit * 1e9 / ITERS, ITERS / jit / 1e6);
	else
		printf(" %8s %8s", "-", "-");
	if (api > 0)
		printf(" %8.1f %8.1f", api * 1e9 / ITERS, ITERS / api / 1e6);
	else
		printf(" %8s %8s", "-", "-");
	if (kern > 0 && jit > 0)
		printf(" %8.1f %6.2fx\n", kern * 1e9 / ITERS, jit / kern);
	else
		printf(" %8s %7s\n", "-", "-");
}

int main(void)
{
	static const uint32_t keyed[] = { BPFKIT_MAP_ARRAY, BPFKIT_MAP_PERCPU_ARRAY, BPFKIT_MAP_HASH,
					  BPFKIT_MAP_PERCPU_HASH, BPFKIT_MAP_LRU_HASH,
					  BPFKIT_MAP_LRU_PERCPU_HASH };
	static const uint32_t keyless[] = { BPFKIT_MAP_QUEUE, BPFKIT_MAP_STACK };
#if defined(__x86_64__)
	const bool jit = true;
#else
	const bool jit = false;
#endif

	printf("%-16s %-9s %17s %17s %17s %16s\n", "", "", "interpreter", "JIT", "API (syscall view)",
	       "kernel (root)");
	printf("%-16s %-9s %8s %8s %8s %8s %8s %8s %8s %7s\n", "map type", "op", "ns/op", "Mops/s",
	       "ns/op", "Mops/s", "ns/op", "Mops/s", "ns/op", "JIT/k");
	for (size_t i = 0; i < sizeof(keyed) / sizeof(keyed[0]); i++) {
		struct bpfkit_map_attr a = { .type = keyed[i], .key_size = 4, .value_size = 8,
					     .max_entries = NKEYS, .ncpus = 2 };
		struct bpfkit_vm_map *m = bpfkit_vm_map__new(&a);
		uint8_t val[16] = { 0 };

		if (!m)
			return 1;
		for (uint32_t k = 0; k < NKEYS; k++)
			bpfkit_vm_map__update(m, &k, val, BPFKIT_ANY);
		row(bpfkit_map_type_name(keyed[i]), "lookup", time_prog(m, lookup_prog, false),
		    jit ? time_prog(m, lookup_prog, true) : -1, time_api(m, false),
		    time_kernel(&a, lookup_prog));
		row(bpfkit_map_type_name(keyed[i]), "update", time_prog(m, update_prog, false),
		    jit ? time_prog(m, update_prog, true) : -1, time_api(m, true),
		    time_kernel(&a, update_prog));
		bpfkit_vm_map__free(m);
	}
	for (size_t i = 0; i < sizeof(keyless) / sizeof(keyless[0]); i++) {
		struct bpfkit_map_attr a = { .type = keyless[i], .value_size = 8, .max_entries = NKEYS };
		struct bpfkit_vm_map *m = bpfkit_vm_map__new(&a);

		if (!m)
			return 1;
		row(bpfkit_map_type_name(keyless[i]), "push+pop", time_prog(m, pushpop_prog, false),
		    jit ? time_prog(m, pushpop_prog, true) : -1, -1, time_kernel(&a, pushpop_prog));
		bpfkit_vm_map__free(m);
	}
	return 0;
}
