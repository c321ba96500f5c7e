// SPDX-License-Identifier: MIT
/*
 * The context of kprobes and uprobes: the task's struct pt_regs (x86-64).
 * Arguments follow the System V calling convention, as bpftrace reads
 * them: arg0..arg5 are rdi, rsi, rdx, rcx, r8 and r9; arg6 and up are on
 * the stack, above the return address the call pushed (at function entry,
 * sp + 8 * (N - 5)), read with probe_read_user for uprobes and
 * probe_read_kernel for kprobes (a failed read gives 0). retval is rax.
 * reg("name") reads any register by its pt_regs name.
 */
#include <string.h>

#include "lang/compile_int.h"

/* struct pt_regs of x86-64, in order: the offset of each is 8 * index */
const char *const ptregs_names[] = {
	"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "ax",
	"cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss",
};
const size_t ptregs_nnames = sizeof(ptregs_names) / sizeof(ptregs_names[0]);

static const char *const arg_regs[] = { "di", "si", "dx", "cx", "r8", "r9" };

int ptregs_offset(const char *name)
{
	for (size_t i = 0; i < ptregs_nnames; i++)
		if (!strcmp(ptregs_names[i], name))
			return (int)(8 * i);
	return -1;
}

int ptregs_arg_offset(int n)
{
	return n >= 0 && n < 6 ? ptregs_offset(arg_regs[n]) : -1;
}

void ptregs_gen_arg(struct cg *g, int n, int dst)
{
	int sp, slot;

	if (n < 6) {
		cg_load(g, dst, CG_CTX, ptregs_offset(arg_regs[n]), 8, false);
		return;
	}
	sp = g->sp;
	slot = cg_stack(g, 8);
	cg_load(g, 3, CG_CTX, ptregs_offset("sp"), 8, false);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 3, 0, 0, 8 * (n - 5));
	cg_fp_addr(g, 1, slot);
	cg_mov_imm(g, 2, 8);
	cg_call(g, g->c->t->prov->user ? "probe_read_user" : "probe_read_kernel");
	cg_load(g, dst, BPFKIT_REG_FP, slot, 8, false);
	g->sp = sp;
}

void ptregs_gen_retval(struct cg *g, int dst)
{
	cg_load(g, dst, CG_CTX, ptregs_offset("ax"), 8, false);
}
