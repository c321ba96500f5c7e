// SPDX-License-Identifier: MIT
/*
 * Unit tests of the tracepoint format parser (src/kern/tp_format.c):
 *  - golden files: every tests/data/kern/NAME.format that does not start
 *    with bad_ parses to the dump in NAME.expect (real files copied from a
 *    6.x kernel's tracefs, and synthetic ones in the shapes old kernels
 *    wrote); bad_NAME.format fails with the message in bad_NAME.expect,
 *    which names the file, line and column. UPDATE_GOLDEN=1 rewrites them.
 *  - field by field checks of the shapes that matter to the compiler:
 *    __data_loc strings, arrays, pointers, signedness, common_ fields;
 *  - loading from a tracefs tree, and every prefix of a real file (no crash,
 *    an error or a format, never both);
 *  - the live tracefs when there is one: every format on this kernel parses.
 *
 * The data directory is $BPFKIT_TEST_DATA (default tests/data).
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
#include <unistd.h>

#include <cmocka.h>

#include <bpfkit/kern.h>

static const char *data_dir(void)
{
	const char *d = getenv("BPFKIT_TEST_DATA");

	return d && *d ? d : "tests/data";
}

/* Read a whole file; NULL if it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

static struct bpfkit_tp_format *parse_str(const char *text, struct bpfkit_diag *d)
{
	return bpfkit_tp_format__parse("t.format", text, strlen(text), d);
}

/* Everything the parser found, one line per field, for the golden files. */
static void dump(const struct bpfkit_tp_format *fmt, FILE *f)
{
	fprintf(f, "name: %s\n", fmt->name ? fmt->name : "(none)");
	if (fmt->has_id)
		fprintf(f, "id: %u\n", fmt->id);
	fprintf(f, "fields: %zu, args: %zu, record size: %u\n", fmt->nfields, fmt->nargs, fmt->record_size);
	for (size_t i = 0; i < fmt->nfields; i++) {
		const struct bpfkit_tp_field *x = &fmt->fields[i];

		fprintf(f, "%d: %s | %s | type \"%s\" | off %u size %u %s", x->line, x->name,
			bpfkit_tp_kind_name(x->kind), x->type, x->offset, x->size, x->is_signed ? "signed" : "unsigned");
		if (x->kind == BPFKIT_TP_ARRAY)
			fprintf(f, " | len %u", x->array_len);
		if (x->elem_size)
			fprintf(f, " | elem %u", x->elem_size);
		if (x->is_string)
			fputs(" | string", f);
		if (x->common)
			fputs(" | common", f);
		fprintf(f, " | decl \"%s\"\n", x->decl);
	}
	if (fmt->print_fmt)
		fprintf(f, "print fmt: %zu bytes, starts %.30s\n", strlen(fmt->print_fmt), fmt->print_fmt);
}

/* Compare @p got with the golden file @p path, or rewrite it under UPDATE_GOLDEN. */
static void check_golden(const char *path, const char *got)
{
	const char *update = getenv("UPDATE_GOLDEN");
	size_t len = 0;
	char *want;

	if (update && *update == '1') {
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(got, f);
		fclose(f);
		return;
	}
	want = slurp(path, &len);
	if (!want)
		fail_msg("%s is missing (UPDATE_GOLDEN=1 writes it)", path);
	if (strcmp(want, got)) {
		print_message("# %s differs; got:\n%s", path, got);
		free(want);
		fail();
	}
	free(want);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_format(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 7 && !strcmp(e->d_name + n - 7, ".format");
}

/*
 * Each NAME.format in tests/data/kern parses (or, for bad_*, fails) exactly
 * as NAME.expect says. The parser is given the bare file name so messages
 * do not depend on where the tree is.
 */
static void test_golden_files(void **state)
{
	char dir[1024], path[2048], expect[2048];
	struct dirent **names;
	int n, good = 0, bad = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/kern", data_dir());
	n = scandir(dir, &names, is_format, by_name);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		struct bpfkit_tp_format *fmt;
		struct bpfkit_diag d;
		char *text, *got = NULL;
		size_t len = 0, glen = 0;
		FILE *out;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		snprintf(expect, sizeof(expect), "%s/%.*s.expect", dir, (int)strlen(names[i]->d_name) - 7,
			 names[i]->d_name);
		text = slurp(path, &len);
		assert_non_null(text);
		fmt = bpfkit_tp_format__parse(names[i]->d_name, text, len, &d);
		out = open_memstream(&got, &glen);
		assert_non_null(out);
		if (!strncmp(names[i]->d_name, "bad_", 4)) {
			if (fmt)
				fail_msg("%s parsed but should not", path);
			assert_int_equal(errno, EINVAL);
			assert_true(d.line >= 1 && d.col >= 1);
			fprintf(out, "%s\n", d.msg);
			bad++;
		} else {
			if (!fmt)
				fail_msg("%s: %s", path, d.msg);
			dump(fmt, out);
			good++;
		}
		fclose(out);
		check_golden(expect, got);
		free(got);
		bpfkit_tp_format__free(fmt);
		free(text);
		free(names[i]);
	}
	free(names);
	assert_true(good >= 10);
	assert_true(bad >= 15);
}

