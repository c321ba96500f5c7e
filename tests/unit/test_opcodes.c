// SPDX-License-Identifier: MIT
/*
 * The opcode table (src/isa/opcodes.c): every row decodes to itself, its
 * fields are checked, reserved fields are refused, and bytes that are not
 * an instruction decode to nothing.
 *
 * The fields each shape uses are restated here on purpose: the test is an
 * independent reading of RFC 9669, not a copy of the table's own.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <bpfkit/isa.h>

#define F_DST 0x1
#define F_SRC 0x2
#define F_OFF 0x4
#define F_IMM 0x8

static unsigned shape_uses(uint8_t shape)
{
	switch (shape) {
	case BPFKIT_SHAPE_ALU_K: return F_DST | F_IMM;
	case BPFKIT_SHAPE_ALU_X: return F_DST | F_SRC;
	case BPFKIT_SHAPE_NEG: return F_DST;
	case BPFKIT_SHAPE_END: return F_DST;
	case BPFKIT_SHAPE_LDDW: return F_DST | F_IMM; /* src is the pseudo kind */
	case BPFKIT_SHAPE_LD_ABS: return F_IMM;
	case BPFKIT_SHAPE_LD_IND: return F_SRC | F_IMM;
	case BPFKIT_SHAPE_LDX: return F_DST | F_SRC | F_OFF;
	case BPFKIT_SHAPE_ST: return F_DST | F_OFF | F_IMM;
	case BPFKIT_SHAPE_STX: return F_DST | F_SRC | F_OFF;
	case BPFKIT_SHAPE_ATOMIC: return F_DST | F_SRC | F_OFF;
	case BPFKIT_SHAPE_JA: return F_OFF;
	case BPFKIT_SHAPE_JA32: return F_IMM;
	case BPFKIT_SHAPE_JMP_K: return F_DST | F_OFF | F_IMM;
	case BPFKIT_SHAPE_JMP_X: return F_DST | F_SRC | F_OFF;
	case BPFKIT_SHAPE_CALL: return F_IMM;
	case BPFKIT_SHAPE_CALLX: return F_DST;
	default: return 0;
	}
}

/* An instruction of @p row with every used field set to a typical value. */
static struct bpfkit_insn insn_for(const struct bpfkit_opinfo *row)
{
	unsigned f = shape_uses(row->shape);
	struct bpfkit_insn insn = { .code = row->code };

	if (f & F_DST)
		insn.dst = 3;
	if (f & F_SRC)
		insn.src = 4;
	if (f & F_OFF)
		insn.off = -8;
	if (f & F_IMM)
		insn.imm = 42;
	if (row->match & BPFKIT_MATCH_OFF)
		insn.off = row->off;
	if (row->match & BPFKIT_MATCH_IMM)
		insn.imm = row->imm;
	return insn;
}

static void test_every_row_decodes_to_itself(void **state)
{
	size_t n = bpfkit_opinfo__count();

	(void)state;
	assert_true(n > 100);
	for (size_t i = 0; i < n; i++) {
		const struct bpfkit_opinfo *row = bpfkit_opinfo__at(i);
		struct bpfkit_insn insn = insn_for(row);
		struct bpfkit_diag d;

		bpfkit_diag__clear(&d);
		if (bpfkit_insn__info(&insn) != row)
			fail_msg("row %zu '%s' (0x%02x) decodes to %s", i, row->name, row->code,
				 bpfkit_insn__info(&insn) ? bpfkit_insn__info(&insn)->name : "nothing");
		if (bpfkit_insn__check_fields(&insn, row, &d))
			fail_msg("row '%s': check_fields refused a clean instruction: %s", row->name,
				 d.msg);
	}
	assert_null(bpfkit_opinfo__at(n));
}

/* Setting one field the row does not use must be refused, by the decoder
 * (for fields that select rows) or by check_fields. */
static void test_reserved_fields_are_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < bpfkit_opinfo__count(); i++) {
		const struct bpfkit_opinfo *row = bpfkit_opinfo__at(i);
		unsigned used = shape_uses(row->shape);
		int tried = 0;

		if (row->match & BPFKIT_MATCH_OFF)
			used |= F_OFF;
		if (row->match & BPFKIT_MATCH_IMM)
			used |= F_IMM;
		if (row->shape == BPFKIT_SHAPE_LDDW || row->shape == BPFKIT_SHAPE_CALL)
			used |= F_SRC; /* pseudo kinds: checked below */
		for (unsigned f = F_DST; f <= F_IMM; f <<= 1) {
			struct bpfkit_insn insn = insn_for(row);
			const struct bpfkit_opinfo *info;
			struct bpfkit_diag d;

			if (used & f)
				continue;
			tried++;
			if (f == F_DST)
				insn.dst = 1;
			else if (f == F_SRC)
				insn.src = 1;
			else if (f == F_OFF)
				insn.off = 1;
			else
				insn.imm = 1;
			bpfkit_diag__clear(&d);
			/* decoding to another row is fine (div with off=1 is sdiv) */
			info = bpfkit_insn__info(&insn);
			if (info == row && !bpfkit_insn__check_fields(&insn, info, &d))
				fail_msg("row '%s': dirty field 0x%x accepted", row->name, f);
		}
		if (!tried)
			assert_int_equal(row->shape, BPFKIT_SHAPE_ATOMIC); /* uses every field */
	}
}

