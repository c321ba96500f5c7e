// SPDX-License-Identifier: MIT
/* A small streaming JSON writer for -j/--json output. It tracks only what
 * it needs to place commas and indentation; callers nest begin/end calls. */
#include <stdlib.h>

#include "cli.h"

#define JSON_MAX_DEPTH 32

struct json_w {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH]; /* no element written yet at this depth */
	bool after_key;
};

struct json_w *json_w_new(FILE *f)
{
	struct json_w *w = calloc(1, sizeof(*w));

	if (w) {
		w->f = f;
		w->first[0] = true;
	}
	return w;
}

void json_w_free(struct json_w *w)
{
	if (!w)
		return;
	fputc('\n', w->f);
	free(w);
}

static void newline(struct json_w *w)
{
	if (!cli.pretty)
		return;
	fputc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

/* Before any value or key: a comma if this is not the first element, and
 * a newline plus indentation in pretty mode. A value right after its key
 * gets neither. */
static void sep(struct json_w *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		fputc(',', w->f);
	w->first[w->depth] = false;
	if (w->depth)
		newline(w);
}

static void open_(struct json_w *w, char c)
{
	sep(w);
	fputc(c, w->f);
	if (w->depth + 1 < JSON_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_(struct json_w *w, char c)
{
	bool empty = w->first[w->depth];

	if (w->depth)
		w->depth--;
	if (!empty)
		newline(w);
	fputc(c, w->f);
}

void json_w_obj_begin(struct json_w *w) { open_(w, '{'); }
void json_w_obj_end(struct json_w *w) { close_(w, '}'); }
void json_w_arr_begin(struct json_w *w) { open_(w, '['); }
void json_w_arr_end(struct json_w *w) { close_(w, ']'); }

void json_w_key(struct json_w *w, const char *key)
{
	json_w_str(w, key);
	fputs(cli.pretty ? ": " : ":", w->f);
	w->after_key = true;
}

void json_fputs_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch == '\t')
			fputs("\\t", f);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

void json_w_str(struct json_w *w, const char *s)
{
	sep(w);
	json_fputs_escaped(w->f, s);
}

void json_w_int(struct json_w *w, long long v) { sep(w); fprintf(w->f, "%lld", v); }
void json_w_uint(struct json_w *w, unsigned long long v) { sep(w); fprintf(w->f, "%llu", v); }
void json_w_bool(struct json_w *w, bool v) { sep(w); fputs(v ? "true" : "false", w->f); }
void json_w_null(struct json_w *w) { sep(w); fputs("null", w->f); }
