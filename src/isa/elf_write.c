// SPDX-License-Identifier: MIT
/*
 * The ELF writer: programs as a relocatable eBPF object (ELF64,
 * little-endian, EM_BPF, ET_REL) laid out the way clang writes one, so that
 * llvm-objdump -d, libbpf and our own reader take it:
 *
 *   [0]        null section
 *   PROG...    one SHF_ALLOC|SHF_EXECINSTR section per program (its name, or
 *              "prog"), each with a global STT_FUNC symbol for its start and
 *              its functions, and local STT_NOTYPE symbols for its labels
 *   license    "GPL"
 *   .rodata .data .bss
 *              empty sections for global-data relocations that name them
 *   .maps      map symbols, one STT_OBJECT each, for map relocations
 *   .relPROG   R_BPF_64_64 (lddw) and R_BPF_64_32 (call) relocations
 *   .symtab .strtab .shstrtab
 *
 * The bytes are written by hand rather than through libelf's writer, which
 * wants a file descriptor: the layout is small and fixed, and every integer
 * is stored little-endian explicitly, whatever the host.
 *
 * libbpf: an object without map relocations opens with
 * bpf_object__open_mem() and lists its programs. Maps need BTF describing
 * them in .maps, which bpfkit programs do not carry (the assembler knows a
 * map only by name), so libbpf refuses such objects when opening them; they
 * still disassemble with llvm-objdump and read back with bpfkit_elf_read().
 */
#include <errno.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/isa.h>

#include "buf_int.h"

#define SLOT 8

static void ob_le(struct dbuf *b, uint64_t v, int n)
{
	unsigned char t[8];

	for (int i = 0; i < n; i++)
		t[i] = (unsigned char)(v >> (8 * i));
	dbuf_bytes(b, t, (size_t)n);
}

static void ob_align(struct dbuf *b, size_t a)
{
	static const unsigned char zero[16];

	while (b->len % a && !b->oom)
		dbuf_bytes(b, zero, a - b->len % a > sizeof(zero) ? sizeof(zero) : a - b->len % a);
}

/* A string table; offsets are returned, 0 is the empty string. */
static uint32_t strtab_add(struct dbuf *b, const char *s)
{
	size_t off = b->len;

	if (!*s)
		return 0;
	dbuf_bytes(b, s, strlen(s) + 1);
	return off > UINT32_MAX ? (b->oom = true, 0) : (uint32_t)off;
}

struct osec {
	const char *name;
	uint32_t type;
	uint64_t flags;
	uint32_t link, info;
	uint64_t align, entsize;
	struct dbuf data;
	uint64_t off;
};

struct osym {
	const char *name;
	uint8_t info;
	uint16_t shndx;
	uint64_t value, size;
};

/* Open-addressing index of global symbol names -> symbol number. */
struct name_index {
	const char **key;
	size_t *val;
	size_t cap; /* power of two */
	size_t n;
};

struct wr {
	struct bpfkit_prog *const *progs;
	size_t nprogs;
	struct bpfkit_diag *diag;

	struct osec *sec;
	size_t nsec, sec_cap;
	size_t *prog_sec; /* [nprogs] */
	size_t license, maps, data_sec[3]; /* 0 = not made */

	struct osym *sym;
	size_t nsym, sym_cap;
	size_t nlocal; /* symbols [0, nlocal) are STB_LOCAL */
	struct name_index idx;
	char **owned; /* generated names */
	size_t nowned, owned_cap;
	size_t nmaps;
};

static const char *const data_names[3] = { ".rodata", ".data", ".bss" };

static int wr_nomem(struct wr *w)
{
	return bpfkit_diag__set(w->diag, -ENOMEM, "out of memory");
}

