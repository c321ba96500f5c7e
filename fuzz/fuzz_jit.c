// SPDX-License-Identifier: MIT
/*
 * Differential fuzzing of the JIT against the interpreter: the same program
 * and the same input memory run in both, on the same VM (so the stack and
 * every address are the same), and everything observable must agree: the
 * error, fault kind, instruction index and message, r0, the instruction
 * count, the input memory and the helper-granted memory afterwards. Any
 * difference aborts.
 *
 * Input: [flags] [funcs] [mem_len] [mem_len bytes of memory] [8-byte chunks].
 *   flags bit 0: chunks are raw instruction slots (as fuzz_vm) when clear;
 *                when set, each chunk is shaped into a valid-looking
 *                instruction (opcode from the opcode table, registers in
 *                range), and the program into 1 + (funcs & 3) functions,
 *                each ending in exit, with jumps inside their function and
 *                local calls to function starts, so most programs load and
 *                the JIT's code paths get exercised
 *   flags bit 1: constant blinding;  bit 2: retpolines
 *   flags bit 3: small budget (1..64, from the high bits) to exercise the
 *                hand-over to the interpreter; otherwise FUZZ_BUDGET, and
 *                bit 4 compiles with no_count (the count may then read 0)
 * Two extra helpers: 60 grants a buffer (read-only when r2 is odd) and
 * returns its address, 61 stops the program with r0 = r1. Helper 7
 * (prandom) is replaced by one whose state restarts with every run.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/isa.h>
#include <bpfkit/vm.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_BUDGET 20000
#define MAX_INSNS 512
#define GRANT_LEN 64

static uint8_t grant_buf[GRANT_LEN] __attribute__((aligned(16)));
static uint64_t prng_state;

static uint64_t h_grant(struct bpfkit_vm_ctx *ctx, uint64_t len, uint64_t ro, uint64_t c,
			uint64_t d, uint64_t e)
{
	(void)c, (void)d, (void)e;
	len = len % GRANT_LEN + 1;
	if (bpfkit_vm_ctx__grant(ctx, grant_buf, len, !(ro & 1)))
		return 0;
	return (uint64_t)(uintptr_t)grant_buf;
}

static uint64_t h_stop(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t b, uint64_t c, uint64_t d,
		       uint64_t e)
{
	(void)b, (void)c, (void)d, (void)e;
	bpfkit_vm_ctx__stop(ctx, r1);
	return 7;
}

static uint64_t h_prandom(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
			  uint64_t e)
{
	(void)ctx, (void)a, (void)b, (void)c, (void)d, (void)e;
	prng_state = prng_state * 6364136223846793005ull + 1442695040888963407ull;
	return prng_state >> 33;
}

static const int32_t helper_ids[] = { 0, 1, 2, 3, 4, 5, 7, 60, 61 };

#define MAX_FUNCS 4

/* Function boundaries of a shaped program: function f is [at[f], at[f+1]). */
struct layout {
	size_t nfuncs;
	size_t at[MAX_FUNCS + 1];
};

/* A jump target relative to slot @p i, inside the function [lo, hi). */
static int32_t rel_target(uint16_t pick, size_t i, size_t lo, size_t hi)
{
	return (int32_t)(lo + pick % (hi - lo)) - (int32_t)i - 1;
}

/* Shape chunk @p c into the instruction(s) at @p out[i] (two slots for
 * lddw when room) of the function [lo, hi). Returns the slots used. */
