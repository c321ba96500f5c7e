// SPDX-License-Identifier: MIT
/*
 * One compilation of a script: the arena that owns everything, the copy of
 * the source with its line table, and the list of diagnostics with the
 * compiler-style formatter and the "did you mean" helper.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/isa.h>

#include "lang/lang_int.h"

/* ---- Arena -------------------------------------------------------------------- */

#define ARENA_ALIGN 16
#define ARENA_CHUNK (32u * 1024)
#define ARENA_CAP ((size_t)1 << 32) /* no single compilation needs 4 GiB */

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

/* Fail an allocation: unwind to the parser if it asked for that. */
static void *arena_fail(struct arena *a)
{
	if (a->oom)
		longjmp(*a->oom, 1);
	return NULL;
}

/*
 * Bump-allocate @p size zeroed bytes. Large requests get a chunk of their
 * own, placed behind the current one so the current one keeps filling.
 */
void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	size_t need, csize;

	if (size == 0)
		size = 1;
	if (size > ARENA_CAP)
		return arena_fail(a);
	need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (c && c->size - c->used >= need) {
		void *p = c->data + c->used;
		c->used += need;
		return p;
	}
	csize = need > ARENA_CHUNK / 4 ? need : ARENA_CHUNK;
	if (a->total + csize > ARENA_CAP)
		return arena_fail(a);
	c = calloc(1, sizeof(*c) + csize);
	if (!c)
		return arena_fail(a);
	c->size = csize;
	c->used = need;
	a->total += csize;
	if (a->head && csize != ARENA_CHUNK) {
		c->next = a->head->next;
		a->head->next = c;
	} else {
		c->next = a->head;
		a->head = c;
	}
	return c->data;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d;

	if (n == SIZE_MAX)
		return arena_fail(a);
	d = arena_alloc(a, n + 1);
	if (d && n)
		memcpy(d, s, n);
	return d;
}

/* printf into the arena: measure, allocate, print. */
char *arena_vsprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	char *d;
	int n;

	if (!fmt)
		fmt = "";
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	d = arena_alloc(a, (size_t)n + 1);
	if (d)
		vsnprintf(d, (size_t)n + 1, fmt, ap);
	return d;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->total = 0;
}

/* Append, doubling the storage (in the arena) when full. */
void ptrvec_push(struct arena *a, struct ptrvec *v, void *item)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4;
		void **items;

		if (cap > SIZE_MAX / sizeof(void *)) {
			arena_fail(a);
			return;
		}
		items = arena_alloc(a, cap * sizeof(void *));
		if (!items)
			return;
		if (v->n)
			memcpy(items, v->items, v->n * sizeof(void *));
		v->items = items;
		v->cap = cap;
	}
	v->items[v->n++] = item;
}

/* ---- The compilation ------------------------------------------------------------- */

/* Copy the name and the text into a fresh arena; the text gets a NUL so
 * that the lexer may look one byte past a token safely. */
struct bpfkit_lang *bpfkit_lang__new(const char *file, const char *src, size_t len)
{
	struct bpfkit_lang *l;

