// SPDX-License-Identifier: MIT
/*
 * The ELF reader: the eBPF programs of a relocatable object as
 * `clang -target bpf -O2 -g -c` writes it. bpfkit_elf_read() gives the
 * object's sections, as a disassembler shows them: every executable section
 * with instructions becomes one program named after the section; the
 * functions and labels in it become its symbols; its relocation section
 * names the maps, global data and functions its instructions refer to.
 * bpfkit_elf_programs() gives the programs as libbpf names them, to run:
 * one per function outside .text, linked with the .text subprograms it calls.
 *
 * Input is untrusted. Before libelf sees the buffer we check the ELF header,
 * the section header table and every section's place in the file ourselves,
 * with overflow-safe arithmetic, so that libelf only ever walks a layout
 * that fits the buffer; after that every symbol index, string offset and
 * relocation offset is checked as it is used. Each failure is an error that
 * names the section and what is wrong with it.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/isa.h>

#include "elf_bytes.h"
#include "elf_int.h"

static pthread_once_t elf_once = PTHREAD_ONCE_INIT;
static bool elf_ok;

static void elf_init(void)
{
	elf_ok = elf_version(EV_CURRENT) != EV_NONE;
}

bool isa_elf_ready(void)
{
	pthread_once(&elf_once, elf_init);
	return elf_ok;
}

/*
 * Check the ELF header and the section header table from the raw bytes:
 * 64-bit, little-endian, EM_BPF, section headers inside the file (extended
 * numbering included), every section's data inside the file, and a section
 * name table that exists. After this, libelf cannot be led outside the buffer.
 */
int elf_check_layout(struct rd *r)
{
	const unsigned char *b = r->raw;
	uint64_t shoff, shnum, tab;
	unsigned shentsize, shstrndx;

	if (r->len < EHDR_SIZE)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"truncated ELF file: %zu bytes, the ELF header alone is %d",
					r->len, EHDR_SIZE);
	if (memcmp(b, ELFMAG, SELFMAG))
		return bpfkit_diag__set(r->diag, -EINVAL, "not an ELF file (bad magic)");
	if (b[EI_CLASS] != ELFCLASS64)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"not a 64-bit ELF object (class %u); eBPF objects are ELF64",
					b[EI_CLASS]);
	if (b[EI_DATA] == ELFDATA2MSB)
		return bpfkit_diag__set(r->diag, -ENOTSUP,
					"big-endian ELF objects (bpfeb) are not supported; "
					"compile with -target bpfel or -target bpf on a little-endian host");
	if (b[EI_DATA] != ELFDATA2LSB)
		return bpfkit_diag__set(r->diag, -EINVAL, "bad ELF data encoding %u", b[EI_DATA]);
	if (rd16(b + 18) != EM_BPF)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"not an eBPF object: machine %u, expected %u (EM_BPF)",
					rd16(b + 18), EM_BPF);
	shoff = rd64(b + 40);
	shentsize = rd16(b + 58);
	shnum = rd16(b + 60);
	shstrndx = rd16(b + 62);
	if (!shoff)
		return bpfkit_diag__set(r->diag, -EINVAL, "ELF file has no section headers");
	if (shentsize != SHDR_SIZE)
		return bpfkit_diag__set(r->diag, -EINVAL, "section header size is %u, expected %d",
					shentsize, SHDR_SIZE);
	if (!in_file(shoff, SHDR_SIZE, r->len))
		return bpfkit_diag__set(r->diag, -EINVAL,
					"truncated ELF file: section headers at 0x%llx are past its "
					"end (0x%zx bytes)",
					(unsigned long long)shoff, r->len);
	/* Extended numbering: section 0 carries the real count and index. */
	if (shnum == 0)
		shnum = rd64(b + shoff + 32);
	if (shstrndx == SHN_XINDEX)
		shstrndx = rd32(b + shoff + 40);
	if (shnum == 0 || __builtin_mul_overflow(shnum, SHDR_SIZE, &tab) ||
	    !in_file(shoff, tab, r->len))
		return bpfkit_diag__set(r->diag, -EINVAL,
					"truncated ELF file: %llu section headers at 0x%llx do not fit "
					"in 0x%zx bytes",
					(unsigned long long)shnum, (unsigned long long)shoff, r->len);
	if (shstrndx == SHN_UNDEF || shstrndx >= shnum)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section name table index %u is not a section (there are %llu)",
					shstrndx, (unsigned long long)shnum);
	for (uint64_t i = 1; i < shnum; i++) {
		const unsigned char *sh = b + shoff + i * SHDR_SIZE;
		uint32_t type = rd32(sh + 4);
		uint64_t off = rd64(sh + 24), size = rd64(sh + 32);
		if (type != SHT_NOBITS && type != SHT_NULL && !in_file(off, size, r->len))
			return bpfkit_diag__set(r->diag, -EINVAL,
						"section %llu: data at offset 0x%llx, size 0x%llx, is "
						"outside the file (0x%zx bytes)",
						(unsigned long long)i, (unsigned long long)off,
						(unsigned long long)size, r->len);
	}
	if (rd32(b + shoff + shstrndx * SHDR_SIZE + 4) != SHT_STRTAB)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section %u, named as the section name table, is not a string table",
					shstrndx);
	r->shnum = (size_t)shnum;
	r->shstrndx = shstrndx;
	return 0;
}