static size_t shape_insn(const uint8_t *c, struct bpfkit_insn *out, size_t i, size_t lo, size_t hi,
			 const struct layout *l)
{
	const struct bpfkit_opinfo *row = bpfkit_opinfo__at(c[0] % bpfkit_opinfo__count());
	struct bpfkit_insn *in = &out[i];
	uint16_t pick = (uint16_t)(c[2] | c[3] << 8);
	int32_t imm;

	memcpy(&imm, c + 4, 4);
	memset(in, 0, sizeof(*in));
	in->code = row->code;
	in->dst = (uint8_t)((c[1] & 0xf) % 11);
	in->src = (uint8_t)((c[1] >> 4) % 11);
	/* mostly small offsets, sometimes any */
	in->off = (c[3] & 0x80) ? (int16_t)pick : (int16_t)(int8_t)c[2];
	in->imm = imm;
	switch (row->shape) {
	case BPFKIT_SHAPE_ALU_K:
	case BPFKIT_SHAPE_NEG:
	case BPFKIT_SHAPE_END:
	case BPFKIT_SHAPE_ALU_X:
		in->dst %= 10;
		in->off = 0;
		if (row->shape != BPFKIT_SHAPE_ALU_X)
			in->src = 0;
		if (row->shape != BPFKIT_SHAPE_ALU_K)
			in->imm = 0;
		break;
	case BPFKIT_SHAPE_LDDW:
		if (i + 2 >= hi) { /* the function's last slot becomes exit */
			*in = (struct bpfkit_insn){ .code = BPFKIT_OP_EXIT };
			return 1;
		}
		in->dst %= 10;
		in->src = 0;
		in->off = 0;
		out[i + 1] = (struct bpfkit_insn){ .imm = (int32_t)((uint32_t)imm * 2654435761u) };
		return 2;
	case BPFKIT_SHAPE_LD_ABS:
		in->dst = in->src = 0;
		in->off = 0;
		in->imm = (c[3] & 0x40) ? imm : (int32_t)(c[4] % 80) - 8;
		break;
	case BPFKIT_SHAPE_LD_IND:
		in->dst = 0;
		in->off = 0;
		in->imm = (c[3] & 0x40) ? imm : (int32_t)(int8_t)c[4];
		break;
	case BPFKIT_SHAPE_LDX:
		in->dst %= 10;
		in->imm = 0;
		break;
	case BPFKIT_SHAPE_ST:
		in->src = 0;
		break;
	case BPFKIT_SHAPE_STX:
	case BPFKIT_SHAPE_ATOMIC:
		in->imm = 0;
		break;
	case BPFKIT_SHAPE_JA:
		in->dst = in->src = 0;
		in->imm = 0;
		in->off = (int16_t)rel_target(pick, i, lo, hi);
		break;
	case BPFKIT_SHAPE_JA32:
		in->dst = in->src = 0;
		in->off = 0;
		in->imm = rel_target(pick, i, lo, hi);
		break;
	case BPFKIT_SHAPE_JMP_K:
	case BPFKIT_SHAPE_JMP_X:
		in->off = (int16_t)rel_target(pick, i, lo, hi);
		if (row->shape == BPFKIT_SHAPE_JMP_K)
			in->src = 0;
		else
			in->imm = 0;
		break;
	case BPFKIT_SHAPE_CALL:
		in->dst = 0;
		in->off = 0;
		if (c[1] & 1) {
			in->src = BPFKIT_CALL_LOCAL;
			in->imm = (int32_t)l->at[pick % l->nfuncs] - (int32_t)i - 1;
		} else {
			in->src = BPFKIT_CALL_HELPER;
			in->imm = helper_ids[c[4] % (sizeof(helper_ids) / sizeof(helper_ids[0]))];
		}
		break;
	case BPFKIT_SHAPE_CALLX:
		in->src = 0;
		in->off = 0;
		in->imm = 0;
		break;
	default: /* EXIT */
		*in = (struct bpfkit_insn){ .code = row->code };
		break;
	}
	if (row->match & BPFKIT_MATCH_OFF)
		in->off = row->off;
	if (row->match & BPFKIT_MATCH_IMM)
		in->imm = row->imm;
	return 1;
}

struct outcome {
	int err;
	enum bpfkit_fault fault;
	struct bpfkit_diag d;
	uint64_t r0, insns;
};

/* One run on a fresh copy of the memory and the grant buffer. */
static struct outcome run_once(struct bpfkit_vm *vm, uint8_t *mem, const uint8_t *mem0,
			       size_t mem_len)
{
	struct outcome o = { 0 };

	if (mem_len)
		memcpy(mem, mem0, mem_len);
	memset(grant_buf, 0x5a, sizeof(grant_buf));
	prng_state = 1;
	bpfkit_diag__clear(&o.d);
	o.err = bpfkit_vm__run(vm, mem_len ? mem : NULL, mem_len, &o.r0, &o.fault, &o.d);
	o.insns = bpfkit_vm__insn_count(vm);
	return o;
}