static const struct bpfkit_tp_field *field(const struct bpfkit_tp_format *fmt, const char *name)
{
	const struct bpfkit_tp_field *f = bpfkit_tp_format__field(fmt, name);

	if (!f)
		fail_msg("no field '%s'", name);
	return f;
}

static struct bpfkit_tp_format *load_data(const char *name)
{
	char path[1024];
	struct bpfkit_tp_format *fmt;
	struct bpfkit_diag d;
	size_t len = 0;
	char *text;

	snprintf(path, sizeof(path), "%s/kern/%s", data_dir(), name);
	text = slurp(path, &len);
	assert_non_null(text);
	fmt = bpfkit_tp_format__parse(path, text, len, &d);
	free(text);
	if (!fmt)
		fail_msg("%s", d.msg);
	return fmt;
}

/* sched_switch: char arrays are strings, pid_t is a signed int, common_ fields are not args. */
static void test_sched_switch(void **state)
{
	struct bpfkit_tp_format *fmt = load_data("sched_sched_switch.format");
	const struct bpfkit_tp_field *f;

	(void)state;
	assert_string_equal(fmt->name, "sched_switch");
	assert_int_equal(fmt->nfields, 11);
	assert_int_equal(fmt->nargs, 7);
	assert_true(field(fmt, "common_pid")->common);
	f = field(fmt, "prev_comm");
	assert_int_equal(f->kind, BPFKIT_TP_ARRAY);
	assert_string_equal(f->type, "char");
	assert_int_equal(f->array_len, 16);
	assert_int_equal(f->elem_size, 1);
	assert_true(f->is_string);
	assert_false(f->common);
	f = field(fmt, "prev_pid");
	assert_int_equal(f->kind, BPFKIT_TP_INT);
	assert_true(f->is_signed);
	assert_int_equal(f->offset, 24);
	assert_int_equal(f->size, 4);
	f = field(fmt, "prev_state");
	assert_int_equal(f->offset, 32);
	assert_int_equal(f->size, 8);
	assert_null(bpfkit_tp_format__field(fmt, "nonexistent"));
	assert_int_equal(fmt->record_size, 64);
	bpfkit_tp_format__free(fmt);
}

/* __data_loc: 4 bytes in the record, the element type kept, char[] is a string. */
static void test_data_loc(void **state)
{
	struct bpfkit_tp_format *fmt = load_data("dma_dma_map_sg.format");
	const struct bpfkit_tp_field *f;

	(void)state;
	f = field(fmt, "device");
	assert_int_equal(f->kind, BPFKIT_TP_DATA_LOC);
	assert_string_equal(f->type, "char");
	assert_string_equal(f->decl, "__data_loc char[] device");
	assert_int_equal(f->size, 4);
	assert_true(f->is_string);
	f = field(fmt, "phys_addrs");
	assert_int_equal(f->kind, BPFKIT_TP_DATA_LOC);
	assert_string_equal(f->type, "u64");
	assert_int_equal(f->elem_size, 8);
	assert_false(f->is_string);
	f = field(fmt, "lengths");
	assert_string_equal(f->type, "unsigned int");
	assert_int_equal(f->elem_size, 4);
	f = field(fmt, "dir");
	assert_int_equal(f->kind, BPFKIT_TP_INT);
	assert_string_equal(f->type, "enum dma_data_direction");
	f = field(fmt, "truncated");
	assert_int_equal(f->size, 1);
	assert_string_equal(f->type, "bool");
	bpfkit_tp_format__free(fmt);
}

