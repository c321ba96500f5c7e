// SPDX-License-Identifier: MIT
/*
 * Unit tests of the tracing-language parser: precedence, statements,
 * probes, C definitions, locations, diagnostics and their format, limits,
 * and the data-driven parts:
 *  - golden files: tests/data/lang/NAME.bt parses to NAME.ast (scripts whose
 *    name starts with loc_ are dumped with locations); errors/NAME.bt fails
 *    with the diagnostics in NAME.err. UPDATE_GOLDEN=1 rewrites the expected
 *    files instead of comparing (review the diff before keeping it);
 *  - bpftrace's own tools (the .bt files in /usr/sbin) must all parse when
 *    bpftrace is installed.
 * The data directory is $BPFKIT_TEST_DATA (default tests/data); the tools
 * directory $BPFKIT_BPFTRACE_TOOLS (default /usr/sbin).
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <bpfkit/isa.h>
#include <bpfkit/lang.h>

#include "lang/lang_int.h"

/* ---- Helpers ------------------------------------------------------------------------ */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t got;

		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, 4096, f);
		n += got;
		if (got < 4096)
			break;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

static const char *data_dir(void)
{
	const char *d = getenv("BPFKIT_TEST_DATA");

	return d && *d ? d : "tests/data";
}

/* Parse @p src; returns the error code, the compilation in *l. */
static int parse(const char *src, struct bpfkit_lang **l, struct bpfkit_ast_program **prog)
{
	*l = bpfkit_lang__new("t.bt", src, strlen(src));
	assert_non_null(*l);
	return bpfkit_lang__parse(*l, prog);
}

/* The dump of a program that must parse (malloc'd). */
static char *dump_of(const char *src, unsigned flags)
{
	struct bpfkit_ast_program *prog;
	struct bpfkit_lang *l;
	char *out = NULL;
	size_t n = 0;
	FILE *f;
	int err = parse(src, &l, &prog);

	if (err)
		fail_msg("parse of [%s] failed: %s", src, bpfkit_lang__diags(l) ? bpfkit_lang__diags(l)->msg : "?");
	f = open_memstream(&out, &n);
	assert_int_equal(bpfkit_ast_dump(prog, flags, f), 0);
	fclose(f);
	bpfkit_lang__free(l);
	return out;
}

/* The value of "$x = EXPR" as a one-line S-expression. */
static void check_expr(const char *expr, const char *want)
{
	char src[512], *out = NULL;
	struct bpfkit_ast_program *prog;
	struct bpfkit_lang *l;
	size_t n = 0;
	FILE *f;

	snprintf(src, sizeof(src), "BEGIN { $x = %s; }", expr);
	if (parse(src, &l, &prog))
		fail_msg("parse of [%s] failed: %s", expr, bpfkit_lang__diags(l)->msg);
	assert_int_equal(prog->probes[0]->body->n, 1);
	assert_int_equal(prog->probes[0]->body->stmts[0]->kind, BPFKIT_STMT_ASSIGN);
	f = open_memstream(&out, &n);
	bpfkit_ast_dump_expr(prog->probes[0]->body->stmts[0]->u.assign.value, 0, f);
	fclose(f);
	if (strcmp(out, want))
		fail_msg("%s\n  got  %s\n  want %s", expr, out, want);
	free(out);
	bpfkit_lang__free(l);
}

/* All diagnostics of a failing parse, formatted (malloc'd). */
static char *errors_of(const char *file, const char *src, size_t len)
{
	struct bpfkit_ast_program *prog = (void *)1;
	struct bpfkit_lang *l = bpfkit_lang__new(file, src, len);
	char *out = NULL;
	size_t n = 0;
	FILE *f;
	int err;

	assert_non_null(l);
	err = bpfkit_lang__parse(l, &prog);
	assert_int_equal(err, -EINVAL);
	assert_null(prog);
	f = open_memstream(&out, &n);
	for (const struct bpfkit_lang_diag *d = bpfkit_lang__diags(l); d; d = d->next)
		assert_int_equal(bpfkit_lang_diag_format(d, src, len, 0, f), 0);
	fclose(f);
	bpfkit_lang__free(l);
	return out;
}

/* The first diagnostic of @p src must be @p msg at @p line:@p col. */
static void check_error(const char *src, int line, int col, const char *msg)
{
	struct bpfkit_ast_program *prog;
	const struct bpfkit_lang_diag *d;
	struct bpfkit_lang *l;

	assert_int_equal(parse(src, &l, &prog), -EINVAL);
	d = bpfkit_lang__diags(l);
	assert_non_null(d);
	if (strcmp(d->msg, msg) || d->loc.line != line || d->loc.col != col)
		fail_msg("[%s]\n  got  %d:%d %s\n  want %d:%d %s", src, d->loc.line, d->loc.col, d->msg, line, col, msg);
	bpfkit_lang__free(l);
}

/* ---- Expressions --------------------------------------------------------------------- */

static void test_precedence(void **state)
{
	(void)state;
	check_expr("1 + 2 * 3", "(+ 1 (* 2 3))");
	check_expr("1 * 2 + 3", "(+ (* 1 2) 3)");
	check_expr("10 - 2 - 3", "(- (- 10 2) 3)");
	check_expr("8 / 4 / 2", "(/ (/ 8 4) 2)");
	check_expr("1 << 2 + 3", "(<< 1 (+ 2 3))");
	check_expr("1 < 2 == 3 > 4", "(== (< 1 2) (> 3 4))");
	check_expr("1 & 2 == 3", "(& 1 (== 2 3))");
	check_expr("1 | 2 ^ 3 & 4", "(| 1 (^ 2 (& 3 4)))");
	check_expr("1 || 2 && 3", "(|| 1 (&& 2 3))");
	check_expr("1 && 2 | 3", "(&& 1 (| 2 3))");
	check_expr("a ? b : c ? d : e", "(?: a b (?: c d e))");
	check_expr("a ? b ? c : d : e", "(?: a (?: b c d) e)");
	check_expr("a || b ? c : d", "(?: (|| a b) c d)");
	check_expr("(1 + 2) * 3", "(* (+ 1 2) 3)");
	check_expr("!a == b", "(== (! a) b)");
	check_expr("-a * b", "(* (neg a) b)");
	check_expr("~a + !b - -c", "(- (+ (~ a) (! b)) (neg c))");
	check_expr("*$p + 1", "(+ (deref $p) 1)");
	check_expr("*$p->a", "(deref (-> $p a))");
	check_expr("&$x", "(addr $x)");
	check_expr("+$x", "(plus $x)");
	check_expr("!!$x", "(! (! $x))");
	check_expr("1 - -2", "(- 1 -2)");
	check_expr("- 5", "-5");
	check_expr("-(5)", "(neg 5)");
	check_expr("-9223372036854775808", "-9223372036854775808");
	check_expr("-$t.0", "(neg (. $t 0))");
	check_expr("$a % $b * $c", "(* (% $a $b) $c)");
	check_expr("$a >> 1 << 2", "(<< (>> $a 1) 2)");
	check_expr("$a <= $b >= $c", "(>= (<= $a $b) $c)");
}

