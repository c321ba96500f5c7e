// SPDX-License-Identifier: MIT
/*
 * Unit tests of printf() formatting and time() (src/out/fmt.c): the golden
 * test replays tests/data/out/printf.bt's printf calls and compares with
 * what bpftrace 0.17 printed (printf.txt, printf.json); the error messages
 * are the ones bpftrace 0.17 gives for the same formats (captured with
 * `bpftrace -e 'BEGIN { printf(...); }'`); then offsets, limits and time();
 * then the text of strftime(), join() and cat() and how timestamps print,
 * each checked against what bpftrace 0.17 printed for the same input.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* ---- strftime() ---------------------------------------------------------------------- */

/* bpfkit_fmt__strftime() into a fresh buffer; returns its text (static). */
static const char *ts(const char *fmt, const struct timespec *boot, uint64_t nsecs, int want)
{
	static char buf[BPFKIT_FMT_STRFTIME_SIZE];
	struct bpfkit_diag d;

	bpfkit_diag__clear(&d);
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(bpfkit_fmt__strftime(buf, sizeof(buf), fmt, boot, nsecs, &d), want);
	if (want >= 0)
		assert_int_equal(strlen(buf), (size_t)want);
	else if (want == -ERANGE)
		assert_string_equal(d.msg, "strftime returned 0");
	return buf;
}

/*
 * What bpftrace 0.17 printed on a machine whose boot time was
 * 1795313838.837390xxx (UTC here): strftime("%s.%f", 0) gave
 * "1795313838.837390", ("%s %f", 1000) "... 837391", ("%s %f", 999999999)
 * "1795313839 837390"; -1 wraps back to the boot time; "%%f" is an error
 * ("%837390" is no strftime format), "%ff" gives "837390f"; 63 bytes fit,
 * 64 do not.
 */
static void test_strftime(void **state)
{
	const struct timespec boot = { .tv_sec = 1795313838, .tv_nsec = 837390123 };
	const struct timespec early = { .tv_sec = 1000, .tv_nsec = 5000 };
	char small[4];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_string_equal(ts("%s.%f", &boot, 0, 17), "1795313838.837390");
	assert_string_equal(ts("%s %f", &boot, 1000, 17), "1795313838 837391");
	assert_string_equal(ts("%s %f", &boot, 999999999, 17), "1795313839 837390");
	assert_string_equal(ts("%s %f", &boot, UINT64_MAX, 17), "1795313838 837390");
	assert_string_equal(ts("%Y-%m-%d %H:%M:%S.%f", &boot, 2000000000, 26), "2026-11-22 02:17:20.837390");
	assert_string_equal(ts("%ff|%f", &early, 0, 14), "000005f|000005");
	assert_string_equal(ts("%%f", &boot, 0, -ERANGE), "(?)");
	assert_string_equal(ts("a%%%%fb", &boot, 0, -ERANGE), "(?)");
	assert_string_equal(ts("", &boot, 0, -ERANGE), "(?)");
	assert_string_equal(ts(S63, &boot, 0, 63), S63);
	assert_string_equal(ts(S63 "%Y", &boot, 0, -ERANGE), "(?)");
	assert_string_equal(ts("%d %B", &boot, 86400ull * 1000000000, 11), "23 November");
	/* what the tracer prints the value as */
	assert_int_equal(bpfkit_fmt__strftime(small, sizeof(small), "%Y", &boot, 0, NULL), -ERANGE);
	assert_string_equal(small, "(?)");
	assert_int_equal(bpfkit_fmt__strftime(small, sizeof(small), "%y", &boot, 0, NULL), 2);
	assert_int_equal(bpfkit_fmt__strftime(small, 3, "%y", &boot, 0, NULL), -EINVAL);
	assert_int_equal(bpfkit_fmt__strftime(small, sizeof(small), NULL, &boot, 0, NULL), -EINVAL);
	assert_int_equal(bpfkit_fmt__strftime(small, sizeof(small), "%y", NULL, 0, NULL), -EINVAL);
}

