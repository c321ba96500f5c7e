// SPDX-License-Identifier: MIT
/*
 * ELF objects: small C programs compiled with `clang -target bpf -O2 -g -c`
 * at test time (skipped, with the reason, when clang is missing) read back
 * with their sections, symbols and relocations; the writer's objects read
 * back the same, open with libbpf (dlopen'ed, so only this test needs it)
 * and disassemble with llvm-objdump; and damaged objects (truncated at every
 * 16th byte, header bytes flipped, each malformed field the reader checks)
 * give errors that say what is wrong, never a crash.
 */
#include <dlfcn.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#if __has_include(<bpf/libbpf.h>)
#include <bpf/libbpf.h> /* prototypes only: libbpf is dlopen'ed */
#define HAVE_LIBBPF_H 1
#endif

#include <bpfkit/isa.h>

/* ---- compiling test programs ------------------------------------------------- */

static char tmpdir[64];
static bool have_clang;

#define SEC_DEFS                                                                          \
	"#define SEC(n) __attribute__((section(n), used))\n"                                   \
	"#define __uint(name, val) int (*name)[val]\n"                                           \
	"#define __type(name, val) typeof(val) *name\n"                                          \
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n"

/* A BTF-defined map and a helper call. */
static const char maps_c[] = SEC_DEFS
	"struct { __uint(type, 1); __uint(max_entries, 4); __type(key, int); __type(value, long); }"
	" counts SEC(\".maps\");\n"
	"static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;\n"
	"SEC(\"tracepoint/syscalls/sys_enter_openat\") int on_open(void *ctx)\n"
	"{ int k = 0; long *v = bpf_map_lookup_elem(&counts, &k);\n"
	"  if (v) __sync_fetch_and_add(v, 1); return 0; }\n";

/* Subprograms in .text, called from a program section. */
static const char subprog_c[] = SEC_DEFS
	"__attribute__((noinline)) static int twice(int x) { return x * 2 + 1; }\n"
	"__attribute__((noinline)) int thrice(int x) { return x * 3 - 1; }\n"
	"SEC(\"xdp\") int xdp_prog(unsigned long *ctx)\n"
	"{ int r = twice(ctx[0]); if (ctx[1] > 7) r += thrice(ctx[2]); return r; }\n";

/* Global data in .bss, .data and .rodata. */
static const char globals_c[] = SEC_DEFS
	"int counter;\n"
	"long table[4] = { 1, 2, 3, 4 };\n"
	"static volatile const int limit = 9;\n"
	"SEC(\"socket\") int sock(unsigned long *ctx)\n"
	"{ counter++; table[ctx[0] & 3] += limit; return 0; }\n";

/* Write @p src to TMP/NAME.c and compile it to TMP/NAME.o; returns the
 * object's bytes (caller frees) or NULL. */
static unsigned char *compile(const char *name, const char *src, size_t *len)
{
	char c[256], o[256], cmd[1024];
	unsigned char *buf = NULL;
	FILE *f;
	long n;

	snprintf(c, sizeof(c), "%s/%s.c", tmpdir, name);
	snprintf(o, sizeof(o), "%s/%s.o", tmpdir, name);
	f = fopen(c, "w");
	if (!f)
		return NULL;
	fputs(src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "clang -target bpf -O2 -g -c '%s' -o '%s' 2>/dev/null", c, o);
	if (system(cmd) != 0)
		return NULL;
	f = fopen(o, "rb");
	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET) &&
	    (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/bpfkit-elf-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	have_clang = system("clang --version >/dev/null 2>&1") == 0 &&
		     system("clang -target bpf -print-targets >/dev/null 2>&1") == 0;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

#define NEED_CLANG()                                                                       \
	do {                                                                                   \
		if (!have_clang) {                                                             \
			print_message("# SKIP clang with the bpf target is not installed\n");     \
			skip();                                                                \
		}                                                                              \
	} while (0)

/* ---- reading what clang wrote ------------------------------------------------------ */

struct objs {
	struct bpfkit_prog **p;
	size_t n;
};

static void objs_free(struct objs *o)
{
	for (size_t i = 0; i < o->n; i++)
		bpfkit_prog__free(o->p[i]);
	free(o->p);
	o->p = NULL;
	o->n = 0;
}

static struct objs read_ok(const void *buf, size_t len)
{
	struct objs o = { 0 };
	struct bpfkit_diag d;

	if (bpfkit_elf_read(buf, len, &o.p, &o.n, &d))
		fail_msg("bpfkit_elf_read: %s", d.msg);
	return o;
}

static struct bpfkit_prog *find_prog(const struct objs *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->p[i]->name, name))
			return o->p[i];
	return NULL;
}