static void test_postfix_and_primary(void **state)
{
	(void)state;
	check_expr("args->filename", "(-> args filename)");
	check_expr("args.filename", "(. args filename)");
	check_expr("$s->a.b[2]->c", "(-> ([] (. (-> $s a) b) 2) c)");
	check_expr("$t.1.0", "(. (. $t 1) 0)");
	check_expr("$p->if", "(-> $p if)");
	check_expr("@m[1, \"a\"]", "(map @m 1 \"a\")");
	check_expr("@m[(1, 2)]", "(map @m (tuple 1 2))");
	check_expr("@", "@");
	check_expr("@m[1][2]", "([] (map @m 1) 2)");
	check_expr("(1, \"two\", (3, 4))", "(tuple 1 \"two\" (tuple 3 4))");
	check_expr("((1))", "1");
	check_expr("count()", "(call count)");
	check_expr("printf(\"%d\\n\", pid)", "(call printf \"%d\\n\" pid)");
	check_expr("kstack(perf, 3)", "(call kstack perf 3)");
	check_expr("$1 + $#", "(+ $1 $#)");
	check_expr("\"a\\tb\\x41\\101\\0\"", "\"a\\tbAA\\x00\"");
	check_expr("'x'", "120");
	check_expr("0x10 + 010 + 1_0 + 1e2 + 5ull", "(+ (+ (+ (+ 16 8) 10) 100) 5)");
	check_expr("$x++", "(post++ $x)");
	check_expr("--@m[1]", "(pre-- (map @m 1))");
	check_expr("@c++ + 1", "(+ (post++ @c) 1)");
}

static void test_casts(void **state)
{
	(void)state;
	check_expr("(uint32)$x", "(cast uint32 $x)");
	check_expr("(uint32)-1", "(cast uint32 -1)");
	check_expr("(int8 *)$p", "(cast (* int8) $p)");
	check_expr("(struct task_struct *)curtask", "(cast (* (struct task_struct)) curtask)");
	check_expr("(struct task_struct *)curtask->parent", "(cast (* (struct task_struct)) (-> curtask parent))");
	check_expr("((struct task_struct *)curtask)->parent", "(-> (cast (* (struct task_struct)) curtask) parent)");
	check_expr("(union u)$x", "(cast (union u) $x)");
	check_expr("(uint8[4])$a", "(cast ([] uint8 4) $a)");
	check_expr("(string[16])$a", "(cast ([] string 16) $a)");
	check_expr("(u64)arg0", "(cast u64 arg0)");
	check_expr("(u64 **)arg0", "(cast (* (* u64)) arg0)");
	check_expr("(u64)-1", "(cast u64 -1)");
	check_expr("(u64) *$p", "(cast u64 (deref $p))");
	check_expr("(uint32)(uint8)$x", "(cast uint32 (cast uint8 $x))");
	check_expr("-(int8)$x", "(neg (cast int8 $x))");
	/* a builtin or a parenthesised name followed by an operator is no cast */
	check_expr("(pid) - 1", "(- pid 1)");
	check_expr("(arg0) * 2", "(* arg0 2)");
	check_expr("(x) + 1", "(+ x 1)");
	check_expr("(x) & 1", "(& x 1)");
	check_expr("(x)", "x");
	check_expr("(x * y)", "(* x y)");
	check_expr("sizeof(struct task_struct)", "(sizeof (type (struct task_struct)))");
	check_expr("sizeof(uint32)", "(sizeof (type uint32))");
	check_expr("sizeof(u64 *)", "(sizeof (type (* u64)))");
	check_expr("sizeof($x)", "(sizeof $x)");
	check_expr("sizeof(x)", "(sizeof x)");
	check_expr("offsetof(struct sock, __sk_common.skc_family)",
		   "(offsetof (type (struct sock)) __sk_common.skc_family)");
	check_expr("offsetof(*curtask, comm)", "(offsetof (deref curtask) comm)");
}

/* ---- Statements and probes -------------------------------------------------------------- */

static void check_dump(const char *src, const char *want)
{
	char *out = dump_of(src, 0);

	if (strcmp(out, want))
		fail_msg("[%s]\n--- got\n%s--- want\n%s", src, out, want);
	free(out);
}

static void test_statements(void **state)
{
	(void)state;
	check_dump("BEGIN { @x = 1; $y += 2; @m[1] <<= 3; print(@x) }",
		   "(program\n  (probe\n    (attach BEGIN)\n    (block\n      (= @x 1)\n      (+= $y 2)\n"
		   "      (<<= (map @m 1) 3)\n      (call print @x))))\n");
	check_dump("BEGIN { if (a) { } else if (b) { x } else { y; } }",
		   "(program\n  (probe\n    (attach BEGIN)\n    (block\n      (if a\n        (block)\n"
		   "        (else\n          (if b\n            (block\n              x)\n            (else\n"
		   "              (block\n                y))))))))\n");
	check_dump("BEGIN { while (1) { break; continue } unroll(2) { return } for ($kv : @m) { } }",
		   "(program\n  (probe\n    (attach BEGIN)\n    (block\n      (while 1\n        (block\n"
		   "          (break)\n          (continue)))\n      (unroll 2\n        (block\n          (return)))\n"
		   "      (for $kv @m\n        (block)))))\n");
	/* empty statements, bare blocks, the last ';' optional */
	check_dump("BEGIN { ; ; { a; { b } }; return 1 }",
		   "(program\n  (probe\n    (attach BEGIN)\n    (block\n      (block\n        a\n        (block\n"
		   "          b))\n      (return 1))))\n");
	check_dump("BEGIN{}END{}", "(program\n  (probe\n    (attach BEGIN)\n    (block))\n  (probe\n    (attach END)\n"
				      "    (block)))\n");
}