/* Timestamps print as strings in text and printf %s, bare in JSON (bpftrace
 * 0.17: @a: 02:17 / {"@a": 02:17}, tuples [1,02:17], keys "02:17,2"). */
static void test_timestamp_values(void **state)
{
	static const struct bpfkit_out_val tup[] = { V_S64(1), { .kind = BPFKIT_OUT_TIMESTAMP, .s = { "02:17", 5 } } };
	const struct bpfkit_out_val t = bpfkit_out_timestamp("02:17", 5), tv = V_TUP(tup);
	const struct bpfkit_out_entry scalar[] = { { .value = t } };
	const struct bpfkit_out_entry keyed[] = { { .key = KEYS(bpfkit_out_timestamp("02:17", 5), V_S64(2)),
						    .value = V_S64(1) } };
	const struct bpfkit_out_map ms = { .name = "@a", .agg = BPFKIT_OUT_PLAIN, .entries = scalar, .nentries = 1 };
	const struct bpfkit_out_map mk = { .name = "@e", .agg = BPFKIT_OUT_PLAIN, .nkeys = 2, .entries = keyed,
					   .nentries = 1 };
	enum bpfkit_out_kind k = BPFKIT_OUT_TIMESTAMP;
	struct bpfkit_diag d;
	struct cap c;
	char *got;

	(void)state;
	EXPECT1("[%-7s]", t, "[02:17  ]");
	bpfkit_diag__clear(&d);
	assert_int_equal(bpfkit_fmt__check("%d", &k, 1, &d), -EINVAL);
	assert_string_equal(d.msg, "printf: %d specifier expects a value of type integer (string supplied)");
	cap_open(&c, BPFKIT_OUT_TEXT);
	assert_int_equal(bpfkit_out__map(&c.o, &ms, 0, 0, NULL), 0);
	assert_int_equal(bpfkit_out__map(&c.o, &mk, 0, 0, NULL), 0);
	assert_int_equal(bpfkit_out__value(&c.o, &tv, NULL), 0);
	got = cap_close(&c);
	assert_string_equal(got, "@a: 02:17\n@e[02:17, 2]: 1\n(1, 02:17)\n");
	free(got);
	cap_open(&c, BPFKIT_OUT_JSON);
	assert_int_equal(bpfkit_out__map(&c.o, &ms, 0, 0, NULL), 0);
	assert_int_equal(bpfkit_out__map(&c.o, &mk, 0, 0, NULL), 0);
	assert_int_equal(bpfkit_out__value(&c.o, &tv, NULL), 0);
	got = cap_close(&c);
	assert_string_equal(got, "{\"type\": \"map\", \"data\": {\"@a\": 02:17}}\n"
				 "{\"type\": \"map\", \"data\": {\"@e\": {\"02:17,2\": 1}}}\n"
				 "{\"type\": \"value\", \"data\": [1,02:17]}\n");
	free(got);
}

/* Probes print as their names: in text, printf %s (a "string" to %d's
 * message), and quoted in JSON, as bpftrace 0.17 prints them (@a: BEGIN /
 * {"@a": "BEGIN"}, tuples ["BEGIN",4], keys "BEGIN,1"); the id is no part
 * of the text. */
