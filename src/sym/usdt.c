// SPDX-License-Identifier: MIT
/*
 * USDT probes of an ELF file: the notes of section .note.stapsdt, which
 * systemtap's <sys/sdt.h> writes one per probe site (type 3, owner
 * "stapsdt"). A note's descriptor holds three addresses (the site's pc,
 * the link-time address of .stapsdt.base, the semaphore's address or 0),
 * then three NUL-terminated strings: provider, name, argument specs.
 *
 * What a tracer needs from them, computed here:
 *  - prelink adjustment: when .stapsdt.base is not at the address the note
 *    recorded, the file was moved after linking, and pc and semaphore move
 *    by the same amount (as libbpf and bcc do);
 *  - file offsets, what the uprobe PMU takes: the pc's through the PT_LOAD
 *    segment that holds it, the semaphore's likewise (it lives in .probes,
 *    a data section, the kernel's ref_ctr_offset);
 *  - the arguments, parsed (usdt_arg.c); a symbol operand (sym(%rip),
 *    what gcc writes for a global) becomes a displacement from the pc,
 *    since the BPF program knows the pc where it fired (the uprobe's ip).
 *
 * The file is untrusted input: a bad ELF file, a note cut short or a
 * string without its NUL is an error naming the file and note; a site
 * whose arguments do not parse, or whose pc is in no segment, is still
 * listed, with the reason in its `error`.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpfkit/sym.h>

#define NT_STAPSDT 3
#define MAX_NOTES 1000000 /* a cap on what one file may make us allocate */

struct usdt_impl {
	struct bpfkit_usdt_list pub; /* first: the public pointer is this struct's */
	size_t cap;
};

/* A symbol table entry, for sym(%rip) operands. */
struct esym {
	const char *name;
	uint64_t value;
};

struct reader {
	const char *file;
	Elf *elf;
	GElf_Ehdr eh;
	size_t shstrndx;
	struct esym *syms; /* sorted by name; loaded at the first symbol operand */
	size_t nsyms;
	bool syms_loaded;
	struct bpfkit_diag *d;
};

static void list_free(struct usdt_impl *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->pub.n; i++) {
		struct bpfkit_usdt_probe *p = &u->pub.probes[i];

		free(p->args);
		free((char *)p->provider);
		free((char *)p->name);
		free((char *)p->args_text);
		free((char *)p->error);
	}
	free(u->pub.probes);
	free(u);
}

void bpfkit_usdt_list__free(struct bpfkit_usdt_list *l)
{
	list_free((struct usdt_impl *)l);
}


static int esym_cmp(const void *a, const void *b)
{
	return strcmp(((const struct esym *)a)->name, ((const struct esym *)b)->name);
}

/* Defined symbols of .symtab and .dynsym, for sym(%rip) operands. */
static int load_syms(struct reader *r)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	r->syms_loaded = true;
	while ((scn = elf_nextscn(r->elf, scn))) {
		Elf_Data *data;
		size_t n;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    !sh.sh_entsize || !(data = elf_getdata(scn, NULL)))
			continue;
		n = data->d_size / sh.sh_entsize;
		if (n > MAX_NOTES)
			n = MAX_NOTES;
		if (!n)
			continue; /* realloc(p, 0) would free the table */
		struct esym *ns = realloc(r->syms, (r->nsyms + n) * sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		r->syms = ns;
		for (size_t i = 0; i < n; i++) {
			GElf_Sym s;
			const char *name;

			if (!gelf_getsym(data, (int)i, &s) || s.st_shndx == SHN_UNDEF || !s.st_value ||
			    !(name = elf_strptr(r->elf, sh.sh_link, s.st_name)) || !name[0])
				continue;
			r->syms[r->nsyms++] = (struct esym){ name, s.st_value };
		}
	}
	if (r->nsyms)
		qsort(r->syms, r->nsyms, sizeof(*r->syms), esym_cmp);
	return 0;
}