/* Open the private copy with libelf and cache every section header and name. */
int elf_open_elf(struct rd *r)
{
	size_t n;

	if (!isa_elf_ready())
		return bpfkit_diag__set(r->diag, -ENOTSUP, "libelf: %s", elf_errmsg(-1));
	r->copy = malloc(r->len);
	if (!r->copy)
		return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
	memcpy(r->copy, r->raw, r->len);
	r->elf = elf_memory(r->copy, r->len);
	if (!r->elf || elf_kind(r->elf) != ELF_K_ELF)
		return bpfkit_diag__set(r->diag, -EINVAL, "libelf cannot read the file: %s",
					elf_errmsg(-1));
	if (elf_getshdrnum(r->elf, &n) || n != r->shnum)
		return bpfkit_diag__set(r->diag, -EINVAL, "libelf disagrees on the section count: %s",
					elf_errmsg(-1));
	r->shdr = calloc(r->shnum, sizeof(*r->shdr));
	r->name = calloc(r->shnum, sizeof(*r->name));
	r->prog_of = malloc(r->shnum * sizeof(*r->prog_of));
	if (!r->shdr || !r->name || !r->prog_of)
		return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
	for (size_t i = 0; i < r->shnum; i++) {
		Elf_Scn *scn = elf_getscn(r->elf, i);
		r->prog_of[i] = -1;
		if (!scn || !gelf_getshdr(scn, &r->shdr[i]))
			return bpfkit_diag__set(r->diag, -EINVAL, "section %zu: unreadable header: %s",
						i, elf_errmsg(-1));
		r->name[i] = i ? elf_strptr(r->elf, r->shstrndx, r->shdr[i].sh_name) : "";
		if (!r->name[i])
			return bpfkit_diag__set(r->diag, -EINVAL,
						"section %zu: name offset %u is outside the section "
						"name table",
						i, r->shdr[i].sh_name);
	}
	return 0;
}

/* The bytes of section @p i as libelf gives them, checked to be whole. */
int elf_section_data(struct rd *r, size_t i, Elf_Data **out)
{
	Elf_Scn *scn = elf_getscn(r->elf, i);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;

	if (r->shdr[i].sh_flags & SHF_COMPRESSED)
		return bpfkit_diag__set(r->diag, -ENOTSUP, "section %s: compressed sections are not "
					"supported", r->name[i]);
	if (!d || d->d_size != r->shdr[i].sh_size || (d->d_size && !d->d_buf))
		return bpfkit_diag__set(r->diag, -EINVAL, "section %s: cannot read its data: %s",
					r->name[i], elf_errmsg(-1));
	*out = d;
	return 0;
}

static void put_insn(struct bpfkit_insn *in, const unsigned char *p)
{
	in->code = p[0];
	in->dst = p[1] & 0x0f;
	in->src = p[1] >> 4;
	in->off = (int16_t)rd16(p + 2);
	in->imm = (int32_t)rd32(p + 4);
}

