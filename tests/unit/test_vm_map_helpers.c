// SPDX-License-Identifier: MIT
/*
 * Programs using maps: the map helpers under the kernel's numbers, lddw
 * map references (src 1 map fd, src 2 map value, and relocations by name),
 * the value pointer a lookup returns as writable memory of the run, per-CPU
 * values of the VM's CPU, queue and stack helpers, read-only global data,
 * bad arguments; each in the interpreter and (on x86-64) the JIT.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vm_test.h"

#define LD_MAP_FD(d, fd) INSN(BPFKIT_OP_LDDW, d, BPFKIT_PSEUDO_MAP_FD, 0, fd), INSN(0, 0, 0, 0, 0)
#define LD_MAP_VALUE(d, fd, off)                                                                   \
	INSN(BPFKIT_OP_LDDW, d, BPFKIT_PSEUDO_MAP_VALUE, 0, fd), INSN(0, 0, 0, 0, off)

static struct bpfkit_vm_map *mk(uint32_t type, uint32_t ks, uint32_t vs, uint32_t max,
				uint32_t flags)
{
	struct bpfkit_map_attr a = { .type = type, .key_size = ks, .value_size = vs,
				     .max_entries = max, .flags = flags, .ncpus = 4 };
	struct bpfkit_vm_map *m = bpfkit_vm_map__new(&a);

	assert_non_null(m);
	return m;
}

/* Load @p insns (with @p relocs) into @p vm, in the JIT when @p jit, and
 * run; r0, or fail the test. */
static uint64_t run_in(struct bpfkit_vm *vm, const struct bpfkit_insn *insns, size_t n,
		       struct bpfkit_reloc *relocs, size_t nrelocs, bool jit)
{
	struct bpfkit_prog p = { .insns = (struct bpfkit_insn *)insns, .len = n, .relocs = relocs,
				 .nrelocs = nrelocs };
	struct bpfkit_diag d;
	uint64_t r0 = 0;
	int err = bpfkit_vm__load_prog(vm, &p, &d);

	if (!err && jit)
		err = bpfkit_vm__jit_compile(vm, NULL, &d);
	if (!err)
		err = bpfkit_vm__run(vm, NULL, 0, &r0, NULL, &d);
	if (err)
		print_error("insn %ld: %s\n", d.insn, d.msg);
	assert_int_equal(err, 0);
	return r0;
}

static bool jit_ok(void)
{
#if defined(__x86_64__)
	return true;
#else
	return false;
#endif
}

/* A count per key in a hash map: key 7 on the stack, lookup, if NULL insert
 * 1, else add 1 through the pointer (an atomic add, as clang emits
 * __sync_fetch_and_add); returns the count. */
static const struct bpfkit_insn counter[] = {
	ST_MEM(BPFKIT_W, R10, -4, 7),
	LD_MAP_FD(R1, 0),
	MOV64_REG(R2, R10),
	ALU64_IMM(BPFKIT_ADD, R2, -4),
	CALL_HELPER(1),
	JMP_IMM(BPFKIT_JEQ, R0, 0, 5),
	MOV64_IMM(R1, 1),
	ATOMIC(BPFKIT_DW, BPFKIT_ADD, R0, R1, 0),
	LDX_MEM(BPFKIT_DW, R0, R0, 0),
	EXIT(),
	EXIT(), /* never reached: keeps the jump targets simple */
	ST_MEM(BPFKIT_DW, R10, -16, 1),
	LD_MAP_FD(R1, 0),
	MOV64_REG(R2, R10),
	ALU64_IMM(BPFKIT_ADD, R2, -4),
	MOV64_REG(R3, R10),
	ALU64_IMM(BPFKIT_ADD, R3, -16),
	MOV64_IMM(R4, BPFKIT_NOEXIST),
	CALL_HELPER(2),
	MOV64_IMM(R0, 1),
	EXIT(),
};

