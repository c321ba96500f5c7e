/* SPDX-License-Identifier: MIT */
/* Private to src/isa/: the growable buffer the disassembler and the ELF
 * writer share (buf.c). */
#ifndef BPFKIT_ISA_BUF_INT_H
#define BPFKIT_ISA_BUF_INT_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes that grow, always NUL-terminated past len (so text can be used as a
 * C string); on allocation failure or overflow it stops growing and sets
 * oom, so callers check once at the end. The caller frees s. */
struct dbuf {
	char *s;
	size_t len;
	size_t cap;
	bool oom;
};

void dbuf_printf(struct dbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dbuf_puts(struct dbuf *b, const char *s);
void dbuf_bytes(struct dbuf *b, const void *p, size_t n);

#endif