/* Pointers of every spelling, an array of unsigned long that is no string. */
static void test_pointers_and_arrays(void **state)
{
	struct bpfkit_tp_format *fmt = load_data("syscalls_sys_enter_execve.format");
	const struct bpfkit_tp_field *f;

	(void)state;
	f = field(fmt, "filename");
	assert_int_equal(f->kind, BPFKIT_TP_PTR);
	assert_string_equal(f->type, "const char *");
	f = field(fmt, "argv");
	assert_int_equal(f->kind, BPFKIT_TP_PTR);
	assert_string_equal(f->type, "const char *const *");
	assert_string_equal(field(fmt, "__syscall_nr")->type, "int");
	bpfkit_tp_format__free(fmt);

	fmt = load_data("raw_syscalls_sys_enter.format");
	f = field(fmt, "args");
	assert_int_equal(f->kind, BPFKIT_TP_ARRAY);
	assert_int_equal(f->array_len, 6);
	assert_int_equal(f->elem_size, 8);
	assert_false(f->is_string);
	assert_true(field(fmt, "id")->is_signed);
	bpfkit_tp_format__free(fmt);

	fmt = load_data("bridge_br_fdb_add.format");
	f = field(fmt, "addr");
	assert_int_equal(f->array_len, 6);
	assert_false(f->is_string); /* unsigned char[6] is a MAC address */
	assert_false(f->is_signed);
	bpfkit_tp_format__free(fmt);
}

/* Shapes of old kernels: macro lengths, "field special:", no "signed:", __rel_loc. */
static void test_old_shapes(void **state)
{
	struct bpfkit_tp_format *fmt = load_data("synthetic_old_style.format");
	const struct bpfkit_tp_field *f;

	(void)state;
	f = field(fmt, "comm");
	assert_int_equal(f->kind, BPFKIT_TP_ARRAY);
	assert_int_equal(f->array_len, 16); /* TASK_COMM_LEN, from size / sizeof(char) */
	assert_true(f->is_string);
	f = field(fmt, "path");
	assert_int_equal(f->kind, BPFKIT_TP_REL_LOC);
	f = field(fmt, "graph_ent");
	assert_int_equal(f->kind, BPFKIT_TP_BLOB);
	assert_int_equal(field(fmt, "big")->kind, BPFKIT_TP_BLOB);
	f = field(fmt, "ips");
	assert_int_equal(f->kind, BPFKIT_TP_ARRAY);
	assert_int_equal(f->array_len, 0);
	assert_int_equal(f->size, 0);
	assert_int_equal(f->elem_size, sizeof(long));
	assert_false(field(fmt, "common_type")->is_signed);
	assert_int_equal(field(fmt, "flags")->offset, 80);
	assert_string_equal(field(fmt, "flags")->type, "unsigned");
	assert_string_equal(field(fmt, "skpp")->type, "const struct sock *const *");
	assert_int_equal(field(fmt, "skpp")->kind, BPFKIT_TP_PTR);
	assert_int_equal(fmt->nargs, 8);
	bpfkit_tp_format__free(fmt);
}

