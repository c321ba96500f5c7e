// SPDX-License-Identifier: MIT
/*
 * Unit tests of printf() formatting and time() (src/out/fmt.c): the golden
 * test replays tests/data/out/printf.bt's printf calls and compares with
 * what bpftrace 0.17 printed (printf.txt, printf.json); the error messages
 * are the ones bpftrace 0.17 gives for the same formats (captured with
 * `bpftrace -e 'BEGIN { printf(...); }'`); then offsets, limits and time().
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

#include "out_test.h"

#define MAX_ARGS 10
#define S63 "123456789012345678901234567890123456789012345678901234567890123"

/* One printf() call of printf.bt. */
struct pf_case {
	const char *fmt;
	size_t nargs;
	struct bpfkit_out_val args[MAX_ARGS];
};

#define I(x) V_S64(x)
#define I32(x) V_INT(x, 4, true)
#define I16(x) V_INT(x, 2, true)
#define I8(x) V_INT(x, 1, true)
#define U8(x) V_INT(x, 1, false)
#define U16(x) V_INT(x, 2, false)
#define U32(x) V_INT(x, 4, false)
#define CASE(f, n, ...) { f, n, { __VA_ARGS__ } }

static const struct pf_case printf_bt[] = {
	CASE("[%d|%u|%x|%X|%o|%s|%c|%p]\n", 8, I(-1), I(-3), I(255), I(255), I(8), V_STR("str"),
	     I(65), I(4096)),
	CASE("[%lu|%llu|%ld|%lld|%hu|%hhu|%hd|%hhd|%lx]\n", 9, I(-1), I(-1), I(-1), I(-1), I(-1),
	     I(-1), I(70000), I(300), I(-1)),
	CASE("[%-16s|%5d|%08x|%.3s|%-5d|%5.2s|%-8s|%8.3s]\n", 8, V_STR("left"), I(42), I(0xbeef),
	     V_STR("abcdef"), I(7), V_STR("xyz"), V_STR("de"), V_STR("fghij")),
	CASE("%d %u %x %c|%hhd %hd %ld\n", 7, I(0x1ffffffff), I(0x1ffffffff), I(0x1ffffffff),
	     I(0x141), I(0x1ff), I(0x1ffff), I(0x1ffffffff)),
	CASE("%ld %ld %ld %lu %d %d|%p|%c|\n", 8, I32(-1), I8(-1), I16(-2), I32(-1), U8(200),
	     I8(-1), I(0), I(0)),
	CASE("%p %lp %hhp %x %lx %jd %zu %td %jx\n", 9, I(-1), I(-1), I(-1), I(-1), I(-1), I(-5),
	     I(-5), I(-5), I(-5)),
	CASE("%x|%o|%X|%lo|%llX\n", 5, I32(-1), I8(-1), I(-1), U16(65535), U32(3000000000u)),
	CASE("[%5c][%-3c][%08s][%.1d][%.5d][%-08d][%010.4d][%00005d]\n", 8, I(65), I(66),
	     V_STR("ab"), I(5), I(42), I(3), I(7), I(9)),
	CASE("%d %d\n", 2, I(0x7fffffff), I(0x80000000)),
	CASE("%lld %llu\n", 2, I(INT64_MIN), I(INT64_MIN)),
	CASE("100%%\n", 0),
	CASE("%d%%\n", 1, I(5)),
	CASE("%%d|%d\n", 2, I(5), I(6)),
	CASE("a%%b%dc%%\n", 1, I(7)),
	CASE("%i %q %\n", 0),
	CASE("%s and %s\n", 2, V_STR(""), V_STR("two words")),
	CASE("%r|%rx|%s\n", 3, V_BUF("a\x01"
				     "b\xff"
				     "z"),
	     V_BUF("a\x01"
		   "b"),
	     V_STR("x")),
	CASE("%-10r|%5rx|%r\n", 3, V_BUF("ab"), V_BUF("cd"), V_BUF("")),
	CASE("%%r %r\n", 2, V_BUF("e"), V_BUF("f")),
	CASE("%rh|%rx|%r|%5rh|\n", 4, V_BUF("ab\x01\xff"), V_BUF("ab\x01"), V_BUF("ab\x01"),
	     V_BUF("a")),
	CASE("%%rh %rh|%rhx\n", 3, V_BUF("z"), V_BUF("y"), V_BUF("w")),
	CASE("%c%c%c\n", 3, I(0x6f), I(0x6b), I(0x21)),
	CASE("x%cy", 1, I(0)),
	CASE("\n", 0),
	CASE("%5c|%-5c|\n", 2, I(0), I(0)),
	CASE("tab\there \"quoted\" back\\slash\n", 0),
	CASE("no newline", 0),
	CASE("\n", 0),
	CASE("%s|%d|%s\n", 3, V_STR(S63), I(1), V_STR("z")),
};

