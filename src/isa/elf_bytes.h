/* SPDX-License-Identifier: MIT */
/*
 * Private to the two ELF readers, src/isa/elf_read.c (clang's BPF objects)
 * and src/sym/elf.c (user-space executables and libraries): both check an
 * untrusted file's layout on its raw little-endian bytes before libelf
 * sees it, and both need libelf initialised once.
 */
#ifndef BPFKIT_ISA_ELF_BYTES_H
#define BPFKIT_ISA_ELF_BYTES_H

#include <stdbool.h>
#include <stdint.h>

static inline uint16_t rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16;
}

static inline uint64_t rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Is [off, off + size) inside a file or buffer of @p len bytes? */
static inline bool in_file(uint64_t off, uint64_t size, uint64_t len)
{
	uint64_t end;

	return !__builtin_add_overflow(off, size, &end) && end <= len;
}

/* libelf's elf_version(), called once for the process (thread-safe);
 * false when libelf refuses this version (elf_errmsg(-1) says why). */
bool isa_elf_ready(void);

#endif /* BPFKIT_ISA_ELF_BYTES_H */
