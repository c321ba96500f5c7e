// SPDX-License-Identifier: MIT
/* STUB: replaced by elf_read.c and elf_write.c. */
#include <errno.h>
#include <bpfkit/isa.h>

int bpfkit_elf_read(const void *buf, size_t len, struct bpfkit_prog ***progs, size_t *nprogs,
		    struct bpfkit_diag *diag)
{
	(void)buf; (void)len; (void)progs; (void)nprogs;
	return bpfkit_diag__set(diag, -ENOSYS, "ELF reader not built yet");
}

int bpfkit_elf_write(struct bpfkit_prog *const *progs, size_t nprogs, void **buf, size_t *len,
		     struct bpfkit_diag *diag)
{
	(void)progs; (void)nprogs; (void)buf; (void)len;
	return bpfkit_diag__set(diag, -ENOSYS, "ELF writer not built yet");
}