static void test_counter(void **state)
{
	(void)state;
	for (int jit = 0; jit <= (int)jit_ok(); jit++) {
		struct bpfkit_vm_map *m = mk(BPFKIT_MAP_HASH, 4, 8, 4, 0);
		struct bpfkit_vm *vm = bpfkit_vm__new();
		uint32_t k = 7;
		uint64_t v = 0;

		bpfkit_vm__register_kernel_helpers(vm);
		/* a map with one value per element has it on every CPU */
		bpfkit_vm__set_cpu(vm, 5);
		assert_int_equal(bpfkit_vm__bind_map(vm, "counts", m), 0);
		assert_int_equal(bpfkit_vm__bind_map(vm, "counts", m), -EEXIST);
		for (uint64_t i = 1; i <= 3; i++)
			assert_int_equal(run_in(vm, counter, NINSNS(counter), NULL, 0, jit), i);
		assert_int_equal(bpfkit_vm_map__lookup(m, &k, &v), 0);
		assert_int_equal(v, 3);
		bpfkit_vm__free(vm);
		bpfkit_vm_map__free(m);
	}
}

/* The same program, with its map named by a relocation instead of an fd. */
static void test_reloc_by_name(void **state)
{
	struct bpfkit_insn insns[NINSNS(counter)];
	struct bpfkit_reloc rel[2] = {
		{ .insn = 1, .kind = BPFKIT_RELOC_MAP, .name = "counts" },
		{ .insn = 13, .kind = BPFKIT_RELOC_MAP, .name = "counts" },
	};
	struct bpfkit_vm_map *other = mk(BPFKIT_MAP_ARRAY, 4, 8, 1, 0);
	struct bpfkit_vm_map *m = mk(BPFKIT_MAP_HASH, 4, 8, 4, 0);
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct bpfkit_prog p = { .insns = insns, .len = NINSNS(insns), .relocs = rel, .nrelocs = 1 };
	struct bpfkit_diag d;

	(void)state;
	memcpy(insns, counter, sizeof(insns));
	insns[1].src = insns[13].src = 0; /* as clang leaves them */
	bpfkit_vm__register_kernel_helpers(vm);
	assert_int_equal(bpfkit_vm__load_prog(vm, &p, &d), -EINVAL);
	assert_string_equal(d.msg, "lddw refers to map 'counts', which the VM does not have");
	assert_int_equal(bpfkit_vm__bind_map(vm, "other", other), 0);
	assert_int_equal(bpfkit_vm__bind_map(vm, "counts", m), 1);
	assert_int_equal(run_in(vm, insns, NINSNS(insns), rel, 2, false), 1);
	assert_int_equal(run_in(vm, insns, NINSNS(insns), rel, 2, false), 2);
	bpfkit_vm__free(vm);
	bpfkit_vm_map__free(m);
	bpfkit_vm_map__free(other);
}

/* Global data: lddw src 2 gives the value's address; .rodata is read-only
 * to the program; variables bound by name resolve to their offset. */
