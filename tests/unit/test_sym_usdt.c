// SPDX-License-Identifier: MIT
/*
 * Unit tests of USDT notes (src/sym/usdt.c, usdt_arg.c): argument specs of
 * every form and their errors; the notes of build/tests/usdt/usdt_prog and its
 * library (tests/usdt/usdt_prog.c: sizes and signs, constants, memory at
 * the stack and at a global, a duplicated marker, a semaphore); files that
 * are not ELF, have no notes, or have a note cut short.
 */
#include <errno.h>
#include <fcntl.h>
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

#include <bpfkit/sym.h>

/* pt_regs offsets the tests name */
enum { RBP = 32, RBX = 40, RAX = 80, RSI = 104, RDI = 112, RIP = 128, RSP = 152, R8 = 72, R15 = 0 };

static void test_arg_forms(void **state)
{
	static const struct {
		const char *text;
		enum bpfkit_usdt_arg_kind kind;
		int size;
		bool sign;
		int64_t value;
		int reg, reg_size, shift, index, scale;
		const char *sym;
	} cases[] = {
		{ "-4@%edi", BPFKIT_USDT_ARG_REG, 4, true, 0, RDI, 4, 0, -1, 0, "" },
		{ "8@%rax", BPFKIT_USDT_ARG_REG, 8, false, 0, RAX, 8, 0, -1, 0, "" },
		{ "1@%ah", BPFKIT_USDT_ARG_REG, 1, false, 0, RAX, 1, 8, -1, 0, "" },
		{ "-1@%sil", BPFKIT_USDT_ARG_REG, 1, true, 0, RSI, 1, 0, -1, 0, "" },
		{ "2@%r8w", BPFKIT_USDT_ARG_REG, 2, false, 0, R8, 2, 0, -1, 0, "" },
		{ "-8@%r15", BPFKIT_USDT_ARG_REG, 8, true, 0, R15, 8, 0, -1, 0, "" },
		{ "-4@$5", BPFKIT_USDT_ARG_CONST, 4, true, 5, -1, 0, 0, -1, 0, "" },
		{ "-4@$-7", BPFKIT_USDT_ARG_CONST, 4, true, -7, -1, 0, 0, -1, 0, "" },
		{ "8@$0x10", BPFKIT_USDT_ARG_CONST, 8, false, 16, -1, 0, 0, -1, 0, "" },
		{ "8@$18446744073709551615", BPFKIT_USDT_ARG_CONST, 8, false, -1, -1, 0, 0, -1, 0, "" },
		{ "8@-8(%rbp)", BPFKIT_USDT_ARG_MEM, 8, false, -8, RBP, 0, 0, -1, 0, "" },
		{ "-2@(%rsp)", BPFKIT_USDT_ARG_MEM, 2, true, 0, RSP, 0, 0, -1, 0, "" },
		{ "4@8(%rsp,%rbx,4)", BPFKIT_USDT_ARG_MEM, 4, false, 8, RSP, 0, 0, RBX, 4, "" },
		{ "4@(,%rbx,8)", BPFKIT_USDT_ARG_MEM, 4, false, 0, -1, 0, 0, RBX, 8, "" },
		{ "4@(%rax,%rbx)", BPFKIT_USDT_ARG_MEM, 4, false, 0, RAX, 0, 0, RBX, 1, "" },
		{ "-4@counter(%rip)", BPFKIT_USDT_ARG_MEM, 4, true, 0, -1, 0, 0, -1, 0, "counter" },
		{ "8@tab+16(%rip)", BPFKIT_USDT_ARG_MEM, 8, false, 16, -1, 0, 0, -1, 0, "tab" },
		{ "8@tab-8", BPFKIT_USDT_ARG_MEM, 8, false, -8, -1, 0, 0, -1, 0, "tab" },
		{ "%rdi", BPFKIT_USDT_ARG_REG, 8, false, 0, RDI, 8, 0, -1, 0, "" }, /* sdt.h v1: no size */
		{ "-8(%rbp)", BPFKIT_USDT_ARG_MEM, 8, false, -8, RBP, 0, 0, -1, 0, "" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bpfkit_usdt_arg a;
		struct bpfkit_diag d;
		char sym[64];
		int err = bpfkit_usdt_arg_parse(cases[i].text, strlen(cases[i].text), &a, sym, sizeof(sym), &d);

		if (err)
			fail_msg("%s: %s", cases[i].text, d.msg);
		assert_int_equal(a.kind, cases[i].kind);
		assert_int_equal(a.size, cases[i].size);
		assert_int_equal(a.is_signed, cases[i].sign);
		assert_int_equal(a.value, cases[i].value);
		assert_int_equal(a.reg, cases[i].reg);
		if (a.kind == BPFKIT_USDT_ARG_REG) {
			assert_int_equal(a.reg_size, cases[i].reg_size);
			assert_int_equal(a.reg_shift, cases[i].shift);
		}
		assert_int_equal(a.index_reg, cases[i].index);
		if (cases[i].index >= 0)
			assert_int_equal(a.scale, cases[i].scale);
		assert_string_equal(sym, cases[i].sym);
	}
	assert_string_equal(bpfkit_usdt_reg_name(RDI), "rdi");
	assert_string_equal(bpfkit_usdt_reg_name(3), "?");
}

static void test_arg_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "", "USDT argument '': not a register, constant or memory operand" },
		{ "3@%eax", "USDT argument '3@%eax': size 3 is not 1, 2, 4 or 8 (negative: signed)" },
		{ "-16@%rax", "USDT argument '-16@%rax': size -16 is not 1, 2, 4 or 8 (negative: signed)" },
		{ "x4@%eax", "USDT argument 'x4@%eax': unexpected text after the operand" },
		{ "4@%xmm0", "USDT argument '4@%xmm0': unknown register" },
		{ "4@%eax junk", "USDT argument '4@%eax junk': unexpected text after the operand" },
		{ "4@$", "USDT argument '4@$': bad constant" },
		{ "4@$99999999999999999999", "USDT argument '4@$99999999999999999999': bad constant" },
		{ "4@8(%eax)", "USDT argument '4@8(%eax)': the base register is not a 64-bit register" },
		{ "4@8(%rax", "USDT argument '4@8(%rax': expected ')'" },
		{ "4@8(%rax,%rbx,3)", "USDT argument '4@8(%rax,%rbx,3)': the scale is not 1, 2, 4 or 8" },
		{ "4@8(%rax,%rsp)", "USDT argument '4@8(%rax,%rsp)': bad index register" },
		{ "4@8()", "USDT argument '4@8()': the base register is not a 64-bit register" },
		{ "4@1234", "USDT argument '4@1234': an absolute address" },
		{ "4@8(%rip)", "USDT argument '4@8(%rip)': %rip without a symbol" },
		{ "8@%rip", "USDT argument '8@%rip': %rip as a value" },
		{ "4@sym(%rax)", "USDT argument '4@sym(%rax)': a symbol with a register other than %rip" },
		{ "4@\x01\x02", "USDT argument '4@?" "?': not a register, constant or memory operand" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bpfkit_usdt_arg a;
		struct bpfkit_diag d;
		char sym[64];

		bpfkit_diag__clear(&d);
		if (bpfkit_usdt_arg_parse(cases[i].text, strlen(cases[i].text), &a, sym, sizeof(sym), &d) != -EINVAL)
			fail_msg("%s: parsed", cases[i].text);
		assert_string_equal(d.msg, cases[i].msg);
	}
}

