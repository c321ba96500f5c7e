// SPDX-License-Identifier: MIT
/*
 * Functions on bytes and addresses, as bpftrace 0.17 has them: bswap(n),
 * ntop([af,] addr), pton(text), macaddr(addr), buf(data [, len]).
 *
 * ntop(), macaddr() and buf() build a value of their own kind in the frame
 * (BPFKIT_LANG_V_INET, _MAC, _BUF: lang.h gives the layouts) that user space
 * turns into text: "127.0.0.1", "00:1A:2B:3C:4D:5E", "ab\x01c". Their byte
 * operands are what bpftrace takes: an array (a tracepoint field u8 a[4], a C
 * array member), a string, or, for macaddr() and buf(), a pointer read with
 * probe_read_user or probe_read_kernel.
 */
#include <arpa/inet.h>
#include <string.h>

#include "lang/compile_int.h"

#define AF_INET_ 2
#define AF_INET6_ 10

static uint32_t round8(uint32_t n)
{
	return (n + 7) & ~7u;
}

/* How many bytes the array-like operand @p a holds (a tracepoint array field,
 * a C array, a string), or 0 when it is none (an int, a pointer). */
static uint32_t bytes_size(const struct bpfkit_ast_expr *a)
{
	const struct sx *s = sx_of(a);

	if (s->field && s->field->array_len && !s->t)
		return s->field->size;
	if (s->ct && s->ct->kind == BPFKIT_LANG_C_ARRAY && !s->t)
		return s->ct->size;
	if (s->t && (s->t->kind == BPFKIT_LANG_V_STR || s->t->kind == BPFKIT_LANG_V_ARRAY))
		return s->t->size;
	return 0;
}

/* Copy the first @p n bytes of the array-like operand @p a to the frame at
 * @p off, a zeroed region of at least round8(n) bytes (a string writes
 * round8 of its size: callers make room for it). */
static void gen_bytes(struct cg *g, const struct bpfkit_ast_expr *a, int off, uint32_t n)
{
	const struct sx *s = sx_of(a);
	int r;

	if (s->t && (s->t->kind == BPFKIT_LANG_V_STR || s->t->kind == BPFKIT_LANG_V_ARRAY)) {
		cg_store(g, a, off, s->t);
		return;
	}
	if (s->field) { /* an array field of the tracepoint record, at ctx + offset */
		cg_fp_addr(g, 1, off);
		cg_mov_imm(g, 2, n);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 3, CG_CTX, 0, 0);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 3, 0, 0, (int32_t)s->field->offset);
		cg_call(g, "probe_read_kernel");
		return;
	}
	r = cg_addr(g, a);
	cg_probe_read(g, off, n, r, s->user);
	cg_free(g, r);
}

/* An unsigned int type of @p size bytes (the arena's, for the output). */
static const struct bpfkit_lang_vtype *ty_uint(struct cctx *c, uint32_t size)
{
	struct bpfkit_lang_vtype *t;

	if (size == 8)
		return &ty_u64;
	t = arena_alloc(c->oa, sizeof(*t));
	t->kind = BPFKIT_LANG_V_INT;
	t->size = size;
	return t;
}

/* bswap(n): n's bytes reversed at n's width; the result is unsigned of that width. */
static int check_bswap(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];
	int err = sema_expr(c, a);

	(void)m;
	if (err)
		return err;
	if (!sx_of(a)->t || sx_of(a)->t->kind != BPFKIT_LANG_V_INT)
		return sema_error(c, a->loc, NULL, "bswap() only supports integer arguments (%s provided)",
				  ty_name(c, sx_of(a)->t));
	sx_of(call)->t = ty_uint(c, sx_of(a)->t->size);
	return 0;
}

/* BPF_END to big-endian on this little-endian machine swaps the low 16, 32
 * or 64 bits and zero-extends: a swap of one byte is the byte. */
static void gen_bswap(struct cg *g, const struct bpfkit_ast_expr *call, int dst)
{
	uint32_t size = sx_of(call)->t->size;
	int r = cg_int(g, call->u.call.args[0]);

	if (size == 1)
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_AND | BPFKIT_K, r, 0, 0, 0xff);
	else
		cg_emit(g, BPFKIT_ALU | BPFKIT_END | BPFKIT_TO_BE, r, 0, 0, (int32_t)(size * 8));
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, dst, r, 0, 0);
	cg_free(g, r);
}

static const struct bpfkit_lang_vtype ty_inet = { .kind = BPFKIT_LANG_V_INET, .size = 24 };
static const struct bpfkit_lang_vtype ty_mac = { .kind = BPFKIT_LANG_V_MAC, .size = 8 };

/*
 * ntop([af,] addr): addr an integer (its bytes in memory order: AF_INET's
 * ntop(0x0100007f) is 127.0.0.1) or an array of 4 or 16 bytes. Without af,
 * 16 bytes are AF_INET6 and anything else AF_INET, as in bpftrace; that
 * family waits in pval.
 */