static void differ(const char *what, const struct outcome *a, const struct outcome *b)
{
	fprintf(stderr, "fuzz_jit: %s differs\n  interp: err %d fault %d insn %ld r0 0x%llx insns %llu: %s\n"
			"  jit:    err %d fault %d insn %ld r0 0x%llx insns %llu: %s\n",
		what, a->err, a->fault, a->d.insn, (unsigned long long)a->r0,
		(unsigned long long)a->insns, a->d.msg, b->err, b->fault, b->d.insn,
		(unsigned long long)b->r0, (unsigned long long)b->insns, b->d.msg);
	abort();
}

/* Load, run in the interpreter, compile, run natively, compare. */
static void differential(const struct bpfkit_insn *insns, size_t n, const uint8_t *mem0,
			 size_t mem_len, uint8_t flags)
{
	struct bpfkit_jit_opts opts = { .blind = flags & 2, .retpoline = flags & 4,
					.no_count = (flags & 0x18) == 0x10 };
	uint8_t *mem = malloc(mem_len ? mem_len : 1), *mem_i = malloc(mem_len ? mem_len : 1);
	uint8_t grant_i[GRANT_LEN];
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct outcome a, b;
	struct bpfkit_diag d;
	int err;

	if (!mem || !mem_i || !vm)
		goto out;
	bpfkit_vm__register_test_helpers(vm);
	bpfkit_vm__register_helper(vm, 7, "prandom", h_prandom);
	bpfkit_vm__register_helper(vm, 60, "grant", h_grant);
	bpfkit_vm__register_helper(vm, 61, "stop", h_stop);
	bpfkit_vm__set_budget(vm, (flags & 8) ? 1 + (flags >> 4) * 4 : FUZZ_BUDGET);
	if (bpfkit_vm__load(vm, insns, n, &d))
		goto out;
	a = run_once(vm, mem, mem0, mem_len);
	if (mem_len)
		memcpy(mem_i, mem, mem_len);
	memcpy(grant_i, grant_buf, GRANT_LEN);
	err = bpfkit_vm__jit_compile(vm, &opts, &d);
	if (err == -EOPNOTSUPP)
		goto out; /* not an x86-64 host */
	if (err) {
		fprintf(stderr, "fuzz_jit: a loaded program was refused: insn %ld: %s\n", d.insn, d.msg);
		abort();
	}
	b = run_once(vm, mem, mem0, mem_len);
	if (a.err != b.err || a.fault != b.fault || a.d.insn != b.d.insn)
		differ("the fault", &a, &b);
	if (strcmp(a.d.msg, b.d.msg))
		differ("the message", &a, &b);
	if (!a.err && a.r0 != b.r0)
		differ("r0", &a, &b);
	/* no_count: exact where a budget is checked, else not counted (0) */
	if (a.insns != b.insns && !(opts.no_count && b.insns == 0))
		differ("the instruction count", &a, &b);
	if ((mem_len && memcmp(mem, mem_i, mem_len)) || memcmp(grant_buf, grant_i, GRANT_LEN))
		differ("memory", &a, &b);
out:
	bpfkit_vm__free(vm);
	free(mem);
	free(mem_i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfkit_insn *insns;
	size_t mem_len, n;
	uint8_t flags;

	struct layout l;

	if (size < 3)
		return 0;
	flags = data[0];
	l.nfuncs = 1 + (data[1] & 3);
	mem_len = data[2];
	data += 3, size -= 3;
	if (mem_len > size)
		mem_len = size;
	n = (size - mem_len) / 8;
	if (n > MAX_INSNS)
		n = MAX_INSNS;
	if (!n)
		return 0;
	insns = calloc(n, sizeof(*insns));
	if (!insns)
		return 0;
	if (flags & 1) {
		while (l.nfuncs > 1 && n < 2 * l.nfuncs)
			l.nfuncs--;
		for (size_t f = 0; f <= l.nfuncs; f++)
			l.at[f] = n * f / l.nfuncs;
		for (size_t f = 0; f < l.nfuncs; f++) {
			size_t lo = l.at[f], hi = l.at[f + 1];
			for (size_t i = lo; i < hi;)
				i += shape_insn(data + mem_len + 8 * i, insns, i, lo, hi, &l);
			insns[hi - 1] = (struct bpfkit_insn){ .code = BPFKIT_OP_EXIT };
		}
	} else {
		memcpy(insns, data + mem_len, n * sizeof(*insns));
	}
	differential(insns, n, data, mem_len, flags);
	free(insns);
	return 0;
}