	if (!src && len) {
		errno = EINVAL;
		return NULL;
	}
	if (len > (size_t)INT_MAX / 4) {
		errno = EFBIG; /* locations are ints */
		return NULL;
	}
	/* a UTF-8 byte order mark (editors on Windows write one) is no text:
	 * columns count from after it, and the source kept for the caret
	 * printer has none */
	if (len >= 3 && !memcmp(src, "\xef\xbb\xbf", 3)) {
		src += 3;
		len -= 3;
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		goto err;
	l->file = arena_strndup(&l->arena, file ? file : "<input>", strlen(file ? file : "<input>"));
	l->src = arena_strndup(&l->arena, src ? src : "", len);
	if (!l->file || !l->src)
		goto err;
	l->len = len;
	return l;
err:
	bpfkit_lang__free(l);
	errno = ENOMEM;
	return NULL;
}

void bpfkit_lang__free(struct bpfkit_lang *l)
{
	if (!l)
		return;
	arena_release(&l->arena);
	free(l);
}

const struct bpfkit_lang_diag *bpfkit_lang__diags(const struct bpfkit_lang *l)
{
	return l ? l->diags : NULL;
}

unsigned bpfkit_lang__nerrors(const struct bpfkit_lang *l)
{
	return l ? l->nerrors : 0;
}

const char *bpfkit_lang__source(const struct bpfkit_lang *l, size_t *len)
{
	if (len)
		*len = l ? l->len : 0;
	return l ? l->src : NULL;
}

void *bpfkit_lang__alloc(struct bpfkit_lang *l, size_t size)
{
	void *p;

	if (!l) {
		errno = EINVAL;
		return NULL;
	}
	p = arena_alloc(&l->arena, size);
	if (!p)
		errno = ENOMEM;
	return p;
}

/* Record the byte offset of every line start, for span arithmetic. */
void lang_index_lines(struct bpfkit_lang *l)
{
	size_t n = 1, i, k = 0;

	for (i = 0; i < l->len; i++)
		n += l->src[i] == '\n';
	l->line_off = arena_alloc(&l->arena, n * sizeof(size_t));
	if (!l->line_off)
		return;
	l->line_off[k++] = 0;
	for (i = 0; i < l->len; i++)
		if (l->src[i] == '\n')
			l->line_off[k++] = i + 1;
	l->nlines = n;
}

size_t lang_loc_off(const struct bpfkit_lang *l, struct bpfkit_loc loc)
{
	size_t off;

	if (loc.line < 1 || !l->line_off)
		return 0;
	if ((size_t)loc.line > l->nlines)
		return l->len;
	off = l->line_off[loc.line - 1] + (size_t)(loc.col > 0 ? loc.col - 1 : 0);
	return off > l->len ? l->len : off;
}

/* Longest message or hint kept whole; a longer one keeps its two ends. */
#define DIAG_MSG_MAX 400

/*
 * Shorten @p s in place to its first and last DIAG_MSG_MAX / 2 bytes around
 * "...", cut at UTF-8 character boundaries. Messages quote what the script
 * wrote ("unknown identifier 'xxx...'"), and a name can be 200 KB long;
 * the source line itself is windowed by the caret printer.
 */
static void shorten(char *s)
{
	size_t n = s ? strlen(s) : 0, head = DIAG_MSG_MAX / 2, tail;

	if (n <= DIAG_MSG_MAX)
		return;
	while (head > 0 && ((unsigned char)s[head] & 0xc0) == 0x80)
		head--;
	tail = n - (DIAG_MSG_MAX / 2 - 3);
	while (tail < n && ((unsigned char)s[tail] & 0xc0) == 0x80)
		tail++;
	memcpy(s + head, "...", 3);
	memmove(s + head + 3, s + tail, n - tail + 1);
}

struct bpfkit_lang_diag *lang_vdiag(struct bpfkit_lang *l, enum bpfkit_lang_severity sev,
				    struct bpfkit_loc loc, const char *hint, const char *fmt, va_list ap)
{
	struct bpfkit_lang_diag *d;
	char *msg, *h;

	if (l->quiet)
		return NULL;
	d = arena_alloc(&l->arena, sizeof(*d));
	if (!d)
		return NULL;
	d->severity = sev;
	d->file = l->file;
	d->loc = loc;
	msg = arena_vsprintf(&l->arena, fmt, ap);
	h = hint ? arena_strndup(&l->arena, hint, strlen(hint)) : NULL;
	if (!msg || (hint && !h))
		return NULL;
	shorten(msg);
	shorten(h);
	d->msg = msg;
	d->hint = h;
	if (l->diags_tail)
		l->diags_tail->next = d;
	else
		l->diags = d;
	l->diags_tail = d;
	if (sev == BPFKIT_LANG_ERROR)
		l->nerrors++;
	return d;
}

struct bpfkit_lang_diag *lang_diag(struct bpfkit_lang *l, enum bpfkit_lang_severity sev,
				   struct bpfkit_loc loc, const char *hint, const char *fmt, ...)
{
	struct bpfkit_lang_diag *d;
	va_list ap;

