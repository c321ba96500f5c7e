// SPDX-License-Identifier: MIT
/*
 * Typed values as bpftrace's text output prints them: integers of every
 * width and sign, strings up to their NUL, buffers with \xNN escapes,
 * tuples, map keys; the two key orders bpftrace sorts by; and the text
 * buffer all printers render into. (Their JSON forms are in json.c.)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/out_int.h"

/* ---- Text buffer ------------------------------------------------------------ */

/* Make room for @need more bytes plus a NUL; false (and oom) if impossible. */
static bool sb_reserve(struct out_sb *sb, size_t need)
{
	size_t cap;
	char *p;

	if (sb->oom)
		return false;
	if (need < SIZE_MAX - sb->len - 1 && sb->len + need + 1 <= sb->cap)
		return true;
	if (need >= SIZE_MAX / 4 - sb->len)
		goto oom;
	cap = sb->cap ? sb->cap : 256;
	while (cap < sb->len + need + 1)
		cap *= 2;
	p = realloc(sb->p, cap);
	if (!p)
		goto oom;
	sb->p = p;
	sb->cap = cap;
	return true;
oom:
	sb->oom = true;
	return false;
}

void out_sb_putn(struct out_sb *sb, const char *s, size_t n)
{
	if (!n || !sb_reserve(sb, n))
		return;
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
}

void out_sb_puts(struct out_sb *sb, const char *s)
{
	out_sb_putn(sb, s, strlen(s));
}

void out_sb_putc(struct out_sb *sb, char c)
{
	out_sb_putn(sb, &c, 1);
}