/* A print fmt with a real newline in it (ext4_fc_stats) is all print fmt. */
static void test_multiline_print_fmt(void **state)
{
	struct bpfkit_tp_format *fmt = load_data("ext4_ext4_fc_stats.format");

	(void)state;
	assert_non_null(fmt->print_fmt);
	assert_non_null(strchr(fmt->print_fmt, '\n'));
	assert_non_null(strstr(fmt->print_fmt, "num_commits:%lu")); /* after the newline */
	assert_int_equal(fmt->print_fmt[strlen(fmt->print_fmt) - 1], 's'); /* "REC->fc_numblks", no '\n' */
	assert_int_equal(field(fmt, "fc_ineligible_rc")->array_len, 10);
	assert_int_equal(field(fmt, "fc_ineligible_rc")->elem_size, 4);
	bpfkit_tp_format__free(fmt);
}

/* A field called just "common_" is a common_ field too (the fuzzer found the off-by-one). */
static void test_common_prefix(void **state)
{
	struct bpfkit_diag d;
	struct bpfkit_tp_format *fmt = parse_str("field:int common_;\toffset:0;\tsize:4;\n"
						 "field:int common;\toffset:4;\tsize:4;\n", &d);

	(void)state;
	assert_non_null(fmt);
	assert_true(field(fmt, "common_")->common);
	assert_false(field(fmt, "common")->common);
	assert_int_equal(fmt->nargs, 1);
	bpfkit_tp_format__free(fmt);
}