static void test_global_data(void **state)
{
	const struct bpfkit_insn prog[] = {
		LD_MAP_VALUE(R1, 0, 4),
		LDX_MEM(BPFKIT_W, R0, R1, 0),
		ALU64_IMM(BPFKIT_ADD, R0, 1),
		STX_MEM(BPFKIT_W, R1, R0, 0),
		EXIT(),
	};
	const struct bpfkit_insn store_ro[] = {
		LD_MAP_VALUE(R1, 1, 0), ST_MEM(BPFKIT_W, R1, 0, 1), MOV64_IMM(R0, 0), EXIT(),
	};
	const struct bpfkit_insn bad_off[] = { LD_MAP_VALUE(R1, 0, 8), MOV64_IMM(R0, 0), EXIT() };
	struct bpfkit_insn byvar[] = {
		INSN(BPFKIT_OP_LDDW, R1, 0, 0, 0), INSN(0, 0, 0, 0, 0),
		LDX_MEM(BPFKIT_W, R0, R1, 0), EXIT(),
	};
	struct bpfkit_reloc rel = { .insn = 0, .kind = BPFKIT_RELOC_MAP_VALUE, .name = "limit" };
	struct bpfkit_vm_map *data = mk(BPFKIT_MAP_ARRAY, 4, 8, 1, 0);
	struct bpfkit_vm_map *ro = mk(BPFKIT_MAP_ARRAY, 4, 4, 1, BPFKIT_F_RDONLY_PROG);
	struct bpfkit_vm_map *hash = mk(BPFKIT_MAP_HASH, 4, 4, 1, 0);
	struct bpfkit_vm *vm = bpfkit_vm__new();
	uint8_t init[8] = { 0, 0, 0, 0, 41, 0, 0, 0 };
	uint32_t k = 0;
	struct bpfkit_diag d;
	uint64_t r0;

	(void)state;
	assert_int_equal(bpfkit_vm_map__update(data, &k, init, BPFKIT_ANY), 0);
	assert_int_equal(bpfkit_vm__bind_map(vm, ".data", data), 0);
	assert_int_equal(bpfkit_vm__bind_map(vm, ".rodata", ro), 1);
	assert_int_equal(bpfkit_vm__bind_map(vm, "h", hash), 2);
	assert_int_equal(run_in(vm, prog, NINSNS(prog), NULL, 0, false), 42);
	if (jit_ok())
		assert_int_equal(run_in(vm, prog, NINSNS(prog), NULL, 0, true), 43);
	/* a store to .rodata faults, also in the JIT after a load from it (the
	 * JIT caches the grant a slow check found, read-only for stores) */
	assert_int_equal(bpfkit_vm__load(vm, store_ro, NINSNS(store_ro), &d), 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, &d), -EFAULT);
	assert_non_null(strstr(d.msg, "read-only"));
	const struct bpfkit_insn load_store_ro[] = {
		LD_MAP_VALUE(R1, 1, 0), LDX_MEM(BPFKIT_W, R0, R1, 0), LDX_MEM(BPFKIT_H, R0, R1, 2),
		ST_MEM(BPFKIT_W, R1, 0, 1), EXIT(),
	};
	assert_int_equal(bpfkit_vm__load(vm, load_store_ro, NINSNS(load_store_ro), &d), 0);
	if (jit_ok())
		assert_int_equal(bpfkit_vm__jit_compile(vm, NULL, &d), 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, &d), -EFAULT);
	assert_int_equal(d.insn, 4);
	assert_non_null(strstr(d.msg, "store of 4 bytes to read-only memory"));
	/* ... and past the end of a cached grant is out of bounds */
	const struct bpfkit_insn past[] = {
		LD_MAP_VALUE(R1, 0, 0), LDX_MEM(BPFKIT_W, R0, R1, 0), LDX_MEM(BPFKIT_W, R0, R1, 6),
		EXIT(),
	};
	assert_int_equal(bpfkit_vm__load(vm, past, NINSNS(past), &d), 0);
	if (jit_ok())
		assert_int_equal(bpfkit_vm__jit_compile(vm, NULL, &d), 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, &d), -EFAULT);
	assert_int_equal(d.insn, 3);
	assert_non_null(strstr(d.msg, "out-of-bounds load of 4 bytes"));
	/* offsets past the value, maps that are not one-element arrays */
	assert_int_equal(bpfkit_vm__load(vm, bad_off, NINSNS(bad_off), &d), -EINVAL);
	assert_string_equal(d.msg, "lddw addresses offset 8 of map '.data', whose value is 8 bytes");
	const struct bpfkit_insn of_hash[] = { LD_MAP_VALUE(R1, 2, 0), MOV64_IMM(R0, 0), EXIT() };
	assert_int_equal(bpfkit_vm__load(vm, of_hash, NINSNS(of_hash), &d), -EINVAL);
	assert_non_null(strstr(d.msg, "not an array of one element"));
	/* a variable by name: offset 4 of .data */
	assert_int_equal(bpfkit_vm__bind_var(vm, "limit", 0, 4), 0);
	assert_int_equal(bpfkit_vm__bind_var(vm, "nothing", 9, 0), -EINVAL);
	assert_int_equal(run_in(vm, byvar, NINSNS(byvar), &rel, 1, false), jit_ok() ? 43 : 42);
	bpfkit_vm__free(vm);
	bpfkit_vm_map__free(data);
	bpfkit_vm_map__free(ro);
	bpfkit_vm_map__free(hash);
}

/* Per-CPU arrays: the program sees the VM's CPU's value; get_smp_processor_id
 * says which; lookup_percpu_elem reaches another CPU's. */
