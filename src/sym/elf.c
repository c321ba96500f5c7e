// SPDX-License-Identifier: MIT
/*
 * User-space ELF files for uprobes, USDT and user stacks: the function and
 * object symbols of an executable or shared library (.symtab and .dynsym),
 * its PT_LOAD segments (virtual address <-> file offset) and its build-id.
 *
 * The file is untrusted input. Before libelf reads it we check the ELF
 * header from the raw bytes: the magic, 64-bit little-endian x86-64 (a file
 * of another machine is named as such), an executable or shared object, and
 * program and section header tables inside the file; every section whose
 * bytes we read is checked to lie inside the file too, and every symbol
 * name offset is checked by libelf's elf_strptr(). libelf maps the file
 * (ELF_C_READ_MMAP) and reads only the sections asked for.
 *
 * Names are copied into one buffer, so nothing points into the mapping
 * once the file is closed: the table stays valid if the file changes.
 * Opening only reads the symbols; the two indexes are built on first use,
 * as sorting is most of the cost (bash's 2,300 symbols: 2.9 ms open with
 * both sorts, under 1 ms without): one pointer per distinct name sorted by
 * name (listings, iteration), the functions sorted by address (address ->
 * symbol). An exact lookup before that is a linear scan, which a uprobe's
 * compilation needs once or twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpfkit/sym.h>

#include "isa/elf_bytes.h"

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define SHDR_SIZE 64

/* One PT_LOAD segment. */
struct seg {
	uint64_t vaddr, memsz, offset, filesz;
};

/* A symbol as read (duplicate names included); while the tables are read
 * its name is an offset into names, made a pointer once they are. */
struct ent {
	struct bpfkit_elf_sym sym;
	int prio; /* lower wins among equal names: 0 .symtab, 1 .dynsym, 2 bare alias of a@@v, 3 of a@v */
};

struct bpfkit_elf_file {
	char *path;
	bool dyn, symtab;
	char *names; /* every name, NUL-terminated */
	size_t names_len, names_cap;
	struct ent *ents; /* every symbol read; never moves once the file is open */
	size_t nents, ents_cap;
	/* built on first use (ensure_names(), ensure_funcs()) */
	bool by_name_done, funcs_done;
	const struct bpfkit_elf_sym **by_name; /* the best of each name, sorted by name */
	size_t nsyms;
	const struct bpfkit_elf_sym **funcs; /* FUNC symbols of by_name, by address */
	size_t nfuncs;
	struct seg *segs;
	size_t nsegs;
	uint8_t build_id[64];
	size_t build_id_len;
	char debuglink[256]; /* .gnu_debuglink's file name, "" when none */
	bool oom; /* while reading */
};

/* The name of ELF machine @p m, for "ELF file for aarch64, not x86-64". */
static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_386: return "i386";
	case EM_X86_64: return "x86-64";
	case EM_AARCH64: return "aarch64";
	case EM_ARM: return "arm";
	case EM_RISCV: return "riscv";
	case EM_PPC: return "ppc";
	case EM_PPC64: return "ppc64";
	case EM_S390: return "s390";
	case EM_MIPS: return "mips";
	case EM_SPARCV9: return "sparc64";
	case EM_BPF: return "bpf";
	case 258: return "loongarch"; /* EM_LOONGARCH, missing from older headers */
	default: return NULL;
	}
}

/*
 * Check the raw ELF header (first EHDR_SIZE bytes of a file of @p fsize
 * bytes, @p got of them read): what is wrong with it, in words, so that
 * libelf only ever sees an x86-64 executable or shared object whose header
 * tables lie inside the file.
 */
static int check_header(const unsigned char *h, size_t got, uint64_t fsize, const char *path,
			struct bpfkit_diag *diag)
{
	unsigned type, machine, phentsize, shentsize;
	uint64_t phoff, shoff, phnum, shnum;
	const char *mname;
	char mbuf[32];