static void test_attach_points(void **state)
{
	static const struct {
		const char *text, *provider;
		enum bpfkit_probe_type type;
		size_t nparts;
		const char *part0, *part1;
		bool wildcard;
	} cases[] = {
		{ "BEGIN", "BEGIN", BPFKIT_PROBE_BEGIN, 0, NULL, NULL, false },
		{ "END", "END", BPFKIT_PROBE_END, 0, NULL, NULL, false },
		{ "t:sched:sched_switch", "tracepoint", BPFKIT_PROBE_TRACEPOINT, 2, "sched", "sched_switch", false },
		{ "tracepoint:syscalls:sys_enter_*", "tracepoint", BPFKIT_PROBE_TRACEPOINT, 2, "syscalls", "sys_enter_*", true },
		{ "k:vfs_read+0x10", "kprobe", BPFKIT_PROBE_KPROBE, 1, "vfs_read+0x10", NULL, false },
		{ "kr:f", "kretprobe", BPFKIT_PROBE_KRETPROBE, 1, "f", NULL, false },
		{ "u:/bin/bash:readline", "uprobe", BPFKIT_PROBE_UPROBE, 2, "/bin/bash", "readline", false },
		{ "ur:libc:mal?oc", "uretprobe", BPFKIT_PROBE_URETPROBE, 2, "libc", "mal?oc", true },
		{ "uprobe:\"/a b\":\"x:*\"", "uprobe", BPFKIT_PROBE_UPROBE, 2, "/a b", "x:*", false },
		{ "U:/bin/x:p", "usdt", BPFKIT_PROBE_USDT, 2, "/bin/x", "p", false },
		{ "rt:sys_enter", "rawtracepoint", BPFKIT_PROBE_RAWTRACEPOINT, 1, "sys_enter", NULL, false },
		{ "p:hz:99", "profile", BPFKIT_PROBE_PROFILE, 2, "hz", "99", false },
		{ "i:s:1", "interval", BPFKIT_PROBE_INTERVAL, 2, "s", "1", false },
		{ "s:faults:1", "software", BPFKIT_PROBE_SOFTWARE, 2, "faults", "1", false },
		{ "h:cache-misses:10", "hardware", BPFKIT_PROBE_HARDWARE, 2, "cache-misses", "10", false },
		{ "w:0x1000:8:rw", "watchpoint", BPFKIT_PROBE_WATCHPOINT, 3, "0x1000", "8", false },
		{ "aw:0x1000:8:rw", "asyncwatchpoint", BPFKIT_PROBE_ASYNCWATCHPOINT, 3, "0x1000", "8", false },
		{ "kfunc:vfs_read", "fentry", BPFKIT_PROBE_FENTRY, 1, "vfs_read", NULL, false },
		{ "f:mod:fn", "fentry", BPFKIT_PROBE_FENTRY, 2, "mod", "fn", false },
		{ "kretfunc:x", "fexit", BPFKIT_PROBE_FEXIT, 1, "x", NULL, false },
		{ "fr:x", "fexit", BPFKIT_PROBE_FEXIT, 1, "x", NULL, false },
		{ "it:task", "iter", BPFKIT_PROBE_ITER, 1, "task", NULL, false },
		{ "uprobe:$1:f", "uprobe", BPFKIT_PROBE_UPROBE, 2, "$1", "f", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bpfkit_ast_program *prog;
		const struct bpfkit_ast_attach *a;
		struct bpfkit_lang *l;
		char src[256];

		snprintf(src, sizeof(src), "%s { }", cases[i].text);
		if (parse(src, &l, &prog))
			fail_msg("%s: %s", src, bpfkit_lang__diags(l)->msg);
		a = prog->probes[0]->attach[0];
		assert_string_equal(a->raw, cases[i].text);
		assert_string_equal(a->provider, cases[i].provider);
		assert_int_equal(a->type, cases[i].type);
		assert_int_equal(a->nparts, cases[i].nparts);
		if (cases[i].part0)
			assert_string_equal(a->parts[0], cases[i].part0);
		if (cases[i].part1)
			assert_string_equal(a->parts[1], cases[i].part1);
		assert_int_equal(a->wildcard, cases[i].wildcard);
		assert_int_equal(a->loc.line, 1);
		assert_int_equal(a->loc.col, 1);
		assert_int_equal(a->loc.len, (int)strlen(cases[i].text));
		assert_string_equal(bpfkit_probe_type_name(a->type), cases[i].provider);
		bpfkit_lang__free(l);
	}
}

static void test_predicates(void **state)
{
	(void)state;
	/* a '/' before '{' closes the predicate; others divide */
	check_dump("kprobe:f /arg0 / 2 > 1/ { }", "(program\n  (probe\n    (attach kprobe \"f\")\n"
						     "    (pred (> (/ arg0 2) 1))\n    (block)))\n");
	check_dump("kprobe:f/pid/{}", "(program\n  (probe\n    (attach kprobe \"f\")\n    (pred pid)\n    (block)))\n");
	check_dump("uprobe:/bin/sh:main /pid == 1/ // c\n{ }",
		   "(program\n  (probe\n    (attach uprobe \"/bin/sh\" \"main\")\n    (pred (== pid 1))\n    (block)))\n");
	check_dump("kprobe:a,\n  kprobe:b , kprobe:c /x ? 1 : 2/ { }",
		   "(program\n  (probe\n    (attach kprobe \"a\")\n    (attach kprobe \"b\")\n    (attach kprobe \"c\")\n"
		   "    (pred (?: x 1 2))\n    (block)))\n");
}

static void test_preamble(void **state)
{
	struct bpfkit_ast_program *prog;
	const struct bpfkit_ast_cdef *c;
	struct bpfkit_lang *l;

	(void)state;
	assert_int_equal(parse("#include <linux/sched.h>\n#define N 3\n#define S \"s\" // c\n"
			       "struct x { int a; char *b[4]; struct y *n; unsigned long f : 2 }\n"
			       "enum e { A, B = N };\nBEGIN { @ = N + A; printf(S); }",
			       &l, &prog),
			 0);
	assert_int_equal(prog->ndirectives, 3);
	assert_int_equal(prog->directives[0]->kind, BPFKIT_DIRECTIVE_INCLUDE);
	assert_string_equal(prog->directives[0]->name, "<linux/sched.h>");
	assert_int_equal(prog->directives[1]->kind, BPFKIT_DIRECTIVE_DEFINE);
	assert_string_equal(prog->directives[1]->name, "N");
	assert_string_equal(prog->directives[1]->value, "3");
	assert_string_equal(prog->directives[2]->value, "\"s\"");
	assert_int_equal(prog->ncdefs, 2);
	c = prog->cdefs[0];
	assert_int_equal(c->kind, BPFKIT_TYPE_STRUCT);
	assert_string_equal(c->name, "x");
	assert_true(c->complete);
	assert_int_equal(c->nfields, 4);
	assert_string_equal(c->fields[0]->name, "a");
	assert_int_equal(c->fields[0]->type->kind, BPFKIT_TYPE_NAME);
	assert_string_equal(c->fields[0]->type->name, "int");
	assert_int_equal(c->fields[1]->type->kind, BPFKIT_TYPE_ARRAY);
	assert_int_equal(c->fields[1]->type->elem->kind, BPFKIT_TYPE_PTR);
	assert_int_equal(c->fields[1]->type->len->u.num.value, 4);
	assert_int_equal(c->fields[2]->type->elem->kind, BPFKIT_TYPE_STRUCT);
	assert_string_equal(c->fields[2]->type->elem->name, "y");
	assert_int_equal(c->fields[3]->bits, 2);
	assert_string_equal(c->fields[3]->type->name, "unsigned long");
	assert_int_equal(c->fields[0]->bits, -1);
	c = prog->cdefs[1];
	assert_int_equal(c->kind, BPFKIT_TYPE_ENUM);
	assert_int_equal(c->nenumerators, 2);
	assert_null(c->enumerators[0]->value);
	assert_int_equal(c->enumerators[1]->value->u.num.value, 3); /* N expanded */
	bpfkit_lang__free(l);
	check_dump("#define A 1 +\n#define B A 2\nBEGIN { $x = B * 3; }",
		   "(program\n  (define A \"1 +\")\n  (define B \"A 2\")\n  (probe\n    (attach BEGIN)\n    (block\n"
		   "      (= $x (+ 1 (* 2 3))))))\n");
}

/* ---- Locations ----------------------------------------------------------------------------- */

static void check_loc(struct bpfkit_loc loc, int line, int col, int len)
{
	if (loc.line != line || loc.col != col || loc.len != len)
		fail_msg("location %d:%d+%d, want %d:%d+%d", loc.line, loc.col, loc.len, line, col, len);
}

static void test_locations(void **state)
{
	const char *src = "kprobe:do_sys_open,\n"
			  "  tracepoint:a:b /pid > 1/\n"
			  "{\n"
			  "\t@opens[comm] = count();\n"
			  "\tif ($x) { $y = (uint32)-1 + $z->f; } else { }\n"
			  "}\n";
	const struct bpfkit_ast_stmt *s, *inner;
	const struct bpfkit_ast_expr *e;
	struct bpfkit_ast_program *prog;
	const struct bpfkit_ast_probe *p;
	struct bpfkit_lang *l;

	(void)state;
	assert_int_equal(parse(src, &l, &prog), 0);
	p = prog->probes[0];
	check_loc(p->loc, 1, 1, 36);
	check_loc(p->attach[0]->loc, 1, 1, 18);
	check_loc(p->attach[1]->loc, 2, 3, 14);
	check_loc(p->pred->loc, 2, 19, 7);
	check_loc(p->pred->u.binop.op_loc, 2, 23, 1);
	check_loc(p->body->loc, 3, 1, 75);
	s = p->body->stmts[0];
	check_loc(s->loc, 4, 2, 22);
	check_loc(s->u.assign.op_loc, 4, 15, 1);
	check_loc(s->u.assign.target->loc, 4, 2, 12);
	check_loc(s->u.assign.target->u.map.keys[0]->loc, 4, 9, 4);
	check_loc(s->u.assign.value->loc, 4, 17, 7);
	s = p->body->stmts[1];
	check_loc(s->loc, 5, 2, 45);
	check_loc(s->u.if_.cond->loc, 5, 6, 2);
	check_loc(s->u.if_.then->loc, 5, 10, 28);
	check_loc(s->u.if_.otherwise->loc, 5, 44, 3);
	inner = s->u.if_.then->stmts[0];
	check_loc(inner->loc, 5, 12, 23);
	e = inner->u.assign.value;
	check_loc(e->loc, 5, 17, 18);
	check_loc(e->u.binop.lhs->loc, 5, 17, 10);
	check_loc(e->u.binop.lhs->u.cast.to->loc, 5, 18, 6);
	check_loc(e->u.binop.lhs->u.cast.operand->loc, 5, 25, 2);
	check_loc(e->u.binop.rhs->loc, 5, 30, 5);
	check_loc(e->u.binop.rhs->u.field.base->loc, 5, 30, 2);
	bpfkit_lang__free(l);
}

static void test_macro_locations(void **state)
{
	struct bpfkit_ast_program *prog;
	const struct bpfkit_ast_expr *e;
	struct bpfkit_lang *l;

	(void)state;
	/* tokens of a macro take the place where it is used */
	assert_int_equal(parse("#define TWO 1 + 1\nBEGIN { $x = TWO * 5; }", &l, &prog), 0);
	e = prog->probes[0]->body->stmts[0]->u.assign.value;
	assert_int_equal(e->kind, BPFKIT_EXPR_BINOP);
	assert_int_equal(e->u.binop.op, BPFKIT_OP_ADD);
	check_loc(e->loc, 2, 14, 7);
	check_loc(e->u.binop.lhs->loc, 2, 14, 3);
	check_loc(e->u.binop.rhs->loc, 2, 14, 7);
	bpfkit_lang__free(l);
}

/* ---- Errors ------------------------------------------------------------------------------- */

static void test_error_messages(void **state)
{
	(void)state;
	check_error("BEGIN { @x = 1 foo; }", 1, 16, "expected ';' or '}' after statement, got 'foo'");
	check_error("BEGIN {\n @x = 1;\n", 2, 9, "unexpected end of input: the probe body is missing '}'");
	check_error("BEGIN { $s = \"abc; }", 1, 14, "unterminated string literal");
	check_error("kprobe:f { $x = (1 + ; }", 1, 22, "expected an expression, got ';'");
	check_error("kprobe:f { $x = (1 + 2; }", 1, 23, "expected ')', got ';'");
	check_error("kprobe:f { foo(1 2); }", 1, 18, "expected ',' or ')' in the argument list, got '2'");
	check_error("kprobe:f { $x = 08; }", 1, 17, "invalid digit '8' in octal literal '08'");
	check_error("kprobe:f { $x = 1.5; }", 1, 17, "floating-point literals are not supported (BPF has no floating point)");
	check_error("BEGIN { @x = \"a\" \"b\"; }", 1, 18, "expected ';' or '}' after statement, got '\"b\"'");
	check_error("BEGIN { if (1) @x = 1; }", 1, 16, "expected '{' after 'if (...)', got '@x'");
	check_error("BEGIN { $x = 1 ? 2; }", 1, 19, "expected ':' in the conditional expression, got ';'");
	check_error("BEGIN { $t.1 = 2; }", 1, 9, "tuples are immutable; build a new tuple and assign that instead");
	check_error("BEGIN { $x.y = 2; }", 1, 9,
		    "cannot assign to this expression; only variables ($x) and maps (@m) can be assigned");
	check_error("BEGIN { comm++; }", 1, 13, "the ++ operator must be applied to a map or a variable");
	check_error("BEGIN { --1; }", 1, 9, "the -- operator must be applied to a map or a variable");
	check_error("BEGIN { else { } }", 1, 9, "'else' without a matching 'if'");
	check_error("kprob:f { }", 1, 1, "unknown probe type 'kprob'");
	check_error(":f { }", 1, 1, "expected a probe type (such as 'kprobe') before ':'");
	check_error("kprobe:f /pid { }", 1, 15, "expected '/' to end the predicate, got '{'");
	check_error("kprobe:f", 1, 9, "unexpected end of input: expected '{' and the probe body");
	check_error("kprobe:f @x", 1, 10, "expected '{' to start the probe body, got '@x'");
	check_error("kprobe:f kprobe:g {}", 1, 10,
		    "expected ',' between attach points or '{' to start the probe body, got 'kprobe'");
	check_error("// just a comment\n", 0, 0, "the script has no probes (such as 'BEGIN { ... }')");
	check_error("BEGIN { for (x : @m) { } }", 1, 14, "expected a variable ($name) after 'for (', got 'x'");
	check_error("BEGIN { $x = sizeof(struct); }", 1, 27, "expected a struct name after 'struct', got ')'");
	check_error("BEGIN { $x = (struct 1)$y; }", 1, 22, "expected a struct name after 'struct', got '1'");
	check_error("BEGIN { @m[] = 1; }", 1, 12, "expected a key between '[' and ']'");
	check_error("struct x { int a int b; }", 1, 18, "expected ';' after the struct member, got 'int'");
	check_error("typedef int x;\nBEGIN { }", 1, 1, "typedef is not supported in scripts; use the type itself");
	check_error("#include nothing\nBEGIN { }", 1, 1, "expected <file> or \"file\" after #include");
	check_error("#foo\nBEGIN { }", 1, 1, "unknown preprocessor directive '#foo'");
	check_error("#define F(x) x\nBEGIN { F(1); }", 2, 9,
		    "function-like macro 'F' is not supported; only object-like #define works");
}

static void test_did_you_mean(void **state)
{
	struct bpfkit_ast_program *prog;
	const struct bpfkit_lang_diag *d;
	struct bpfkit_lang *l;

	(void)state;
	assert_int_equal(parse("tracepoitn:a:b { }\nBEGIN { whlie (1) { } }", &l, &prog), -EINVAL);
	d = bpfkit_lang__diags(l);
	assert_string_equal(d->msg, "unknown probe type 'tracepoitn'");
	assert_string_equal(d->hint, "tracepoint");
	d = d->next;
	assert_string_equal(d->msg, "'whlie' is not a keyword");
	assert_string_equal(d->hint, "while");
	check_loc(d->loc, 2, 9, 5);
	assert_null(d->next);
	bpfkit_lang__free(l);
	check_error("BEGIN { if (1) { } esle { } }", 1, 20, "'esle' is not a keyword");
}

static void test_recovery(void **state)
{
	struct bpfkit_ast_program *prog;
	const struct bpfkit_lang_diag *d;
	struct bpfkit_lang *l;
	int n = 0;

	(void)state;
	/* each broken statement is one error; the good ones in between are fine */
	assert_int_equal(parse("BEGIN {\n $a = ;\n $b = 1;\n $c = (;\n if (1) { $d = } else { }\n $e = 2\n}\n"
			       "kprobe:f { $f = 1 2; }\nkprobe:g { }\n",
			       &l, &prog),
			 -EINVAL);
	for (d = bpfkit_lang__diags(l); d; d = d->next)
		n++;
	assert_int_equal(bpfkit_lang__nerrors(l), 4);
	assert_int_equal(n, 4);
	d = bpfkit_lang__diags(l);
	check_loc(d->loc, 2, 7, 1);
	check_loc(d->next->loc, 4, 8, 1);
	check_loc(d->next->next->loc, 5, 16, 1);
	check_loc(d->next->next->next->loc, 8, 19, 1);
	bpfkit_lang__free(l);
}

static void test_limits(void **state)
{
	struct bpfkit_ast_program *prog;
	const struct bpfkit_lang_diag *d;
	struct bpfkit_lang *l;
	char *src = malloc(200000);
	size_t n = 0;

	(void)state;
	assert_non_null(src);
	/* a chain of 10000 operators is no nesting (bpftrace takes it): it
	 * parses, and dumps, with a loop */
	n = (size_t)sprintf(src, "BEGIN { $x = 1");
	for (int i = 0; i < 10000; i++)
		n += (size_t)sprintf(src + n, " %s %d", i % 2 ? "+" : "-", i);
	strcpy(src + n, "; }");
	assert_int_equal(parse(src, &l, &prog), 0);
	{
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);

		assert_int_equal(bpfkit_ast_dump(prog, 0, f), 0);
		fclose(f);
		assert_non_null(strstr(out, "(= $x (+ (- (+ (- ")); /* left-leaning, innermost last */
		assert_non_null(strstr(out, " (- 1 0) 1) 2) 3) 4)"));
		assert_non_null(strstr(out, " 9998) 9999))"));
		free(out);
	}
	bpfkit_lang__free(l);
	/* 10000 nested parentheses: an error, not a stack overflow */
	n = (size_t)sprintf(src, "BEGIN { $x = ");
	for (int i = 0; i < 10000; i++)
		src[n++] = '(';
	strcpy(src + n, "1); }");
	assert_int_equal(parse(src, &l, &prog), -EINVAL);
	assert_string_equal(bpfkit_lang__diags(l)->msg, "nesting is too deep (more than 256 levels)");
	assert_null(bpfkit_lang__diags(l)->next);
	bpfkit_lang__free(l);
	/* unary operators, casts, blocks, else-if chains and member chains too */
	{
		static const char *const unit[] = { "!", "(uint8)", "{", "if (1) { } else ", ".0" };
		static const char *const head[] = { "BEGIN { $x = ", "BEGIN { $x = ", "BEGIN { ", "BEGIN { ",
						    "BEGIN { $x = $t" };

		for (size_t k = 0; k < 5; k++) {
			n = (size_t)sprintf(src, "%s", head[k]);
			for (int i = 0; i < 3000; i++)
				n += (size_t)sprintf(src + n, "%s", unit[k]);
			sprintf(src + n, "%s", k == 4 ? "; }" : k == 2 || k == 3 ? "{ } }" : "1; }");
			assert_int_equal(parse(src, &l, &prog), -EINVAL);
			d = bpfkit_lang__diags(l);
			if (strcmp(d->msg, "nesting is too deep (more than 256 levels)"))
				fail_msg("case %zu: %s", k, d->msg);
			bpfkit_lang__free(l);
		}
	}
	/* types and nested calls count too (each once failed: the tree was
	 * unbounded and dumping it overflowed the stack) */
	{
		static const char *const pre[] = { "BEGIN { $x = sizeof(u64 ", "struct s { int ", "struct s { int a",
						   "BEGIN { $x = ", "BEGIN { $x = " };
		static const char *const unit[] = { "*", "*", "[1]", "f(", "@m[" };
		static const char *const post[] = { "); }", "p; };", "; };", "1", "1" };
		static const char *const close[] = { "", "", "", ")", "]" };

		for (size_t k = 0; k < 5; k++) {
			n = (size_t)sprintf(src, "%s", pre[k]);
			for (int i = 0; i < 3000; i++)
				n += (size_t)sprintf(src + n, "%s", unit[k]);
			n += (size_t)sprintf(src + n, "%s", post[k]);
			for (int i = 0; i < 3000 && *close[k]; i++)
				n += (size_t)sprintf(src + n, "%s", close[k]);
			sprintf(src + n, "%s", k >= 3 ? "; }" : "\nBEGIN { }");
			assert_int_equal(parse(src, &l, &prog), -EINVAL);
			d = bpfkit_lang__diags(l);
			if (strcmp(d->msg, "nesting is too deep (more than 256 levels)"))
				fail_msg("type case %zu: %s", k, d->msg);
			bpfkit_lang__free(l);
		}
	}
	/* 255 levels are fine */
	n = (size_t)sprintf(src, "BEGIN { $x = ");
	for (int i = 0; i < 250; i++)
		src[n++] = '(';
	src[n++] = '1';
	for (int i = 0; i < 250; i++)
		src[n++] = ')';
	strcpy(src + n, "; }");
	assert_int_equal(parse(src, &l, &prog), 0);
	bpfkit_lang__free(l);
	/* many errors: stop after BPFKIT_LANG_MAX_ERRORS with a note */
	n = (size_t)sprintf(src, "BEGIN {\n");
	for (int i = 0; i < 100; i++)
		n += (size_t)sprintf(src + n, " $x = ;\n");
	strcpy(src + n, "}\n");
	assert_int_equal(parse(src, &l, &prog), -EINVAL);
	assert_int_equal(bpfkit_lang__nerrors(l), BPFKIT_LANG_MAX_ERRORS);
	for (d = bpfkit_lang__diags(l); d->next; d = d->next)
		;
	assert_int_equal(d->severity, BPFKIT_LANG_NOTE);
	assert_string_equal(d->msg, "too many errors; stopping here");
	bpfkit_lang__free(l);
	free(src);
}