static size_t hash_str(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static size_t *idx_find(struct name_index *x, const char *name)
{
	if (!x->cap)
		return NULL;
	for (size_t i = hash_str(name) & (x->cap - 1);; i = (i + 1) & (x->cap - 1)) {
		if (!x->key[i])
			return NULL;
		if (!strcmp(x->key[i], name))
			return &x->val[i];
	}
}

/* Insert @p name (borrowed, not copied), growing the table at half load. */
static int idx_put(struct name_index *x, const char *name, size_t val)
{
	if ((x->n + 1) * 2 > x->cap) {
		struct name_index y = { .cap = x->cap ? x->cap * 2 : 64 };
		y.key = calloc(y.cap, sizeof(*y.key));
		y.val = calloc(y.cap, sizeof(*y.val));
		if (!y.key || !y.val) {
			free(y.key);
			free(y.val);
			return -ENOMEM;
		}
		for (size_t i = 0; i < x->cap; i++)
			if (x->key[i])
				idx_put(&y, x->key[i], x->val[i]);
		free(x->key);
		free(x->val);
		*x = y;
	}
	for (size_t i = hash_str(name) & (x->cap - 1);; i = (i + 1) & (x->cap - 1)) {
		if (!x->key[i]) {
			x->key[i] = name;
			x->val[i] = val;
			x->n++;
			return 0;
		}
		if (!strcmp(x->key[i], name))
			return 0; /* the first definition wins */
	}
}

/* Append a section; returns its index, 0 when memory runs out. */
static size_t add_sec(struct wr *w, const char *name, uint32_t type, uint64_t flags, uint64_t align)
{
	struct osec *s;

	if (w->nsec == w->sec_cap) {
		size_t cap = w->sec_cap ? w->sec_cap * 2 : 16;
		s = reallocarray(w->sec, cap, sizeof(*s));
		if (!s)
			return 0;
		w->sec = s;
		w->sec_cap = cap;
	}
	s = &w->sec[w->nsec];
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->type = type;
	s->flags = flags;
	s->align = align;
	return w->nsec++;
}

/* Add a symbol; global ones are indexed by name. Returns its number or 0. */
static size_t add_sym(struct wr *w, const char *name, uint8_t bind, uint8_t type, size_t shndx,
		      uint64_t value, uint64_t size)
{
	struct osym *s;

	if (w->nsym == w->sym_cap) {
		size_t cap = w->sym_cap ? w->sym_cap * 2 : 64;
		s = reallocarray(w->sym, cap, sizeof(*s));
		if (!s)
			return 0;
		w->sym = s;
		w->sym_cap = cap;
	}
	w->sym[w->nsym] = (struct osym){ name, (uint8_t)(bind << 4 | type), (uint16_t)shndx, value,
					 size };
	if (bind != STB_LOCAL && *name && idx_put(&w->idx, name, w->nsym))
		return 0;
	return w->nsym++;
}

/* Keep a generated string to free with the writer; NULL (and @p s freed)
 * when memory runs out. */
static char *own(struct wr *w, char *s)
{
	char **o;

	if (!s)
		return NULL;
	if (w->nowned == w->owned_cap) {
		size_t cap = w->owned_cap ? w->owned_cap * 2 : 16;
		o = reallocarray(w->owned, cap, sizeof(*o));
		if (!o) {
			free(s);
			return NULL;
		}
		w->owned = o;
		w->owned_cap = cap;
	}
	w->owned[w->nowned++] = s;
	return s;
}

/* Check what the writer relies on: instructions present, symbols and
 * relocations inside their program, every name non-empty. */
static int check_progs(struct wr *w)
{
	if (!w->nprogs)
		return bpfkit_diag__set(w->diag, -EINVAL, "no programs to write");
	if (w->nprogs > 16000)
		return bpfkit_diag__set(w->diag, -E2BIG, "too many programs for one object (%zu)",
					w->nprogs);
	for (size_t k = 0; k < w->nprogs; k++) {
		const struct bpfkit_prog *p = w->progs[k];
		const char *nm = p && p->name ? p->name : "prog";
		if (!p || !p->len || !p->insns)
			return bpfkit_diag__set(w->diag, -EINVAL, "program %zu (%s) has no instructions",
						k, nm);
		if (p->len > UINT64_MAX / SLOT / 2)
			return bpfkit_diag__set(w->diag, -E2BIG, "program %s is too large", nm);
		if ((p->nsyms && !p->syms) || (p->nrelocs && !p->relocs))
			return bpfkit_diag__set(w->diag, -EINVAL, "program %s: bad symbol arrays", nm);
		for (size_t i = 0; i < p->nsyms; i++)
			if (!p->syms[i].name || !*p->syms[i].name || p->syms[i].insn > p->len)
				return bpfkit_diag__set(w->diag, -EINVAL,
							"program %s: symbol %zu is unnamed or past "
							"the end",
							nm, i);
		for (size_t i = 0; i < p->nrelocs; i++)
			if (!p->relocs[i].name || !*p->relocs[i].name || p->relocs[i].insn >= p->len)
				return bpfkit_diag__set(w->diag, -EINVAL,
							"program %s: relocation %zu is unnamed or "
							"outside the program",
							nm, i);
	}
	return 0;
}

/* A C identifier made from a section name ("tracepoint/syscalls/x" ->
 * "tracepoint_syscalls_x"), unique among the global symbols. */
static const char *func_name_for(struct wr *w, const char *sec)
{
	size_t n = strlen(sec), extra = 0;
	char *s = malloc(n + 24);

	if (!s)
		return NULL;
	for (size_t i = 0; i <= n; i++) {
		char c = sec[i];
		bool ok = c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
		s[i] = !c || ok ? c : '_';
	}
	if (!*s || (*s >= '0' && *s <= '9')) {
		memmove(s + 1, s, n + 1);
		s[0] = '_';
		n++;
	}
	while (idx_find(&w->idx, s))
		snprintf(s + n, 24, "_%zu", ++extra);
	return own(w, s);
}

/* The slots of program @p p that start a function: the first, and the
 * targets of local calls and function addresses inside it. */
static bool *func_slots(const struct bpfkit_prog *p)
{
	bool *f = calloc(p->len + 1, sizeof(*f));

	if (!f)
		return NULL;
	f[0] = true;
	for (size_t i = 0; i < p->len; i++) {
		const struct bpfkit_insn *in = &p->insns[i];
		bool call = in->code == BPFKIT_OP_CALL && in->src == BPFKIT_CALL_LOCAL;
		bool fref = in->code == BPFKIT_OP_LDDW && in->src == BPFKIT_PSEUDO_FUNC;
		int64_t t = (int64_t)i + in->imm + 1;
		if ((call || fref) && t >= 0 && (uint64_t)t < p->len)
			f[t] = true;
	}
	return f;
}

/* Names that relocations call or take the address of: functions, even when
 * they live in another section (clang puts subprograms in .text). */
static int func_names(const struct wr *w, struct name_index *x)
{
	for (size_t k = 0; k < w->nprogs; k++)
		for (size_t i = 0; i < w->progs[k]->nrelocs; i++) {
			const struct bpfkit_reloc *r = &w->progs[k]->relocs[i];
			if ((r->kind == BPFKIT_RELOC_CALL || r->kind == BPFKIT_RELOC_FUNC) &&
			    idx_put(x, r->name, 1))
				return -ENOMEM;
		}
	return 0;
}

/* Whether symbol @p i of @p p is a function: the first symbol at a function
 * slot, or one that a relocation calls. */
static bool sym_is_func(const struct bpfkit_prog *p, size_t i, const bool *fslot,
			struct name_index *fnames)
{
	const struct bpfkit_sym *y = &p->syms[i];

	if (y->insn >= p->len || (i && p->syms[i - 1].insn == y->insn))
		return false;
	return fslot[y->insn] || idx_find(fnames, y->name);
}

/*
 * The sections of the programs and their symbols. Labels go first (ELF wants
 * local symbols before global ones), functions after; a function's size runs
 * to the next function of its section, as libbpf expects.
 */
static int add_programs(struct wr *w)
{
	struct name_index fnames = { 0 };
	size_t *fstart = NULL;
	bool **fslot = NULL;
	int err;

	for (size_t k = 0; k < w->nprogs; k++) {
		const struct bpfkit_prog *p = w->progs[k];
		struct osec *s;
		w->prog_sec[k] = add_sec(w, p->name && *p->name ? p->name : "prog", SHT_PROGBITS,
					 SHF_ALLOC | SHF_EXECINSTR, SLOT);
		if (!w->prog_sec[k])
			goto nomem;
		s = &w->sec[w->prog_sec[k]];
		for (size_t i = 0; i < p->len; i++) {
			const struct bpfkit_insn *in = &p->insns[i];
			ob_le(&s->data, in->code, 1);
			ob_le(&s->data, (uint64_t)(in->dst | in->src << 4), 1);
			ob_le(&s->data, (uint16_t)in->off, 2);
			ob_le(&s->data, (uint32_t)in->imm, 4);
		}
		if (s->data.oom)
			goto nomem;
	}
	fslot = calloc(w->nprogs, sizeof(*fslot));
	if (!fslot || func_names(w, &fnames))
		goto nomem;
	for (size_t k = 0; k < w->nprogs; k++)
		if (!(fslot[k] = func_slots(w->progs[k])))
			goto nomem;
	/* labels: local, untyped */
	for (size_t k = 0; k < w->nprogs; k++) {
		const struct bpfkit_prog *p = w->progs[k];
		for (size_t i = 0; i < p->nsyms; i++) {
			const struct bpfkit_sym *y = &p->syms[i];
			if (sym_is_func(p, i, fslot[k], &fnames))
				continue;
			if (!add_sym(w, y->name, STB_LOCAL, STT_NOTYPE, w->prog_sec[k],
				     (uint64_t)y->insn * SLOT, 0))
				goto nomem;
		}
	}
	w->nlocal = w->nsym;
	/* functions: global, with sizes */
	for (size_t k = 0; k < w->nprogs; k++) {
		const struct bpfkit_prog *p = w->progs[k];
		size_t nf = 0, first = w->nsym;
		free(fstart);
		fstart = calloc(p->len + 1, sizeof(*fstart));
		if (!fstart)
			goto nomem;
		for (size_t i = 0; i < p->nsyms; i++) {
			const struct bpfkit_sym *y = &p->syms[i];
			if (!sym_is_func(p, i, fslot[k], &fnames))
				continue;
			fstart[nf++] = y->insn;
			if (!add_sym(w, y->name, STB_GLOBAL, STT_FUNC, w->prog_sec[k],
				     (uint64_t)y->insn * SLOT, 0))
				goto nomem;
		}
		if (!nf || fstart[0] != 0) {
			const char *fn = func_name_for(w, w->sec[w->prog_sec[k]].name);
			if (!fn || !add_sym(w, fn, STB_GLOBAL, STT_FUNC, w->prog_sec[k], 0, 0))
				goto nomem;
			/* keep the start first: it was added last */
			struct osym t = w->sym[w->nsym - 1];
			memmove(&w->sym[first + 1], &w->sym[first], (w->nsym - 1 - first) * sizeof(t));
			w->sym[first] = t;
			memmove(&fstart[1], &fstart[0], nf * sizeof(*fstart));
			fstart[0] = 0;
			nf++;
		}
		for (size_t f = 0; f < nf; f++) {
			size_t end = f + 1 < nf ? fstart[f + 1] : p->len;
			w->sym[first + f].size = end > fstart[f] ? (end - fstart[f]) * SLOT : 0;
		}
	}
	err = 0;
	goto done;
nomem:
	err = wr_nomem(w);
done:
	free(fstart);
	for (size_t k = 0; fslot && k < w->nprogs; k++)
		free(fslot[k]);
	free(fslot);
	free(fnames.key);
	free(fnames.val);
	if (err)
		return err;
	/* the index was built before the start symbol moved: rebuild it */
	free(w->idx.key);
	free(w->idx.val);
	memset(&w->idx, 0, sizeof(w->idx));
	for (size_t i = w->nlocal; i < w->nsym; i++)
		if (idx_put(&w->idx, w->sym[i].name, i))
			return wr_nomem(w);
	return 0;
}

static bool is_data_name(const char *s, size_t *which)
{
	for (size_t i = 0; i < 3; i++)
		if (!strncmp(s, data_names[i], strlen(data_names[i]))) {
			*which = i;
			return true;
		}
	return false;
}

/* The symbol a relocation refers to, made on first use: a map in .maps, a
 * data section's section symbol or a variable in .data, a defined function,
 * else an undefined global. Returns its number, 0 on allocation failure. */
static size_t reloc_sym(struct wr *w, const struct bpfkit_reloc *r)
{
	size_t *found = idx_find(&w->idx, r->name), which;

	if (found)
		return *found;
	if (r->kind == BPFKIT_RELOC_MAP) {
		if (!w->maps && !(w->maps = add_sec(w, ".maps", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8)))
			return 0;
		ob_le(&w->sec[w->maps].data, 0, 8);
		return add_sym(w, r->name, STB_GLOBAL, STT_OBJECT, w->maps, 8 * w->nmaps++, 8);
	}
	if (r->kind == BPFKIT_RELOC_MAP_VALUE) {
		bool named = is_data_name(r->name, &which);
		size_t *sec;
		if (!named)
			which = 1;
		sec = &w->data_sec[which];
		if (!*sec) {
			const char *nm = named ? r->name : data_names[which];
			*sec = add_sec(w, nm, which == 2 ? SHT_NOBITS : SHT_PROGBITS,
				       SHF_ALLOC | (which ? SHF_WRITE : 0), 8);
			if (!*sec)
				return 0;
		}
		if (!named)
			return add_sym(w, r->name, STB_GLOBAL, STT_OBJECT, *sec, 0, 0);
		return add_sym(w, r->name, STB_GLOBAL, STT_SECTION, *sec, 0, 0);
	}
	return add_sym(w, r->name, STB_GLOBAL, STT_NOTYPE, SHN_UNDEF, 0, 0);
}

/* Whether a local call's relocation is already said by its offset: the
 * named symbol is in the same program at the slot the call lands on. libbpf
 * wants no relocation then (calls inside a section are pc-relative). */
static bool call_is_local(const struct bpfkit_prog *p, const struct bpfkit_reloc *r)
{
	const struct bpfkit_insn *in = &p->insns[r->insn];
	int64_t t = (int64_t)r->insn + in->imm + 1;

	if (in->code != BPFKIT_OP_CALL || in->src != BPFKIT_CALL_LOCAL || t < 0 ||
	    (uint64_t)t > p->len)
		return false;
	for (size_t i = 0; i < p->nsyms; i++)
		if (p->syms[i].insn == (size_t)t && !strcmp(p->syms[i].name, r->name))
			return true;
	return false;
}

/*
 * Relocation sections. Section symbols of data sections are local, so they
 * are moved in front of the globals once all relocations are known: the
 * symbol numbers in .rel entries are assigned after that move.
 */
static int add_relocs(struct wr *w, size_t **rel_sym)
{
	size_t total = 0;

	for (size_t k = 0; k < w->nprogs; k++)
		total += w->progs[k]->nrelocs;
	*rel_sym = calloc(total + 1, sizeof(**rel_sym));
	if (!*rel_sym)
		return wr_nomem(w);
	total = 0;
	for (size_t k = 0; k < w->nprogs; k++) {
		const struct bpfkit_prog *p = w->progs[k];
		for (size_t i = 0; i < p->nrelocs; i++, total++) {
			const struct bpfkit_reloc *r = &p->relocs[i];
			if (r->kind == BPFKIT_RELOC_CALL && call_is_local(p, r))
				continue; /* 0: no entry */
			(*rel_sym)[total] = reloc_sym(w, r);
			if (!(*rel_sym)[total])
				return wr_nomem(w);
		}
	}
	return 0;
}

/* Move STT_SECTION symbols (local by nature) in front of the globals and
 * renumber: returns the new number of each old symbol in @p map. */
static int order_symbols(struct wr *w, size_t **map)
{
	struct osym *sorted = calloc(w->nsym + 1, sizeof(*sorted));
	size_t n = 0;

	*map = calloc(w->nsym + 1, sizeof(**map));
	if (!sorted || !*map) {
		free(sorted);
		return wr_nomem(w);
	}
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < w->nsym; i++) {
			bool local = i < w->nlocal;
			bool secsym = (w->sym[i].info & 0xf) == STT_SECTION;
			if ((pass == 0 && local) || (pass == 1 && !local && secsym) ||
			    (pass == 2 && !local && !secsym)) {
				(*map)[i] = n;
				sorted[n] = w->sym[i];
				if (secsym) {
					sorted[n].info = STB_LOCAL << 4 | STT_SECTION;
					sorted[n].name = "";
				}
				n++;
			}
		}
	for (size_t i = 0; i < w->nsym; i++)
		if (i >= w->nlocal && (w->sym[i].info & 0xf) == STT_SECTION)
			w->nlocal++;
	free(w->sym);
	w->sym = sorted;
	return 0;
}

