// SPDX-License-Identifier: MIT
/*
 * Kernel addresses to symbol names, from /proc/kallsyms: the whole file is
 * read once (at the first lookup), its lines cut in place into names (the
 * text is kept as the names' storage), and the symbols sorted by address
 * for a binary search. Lines are "ADDRESS TYPE NAME [MODULE]"; the module
 * is dropped, as bcc (and so bpftrace) drops it. Symbols at address 0 are
 * skipped: the kernel shows every address as 0 to users without
 * CAP_SYSLOG, which makes the table unusable (-EACCES).
 *
 * bpfkit_ksyms__addr() goes the other way, a name to its address (kaddr()
 * at compile time): it reads the file line by line and stops at the first
 * line of that name (the kernel's own symbols come before modules'), so it
 * costs less than loading the table; both cut lines with ksym_line().
 *
 * Cost (bench/bench_ksyms, 6.18 kernel, 121k symbols, a busy 2-CPU box):
 * loading 70-90 ms (the kernel's generating the text is half of it), then
 * 100,000 lookups 12-17 ms, 120-170 ns each.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/sym.h>

struct ksym {
	uint64_t addr;
	const char *name;
};

struct bpfkit_ksyms {
	char *path;
	int err; /* 0 loaded or not yet; else the load's error, returned every time */
	int loaded;
	char *text; /* the file; names point into it */
	struct ksym *syms;
	size_t n;
};

struct bpfkit_ksyms *bpfkit_ksyms__new(const char *path)
{
	struct bpfkit_ksyms *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->path = strdup(path ? path : "/proc/kallsyms");
	if (!k->path) {
		free(k);
		return NULL;
	}
	return k;
}

void bpfkit_ksyms__free(struct bpfkit_ksyms *k)
{
	if (!k)
		return;
	free(k->path);
	free(k->text);
	free(k->syms);
	free(k);
}

/* The whole of a file (procfs files report no size: read until EOF). */
static int read_all(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "re");
	size_t n = 0, cap = 1 << 20;
	char *buf;

	if (!f)
		return -errno;
	buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);

		n += got;
		if (n + 1 < cap)
			break;
		char *nb = realloc(buf, cap * 2);

		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	if (!buf || ferror(f)) {
		int err = buf ? -EIO : -ENOMEM;

		free(buf);
		fclose(f);
		return err;
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static int ksym_cmp(const void *pa, const void *pb)
{
	const struct ksym *a = pa, *b = pb;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return a->name < b->name ? -1 : a->name > b->name; /* file order among equals */
}

/*
 * One line of kallsyms, "ADDRESS TYPE NAME[\t[MODULE]]" (NUL or newline
 * ended): its address, and its name's start and length (the module left
 * out). False for a line of another shape.
 */
static bool ksym_line(const char *line, uint64_t *addr, const char **name, size_t *len)
{
	char *e;
	uint64_t a = strtoull(line, &e, 16);

	if (e == line || e[0] != ' ' || !e[1] || e[2] != ' ')
		return false;
	*addr = a;
	*name = e + 3;
	*len = strcspn(e + 3, " \t\n");
	return true;
}

/* Parse the lines of k->text into k->syms, sorted by address. */
static int parse(struct bpfkit_ksyms *k, size_t len)
{
	size_t cap = len / 32 + 16, zeros = 0;
	char *p = k->text, *end = k->text + len;

	k->syms = malloc(cap * sizeof(*k->syms));
	if (!k->syms)
		return -ENOMEM;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *name;
		uint64_t a;
		size_t n;

		if (!nl)
			nl = end;
		*nl = '\0';
		if (ksym_line(p, &a, &name, &n)) {
			p[name - p + n] = '\0'; /* drop "\t[module]" */
			if (!a) {
				zeros++;
			} else {
				if (k->n == cap) {
					struct ksym *s = realloc(k->syms, 2 * cap * sizeof(*s));

					if (!s)
						return -ENOMEM;
					k->syms = s;
					cap *= 2;
				}
				k->syms[k->n++] = (struct ksym){ a, name };
			}
		}
		p = nl + 1;
	}
	if (!k->n && zeros)
		return -EACCES;
	qsort(k->syms, k->n, sizeof(*k->syms), ksym_cmp);
	return 0;
}

/* Read the table on first use; the error of a failed load sticks. */
static int load(struct bpfkit_ksyms *k)
{
	size_t len = 0;
	int err;

	if (k->loaded)
		return k->err;
	k->loaded = 1;
	err = read_all(k->path, &k->text, &len);
	if (!err)
		err = parse(k, len);
	if (err) {
		free(k->syms);
		k->syms = NULL;
		k->n = 0;
	}
	k->err = err;
	return err;
}

int bpfkit_ksyms__resolve(struct bpfkit_ksyms *k, uint64_t addr, const char **name, uint64_t *offset)
{
	size_t lo = 0, hi;
	int err;

	if (!k)
		return -EINVAL;
	err = load(k);
	if (err)
		return err;
	hi = k->n;
	while (lo < hi) { /* first symbol above addr */
		size_t mid = lo + (hi - lo) / 2;

		if (k->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -ENOENT;
	/* among symbols at the same address, the first in the file */
	while (lo > 1 && k->syms[lo - 2].addr == k->syms[lo - 1].addr)
		lo--;
	if (name)
		*name = k->syms[lo - 1].name;
	if (offset)
		*offset = addr - k->syms[lo - 1].addr;
	return 0;
}

size_t bpfkit_ksyms__count(struct bpfkit_ksyms *k)
{
	return k && !load(k) ? k->n : 0;
}

int bpfkit_ksyms__addr(struct bpfkit_ksyms *k, const char *name, uint64_t *addr)
{
	char line[512];
	FILE *f;
	int err = -ENOENT;

	if (!k || !name || !*name)
		return -EINVAL;
	f = fopen(k->path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		const char *sym;
		uint64_t a;
		size_t n;

		if (!ksym_line(line, &a, &sym, &n) || n != strlen(name) || memcmp(sym, name, n))
			continue;
		if (!a) {
			err = -EACCES;
			break;
		}
		*addr = a;
		err = 0;
		break;
	}
	fclose(f);
	return err;
}