static void test_probe_values(void **state)
{
	static const struct bpfkit_out_val tup[] = { { .kind = BPFKIT_OUT_PROBE, .s = { "BEGIN", 5, 3 } }, V_S64(4) };
	const struct bpfkit_out_val p = bpfkit_out_probe("tracepoint:a:\"b\"", 16, 7), tv = V_TUP(tup);
	const struct bpfkit_out_entry scalar[] = { { .value = p } };
	const struct bpfkit_out_entry keyed[] = { { .key = KEYS(bpfkit_out_probe("BEGIN", 5, 9), V_S64(1)),
						    .value = V_S64(2) } };
	const struct bpfkit_out_map ms = { .name = "@a", .agg = BPFKIT_OUT_PLAIN, .entries = scalar, .nentries = 1 };
	const struct bpfkit_out_map mk = { .name = "@t", .agg = BPFKIT_OUT_PLAIN, .nkeys = 2, .entries = keyed,
					   .nentries = 1 };
	enum bpfkit_out_kind k = BPFKIT_OUT_PROBE;
	struct bpfkit_diag d;
	struct cap c;
	char *got;

	(void)state;
	assert_int_equal(p.s.id, 7);
	EXPECT1("[%-7s]", tup[0], "[BEGIN  ]");
	EXPECT1("%s|", p, "tracepoint:a:\"b\"|");
	assert_int_equal(bpfkit_fmt__check("%s", &k, 1, NULL), 0);
	bpfkit_diag__clear(&d);
	assert_int_equal(bpfkit_fmt__check("%d", &k, 1, &d), -EINVAL);
	assert_string_equal(d.msg, "printf: %d specifier expects a value of type integer (string supplied)");
	cap_open(&c, BPFKIT_OUT_TEXT);
	assert_int_equal(bpfkit_out__map(&c.o, &ms, 0, 0, NULL), 0);
	assert_int_equal(bpfkit_out__map(&c.o, &mk, 0, 0, NULL), 0);
	assert_int_equal(bpfkit_out__value(&c.o, &tv, NULL), 0);
	got = cap_close(&c);
	assert_string_equal(got, "@a: tracepoint:a:\"b\"\n@t[BEGIN, 1]: 2\n(BEGIN, 4)\n");
	free(got);
	cap_open(&c, BPFKIT_OUT_JSON);
	assert_int_equal(bpfkit_out__map(&c.o, &ms, 0, 0, NULL), 0);
	assert_int_equal(bpfkit_out__map(&c.o, &mk, 0, 0, NULL), 0);
	assert_int_equal(bpfkit_out__value(&c.o, &tv, NULL), 0);
	got = cap_close(&c);
	assert_string_equal(got, "{\"type\": \"map\", \"data\": {\"@a\": \"tracepoint:a:\\\"b\\\"\"}}\n"
				 "{\"type\": \"map\", \"data\": {\"@t\": {\"BEGIN,1\": 2}}}\n"
				 "{\"type\": \"value\", \"data\": [\"BEGIN\",4]}\n");
	free(got);
}

/* ---- join(), cat(), and the messages of system() and cat() ------------------------------ */

static void test_join(void **state)
{
	const struct bpfkit_out_val parts[] = { V_STR("/bin/echo"), V_STR("b c"), V_STR(""), V_STR("d") };
	const struct bpfkit_out_val bad[] = { V_STR("a"), V_S64(1) };
	char *out;
	size_t len;
	struct cap c;

	(void)state;
	assert_int_equal(bpfkit_fmt__join(parts, 4, NULL, &out, &len), 0);
	assert_string_equal(out, "/bin/echo b c");
	assert_int_equal(len, 13);
	free(out);
	assert_int_equal(bpfkit_fmt__join(parts, 4, ", ", &out, NULL), 0);
	assert_string_equal(out, "/bin/echo, b c");
	free(out);
	assert_int_equal(bpfkit_fmt__join(parts, 2, "", &out, NULL), 0);
	assert_string_equal(out, "/bin/echob c");
	free(out);
	assert_int_equal(bpfkit_fmt__join(parts + 2, 2, NULL, &out, &len), 0);
	assert_string_equal(out, "");
	assert_int_equal(len, 0);
	free(out);
	assert_int_equal(bpfkit_fmt__join(bad, 2, NULL, &out, NULL), -EINVAL);
	assert_null(out);
	/* bpftrace prints join() with a newline; JSON {"type": "join", ...} */
	cap_open(&c, BPFKIT_OUT_TEXT);
	assert_int_equal(bpfkit_out__message(&c.o, BPFKIT_OUT_MSG_JOIN, "a b", 3, true), 0);
	assert_int_equal(bpfkit_out__message(&c.o, BPFKIT_OUT_MSG_SYSCALL, "42\n", 3, false), 0);
	assert_int_equal(bpfkit_out__message(&c.o, BPFKIT_OUT_MSG_CAT, "x", 1, false), 0);
	out = cap_close(&c);
	assert_string_equal(out, "a b\n42\nx");
	free(out);
	cap_open(&c, BPFKIT_OUT_JSON);
	assert_int_equal(bpfkit_out__message(&c.o, BPFKIT_OUT_MSG_JOIN, "a b", 3, true), 0);
	assert_int_equal(bpfkit_out__message(&c.o, BPFKIT_OUT_MSG_SYSCALL, "42\n", 3, false), 0);
	assert_int_equal(bpfkit_out__message(&c.o, BPFKIT_OUT_MSG_CAT, "", 0, false), 0);
	out = cap_close(&c);
	assert_string_equal(out, "{\"type\": \"join\", \"data\": \"a b\"}\n{\"type\": \"syscall\", \"data\": \"42\\n\"}\n"
				 "{\"type\": \"cat\", \"data\": \"\"}\n");
	free(out);
}