static const struct esym *find_sym(struct reader *r, const char *name)
{
	struct esym key = { name, 0 };

	if (!r->syms_loaded && load_syms(r))
		return NULL;
	return r->nsyms ? bsearch(&key, r->syms, r->nsyms, sizeof(key), esym_cmp) : NULL;
}

/* The file offset of @p vaddr through the PT_LOAD segment holding it. */
static int vaddr_offset(struct reader *r, uint64_t vaddr, uint64_t *off)
{
	size_t n;

	if (elf_getphdrnum(r->elf, &n))
		return -ENOENT;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(r->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr >= ph.p_vaddr && vaddr - ph.p_vaddr < ph.p_filesz) {
			*off = vaddr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -ENOENT;
}

/* Record why probe @p p cannot be used (the first reason only). */
static int probe_error(struct bpfkit_usdt_probe *p, const char *msg)
{
	if (p->error)
		return 0;
	p->error = strdup(msg);
	return p->error ? 0 : -ENOMEM;
}

/* Parse the space-separated argument specs of @p p (text at @p args). */
static int parse_args(struct reader *r, struct bpfkit_usdt_probe *p, const char *args, size_t len)
{
	size_t n = 0, cap = 0;
	const char *s = args, *end = args + len;

	while (s < end) {
		const char *e;
		struct bpfkit_diag d;
		char sym[256];

		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s == end)
			break;
		e = s;
		while (e < end && *e != ' ' && *e != '\t')
			e++;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 4;
			struct bpfkit_usdt_arg *na;

			if (n >= BPFKIT_USDT_MAX_ARGS)
				return probe_error(p, "more than 12 arguments");
			na = realloc(p->args, nc * sizeof(*na));
			if (!na)
				return -ENOMEM;
			p->args = na;
			cap = nc;
		}
		bpfkit_diag__clear(&d);
		if (bpfkit_usdt_arg_parse(s, (size_t)(e - s), &p->args[n], sym, sizeof(sym), &d))
			return probe_error(p, d.msg);
		if (sym[0]) {
			const struct esym *es = find_sym(r, sym);
			char msg[300];

			if (!es) {
				snprintf(msg, sizeof(msg), "USDT argument '%.*s': no symbol '%s' in the file",
					 (int)(e - s > 60 ? 60 : e - s), s, sym);
				return probe_error(p, msg);
			}
			/* the symbol's address, relative to the probe's pc */
			p->args[n].reg = BPFKIT_USDT_REG_IP;
			p->args[n].value = (int64_t)(es->value + (uint64_t)p->args[n].value - p->pc);
			p->args[n].relative_sym = true;
		}
		n++;
		s = e;
	}
	p->nargs = n;
	return 0;
}

/* The section called @p name, or NULL. */
static Elf_Scn *find_scn(struct reader *r, const char *name, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(r->elf, scn))) {
		const char *n;

		if (gelf_getshdr(scn, sh) && (n = elf_strptr(r->elf, r->shstrndx, sh->sh_name)) && !strcmp(n, name))
			return scn;
	}
	return NULL;
}