static char *tool_path(const char *name)
{
	const char *b = getenv("BUILD");
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/tests/usdt/%s", b ? b : "build", name);
	return buf;
}

static const struct bpfkit_usdt_probe *find(const struct bpfkit_usdt_list *l, const char *prov, const char *name,
					     size_t nth)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->probes[i].provider, prov) && !strcmp(l->probes[i].name, name) && !nth--)
			return &l->probes[i];
	return NULL;
}

static void test_prog_notes(void **state)
{
	struct bpfkit_usdt_list *l;
	struct bpfkit_diag d;
	const struct bpfkit_usdt_probe *p, *q;
	static const int sizes[8] = { 1, 1, 2, 2, 4, 4, 8, 8 };

	(void)state;
	if (bpfkit_usdt_list__read(tool_path("usdt_prog"), &l, &d))
		fail_msg("%s", d.msg);
	assert_true(l->is_dyn);
	assert_int_equal(l->n, 7);
	/* sorted by provider, name, pc */
	assert_string_equal(l->probes[0].provider, "other_prov");
	assert_string_equal(l->probes[0].name, "noarg");
	assert_int_equal(l->probes[0].nargs, 0);
	assert_string_equal(l->probes[1].name, "args");
	for (size_t i = 0; i < l->n; i++) {
		assert_null(l->probes[i].error);
		assert_true(l->probes[i].offset > 0);
	}

	p = find(l, "usdt_prog", "args", 0);
	assert_non_null(p);
	assert_int_equal(p->nargs, 8);
	for (size_t i = 0; i < 8; i++) {
		assert_int_equal(p->args[i].size, sizes[i]);
		assert_int_equal(p->args[i].is_signed, i % 2 == 0);
	}
	assert_int_equal(p->sem_addr, 0);

	p = find(l, "usdt_prog", "consts", 0);
	assert_int_equal(p->nargs, 2);
	assert_int_equal(p->args[0].kind, BPFKIT_USDT_ARG_CONST);
	assert_int_equal(p->args[0].value, -7);
	assert_int_equal(p->args[1].value, 42);

	/* a global: its address relative to the pc */
	p = find(l, "usdt_prog", "mem", 0);
	assert_int_equal(p->nargs, 2);
	assert_int_equal(p->args[0].kind, BPFKIT_USDT_ARG_MEM);
	assert_true(p->args[0].relative_sym);
	assert_int_equal(p->args[0].reg, BPFKIT_USDT_REG_IP);
	assert_string_equal(p->args_text + strlen(p->args_text) - strlen("(%rsp)"), "(%rsp)");

	/* the duplicated marker: two sites, in pc order */
	p = find(l, "usdt_prog", "dup", 0);
	q = find(l, "usdt_prog", "dup", 1);
	assert_non_null(p);
	assert_non_null(q);
	assert_null(find(l, "usdt_prog", "dup", 2));
	assert_true(p->pc < q->pc);
	assert_true(p->offset < q->offset);

	/* the semaphore: in .probes, a data section after the code */
	p = find(l, "usdt_prog", "guarded", 0);
	assert_true(p->sem_addr != 0);
	assert_true(p->sem_offset != 0 && p->sem_offset != p->sem_addr - 0);
	assert_true(p->sem_offset > p->offset);
	bpfkit_usdt_list__free(l);

	if (bpfkit_usdt_list__read(tool_path("libusdt_lib.so"), &l, &d))
		fail_msg("%s", d.msg);
	assert_int_equal(l->n, 1);
	assert_string_equal(l->probes[0].provider, "usdt_lib");
	assert_string_equal(l->probes[0].name, "lib_probe");
	assert_int_equal(l->probes[0].nargs, 2);
	bpfkit_usdt_list__free(l);
}