static void test_percpu(void **state)
{
	const struct bpfkit_insn prog[] = {
		ST_MEM(BPFKIT_W, R10, -4, 0),
		LD_MAP_FD(R1, 0),
		MOV64_REG(R2, R10),
		ALU64_IMM(BPFKIT_ADD, R2, -4),
		CALL_HELPER(1),
		JMP_IMM(BPFKIT_JEQ, R0, 0, 4),
		MOV64_REG(R6, R0),
		CALL_HELPER(8),
		STX_MEM(BPFKIT_DW, R6, R0, 0),
		MOV64_IMM(R0, 1),
		EXIT(),
	};
	const struct bpfkit_insn other[] = {
		ST_MEM(BPFKIT_W, R10, -4, 0),
		LD_MAP_FD(R1, 0),
		MOV64_REG(R2, R10),
		ALU64_IMM(BPFKIT_ADD, R2, -4),
		MOV64_IMM(R3, 2),
		CALL_HELPER(195),
		JMP_IMM(BPFKIT_JEQ, R0, 0, 1),
		LDX_MEM(BPFKIT_DW, R0, R0, 0),
		EXIT(),
	};
	struct bpfkit_vm_map *m = mk(BPFKIT_MAP_PERCPU_ARRAY, 4, 8, 1, 0);
	struct bpfkit_vm *vm = bpfkit_vm__new();
	uint64_t vals[4];
	uint32_t k = 0;

	(void)state;
	bpfkit_vm__register_kernel_helpers(vm);
	bpfkit_vm__bind_map(vm, "pc", m);
	for (unsigned cpu = 1; cpu <= 3; cpu++) {
		bpfkit_vm__set_cpu(vm, cpu);
		assert_int_equal(run_in(vm, prog, NINSNS(prog), NULL, 0, cpu == 3 && jit_ok()), 1);
	}
	assert_int_equal(bpfkit_vm_map__lookup(m, &k, vals), 0);
	assert_int_equal(vals[0], 0);
	assert_int_equal(vals[1], 1);
	assert_int_equal(vals[2], 2);
	assert_int_equal(vals[3], 3);
	assert_int_equal(run_in(vm, other, NINSNS(other), NULL, 0, false), 2);
	/* a CPU the map does not have: the lookup fails */
	bpfkit_vm__set_cpu(vm, 4);
	assert_int_equal(run_in(vm, prog, NINSNS(prog), NULL, 0, false), 0);
	bpfkit_vm__free(vm);
	bpfkit_vm_map__free(m);
}

/* push, pop and peek on a queue: r0 = peek + 10 * pop + 100 * (pop of empty) */
static void test_queue_helpers(void **state)
{
	const struct bpfkit_insn prog[] = {
		ST_MEM(BPFKIT_W, R10, -4, 5),
		LD_MAP_FD(R1, 0),
		MOV64_REG(R2, R10),
		ALU64_IMM(BPFKIT_ADD, R2, -4),
		MOV64_IMM(R3, 0),
		CALL_HELPER(87),
		ST_MEM(BPFKIT_W, R10, -4, 6),
		LD_MAP_FD(R1, 0),
		MOV64_REG(R2, R10),
		ALU64_IMM(BPFKIT_ADD, R2, -4),
		MOV64_IMM(R3, 0),
		CALL_HELPER(87),
		/* peek: 5 */
		LD_MAP_FD(R1, 0),
		MOV64_REG(R2, R10),
		ALU64_IMM(BPFKIT_ADD, R2, -8),
		CALL_HELPER(89),
		LDX_MEM(BPFKIT_W, R6, R10, -8),
		/* pop twice: 5, 6 */
		LD_MAP_FD(R1, 0),
		MOV64_REG(R2, R10),
		ALU64_IMM(BPFKIT_ADD, R2, -8),
		CALL_HELPER(88),
		LD_MAP_FD(R1, 0),
		MOV64_REG(R2, R10),
		ALU64_IMM(BPFKIT_ADD, R2, -8),
		CALL_HELPER(88),
		LDX_MEM(BPFKIT_W, R7, R10, -8),
		ALU64_IMM(BPFKIT_MUL, R7, 10),
		ALU64_REG(BPFKIT_ADD, R6, R7),
		/* empty now: -ENOENT */
		LD_MAP_FD(R1, 0),
		MOV64_REG(R2, R10),
		ALU64_IMM(BPFKIT_ADD, R2, -8),
		CALL_HELPER(88),
		ALU64_IMM(BPFKIT_MUL, R0, 100),
		ALU64_REG(BPFKIT_ADD, R0, R6),
		EXIT(),
	};

	(void)state;
	for (int jit = 0; jit <= (int)jit_ok(); jit++) {
		struct bpfkit_vm_map *q = mk(BPFKIT_MAP_QUEUE, 0, 4, 8, 0);
		struct bpfkit_vm *vm = bpfkit_vm__new();

		bpfkit_vm__register_kernel_helpers(vm);
		bpfkit_vm__bind_map(vm, "q", q);
		assert_int_equal(run_in(vm, prog, NINSNS(prog), NULL, 0, jit),
				 (uint64_t)(5 + 60 - 100 * ENOENT));
		bpfkit_vm__free(vm);
		bpfkit_vm_map__free(q);
	}
}