/* Errors carry file:line:col, and the diag has the same line and column. */
static void test_error_locations(void **state)
{
	static const struct {
		const char *text;
		int line, col;
		const char *msg;
	} cases[] = {
		{ "name: x\n\tfield:int a;\toffset:1;\tsize:4;\n\tfield:int b;\tsize:4;\n", 3, 22,
		  "t.format:3:22: field has no offset" },
		{ "name: x\nformat:\n  bogus line\n", 3, 3, "t.format:3:3: expected 'name:'" },
		{ "name: x\nID: 12a\n", 2, 5, "t.format:2:5: ID '12a' is not a number" },
		{ "name: x\n\tfield:int a;\toffset:1;\tsize:4;\n\tfield:int a;\toffset:5;\tsize:4;\n", 3, 8,
		  "t.format:3:8: field 'a' appears twice (first on line 2)" },
		{ "name: x\nformat: extra\n", 2, 9, "t.format:2:9: unexpected text after 'format:'" },
		{ "\n\n\n", 3, 1, "t.format:3:1: not a tracepoint format" },
		{ "field:u8 a[3x];\toffset:0;\tsize:3;\n", 1, 12, "t.format:1:12: bad array length '3x'" },
		{ "field:__data_loc filename;\toffset:0;\tsize:4;\n", 1, 7,
		  "t.format:1:7: '__data_loc' without an element type" },
		{ "field:int a;\toffset:1;\tsize:4;\tsigned:x;\n", 1, 39,
		  "t.format:1:39: 'x' is not a number from 0 to 4294967295" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bpfkit_diag d;
		struct bpfkit_tp_format *fmt = parse_str(cases[i].text, &d);

		if (fmt)
			fail_msg("case %zu parsed", i);
		if (strncmp(d.msg, cases[i].msg, strlen(cases[i].msg)))
			fail_msg("case %zu: got '%s', want '%s...'", i, d.msg, cases[i].msg);
		assert_int_equal(d.line, cases[i].line);
		assert_int_equal(d.col, cases[i].col);
	}
}

/* Every prefix of a real file, and the file with each byte flipped, parses or fails cleanly. */
static void test_truncations_and_flips(void **state)
{
	char path[1024];
	size_t len = 0;
	char *text;

	(void)state;
	snprintf(path, sizeof(path), "%s/kern/sched_sched_process_exec.format", data_dir());
	text = slurp(path, &len);
	assert_non_null(text);
	for (size_t n = 0; n <= len; n++) {
		struct bpfkit_diag d;
		struct bpfkit_tp_format *fmt = bpfkit_tp_format__parse(NULL, text, n, &d);

		if (!fmt)
			assert_true(d.msg[0] && !strncmp(d.msg, "format:", 7));
		bpfkit_tp_format__free(fmt);
	}
	for (size_t i = 0; i < len; i++) {
		char *copy = malloc(len);
		struct bpfkit_diag d;
		struct bpfkit_tp_format *fmt;

		assert_non_null(copy);
		memcpy(copy, text, len);
		copy[i] ^= (char)0x5a;
		fmt = bpfkit_tp_format__parse(NULL, copy, len, &d);
		if (fmt)
			assert_true(fmt->nfields <= 4096);
		else
			assert_true(d.line >= 1);
		bpfkit_tp_format__free(fmt);
		free(copy);
	}
	free(text);
}

/* Build TMP/events/SYS/EVENT/format from a data file; returns the tracefs root. */
static void make_tree(char *root, size_t size)
{
	char path[1024], *text;
	size_t len = 0;
	FILE *f;

	snprintf(root, size, "/tmp/bpfkit-tpformat-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/events", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/events/sched", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/events/sched/sched_switch", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/kern/sched_sched_switch.format", data_dir());
	text = slurp(path, &len);
	assert_non_null(text);
	snprintf(path, sizeof(path), "%s/events/sched/sched_switch/format", root);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(text, 1, len, f);
	fclose(f);
	free(text);
}

static void remove_tree(const char *root)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* __load() finds the file, names the tracepoint when it is missing, refuses paths. */
static void test_load(void **state)
{
	struct bpfkit_tp_format *fmt;
	struct bpfkit_diag d;
	char root[256];

	(void)state;
	make_tree(root, sizeof(root));
	fmt = bpfkit_tp_format__load(root, "sched", "sched_switch", &d);
	assert_non_null(fmt);
	assert_int_equal(fmt->nargs, 7);
	assert_non_null(strstr(fmt->file, "events/sched/sched_switch/format"));
	bpfkit_tp_format__free(fmt);
	assert_null(bpfkit_tp_format__load(root, "sched", "no_such_event", &d));
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(d.msg, "no tracepoint sched:no_such_event"));
	assert_null(bpfkit_tp_format__load(root, "..", "sched_switch", &d));
	assert_int_equal(errno, EINVAL);
	assert_null(bpfkit_tp_format__load(root, "sched", "a/b", &d));
	assert_int_equal(errno, EINVAL);
	assert_null(bpfkit_tp_format__load(root, NULL, "x", &d));
	assert_int_equal(errno, EINVAL);
	remove_tree(root);
}

/*
 * The kernel's own formats, every one of them, when this machine lets us
 * read them: they all parse, and each names the event its directory does.
 */
static void test_live_tracefs(void **state)
{
	char root[4096], path[8192];
	struct dirent *s, *e;
	int n = 0;
	DIR *events, *sys;

	(void)state;
	if (bpfkit_tracefs_find(root, sizeof(root), 0, NULL)) {
		print_message("# SKIP tracefs is not mounted\n");
		skip();
	}
	snprintf(path, sizeof(path), "%s/events", root);
	events = opendir(path);
	if (!events) {
		print_message("# SKIP cannot read %s: %s\n", path, strerror(errno));
		skip();
	}
	while ((s = readdir(events))) {
		if (s->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/events/%s", root, s->d_name);
		sys = opendir(path);
		if (!sys)
			continue;
		while ((e = readdir(sys))) {
			struct bpfkit_tp_format *fmt;
			struct bpfkit_diag d;

			if (e->d_name[0] == '.' || e->d_type != DT_DIR)
				continue;
			fmt = bpfkit_tp_format__load(root, s->d_name, e->d_name, &d);
			if (!fmt)
				fail_msg("%s", d.msg);
			assert_string_equal(fmt->name, e->d_name);
			assert_true(fmt->has_id);
			bpfkit_tp_format__free(fmt);
			n++;
		}
		closedir(sys);
	}
	closedir(events);
	print_message("# parsed %d formats from %s\n", n, root);
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_files),
		cmocka_unit_test(test_sched_switch),
		cmocka_unit_test(test_data_loc),
		cmocka_unit_test(test_pointers_and_arrays),
		cmocka_unit_test(test_old_shapes),
		cmocka_unit_test(test_multiline_print_fmt),
		cmocka_unit_test(test_common_prefix),
		cmocka_unit_test(test_error_locations),
		cmocka_unit_test(test_truncations_and_flips),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_live_tracefs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