/* The whole of a file, for corrupting. */
static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	char *buf;

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size);
	assert_non_null(buf);
	assert_int_equal(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static void test_bad_files(void **state)
{
	struct bpfkit_usdt_list *l;
	struct bpfkit_diag d;
	char *img, *note;
	size_t len;

	(void)state;
	assert_int_equal(bpfkit_usdt_list__parse("x.txt", "hello world, not ELF", 20, &l, &d), -ENOEXEC);
	assert_string_equal(d.msg, "x.txt: not an ELF file");
	assert_null(l);
	assert_int_equal(bpfkit_usdt_list__read("/nonexistent/usdt", &l, &d), -ENOENT);
	assert_string_equal(d.msg, "/nonexistent/usdt: No such file or directory");
	assert_int_equal(bpfkit_usdt_list__read("/", &l, &d), -ENOEXEC);
	assert_string_equal(d.msg, "/: not a regular file");

	/* no notes: an empty list */
	if (bpfkit_usdt_list__read(tool_path("../workload"), &l, &d))
		fail_msg("%s", d.msg);
	assert_int_equal(l->n, 0);
	bpfkit_usdt_list__free(l);

	/* the first note's descriptor size made larger than the section */
	img = slurp(tool_path("usdt_prog"), &len);
	/* the first note: namesz 8, descsz, type 3, then the name "stapsdt\0" */
	note = memmem(img, len, "\x08\0\0\0", 4);
	while (note && memcmp(note + 8, "\x03\0\0\0stapsdt\0", 12))
		note = memmem(note + 1, len - (size_t)(note + 1 - img), "\x08\0\0\0", 4);
	assert_non_null(note);
	note += 12; /* at the name; descsz is 8 bytes before */
	uint32_t big = 0x100000;
	memcpy(note - 8, &big, 4);
	assert_int_equal(bpfkit_usdt_list__parse("cut", img, len, &l, &d), -EINVAL);
	assert_string_equal(d.msg, "cut: .note.stapsdt note 0: truncated note");

	/* a descriptor too short for three addresses */
	uint32_t small = 20;
	memcpy(note - 8, &small, 4);
	assert_int_equal(bpfkit_usdt_list__parse("short", img, len, &l, &d), -EINVAL);
	assert_string_equal(d.msg, "short: .note.stapsdt note 0: 20 bytes, too short for a probe");

	/* another machine */
	img[18] = (char)183; /* e_machine EM_AARCH64 */
	img[19] = 0;
	assert_int_equal(bpfkit_usdt_list__parse("arm", img, len, &l, &d), -ENOEXEC);
	assert_string_equal(d.msg, "arm: ELF file for another machine (e_machine 183, 64-bit), not x86-64");
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arg_forms),
		cmocka_unit_test(test_arg_errors),
		cmocka_unit_test(test_prog_notes),
		cmocka_unit_test(test_bad_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
