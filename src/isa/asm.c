// SPDX-License-Identifier: MIT
/* STUB: replaced by the assembler. */
#include <errno.h>
#include <bpfkit/isa.h>

int bpfkit_asm(const char *text, size_t len, enum bpfkit_dialect dialect, struct bpfkit_prog **out,
	       struct bpfkit_diag *diag)
{
	(void)text; (void)len; (void)dialect; (void)out;
	return bpfkit_diag__set(diag, -ENOSYS, "assembler not built yet");
}