static const struct bpfkit_sym *find_sym(const struct bpfkit_prog *p, const char *name)
{
	for (size_t i = 0; i < p->nsyms; i++)
		if (!strcmp(p->syms[i].name, name))
			return &p->syms[i];
	return NULL;
}

static const struct bpfkit_reloc *find_reloc(const struct bpfkit_prog *p, const char *name)
{
	for (size_t i = 0; i < p->nrelocs; i++)
		if (!strcmp(p->relocs[i].name, name))
			return &p->relocs[i];
	return NULL;
}

static void test_read_maps(void **state)
{
	const struct bpfkit_reloc *r;
	struct bpfkit_prog *p;
	unsigned char *buf;
	struct objs o;
	size_t len;

	(void)state;
	NEED_CLANG();
	buf = compile("maps", maps_c, &len);
	assert_non_null(buf);
	o = read_ok(buf, len);
	assert_int_equal(o.n, 1);
	p = find_prog(&o, "tracepoint/syscalls/sys_enter_openat");
	assert_non_null(p);
	assert_non_null(find_sym(p, "on_open"));
	assert_int_equal(find_sym(p, "on_open")->insn, 0);
	assert_string_equal(p->syms[0].name, "on_open");
	r = find_reloc(p, "counts");
	assert_non_null(r);
	assert_int_equal(r->kind, BPFKIT_RELOC_MAP);
	assert_int_equal(p->insns[r->insn].code, BPFKIT_OP_LDDW);
	/* the helper call is there and prints by name */
	char *t = bpfkit_disasm(p, &(struct bpfkit_disasm_opts){ .dialect = BPFKIT_DIALECT_KERN });
	assert_non_null(t);
	assert_non_null(strstr(t, "on_open:\n"));
	assert_non_null(strstr(t, "r1 = counts ll\n"));
	assert_non_null(strstr(t, "call bpf_map_lookup_elem\n"));
	free(t);
	objs_free(&o);
	free(buf);
}

static void test_read_subprog(void **state)
{
	const struct bpfkit_reloc *r;
	struct bpfkit_prog *p, *text;
	unsigned char *buf;
	struct objs o;
	size_t len, calls = 0;

	(void)state;
	NEED_CLANG();
	buf = compile("subprog", subprog_c, &len);
	assert_non_null(buf);
	o = read_ok(buf, len);
	assert_int_equal(o.n, 2);
	p = find_prog(&o, "xdp");
	text = find_prog(&o, ".text");
	assert_non_null(p);
	assert_non_null(text);
	assert_non_null(find_sym(p, "xdp_prog"));
	assert_non_null(find_sym(text, "twice"));
	assert_non_null(find_sym(text, "thrice"));
	/* both calls leave the section: relocations naming the functions,
	 * resolved through the .text section symbol for the static one */
	r = find_reloc(p, "twice");
	assert_non_null(r);
	assert_int_equal(r->kind, BPFKIT_RELOC_CALL);
	assert_int_equal(p->insns[r->insn].code, BPFKIT_OP_CALL);
	r = find_reloc(p, "thrice");
	assert_non_null(r);
	assert_int_equal(r->kind, BPFKIT_RELOC_CALL);
	for (size_t i = 0; i < p->nrelocs; i++)
		calls += p->relocs[i].kind == BPFKIT_RELOC_CALL;
	assert_int_equal(calls, 2);
	/* relocations are sorted by instruction */
	for (size_t i = 1; i < p->nrelocs; i++)
		assert_true(p->relocs[i - 1].insn <= p->relocs[i].insn);
	for (size_t i = 1; i < text->nsyms; i++)
		assert_true(text->syms[i - 1].insn <= text->syms[i].insn);
	objs_free(&o);
	free(buf);
}