/* ---- Formatting and API -------------------------------------------------------------------- */

static char *format(const struct bpfkit_lang_diag *d, const char *src, unsigned flags)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	assert_int_equal(bpfkit_lang_diag_format(d, src, src ? strlen(src) : 0, flags, f), 0);
	fclose(f);
	return out;
}

static void test_format(void **state)
{
	const char *src = "tracepoint:raw_syscalls:sys_enter { @[comm] = cont(); }\n";
	struct bpfkit_lang *l = bpfkit_lang__new("script.bt", src, strlen(src));
	struct bpfkit_loc at = { 1, 47, 4 };
	const struct bpfkit_lang_diag *d;
	char *out;

	(void)state;
	assert_int_equal(bpfkit_lang__report(l, BPFKIT_LANG_ERROR, at, "count", "unknown function '%s'", "cont"),
			 -EINVAL);
	d = bpfkit_lang__diags(l);
	out = format(d, src, 0);
	assert_string_equal(out, "script.bt:1:47: error: unknown function 'cont'; did you mean 'count'?\n"
				 "tracepoint:raw_syscalls:sys_enter { @[comm] = cont(); }\n"
				 "                                              ^~~~\n");
	free(out);
	out = format(d, NULL, 0);
	assert_string_equal(out, "script.bt:1:47: error: unknown function 'cont'; did you mean 'count'?\n");
	free(out);
	out = format(d, src, BPFKIT_LANG_FMT_COLOR);
	assert_non_null(strstr(out, "\033[1;31merror:"));
	assert_non_null(strstr(out, "\033[1;32m^~~~\033[0m"));
	free(out);
	/* tabs are kept so the caret lines up; the underline stops at the end of the line */
	{
		struct bpfkit_loc t = { 2, 3, 50 };
		const char *s2 = "BEGIN {\n\t\tfoo\n}";

		assert_int_equal(bpfkit_lang__report(l, BPFKIT_LANG_WARNING, t, NULL, "w"), 0);
		out = format(d->next, s2, 0);
		assert_string_equal(out, "script.bt:2:3: warning: w\n\t\tfoo\n\t\t^~~\n");
		free(out);
	}
	/* no location: no line numbers, no caret */
	assert_int_equal(bpfkit_lang__report(l, BPFKIT_LANG_NOTE, (struct bpfkit_loc){ 0 }, NULL, "n %d", 1), 0);
	out = format(d->next->next, src, 0);
	assert_string_equal(out, "script.bt: note: n 1\n");
	free(out);
	/* a location past the end of its line (end of input) */
	{
		struct bpfkit_loc e = { 1, 58, 1 };

		bpfkit_lang__report(l, BPFKIT_LANG_ERROR, e, NULL, "eof");
		out = format(d->next->next->next, src, 0);
		assert_non_null(strstr(out, "\n                                                         ^\n"));
		free(out);
	}
	assert_int_equal(bpfkit_lang__nerrors(l), 2);
	assert_int_equal(bpfkit_lang_diag_format(NULL, src, 1, 0, stderr), -EINVAL);
	bpfkit_lang__free(l);
}