	va_start(ap, fmt);
	d = lang_vdiag(l, sev, loc, hint, fmt, ap);
	va_end(ap);
	return d;
}

int bpfkit_lang__report(struct bpfkit_lang *l, enum bpfkit_lang_severity sev, struct bpfkit_loc loc,
			const char *hint, const char *fmt, ...)
{
	struct bpfkit_lang_diag *d;
	bool quiet;
	va_list ap;

	if (!l || !fmt)
		return -EINVAL;
	quiet = l->quiet;
	l->quiet = false;
	va_start(ap, fmt);
	d = lang_vdiag(l, sev, loc, hint, fmt, ap);
	va_end(ap);
	l->quiet = quiet;
	if (!d)
		return -ENOMEM;
	return sev == BPFKIT_LANG_ERROR ? -EINVAL : 0;
}

/* ---- Formatting ---------------------------------------------------------------------- */

static const char *severity_name(enum bpfkit_lang_severity s)
{
	switch (s) {
	case BPFKIT_LANG_WARNING:
		return "warning";
	case BPFKIT_LANG_NOTE:
		return "note";
	default:
		return "error";
	}
}

static const char *severity_color(enum bpfkit_lang_severity s)
{
	switch (s) {
	case BPFKIT_LANG_WARNING:
		return "\033[1;35m";
	case BPFKIT_LANG_NOTE:
		return "\033[1;36m";
	default:
		return "\033[1;31m";
	}
}

/*
 * Print the message line, then the source line and a caret under the
 * location (bpfkit_diag__print_source(): a window of a long line; the
 * underline stops at the end of the line when the location spans several).
 */
int bpfkit_lang_diag_format(const struct bpfkit_lang_diag *d, const char *src, size_t len,
			    unsigned flags, FILE *out)
{
	bool color = flags & BPFKIT_LANG_FMT_COLOR;
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";

	if (!d || !out)
		return -EINVAL;
	fprintf(out, "%s%s:", bold, d->file ? d->file : "<input>");
	if (d->loc.line > 0)
		fprintf(out, "%d:%d:", d->loc.line, d->loc.col > 0 ? d->loc.col : 1);
	fprintf(out, "%s %s%s:%s %s", reset, color ? severity_color(d->severity) : "",
		severity_name(d->severity), reset, d->msg ? d->msg : "");
	if (d->hint)
		fprintf(out, "; did you mean '%s'?", d->hint);
	fputc('\n', out);
	if (src && d->loc.line > 0)
		bpfkit_diag__print_source(out, src, len, d->loc.line, d->loc.col, d->loc.len, color);
	return ferror(out) ? -EIO : 0;
}

/* ---- Suggestions ------------------------------------------------------------------------ */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/*
 * Case-insensitive edit distance where swapping two neighbours counts as one
 * edit ("whlie" is one edit from "while"): the optimal string alignment
 * variant of Damerau-Levenshtein, on three rolling rows.
 */
static size_t edit_distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b), r0[64], r1[64], r2[64], *pp = r0, *prev = r1, *cur = r2;

	if (la >= 64 || lb >= 64 || (la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t best;

		cur[0] = best = i;
		for (size_t j = 1; j <= lb; j++) {
			bool same = lower(a[i - 1]) == lower(b[j - 1]);
			size_t v = prev[j - 1] + !same;

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]) &&
			    pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		{
			size_t *t = pp;

			pp = prev;
			prev = cur;
			cur = t;
		}
	}
	return prev[lb];
}

/* The closest candidate within a distance that grows with the length of
 * the name (none for 1-2 letters, up to 3 edits for long names). */
const char *bpfkit_lang_suggest(const char *name, const char *const *cands, size_t n)
{
	size_t len, max, best_d, d;
	const char *best = NULL;

	if (!name || !cands)
		return NULL;
	len = strlen(name);
	max = len <= 2 ? 0 : len <= 5 ? 1 : len <= 8 ? 2 : 3;
	best_d = max + 1;
	for (size_t i = 0; i < n; i++) {
		if (!cands[i] || !strcmp(cands[i], name))
			continue;
		d = edit_distance(name, cands[i], max);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best;
}