void out_sb_repeat(struct out_sb *sb, char c, size_t n)
{
	if (!n || !sb_reserve(sb, n))
		return;
	memset(sb->p + sb->len, c, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
}

/* printf onto the end of the buffer: measure, make room, write. */
void out_sb_printf(struct out_sb *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->oom = true;
		return;
	}
	if (!sb_reserve(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->p + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void out_sb_free(struct out_sb *sb)
{
	free(sb->p);
	sb->p = NULL;
	sb->len = sb->cap = 0;
	sb->oom = false;
}

int out_sb_flush(struct out_sb *sb, FILE *f)
{
	int err = 0;

	if (sb->oom)
		err = -ENOMEM;
	else if (sb->len && fwrite(sb->p, 1, sb->len, f) != sb->len)
		err = -EIO;
	out_sb_free(sb);
	return err;
}

int out_sb_take(struct out_sb *sb, char **out, size_t *len)
{
	if (sb->oom || !sb_reserve(sb, 0)) {
		out_sb_free(sb);
		return -ENOMEM;
	}
	sb->p[sb->len] = '\0';
	*out = sb->p;
	if (len)
		*len = sb->len;
	sb->p = NULL;
	sb->len = sb->cap = 0;
	return 0;
}

/* ---- Checking and reading values --------------------------------------------- */

/* A value's fields are usable: known kind, integer width, data behind
 * pointers, tuples not deeper than BPFKIT_OUT_MAX_DEPTH (no cycles). */
static int val_check(const struct bpfkit_out_val *v, struct bpfkit_diag *diag, int depth)
{
	size_t i;
	int err;

	if (depth > BPFKIT_OUT_MAX_DEPTH)
		return bpfkit_diag__set(diag, -EINVAL, "tuples nested deeper than %d",
					BPFKIT_OUT_MAX_DEPTH);
	switch (v->kind) {
	case BPFKIT_OUT_INT:
		if (v->size != 1 && v->size != 2 && v->size != 4 && v->size != 8)
			return bpfkit_diag__set(diag, -EINVAL, "integer of %u bytes", v->size);
		return 0;
	case BPFKIT_OUT_STR:
	case BPFKIT_OUT_BUF:
	case BPFKIT_OUT_TIMESTAMP:
	case BPFKIT_OUT_PROBE:
		if (v->s.len && !v->s.data)
			return bpfkit_diag__set(diag, -EINVAL, "string without data");
		return 0;
	case BPFKIT_OUT_KSYM:
		return 0;
	case BPFKIT_OUT_STACK:
		if (v->st.n && !v->st.ips)
			return bpfkit_diag__set(diag, -EINVAL, "stack without frames");
		if (v->st.mode > BPFKIT_OUT_STACK_RAW)
			return bpfkit_diag__set(diag, -EINVAL, "unknown stack mode %u", v->st.mode);
		return 0;
	case BPFKIT_OUT_TUPLE:
		if (v->t.n && !v->t.elems)
			return bpfkit_diag__set(diag, -EINVAL, "tuple without elements");
		for (i = 0; i < v->t.n; i++) {
			err = val_check(&v->t.elems[i], diag, depth + 1);
			if (err)
				return err;
		}
		return 0;
	}
	return bpfkit_diag__set(diag, -EINVAL, "unknown value kind %d", (int)v->kind);
}

int out_val_check(const struct bpfkit_out_val *v, struct bpfkit_diag *diag)
{
	if (!v)
		return bpfkit_diag__set(diag, -EINVAL, "missing value");
	return val_check(v, diag, 0);
}

uint64_t out_int_bits(const struct bpfkit_out_val *v)
{
	unsigned bits = v->size * 8u;
	uint64_t x = v->i, mask;

	if (bits == 0 || bits >= 64)
		return x;
	mask = (UINT64_C(1) << bits) - 1;
	x &= mask;
	if (v->is_signed && (x >> (bits - 1)) & 1)
		x |= ~mask;
	return x;
}

size_t out_str_len(const struct bpfkit_out_val *v)
{
	const char *nul;

	if (!v->s.len)
		return 0;
	nul = memchr(v->s.data, '\0', v->s.len);
	return nul ? (size_t)(nul - v->s.data) : v->s.len;
}

/* ---- Rendering ------------------------------------------------------------------ */

/* An integer in decimal, divided by @div (bpftrace's "value / div"). */
void out_int_text(struct out_sb *sb, const struct bpfkit_out_val *v, uint32_t div, bool sign)
{
	uint64_t x = out_int_bits(v);

	if (!div)
		div = 1;
	if (sign)
		out_sb_printf(sb, "%" PRId64, (int64_t)x / (int64_t)div);
	else
		out_sb_printf(sb, "%" PRIu64, x / div);
}

/* bpftrace's hex_format_buffer(): bytes 32..126 as they are (when
 * @keep_ascii), every other byte as \xNN with lowercase digits. */
void out_buf_hex(struct out_sb *sb, const char *data, size_t len, bool keep_ascii)
{
	static const char hex[] = "0123456789abcdef";
	char esc[4] = { '\\', 'x', 0, 0 };
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];

		if (keep_ascii && c >= 32 && c <= 126) {
			out_sb_putc(sb, (char)c);
			continue;
		}
		esc[2] = hex[c >> 4];
		esc[3] = hex[c & 0xf];
		out_sb_putn(sb, esc, 4);
	}
}

/* bpftrace's value_to_str() in text: strings, timestamps and probes unquoted, tuples "(1, a)",
 * the divisor applied to every integer, tuple elements included. */
void out_val_text(struct out_sb *sb, const struct bpfkit_out_val *v, uint32_t div)
{
	size_t i;

	switch (v->kind) {
	case BPFKIT_OUT_INT:
		out_int_text(sb, v, div, v->is_signed);
		break;
	case BPFKIT_OUT_STR:
	case BPFKIT_OUT_TIMESTAMP:
	case BPFKIT_OUT_PROBE:
		out_sb_putn(sb, v->s.data, out_str_len(v));
		break;
	case BPFKIT_OUT_BUF:
		out_buf_hex(sb, v->s.data, v->s.len, true);
		break;
	case BPFKIT_OUT_KSYM:
		out_ksym_text(sb, v);
		break;
	case BPFKIT_OUT_STACK:
		out_stack_text(sb, v, 8);
		break;
	case BPFKIT_OUT_TUPLE:
		out_sb_putc(sb, '(');
		for (i = 0; i < v->t.n; i++) {
			if (i)
				out_sb_puts(sb, ", ");
			out_val_text(sb, &v->t.elems[i], div);
		}
		out_sb_putc(sb, ')');
		break;
	}
}

/*
 * A key part. bpftrace 0.17 prints 8-byte integer keys as signed whatever
 * their type ((uint64)-1 as a key prints -1), narrower ones by their sign.
 */
void out_key_part_text(struct out_sb *sb, const struct bpfkit_out_val *v)
{
	if (v->kind == BPFKIT_OUT_INT)
		out_int_text(sb, v, 1, v->size == 8 || v->is_signed);
	else if (v->kind == BPFKIT_OUT_STACK)
		out_stack_text(sb, v, 4); /* bpftrace indents stacks in keys by 4 */
	else
		out_val_text(sb, v, 1);
}

void out_key_text(struct out_sb *sb, const struct bpfkit_out_map *m,
		  const struct bpfkit_out_entry *e)
{
	size_t i;

	out_sb_puts(sb, m->name);
	if (!m->nkeys)
		return;
	out_sb_putc(sb, '[');
	for (i = 0; i < m->nkeys; i++) {
		if (i)
			out_sb_puts(sb, ", ");
		out_key_part_text(sb, &e->key[i]);
	}
	out_sb_putc(sb, ']');
}

/* ---- Key orders ---------------------------------------------------------------- */

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* Compare bytes as unsigned, the shorter string first on a common prefix. */
static int cmp_bytes(const char *a, size_t la, const char *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);

	if (c)
		return c < 0 ? -1 : 1;
	return cmp_u64(la, lb);
}