	if (got < SELFMAG || memcmp(h, ELFMAG, SELFMAG))
		return bpfkit_diag__set(diag, -ENOEXEC, "%s: not an ELF file", path);
	if (got < 20)
		return bpfkit_diag__set(diag, -ENOEXEC, "%s: truncated ELF file (%zu bytes)", path, got);
	machine = h[EI_DATA] == ELFDATA2MSB ? (unsigned)(h[18] << 8 | h[19]) : rd16(h + 18);
	mname = machine_name(machine);
	if (!mname) {
		snprintf(mbuf, sizeof(mbuf), "machine %u", machine);
		mname = mbuf;
	}
	if (h[EI_CLASS] != ELFCLASS64 || h[EI_DATA] != ELFDATA2LSB || machine != EM_X86_64)
		return bpfkit_diag__set(diag, -ENOEXEC, "%s: ELF file for %s (%s, %s), not x86-64", path, mname,
					h[EI_CLASS] == ELFCLASS64 ? "64-bit" : "32-bit",
					h[EI_DATA] == ELFDATA2LSB ? "little-endian" : "big-endian");
	if (got < EHDR_SIZE)
		return bpfkit_diag__set(diag, -ENOEXEC, "%s: truncated ELF file (%zu bytes, its header alone is %d)",
					path, got, EHDR_SIZE);
	type = rd16(h + 16);
	if (type != ET_EXEC && type != ET_DYN)
		return bpfkit_diag__set(diag, -ENOEXEC, "%s: ELF %s, not an executable or shared library", path,
					type == ET_REL ? "relocatable object" : type == ET_CORE ? "core file" : "file of unknown type");
	phoff = rd64(h + 32);
	shoff = rd64(h + 40);
	phentsize = rd16(h + 54);
	phnum = rd16(h + 56);
	shentsize = rd16(h + 58);
	shnum = rd16(h + 60);
	if (phnum && (phentsize != PHDR_SIZE || !in_file(phoff, phnum * PHDR_SIZE, fsize)))
		return bpfkit_diag__set(diag, -ENOEXEC,
					"%s: truncated ELF file: its program headers (%llu at %llu) end beyond its %llu bytes",
					path, (unsigned long long)phnum, (unsigned long long)phoff,
					(unsigned long long)fsize);
	if (shoff && (shentsize != SHDR_SIZE || !in_file(shoff, (shnum ? shnum : 1) * SHDR_SIZE, fsize)))
		return bpfkit_diag__set(diag, -ENOEXEC,
					"%s: truncated ELF file: its section headers (%llu at %llu) end beyond its %llu bytes",
					path, (unsigned long long)shnum, (unsigned long long)shoff,
					(unsigned long long)fsize);
	return 0;
}

/* Room for @p nents more symbols and @p nbytes more name bytes, so that
 * reading a table does not grow the arrays piecemeal (copies, faults). */
static void reserve(struct bpfkit_elf_file *f, size_t nents, size_t nbytes)
{
	struct ent *e;
	char *p;

	if (f->oom)
		return;
	if (f->nents + nents > f->ents_cap) {
		e = realloc(f->ents, (f->nents + nents) * sizeof(*e));
		if (!e) {
			f->oom = true;
			return;
		}
		f->ents = e;
		f->ents_cap = f->nents + nents;
	}
	if (f->names_len + nbytes > f->names_cap) {
		p = realloc(f->names, f->names_len + nbytes);
		if (!p) {
			f->oom = true;
			return;
		}
		f->names = p;
		f->names_cap = f->names_len + nbytes;
	}
}

/* Append @p n bytes of @p s and a NUL to the name buffer; its offset. */
static size_t add_name(struct bpfkit_elf_file *f, const char *s, size_t n)
{
	size_t off = f->names_len;

	if (f->oom)
		return 0;
	if (f->names_len + n + 1 > f->names_cap) {
		size_t cap = f->names_cap ? f->names_cap : 4096;
		char *p;

		while (cap < f->names_len + n + 1)
			cap *= 2;
		p = realloc(f->names, cap);
		if (!p) {
			f->oom = true;
			return 0;
		}
		f->names = p;
		f->names_cap = cap;
	}
	memcpy(f->names + off, s, n);
	f->names[off + n] = '\0';
	f->names_len += n + 1;
	return off;
}