static int check_ntop(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	size_t n = call->u.call.nargs;
	struct bpfkit_ast_expr *a = call->u.call.args[n - 1];
	uint32_t size;
	int err = 0;

	(void)m;
	if (n == 2) {
		err = sema_expr(c, call->u.call.args[0]);
		if (!err && sx_of(call->u.call.args[0])->t->kind != BPFKIT_LANG_V_INT)
			err = sema_error(c, call->u.call.args[0]->loc, NULL,
					 "ntop() expects an integer address family, got %s",
					 ty_name(c, sx_of(call->u.call.args[0])->t));
	}
	err = sema_place(c, a) ?: err;
	if (err)
		return err;
	size = bytes_size(a);
	if (!size && (!sx_of(a)->t || sx_of(a)->t->kind != BPFKIT_LANG_V_INT))
		return sema_error(c, a->loc, NULL, "ntop() expects an integer or array argument, got %s",
				  ty_name(c, sx_of(a)->t));
	if (size && size != 4 && size != 16)
		return sema_error(c, call->loc, NULL, "ntop() argument must be 4 or 16 bytes in size");
	sx_of(call)->pval = size == 16 ? AF_INET6_ : AF_INET_;
	sx_of(call)->t = &ty_inet;
	return 0;
}

static void gen_ntop(struct cg *g, const struct bpfkit_ast_expr *call, int off, uint32_t size)
{
	size_t n = call->u.call.nargs;
	const struct bpfkit_ast_expr *a = call->u.call.args[n - 1];
	int r;

	cg_zero(g, off, round8(size));
	if (n == 2) {
		r = cg_int(g, call->u.call.args[0]);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, r, (int16_t)off, 0);
		cg_free(g, r);
	} else {
		cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)off,
			(int32_t)sx_of(call)->pval);
	}
	if (bytes_size(a)) {
		gen_bytes(g, a, off + 8, bytes_size(a));
		return;
	}
	r = cg_int(g, a);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, r, (int16_t)(off + 8), 0);
	cg_free(g, r);
}

/* macaddr(addr): an array of 6 bytes, or a pointer to them. */
static int check_macaddr(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];
	int err = sema_place(c, a);
	uint32_t size;

	(void)m;
	if (err)
		return err;
	size = bytes_size(a);
	if (!size && (!sx_of(a)->t || sx_of(a)->t->kind != BPFKIT_LANG_V_INT))
		return sema_error(c, a->loc, NULL, "macaddr() only supports array or pointer arguments (%s provided)",
				  ty_name(c, sx_of(a)->t));
	if (size && size != 6)
		return sema_error(c, call->loc, NULL, "macaddr() argument must be 6 bytes in size");
	sx_of(call)->t = &ty_mac;
	return 0;
}

static void gen_macaddr(struct cg *g, const struct bpfkit_ast_expr *call, int off, uint32_t size)
{
	const struct bpfkit_ast_expr *a = call->u.call.args[0];
	int r;

	cg_zero(g, off, round8(size));
	if (bytes_size(a)) {
		gen_bytes(g, a, off, 6);
		if (sx_of(a)->t) /* a string's NUL: the value's last two bytes are zero */
			cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_H, BPFKIT_REG_FP, 0, (int16_t)(off + 6), 0);
		return;
	}
	r = cg_int(g, a);
	cg_probe_read(g, off, 6, r, builtin_user_ptr(g, a));
	cg_free(g, r);
}

/*
 * buf(data [, len]): up to len bytes of data, an array (len defaults to its
 * size), a string, or a pointer (len needed). A len known when compiling
 * sizes the value (at most sema_strlen(), bpftrace's BPFTRACE_STRLEN, as a
 * larger one is cut, with bpftrace's warning); one known at run time gets
 * that many bytes and is clamped to it.
 */
static int check_buf(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];
	struct bpfkit_lang_vtype *t;
	uint32_t n, size;
	int64_t len;
	int err;

	(void)m;
	err = sema_place(c, a);
	if (call->u.call.nargs == 2)
		err = sema_expr(c, call->u.call.args[1]) ?: err;
	if (err)
		return err;
	size = bytes_size(a);
	if (!size && (!sx_of(a)->t || sx_of(a)->t->kind != BPFKIT_LANG_V_INT))
		return sema_error(c, a->loc, NULL, "buf() expects an array, a string or a pointer, got %s",
				  ty_name(c, sx_of(a)->t));
	if (call->u.call.nargs == 1) {
		if (!size)
			return sema_error(c, call->loc, NULL, "buf() of a pointer needs a length: buf(ptr, len)");
		n = size;
	} else if (sx_of(call->u.call.args[1])->t->kind != BPFKIT_LANG_V_INT) {
		return sema_error(c, call->u.call.args[1]->loc, NULL, "buf(): the length must be an integer, got %s",
				  ty_name(c, sx_of(call->u.call.args[1])->t));
	} else if (!sema_const_int(c, call->u.call.args[1], &len)) {
		if (len < 0)
			return sema_error(c, call->u.call.args[1]->loc, NULL, "buf(): the length cannot be negative");
		if (len > sema_strlen(c))
			sema_warning(c, call->loc, "buf() length is too long and will be shortened to %u bytes "
				     "(see BPFTRACE_STRLEN)", sema_strlen(c));
		n = len > sema_strlen(c) ? sema_strlen(c) : (uint32_t)len;
		if (size && n > size)
			n = size;
	} else {
		n = size && size < sema_strlen(c) ? size : sema_strlen(c);
	}
	t = arena_alloc(c->oa, sizeof(*t));
	t->kind = BPFKIT_LANG_V_BUF;
	t->size = 8 + round8(n + 1); /* room for a string's NUL */
	sx_of(call)->pval = n;
	sx_of(call)->t = t;
	return 0;
}