static uint64_t int_masked(const struct bpfkit_out_val *v)
{
	return v->size >= 8 ? v->i : v->i & ((UINT64_C(1) << (v->size * 8u)) - 1);
}

static int cmp_text(const struct bpfkit_out_val *a, const struct bpfkit_out_val *b)
{
	return cmp_bytes(a->s.data, out_str_len(a), b->s.data, out_str_len(b));
}

/* Kernel before user, then user values by process; stacks by their frames'
 * addresses, then depth; ksym() and usym() values by address. */
static int cmp_addrs(const struct bpfkit_out_val *a, const struct bpfkit_out_val *b)
{
	size_t n;

	if (a->st.user != b->st.user)
		return a->st.user ? 1 : -1;
	if (a->st.user && a->st.pid != b->st.pid)
		return cmp_u64(a->st.pid, b->st.pid);
	if (a->kind == BPFKIT_OUT_KSYM)
		return cmp_u64(a->st.addr, b->st.addr);
	n = a->st.n < b->st.n ? a->st.n : b->st.n;
	for (size_t i = 0; i < n; i++)
		if (a->st.ips[i] != b->st.ips[i])
			return cmp_u64(a->st.ips[i], b->st.ips[i]);
	return cmp_u64(a->st.n, b->st.n);
}

/*
 * bpftrace's sort_by_key(): integer parts compare as unsigned numbers (so -1
 * sorts after every positive key), string parts as strncmp() does, other
 * parts not at all; the first part decides first. Timestamps compare as
 * their text (bpftrace compares their raw {format id, nsecs}; we no longer
 * have those). Probes bpftrace leaves in hash-table order, which is no set
 * order: keys equal in every other part go by probe name, one of the orders
 * bpftrace may print, the same on every run. With @p probes_in_place (the
 * ties of a map sorted by value, which bpftrace leaves in no set order at
 * all) probe names compare where they stand, as strings do.
 */