/* Emit the .rel sections with the final symbol numbers. */
static int emit_relocs(struct wr *w, const size_t *rel_sym, const size_t *map, size_t symtab)
{
	size_t total = 0;

	for (size_t k = 0; k < w->nprogs; k++) {
		const struct bpfkit_prog *p = w->progs[k];
		size_t rs = 0;
		for (size_t i = 0; i < p->nrelocs; i++, total++) {
			const struct bpfkit_reloc *r = &p->relocs[i];
			uint32_t type = p->insns[r->insn].code == BPFKIT_OP_LDDW ? R_BPF_64_64
										 : R_BPF_64_32;
			if (!rel_sym[total])
				continue;
			if (!rs) {
				char *nm;
				if (asprintf(&nm, ".rel%s", w->sec[w->prog_sec[k]].name) < 0 ||
				    !own(w, nm))
					return wr_nomem(w);
				rs = add_sec(w, nm, SHT_REL, SHF_INFO_LINK, 8);
				if (!rs)
					return wr_nomem(w);
				w->sec[rs].link = (uint32_t)symtab;
				w->sec[rs].info = (uint32_t)w->prog_sec[k];
				w->sec[rs].entsize = 16;
			}
			ob_le(&w->sec[rs].data, (uint64_t)r->insn * SLOT, 8);
			ob_le(&w->sec[rs].data, (uint64_t)map[rel_sym[total]] << 32 | type, 8);
		}
	}
	return 0;
}