static void scen_printf(const struct bpfkit_out *o)
{
	struct bpfkit_diag d;
	size_t i;

	assert_int_equal(bpfkit_out__attached(o, 1), 0);
	for (i = 0; i < NELEM(printf_bt); i++) {
		bpfkit_diag__clear(&d);
		if (bpfkit_out__printf(o, printf_bt[i].fmt, printf_bt[i].args, printf_bt[i].nargs,
				       &d))
			fail_msg("case %zu (%s): %s", i, printf_bt[i].fmt, d.msg);
	}
	assert_int_equal(bpfkit_out__exit_maps(o, NULL, 0, NULL), 0);
}

static void test_golden_printf(void **state)
{
	struct cap c;
	char *got;

	(void)state;
	cap_open(&c, BPFKIT_OUT_TEXT);
	scen_printf(&c.o);
	got = cap_close(&c);
	golden_check("printf.txt", got);
	free(got);
	cap_open(&c, BPFKIT_OUT_JSON);
	scen_printf(&c.o);
	got = cap_close(&c);
	golden_check("printf.json", got);
	free(got);
}

/* ---- Errors ---------------------------------------------------------------------------- */

struct err_case {
	const char *fmt;
	size_t nargs;
	enum bpfkit_out_kind kinds[MAX_ARGS];
	const char *msg; /* bpftrace 0.17's, without "stdin:1:8-29: ERROR: " */
	int col, len; /* where we point */
};

static const struct err_case errors[] = {
	{ "%d\n", 1, { BPFKIT_OUT_STR },
	  "printf: %d specifier expects a value of type integer (string supplied)", 1, 2 },
	{ "%s\n", 1, { BPFKIT_OUT_INT },
	  "printf: %s specifier expects a value of type string (integer supplied)", 1, 2 },
	{ "%d %d\n", 1, { BPFKIT_OUT_INT },
	  "printf: Not enough arguments for format string (1 supplied, 2 expected)", 4, 2 },
	{ "%r\n", 1, { BPFKIT_OUT_INT },
	  "printf: %r specifier expects a value of type buffer (integer supplied)", 1, 2 },
	{ "%rx\n", 1, { BPFKIT_OUT_INT },
	  "printf: %rx specifier expects a value of type buffer (integer supplied)", 1, 3 },
	{ "%rh\n", 1, { BPFKIT_OUT_INT },
	  "printf: %rh specifier expects a value of type buffer (integer supplied)", 1, 3 },
	{ "%c\n", 1, { BPFKIT_OUT_STR },
	  "printf: %c specifier expects a value of type integer (string supplied)", 1, 2 },
	{ "%d\n", 1, { BPFKIT_OUT_TUPLE },
	  "printf: %d specifier expects a value of type integer (tuple supplied)", 1, 2 },
	{ "%s\n", 1, { BPFKIT_OUT_BUF },
	  "printf: %s specifier expects a value of type string (buffer supplied)", 1, 2 },
	{ "%r\n", 1, { BPFKIT_OUT_STR },
	  "printf: %r specifier expects a value of type buffer (string supplied)", 1, 2 },
	{ "ab %-08.3lu\n", 1, { BPFKIT_OUT_STR },
	  "printf: %lu specifier expects a value of type integer (string supplied)", 4, 8 },
	{ "%5.2hhX\n", 1, { BPFKIT_OUT_STR },
	  "printf: %hhX specifier expects a value of type integer (string supplied)", 1, 7 },
	{ "%s %d\n", 2, { BPFKIT_OUT_STR, BPFKIT_OUT_STR },
	  "printf: %d specifier expects a value of type integer (string supplied)", 4, 2 },
	{ "[%d|%i|%u|%x|%X|%o|%s|%c|%p]\n", 9,
	  { BPFKIT_OUT_INT, BPFKIT_OUT_INT, BPFKIT_OUT_INT, BPFKIT_OUT_INT, BPFKIT_OUT_INT,
	    BPFKIT_OUT_INT, BPFKIT_OUT_STR, BPFKIT_OUT_INT, BPFKIT_OUT_INT },
	  "printf: Too many arguments for format string (9 supplied, 8 expected)", 30, 0 },
	{ "%i %q %\n", 1, { BPFKIT_OUT_INT },
	  "printf: Too many arguments for format string (1 supplied, 0 expected)", 9, 0 },
	{ "%%r %r\n", 1, { BPFKIT_OUT_BUF },
	  "printf: Not enough arguments for format string (1 supplied, 2 expected)", 5, 2 },
	{ "%d %99999d\n", 2, { BPFKIT_OUT_INT, BPFKIT_OUT_INT },
	  "printf: field width or precision of %99999d over 65535", 4, 7 },
};