/* One program per executable PROGBITS section with instructions. */
static int collect_programs(struct rd *r)
{
	r->progs = calloc(r->shnum, sizeof(*r->progs));
	r->sym_cap = calloc(r->shnum, sizeof(*r->sym_cap));
	r->reloc_cap = calloc(r->shnum, sizeof(*r->reloc_cap));
	r->tgt = calloc(r->shnum, sizeof(*r->tgt));
	if (!r->progs || !r->sym_cap || !r->reloc_cap || !r->tgt)
		return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
	for (size_t i = 1; i < r->shnum; i++) {
		const GElf_Shdr *sh = &r->shdr[i];
		struct bpfkit_prog *p;
		const unsigned char *bytes;
		Elf_Data *d;
		int err;

		if (sh->sh_type != SHT_PROGBITS || !(sh->sh_flags & SHF_EXECINSTR) || !sh->sh_size)
			continue;
		if (sh->sh_size % SLOT)
			return bpfkit_diag__set(r->diag, -EINVAL,
						"section %s: size %llu is not a multiple of 8 "
						"(eBPF instructions are 8 bytes)",
						r->name[i], (unsigned long long)sh->sh_size);
		err = elf_section_data(r, i, &d);
		if (err)
			return err;
		p = calloc(1, sizeof(*p));
		if (!p)
			return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
		r->progs[r->nprogs] = p;
		r->prog_of[i] = (long)r->nprogs++;
		p->len = sh->sh_size / SLOT;
		p->name = strdup(r->name[i]);
		p->insns = calloc(p->len, sizeof(*p->insns));
		if (!p->name || !p->insns)
			return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
		bytes = d->d_buf;
		for (size_t k = 0; k < p->len; k++)
			put_insn(&p->insns[k], bytes + k * SLOT);
	}
	if (!r->nprogs)
		return bpfkit_diag__set(r->diag, -ENOENT,
					"no programs: the object has no executable section with "
					"instructions");
	return 0;
}

static int cmp_func(const void *a, const void *b)
{
	const struct func_sym *x = a, *y = b;

	if (x->shndx != y->shndx)
		return x->shndx < y->shndx ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

/* Find the symbol table and its string table; index function symbols. */
int elf_open_symtab(struct rd *r)
{
	const GElf_Shdr *sh;
	size_t link;
	int err;

	for (size_t i = 1; i < r->shnum && !r->symtab; i++)
		if (r->shdr[i].sh_type == SHT_SYMTAB)
			r->symtab = i;
	if (!r->symtab)
		return 0;
	sh = &r->shdr[r->symtab];
	link = sh->sh_link;
	if (link == 0 || link >= r->shnum || r->shdr[link].sh_type != SHT_STRTAB)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section %s: its string table link %zu is not a string table",
					r->name[r->symtab], link);
	if (sh->sh_entsize != SYM_SIZE || sh->sh_size % SYM_SIZE)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section %s: entry size %llu and size %llu do not make a "
					"table of %d-byte symbols",
					r->name[r->symtab], (unsigned long long)sh->sh_entsize,
					(unsigned long long)sh->sh_size, SYM_SIZE);
	err = elf_section_data(r, r->symtab, &r->syms);
	if (err)
		return err;
	r->strtab = link;
	r->nsyms = sh->sh_size / SYM_SIZE;
	r->funcs = calloc(r->nsyms + 1, sizeof(*r->funcs));
	if (!r->funcs)
		return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
	for (size_t i = 1; i < r->nsyms; i++) {
		GElf_Sym s;
		const char *nm;
		if (!gelf_getsym(r->syms, (int)i, &s) || GELF_ST_TYPE(s.st_info) != STT_FUNC ||
		    s.st_shndx == SHN_UNDEF || s.st_shndx >= r->shnum)
			continue;
		nm = elf_strptr(r->elf, r->strtab, s.st_name);
		if (!nm || !*nm)
			continue;
		r->funcs[r->nfuncs++] = (struct func_sym){ s.st_shndx, s.st_value, nm, s.st_size };
	}
	qsort(r->funcs, r->nfuncs, sizeof(*r->funcs), cmp_func);
	return 0;
}

/* Symbol @p i, checked: it exists, its section index is real or special,
 * its name is inside the string table. *name is "" for unnamed symbols. */
int elf_get_sym(struct rd *r, size_t i, GElf_Sym *s, const char **name)
{
	if (i >= r->nsyms || i > INT32_MAX || !gelf_getsym(r->syms, (int)i, s))
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section %s: symbol %zu does not exist (the table has %zu)",
					r->symtab ? r->name[r->symtab] : "(none)", i, r->nsyms);
	if (s->st_shndx >= r->shnum && s->st_shndx < SHN_LORESERVE)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section %s: symbol %zu is in section %u, which does not exist",
					r->name[r->symtab], i, s->st_shndx);
	*name = elf_strptr(r->elf, r->strtab, s->st_name);
	if (!*name)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section %s: symbol %zu has name offset %u outside the "
					"string table",
					r->name[r->symtab], i, s->st_name);
	return 0;
}