/* One diagnostic at @p col (length @p len) in @p src, formatted. */
static char *format_at(const char *src, int line, int col, int len)
{
	struct bpfkit_lang *l = bpfkit_lang__new("s.bt", src, strlen(src));
	struct bpfkit_loc at = { line, col, len };
	char *out;

	assert_non_null(l);
	bpfkit_lang__report(l, BPFKIT_LANG_ERROR, at, NULL, "e");
	out = format(bpfkit_lang__diags(l), src, 0);
	bpfkit_lang__free(l);
	return out;
}

/* A long line is echoed as a window around the caret, "..." at each cut
 * end; the caret stays under its character, tabs and UTF-8 included. */
static void test_format_window(void **state)
{
	size_t n = 200000, mid = n / 2;
	char *src = malloc(n + 1), *out, *l2, *l3;

	(void)state;
	assert_non_null(src);
	memset(src, 'x', n);
	src[n] = '\0';
	memcpy(src + mid, "oops", 4);
	out = format_at(src, 1, (int)mid + 1, 4);
	l2 = strchr(out, '\n') + 1;
	l3 = strchr(l2, '\n') + 1;
	assert_true(strlen(out) < 300);
	assert_memory_equal(l2, "...", 3);
	assert_memory_equal(l3 - 4, "...\n", 4);
	assert_int_equal(strlen(l3), 3 + BPFKIT_DIAG_WIDTH / 2 + 5); /* indent, ^~~~, newline */
	assert_memory_equal(l2 + (strchr(l3, '^') - l3), "oops", 4);
	free(out);
	/* near either end: the window ends there, one "..." */
	out = format_at(src, 1, 3, 2);
	assert_string_equal(strchr(out, '\n') + 1 + BPFKIT_DIAG_WIDTH, "...\n  ^~\n");
	free(out);
	out = format_at(src, 1, (int)n + 1, 1);
	l2 = strchr(out, '\n') + 1;
	assert_memory_equal(l2, "...", 3);
	assert_string_equal(strchr(l2, '\n') + 1 + 3 + BPFKIT_DIAG_WIDTH, "^\n");
	free(out);
	/* a tab is copied into the indent; a character of several bytes is one column */
	memcpy(src + mid - 3, "\t\xc3\xa9", 3);
	out = format_at(src, 1, (int)mid + 1, 4);
	l3 = strchr(strchr(out, '\n') + 1, '\n') + 1;
	assert_int_equal(strlen(l3), 3 + BPFKIT_DIAG_WIDTH / 2 + 5);
	assert_memory_equal(l3 + 3 + BPFKIT_DIAG_WIDTH / 2 - 2, "\t ^~~~", 6);
	free(out);
	/* control bytes are shown as '?': no escape sequence reaches the terminal */
	out = format_at("BEGIN { \x1b[2J\x01 x; }", 1, 16, 1);
	assert_string_equal(out, "s.bt:1:16: error: e\nBEGIN { ?[2J? x; }\n               ^\n");
	free(out);
	/* a short line is left whole, in UTF-8 too */
	out = format_at("BEGIN { $\xc3\xa9 = 1; }", 1, 9, 3);
	assert_string_equal(out, "s.bt:1:9: error: e\nBEGIN { $\xc3\xa9 = 1; }\n        ^~\n");
	free(out);
	free(src);
}

