// SPDX-License-Identifier: MIT
/*
 * Program I/O: format detection, the raw and hex readers (and their
 * errors with line:col), raw output, the .data parser and load_any's
 * dispatch for the formats that do not need the assembler or ELF reader.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <bpfkit/isa.h>

#define S(lit) lit, sizeof(lit) - 1

static void test_detect(void **state)
{
	static const unsigned char raw[] = { 0xb7, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
					     0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };

	(void)state;
	assert_int_equal(bpfkit_fmt_detect(S("\177ELF\2\1\1")), BPFKIT_FMT_ELF);
	assert_int_equal(bpfkit_fmt_detect(raw, sizeof(raw)), BPFKIT_FMT_RAW);
	assert_int_equal(bpfkit_fmt_detect(NULL, 0), BPFKIT_FMT_RAW);
	assert_int_equal(bpfkit_fmt_detect(S("# test\n-- asm\nexit\n-- result\n0x0\n")), BPFKIT_FMT_DATA);
	assert_int_equal(bpfkit_fmt_detect(S("-- raw\n0x95\n")), BPFKIT_FMT_DATA);
	/* "-- asm" must start a line and be the whole word */
	assert_int_equal(bpfkit_fmt_detect(S("exit # -- asm\n")), BPFKIT_FMT_ASM);
	assert_int_equal(bpfkit_fmt_detect(S("b7 00 00 00 01 00 00 00\n95 00 00 00 00 00 00 00\n")),
			 BPFKIT_FMT_HEX);
	assert_int_equal(bpfkit_fmt_detect(S("b700000001000000\n9500000000000000\n")), BPFKIT_FMT_HEX);
	assert_int_equal(bpfkit_fmt_detect(S("0x00000001000000b7\n0x95 # exit\n")), BPFKIT_FMT_HEX);
	assert_int_equal(bpfkit_fmt_detect(S("mov %r0, 1\nexit\n")), BPFKIT_FMT_ASM);
	assert_int_equal(bpfkit_fmt_detect(S("r0 = 1\nexit\n")), BPFKIT_FMT_ASM);
	assert_int_equal(bpfkit_fmt_detect(S("# only a comment\n")), BPFKIT_FMT_ASM);
	/* UTF-8 in comments is still text; other high bytes are not */
	assert_int_equal(bpfkit_fmt_detect(S("exit # caf\xc3\xa9\n")), BPFKIT_FMT_ASM);
	assert_int_equal(bpfkit_fmt_detect(S("exit # caf\xe9\n")), BPFKIT_FMT_RAW);
}

static void test_fmt_names(void **state)
{
	(void)state;
	for (int f = BPFKIT_FMT_AUTO; f <= BPFKIT_FMT_ELF; f++)
		assert_int_equal(bpfkit_fmt_parse(bpfkit_fmt_name((enum bpfkit_fmt)f)), f);
	assert_string_equal(bpfkit_fmt_name(BPFKIT_FMT_DATA), "data");
	assert_int_equal(bpfkit_fmt_parse("HEX"), BPFKIT_FMT_HEX);
	assert_int_equal(bpfkit_fmt_parse("bin"), BPFKIT_FMT_RAW);
	assert_int_equal(bpfkit_fmt_parse("obj"), BPFKIT_FMT_ELF);
	assert_int_equal(bpfkit_fmt_parse("pdf"), -1);
	assert_int_equal(bpfkit_fmt_parse(NULL), -1);
	assert_string_equal(bpfkit_fmt_name((enum bpfkit_fmt)99), "unknown");
}