/* Fill .symtab and .strtab from the final symbol list. */
static void emit_symtab(struct wr *w, size_t symtab, size_t strtab)
{
	struct dbuf *st = &w->sec[symtab].data, *str = &w->sec[strtab].data;

	ob_le(str, 0, 1);
	for (size_t i = 0; i < w->nsym; i++) {
		const struct osym *y = &w->sym[i];
		ob_le(st, i ? strtab_add(str, y->name) : 0, 4);
		ob_le(st, y->info, 1);
		ob_le(st, 0, 1); /* st_other: default visibility */
		ob_le(st, y->shndx, 2);
		ob_le(st, y->value, 8);
		ob_le(st, y->size, 8);
	}
	w->sec[symtab].link = (uint32_t)strtab;
	w->sec[symtab].info = (uint32_t)w->nlocal;
	w->sec[symtab].entsize = 24;
}

/* Lay the file out: header, section contents, section header table. */
static int emit_file(struct wr *w, size_t shstrtab, const uint32_t *name_off, void **buf,
		     size_t *len)
{
	struct dbuf out = { 0 };
	size_t shoff;

	ob_le(&out, 0, 8); /* the header is written last, over these 64 bytes */
	ob_le(&out, 0, 8);
	while (out.len < 64 && !out.oom)
		ob_le(&out, 0, 8);
	for (size_t i = 1; i < w->nsec; i++) {
		struct osec *s = &w->sec[i];
		ob_align(&out, s->align ? s->align : 1);
		s->off = out.len;
		if (s->type != SHT_NOBITS)
			dbuf_bytes(&out, s->data.s, s->data.len);
	}
	ob_align(&out, 8);
	shoff = out.len;
	for (size_t i = 0; i < w->nsec; i++) {
		const struct osec *s = &w->sec[i];
		ob_le(&out, name_off[i], 4);
		ob_le(&out, s->type, 4);
		ob_le(&out, s->flags, 8);
		ob_le(&out, 0, 8); /* sh_addr */
		ob_le(&out, i ? s->off : 0, 8);
		ob_le(&out, s->data.len, 8);
		ob_le(&out, s->link, 4);
		ob_le(&out, s->info, 4);
		ob_le(&out, s->align, 8);
		ob_le(&out, s->entsize, 8);
	}
	if (out.oom) {
		free(out.s);
		return wr_nomem(w);
	}
	/* ELF header */
	struct dbuf h = { 0 };
	static const unsigned char ident[16] = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64,
						 ELFDATA2LSB, EV_CURRENT, ELFOSABI_NONE };
	dbuf_bytes(&h, ident, sizeof(ident));
	ob_le(&h, ET_REL, 2);
	ob_le(&h, EM_BPF, 2);
	ob_le(&h, EV_CURRENT, 4);
	ob_le(&h, 0, 8); /* e_entry */
	ob_le(&h, 0, 8); /* e_phoff */
	ob_le(&h, shoff, 8);
	ob_le(&h, 0, 4); /* e_flags */
	ob_le(&h, 64, 2); /* e_ehsize */
	ob_le(&h, 0, 2); /* e_phentsize */
	ob_le(&h, 0, 2); /* e_phnum */
	ob_le(&h, 64, 2); /* e_shentsize */
	ob_le(&h, w->nsec, 2);
	ob_le(&h, shstrtab, 2);
	if (h.oom || h.len != 64) {
		free(h.s);
		free(out.s);
		return wr_nomem(w);
	}
	memcpy(out.s, h.s, 64);
	free(h.s);
	*buf = out.s;
	*len = out.len;
	return 0;
}