static void test_errors(void **state)
{
	struct bpfkit_diag d;
	struct bpfkit_out_val args[MAX_ARGS];
	char *out = (char *)"untouched";
	size_t i, k;

	(void)state;
	for (i = 0; i < NELEM(errors); i++) {
		const struct err_case *e = &errors[i];

		bpfkit_diag__clear(&d);
		assert_int_equal(bpfkit_fmt__check(e->fmt, e->kinds, e->nargs, &d), -EINVAL);
		assert_string_equal(d.msg, e->msg);
		assert_int_equal(d.line, 0);
		assert_int_equal(d.col, e->col);
		assert_int_equal(d.len, e->len);

		/* bpfkit_fmt__format() refuses the same, from the values' kinds */
		for (k = 0; k < e->nargs; k++) {
			static const struct bpfkit_out_val one[] = { V_S64(1) };

			if (e->kinds[k] == BPFKIT_OUT_INT)
				args[k] = bpfkit_out_s64(1);
			else if (e->kinds[k] == BPFKIT_OUT_STR)
				args[k] = bpfkit_out_str("s");
			else if (e->kinds[k] == BPFKIT_OUT_BUF)
				args[k] = bpfkit_out_buf("b", 1);
			else
				args[k] = bpfkit_out_tuple(one, 1);
		}
		bpfkit_diag__clear(&d);
		assert_int_equal(bpfkit_fmt__format(e->fmt, args, e->nargs, &out, NULL, &d), -EINVAL);
		assert_null(out);
		assert_string_equal(d.msg, e->msg);
		out = (char *)"untouched";
	}
	assert_int_equal(bpfkit_fmt__check(NULL, NULL, 0, NULL), -EINVAL);
	assert_int_equal(bpfkit_fmt__check("%d", NULL, 1, NULL), -EINVAL);
	assert_int_equal(bpfkit_fmt__check("%d %s %r %rx %-5.3llx", (const enum bpfkit_out_kind[]){
							BPFKIT_OUT_INT, BPFKIT_OUT_STR, BPFKIT_OUT_BUF,
							BPFKIT_OUT_BUF, BPFKIT_OUT_INT },
					   5, NULL),
			 0);
}

/* ---- Direct formatting ------------------------------------------------------------- */

static char *fmt1(const char *fmt, struct bpfkit_out_val v)
{
	char *out;
	size_t len;
	struct bpfkit_diag d;

	bpfkit_diag__clear(&d);
	if (bpfkit_fmt__format(fmt, &v, 1, &out, &len, &d))
		fail_msg("%s: %s", fmt, d.msg);
	assert_int_equal(len, strlen(out));
	return out;
}

#define EXPECT1(fmt, v, want)                                                                  \
	do {                                                                                   \
		char *got_ = fmt1(fmt, v);                                                     \
		assert_string_equal(got_, want);                                               \
		free(got_);                                                                    \
	} while (0)