static void test_api(void **state)
{
	struct bpfkit_ast_program *prog = (void *)1;
	struct bpfkit_lang *l;
	const char *src;
	size_t len;
	int *p;

	(void)state;
	bpfkit_lang__free(NULL);
	assert_int_equal(bpfkit_lang__parse(NULL, &prog), -EINVAL);
	assert_null(bpfkit_lang__diags(NULL));
	assert_int_equal(bpfkit_lang__nerrors(NULL), 0);
	errno = 0;
	assert_null(bpfkit_lang__new("x", NULL, 3));
	assert_int_equal(errno, EINVAL);
	/* not NUL-terminated input is fine: the length rules */
	l = bpfkit_lang__new(NULL, "BEGIN { }garbage", 9);
	assert_non_null(l);
	src = bpfkit_lang__source(l, &len);
	assert_int_equal(len, 9);
	assert_string_equal(src, "BEGIN { }");
	assert_int_equal(bpfkit_lang__parse(l, &prog), 0);
	assert_non_null(prog);
	assert_string_equal(prog->file, "<input>");
	assert_int_equal(bpfkit_lang__parse(l, &prog), -EALREADY);
	assert_null(prog);
	bpfkit_lang__free(l);
	/* a UTF-8 byte order mark is skipped: columns count from after it */
	l = bpfkit_lang__new("b.bt", "\xef\xbb\xbf" "BEGIN { @ = x; }", 19);
	assert_non_null(l);
	src = bpfkit_lang__source(l, &len);
	assert_int_equal(len, 16);
	assert_string_equal(src, "BEGIN { @ = x; }");
	assert_int_equal(bpfkit_lang__parse(l, &prog), 0);
	{
		struct bpfkit_compiled *c = NULL;

		assert_int_equal(bpfkit_lang__compile(l, prog, NULL, &c), -EINVAL);
		assert_null(c);
	}
	assert_int_equal(bpfkit_lang__nerrors(l), 1);
	assert_int_equal(bpfkit_lang__diags(l)->loc.col, 13);
	p = bpfkit_lang__alloc(l, 64 * sizeof(int));
	assert_non_null(p);
	for (int i = 0; i < 64; i++)
		assert_int_equal(p[i], 0);
	assert_null(bpfkit_lang__alloc(NULL, 8));
	bpfkit_lang__free(l);
	/* the empty script */
	l = bpfkit_lang__new("e.bt", "", 0);
	assert_int_equal(bpfkit_lang__parse(l, NULL), -EINVAL);
	bpfkit_lang__free(l);
	assert_string_equal(bpfkit_ast_op_str(BPFKIT_OP_SHL), "<<");
	assert_string_equal(bpfkit_ast_op_str(BPFKIT_OP_INC), "++");
	assert_string_equal(bpfkit_probe_type_name(BPFKIT_PROBE_FENTRY), "fentry");
	assert_int_equal(bpfkit_ast_dump(NULL, 0, stdout), -EINVAL);
}