/* Record a symbol whose name is at offset @p name of the name buffer. */
static void add_ent(struct bpfkit_elf_file *f, size_t name, const GElf_Sym *s, enum bpfkit_elf_sym_kind kind,
		    int prio)
{
	if (f->oom)
		return;
	if (f->nents == f->ents_cap) {
		size_t cap = f->ents_cap ? 2 * f->ents_cap : 1024;
		struct ent *p = realloc(f->ents, cap * sizeof(*p));

		if (!p) {
			f->oom = true;
			return;
		}
		f->ents = p;
		f->ents_cap = cap;
	}
	f->ents[f->nents++] = (struct ent){ { (const char *)(uintptr_t)name, s->st_value, s->st_size, kind }, prio };
}

/*
 * Add the defined function and object symbols of symbol table section
 * @p scn (.symtab or .dynsym). A name with a version ("foo@@V1", "foo@V0",
 * as .symtab and debug files spell them) also gets a bare alias "foo" of
 * lower priority, which a real "foo" beats when sorting.
 */
static int read_symtab(struct bpfkit_elf_file *f, Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, uint64_t fsize,
		       bool dynsym, struct bpfkit_diag *diag)
{
	Elf_Scn *strs;
	GElf_Shdr strsh;
	Elf_Data *d;
	size_t n;

	if (sh->sh_type == SHT_NOBITS || !sh->sh_entsize)
		return 0;
	if (!in_file(sh->sh_offset, sh->sh_size, fsize))
		return bpfkit_diag__set(diag, -ENOEXEC, "%s: truncated ELF file: its %s ends beyond the file",
					f->path, dynsym ? ".dynsym" : ".symtab");
	d = elf_getdata(scn, NULL);
	if (!d)
		return bpfkit_diag__set(diag, -ENOEXEC, "%s: cannot read %s: %s", f->path,
					dynsym ? ".dynsym" : ".symtab", elf_errmsg(-1));
	n = sh->sh_size / sh->sh_entsize;
	strs = elf_getscn(elf, sh->sh_link);
	if (strs && gelf_getshdr(strs, &strsh) && strsh.sh_size < ((uint64_t)1 << 30))
		reserve(f, n + n / 8, (size_t)strsh.sh_size + n / 8 * 16); /* a few version aliases too */
	for (size_t i = 1; i < n && i <= INT32_MAX; i++) {
		GElf_Sym s;
		const char *name, *at;
		enum bpfkit_elf_sym_kind kind;
		size_t len;

		if (!gelf_getsym(d, (int)i, &s))
			break;
		switch (GELF_ST_TYPE(s.st_info)) {
		case STT_FUNC:
		case STT_GNU_IFUNC:
			kind = BPFKIT_ELF_SYM_FUNC;
			break;
		case STT_OBJECT:
		case STT_TLS:
			kind = BPFKIT_ELF_SYM_OBJECT;
			break;
		default:
			continue;
		}
		if (s.st_shndx == SHN_UNDEF || !s.st_value)
			continue;
		name = elf_strptr(elf, sh->sh_link, s.st_name);
		if (!name || !*name)
			continue;
		len = strlen(name);
		add_ent(f, add_name(f, name, len), &s, kind, dynsym ? 1 : 0);
		at = strchr(name, '@');
		if (at && at > name)
			add_ent(f, add_name(f, name, (size_t)(at - name)), &s, kind, at[1] == '@' ? 2 : 3);
	}
	return 0;
}