static void test_raw(void **state)
{
	static const unsigned char raw[] = { 0x61, 0x21, 0xfe, 0xff, 0x78, 0x56, 0x34, 0x92,
					     0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	struct bpfkit_prog *p = NULL;
	struct bpfkit_diag d;
	void *out;
	size_t len;

	(void)state;
	assert_int_equal(bpfkit_prog__from_raw(raw, sizeof(raw), &p, &d), 0);
	assert_int_equal(p->len, 2);
	assert_int_equal(p->insns[0].code, 0x61);
	assert_int_equal(p->insns[0].dst, 1);
	assert_int_equal(p->insns[0].src, 2);
	assert_int_equal(p->insns[0].off, -2);
	assert_int_equal(p->insns[0].imm, (int32_t)0x92345678);
	assert_int_equal(p->insns[1].code, 0x95);
	assert_null(p->lines);
	/* and back, byte for byte */
	assert_int_equal(bpfkit_prog__to_raw(p, &out, &len), 0);
	assert_int_equal(len, sizeof(raw));
	assert_memory_equal(out, raw, sizeof(raw));
	free(out);
	bpfkit_prog__free(p);

	assert_int_equal(bpfkit_prog__from_raw(raw, 12, &p, &d), -EINVAL);
	assert_string_equal(d.msg, "length 12 is not a multiple of 8");
	assert_int_equal(bpfkit_prog__from_raw(NULL, 0, &p, &d), 0);
	assert_int_equal(p->len, 0);
	assert_int_equal(bpfkit_prog__to_raw(p, &out, &len), 0);
	assert_int_equal(len, 0);
	free(out);
	bpfkit_prog__free(p);
	assert_int_equal(bpfkit_prog__to_raw(NULL, &out, &len), -EINVAL);
}

/* from_hex must give @p want (code/imm of each slot) */
static void check_hex(const char *text, size_t n, const uint8_t *codes, const int32_t *imms)
{
	struct bpfkit_prog *p = NULL;
	struct bpfkit_diag d;

	if (bpfkit_prog__from_hex(text, strlen(text), &p, &d))
		print_error("'%s': %d:%d: %s\n", text, d.line, d.col, d.msg);
	assert_non_null(p);
	assert_int_equal(p->len, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(p->insns[i].code, codes[i]);
		assert_int_equal(p->insns[i].imm, imms[i]);
	}
	bpfkit_prog__free(p);
}

static void test_hex(void **state)
{
	static const uint8_t codes[] = { 0xb7, 0x95 };
	static const int32_t imms[] = { 0x1234, 0 };
	struct bpfkit_prog *p = NULL;
	struct bpfkit_diag d;

	(void)state;
	check_hex("b7 00 00 00 34 12 00 00\n95 00 00 00 00 00 00 00\n", 2, codes, imms);
	check_hex("b700000034120000\n9500000000000000", 2, codes, imms);
	check_hex("B7 00 00 00 34 12 00 00 95 00 00 00 00 00 00 00", 2, codes, imms);
	/* the conformance runner's plugin style: two spaces after each byte */
	check_hex("b7  00  00  00  34  12  00  00  95  00  00  00  00  00  00  00  \n", 2, codes, imms);
	check_hex("0xb7, 0x00, 0x00, 0x00, 0x34, 0x12, 0x0, 0x00,\n0x95,0x0,0x0,0x0,0x0,0x0,0x0,0x0", 2,
		  codes, imms);
	check_hex("# a comment\nb7 00 00 00 34 12 00 00 // mov\n\n95 00 00 00 00 00 00 00 # exit\n", 2,
		  codes, imms);
	/* 64-bit words, one per line, as the suite's -- raw writes them */
	check_hex("0x00001234000000b7\r\n0x95\r\n", 2, codes, imms);
	{
		static const uint8_t c[] = { 0x18, 0x00, 0x95 };
		static const int32_t i[] = { 0x55667788, 0x11223344, 0 };
		check_hex("0x5566778800000018\n0x1122334400000000\n0x0000000000000095\n", 3, c, i);
	}
	/* line numbers of slots */
	assert_int_equal(bpfkit_prog__from_hex(S("# x\n0x95\n\n0x95\n"), &p, &d), 0);
	assert_non_null(p->lines);
	assert_int_equal(p->lines[0], 2);
	assert_int_equal(p->lines[1], 4);
	bpfkit_prog__free(p);

	/* errors name line and column */
	assert_int_equal(bpfkit_prog__from_hex(S("95 00 00 00 00 00 00 00\nb7 0g\n"), &p, &d), -EINVAL);
	assert_string_equal(d.msg, "invalid hex digit");
	assert_int_equal(d.line, 2);
	assert_int_equal(d.col, 5);
	assert_int_equal(bpfkit_prog__from_hex(S("95 0 00"), &p, &d), -EINVAL);
	assert_string_equal(d.msg, "odd number of hex digits");
	assert_int_equal(d.col, 4);
	assert_int_equal(bpfkit_prog__from_hex(S("0x11223344556677889\n"), &p, &d), -EINVAL);
	assert_string_equal(d.msg, "an instruction word has at most 16 hex digits");
	assert_int_equal(bpfkit_prog__from_hex(S("0x95 0x100"), &p, &d), -EINVAL);
	assert_string_equal(d.msg, "a 0x byte has at most 2 hex digits");
	assert_int_equal(d.col, 6);
	assert_int_equal(bpfkit_prog__from_hex(S("0x"), &p, &d), -EINVAL);
	assert_int_equal(bpfkit_prog__from_hex(S("95 00 00 00"), &p, &d), -EINVAL);
	assert_string_equal(d.msg, "hex input is 4 bytes, not a multiple of 8");
	assert_int_equal(d.line, 0);
}

static const char example[] =
	"# Copyright line\n"              /* 1 */
	"\n"                              /* 2 */
	"-- asm\n"                        /* 3 */
	"mov %r0, 1 # comment\n"          /* 4 */
	"exit\n"                          /* 5 */
	"-- mem\n"                        /* 6 */
	"00 01 02 03\n"                   /* 7 */
	"04 05 0a FF\n"                   /* 8 */
	"-- no register offset\n"         /* 9 */
	"call instruction\n"              /* 10 */
	"-- c\n"                          /* 11 */
	"#include <stdint.h>\n"           /* 12 */
	"int x = --y;\n"                  /* 13 */
	"-- result\n"                     /* 14 */
	"  0xFFFFFFFFFFFFFFF6  # -10\n";  /* 15 */

static void test_datafile(void **state)
{
	struct bpfkit_datafile *df = NULL;
	struct bpfkit_diag d;
	static const uint8_t mem[] = { 0, 1, 2, 3, 4, 5, 0xa, 0xff };

	(void)state;
	assert_int_equal(bpfkit_datafile__parse(example, strlen(example), &df, &d), 0);
	assert_string_equal(df->asm_text, "mov %r0, 1 # comment\nexit\n");
	assert_int_equal(df->asm_line, 4);
	assert_null(df->raw);
	assert_int_equal(df->mem_len, 8);
	assert_memory_equal(df->mem, mem, 8);
	assert_true(df->has_result);
	assert_int_equal(df->result, 0xfffffffffffffff6ull);
	assert_false(df->expect_error);
	bpfkit_datafile__free(df);
	bpfkit_datafile__free(NULL);

	/* raw words, an expected error with its text, CRLF line ends */
	assert_int_equal(bpfkit_datafile__parse(S("-- raw\r\n0x00000001000000b7\r\n0x95\r\n-- error\r\n\r\n"
						  "  Failed to load\r\n\r\n"),
						&df, &d),
			 0);
	assert_non_null(df->raw);
	assert_int_equal(df->raw->len, 2);
	assert_int_equal(df->raw->insns[0].code, 0xb7);
	assert_int_equal(df->raw->lines[1], 3);
	assert_true(df->expect_error);
	assert_string_equal(df->error_text, "Failed to load");
	assert_false(df->has_result);
	bpfkit_datafile__free(df);
	assert_int_equal(bpfkit_datafile__parse(S("-- asm\nexit\n-- error\n"), &df, &d), 0);
	assert_true(df->expect_error);
	assert_null(df->error_text);
	bpfkit_datafile__free(df);
	/* a result without 0x is hex too */
	assert_int_equal(bpfkit_datafile__parse(S("-- result\n10\n"), &df, &d), 0);
	assert_int_equal(df->result, 16);
	bpfkit_datafile__free(df);
}

static void test_datafile_errors(void **state)
{
	struct bpfkit_datafile *df = NULL;
	struct bpfkit_diag d;

	(void)state;
	assert_int_equal(bpfkit_datafile__parse(S("-- asm\nexit\n-- output\n1\n"), &df, &d), -EINVAL);
	assert_string_equal(d.msg, "unknown section 'output'");
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 4);
	assert_null(df);
	assert_int_equal(bpfkit_datafile__parse(S("# ok\nmov %r0, 1\n-- asm\nexit\n"), &df, &d), -EINVAL);
	assert_int_equal(d.line, 2);
	assert_non_null(strstr(d.msg, "text outside any section"));
	assert_int_equal(bpfkit_datafile__parse(S("-- asm\nexit\n-- asm\nexit\n"), &df, &d), -EINVAL);
	assert_string_equal(d.msg, "duplicate section '-- asm'");
	assert_int_equal(d.line, 3);
	assert_int_equal(bpfkit_datafile__parse(S("-- result\n\n# none\n"), &df, &d), -EINVAL);
	assert_string_equal(d.msg, "-- result section is empty");
	assert_int_equal(bpfkit_datafile__parse(S("-- result\n0x1\n0x2\n"), &df, &d), -EINVAL);
	assert_string_equal(d.msg, "-- result holds more than one value");
	assert_int_equal(d.line, 3);
	assert_int_equal(bpfkit_datafile__parse(S("-- result\n0x1 junk\n"), &df, &d), -EINVAL);
	assert_string_equal(d.msg, "-- result must be one hex number");
	assert_int_equal(bpfkit_datafile__parse(S("-- result\n0x11223344556677889\n"), &df, &d), -EINVAL);
	assert_int_equal(bpfkit_datafile__parse(S("-- mem\n00 01\n02 zz\n"), &df, &d), -EINVAL);
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 4);
	assert_int_equal(bpfkit_datafile__parse(S("-- raw\n0x95\n95 00 00\n"), &df, &d), -EINVAL);
	assert_string_equal(d.msg, "-- raw is 11 bytes, not a multiple of 8");
	assert_int_equal(d.line, 2);
}