/* Two programs in one section, one in another, subprograms in .text. */
static const char progs_c[] = SEC_DEFS
	"__attribute__((noinline)) static int twice(int x) { return x * 2; }\n"
	"__attribute__((noinline)) static int quad(int x) { return twice(twice(x)); }\n"
	"SEC(\"xdp\") int first(unsigned char *d) { return quad(d[0]) + 1; }\n"
	"SEC(\"xdp\") int second(unsigned char *d) { return twice(d[0]); }\n"
	"SEC(\"tc\") int third(void *c) { return 9; }\n";

/* Only .text: functions without a section are subprograms, not programs. */
static const char text_only_c[] = "int f(int x) { return x + 1; }\n";

/* The slot local call @p k of @p p lands on. */
static size_t call_target(const struct bpfkit_prog *p, size_t k)
{
	assert_int_equal(p->insns[k].code, BPFKIT_OP_CALL);
	assert_int_equal(p->insns[k].src, BPFKIT_CALL_LOCAL);
	return (size_t)((int64_t)k + p->insns[k].imm + 1);
}

/* bpfkit_elf_programs: programs by function, each linked with the .text
 * subprograms it calls (and only those), the calls pointed at them; map
 * references kept at their new slots. */
static void test_programs(void **state)
{
	struct bpfkit_prog **p = NULL;
	struct bpfkit_diag d;
	unsigned char *buf;
	size_t len, n = 0, calls = 0;

	(void)state;
	NEED_CLANG();
	buf = compile("progs", progs_c, &len);
	assert_non_null(buf);
	assert_int_equal(bpfkit_elf_programs(buf, len, &p, &n, &d), 0);
	assert_int_equal(n, 3);
	assert_string_equal(p[0]->name, "first");
	assert_string_equal(p[0]->section, "xdp");
	assert_string_equal(p[1]->name, "second");
	assert_string_equal(p[1]->section, "xdp");
	assert_string_equal(p[2]->name, "third");
	assert_string_equal(p[2]->section, "tc");
	/* first: its 4 slots, then quad (4), then twice (3), each once */
	assert_int_equal(p[0]->len, 11);
	assert_int_equal(p[0]->nrelocs, 0);
	assert_int_equal(find_sym(p[0], "first")->insn, 0);
	for (size_t k = 0; k < p[0]->len; k++) {
		if (p[0]->insns[k].code != BPFKIT_OP_CALL)
			continue;
		calls++;
		assert_int_equal(call_target(p[0], k),
				 find_sym(p[0], k < 4 ? "quad" : "twice")->insn);
	}
	assert_int_equal(calls, 3);
	/* second: only twice; third: no subprogram at all */
	assert_null(find_sym(p[1], "quad"));
	assert_int_equal(call_target(p[1], 1), find_sym(p[1], "twice")->insn);
	assert_int_equal(p[2]->len, 2);
	for (size_t i = 0; i < n; i++)
		bpfkit_prog__free(p[i]);
	free(p);
	free(buf);

	/* a map reference stays, at the lddw */
	buf = compile("maps", maps_c, &len);
	assert_non_null(buf);
	assert_int_equal(bpfkit_elf_programs(buf, len, &p, &n, &d), 0);
	assert_int_equal(n, 1);
	assert_string_equal(p[0]->name, "on_open");
	assert_string_equal(p[0]->section, "tracepoint/syscalls/sys_enter_openat");
	assert_non_null(find_reloc(p[0], "counts"));
	assert_int_equal(p[0]->insns[find_reloc(p[0], "counts")->insn].code, BPFKIT_OP_LDDW);
	bpfkit_prog__free(p[0]);
	free(p);
	free(buf);

	/* nothing but .text: no program, and the error says why */
	buf = compile("text_only", text_only_c, &len);
	assert_non_null(buf);
	assert_int_equal(bpfkit_elf_programs(buf, len, &p, &n, &d), -ENOENT);
	assert_non_null(strstr(d.msg, "every function is in .text"));
	assert_int_equal(n, 0);
	free(buf);
}

