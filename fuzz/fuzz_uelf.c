// SPDX-License-Identifier: MIT
/*
 * Fuzz the user-space ELF reader (src/sym/elf.c) with arbitrary bytes,
 * written to an anonymous memory file and opened by its /proc/self/fd path
 * (the reader takes paths: uprobe targets are files). Oracles beyond "no
 * crash, leak or hang":
 *  - a failure names the file ("/proc/self/fd/N: ...") and is -ENOEXEC
 *    (or -ENOMEM);
 *  - a success is consistent: names sorted strictly and each found by
 *    __find(); __resolve() of a function's address gives a function at that
 *    address; an address from __vaddr_to_offset() maps back to itself.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpfkit/sym.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(struct bpfkit_elf_file *f)
{
	const struct bpfkit_elf_sym *s, *prev = NULL, *r;
	uint64_t off, va, o2;
	size_t n = bpfkit_elf_file__nsyms(f), len;

	for (size_t i = 0; i < n; i++) {
		s = bpfkit_elf_file__sym(f, i);
		if (!s || !s->name[0] || (prev && strcmp(prev->name, s->name) >= 0))
			abort();
		if (bpfkit_elf_file__find(f, s->name) != s)
			abort();
		if (s->kind == BPFKIT_ELF_SYM_FUNC &&
		    (bpfkit_elf_file__resolve(f, s->addr, &r, &o2) || r->addr != s->addr || o2))
			abort();
		if (!bpfkit_elf_file__vaddr_to_offset(f, s->addr, &off) &&
		    (bpfkit_elf_file__offset_to_vaddr(f, off, &va) || bpfkit_elf_file__vaddr_to_offset(f, va, &o2) ||
		     o2 != off))
			abort();
		prev = s;
	}
	if (bpfkit_elf_file__sym(f, n) || (bpfkit_elf_file__build_id(f, &len) && (!len || len > 64)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfkit_elf_file *f = NULL;
	struct bpfkit_diag d = { 0 };
	char path[64];
	int fd = memfd_create("fuzz-elf", MFD_CLOEXEC), err;

	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err = bpfkit_elf_file__open(path, &f, &d);
	if (err) {
		if (f || (err != -ENOEXEC && err != -ENOMEM) || strncmp(d.msg, path, strlen(path)))
			abort();
	} else {
		check(f);
		bpfkit_elf_file__free(f);
	}
	close(fd);
	return 0;
}