static void test_registers_out_of_range(void **state)
{
	(void)state;
	for (size_t i = 0; i < bpfkit_opinfo__count(); i++) {
		const struct bpfkit_opinfo *row = bpfkit_opinfo__at(i);
		unsigned used = shape_uses(row->shape);
		struct bpfkit_insn insn = insn_for(row);
		struct bpfkit_diag d;

		bpfkit_diag__clear(&d);
		if (used & F_DST) {
			insn.dst = 11;
			assert_int_equal(bpfkit_insn__check_fields(&insn, row, &d), -EINVAL);
			assert_non_null(strstr(d.msg, "register"));
		}
		insn = insn_for(row);
		if (used & F_SRC) {
			insn.src = 15;
			assert_int_equal(bpfkit_insn__check_fields(&insn, row, &d), -EINVAL);
		}
	}
}

static void test_pseudo_sources(void **state)
{
	const struct bpfkit_opinfo *lddw = bpfkit_opinfo__by_name("lddw");
	const struct bpfkit_opinfo *call = bpfkit_opinfo__by_name("call");
	struct bpfkit_insn insn = { .code = BPFKIT_OP_LDDW, .dst = 1 };
	struct bpfkit_diag d;

	(void)state;
	bpfkit_diag__clear(&d);
	for (uint8_t s = 0; s <= BPFKIT_PSEUDO_MAP_IDX_VALUE; s++) {
		insn.src = s;
		assert_int_equal(bpfkit_insn__check_fields(&insn, lddw, &d), 0);
	}
	insn.src = BPFKIT_PSEUDO_MAP_IDX_VALUE + 1;
	assert_int_equal(bpfkit_insn__check_fields(&insn, lddw, &d), -EINVAL);
	insn = (struct bpfkit_insn){ .code = BPFKIT_OP_CALL, .imm = 1 };
	for (uint8_t s = 0; s <= BPFKIT_CALL_KFUNC; s++) {
		insn.src = s;
		assert_int_equal(bpfkit_insn__check_fields(&insn, call, &d), 0);
	}
	insn.src = BPFKIT_CALL_KFUNC + 1;
	assert_int_equal(bpfkit_insn__check_fields(&insn, call, &d), -EINVAL);
}

/* Every opcode byte with no row decodes to NULL, with any off/imm. */
static void test_unknown_opcodes(void **state)
{
	bool known[256] = { false };
	int unknown = 0;

	(void)state;
	for (size_t i = 0; i < bpfkit_opinfo__count(); i++)
		known[bpfkit_opinfo__at(i)->code] = true;
	for (int code = 0; code < 256; code++) {
		struct bpfkit_insn insn = { .code = (uint8_t)code };
		if (known[code])
			continue;
		unknown++;
		assert_null(bpfkit_insn__info(&insn));
		insn.imm = 16;
		insn.off = 1;
		assert_null(bpfkit_insn__info(&insn));
	}
	assert_true(unknown > 100);
	/* a few that never were instructions */
	assert_false(known[0x00]);
	assert_false(known[0xff]);
	assert_false(known[0x8e]); /* JMP32 | CALL | X */
}

/* Known opcodes whose off or imm selects no row. */
static void test_unknown_variants(void **state)
{
	static const struct bpfkit_insn bad[] = {
		{ .code = BPFKIT_ALU64 | BPFKIT_DIV | BPFKIT_X, .off = 2 }, /* sdiv is off=1 */
		{ .code = BPFKIT_ALU | BPFKIT_MOD | BPFKIT_K, .off = -1 },
		{ .code = BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, .off = 4 }, /* movsx 8/16/32 */
		{ .code = BPFKIT_ALU | BPFKIT_MOV | BPFKIT_X, .off = 32 }, /* no movsx3232 */
		{ .code = BPFKIT_ALU | BPFKIT_END | BPFKIT_TO_BE, .imm = 8 },
		{ .code = BPFKIT_ALU64 | BPFKIT_END | BPFKIT_TO_BE }, /* bswap is TO_LE only */
		{ .code = BPFKIT_STX | BPFKIT_ATOMIC | BPFKIT_DW, .imm = BPFKIT_SUB },
		{ .code = BPFKIT_STX | BPFKIT_ATOMIC | BPFKIT_W, .imm = BPFKIT_XCHG & ~BPFKIT_FETCH },
		{ .code = BPFKIT_STX | BPFKIT_ATOMIC | BPFKIT_B, .imm = BPFKIT_ADD },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (bpfkit_insn__info(&bad[i]))
			fail_msg("variant %zu (0x%02x off %d imm %d) decodes to '%s'", i, bad[i].code,
				 bad[i].off, bad[i].imm, bpfkit_insn__info(&bad[i])->name);
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(bpfkit_opinfo__by_name("ldxdw")->code, 0x79);
	assert_int_equal(bpfkit_opinfo__by_name("lock fetch add32")->imm, BPFKIT_ADD | BPFKIT_FETCH);
	assert_int_equal(bpfkit_opinfo__by_name("be16")->imm, 16);
	assert_int_equal(bpfkit_opinfo__by_name("sdiv32")->off, 1);
	assert_null(bpfkit_opinfo__by_name("ldxdq"));
	assert_null(bpfkit_opinfo__by_name(""));
	assert_int_equal(bpfkit_insn__slots(&(struct bpfkit_insn){ .code = BPFKIT_OP_LDDW }), 2);
	assert_int_equal(bpfkit_insn__slots(&(struct bpfkit_insn){ .code = BPFKIT_OP_EXIT }), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_decodes_to_itself),
		cmocka_unit_test(test_reserved_fields_are_refused),
		cmocka_unit_test(test_registers_out_of_range),
		cmocka_unit_test(test_pseudo_sources),
		cmocka_unit_test(test_unknown_opcodes),
		cmocka_unit_test(test_unknown_variants),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("opcodes", tests, NULL, NULL);
}