static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 8;
	void *p;

	if (n < *cap)
		return 0;
	if (ncap < n + 1)
		ncap = n + 1;
	p = reallocarray(*arr, ncap, elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Functions (STT_FUNC) and labels (STT_NOTYPE, such as LBB0_2) become the
 * symbols of the program whose section they are in. */
static int collect_syms(struct rd *r)
{
	for (size_t i = 1; i < r->nsyms; i++) {
		struct bpfkit_prog *p;
		const char *nm;
		GElf_Sym s;
		int type, err = elf_get_sym(r, i, &s, &nm);

		if (err)
			return err;
		type = GELF_ST_TYPE(s.st_info);
		if ((type != STT_FUNC && type != STT_NOTYPE) || !*nm || s.st_shndx >= r->shnum ||
		    r->prog_of[s.st_shndx] < 0)
			continue;
		p = r->progs[r->prog_of[s.st_shndx]];
		if (s.st_value % SLOT || s.st_value / SLOT > p->len)
			return bpfkit_diag__set(r->diag, -EINVAL,
						"section %s: symbol '%s' at offset 0x%llx is %s",
						r->name[s.st_shndx], nm,
						(unsigned long long)s.st_value,
						s.st_value / SLOT > p->len ? "past the end of the section"
									    : "not on an instruction boundary");
		if (grow((void **)&p->syms, &r->sym_cap[r->prog_of[s.st_shndx]], p->nsyms,
			 sizeof(*p->syms)))
			return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
		p->syms[p->nsyms].name = strdup(nm);
		p->syms[p->nsyms].insn = s.st_value / SLOT;
		if (!p->syms[p->nsyms++].name)
			return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
		/* remember functions first at a slot: the start's name is a function's */
		if (type == STT_FUNC)
			p->syms[p->nsyms - 1].insn |= FUNC_FLAG;
	}
	return 0;
}

/* The function symbol at @p value in section @p shndx, or NULL. */
static const char *func_at(const struct rd *r, size_t shndx, uint64_t value)
{
	struct func_sym key = { shndx, value, NULL };
	const struct func_sym *f = bsearch(&key, r->funcs, r->nfuncs, sizeof(*r->funcs), cmp_func);

	return f ? f->name : NULL;
}

static bool has_prefix(const char *s, const char *pfx)
{
	return !strncmp(s, pfx, strlen(pfx));
}

/*
 * What a relocation at instruction @p in against symbol @p s means, and the
 * name to show. R_BPF_64_64 on an LDDW: a map (symbol in .maps or a legacy
 * maps section), global data (.data/.rodata/.bss: a section symbol takes the
 * section's name), or a function address; R_BPF_64_32 on a call: a function,
 * found by offset when the symbol is a section (clang's static calls).
 */
static enum bpfkit_reloc_kind classify(const struct rd *r, unsigned type, const GElf_Sym *s,
				       const struct bpfkit_insn *in, const char **name)
{
	bool sec_sym = GELF_ST_TYPE(s->st_info) == STT_SECTION;
	bool defined = s->st_shndx != SHN_UNDEF && s->st_shndx < r->shnum;
	const char *sec = defined ? r->name[s->st_shndx] : "";
	const char *fn;

	if (sec_sym && defined)
		*name = sec;
	if (!defined)
		return BPFKIT_RELOC_OTHER;
	if (type == R_BPF_64_64 && in->code == BPFKIT_OP_LDDW) {
		if (!strcmp(sec, ".maps") || has_prefix(sec, "maps"))
			return BPFKIT_RELOC_MAP;
		if (has_prefix(sec, ".data") || has_prefix(sec, ".rodata") || has_prefix(sec, ".bss"))
			return BPFKIT_RELOC_MAP_VALUE;
		if (r->shdr[s->st_shndx].sh_flags & SHF_EXECINSTR) {
			fn = sec_sym ? func_at(r, s->st_shndx, s->st_value + (uint64_t)(int64_t)in->imm)
				     : NULL;
			if (fn)
				*name = fn;
			return BPFKIT_RELOC_FUNC;
		}
	}
	if (type == R_BPF_64_32 && in->code == BPFKIT_OP_CALL &&
	    (r->shdr[s->st_shndx].sh_flags & SHF_EXECINSTR)) {
		fn = sec_sym ? func_at(r, s->st_shndx,
				       s->st_value + (uint64_t)((int64_t)in->imm + 1) * SLOT)
			     : NULL;
		if (fn)
			*name = fn;
		return BPFKIT_RELOC_CALL;
	}
	return BPFKIT_RELOC_OTHER;
}

/*
 * Remember where the call at slot @p slot of program @p pi goes: slot
 * st_value / 8 + imm + 1 of the symbol's section, the rule libbpf applies
 * to function and section symbols alike. The linker (link_prog) follows it;
 * a target with no instruction is kept as such (slot UINT64_MAX) for the
 * linker to refuse, since reading the object for disassembly needs none.
 */
static int note_call(struct rd *r, long pi, size_t slot, const GElf_Sym *s)
{
	const struct bpfkit_prog *p = r->progs[pi];
	int64_t t = (int64_t)(s->st_value / SLOT) + p->insns[slot].imm + 1;
	bool ok = t >= 0 && r->prog_of[s->st_shndx] >= 0 &&
		  (uint64_t)t < r->progs[r->prog_of[s->st_shndx]]->len;

	if (!r->tgt[pi] && !(r->tgt[pi] = calloc(p->len, sizeof(**r->tgt))))
		return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
	r->tgt[pi][slot] = (struct call_tgt){ s->st_shndx, ok ? (uint64_t)t : UINT64_MAX };
	return 0;
}

/* Read one relocation section that applies to a program section. */
static int read_rel_section(struct rd *r, size_t i)
{
	const GElf_Shdr *sh = &r->shdr[i];
	bool rela = sh->sh_type == SHT_RELA;
	size_t esize = rela ? RELA_SIZE : REL_SIZE, target = sh->sh_info, n;
	long pi = r->prog_of[target];
	struct bpfkit_prog *p = r->progs[pi];
	Elf_Data *d;
	int err;

	if (!r->symtab || sh->sh_link != r->symtab)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section %s: relocations refer to section %u, not to the "
					"symbol table",
					r->name[i], sh->sh_link);
	if (sh->sh_entsize != esize || sh->sh_size % esize)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section %s: entry size %llu and size %llu do not make a "
					"table of %zu-byte relocations",
					r->name[i], (unsigned long long)sh->sh_entsize,
					(unsigned long long)sh->sh_size, esize);
	err = elf_section_data(r, i, &d);
	if (err)
		return err;
	n = sh->sh_size / esize;
	for (size_t k = 0; k < n; k++) {
		GElf_Rel rel;
		GElf_Rela rla;
		GElf_Sym s;
		const char *nm;
		size_t symi, slot;
		unsigned type;
		bool got = k <= INT32_MAX && (rela ? gelf_getrela(d, (int)k, &rla) != NULL
						   : gelf_getrel(d, (int)k, &rel) != NULL);

		if (!got)
			return bpfkit_diag__set(r->diag, -EINVAL, "section %s: relocation %zu unreadable",
						r->name[i], k);
		if (rela) {
			rel.r_offset = rla.r_offset;
			rel.r_info = rla.r_info;
		}
		type = GELF_R_TYPE(rel.r_info);
		symi = GELF_R_SYM(rel.r_info);
		if (type == R_BPF_NONE)
			continue;
		if (rel.r_offset % SLOT || rel.r_offset / SLOT >= p->len)
			return bpfkit_diag__set(r->diag, -EINVAL,
						"section %s: relocation %zu at offset 0x%llx is %s "
						"section %s (0x%llx bytes)",
						r->name[i], k, (unsigned long long)rel.r_offset,
						rel.r_offset / SLOT >= p->len
							? "outside"
							: "not on an instruction boundary of",
						r->name[target],
						(unsigned long long)r->shdr[target].sh_size);
		if (symi == 0)
			return bpfkit_diag__set(r->diag, -EINVAL,
						"section %s: relocation %zu is against symbol 0",
						r->name[i], k);
		err = elf_get_sym(r, symi, &s, &nm);
		if (err) {
			char why[sizeof(r->diag->msg)];
			snprintf(why, sizeof(why), "%s", r->diag ? r->diag->msg : "bad symbol");
			return bpfkit_diag__set(r->diag, err, "section %s: relocation %zu: %s",
						r->name[i], k, why);
		}
		slot = rel.r_offset / SLOT;
		struct bpfkit_reloc rc = { .insn = slot };
		rc.kind = classify(r, type, &s, &p->insns[slot], &nm);
		if (rc.kind == BPFKIT_RELOC_CALL) {
			err = note_call(r, pi, slot, &s);
			if (err)
				return err;
		}
		if (!*nm)
			return bpfkit_diag__set(r->diag, -EINVAL,
						"section %s: relocation %zu is against symbol %zu, "
						"which has no name",
						r->name[i], k, symi);
		if (grow((void **)&p->relocs, &r->reloc_cap[pi], p->nrelocs, sizeof(*p->relocs)))
			return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
		rc.name = strdup(nm);
		if (!rc.name)
			return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
		p->relocs[p->nrelocs++] = rc;
	}
	return 0;
}