/* The NT_GNU_BUILD_ID note of SHT_NOTE section @p scn, if it is one. */
static void read_build_id(struct bpfkit_elf_file *f, Elf_Scn *scn, const GElf_Shdr *sh, uint64_t fsize)
{
	Elf_Data *d;
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;

	if (f->build_id_len || !in_file(sh->sh_offset, sh->sh_size, fsize))
		return;
	d = elf_getdata(scn, NULL);
	while (d && off < d->d_size && (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    !memcmp((const char *)d->d_buf + name_off, "GNU", 4) && nh.n_descsz &&
		    nh.n_descsz <= sizeof(f->build_id)) {
			memcpy(f->build_id, (const char *)d->d_buf + desc_off, nh.n_descsz);
			f->build_id_len = nh.n_descsz;
			return;
		}
		off = next;
	}
}

/* Which of two symbols of one name is kept: the lower priority, then a
 * sized one, then the lower address. Negative when @p a wins. */
static int ent_better(const struct ent *a, const struct ent *b)
{
	if (a->prio != b->prio)
		return a->prio - b->prio;
	if (!a->sym.size != !b->sym.size)
		return a->sym.size ? -1 : 1;
	return a->sym.addr < b->sym.addr ? -1 : a->sym.addr > b->sym.addr;
}

static int name_cmp(const void *pa, const void *pb)
{
	const struct ent *a = *(const struct ent *const *)pa, *b = *(const struct ent *const *)pb;
	int c = strcmp(a->sym.name, b->sym.name);

	return c ? c : ent_better(a, b);
}

