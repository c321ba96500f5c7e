// SPDX-License-Identifier: MIT
/*
 * Unit tests of the compiler's semantic pass and its output contract: map
 * kinds and layouts, event layouts, targets of wildcard probes, and the
 * messages of common mistakes (the golden error files in
 * tests/data/codegen/errors cover more).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lang_test_env.h"

static struct bpfkit_compiled *ok(const char *src, struct bpfkit_lang **l)
{
	struct bpfkit_compiled *c;

	if (test_compile("t.bt", src, strlen(src), l, &c))
		fail_msg("[%s]: %s", src, bpfkit_lang__diags(*l) ? bpfkit_lang__diags(*l)->msg : "failed");
	return c;
}

/* The first error of a script that must not compile. */
static void bad(const char *src, const char *msg, const char *hint)
{
	struct bpfkit_compiled *c = (void *)1;
	struct bpfkit_lang *l;

	assert_int_equal(test_compile("t.bt", src, strlen(src), &l, &c), -EINVAL);
	assert_null(c);
	assert_non_null(bpfkit_lang__diags(l));
	if (strcmp(bpfkit_lang__diags(l)->msg, msg))
		fail_msg("[%s]\n got  %s\n want %s", src, bpfkit_lang__diags(l)->msg, msg);
	if (hint)
		assert_string_equal(bpfkit_lang__diags(l)->hint, hint);
	bpfkit_lang__free(l);
}

static const struct bpfkit_lang_map *map(const struct bpfkit_compiled *c, const char *name)
{
	for (size_t i = 0; i < c->nmaps; i++)
		if (!strcmp(c->maps[i].name, name))
			return &c->maps[i];
	fail_msg("no map %s", name);
	return NULL;
}