/* Every REL/RELA section that applies to a program section. */
static int collect_relocs(struct rd *r)
{
	for (size_t i = 1; i < r->shnum; i++) {
		const GElf_Shdr *sh = &r->shdr[i];
		int err;

		if (sh->sh_type != SHT_REL && sh->sh_type != SHT_RELA)
			continue;
		/* relocations of debug info and BTF are not ours to read */
		if (sh->sh_info >= r->shnum || r->prog_of[sh->sh_info] < 0)
			continue;
		err = read_rel_section(r, i);
		if (err)
			return err;
	}
	return 0;
}

/* Sort symbols by slot, functions before labels at the same slot (the flag
 * collect_syms put in the top bit: a program's start is named by its
 * function), then by name, so the order does not depend on qsort. */
static int cmp_sym(const void *a, const void *b)
{
	const struct bpfkit_sym *x = a, *y = b;
	size_t xi = x->insn & ~FUNC_FLAG, yi = y->insn & ~FUNC_FLAG;

	if (xi != yi)
		return xi < yi ? -1 : 1;
	if ((x->insn & FUNC_FLAG) != (y->insn & FUNC_FLAG))
		return (x->insn & FUNC_FLAG) ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_reloc(const void *a, const void *b)
{
	const struct bpfkit_reloc *x = a, *y = b;

	if (x->insn != y->insn)
		return x->insn < y->insn ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void sort_prog(struct bpfkit_prog *p)
{
	if (p->nsyms > 1)
		qsort(p->syms, p->nsyms, sizeof(*p->syms), cmp_sym);
	for (size_t i = 0; i < p->nsyms; i++)
		p->syms[i].insn &= ~FUNC_FLAG;
	if (p->nrelocs > 1)
		qsort(p->relocs, p->nrelocs, sizeof(*p->relocs), cmp_reloc);
}

/* Release the reader's state; the programs too unless they are handed out. */
void elf_rd_free(struct rd *r, bool keep_progs)
{
	if (!keep_progs) {
		for (size_t i = 0; i < r->nprogs; i++)
			bpfkit_prog__free(r->progs[i]);
		free(r->progs);
	}
	if (r->elf)
		elf_end(r->elf);
	free(r->copy);
	free(r->shdr);
	free(r->name);
	free(r->prog_of);
	free(r->funcs);
	free(r->sym_cap);
	free(r->reloc_cap);
	for (size_t i = 0; r->tgt && i < r->shnum; i++)
		free(r->tgt[i]);
	free(r->tgt);
}

/* Read the whole object into @p r: one program per executable section,
 * with its symbols and relocations, sorted. */
static int read_object(struct rd *r)
{
	int err = elf_check_layout(r);

	err = err ? err : elf_open_elf(r);
	err = err ? err : collect_programs(r);
	err = err ? err : elf_open_symtab(r);
	err = err ? err : collect_syms(r);
	err = err ? err : collect_relocs(r);
	if (!err)
		for (size_t i = 0; i < r->nprogs; i++)
			sort_prog(r->progs[i]);
	return err;
}

int bpfkit_elf_read(const void *buf, size_t len, struct bpfkit_prog ***progs, size_t *nprogs,
		    struct bpfkit_diag *diag)
{
	struct rd r = { .raw = buf, .len = len, .diag = diag };
	int err;

	if (!progs || !nprogs || (!buf && len))
		return bpfkit_diag__set(diag, -EINVAL, "bpfkit_elf_read: bad arguments");
	*progs = NULL;
	*nprogs = 0;
	err = read_object(&r);
	if (err) {
		elf_rd_free(&r, false);
		return err;
	}
	*progs = r.progs;
	*nprogs = r.nprogs;
	elf_rd_free(&r, true);
	return 0;
}

/* ---- programs by function, linked with their subprograms ----------------------- */

/* A run of slots of one section copied into a linked program at @p at. */
struct extent {
	size_t shndx, start, len, at;
};

/* The program being linked: its slots, where each came from, the pieces
 * copied so far, and what it carries over (symbols, relocations). */
struct linker {
	struct rd *r;
	struct bpfkit_prog *out;
	size_t insn_cap, sym_cap, reloc_cap;
	struct call_tgt *from; /* [out->len]: section and slot of each slot */
	struct extent *ext;
	size_t next, ext_cap;
};

/* The function of section @p shndx that starts at slot @p start: its length
 * in slots, from its st_size, else up to the next function symbol of the
 * section or the section's end. */
static size_t func_len(const struct rd *r, size_t shndx, size_t start)
{
	size_t len = r->progs[r->prog_of[shndx]]->len, end = len;

	for (size_t k = 0; k < r->nfuncs; k++) {
		const struct func_sym *f = &r->funcs[k];
		if (f->shndx != shndx)
			continue;
		if (f->value / SLOT == start && f->size && f->size % SLOT == 0 &&
		    start + f->size / SLOT <= len)
			return f->size / SLOT;
		if (f->value / SLOT > start && f->value / SLOT < end)
			end = f->value / SLOT;
	}
	return end - start;
}

/* Slot of the linked program that holds slot @p slot of section @p shndx,
 * or -1 if that part of the section is not in the program yet. */
static long linked_slot(const struct linker *lk, size_t shndx, size_t slot)
{
	for (size_t k = 0; k < lk->next; k++) {
		const struct extent *e = &lk->ext[k];
		if (e->shndx == shndx && slot >= e->start && slot - e->start < e->len)
			return (long)(e->at + slot - e->start);
	}
	return -1;
}

/* Append the function at slot @p start of section @p shndx (and the labels
 * and functions named in it) to the program. */
static int append_func(struct linker *lk, size_t shndx, size_t start)
{
	const struct bpfkit_prog *src = lk->r->progs[lk->r->prog_of[shndx]];
	struct bpfkit_prog *p = lk->out;
	size_t n = func_len(lk->r, shndx, start), at = p->len;

	if (grow((void **)&lk->ext, &lk->ext_cap, lk->next, sizeof(*lk->ext)) ||
	    grow((void **)&p->insns, &lk->insn_cap, at + n, sizeof(*p->insns)) ||
	    !(lk->from = reallocarray(lk->from, lk->insn_cap, sizeof(*lk->from))))
		return -ENOMEM;
	memcpy(p->insns + at, src->insns + start, n * sizeof(*p->insns));
	for (size_t k = 0; k < n; k++)
		lk->from[at + k] = (struct call_tgt){ shndx, start + k };
	p->len += n;
	lk->ext[lk->next++] = (struct extent){ shndx, start, n, at };
	for (size_t k = 0; k < src->nsyms; k++) {
		const struct bpfkit_sym *y = &src->syms[k];
		if (y->insn < start || y->insn - start >= n)
			continue;
		if (grow((void **)&p->syms, &lk->sym_cap, p->nsyms, sizeof(*p->syms)))
			return -ENOMEM;
		p->syms[p->nsyms].insn = at + y->insn - start;
		if (!(p->syms[p->nsyms++].name = strdup(y->name)))
			return -ENOMEM;
	}
	return 0;
}

/* Carry the relocations at slot @p slot of @p src over to slot @p at. */
static int keep_relocs(struct linker *lk, const struct bpfkit_prog *src, size_t slot, size_t at)
{
	struct bpfkit_prog *p = lk->out;

	for (size_t k = 0; k < src->nrelocs; k++) {
		const struct bpfkit_reloc *x = &src->relocs[k];
		if (x->insn != slot)
			continue;
		if (grow((void **)&p->relocs, &lk->reloc_cap, p->nrelocs, sizeof(*p->relocs)))
			return -ENOMEM;
		p->relocs[p->nrelocs] = (struct bpfkit_reloc){ at, x->kind, strdup(x->name) };
		if (!p->relocs[p->nrelocs++].name)
			return -ENOMEM;
	}
	return 0;
}

/*
 * Link the program whose function starts at slot @p start of section
 * @p shndx: copy it, then walk the copy (which grows as we go) and, for each
 * local call, append the function it calls unless it is in already and
 * point the call at it. Other relocations stay with their instruction.
 */
static int link_prog(struct linker *lk, size_t shndx, size_t start)
{
	struct rd *r = lk->r;
	int err = append_func(lk, shndx, start);

	for (size_t i = 0; !err && i < lk->out->len; i++) {
		struct bpfkit_insn *in = &lk->out->insns[i];
		struct call_tgt o = lk->from[i], t;
		long pi = r->prog_of[o.shndx];
		const struct bpfkit_prog *src = r->progs[pi];
		long at;

		if (in->code != BPFKIT_OP_CALL || in->src != BPFKIT_CALL_LOCAL) {
			err = keep_relocs(lk, src, o.slot, i);
			continue;
		}
		t = r->tgt[pi] ? r->tgt[pi][o.slot] : (struct call_tgt){ 0, 0 };
		if (t.shndx && t.slot == UINT64_MAX)
			return bpfkit_diag__set(r->diag, -EINVAL,
						"section %s: the call at slot %llu goes past the end "
						"of section %s",
						r->name[o.shndx], (unsigned long long)o.slot,
						r->name[t.shndx]);
		if (!t.shndx) { /* a call inside the section, without relocation */
			int64_t s = (int64_t)o.slot + in->imm + 1;
			if (s < 0 || (uint64_t)s >= src->len)
				return bpfkit_diag__set(r->diag, -EINVAL,
							"section %s: the call at slot %llu goes outside "
							"the section",
							r->name[o.shndx], (unsigned long long)o.slot);
			t = (struct call_tgt){ o.shndx, (uint64_t)s };
		}
		at = linked_slot(lk, t.shndx, t.slot);
		if (at < 0) {
			at = (long)lk->out->len;
			err = append_func(lk, t.shndx, t.slot);
			in = &lk->out->insns[i]; /* the copy may have moved */
		}
		in->imm = (int32_t)(at - (long)i - 1);
	}
	if (err == -ENOMEM)
		return bpfkit_diag__set(r->diag, err, "out of memory");
	return err;
}

/* Add the program named @p name whose function starts at slot @p start of
 * section @p shndx to @p list. */
static int add_linked(struct rd *r, size_t shndx, size_t start, const char *name,
		      struct bpfkit_prog ***list, size_t *n, size_t *cap)
{
	struct linker lk = { .r = r };
	int err;

	if (grow((void **)list, cap, *n, sizeof(**list)) || !(lk.out = calloc(1, sizeof(*lk.out))))
		return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
	(*list)[(*n)++] = lk.out;
	lk.out->name = strdup(name);
	lk.out->section = strdup(r->name[shndx]);
	if (!lk.out->name || !lk.out->section)
		err = bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
	else
		err = link_prog(&lk, shndx, start);
	free(lk.from);
	free(lk.ext);
	if (!err)
		sort_prog(lk.out);
	return err;
}

int bpfkit_elf_programs(const void *buf, size_t len, struct bpfkit_prog ***progs, size_t *nprogs,
			struct bpfkit_diag *diag)
{
	struct rd r = { .raw = buf, .len = len, .diag = diag };
	struct bpfkit_prog **list = NULL;
	size_t n = 0, cap = 0;
	int err;

	if (!progs || !nprogs || (!buf && len))
		return bpfkit_diag__set(diag, -EINVAL, "bpfkit_elf_programs: bad arguments");
	*progs = NULL;
	*nprogs = 0;
	err = read_object(&r);
	for (size_t i = 1; !err && i < r.shnum; i++) {
		size_t nf = 0;
		if (r.prog_of[i] < 0 || !strcmp(r.name[i], ".text"))
			continue;
		for (size_t k = 0; !err && k < r.nfuncs; k++) {
			if (r.funcs[k].shndx != i)
				continue;
			nf++;
			err = add_linked(&r, i, r.funcs[k].value / SLOT, r.funcs[k].name, &list, &n,
					 &cap);
		}
		if (!err && !nf)
			err = add_linked(&r, i, 0, r.name[i], &list, &n, &cap);
	}
	if (!err && !n)
		err = bpfkit_diag__set(diag, -ENOENT,
				       "no programs: every function is in .text, where functions "
				       "are subprograms; put a program's function in a section of "
				       "its own (SEC(\"xdp\") with libbpf's bpf_helpers.h)");
	elf_rd_free(&r, false);
	if (err) {
		for (size_t i = 0; i < n; i++)
			bpfkit_prog__free(list[i]);
		free(list);
		return err;
	}
	*progs = list;
	*nprogs = n;
	return 0;
}