static void wr_free(struct wr *w)
{
	for (size_t i = 0; i < w->nsec; i++)
		free(w->sec[i].data.s);
	free(w->sec);
	free(w->sym);
	free(w->prog_sec);
	free(w->idx.key);
	free(w->idx.val);
	for (size_t i = 0; i < w->nowned; i++)
		free(w->owned[i]);
	free(w->owned);
}

/* Number of .rel sections the relocations need (programs with an entry). */
static size_t count_rel_sections(const struct wr *w, const size_t *rel_sym)
{
	size_t n = 0, total = 0;

	for (size_t k = 0; k < w->nprogs; k++) {
		bool any = false;
		for (size_t i = 0; i < w->progs[k]->nrelocs; i++, total++)
			any |= rel_sym[total] != 0;
		n += any;
	}
	return n;
}

int bpfkit_elf_write(struct bpfkit_prog *const *progs, size_t nprogs, void **buf, size_t *len,
		     struct bpfkit_diag *diag)
{
	struct wr w = { .progs = progs, .nprogs = nprogs, .diag = diag };
	size_t *rel_sym = NULL, *map = NULL, symtab, strtab, shstrtab;
	uint32_t *name_off = NULL;
	int err;

	if (!buf || !len || (nprogs && !progs))
		return bpfkit_diag__set(diag, -EINVAL, "bpfkit_elf_write: bad arguments");
	err = check_progs(&w);
	if (err)
		return err;
	w.prog_sec = calloc(nprogs, sizeof(*w.prog_sec));
	w.sec = calloc(16, sizeof(*w.sec));
	w.sym = calloc(64, sizeof(*w.sym));
	if (!w.prog_sec || !w.sec || !w.sym) {
		err = wr_nomem(&w);
		goto out;
	}
	w.sec_cap = 16;
	w.sym_cap = 64;
	w.nsec = 1; /* the null section */
	w.nsym = 1; /* the null symbol */
	w.sym[0].name = "";
	err = add_programs(&w);
	if (err)
		goto out;
	w.license = add_sec(&w, "license", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 1);
	if (!w.license) {
		err = wr_nomem(&w);
		goto out;
	}
	dbuf_bytes(&w.sec[w.license].data, "GPL", 4);
	err = add_relocs(&w, &rel_sym);
	err = err ? err : order_symbols(&w, &map);
	if (err)
		goto out;
	symtab = w.nsec + count_rel_sections(&w, rel_sym);
	err = emit_relocs(&w, rel_sym, map, symtab);
	if (err)
		goto out;
	if (add_sec(&w, ".symtab", SHT_SYMTAB, 0, 8) != symtab ||
	    !(strtab = add_sec(&w, ".strtab", SHT_STRTAB, 0, 1)) ||
	    !(shstrtab = add_sec(&w, ".shstrtab", SHT_STRTAB, 0, 1))) {
		err = wr_nomem(&w);
		goto out;
	}
	emit_symtab(&w, symtab, strtab);
	name_off = calloc(w.nsec, sizeof(*name_off));
	if (!name_off) {
		err = wr_nomem(&w);
		goto out;
	}
	ob_le(&w.sec[shstrtab].data, 0, 1);
	for (size_t i = 1; i < w.nsec; i++)
		name_off[i] = strtab_add(&w.sec[shstrtab].data, w.sec[i].name);
	for (size_t i = 0; i < w.nsec; i++)
		if (w.sec[i].data.oom) {
			err = wr_nomem(&w);
			goto out;
		}
	err = emit_file(&w, shstrtab, name_off, buf, len);
out:
	free(name_off);
	free(rel_sym);
	free(map);
	wr_free(&w);
	return err;
}