static void test_suggest(void **state)
{
	static const char *const fns[] = { "count", "hist", "lhist", "printf", "print", "delete", "clear" };
	static const size_t n = sizeof(fns) / sizeof(fns[0]);

	(void)state;
	assert_string_equal(bpfkit_lang_suggest("cont", fns, n), "count");
	assert_string_equal(bpfkit_lang_suggest("pirntf", fns, n), "printf");
	assert_string_equal(bpfkit_lang_suggest("hsit", fns, n), "hist");
	assert_string_equal(bpfkit_lang_suggest("COUNT", fns, n), "count");
	assert_string_equal(bpfkit_lang_suggest("delte", fns, n), "delete");
	assert_null(bpfkit_lang_suggest("zzzzzz", fns, n));
	assert_null(bpfkit_lang_suggest("x", fns, n));
	assert_null(bpfkit_lang_suggest("count", fns, n)); /* exact: nothing to suggest */
	assert_null(bpfkit_lang_suggest(NULL, fns, n));
}

/* Arbitrary bytes and cut or mutated scripts: no crash, and a failure
 * always comes with at least one error at a valid place. */
static void test_robustness(void **state)
{
	const char *base = "#define N 4\nstruct s { int a[N]; };\nkprobe:f /pid > 1/ {\n"
			   "\t$x = (struct s *)arg0; @[comm, $x->a[1]] = hist(retval / 2);\n"
			   "\tif ($x) { unroll(2) { @c++ } } else { while (1) { break } }\n}\n";
	size_t blen = strlen(base);
	unsigned seed = 12345;
	char buf[512];

	(void)state;
	for (int round = 0; round < 3000; round++) {
		struct bpfkit_ast_program *prog;
		struct bpfkit_lang *l;
		size_t len;

		memcpy(buf, base, blen);
		len = blen;
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			switch ((seed >> 16) % 4) {
			case 0:
				len = (seed >> 8) % (len + 1); /* cut */
				break;
			case 1:
				if (len)
					buf[(seed >> 8) % len] = (char)(seed >> 3); /* flip */
				break;
			case 2:
				if (len)
					buf[(seed >> 8) % len] = "{}()[];/\"'#$@*:,"[(seed >> 4) % 16];
				break;
			default:
				if (len + 1 < sizeof(buf)) { /* duplicate a byte */
					size_t at = len ? (seed >> 8) % len : 0;

					memmove(buf + at + 1, buf + at, len - at);
					len++;
				}
			}
		}
		l = bpfkit_lang__new("fuzz.bt", buf, len);
		assert_non_null(l);
		if (bpfkit_lang__parse(l, &prog)) {
			assert_true(bpfkit_lang__nerrors(l) > 0);
			for (const struct bpfkit_lang_diag *d = bpfkit_lang__diags(l); d; d = d->next)
				assert_true(d->loc.line >= 0 && d->loc.col >= 0 && d->loc.len >= 0);
		} else {
			assert_int_equal(bpfkit_lang__nerrors(l), 0);
			assert_true(prog->nprobes > 0);
		}
		bpfkit_lang__free(l);
	}
}

