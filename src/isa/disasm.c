// SPDX-License-Identifier: MIT
/* STUB: replaced by the disassembler. */
#include <errno.h>
#include <bpfkit/isa.h>

char *bpfkit_disasm(const struct bpfkit_prog *prog, const struct bpfkit_disasm_opts *opts)
{
	(void)prog; (void)opts;
	errno = ENOSYS;
	return NULL;
}

int bpfkit_disasm_insn(const struct bpfkit_insn *insns, size_t avail, enum bpfkit_dialect dialect,
		       char *buf, size_t size)
{
	(void)insns; (void)avail; (void)dialect; (void)buf; (void)size;
	return -ENOSYS;
}

const char *bpfkit_helper_name(int32_t id) { (void)id; return NULL; }
int32_t bpfkit_helper_id(const char *name) { (void)name; return -1; }