static void test_map_layouts(void **state)
{
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c = ok("BEGIN { @c = count(); @k[1, \"ab\"] = 5; @s[comm] = \"x\"; "
				       "@h[pid] = hist(3); @l = lhist(5, -10, 10, 5); @m = min(1); @a = avg(2); }", &l);
	const struct bpfkit_lang_map *m;

	(void)state;
	m = map(c, "@c"); /* a keyless count: one per-CPU array slot */
	assert_int_equal(m->kind, BPFKIT_LANG_MAP_PERCPU_ARRAY);
	assert_int_equal(m->agg, BPFKIT_LANG_AGG_COUNT);
	assert_null(m->key);
	assert_int_equal(m->key_size, 4);
	assert_int_equal(m->value_size, 8);
	assert_int_equal(m->max_entries, 1);
	m = map(c, "@k");
	assert_int_equal(m->kind, BPFKIT_LANG_MAP_HASH);
	assert_int_equal(m->nkeys, 2);
	assert_int_equal(m->key->kind, BPFKIT_LANG_V_TUPLE);
	assert_int_equal(m->key->elems[1].offset, 8);
	assert_int_equal(m->key->elems[1].type->size, 3);
	assert_int_equal(m->key_size, 16);
	assert_true(m->value->is_signed);
	m = map(c, "@s");
	assert_int_equal(m->key_size, 16);
	assert_int_equal(m->value->kind, BPFKIT_LANG_V_STR);
	assert_int_equal(m->value_size, 8);
	m = map(c, "@h");
	assert_int_equal(m->key_size, 16); /* pid + bucket */
	m = map(c, "@l");
	assert_int_equal(m->key_size, 16); /* 0 + bucket */
	assert_int_equal(m->lmin, -10);
	assert_int_equal(m->lmax, 10);
	assert_int_equal(m->lstep, 5);
	assert_int_equal(map(c, "@m")->value_size, 16);
	assert_int_equal(map(c, "@a")->value_size, 16);
	assert_null(c->events_map);
	/* sorted by name */
	for (size_t i = 1; i < c->nmaps; i++)
		assert_true(strcmp(c->maps[i - 1].name, c->maps[i].name) < 0);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

static void test_targets(void **state)
{
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c = ok("tracepoint:syscalls:sys_*_read, interval:ms:250 { @ = count(); }\n"
				       "END { printf(\"%d\\n\", 1); }", &l);

	(void)state;
	assert_int_equal(c->nprogs, 4);
	assert_string_equal(c->progs[0].name, "tracepoint:syscalls:sys_enter_read");
	assert_string_equal(c->progs[0].target, "syscalls:sys_enter_read");
	assert_string_equal(c->progs[1].target, "syscalls:sys_exit_read");
	assert_int_equal(c->progs[2].type, BPFKIT_PROBE_INTERVAL);
	assert_int_equal(c->progs[2].period_ns, 250000000ull);
	assert_int_equal(c->progs[3].type, BPFKIT_PROBE_END);
	assert_int_equal(c->progs[3].probe, 1);
	assert_string_equal(c->events_map, "events");
	/* the user map, the ring buffer, then the lost-records counter */
	assert_int_equal(c->nmaps, 3);
	assert_string_equal(c->maps[1].name, "events");
	assert_int_equal(c->maps[1].kind, BPFKIT_LANG_MAP_RINGBUF);
	assert_string_equal(c->maps[2].name, BPFKIT_LANG_LOST_MAP);
	assert_int_equal(c->maps[2].kind, BPFKIT_LANG_MAP_PERCPU_ARRAY);
	assert_int_equal(c->nevents, 1);
	assert_int_equal(c->events[0].nargs, 1);
	assert_int_equal(c->events[0].args[0].offset, 8);
	assert_int_equal(c->events[0].size, 16);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* A map read before its assignment in the text is typed by the first round. */
static void test_forward_map(void **state)
{
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c = ok("BEGIN { printf(\"%s\\n\", @name); } END { @name = comm; }", &l);

	(void)state;
	assert_int_equal(c->events[0].args[0].type->kind, BPFKIT_LANG_V_STR);
	assert_int_equal(c->events[0].args[0].type->size, 16);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* A map whose only assignment reads it is an integer, as in bpftrace. */
static void test_self_map(void **state)
{
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c = ok("interval:s:1 { @secs = @secs + 1; if (@secs >= 3) { exit(); } }", &l);

	(void)state;
	assert_int_equal(c->nmaps >= 1, 1);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
	bad("BEGIN { @x = @y + 1; }", "map @y is used but never assigned", NULL);
	bad("BEGIN { @s = @s + 1; } END { @s = \"a\"; }", "operator '+' expects integers, got string[2] and int64", NULL);
}

static void test_errors(void **state)
{
	(void)state;
	bad("BEGIN { @x = cont(); }", "unknown function 'cont'", "count");
	bad("tracepoint:syscalls:sys_exit_read { @x = args->rett; }",
	    "tracepoint:syscalls:sys_exit_read has no field 'rett'", "ret");
	bad("BEGIN { @x = 1; } END { @x = \"a\"; }", "map @x holds int64 elsewhere, string[2] here", NULL);
	bad("BEGIN { printf(\"%d\\n\", 1, 2); }",
	    "printf: Too many arguments for format string (2 supplied, 1 expected)", NULL);
	bad("fentry:f { }", "fentry probes are not yet supported by bpfkit", NULL);
	bad("BEGIN { $x = args->a; }", "'args' is not available in BEGIN probes", NULL);
	bad("BEGIN { @x = arg0; }", "'arg0' is not available in BEGIN probes", NULL);
	bad("BEGIN { print(@never); }", "map @never is used but never assigned", NULL);
	bad("BEGIN { unroll(101) { } }", "unroll maximum value is 100", NULL);
	bad("BEGIN { unroll(0) { } }", "unroll minimum value is 1", NULL);
	bad("BEGIN { unroll(2) { break; } }", "break used outside of a loop", NULL);
	bad("interval:m:1 { }", "interval: unknown unit 'm' (s, ms, us or hz: interval:s:N)", NULL);
	bad("interval:m1 { }", "interval probes are written interval:s:N, interval:ms:N, interval:us:N or interval:hz:N", NULL);
	bad("BEGIN { @x = lhist(1, 0, 10); }", "lhist() takes 4 arguments, 3 given", NULL);
	bad("BEGIN { $a = pton(\"1.2.3\"); }", "pton() expects a valid IPv4/IPv6 address, got 1.2.3", NULL);
	bad("BEGIN { $s = \"1.2.3.4\"; $a = pton($s); }", "pton() expects a string literal, as pton(\"127.0.0.1\")", NULL);
	bad("BEGIN { if (pton(\"1.2.3.4\") == pton(\"::1\")) { } }",
	    "Only arrays of same size support comparison operators.", NULL);
	bad("BEGIN { $a = pton(\"1.2.3.4\"); $b = $a[4]; }", "index 4 is out of range for uint8[4]", NULL);
	bad("BEGIN { $i = 1; $a = pton(\"1.2.3.4\"); $b = $a[$i]; }", "an index of uint8[4] must be a constant", NULL);
	bad("BEGIN { $a = pton(\"1.2.3.4\"); $a = pton(\"::1\"); }", "variable $a holds uint8[4], cannot assign uint8[16]",
	    NULL);
}

/* The first error of @p src compiled against @p env. */
static void bad_env(const struct bpfkit_lang_env *env, const char *src, const char *msg)
{
	struct bpfkit_ast_program *prog;
	struct bpfkit_compiled *c = NULL;
	struct bpfkit_lang *l = bpfkit_lang__new("t.bt", src, strlen(src));

	assert_int_equal(bpfkit_lang__parse(l, &prog), 0);
	assert_int_equal(bpfkit_lang__compile(l, prog, env, &c), -EINVAL);
	assert_null(c);
	if (strcmp(bpfkit_lang__diags(l)->msg, msg))
		fail_msg("[%s]\n got  %s\n want %s", src, bpfkit_lang__diags(l)->msg, msg);
	bpfkit_lang__free(l);
}

static int no_btf_find(void *user, enum bpfkit_lang_ckind kind, const char *name, uint32_t *id)
{
	(void)user, (void)kind, (void)name, (void)id;
	return -ENODATA;
}

static const char *no_btf_why(void *user)
{
	(void)user;
	return "the kernel's BTF cannot be read";
}

/* C types: definitions of the script, lookups, constants, and their mistakes. */
static void test_ctypes(void **state)
{
	struct bpfkit_lang_env env = test_env;
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;

	(void)state;
	/* a script enum, an enumerator of the provider, a header constant */
	c = ok("#include <net/sock.h>\nenum e { A = 3, B }; BEGIN { @x = (B, FAKE_B, AF_INET6, sizeof(enum e)); }", &l);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
	bad("BEGIN { @x = TASK_RUNNING; }", "unknown identifier 'TASK_RUNNING'", NULL); /* no #include */
	bad("#define TASK_RUNNING x\n#include <linux/sched.h>\nBEGIN { @x = TASK_RUNNING; }",
	    "unknown identifier 'x'", NULL); /* the script's #define wins */
	bad("struct a { struct b x; }; struct b { struct a y; }; BEGIN { @x = sizeof(struct a); }",
	    "struct a contains itself", NULL);
	bad("struct a { int x : 33; }; BEGIN { @x = sizeof(struct a); }",
	    "bit-field 'x' is 33 bits wide, more than its type int has", NULL);
	bad("struct a { struct opaque o; }; BEGIN { @x = sizeof(struct a); }",
	    "member 'o' has incomplete type struct opaque", NULL);
	bad("struct a { char c[-1]; }; BEGIN { @x = sizeof(struct a); }", "negative array length -1", NULL);
	bad("enum e { A = 1 / 0 }; BEGIN { @x = A; }", "division by zero in a constant", NULL);
	bad("BEGIN { @x = sizeof(struct opaque); }", "sizeof of struct opaque, which has no size", NULL);
	bad("BEGIN { @x = ((struct task_struct *)curtask)->se.vruntime.x; }",
	    "cannot read member 'x' of long unsigned int: it is not a struct or union", NULL);
	bad("BEGIN { @x = *(void *)curtask; }",
	    "cannot dereference void *: void has no value to read", NULL);
	bad("BEGIN { @x = &pid; }", "'&' needs a struct member, an array element or *p; uint64 has no address here", NULL);
	bad("BEGIN { @x = offsetof(struct task_struct, in_iowait); }", "offsetof of bit-field 'in_iowait'", NULL);
	bad("BEGIN { $t = (struct task_struct *)curtask; $t = (struct mm_struct *)0; }",
	    "$t holds struct task_struct *, cannot assign struct mm_struct *", NULL);
	/* no type provider: the script's own definitions still work */
	env.ctype_find = NULL;
	env.ctype_get = NULL;
	env.ctype_enum = NULL;
	env.ctype_names = NULL;
	bad_env(&env, "BEGIN { @x = ((struct task_struct *)curtask)->pid; }",
		"unknown struct 'task_struct' (no kernel types here: define it in the script)");
	/* a provider without BTF says why */
	env.ctype_find = no_btf_find;
	env.ctype_why = no_btf_why;
	bad_env(&env, "BEGIN { @x = ((struct task_struct *)curtask)->pid; }",
		"no type information for struct task_struct: the kernel's BTF cannot be read");
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_layouts),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_forward_map),
		cmocka_unit_test(test_self_map),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_ctypes),
	};

	return cmocka_run_group_tests_name("lang_sema", tests, NULL, NULL);
}
