/* SPDX-License-Identifier: MIT */
/*
 * Private to progio.c and datafile.c: the hex reader both use (program
 * bytes, `-- raw` words, `-- mem` bytes) and the slot decoder.
 */
#ifndef BPFKIT_PROGIO_INT_H
#define BPFKIT_PROGIO_INT_H

#include <bpfkit/isa.h>

/* Bytes read from hex text, with the source line of each 8-byte slot. */
struct hexbuf {
	uint8_t *bytes;
	size_t len, cap;
	int *lines; /* line of the first byte of slot i (when want_lines) */
	size_t nlines, lines_cap;
	bool want_lines;
};

/*
 * Read hex text: whitespace- or comma-separated byte pairs ("b7 00",
 * "b700000001000000"), and 0x-prefixed tokens. With @p words, a 0x token
 * alone on its line is a 64-bit instruction slot written as a number (the
 * conformance suite's `-- raw`), stored little-endian; otherwise 0x tokens
 * are single bytes. `#` and `//` start comments. @p line0 is the line
 * number of the text's first line, for diagnostics (line:col, len).
 * Appends to @p hb; the caller frees hb->bytes and hb->lines.
 */
int progio_read_hex(const char *text, size_t len, int line0, bool words, struct hexbuf *hb,
		    struct bpfkit_diag *diag);

/* A program from raw little-endian slot bytes (len a multiple of 8), taking
 * ownership of nothing; @p lines (or NULL) gives each slot's source line. */
int progio_prog_from_bytes(const uint8_t *b, size_t len, const int *lines,
			   struct bpfkit_prog **out, struct bpfkit_diag *diag);

#endif
