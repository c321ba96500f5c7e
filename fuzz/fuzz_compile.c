// SPDX-License-Identifier: MIT
/*
 * Fuzz the tracer's compiler: script text is parsed and, when it parses,
 * compiled against the tests' fake environment (real tracepoint layouts
 * and a small C type provider shaped like BTF: task_struct, sched_entity,
 * bit-fields, unions, enums; tests/unit/lang_test_env.h), so casts, member
 * access, sizeof/offsetof and script struct layouts are fuzzed too. Oracle beyond "no crash": every program the
 * compiler emits must pass the VM's load-time validation (known opcodes,
 * jump targets, no fall-through, registers) once map references are
 * patched, every map reference must name a map of the output, and every
 * slot's line must be a line of the script.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/isa.h>
#include <bpfkit/lang.h>
#include <bpfkit/vm.h>

#include "../tests/unit/lang_test_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t h_zero(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
		       uint64_t e)
{
	(void)ctx, (void)a, (void)b, (void)c, (void)d, (void)e;
	return 0;
}

/* Validate program @p i of @p c in @p vm; abort() on any broken invariant. */
static void check_prog(struct bpfkit_vm *vm, const struct bpfkit_compiled *c, size_t i, int nlines)
{
	const struct bpfkit_prog *p = c->progs[i].prog;
	struct bpfkit_insn *copy = malloc(p->len * sizeof(*copy) + 1);
	struct bpfkit_diag d;

	if (!copy)
		return;
	memcpy(copy, p->insns, p->len * sizeof(*copy));
	for (size_t r = 0; r < p->nrelocs; r++) {
		size_t k = p->relocs[r].insn, m;

		if (k >= p->len || copy[k].code != BPFKIT_OP_LDDW)
			abort();
		for (m = 0; m < c->nmaps && strcmp(c->maps[m].name, p->relocs[r].name); m++)
			;
		if (m == c->nmaps)
			abort(); /* a reference to a map the output does not describe */
		copy[k].src = BPFKIT_PSEUDO_IMM64;
		copy[k].imm = (int32_t)m;
	}
	for (size_t k = 0; p->lines && k < p->len; k++)
		if (p->lines[k] < 0 || p->lines[k] > nlines)
			abort();
	bpfkit_diag__clear(&d);
	if (bpfkit_vm__load(vm, copy, p->len, &d))
		abort(); /* the compiler emitted a structurally invalid program */
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bpfkit_vm *vm;
	struct bpfkit_compiled *c = NULL;
	struct bpfkit_lang *l = NULL;
	struct bpfkit_lang_env env;
	int nlines = 1;

	if (size > 1 << 14)
		return 0;
	if (!vm) { /* every kernel helper number, so validation judges the code only */
		vm = bpfkit_vm__new();
		if (!vm)
			return 0;
		for (uint32_t id = 1; id < 256; id++)
			bpfkit_vm__register_helper(vm, id, "fuzz", h_zero);
	}
	for (size_t i = 0; i < size; i++)
		nlines += data[i] == '\n';
	/* odd-sized inputs also compile as for a kernel with raw tracepoints,
	 * where raw_syscalls probes may become rawtracepoint programs */
	env = test_env;
	if (size & 1)
		env.features |= BPFKIT_LANG_FEAT_RAW_TP;
	if (test_compile_env("fuzz.bt", (const char *)data, size, &env, &l, &c) == 0 && c) {
		for (size_t i = 0; i < c->nprogs; i++)
			check_prog(vm, c, i, nlines);
	}
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
	return 0;
}
