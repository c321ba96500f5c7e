/* SPDX-License-Identifier: MIT */
/*
 * Private to src/isa/elf_*.c: the ELF reader's state and the steps that
 * elf_read.c (programs) and elf_maps.c (map definitions) share: the layout
 * checks done on the raw bytes before libelf sees them, section headers and
 * names, checked section data and symbols.
 */
#ifndef BPFKIT_ISA_ELF_INT_H
#define BPFKIT_ISA_ELF_INT_H

#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>

#include <bpfkit/isa.h>

#define EHDR_SIZE 64
#define SHDR_SIZE 64
#define SYM_SIZE 24
#define REL_SIZE 16
#define RELA_SIZE 24
#define SLOT 8
/* collect_syms marks function symbols in the top bit of insn until sorting */
#define FUNC_FLAG ((size_t)1 << (sizeof(size_t) * 8 - 1))

/* A function symbol, for finding the one a section-relative reference
 * (clang's `call -1` against .text) lands on. */
struct func_sym {
	size_t shndx;
	uint64_t value;
	const char *name;
	uint64_t size; /* st_size in bytes, 0 = unknown */
};

/* Where a call relocation sends a call: slot @p slot of section @p shndx
 * (0 = no relocation at this slot). */
struct call_tgt {
	size_t shndx;
	uint64_t slot;
};

struct rd {
	const unsigned char *raw; /* the caller's buffer (checked, never written) */
	size_t len;
	char *copy; /* private copy handed to libelf */
	Elf *elf;
	struct bpfkit_diag *diag;

	size_t shnum;
	size_t shstrndx;
	GElf_Shdr *shdr; /* [shnum] */
	const char **name; /* [shnum] section names */
	long *prog_of; /* [shnum]: index into progs, or -1 */

	size_t symtab; /* section index of .symtab, 0 = none */
	size_t strtab;
	Elf_Data *syms;
	size_t nsyms;
	struct func_sym *funcs; /* sorted by (shndx, value) */
	size_t nfuncs;

	struct bpfkit_prog **progs;
	size_t nprogs;
	size_t *sym_cap, *reloc_cap; /* [nprogs] */
	struct call_tgt **tgt; /* [nprogs], each NULL or [len]: call relocation targets */
};

/* Check the header and section table on the raw bytes; open the private
 * copy with libelf and read every section header and name; find the symbol
 * table. Each returns 0 or a -errno with the section named in r->diag. */
int elf_check_layout(struct rd *r);
int elf_open_elf(struct rd *r);
int elf_open_symtab(struct rd *r);
/* The bytes of section @p i, checked to be whole. */
int elf_section_data(struct rd *r, size_t i, Elf_Data **out);
/* Symbol @p i, its section index and name checked. */
int elf_get_sym(struct rd *r, size_t i, GElf_Sym *s, const char **name);
/* Release the reader's state; the programs too unless @p keep_progs. */
void elf_rd_free(struct rd *r, bool keep_progs);

#endif