/* ---- Data-driven tests --------------------------------------------------------------------------- */

static bool update_golden(void)
{
	const char *u = getenv("UPDATE_GOLDEN");

	return u && *u && strcmp(u, "0");
}

static void compare_or_update(const char *expect_path, const char *got)
{
	size_t len;
	char *want;

	if (update_golden()) {
		FILE *f = fopen(expect_path, "w");

		assert_non_null(f);
		fputs(got, f);
		fclose(f);
		return;
	}
	want = read_file(expect_path, &len);
	if (!want)
		fail_msg("%s is missing (run with UPDATE_GOLDEN=1 to create it)", expect_path);
	if (strcmp(want, got))
		fail_msg("%s differs; got:\n%s", expect_path, got);
	free(want);
}

/* state: the path of a tests/data/lang/NAME.bt that must parse */
static void run_golden(void **state)
{
	const char *path = *state, *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char expect[1024], *src, *out;
	size_t len;

	src = read_file(path, &len);
	assert_non_null(src);
	out = dump_of(src, strncmp(base, "loc_", 4) ? 0 : BPFKIT_AST_DUMP_LOC);
	snprintf(expect, sizeof(expect), "%.*s.ast", (int)(strlen(path) - 3), path);
	compare_or_update(expect, out);
	free(out);
	free(src);
}

/* state: the path of a tests/data/lang/errors/NAME.bt that must fail */
static void run_golden_error(void **state)
{
	const char *path = *state, *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char expect[1024], *src, *out;
	size_t len;

	src = read_file(path, &len);
	assert_non_null(src);
	out = errors_of(base, src, len);
	snprintf(expect, sizeof(expect), "%.*s.err", (int)(strlen(path) - 3), path);
	compare_or_update(expect, out);
	free(out);
	free(src);
}

/* state: a bpftrace tool (/usr/sbin/NAME.bt) that must parse */
static void run_bpftrace_tool(void **state)
{
	struct bpfkit_ast_program *prog;
	const char *path = *state;
	struct bpfkit_lang *l;
	size_t len;
	char *src = read_file(path, &len);

	assert_non_null(src);
	l = bpfkit_lang__new(path, src, len);
	if (bpfkit_lang__parse(l, &prog)) {
		char *msg = errors_of(path, src, len);

		fail_msg("%s", msg);
	}
	assert_true(prog->nprobes > 0);
	bpfkit_lang__free(l);
	free(src);
}

static void skip_no_tools(void **state)
{
	(void)state;
	printf("# SKIP /usr/sbin/*.bt not found (install bpftrace to test with its tools)\n");
	skip();
}

static void no_golden_data(void **state)
{
	fail_msg("no golden scripts in %s (set BPFKIT_TEST_DATA)", (const char *)*state);
}

/* The sorted paths of the .bt files in @p dir. */
static size_t list_scripts(const char *dir, char ***out)
{
	struct dirent *e;
	char **v = NULL;
	size_t n = 0;
	DIR *d = opendir(dir);

	*out = NULL;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len < 4 || strcmp(e->d_name + len - 3, ".bt"))
			continue;
		v = realloc(v, (n + 1) * sizeof(*v));
		assert_non_null(v);
		v[n] = malloc(strlen(dir) + len + 2);
		sprintf(v[n++], "%s/%s", dir, e->d_name);
	}
	closedir(d);
	for (size_t i = 1; i < n; i++) /* insertion sort: stable names */
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*out = v;
	return n;
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_postfix_and_primary),
		cmocka_unit_test(test_casts),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_attach_points),
		cmocka_unit_test(test_predicates),
		cmocka_unit_test(test_preamble),
		cmocka_unit_test(test_locations),
		cmocka_unit_test(test_macro_locations),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_did_you_mean),
		cmocka_unit_test(test_recovery),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_window),
		cmocka_unit_test(test_api),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_robustness),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]), ng, ne, nt, n = 0;
	char dir[1024], edir[1024], **golden, **errors, **tools;
	struct CMUnitTest *tests;
	int rc;

	snprintf(dir, sizeof(dir), "%s/lang", data_dir());
	snprintf(edir, sizeof(edir), "%s/lang/errors", data_dir());
	ng = list_scripts(dir, &golden);
	ne = list_scripts(edir, &errors);
	nt = list_scripts(getenv("BPFKIT_BPFTRACE_TOOLS") ? getenv("BPFKIT_BPFTRACE_TOOLS") : "/usr/sbin", &tools);
	tests = calloc(nfixed + ng + ne + (nt ? nt : 1) + 1, sizeof(*tests));
	assert_non_null(tests);
	memcpy(tests, fixed, sizeof(fixed));
	n = nfixed;
	for (size_t i = 0; i < ng; i++)
		tests[n++] = (struct CMUnitTest){ golden[i], run_golden, NULL, NULL, golden[i] };
	for (size_t i = 0; i < ne; i++)
		tests[n++] = (struct CMUnitTest){ errors[i], run_golden_error, NULL, NULL, errors[i] };
	for (size_t i = 0; i < nt; i++)
		tests[n++] = (struct CMUnitTest){ tools[i], run_bpftrace_tool, NULL, NULL, tools[i] };
	if (!nt)
		tests[n++] = (struct CMUnitTest){ "bpftrace tools", skip_no_tools, NULL, NULL, NULL };
	if (!ng)
		tests[n++] = (struct CMUnitTest){ "golden scripts present", no_golden_data, NULL, NULL, dir };
	rc = _cmocka_run_group_tests("lang_parse", tests, n, NULL, NULL);
	for (size_t i = 0; i < ng; i++)
		free(golden[i]);
	for (size_t i = 0; i < ne; i++)
		free(errors[i]);
	for (size_t i = 0; i < nt; i++)
		free(tools[i]);
	free(golden);
	free(errors);
	free(tools);
	free(tests);
	return rc;
}