static int addr_cmp(const void *pa, const void *pb)
{
	const struct bpfkit_elf_sym *a = *(const struct bpfkit_elf_sym *const *)pa;
	const struct bpfkit_elf_sym *b = *(const struct bpfkit_elf_sym *const *)pb;
	bool av = strchr(a->name, '@') != NULL, bv = strchr(b->name, '@') != NULL;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if (av != bv) /* bare names first */
		return av ? 1 : -1;
	if (a->size != b->size) /* then the largest */
		return a->size > b->size ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* The name index: the best symbol of each name, sorted by name. The file
 * is const to its readers; these indexes are a cache (not thread-safe). */
static int ensure_names(const struct bpfkit_elf_file *cf)
{
	struct bpfkit_elf_file *f = (struct bpfkit_elf_file *)cf;
	const struct ent **tmp;
	size_t n = 0;

	if (f->by_name_done)
		return f->by_name ? 0 : -ENOMEM;
	f->by_name_done = true;
	tmp = malloc((f->nents ? f->nents : 1) * sizeof(*tmp));
	f->by_name = malloc((f->nents ? f->nents : 1) * sizeof(*f->by_name));
	if (!tmp || !f->by_name) {
		free(tmp);
		free(f->by_name);
		f->by_name = NULL;
		return -ENOMEM;
	}
	for (size_t i = 0; i < f->nents; i++)
		tmp[i] = &f->ents[i];
	qsort(tmp, f->nents, sizeof(*tmp), name_cmp);
	for (size_t i = 0; i < f->nents; i++)
		if (!n || strcmp(f->by_name[n - 1]->name, tmp[i]->sym.name))
			f->by_name[n++] = &tmp[i]->sym;
	free(tmp);
	f->nsyms = n;
	return 0;
}

/* The address index: the named functions sorted by address. */
static int ensure_funcs(const struct bpfkit_elf_file *cf)
{
	struct bpfkit_elf_file *f = (struct bpfkit_elf_file *)cf;

	if (f->funcs_done)
		return f->funcs ? 0 : -ENOMEM;
	f->funcs_done = true;
	if (ensure_names(f))
		return -ENOMEM;
	f->funcs = malloc((f->nsyms ? f->nsyms : 1) * sizeof(*f->funcs));
	if (!f->funcs)
		return -ENOMEM;
	for (size_t i = 0; i < f->nsyms; i++)
		if (f->by_name[i]->kind == BPFKIT_ELF_SYM_FUNC)
			f->funcs[f->nfuncs++] = f->by_name[i];
	qsort(f->funcs, f->nfuncs, sizeof(*f->funcs), addr_cmp);
	return 0;
}

/* Read program headers (PT_LOAD), then the symbol tables and notes. */
static void read_debuglink(struct bpfkit_elf_file *f, Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, uint64_t fsize,
			   size_t shstrndx);

static int read_elf(struct bpfkit_elf_file *f, Elf *elf, uint64_t fsize, struct bpfkit_diag *diag)
{
	size_t phnum = 0, shnum = 0;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	int err;

	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh))
		return bpfkit_diag__set(diag, -ENOEXEC, "%s: libelf cannot read the file: %s", f->path,
					elf_errmsg(-1));
	f->dyn = eh.e_type == ET_DYN;
	if (elf_getphdrnum(elf, &phnum) || elf_getshdrnum(elf, &shnum))
		return bpfkit_diag__set(diag, -ENOEXEC, "%s: bad ELF header tables: %s", f->path, elf_errmsg(-1));
	f->segs = calloc(phnum ? phnum : 1, sizeof(*f->segs));
	if (!f->segs)
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	for (size_t i = 0; i < phnum && i <= INT32_MAX; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph))
			return bpfkit_diag__set(diag, -ENOEXEC, "%s: program header %zu: %s", f->path, i,
						elf_errmsg(-1));
		if (ph.p_type == PT_LOAD)
			f->segs[f->nsegs++] = (struct seg){ ph.p_vaddr, ph.p_memsz, ph.p_offset, ph.p_filesz };
	}
	if (shnum > 1 && !in_file(eh.e_shoff, shnum * (uint64_t)SHDR_SIZE, fsize))
		return bpfkit_diag__set(diag, -ENOEXEC, "%s: truncated ELF file: its %zu section headers end beyond the file",
					f->path, shnum);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			return bpfkit_diag__set(diag, -ENOEXEC, "%s: section %zu: %s", f->path, elf_ndxscn(scn),
						elf_errmsg(-1));
		err = 0;
		if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM) {
			f->symtab |= sh.sh_type == SHT_SYMTAB;
			err = read_symtab(f, elf, scn, &sh, fsize, sh.sh_type == SHT_DYNSYM, diag);
		} else if (sh.sh_type == SHT_NOTE) {
			read_build_id(f, scn, &sh, fsize);
		} else if (sh.sh_type == SHT_PROGBITS) {
			read_debuglink(f, elf, scn, &sh, fsize, eh.e_shstrndx);
		}
		if (err)
			return err;
	}
	return 0;
}

/* The file name in .gnu_debuglink (a NUL-terminated name, then a CRC). */
static void read_debuglink(struct bpfkit_elf_file *f, Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, uint64_t fsize,
			   size_t shstrndx)
{
	const char *name = elf_strptr(elf, shstrndx, sh->sh_name);
	Elf_Data *d;
	size_t n;

	if (!name || strcmp(name, ".gnu_debuglink") || !in_file(sh->sh_offset, sh->sh_size, fsize))
		return;
	d = elf_getdata(scn, NULL);
	if (!d || !d->d_buf || !d->d_size)
		return;
	n = strnlen(d->d_buf, d->d_size);
	if (n && n < d->d_size && n < sizeof(f->debuglink) && !memchr(d->d_buf, '/', n))
		memcpy(f->debuglink, d->d_buf, n + 1);
}

/* Read the .symtab of debug file @p path into @p f; 0 when it had one. */
static int read_debug_symtab(struct bpfkit_elf_file *f, const char *path)
{
	struct bpfkit_diag d;
	Elf_Scn *scn = NULL;
	struct stat st;
	int fd, err = -ENOENT;
	Elf *elf;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	elf = fstat(fd, &st) || !S_ISREG(st.st_mode) ? NULL : elf_begin(fd, ELF_C_READ_MMAP, NULL);
	while (elf && elf_kind(elf) == ELF_K_ELF && err && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB && sh.sh_size &&
		    !read_symtab(f, elf, scn, &sh, (uint64_t)st.st_size, false, &d))
			err = 0;
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return err;
}