/* One note's descriptor into a new probe; -EINVAL (diag set) when malformed. */
static int read_note(struct reader *r, struct usdt_impl *u, const uint8_t *desc, size_t len, size_t index,
		     bool have_base, uint64_t base_addr)
{
	struct bpfkit_usdt_probe *p;
	const char *prov, *name, *args, *end = (const char *)desc + len;
	uint64_t base;
	int err;

	if (len < 3 * 8 + 3)
		return bpfkit_diag__set(r->d, -EINVAL, "%s: .note.stapsdt note %zu: %zu bytes, too short for a probe",
					r->file, index, len);
	prov = (const char *)desc + 24;
	name = memchr(prov, 0, (size_t)(end - prov));
	args = name ? memchr(name + 1, 0, (size_t)(end - name - 1)) : NULL;
	if (!name || !args || !memchr(args + 1, 0, (size_t)(end - args - 1)))
		return bpfkit_diag__set(r->d, -EINVAL,
					"%s: .note.stapsdt note %zu: provider, name and arguments are not three "
					"NUL-terminated strings", r->file, index);
	name++;
	args++;
	if (!prov[0] || !name[0])
		return bpfkit_diag__set(r->d, -EINVAL, "%s: .note.stapsdt note %zu: empty provider or name", r->file,
					index);
	if (u->pub.n == u->cap) {
		size_t nc = u->cap ? u->cap * 2 : 16;
		struct bpfkit_usdt_probe *np = realloc(u->pub.probes, nc * sizeof(*np));

		if (!np)
			return -ENOMEM;
		u->pub.probes = np;
		u->cap = nc;
	}
	p = &u->pub.probes[u->pub.n++];
	memset(p, 0, sizeof(*p));
	memcpy(&p->pc, desc, 8);
	memcpy(&base, desc + 8, 8);
	memcpy(&p->sem_addr, desc + 16, 8);
	if (have_base && base) { /* prelinked: the file moved by base_addr - base */
		p->pc += base_addr - base;
		if (p->sem_addr)
			p->sem_addr += base_addr - base;
	}
	p->provider = strdup(prov);
	p->name = strdup(name);
	p->args_text = strdup(args);
	if (!p->provider || !p->name || !p->args_text)
		return -ENOMEM;
	if (vaddr_offset(r, p->pc, &p->offset)) {
		char msg[128];

		snprintf(msg, sizeof(msg), "the probe's address 0x%llx is in no loaded segment of the file",
			 (unsigned long long)p->pc);
		if ((err = probe_error(p, msg)))
			return err;
	}
	if (p->sem_addr && vaddr_offset(r, p->sem_addr, &p->sem_offset)) {
		char msg[128];

		snprintf(msg, sizeof(msg), "the semaphore's address 0x%llx is in no loaded segment of the file",
			 (unsigned long long)p->sem_addr);
		if ((err = probe_error(p, msg)))
			return err;
	}
	return parse_args(r, p, args, strlen(args));
}

/* Every stapsdt note of .note.stapsdt (every SHT_NOTE section of that name). */
static int read_notes(struct reader *r, struct usdt_impl *u)
{
	GElf_Shdr sh, bsh;
	Elf_Scn *scn = NULL;
	bool have_base = find_scn(r, ".stapsdt.base", &bsh) != NULL;
	size_t index = 0;
	int err;

	while ((scn = elf_nextscn(r->elf, scn))) {
		const char *sname;
		Elf_Data *data;
		size_t off = 0, noff, doff;
		GElf_Nhdr nh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE ||
		    !(sname = elf_strptr(r->elf, r->shstrndx, sh.sh_name)) || strcmp(sname, ".note.stapsdt"))
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			return bpfkit_diag__set(r->d, -EINVAL, "%s: .note.stapsdt: %s", r->file, elf_errmsg(-1));
		while (off < data->d_size) {
			size_t next = gelf_getnote(data, off, &nh, &noff, &doff);

			if (!next)
				return bpfkit_diag__set(r->d, -EINVAL, "%s: .note.stapsdt note %zu: truncated note",
							r->file, index);
			if (nh.n_type == NT_STAPSDT && nh.n_namesz == 8 &&
			    !memcmp((const char *)data->d_buf + noff, "stapsdt", 8)) {
				if (u->pub.n >= MAX_NOTES)
					return bpfkit_diag__set(r->d, -E2BIG, "%s: more than %d USDT probes", r->file,
								MAX_NOTES);
				err = read_note(r, u, (const uint8_t *)data->d_buf + doff, nh.n_descsz, index,
						have_base, bsh.sh_addr);
				if (err)
					return err == -ENOMEM ? bpfkit_diag__set(r->d, err, "out of memory") : err;
			}
			index++;
			off = next;
		}
	}
	return 0;
}