static void test_read_globals(void **state)
{
	const struct bpfkit_reloc *r;
	struct bpfkit_prog *p;
	unsigned char *buf;
	struct objs o;
	size_t len;
	bool rodata = false;

	(void)state;
	NEED_CLANG();
	buf = compile("globals", globals_c, &len);
	assert_non_null(buf);
	o = read_ok(buf, len);
	p = find_prog(&o, "socket");
	assert_non_null(p);
	r = find_reloc(p, "counter");
	assert_non_null(r);
	assert_int_equal(r->kind, BPFKIT_RELOC_MAP_VALUE);
	r = find_reloc(p, "table");
	assert_non_null(r);
	assert_int_equal(r->kind, BPFKIT_RELOC_MAP_VALUE);
	for (size_t i = 0; i < p->nrelocs; i++) {
		if (!strncmp(p->relocs[i].name, ".rodata", 7)) {
			rodata = true;
			assert_int_equal(p->relocs[i].kind, BPFKIT_RELOC_MAP_VALUE);
		}
		assert_int_equal(p->insns[p->relocs[i].insn].code, BPFKIT_OP_LDDW);
	}
	assert_true(rodata);
	objs_free(&o);
	free(buf);
}

/* ---- writing ------------------------------------------------------------------------ */

static void assert_same_prog(const struct bpfkit_prog *a, const struct bpfkit_prog *b)
{
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->insns, b->insns, a->len * sizeof(*a->insns));
	assert_int_equal(a->nsyms, b->nsyms);
	for (size_t i = 0; i < a->nsyms; i++) {
		assert_non_null(find_sym(b, a->syms[i].name));
		assert_int_equal(find_sym(b, a->syms[i].name)->insn, a->syms[i].insn);
	}
	assert_int_equal(a->nrelocs, b->nrelocs);
	for (size_t i = 0; i < a->nrelocs; i++) {
		assert_int_equal(a->relocs[i].insn, b->relocs[i].insn);
		assert_int_equal(a->relocs[i].kind, b->relocs[i].kind);
		assert_string_equal(a->relocs[i].name, b->relocs[i].name);
	}
}

