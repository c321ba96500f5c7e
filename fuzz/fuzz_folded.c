// SPDX-License-Identifier: MIT
/*
 * Fuzz the folded-stack parser and the flame-graph writer (src/out/folded.c,
 * src/out/flamegraph.c) with arbitrary bytes. Oracles beyond "no crash, leak
 * or hang":
 *  - a failure says where: a line within the input and a column from 1, or
 *    line 0 only for input without samples;
 *  - a success is a consistent tree: the first column's frames add up to the
 *    total, a frame is never wider than its parent and lies within it,
 *    siblings follow each other without gaps in name order;
 *  - the SVG of a success is valid UTF-8 with no raw '<' or '&' taken from
 *    a name (every '<' starts a tag of ours, every '&' an entity), and ends
 *    with </svg>.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/out.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DEPTH_SEEN (BPFKIT_FOLDED_MAX_DEPTH + 1)

struct walk {
	uint64_t total, top; /* the profile's samples; the first column's sum */
	uint64_t start[MAX_DEPTH_SEEN + 1], end[MAX_DEPTH_SEEN + 1]; /* the open frame at each depth */
	const char *name[MAX_DEPTH_SEEN + 1];
	size_t len[MAX_DEPTH_SEEN + 1];
	unsigned depth; /* of the last frame */
};

static int check_frame(void *ctx, const struct bpfkit_folded_frame *fr)
{
	struct walk *w = ctx;
	unsigned d = fr->depth;

	if (d < 1 || d > MAX_DEPTH_SEEN || d > w->depth + 1 || !fr->count)
		abort();
	if (d == 1)
		w->top += fr->count;
	if (d > 1 && (fr->start < w->start[d - 1] || fr->start + fr->count > w->end[d - 1]))
		abort(); /* outside its parent */
	if (d <= w->depth) { /* a sibling of the frame open at depth d */
		size_t n = fr->len < w->len[d] ? fr->len : w->len[d];
		int c = memcmp(w->name[d], fr->name, n);

		if (fr->start != w->end[d] || c > 0 || (!c && fr->len == w->len[d]))
			abort();
	} else if (fr->start != (d > 1 ? w->start[d - 1] : 0)) {
		abort(); /* a first child starts where its parent does */
	}
	w->start[d] = fr->start;
	w->end[d] = fr->start + fr->count;
	w->name[d] = fr->name;
	w->len[d] = fr->len;
	w->depth = d;
	return 0;
}

/* Valid UTF-8 (as the writer replaces everything else), '<' only before a
 * tag name, '/', '!' or '?', '&' only before an entity; the script's
 * CDATA section aside. */
static void check_svg(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '<' && n - i > 9 && !memcmp(s + i, "<![CDATA[", 9)) { /* the script */
			const char *end = memmem(s + i, n - i, "]]>", 3);

			if (!end)
				abort();
			i = (size_t)(end - s) + 2;
			continue;
		}
		if (c == '<' && !(i + 1 < n && strchr("/!?gtrsdl", s[i + 1])))
			abort();
		if (c == '&' && !(i + 1 < n && (s[i + 1] == '#' || !strncmp(s + i + 1, "amp;", 4) ||
					       !strncmp(s + i + 1, "lt;", 3) || !strncmp(s + i + 1, "gt;", 3) ||
					       !strncmp(s + i + 1, "quot;", 5) || !strncmp(s + i + 1, "apos;", 5))))
			abort();
		if (c < 0x20 && c != '\n' && c != '\t')
			abort();
		if (c >= 0x80) {
			size_t len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;

			if (!len || i + len > n)
				abort();
			for (size_t k = 1; k < len; k++)
				if (((unsigned char)s[i + k] & 0xc0) != 0x80)
					abort();
			i += len - 1;
		}
	}
	if (n < 7 || memcmp(s + n - 7, "</svg>\n", 7))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct walk w;
	struct bpfkit_folded *f;
	struct bpfkit_flame_opts o;
	struct bpfkit_diag d;
	unsigned flags;
	int nlines = 1;
	char *svg = NULL;
	size_t len = 0;
	FILE *out;

	if (size < 1 || size > 1 << 16)
		return 0;
	flags = data[0] & 1 ? BPFKIT_FOLDED_REVERSE : 0; /* the first byte picks options */
	for (size_t i = 1; i < size; i++)
		nlines += data[i] == '\n';
	if (bpfkit_folded__parse((const char *)data + 1, size - 1, flags, &f, &d)) {
		if (f || d.line < 0 || d.line > nlines || (d.line && d.col < 1) ||
		    (!d.line && !strstr(d.msg, "in the input")) || !d.msg[0])
			abort();
		return 0;
	}
	memset(&w, 0, sizeof(w));
	w.total = bpfkit_folded__total(f);
	if (!w.total || bpfkit_folded__walk(f, check_frame, &w) || w.top != w.total)
		abort();
	bpfkit_flame_opts__init(&o);
	o.inverted = data[0] & 2;
	o.minwidth = data[0] & 4 ? 0 : 0.1;
	o.width = data[0] & 8 ? 200 : 1200;
	o.colors = (enum bpfkit_flame_colors)((data[0] >> 4) % 10);
	out = open_memstream(&svg, &len);
	if (!out)
		abort();
	if (bpfkit_flame__svg(out, f, &o, &d))
		abort();
	fclose(out);
	check_svg(svg, len);
	free(svg);
	bpfkit_folded__free(f);
	return 0;
}
