// SPDX-License-Identifier: MIT
/* Diagnostics: the one place errors are recorded instead of printed. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpfkit/isa.h>

void bpfkit_diag__clear(struct bpfkit_diag *d)
{
	if (!d)
		return;
	memset(d, 0, sizeof(*d));
	d->insn = -1;
}

int bpfkit_diag__set(struct bpfkit_diag *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return err;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return err;
}

/* Whether byte @p c starts a character (is no UTF-8 continuation byte). */
static bool char_start(unsigned char c)
{
	return (c & 0xc0) != 0x80;
}

/* The offset of the @p k-th character (0-based) of @p p[0..n), or n. */
static size_t char_off(const char *p, size_t n, size_t k)
{
	size_t i = 0;

	for (; i < n; i++)
		if (char_start((unsigned char)p[i]) && k-- == 0)
			break;
	return i;
}

/* The number of characters starting in @p p[from..to). */
static size_t char_count(const char *p, size_t from, size_t to)
{
	size_t k = 0;

	for (size_t i = from; i < to; i++)
		k += char_start((unsigned char)p[i]);
	return k;
}

/*
 * The window is counted in characters, not bytes, so that text in UTF-8 is
 * cut as wide as ASCII, and never inside a character. It centres the caret
 * unless an end of the line is nearer, then it ends there.
 */
int bpfkit_diag__print_source(FILE *out, const char *src, size_t len, int line, int col, int span,
			      bool color)
{
	const char *p = src, *end = src + len, *eol;
	size_t n, at, past = 0, to, from, upto, nchars, k;

	if (!out || (!src && len) || line < 1)
		return -ENOENT;
	for (int l = 1; l < line; l++) {
		p = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		if (!p)
			return -ENOENT;
		p++;
	}
	eol = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
	if (!eol)
		eol = end;
	if (eol > p && eol[-1] == '\r')
		eol--;
	n = (size_t)(eol - p);
	at = col > 1 ? (size_t)col - 1 : 0;
	if (at > n) { /* past the end (the end of the input): after the text */
		past = at - n;
		at = n;
	}
	to = span > 1 && at < n ? at + (size_t)span : at + 1;
	if (to > n)
		to = at < n ? n : at + 1;
	from = 0;
	upto = n;
	nchars = char_count(p, 0, n);
	if (nchars > BPFKIT_DIAG_WIDTH) {
		size_t first, last;

		k = char_count(p, 0, at);
		first = k > BPFKIT_DIAG_WIDTH / 2 ? k - BPFKIT_DIAG_WIDTH / 2 : 0;
		last = first + BPFKIT_DIAG_WIDTH;
		if (last > nchars) {
			last = nchars;
			first = nchars - BPFKIT_DIAG_WIDTH;
		}
		from = char_off(p, n, first);
		upto = char_off(p, n, last);
	}
	if (to > upto && at < upto)
		to = upto; /* the underline stops at the cut */
	/* control bytes (an escape sequence, a NUL) are shown as '?', one column each,
	 * so an echoed line can neither drive the terminal nor end early */
	fputs(from ? "..." : "", out);
	for (size_t i = from; i < upto; i++) {
		unsigned char c = (unsigned char)p[i];

		fputc((c < 0x20 && c != '\t') || c == 0x7f ? '?' : c, out);
	}
	fputs(upto < n ? "...\n" : "\n", out);
	if (from)
		fputs("   ", out);
	for (size_t i = from; i < at; i++)
		if (char_start((unsigned char)p[i]))
			fputc(p[i] == '\t' ? '\t' : ' ', out);
	fprintf(out, "%*s", (int)(past < BPFKIT_DIAG_WIDTH ? past : BPFKIT_DIAG_WIDTH), "");
	fputs(color ? "\033[1;32m^" : "^", out);
	for (k = to > at + 1 ? char_count(p, at + 1, to) : 0; k > 0; k--)
		fputc('~', out);
	fputs(color ? "\033[0m\n" : "\n", out);
	return ferror(out) ? -EIO : 0;
}