/* Read what clang wrote, write it, read that: the same programs. */
static void roundtrip_file(const char *name, const char *src)
{
	struct objs a, b;
	struct bpfkit_diag d;
	unsigned char *buf;
	void *out;
	size_t len, olen;

	buf = compile(name, src, &len);
	assert_non_null(buf);
	a = read_ok(buf, len);
	if (bpfkit_elf_write(a.p, a.n, &out, &olen, &d))
		fail_msg("%s: bpfkit_elf_write: %s", name, d.msg);
	b = read_ok(out, olen);
	assert_int_equal(a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		assert_same_prog(a.p[i], b.p[i]);
	objs_free(&a);
	objs_free(&b);
	free(out);
	free(buf);
}

static void test_write_read_clang(void **state)
{
	(void)state;
	NEED_CLANG();
	roundtrip_file("maps", maps_c);
	roundtrip_file("subprog", subprog_c);
	roundtrip_file("globals", globals_c);
}

/* Two hand-made programs without maps: a named one with labels and a local
 * call, and an unnamed one (section "prog", function named after it). */
static struct bpfkit_insn prog_a[] = {
	{ .code = 0xb7, .dst = 0, .imm = 0 },	   { .code = 0x15, .dst = 1, .off = 1 },
	{ .code = 0x85, .src = 1, .imm = 1 },	   { .code = 0x95 },
	{ .code = 0xb7, .dst = 0, .imm = 7 },	   { .code = 0x95 },
};
static struct bpfkit_sym syms_a[] = { { "xdp_main", 0 }, { "out", 3 }, { "sub", 4 } };
static struct bpfkit_insn prog_b[] = { { .code = 0xb7, .dst = 0, .imm = 2 }, { .code = 0x95 } };

static void make_progs(struct bpfkit_prog *a, struct bpfkit_prog *b)
{
	*a = (struct bpfkit_prog){ .name = "xdp", .insns = prog_a, .len = 6, .syms = syms_a,
				   .nsyms = 3 };
	*b = (struct bpfkit_prog){ .name = NULL, .insns = prog_b, .len = 2 };
}

static void test_write_read(void **state)
{
	struct bpfkit_prog a, b, *progs[2] = { &a, &b };
	struct bpfkit_diag d;
	struct objs o;
	void *out;
	size_t len;

	(void)state;
	make_progs(&a, &b);
	assert_int_equal(bpfkit_elf_write(progs, 2, &out, &len, &d), 0);
	o = read_ok(out, len);
	assert_int_equal(o.n, 2);
	assert_same_prog(&a, o.p[0]);
	assert_string_equal(o.p[1]->name, "prog");
	assert_int_equal(o.p[1]->len, 2);
	assert_memory_equal(o.p[1]->insns, prog_b, sizeof(prog_b));
	assert_int_equal(o.p[1]->nsyms, 1);
	assert_string_equal(o.p[1]->syms[0].name, "prog");
	objs_free(&o);
	free(out);
}

/* Relocations of every kind survive a write and a read. */
static void test_write_read_relocs(void **state)
{
	struct bpfkit_insn in[] = {
		{ .code = 0x18, .dst = 1 }, { 0 }, { .code = 0x18, .dst = 2, .imm = 8 }, { 0 },
		{ .code = 0x18, .dst = 3 }, { 0 }, { .code = 0x18, .dst = 4 },		 { 0 },
		{ .code = 0x85, .src = 1, .imm = -1 }, { .code = 0x95 },
	};
	struct bpfkit_reloc rel[] = {
		{ 0, BPFKIT_RELOC_MAP, "my_map" },   { 2, BPFKIT_RELOC_MAP_VALUE, ".rodata" },
		{ 4, BPFKIT_RELOC_MAP_VALUE, "var" }, { 6, BPFKIT_RELOC_OTHER, "ext" },
		{ 8, BPFKIT_RELOC_CALL, "helper_fn" },
	};
	struct bpfkit_insn sub[] = { { .code = 0xb7 }, { .code = 0x95 } };
	struct bpfkit_sym subsym[] = { { "helper_fn", 0 } };
	struct bpfkit_prog p = { .name = "socket", .insns = in, .len = 10, .relocs = rel, .nrelocs = 5 };
	struct bpfkit_prog t = { .name = ".text", .insns = sub, .len = 2, .syms = subsym, .nsyms = 1 };
	struct bpfkit_prog *progs[] = { &p, &t };
	struct bpfkit_diag d;
	struct objs o;
	void *out;
	size_t len;

	(void)state;
	assert_int_equal(bpfkit_elf_write(progs, 2, &out, &len, &d), 0);
	o = read_ok(out, len);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.p[0]->nrelocs, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(o.p[0]->relocs[i].insn, rel[i].insn);
		assert_int_equal(o.p[0]->relocs[i].kind, rel[i].kind);
		assert_string_equal(o.p[0]->relocs[i].name, rel[i].name);
	}
	assert_same_prog(&t, o.p[1]);
	objs_free(&o);
	free(out);
}

static void test_write_errors(void **state)
{
	struct bpfkit_insn one = { .code = 0x95 };
	struct bpfkit_reloc bad = { 5, BPFKIT_RELOC_MAP, "m" };
	struct bpfkit_prog p = { .insns = &one, .len = 1 }, *progs[] = { &p };
	struct bpfkit_diag d;
	void *out = NULL;
	size_t len;

	(void)state;
	assert_int_equal(bpfkit_elf_write(progs, 0, &out, &len, &d), -EINVAL);
	assert_int_equal(bpfkit_elf_write(NULL, 1, &out, &len, &d), -EINVAL);
	p.len = 0;
	assert_int_equal(bpfkit_elf_write(progs, 1, &out, &len, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "no instructions"));
	p.len = 1;
	p.relocs = &bad;
	p.nrelocs = 1;
	assert_int_equal(bpfkit_elf_write(progs, 1, &out, &len, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "relocation 0"));
	assert_null(out);
}

