// SPDX-License-Identifier: MIT
/*
 * The instruction layer's one growable buffer (struct dbuf): text for the
 * disassembler, bytes for the ELF writer. It stops growing and sets oom on
 * overflow or allocation failure, so callers check once at the end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf_int.h"

/* Make room for @p more bytes and the NUL, doubling; false (and oom set)
 * when the size would overflow or memory runs out. */
static bool dbuf_reserve(struct dbuf *b, size_t more)
{
	size_t need, cap;
	char *s;

	if (b->oom)
		return false;
	if (__builtin_add_overflow(b->len, more + 1, &need)) {
		b->oom = true;
		return false;
	}
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < need) {
		if (__builtin_mul_overflow(cap, 2, &cap)) {
			b->oom = true;
			return false;
		}
	}
	s = realloc(b->s, cap);
	if (!s) {
		b->oom = true;
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

void dbuf_printf(struct dbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !dbuf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void dbuf_puts(struct dbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (!dbuf_reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

void dbuf_bytes(struct dbuf *b, const void *p, size_t n)
{
	if (!n || !dbuf_reserve(b, n))
		return;
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}
