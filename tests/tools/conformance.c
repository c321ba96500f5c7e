// SPDX-License-Identifier: MIT
/*
 * The bpf_conformance runner: every .data file of a directory (sorted by
 * name) is parsed, its `-- asm` assembled (or its `-- raw` read), loaded
 * into a fresh VM with the test helpers (unwind = 5), run on a copy of
 * its `-- mem`, and r0 compared with `-- result`; a file with `-- error`
 * passes when load or run fails. When a file has both `-- asm` and
 * `-- raw`, the assembled program must equal the raw one.
 *
 * With --jit the program is compiled by the JIT after loading and runs as
 * native code (--jit=blind,retpoline adds those options); a program the
 * JIT refuses fails the file.
 *
 * usage: conformance [--jit[=blind,retpoline]] DIR      TAP on stdout, one line per file
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/isa.h>
#include <bpfkit/vm.h>

#define BUDGET 10000000

/* --jit: NULL = interpreter */
static const struct bpfkit_jit_opts *jit_opts;

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .data files of @p dir, sorted; NULL when it cannot be read. */
static char **list_data_files(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".data"))
			continue;
		if (*n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 256) * sizeof(*nn));
			if (!nn)
				break;
			names = nn;
		}
		if (!(names[*n] = strdup(e->d_name)))
			break;
		(*n)++;
	}
	closedir(d);
	if (!names)
		names = calloc(1, sizeof(*names));
	qsort(names, *n, sizeof(*names), cmp_names);
	return names;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1))) {
		*len = fread(buf, 1, (size_t)n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

/* The program of @p df: assembled asm (checked against raw when both are
 * present), else raw. Writes a reason into @p why on failure. */
static struct bpfkit_prog *program_of(struct bpfkit_datafile *df, char *why, size_t why_len)
{
	struct bpfkit_prog *p = NULL;
	struct bpfkit_diag d;

	if (!df->asm_text) {
		if (!df->raw)
			snprintf(why, why_len, "no -- asm or -- raw section");
		p = df->raw;
		df->raw = NULL;
		return p;
	}
	if (bpfkit_asm(df->asm_text, strlen(df->asm_text), BPFKIT_DIALECT_CONF, &p, &d)) {
		snprintf(why, why_len, "asm line %d: %s", d.line ? d.line + df->asm_line - 1 : 0, d.msg);
		return NULL;
	}
	if (df->raw && (df->raw->len != p->len ||
			memcmp(df->raw->insns, p->insns, p->len * sizeof(*p->insns)))) {
		snprintf(why, why_len, "assembled program differs from -- raw");
		bpfkit_prog__free(p);
		return NULL;
	}
	return p;
}

/* Run one file; returns true when it passes, with the reason otherwise. */
static bool run_file(const char *dir, const char *name, char *why, size_t why_len)
{
	char path[4096];
	struct bpfkit_datafile *df = NULL;
	struct bpfkit_prog *p = NULL;
	struct bpfkit_vm *vm = NULL;
	struct bpfkit_diag d;
	enum bpfkit_fault fault;
	uint8_t *mem = NULL;
	uint64_t r0 = 0;
	size_t len = 0;
	char *text;
	bool ok = false;
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text = read_all(path, &len);
	if (!text) {
		snprintf(why, why_len, "cannot read: %s", strerror(errno));
		return false;
	}
	if (bpfkit_datafile__parse(text, len, &df, &d)) {
		snprintf(why, why_len, "line %d: %s", d.line, d.msg);
		goto out;
	}
	p = program_of(df, why, why_len);
	if (!p)
		goto out;
	vm = bpfkit_vm__new();
	if (!vm || bpfkit_vm__register_test_helpers(vm)) {
		snprintf(why, why_len, "cannot create a VM");
		goto out;
	}
	bpfkit_vm__set_budget(vm, BUDGET);
	err = bpfkit_vm__load(vm, p->insns, p->len, &d);
	if (!err && jit_opts && bpfkit_vm__jit_compile(vm, jit_opts, &d)) {
		snprintf(why, why_len, "jit: insn %ld: %s", d.insn, d.msg);
		goto out;
	}
	if (!err) {
		/* The program gets a private, writable copy of the memory. */
		if (df->mem_len && !(mem = malloc(df->mem_len))) {
			snprintf(why, why_len, "out of memory");
			goto out;
		}
		if (mem)
			memcpy(mem, df->mem, df->mem_len);
		err = bpfkit_vm__run(vm, mem, df->mem_len, &r0, &fault, &d);
	}
	if (df->expect_error) {
		ok = err != 0;
		if (!ok)
			snprintf(why, why_len, "expected an error, got r0 = 0x%" PRIx64, r0);
	} else if (err) {
		snprintf(why, why_len, "insn %ld: %s", d.insn, d.msg);
	} else if (!df->has_result) {
		snprintf(why, why_len, "no -- result section");
	} else {
		ok = r0 == df->result;
		if (!ok)
			snprintf(why, why_len, "got 0x%" PRIx64 " want 0x%" PRIx64, r0, df->result);
	}
out:
	free(mem);
	bpfkit_vm__free(vm);
	bpfkit_prog__free(p);
	bpfkit_datafile__free(df);
	free(text);
	return ok;
}

int main(int argc, char **argv)
{
	static struct bpfkit_jit_opts opts;
	const char *dir = "../shared/bpf-conformance/tests";
	size_t n, failed = 0;
	char **names;

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--jit", 5) && (!argv[i][5] || argv[i][5] == '=')) {
			opts.blind = strstr(argv[i], "blind") != NULL;
			opts.retpoline = strstr(argv[i], "retpoline") != NULL;
			jit_opts = &opts;
		} else {
			dir = argv[i];
		}
	}
	names = list_data_files(dir, &n);

	if (!names || !n) {
		/* Under CI a missing suite would hide every test: a failure there. */
		const char *ci = getenv("CI");

		free(names);
		if (ci && !strcmp(ci, "true")) {
			printf("1..1\nnot ok 1 - no conformance tests (*.data) at %s (CI=true needs them)\n", dir);
			return 1;
		}
		printf("1..0 # SKIP conformance suite not found at %s\n", dir);
		printf("ok 1 # SKIP conformance suite not found at %s\n", dir);
		return 0;
	}
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		char why[512] = "";
		if (run_file(dir, names[i], why, sizeof(why))) {
			printf("ok %zu - %s\n", i + 1, names[i]);
		} else {
			printf("not ok %zu - %s: %s\n", i + 1, names[i], why);
			failed++;
		}
		free(names[i]);
	}
	free(names);
	printf("# %zu of %zu passed\n", n - failed, n);
	return failed ? 1 : 0;
}