/* Helpers check their arguments: a scalar that is no map, a key outside
 * the run's memory, a value to pop into read-only memory. */
static void test_bad_args(void **state)
{
	const struct bpfkit_insn not_map[] = {
		MOV64_IMM(R1, 12345), MOV64_REG(R2, R10), ALU64_IMM(BPFKIT_ADD, R2, -8),
		CALL_HELPER(3), EXIT(),
	};
	const struct bpfkit_insn bad_key[] = {
		LD_MAP_FD(R1, 0), MOV64_IMM(R2, 64), CALL_HELPER(1), EXIT(),
	};
	struct bpfkit_vm_map *m = mk(BPFKIT_MAP_HASH, 4, 4, 4, 0);
	struct bpfkit_vm *vm = bpfkit_vm__new();

	(void)state;
	bpfkit_vm__register_kernel_helpers(vm);
	bpfkit_vm__bind_map(vm, "m", m);
	assert_int_equal(run_in(vm, not_map, NINSNS(not_map), NULL, 0, false), (uint64_t)-EINVAL);
	assert_int_equal(run_in(vm, bad_key, NINSNS(bad_key), NULL, 0, false), 0);
	bpfkit_vm__free(vm);
	bpfkit_vm_map__free(m);
}

/* One VM per thread, one map shared by all: the counter program run 2,000
 * times in each of four threads (two interpreted, two JIT-compiled) counts
 * 8,000 (the key is there from the start: the program's insert-if-missing
 * would lose a count when two threads insert at once, in the kernel too). */
struct worker {
	struct bpfkit_vm_map *m;
	bool jit;
	int err;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct bpfkit_prog p = { .insns = (struct bpfkit_insn *)counter, .len = NINSNS(counter) };
	struct bpfkit_diag d;
	uint64_t r0;

	w->err = !vm || bpfkit_vm__register_kernel_helpers(vm) ||
		 bpfkit_vm__bind_map(vm, "counts", w->m) != 0 || bpfkit_vm__load_prog(vm, &p, &d) ||
		 (w->jit && bpfkit_vm__jit_compile(vm, NULL, &d));
	for (int i = 0; !w->err && i < 2000; i++)
		w->err = bpfkit_vm__run(vm, NULL, 0, &r0, NULL, &d);
	bpfkit_vm__free(vm);
	return NULL;
}

static void test_threads(void **state)
{
	struct bpfkit_vm_map *m = mk(BPFKIT_MAP_HASH, 4, 8, 4, 0);
	struct worker w[4];
	pthread_t t[4];
	uint32_t k = 7;
	uint64_t v = 0;

	(void)state;
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_NOEXIST), 0);
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .m = m, .jit = jit_ok() && i % 2 };
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].err, 0);
	}
	assert_int_equal(bpfkit_vm_map__lookup(m, &k, &v), 0);
	assert_int_equal(v, 8000);
	bpfkit_vm_map__free(m);
}

static int count_rec(void *ctx, const void *data, size_t len)
{
	(void)data;
	*(size_t *)ctx += len;
	return 0;
}

/* Ring buffer helpers against bad use: a record too large for the ring,
 * reserve flags, submitting what is no record, a record never submitted
 * (the consumer stops there), writing past a reserved record. */