#ifdef HAVE_LIBBPF_H
/* libbpf, loaded at run time so that only this test depends on it. */
struct libbpf_api {
	void *h;
	typeof(&bpf_object__open_mem) open_mem;
	typeof(&bpf_object__next_program) next_program;
	typeof(&bpf_program__name) prog_name;
	typeof(&bpf_program__section_name) sec_name;
	typeof(&bpf_object__close) close;
	typeof(&libbpf_set_print) set_print;
};

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static bool libbpf_load(struct libbpf_api *l)
{
	l->h = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!l->h)
		return false;
	l->open_mem = (typeof(l->open_mem))dlsym(l->h, "bpf_object__open_mem");
	l->next_program = (typeof(l->next_program))dlsym(l->h, "bpf_object__next_program");
	l->prog_name = (typeof(l->prog_name))dlsym(l->h, "bpf_program__name");
	l->sec_name = (typeof(l->sec_name))dlsym(l->h, "bpf_program__section_name");
	l->close = (typeof(l->close))dlsym(l->h, "bpf_object__close");
	l->set_print = (typeof(l->set_print))dlsym(l->h, "libbpf_set_print");
	if (!l->open_mem || !l->next_program || !l->prog_name || !l->sec_name || !l->close ||
	    !l->set_print) {
		dlclose(l->h);
		return false;
	}
	l->set_print(quiet);
	return true;
}

static void test_libbpf_opens(void **state)
{
	struct bpfkit_prog a, b, *progs[2] = { &a, &b };
	struct bpf_object *obj;
	struct bpf_program *bp;
	struct libbpf_api l = { 0 };
	struct bpfkit_diag d;
	bool saw_a = false, saw_b = false;
	void *out;
	size_t len;

	(void)state;
	if (!libbpf_load(&l)) {
		print_message("# SKIP libbpf.so.1 is not installed\n");
		skip();
	}
	make_progs(&a, &b);
	assert_int_equal(bpfkit_elf_write(progs, 2, &out, &len, &d), 0);
	obj = l.open_mem(out, len, NULL);
	assert_non_null(obj);
	assert_true((uintptr_t)obj < (uintptr_t)-4095);
	for (bp = l.next_program(obj, NULL); bp; bp = l.next_program(obj, bp)) {
		if (!strcmp(l.prog_name(bp), "xdp_main") && !strcmp(l.sec_name(bp), "xdp"))
			saw_a = true;
		if (!strcmp(l.prog_name(bp), "prog") && !strcmp(l.sec_name(bp), "prog"))
			saw_b = true;
	}
	assert_true(saw_a);
	assert_true(saw_b);
	l.close(obj);
	dlclose(l.h);
	free(out);
}
#else
static void test_libbpf_opens(void **state)
{
	(void)state;
	print_message("# SKIP libbpf headers (libbpf-dev) are not installed\n");
	skip();
}
#endif

static void test_llvm_objdump(void **state)
{
	struct bpfkit_prog a, b, *progs[2] = { &a, &b };
	struct bpfkit_diag d;
	char path[256], cmd[512], line[512];
	bool sym = false, call = false, label = false, exit_ = false;
	void *out;
	size_t len;
	FILE *f;

	(void)state;
	if (system("llvm-objdump --version >/dev/null 2>&1") != 0) {
		print_message("# SKIP llvm-objdump is not installed\n");
		skip();
	}
	make_progs(&a, &b);
	assert_int_equal(bpfkit_elf_write(progs, 2, &out, &len, &d), 0);
	snprintf(path, sizeof(path), "%s/written.o", tmpdir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(out, 1, len, f), len);
	fclose(f);
	free(out);
	snprintf(cmd, sizeof(cmd), "llvm-objdump -d '%s' 2>&1", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		sym |= strstr(line, "<xdp_main>:") != NULL;
		label |= strstr(line, "<out>:") != NULL;
		call |= strstr(line, "85 10 00 00 01 00 00 00") != NULL;
		exit_ |= strstr(line, "exit") != NULL;
	}
	assert_int_equal(pclose(f), 0);
	assert_true(sym);
	assert_true(label);
	assert_true(call);
	assert_true(exit_);
}