static int probe_cmp(const void *a, const void *b)
{
	const struct bpfkit_usdt_probe *x = a, *y = b;
	int c = strcmp(x->provider, y->provider);

	if (!c)
		c = strcmp(x->name, y->name);
	return c ? c : (x->pc > y->pc) - (x->pc < y->pc);
}


/* The probes of the ELF image @p image (writable: libelf's elf_memory() wants it so). */
static int parse_image(const char *file, char *image, size_t size, struct bpfkit_usdt_list **out,
		       struct bpfkit_diag *d)
{
	struct reader r = { .file = file ? file : "<memory>", .d = d };
	struct usdt_impl *u = NULL;
	int err;

	*out = NULL;
	elf_version(EV_CURRENT);
	if (size < EI_NIDENT || memcmp(image, ELFMAG, SELFMAG))
		return bpfkit_diag__set(d, -ENOEXEC, "%s: not an ELF file", r.file);
	u = calloc(1, sizeof(*u));
	if (!u) {
		err = bpfkit_diag__set(d, -ENOMEM, "out of memory");
		goto out;
	}
	r.elf = elf_memory(image, size);
	if (!r.elf || elf_kind(r.elf) != ELF_K_ELF || !gelf_getehdr(r.elf, &r.eh)) {
		err = bpfkit_diag__set(d, -ENOEXEC, "%s: not a valid ELF file (%s)", r.file, elf_errmsg(-1));
		goto out;
	}
	if (r.eh.e_ident[EI_CLASS] != ELFCLASS64 || r.eh.e_machine != EM_X86_64) {
		err = bpfkit_diag__set(d, -ENOEXEC, "%s: ELF file for another machine (e_machine %u, %d-bit), not x86-64",
				       r.file, r.eh.e_machine, r.eh.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : 32);
		goto out;
	}
	if (elf_getshdrstrndx(r.elf, &r.shstrndx)) {
		err = bpfkit_diag__set(d, -ENOEXEC, "%s: no section names (%s)", r.file, elf_errmsg(-1));
		goto out;
	}
	u->pub.is_dyn = r.eh.e_type == ET_DYN;
	err = read_notes(&r, u);
	if (err)
		goto out;
	if (u->pub.n)
		qsort(u->pub.probes, u->pub.n, sizeof(*u->pub.probes), probe_cmp);
	*out = &u->pub;
	u = NULL;
out:
	list_free(u);
	free(r.syms);
	if (r.elf)
		elf_end(r.elf);
	return err;
}

int bpfkit_usdt_list__parse(const char *file, const void *image, size_t size, struct bpfkit_usdt_list **out,
			    struct bpfkit_diag *d)
{
	char *copy = malloc(size ? size : 1);
	int err;

	*out = NULL;
	if (!copy)
		return bpfkit_diag__set(d, -ENOMEM, "out of memory");
	memcpy(copy, image, size);
	err = parse_image(file, copy, size, out, d);
	free(copy);
	return err;
}

int bpfkit_usdt_list__read(const char *path, struct bpfkit_usdt_list **out, struct bpfkit_diag *d)
{
	struct stat st;
	void *map;
	int fd, err;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bpfkit_diag__set(d, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return bpfkit_diag__set(d, err, "%s: %s", path, strerror(-err));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return bpfkit_diag__set(d, -ENOEXEC, "%s: not a regular file", path);
	}
	if (st.st_size < EI_NIDENT) {
		close(fd);
		return bpfkit_diag__set(d, -ENOEXEC, "%s: not an ELF file", path);
	}
	/* private and writable for libelf; pages are copied only if it writes */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	err = map == MAP_FAILED ? -errno : 0;
	close(fd);
	if (err)
		return bpfkit_diag__set(d, err, "%s: %s", path, strerror(-err));
	err = parse_image(path, map, (size_t)st.st_size, out, d);
	munmap(map, (size_t)st.st_size);
	return err;
}