static void test_ringbuf(void **state)
{
	const struct bpfkit_insn prog[] = {
		/* reserve(5000): NULL; reserve(8, flags 1): NULL */
		LD_MAP_FD(R1, 0), MOV64_IMM(R2, 5000), MOV64_IMM(R3, 0), CALL_HELPER(131),
		MOV64_REG(R6, R0),
		LD_MAP_FD(R1, 0), MOV64_IMM(R2, 8), MOV64_IMM(R3, 1), CALL_HELPER(131),
		ALU64_REG(BPFKIT_OR, R6, R0),
		/* submit(0x1234) and submit(the stack): nothing happens */
		MOV64_IMM(R1, 0x1234), MOV64_IMM(R2, 0), CALL_HELPER(132),
		MOV64_REG(R1, R10), ALU64_IMM(BPFKIT_ADD, R1, -8), MOV64_IMM(R2, 0), CALL_HELPER(132),
		/* output(4 bytes of the stack): 0, then reserve(8) never submitted */
		ST_MEM(BPFKIT_W, R10, -4, 77), LD_MAP_FD(R1, 0), MOV64_REG(R2, R10),
		ALU64_IMM(BPFKIT_ADD, R2, -4), MOV64_IMM(R3, 4), MOV64_IMM(R4, 0), CALL_HELPER(130),
		ALU64_REG(BPFKIT_OR, R6, R0),
		LD_MAP_FD(R1, 0), MOV64_IMM(R2, 8), MOV64_IMM(R3, 0), CALL_HELPER(131),
		JMP_IMM(BPFKIT_JEQ, R0, 0, 1),
		ST_MEM(BPFKIT_DW, R0, 0, 5),
		MOV64_REG(R0, R6),
		EXIT(),
	};
	const struct bpfkit_insn past[] = {
		LD_MAP_FD(R1, 0), MOV64_IMM(R2, 4), MOV64_IMM(R3, 0), CALL_HELPER(131),
		JMP_IMM(BPFKIT_JEQ, R0, 0, 1), ST_MEM(BPFKIT_W, R0, 4, 1), EXIT(),
	};
	struct bpfkit_map_attr a = { .type = BPFKIT_MAP_RINGBUF, .max_entries = 4096 };
	struct bpfkit_vm_map *m = bpfkit_vm_map__new(&a);
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct bpfkit_diag d;
	size_t bytes = 0;
	uint64_t r0;

	(void)state;
	assert_non_null(m);
	bpfkit_vm__register_kernel_helpers(vm);
	assert_int_equal(bpfkit_vm__bind_map(vm, "rb", m), 0);
	for (int jit = 0; jit <= (int)jit_ok(); jit++) {
		assert_int_equal(run_in(vm, prog, NINSNS(prog), NULL, 0, jit), 0);
		/* the first run's output record, then its reserved record blocks the rest */
		assert_int_equal(bpfkit_vm_map__ringbuf_consume(m, count_rec, &bytes), jit ? 0 : 1);
		assert_int_equal(bytes, 4);
	}
	assert_int_equal(bpfkit_vm__load(vm, past, NINSNS(past), &d), 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, &d), -EFAULT);
	assert_non_null(strstr(d.msg, "out-of-bounds store of 4 bytes"));
	assert_int_equal(bpfkit_vm_map__ringbuf_consume(m, count_rec, &bytes), 0);
	assert_int_equal(bpfkit_vm_map__ringbuf_consume(NULL, count_rec, &bytes), -EINVAL);
	bpfkit_vm__free(vm);
	bpfkit_vm_map__free(m);
}

/* The prototype table has the helpers the VM implements. */
static void test_protos(void **state)
{
	const struct bpfkit_helper_proto *p;

	(void)state;
	p = bpfkit_helper_proto(1);
	assert_non_null(p);
	assert_int_equal(p->ret, BPFKIT_RET_PTR_TO_MAP_VALUE_OR_NULL);
	assert_int_equal(p->arg[0], BPFKIT_ARG_CONST_MAP_PTR);
	assert_int_equal(p->arg[1], BPFKIT_ARG_PTR_TO_MAP_KEY);
	assert_int_equal(p->arg[2], BPFKIT_ARG_NONE);
	assert_int_equal(bpfkit_helper_proto(88)->arg[1], BPFKIT_ARG_PTR_TO_UNINIT_MAP_VALUE);
	assert_non_null(bpfkit_helper_proto(8));
	assert_null(bpfkit_helper_proto(6));
	assert_null(bpfkit_helper_proto(0));
	assert_null(bpfkit_helper_proto(100000));
	assert_string_equal(bpfkit_map_type_name(BPFKIT_MAP_LRU_PERCPU_HASH), "lru_percpu_hash");
	assert_null(bpfkit_map_type_name(1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counter),
		cmocka_unit_test(test_reloc_by_name),
		cmocka_unit_test(test_global_data),
		cmocka_unit_test(test_percpu),
		cmocka_unit_test(test_queue_helpers),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_ringbuf),
		cmocka_unit_test(test_protos),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