/* ---- damaged objects ----------------------------------------------------------------- */

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* The section header of the section named @p name in an ELF64 LE object. */
static unsigned char *shdr_named(unsigned char *buf, const char *name)
{
	uint64_t shoff = get64(buf + 40);
	unsigned shnum = buf[60] | buf[61] << 8, shstrndx = buf[62] | buf[63] << 8;
	unsigned char *strsh = buf + shoff + (uint64_t)shstrndx * 64;
	const char *strs = (const char *)buf + get64(strsh + 24);

	for (unsigned i = 0; i < shnum; i++) {
		unsigned char *sh = buf + shoff + (uint64_t)i * 64;
		uint32_t n = sh[0] | sh[1] << 8 | sh[2] << 16 | (uint32_t)sh[3] << 24;
		if (!strcmp(strs + n, name))
			return sh;
	}
	return NULL;
}

static void expect_error(const unsigned char *buf, size_t len, const char *words)
{
	struct bpfkit_prog **p = NULL;
	struct bpfkit_diag d;
	size_t n = 0;

	if (bpfkit_elf_read(buf, len, &p, &n, &d) == 0)
		fail_msg("a damaged object was read (expected an error with '%s')", words);
	if (!strstr(d.msg, words))
		fail_msg("error '%s' does not mention '%s'", d.msg, words);
	assert_null(p);
	assert_int_equal(n, 0);
}

/* Read anything; if it reads, disassemble and write it too. Never crash. */
static void read_anything(const unsigned char *buf, size_t len)
{
	struct bpfkit_prog **p = NULL;
	struct bpfkit_diag d;
	size_t n = 0;

	if (bpfkit_elf_read(buf, len, &p, &n, &d)) {
		assert_true(d.msg[0] != '\0');
		return;
	}
	for (size_t i = 0; i < n; i++) {
		free(bpfkit_disasm(p[i], NULL));
		bpfkit_prog__free(p[i]);
	}
	free(p);
}