/* Widths up to the limit, the parts of the regex, odd '%' sequences. */
static void test_format_edges(void **state)
{
	char *big, *out;
	size_t len;

	(void)state;
	big = fmt1("%65535d", bpfkit_out_s64(7));
	assert_int_equal(strlen(big), 65535);
	assert_int_equal(big[65534], '7');
	free(big);
	EXPECT1("%.65535s|", bpfkit_out_str("abc"), "abc|");
	EXPECT1("%-5.d|%d", bpfkit_out_s64(3), "%-5.d|3"); /* "%-5." is no conversion */
	EXPECT1("%--5d|%5d", bpfkit_out_s64(3), "%--5d|    3");
	EXPECT1("%lld|%llld", bpfkit_out_s64(-3), "-3|%llld");
	EXPECT1("%hhhd %hd", bpfkit_out_s64(65537), "%hhhd 1");
	EXPECT1("50% done %d", bpfkit_out_s64(9), "50% done 9");
	EXPECT1("%zx", bpfkit_out_int(0xff, 1, true), "ffffffffffffffff");
	EXPECT1("%zx", bpfkit_out_int(0xff, 1, false), "ff");
	EXPECT1("%5p|", bpfkit_out_s64(0), "(nil)|");
	EXPECT1("%-8p|", bpfkit_out_s64(16), "0x10    |");
	EXPECT1("%s", bpfkit_out_strn("ab\0cd", 5), "ab");
	EXPECT1("[%rx]", bpfkit_out_buf("\x00\xff", 2), "[\\x00\\xff]");
	EXPECT1("%%%r", bpfkit_out_buf("\"", 1), "%\"");
	EXPECT1("%c", bpfkit_out_s64(0x1ff), "\xff");
	/* text after the last conversion is written as it stands */
	assert_int_equal(bpfkit_fmt__format("%% %5 %", NULL, 0, &out, &len, NULL), 0);
	assert_string_equal(out, "%% %5 %");
	assert_int_equal(len, 7);
	free(out);
	assert_int_equal(bpfkit_fmt__format("", NULL, 0, &out, NULL, NULL), 0);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(bpfkit_fmt__format("%d", NULL, 0, &out, NULL, NULL), -EINVAL);
	assert_int_equal(bpfkit_fmt__format(NULL, NULL, 0, &out, NULL, NULL), -EINVAL);
}

/* ---- time() ------------------------------------------------------------------------ */

static void test_time(void **state)
{
	struct tm tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 22, .tm_hour = 3, .tm_min = 4,
			 .tm_sec = 5, .tm_wday = 0 };
	struct bpfkit_diag d;
	struct cap c;
	char *got;

	(void)state;
	cap_open(&c, BPFKIT_OUT_TEXT);
	assert_int_equal(bpfkit_out__time(&c.o, NULL, &tm, NULL), 0);
	assert_int_equal(bpfkit_out__time(&c.o, "%Y-%m-%d x%%y|", &tm, NULL), 0);
	bpfkit_diag__clear(&d);
	assert_int_equal(bpfkit_out__time(&c.o, "%c%c%c", &tm, &d), -ERANGE);
	assert_string_equal(d.msg, "strftime returned 0");
	assert_int_equal(bpfkit_out__time(&c.o, "", &tm, NULL), -ERANGE);
	assert_int_equal(bpfkit_out__time(&c.o, S63, &tm, NULL), 0);
	assert_int_equal(bpfkit_out__time(&c.o, S63 "4", &tm, NULL), -ERANGE);
	assert_int_equal(bpfkit_out__time(&c.o, NULL, NULL, NULL), -EINVAL);
	got = cap_close(&c);
	assert_string_equal(got, "03:04:05\n2026-11-22 x%y|" S63);
	free(got);

	cap_open(&c, BPFKIT_OUT_JSON);
	assert_int_equal(bpfkit_out__time(&c.o, NULL, &tm, NULL), 0);
	got = cap_close(&c);
	assert_string_equal(got, "{\"type\": \"time\", \"data\": \"03:04:05\\n\"}\n");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_printf),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_format_edges),
		cmocka_unit_test(test_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