/*
 * A stripped file's .symtab from its separate debug file, where the
 * distribution's -dbgsym package or a build put it, as gdb and perf look
 * for it: by build-id (/usr/lib/debug/.build-id/xx/yyyy.debug), then by
 * .gnu_debuglink's name beside the file, in its .debug/ directory, and
 * under /usr/lib/debug/ + the file's directory. The debug file has the
 * same addresses, so its symbols join the file's own.
 */
static void read_debug_file(struct bpfkit_elf_file *f)
{
	char path[PATH_MAX], dir[PATH_MAX];
	const char *slash;
	int n;

	if (f->build_id_len >= 2) {
		n = snprintf(path, sizeof(path), "/usr/lib/debug/.build-id/%02x/", f->build_id[0]);
		for (size_t i = 1; i < f->build_id_len && n > 0 && (size_t)n + 3 < sizeof(path); i++)
			n += snprintf(path + n, sizeof(path) - (size_t)n, "%02x", f->build_id[i]);
		if (n > 0 && (size_t)n + 7 < sizeof(path)) {
			snprintf(path + n, sizeof(path) - (size_t)n, ".debug");
			if (!read_debug_symtab(f, path))
				return;
		}
	}
	if (!f->debuglink[0])
		return;
	slash = strrchr(f->path, '/');
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - f->path) : 1, slash ? f->path : ".");
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, f->debuglink) < sizeof(path) &&
	    strcmp(path, f->path) && !read_debug_symtab(f, path))
		return;
	if ((size_t)snprintf(path, sizeof(path), "%s/.debug/%s", dir, f->debuglink) < sizeof(path) &&
	    !read_debug_symtab(f, path))
		return;
	if (dir[0] == '/' && (size_t)snprintf(path, sizeof(path), "/usr/lib/debug%s/%s", dir, f->debuglink) < sizeof(path))
		read_debug_symtab(f, path);
}