static void test_damaged(void **state)
{
	unsigned char *buf, *copy;
	size_t len;

	(void)state;
	NEED_CLANG();
	buf = compile("subprog", subprog_c, &len);
	assert_non_null(buf);
	copy = malloc(len);
	assert_non_null(copy);

	/* truncated anywhere: an error (the section headers are at the end) */
	for (size_t cut = 0; cut < len; cut += 16)
		expect_error(buf, cut, "truncated");
	expect_error(buf, 63, "ELF header");

	/* every header byte, and every byte of the section header table, flipped */
	for (size_t i = 0; i < 64; i++) {
		memcpy(copy, buf, len);
		copy[i] ^= 0xff;
		read_anything(copy, len);
	}
	for (size_t i = get64(buf + 40); i < len; i++) {
		memcpy(copy, buf, len);
		copy[i] ^= 0xff;
		read_anything(copy, len);
		memcpy(copy, buf, len);
		copy[i] ^= 0x01;
		read_anything(copy, len);
	}

	/* named cases */
	memcpy(copy, buf, len);
	copy[5] = 2; /* EI_DATA: big-endian */
	expect_error(copy, len, "big-endian");
	memcpy(copy, buf, len);
	copy[18] = 62; /* x86-64 */
	expect_error(copy, len, "not an eBPF object");
	memcpy(copy, buf, len);
	copy[4] = 1; /* ELFCLASS32 */
	expect_error(copy, len, "64-bit");
	memcpy(copy, buf, len);
	copy[0] = 'X';
	expect_error(copy, len, "not an ELF file");

	memcpy(copy, buf, len);
	unsigned char *sh = shdr_named(copy, "xdp");
	assert_non_null(sh);
	put64(sh + 32, get64(sh + 32) - 4); /* size not a multiple of 8 */
	expect_error(copy, len, "section xdp: size");
	memcpy(copy, buf, len);
	sh = shdr_named(copy, "xdp");
	put64(sh + 24, len - 8); /* data past the end of the file */
	expect_error(copy, len, "outside the file");

	/* relocations: offset outside, offset unaligned, symbol out of range */
	memcpy(copy, buf, len);
	sh = shdr_named(copy, ".relxdp");
	assert_non_null(sh);
	unsigned char *rel = copy + get64(sh + 24);
	put64(rel, 0x100000);
	expect_error(copy, len, "outside section xdp");
	memcpy(copy, buf, len);
	rel = copy + get64(shdr_named(copy, ".relxdp") + 24);
	put64(rel, get64(rel) + 3);
	expect_error(copy, len, "not on an instruction boundary");
	memcpy(copy, buf, len);
	rel = copy + get64(shdr_named(copy, ".relxdp") + 24);
	put64(rel + 8, (get64(rel + 8) & 0xffffffff) | (uint64_t)0x7fff << 32);
	expect_error(copy, len, "does not exist");

	/* a symbol not on an instruction boundary */
	memcpy(copy, buf, len);
	sh = shdr_named(copy, ".symtab");
	assert_non_null(sh);
	{
		unsigned char *syms = copy + get64(sh + 24);
		size_t nsyms = get64(sh + 32) / 24;
		bool done = false;
		unsigned xdp = (unsigned)((shdr_named(copy, "xdp") - (copy + get64(copy + 40))) / 64);
		for (size_t i = 1; i < nsyms && !done; i++) {
			unsigned char *s = syms + i * 24;
			if ((unsigned)(s[6] | s[7] << 8) == xdp && (s[4] & 0xf) == 2 /* STT_FUNC */) {
				put64(s + 8, get64(s + 8) + 4);
				done = true;
			}
		}
		assert_true(done);
		expect_error(copy, len, "not on an instruction boundary");
	}

	/* no executable section at all */
	memcpy(copy, buf, len);
	for (const char *nm = "xdp"; nm; nm = strcmp(nm, "xdp") ? NULL : ".text") {
		sh = shdr_named(copy, nm);
		sh[8] &= (unsigned char)~0x4; /* clear SHF_EXECINSTR */
	}
	expect_error(copy, len, "no programs");
	free(copy);
	free(buf);
}

/* A tiny hand-made header: every short length and odd table is an error. */
static void test_damaged_small(void **state)
{
	unsigned char b[128] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	struct bpfkit_prog **p;
	struct bpfkit_diag d;
	size_t n;

	(void)state;
	expect_error(b, 0, "truncated");
	assert_int_equal(bpfkit_elf_read(NULL, 0, &p, &n, &d), -EINVAL);
	b[18] = 247;
	expect_error(b, sizeof(b), "no section headers");
	put64(b + 40, 64); /* shoff */
	b[58] = 64;	   /* shentsize */
	b[60] = 0xff;	   /* 255 sections: do not fit */
	expect_error(b, sizeof(b), "do not fit");
	b[60] = 1;
	b[62] = 5; /* shstrndx past the table */
	expect_error(b, sizeof(b), "name table index");
	b[58] = 40;
	expect_error(b, sizeof(b), "section header size");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_maps),
		cmocka_unit_test(test_read_subprog),
		cmocka_unit_test(test_read_globals),
		cmocka_unit_test(test_programs),
		cmocka_unit_test(test_write_read_clang),
		cmocka_unit_test(test_write_read),
		cmocka_unit_test(test_write_read_relocs),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_libbpf_opens),
		cmocka_unit_test(test_llvm_objdump),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_damaged_small),
	};

	return cmocka_run_group_tests_name("elf", tests, setup, teardown);
}