int out_key_cmp(const struct bpfkit_out_val *a, const struct bpfkit_out_val *b, size_t nkeys,
		bool probes_in_place)
{
	size_t i;
	int c;

	for (i = 0; i < nkeys; i++) {
		if (a[i].kind != b[i].kind)
			return a[i].kind < b[i].kind ? -1 : 1;
		if (a[i].kind == BPFKIT_OUT_INT)
			c = cmp_u64(int_masked(&a[i]), int_masked(&b[i]));
		else if (a[i].kind == BPFKIT_OUT_STR || a[i].kind == BPFKIT_OUT_TIMESTAMP ||
			 (a[i].kind == BPFKIT_OUT_PROBE && probes_in_place))
			c = cmp_text(&a[i], &b[i]);
		else if (a[i].kind == BPFKIT_OUT_STACK || a[i].kind == BPFKIT_OUT_KSYM)
			c = cmp_addrs(&a[i], &b[i]);
		else
			c = 0;
		if (c)
			return c;
	}
	for (i = 0; i < nkeys; i++) {
		c = a[i].kind == BPFKIT_OUT_PROBE ? cmp_text(&a[i], &b[i]) : 0;
		if (c)
			return c;
	}
	return 0;
}

/* Byte @k of a part laid out as bpftrace stores it (integers and probe ids
 * little-endian, strings zero-padded), or 0 beyond its end. */
static unsigned raw_byte(const struct bpfkit_out_val *v, size_t k)
{
	if (v->kind == BPFKIT_OUT_INT)
		return k < v->size ? (unsigned)(v->i >> (8 * k)) & 0xff : 0;
	if (v->kind == BPFKIT_OUT_PROBE)
		return k < 8 ? (unsigned)(v->s.id >> (8 * k)) & 0xff : 0;
	return k < out_str_len(v) ? (unsigned char)v->s.data[k] : 0;
}

static size_t raw_size(const struct bpfkit_out_val *v)
{
	if (v->kind == BPFKIT_OUT_PROBE)
		return 8;
	return v->kind == BPFKIT_OUT_INT ? v->size : v->s.len;
}

static int raw_cmp_one(const struct bpfkit_out_val *a, const struct bpfkit_out_val *b, int depth)
{
	size_t k, n;
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->kind == BPFKIT_OUT_TUPLE) {
		if (depth > BPFKIT_OUT_MAX_DEPTH)
			return 0;
		n = a->t.n < b->t.n ? a->t.n : b->t.n;
		for (k = 0; k < n; k++) {
			c = raw_cmp_one(&a->t.elems[k], &b->t.elems[k], depth + 1);
			if (c)
				return c;
		}
		return cmp_u64(a->t.n, b->t.n);
	}
	if (a->kind == BPFKIT_OUT_STACK || a->kind == BPFKIT_OUT_KSYM)
		return cmp_addrs(a, b);
	if (a->kind == BPFKIT_OUT_BUF) {
		/* bpftrace stores a buffer as its length byte, then the bytes */
		c = cmp_u64(a->s.len & 0xff, b->s.len & 0xff);
		if (c)
			return c;
		return cmp_bytes(a->s.data, a->s.len, b->s.data, b->s.len);
	}
	n = raw_size(a) > raw_size(b) ? raw_size(a) : raw_size(b);
	for (k = 0; k < n; k++) {
		c = cmp_u64(raw_byte(a, k), raw_byte(b, k));
		if (c)
			return c;
	}
	return 0;
}

/*
 * The order of bpftrace's std::map over raw key bytes, which decides ties
 * when it sorts hist, lhist, avg and stats maps: integers compare by their
 * little-endian bytes (256 before 1), strings as zero-padded arrays, probes
 * by the little-endian bytes of their ids.
 */
int out_key_cmp_raw(const struct bpfkit_out_val *a, const struct bpfkit_out_val *b, size_t nkeys)
{
	size_t i;
	int c;

	for (i = 0; i < nkeys; i++) {
		c = raw_cmp_one(&a[i], &b[i], 0);
		if (c)
			return c;
	}
	return 0;
}