static void gen_buf(struct cg *g, const struct bpfkit_ast_expr *call, int off, uint32_t size)
{
	const struct bpfkit_ast_expr *a = call->u.call.args[0];
	uint32_t n = (uint32_t)sx_of(call)->pval;
	int64_t len;
	int rl = -1, r;

	cg_zero(g, off, round8(size));
	if (call->u.call.nargs == 2 && sema_const_int(g->c, call->u.call.args[1], &len)) {
		int ok = cg_label(g);

		rl = cg_int(g, call->u.call.args[1]); /* clamped to [0, n] (unsigned) */
		cg_jmp(g, BPFKIT_JLE, rl, -1, (int32_t)n, ok);
		cg_mov_imm(g, rl, n);
		cg_place(g, ok);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, rl, (int16_t)off, 0);
	} else {
		cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)off, (int32_t)n);
	}
	if (sx_of(a)->t && sx_of(a)->t->kind == BPFKIT_LANG_V_STR) {
		cg_store(g, a, off + 8, ty_str(g->c, n + 1));
	} else if (bytes_size(a)) {
		gen_bytes(g, a, off + 8, n);
	} else {
		r = cg_int(g, a);
		cg_fp_addr(g, 1, off + 8);
		if (rl >= 0)
			cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 2, rl, 0, 0);
		else
			cg_mov_imm(g, 2, n);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 3, r, 0, 0);
		cg_call(g, builtin_user_ptr(g, a) ? "probe_read_user" : "probe_read_kernel");
		cg_free(g, r);
	}
	if (rl >= 0)
		cg_free(g, rl);
}

/*
 * pton("1.2.3.4") / pton("::1"): the address's bytes in network order, an
 * array of 4 or 16 (BPFKIT_LANG_V_ARRAY), from a string literal only, as
 * bpftrace 0.17: a '.' makes it IPv4, else IPv6. The bytes are known when
 * compiling: pval is unused, the literal is parsed again by gen_pton().
 */
static int pton_parse(const char *text, unsigned char out[16])
{
	return inet_pton(strchr(text, '.') ? AF_INET : AF_INET6, text, out) == 1 ? (strchr(text, '.') ? 4 : 16)
										    : 0;
}

static int check_pton(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];
	struct bpfkit_lang_vtype *t;
	unsigned char bytes[16];
	char text[64];
	int n;

	(void)m;
	if (a->kind != BPFKIT_EXPR_STR)
		return sema_error(c, a->loc, NULL, "pton() expects a string literal, as pton(\"127.0.0.1\")");
	snprintf(text, sizeof(text), "%.*s", (int)a->u.str.len, a->u.str.data);
	n = a->u.str.len < sizeof(text) ? pton_parse(text, bytes) : 0;
	if (!n)
		return sema_error(c, a->loc, NULL, "pton() expects a valid IPv4/IPv6 address, got %s", text);
	t = arena_alloc(c->oa, sizeof(*t));
	t->kind = BPFKIT_LANG_V_ARRAY;
	t->size = (uint32_t)n;
	sx_of(call)->t = t;
	return 0;
}

/* The bytes as immediates, 8 at a time (the region is round8(size), zeroed past them). */
static void gen_pton(struct cg *g, const struct bpfkit_ast_expr *call, int off, uint32_t size)
{
	const struct bpfkit_ast_expr *a = call->u.call.args[0];
	unsigned char bytes[16] = { 0 };
	char text[64];

	snprintf(text, sizeof(text), "%.*s", (int)a->u.str.len, a->u.str.data);
	pton_parse(text, bytes);
	cg_store_raw(g, (const char *)bytes, sx_of(call)->t->size, off, size);
}

const struct func funcs_net[] = {
	{ .name = "bswap", .min_args = 1, .max_args = 1, .check = check_bswap, .gen_int = gen_bswap },
	{ .name = "ntop", .min_args = 1, .max_args = 2, .check = check_ntop, .gen_store = gen_ntop },
	{ .name = "macaddr", .min_args = 1, .max_args = 1, .check = check_macaddr, .gen_store = gen_macaddr },
	{ .name = "buf", .min_args = 1, .max_args = 2, .check = check_buf, .gen_store = gen_buf },
	{ .name = "pton", .min_args = 1, .max_args = 1, .check = check_pton, .gen_store = gen_pton },
};
const size_t funcs_net_n = sizeof(funcs_net) / sizeof(funcs_net[0]);