static void test_load_any(void **state)
{
	struct bpfkit_prog **progs = NULL;
	struct bpfkit_diag d;
	size_t n = 0;
	static const unsigned char raw[] = { 0x95, 0, 0, 0, 0, 0, 0, 0 };

	(void)state;
	assert_int_equal(bpfkit_prog__load_any(raw, sizeof(raw), BPFKIT_FMT_AUTO, BPFKIT_DIALECT_AUTO, &progs,
					       &n, &d),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(progs[0]->len, 1);
	assert_int_equal(progs[0]->insns[0].code, 0x95);
	bpfkit_prog__free(progs[0]);
	free(progs);

	assert_int_equal(bpfkit_prog__load_any(S("95 00 00 00 00 00 00 00\n"), BPFKIT_FMT_AUTO, BPFKIT_DIALECT_AUTO,
					       &progs, &n, &d),
			 0);
	assert_int_equal(progs[0]->insns[0].code, 0x95);
	bpfkit_prog__free(progs[0]);
	free(progs);

	/* a .data file with only raw: its lines are lines of the file */
	assert_int_equal(bpfkit_prog__load_any(S("# x\n-- mem\n01\n-- raw\n0x00000007000000b7\n0x95\n"),
					       BPFKIT_FMT_AUTO, BPFKIT_DIALECT_AUTO, &progs, &n, &d),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(progs[0]->len, 2);
	assert_int_equal(progs[0]->insns[0].imm, 7);
	assert_int_equal(progs[0]->lines[0], 5);
	assert_int_equal(progs[0]->lines[1], 6);
	bpfkit_prog__free(progs[0]);
	free(progs);

	assert_int_equal(bpfkit_prog__load_any(S("-- mem\n01\n-- result\n0x1\n"), BPFKIT_FMT_DATA,
					       BPFKIT_DIALECT_AUTO, &progs, &n, &d),
			 -EINVAL);
	assert_string_equal(d.msg, "the .data file has no -- asm or -- raw section");
	assert_int_equal(n, 0);
	assert_int_equal(bpfkit_prog__load_any(raw, 4, BPFKIT_FMT_RAW, BPFKIT_DIALECT_AUTO, &progs, &n, &d),
			 -EINVAL);
	assert_string_equal(d.msg, "length 4 is not a multiple of 8");
	assert_int_equal(bpfkit_prog__load_any(raw, sizeof(raw), (enum bpfkit_fmt)42, BPFKIT_DIALECT_AUTO, &progs,
					       &n, &d),
			 -EINVAL);
}

/* The assembler is another part's; when it is there, the .data path must
 * report assembler errors at lines of the .data file. */
static void test_load_any_asm(void **state)
{
	static const char text[] = "# header\n\n-- asm\nmov %r0, 1\nbogus %r0\nexit\n-- result\n0x1\n";
	static const char good[] = "# header\n-- asm\nmov %r0, 1\n\nexit\n-- result\n0x1\n";
	struct bpfkit_prog **progs = NULL, *probe = NULL;
	struct bpfkit_diag d;
	size_t n = 0;

	(void)state;
	if (bpfkit_asm("exit\n", 5, BPFKIT_DIALECT_CONF, &probe, &d) == -ENOSYS)
		skip();
	bpfkit_prog__free(probe);
	assert_int_equal(bpfkit_prog__load_any(text, strlen(text), BPFKIT_FMT_AUTO, BPFKIT_DIALECT_AUTO, &progs,
					       &n, &d),
			 -EINVAL);
	assert_int_equal(d.line, 5);
	assert_int_equal(bpfkit_prog__load_any(good, strlen(good), BPFKIT_FMT_AUTO, BPFKIT_DIALECT_AUTO, &progs,
					       &n, &d),
			 0);
	assert_int_equal(progs[0]->len, 2);
	assert_non_null(progs[0]->lines);
	assert_int_equal(progs[0]->lines[0], 3);
	assert_int_equal(progs[0]->lines[1], 5);
	bpfkit_prog__free(progs[0]);
	free(progs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_fmt_names),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_datafile),
		cmocka_unit_test(test_datafile_errors),
		cmocka_unit_test(test_load_any),
		cmocka_unit_test(test_load_any_asm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