int bpfkit_elf_file__open(const char *path, struct bpfkit_elf_file **out, struct bpfkit_diag *diag)
{
	struct bpfkit_elf_file *f = NULL;
	unsigned char hdr[EHDR_SIZE];
	Elf *elf = NULL;
	struct stat st;
	ssize_t got;
	int fd, err;

	*out = NULL;
	if (!isa_elf_ready())
		return bpfkit_diag__set(diag, -ENOTSUP, "libelf: %s", elf_errmsg(-1));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bpfkit_diag__set(diag, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		err = bpfkit_diag__set(diag, -errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = bpfkit_diag__set(diag, S_ISDIR(st.st_mode) ? -EISDIR : -ENOEXEC, "%s: %s", path,
				       S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		goto out;
	}
	got = pread(fd, hdr, sizeof(hdr), 0);
	if (got < 0) {
		err = bpfkit_diag__set(diag, -errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	err = check_header(hdr, (size_t)got, (uint64_t)st.st_size, path, diag);
	if (err)
		goto out;
	f = calloc(1, sizeof(*f));
	if (!f || !(f->path = strdup(path))) {
		err = bpfkit_diag__set(diag, -ENOMEM, "out of memory");
		goto out;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf) {
		err = bpfkit_diag__set(diag, -ENOEXEC, "%s: libelf cannot read the file: %s", path, elf_errmsg(-1));
		goto out;
	}
	err = read_elf(f, elf, (uint64_t)st.st_size, diag);
	if (!err && !f->symtab)
		read_debug_file(f);
	if (!err && f->oom)
		err = bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	for (size_t i = 0; !err && i < f->nents; i++) /* the name buffer is final: offsets become pointers */
		f->ents[i].sym.name = f->names + (uintptr_t)f->ents[i].sym.name;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	if (err) {
		bpfkit_elf_file__free(f);
		return err;
	}
	*out = f;
	return 0;
}

void bpfkit_elf_file__free(struct bpfkit_elf_file *f)
{
	if (!f)
		return;
	free(f->path);
	free(f->names);
	free(f->ents);
	free(f->by_name);
	free(f->funcs);
	free(f->segs);
	free(f);
}

const char *bpfkit_elf_file__path(const struct bpfkit_elf_file *f)
{
	return f->path;
}

bool bpfkit_elf_file__is_dyn(const struct bpfkit_elf_file *f)
{
	return f->dyn;
}

bool bpfkit_elf_file__has_symtab(const struct bpfkit_elf_file *f)
{
	return f->symtab;
}

size_t bpfkit_elf_file__nsyms(const struct bpfkit_elf_file *f)
{
	return f && !ensure_names(f) ? f->nsyms : 0;
}

const struct bpfkit_elf_sym *bpfkit_elf_file__sym(const struct bpfkit_elf_file *f, size_t i)
{
	return f && !ensure_names(f) && i < f->nsyms ? f->by_name[i] : NULL;
}

const struct bpfkit_elf_sym *bpfkit_elf_file__find(const struct bpfkit_elf_file *f, const char *name)
{
	const struct ent *best = NULL;
	size_t lo = 0, hi;

	if (!f || !name)
		return NULL;
	if (!f->by_name_done) { /* no index yet: one pass, the same choice as the index makes */
		for (size_t i = 0; i < f->nents; i++)
			if (!strcmp(name, f->ents[i].sym.name) && (!best || ent_better(&f->ents[i], best) < 0))
				best = &f->ents[i];
		return best ? &best->sym : NULL;
	}
	hi = f->by_name ? f->nsyms : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, f->by_name[mid]->name);

		if (!c)
			return f->by_name[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int bpfkit_elf_file__resolve(const struct bpfkit_elf_file *f, uint64_t addr, const struct bpfkit_elf_sym **sym,
			     uint64_t *offset)
{
	size_t lo = 0, hi, first;
	const struct bpfkit_elf_sym *s;

	if (!f || ensure_funcs(f))
		return -ENOENT;
	hi = f->nfuncs;
	while (lo < hi) { /* first function above addr */
		size_t mid = lo + (hi - lo) / 2;

		if (f->funcs[mid]->addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -ENOENT;
	first = lo - 1; /* the first of those at that address: the preferred one */
	while (first && f->funcs[first - 1]->addr == f->funcs[lo - 1]->addr)
		first--;
	s = f->funcs[first];
	if (addr != s->addr && addr - s->addr >= s->size)
		return -ENOENT;
	if (sym)
		*sym = s;
	if (offset)
		*offset = addr - s->addr;
	return 0;
}

int bpfkit_elf_file__vaddr_to_offset(const struct bpfkit_elf_file *f, uint64_t vaddr, uint64_t *off)
{
	for (size_t i = 0; f && i < f->nsegs; i++) {
		const struct seg *g = &f->segs[i];

		if (vaddr >= g->vaddr && vaddr - g->vaddr < g->filesz) {
			*off = vaddr - g->vaddr + g->offset;
			return 0;
		}
	}
	return -ENOENT;
}

int bpfkit_elf_file__offset_to_vaddr(const struct bpfkit_elf_file *f, uint64_t off, uint64_t *vaddr)
{
	for (size_t i = 0; f && i < f->nsegs; i++) {
		const struct seg *g = &f->segs[i];

		if (off >= g->offset && off - g->offset < g->filesz) {
			*vaddr = off - g->offset + g->vaddr;
			return 0;
		}
	}
	return -ENOENT;
}

const uint8_t *bpfkit_elf_file__build_id(const struct bpfkit_elf_file *f, size_t *len)
{
	*len = f ? f->build_id_len : 0;
	return *len ? f->build_id : NULL;
}