/* cat(): bpftrace's messages for a missing file and a directory (which
 * opens, then fails to read), and its limit of BPFKIT_FMT_CAT_MAX bytes. */
static void test_cat(void **state)
{
	char dir[] = "/tmp/bpfkit-cat-XXXXXX", path[64], msg[160], *out;
	struct bpfkit_diag d;
	size_t len;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("line1\nline2", f);
	for (int i = 0; i < 3000; i++)
		fputs("0123456789", f);
	fclose(f);
	assert_int_equal(bpfkit_fmt__cat(path, BPFKIT_FMT_CAT_MAX, &out, &len, NULL), 0);
	assert_int_equal(len, 10240);
	assert_int_equal(strlen(out), 10240);
	assert_memory_equal(out, "line1\nline2012", 14);
	free(out);
	assert_int_equal(bpfkit_fmt__cat(path, 8, &out, &len, NULL), 0);
	assert_string_equal(out, "line1\nli");
	free(out);
	bpfkit_diag__clear(&d);
	assert_int_equal(bpfkit_fmt__cat(dir, 100, &out, &len, &d), -EISDIR);
	snprintf(msg, sizeof(msg), "failed to open file '%s': Is a directory", dir);
	assert_string_equal(d.msg, msg);
	assert_string_equal(out, "");
	free(out);
	unlink(path);
	bpfkit_diag__clear(&d);
	assert_int_equal(bpfkit_fmt__cat(path, 100, &out, &len, &d), -ENOENT);
	snprintf(msg, sizeof(msg), "failed to open file '%s': No such file or directory", path);
	assert_string_equal(d.msg, msg);
	assert_int_equal(len, 0);
	free(out);
	rmdir(dir);
	assert_int_equal(bpfkit_fmt__cat(NULL, 100, &out, &len, NULL), -EINVAL);
}

/* system() and cat() check their formats as printf() does, under their names. */
static void test_check_for(void **state)
{
	enum bpfkit_out_kind k[2] = { BPFKIT_OUT_INT, BPFKIT_OUT_STR };
	struct bpfkit_diag d;

	(void)state;
	bpfkit_diag__clear(&d);
	assert_int_equal(bpfkit_fmt__check_for("system", "echo %d", k, 0, &d), -EINVAL);
	assert_string_equal(d.msg, "system: Not enough arguments for format string (0 supplied, 1 expected)");
	bpfkit_diag__clear(&d);
	assert_int_equal(bpfkit_fmt__check_for("cat", "/proc/%d/%d", k, 2, &d), -EINVAL);
	assert_string_equal(d.msg, "cat: %d specifier expects a value of type integer (string supplied)");
	assert_int_equal(d.col, 10);
	assert_int_equal(bpfkit_fmt__check_for("cat", "/proc/%d/%s", k, 2, NULL), 0);
	assert_int_equal(bpfkit_fmt__check_for(NULL, "x", k, 0, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_printf),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_format_edges),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_strftime),
		cmocka_unit_test(test_timestamp_values),
		cmocka_unit_test(test_probe_values),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_cat),
		cmocka_unit_test(test_check_for),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
