// SPDX-License-Identifier: MIT
/*
 * Unit tests of folded stacks and flame graphs (src/out/folded.c,
 * src/out/flamegraph.c): merging equal prefixes and stacks, the order of
 * frames in a level (flamegraph.pl's), --reverse, exact rectangles for a
 * small profile with flamegraph.pl's geometry, --minwidth, labels cut with
 * "..", XML escaping (and U+FFFD for bad UTF-8), colours, and every input
 * error with its line and column.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <bpfkit/out.h>

static struct bpfkit_folded *parse_ok(const char *text, unsigned flags)
{
	struct bpfkit_folded *f = NULL;
	struct bpfkit_diag d;
	int err = bpfkit_folded__parse(text, strlen(text), flags, &f, &d);

	if (err)
		fail_msg("parse failed: %d:%d: %s", d.line, d.col, d.msg);
	return f;
}

/* The walk as lines "DEPTH NAME START COUNT". */
static int walk_line(void *ctx, const struct bpfkit_folded_frame *fr)
{
	FILE *out = ctx;

	fprintf(out, "%u %.*s %llu %llu\n", fr->depth, (int)fr->len, fr->name,
		(unsigned long long)fr->start, (unsigned long long)fr->count);
	return 0;
}

static char *walk_text(const struct bpfkit_folded *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(bpfkit_folded__walk(f, walk_line, out), 0);
	fclose(out);
	return buf;
}

static char *svg_text(const struct bpfkit_folded *f, const struct bpfkit_flame_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct bpfkit_diag d;

	assert_non_null(out);
	assert_int_equal(bpfkit_flame__svg(out, f, o, &d), 0);
	fclose(out);
	return buf;
}

/* Equal prefixes are one frame, equal stacks add up, children are sorted by
 * name as flamegraph.pl's sort of whole lines orders them ('-' < ';'), each
 * frame starts where its previous sibling ends. */
static void test_merge_order(void **state)
{
	struct bpfkit_folded *f;
	char *w;

	(void)state;
	f = parse_ok("main;parse;malloc 12\n"
		     "idle 10\n"
		     "main;parse 3\r\n"
		     "\n"
		     "main;a;z 4\n"
		     "main;a-x;y\t2\n"
		     "main;parse;malloc 1\n"
		     "   \n"
		     "zero;frames 0\n"
		     "main;Z 1  \n",
		     0);
	assert_int_equal(bpfkit_folded__total(f), 33);
	w = walk_text(f);
	assert_string_equal(w, "1 idle 0 10\n"
			       "1 main 10 23\n"
			       "2 Z 10 1\n"
			       "2 a-x 11 2\n"
			       "3 y 11 2\n"
			       "2 a 13 4\n"
			       "3 z 13 4\n"
			       "2 parse 17 16\n"
			       "3 malloc 17 13\n");
	free(w);
	bpfkit_folded__free(f);

	/* --reverse: leaf first */
	f = parse_ok("a;b;c 2\nd;c 1\na;b 4\n", BPFKIT_FOLDED_REVERSE);
	w = walk_text(f);
	assert_string_equal(w, "1 b 0 4\n"
			       "2 a 0 4\n"
			       "1 c 4 3\n"
			       "2 b 4 2\n"
			       "3 a 4 2\n"
			       "2 d 6 1\n");
	free(w);
	bpfkit_folded__free(f);

	/* names keep their blanks; empty frames are frames, as in flamegraph.pl */
	f = parse_ok("[unknown] x;;y 3\n", 0);
	w = walk_text(f);
	assert_string_equal(w, "1 [unknown] x 0 3\n2  0 3\n3 y 0 3\n");
	free(w);
	bpfkit_folded__free(f);
}

/* Exact rectangles of a small profile: 1200 px wide, 10 px margins, so
 * k = 1180 / 4 = 295 px a sample; frames 15 px tall, 16 px apart, from the
 * bottom: height = 3 levels * 16 + 36 + 34 = 118, "all" at y = 118 - 34 - 16 + 1. */
static void test_rects(void **state)
{
	struct bpfkit_flame_opts o;
	struct bpfkit_folded *f = parse_ok("a;b 1\na;c 2\nd 1\n", 0);
	char *svg;

	(void)state;
	bpfkit_flame_opts__init(&o);
	svg = svg_text(f, &o);
	assert_non_null(strstr(svg, "<svg version=\"1.1\" width=\"1200\" height=\"118\""));
	assert_non_null(strstr(svg, "<title>all (4 samples, 100.00%)</title><rect x=\"10.0\" y=\"69\" width=\"1180.0\" height=\"15\""));
	assert_non_null(strstr(svg, "<title>a (3 samples, 75.00%)</title><rect x=\"10.0\" y=\"53\" width=\"885.0\" height=\"15\""));
	assert_non_null(strstr(svg, "<title>b (1 samples, 25.00%)</title><rect x=\"10.0\" y=\"37\" width=\"295.0\""));
	assert_non_null(strstr(svg, "<title>c (2 samples, 50.00%)</title><rect x=\"305.0\" y=\"37\" width=\"590.0\""));
	assert_non_null(strstr(svg, "<title>d (1 samples, 25.00%)</title><rect x=\"895.0\" y=\"53\" width=\"295.0\""));
	assert_non_null(strstr(svg, "data-s=\"1\" data-n=\"2\" data-d=\"2\"><title>c "));
	assert_non_null(strstr(svg, "<text x=\"308.00\" y=\"47.5\">c</text>"));
	assert_non_null(strstr(svg, "<text id=\"title\" x=\"600.0\" y=\"24\">Flame Graph</text>"));
	assert_non_null(strstr(svg, "var W = 1200, XPAD = 10, FS = 12, FW = 0.59, TOTAL = 4;"));
	assert_non_null(strstr(svg, "</g>\n</svg>\n"));
	free(svg);

	/* inverted: "all" at the top, under the title band (36 px) */
	o.inverted = true;
	o.title = "T <&>";
	o.width = 420;
	o.frame_height = 20;
	svg = svg_text(f, &o);
	assert_non_null(strstr(svg, "height=\"130\""));
	assert_non_null(strstr(svg, "<title>all (4 samples, 100.00%)</title><rect x=\"10.0\" y=\"36\" width=\"400.0\" height=\"19\""));
	assert_non_null(strstr(svg, "<title>c (2 samples, 50.00%)</title><rect x=\"110.0\" y=\"76\" width=\"200.0\" height=\"19\""));
	assert_non_null(strstr(svg, ">T &lt;&amp;&gt;</text>"));
	free(svg);
	bpfkit_folded__free(f);
}

/* --minwidth leaves out narrow frames and what stands on them; the image is
 * as tall as the frames that are left; counts get thousands separators. */
static void test_minwidth(void **state)
{
	struct bpfkit_flame_opts o;
	struct bpfkit_folded *f = parse_ok("wide 9999\nthin;deeper;deepest 1\n", 0);
	char *svg;

	(void)state;
	bpfkit_flame_opts__init(&o);
	svg = svg_text(f, &o); /* 1180 / 10000 = 0.118 px a sample: thin stays */
	assert_non_null(strstr(svg, "<title>thin (1 samples, 0.01%)</title><rect x=\"10.0\" y=\"69\" width=\"0.1\""));
	assert_non_null(strstr(svg, "<title>deepest "));
	assert_non_null(strstr(svg, "<title>wide (9,999 samples, 99.99%)"));
	assert_non_null(strstr(svg, "<title>all (10,000 samples, 100.00%)"));
	assert_non_null(strstr(svg, "height=\"134\""));
	free(svg);
	o.minwidth = 0.2;
	svg = svg_text(f, &o);
	assert_null(strstr(svg, "thin"));
	assert_null(strstr(svg, "deepest"));
	assert_non_null(strstr(svg, "height=\"102\""));
	free(svg);
	bpfkit_folded__free(f);
}

/* Labels are cut to what fits (width / (12 * 0.59) characters) with "..",
 * and left out under 3 characters; a UTF-8 character is one character. */
static void test_labels(void **state)
{
	struct bpfkit_flame_opts o;
	struct bpfkit_folded *f;
	char *svg;

	(void)state;
	bpfkit_flame_opts__init(&o);
	o.width = 120; /* 100 px: 14 characters */
	f = parse_ok("abcdefghijklmnopqrstuvwxyz 10\n", 0);
	svg = svg_text(f, &o);
	assert_non_null(strstr(svg, ">abcdefghijkl..</text>"));
	free(svg);
	bpfkit_folded__free(f);
	f = parse_ok("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 1\nx 1\n", 0);
	svg = svg_text(f, &o); /* 50 px: 7 characters */
	assert_non_null(strstr(svg, ">\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9..</text>"));
	assert_non_null(strstr(svg, "<title>x (1 samples, 50.00%)</title><rect x=\"10.0\" y=\"37\" width=\"50.0\""));
	assert_non_null(strstr(svg, "<text x=\"13.00\" y=\"47.5\">x</text>"));
	free(svg);
	o.width = 40; /* x: 10 px, one character: no label */
	svg = svg_text(f, &o);
	assert_non_null(strstr(svg, "<text x=\"13.00\" y=\"47.5\"></text>"));
	free(svg);
	bpfkit_folded__free(f);
}

/* Names are XML-escaped; bad UTF-8, controls and U+FFFE become U+FFFD. */
static void test_escaping(void **state)
{
	struct bpfkit_flame_opts o;
	struct bpfkit_folded *f;
	char *svg;

	(void)state;
	bpfkit_flame_opts__init(&o);
	o.countname = "<us>";
	f = parse_ok("a<b>&\"c'd;bad\xff\xc3(\x01\xef\xbf\xbe\xed\xa0\x80z 5\n", 0);
	svg = svg_text(f, &o);
	assert_non_null(strstr(svg, "<title>a&lt;b&gt;&amp;&quot;c&apos;d (5 &lt;us&gt;, 100.00%)</title>"));
	assert_non_null(strstr(svg, "<title>bad\xef\xbf\xbd\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd"
				    "\xef\xbf\xbdz (5"));
	free(svg);
	bpfkit_folded__free(f);
}

/* Colours: flamegraph.pl's palettes by a hash of the name, the same for the
 * same name, a "module`" prefix left out. */
static void test_colors(void **state)
{
	struct bpfkit_flame_opts o;
	struct bpfkit_folded *f = parse_ok("malloc;x 1\nlibc`malloc 1\n", 0);
	char *svg, *a, *b;
	int r, g, bl;

	(void)state;
	assert_int_equal(bpfkit_flame__colors_parse("hot"), BPFKIT_FLAME_HOT);
	assert_int_equal(bpfkit_flame__colors_parse("io"), BPFKIT_FLAME_IO);
	assert_int_equal(bpfkit_flame__colors_parse("nope"), -EINVAL);
	bpfkit_flame_opts__init(&o);
	svg = svg_text(f, &o);
	a = strstr(strstr(svg, "<title>malloc "), "fill=\"");
	b = strstr(strstr(svg, "<title>libc`malloc "), "fill=\"");
	assert_non_null(a);
	assert_non_null(b);
	assert_memory_equal(a, b, 24);
	assert_int_equal(sscanf(a, "fill=\"rgb(%d,%d,%d)", &r, &g, &bl), 3);
	assert_true(r >= 205 && r <= 255 && g <= 230 && bl <= 55); /* hot */
	free(svg);
	o.colors = BPFKIT_FLAME_IO;
	svg = svg_text(f, &o);
	a = strstr(strstr(svg, "<title>malloc "), "fill=\"");
	assert_int_equal(sscanf(a, "fill=\"rgb(%d,%d,%d)", &r, &g, &bl), 3);
	assert_true(r == g && r >= 80 && r <= 140 && bl >= 190);
	free(svg);
	bpfkit_folded__free(f);
}

/* Every bad input is an error at its line and column, never a crash. */
static void test_errors(void **state)
{
	static const struct {
		const char *text;
		size_t len; /* 0: strlen */
		int line, col;
		const char *msg;
	} cases[] = {
		{ "a;b 1\nc;d\n", 0, 2, 1, "no sample count" },
		{ "a;b 1\n\nc;d -4\n", 0, 3, 5, "negative sample count '-4'" },
		{ "a 12x\n", 0, 1, 3, "'12x' is no sample count" },
		{ "a 1.5\n", 0, 1, 3, "'1.5' is no sample count" },
		{ "a 99999999999999999999\n", 0, 1, 3, "sample count too large" },
		{ "a 9223372036854775807\nb 1\n", 0, 2, 3, "sample count too large" },
		{ "  7\n", 0, 1, 1, "no stack before the sample count" },
		{ "a 1\nb\0c 2\n", 10, 2, 2, "NUL byte" },
		{ "", 0, 0, 0, "no stacks in the input" },
		{ "\n\n", 0, 0, 0, "no samples in the input" },
		{ "a 0\n", 0, 0, 0, "no samples in the input" },
	};
	struct bpfkit_folded *f;
	struct bpfkit_diag d;
	char *big;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = cases[i].len ? cases[i].len : strlen(cases[i].text);
		f = (void *)1;
		assert_int_equal(bpfkit_folded__parse(cases[i].text, n, 0, &f, &d), -EINVAL);
		assert_null(f);
		if (d.line != cases[i].line || d.col != cases[i].col || !strstr(d.msg, cases[i].msg))
			fail_msg("case %zu: %d:%d: %s; want %d:%d: %s", i, d.line, d.col, d.msg,
				 cases[i].line, cases[i].col, cases[i].msg);
	}

	/* a line over the limit, and a stack of too many frames */
	n = BPFKIT_FOLDED_MAX_LINE + 10;
	big = malloc(n + 1);
	assert_non_null(big);
	memcpy(big, "ok 1\n", 5);
	memset(big + 5, 'x', n - 5);
	memcpy(big + n - 2, " 1", 2);
	assert_int_equal(bpfkit_folded__parse(big, n, 0, &f, &d), -EINVAL);
	assert_int_equal(d.line, 2);
	assert_int_equal(d.col, BPFKIT_FOLDED_MAX_LINE + 1);
	assert_non_null(strstr(d.msg, "line longer than"));
	for (size_t i = 0; i < 2 * BPFKIT_FOLDED_MAX_DEPTH; i += 2)
		memcpy(big + i, "a;", 2);
	memcpy(big + 2 * BPFKIT_FOLDED_MAX_DEPTH - 1, " 1", 3);
	assert_int_equal(bpfkit_folded__parse(big, strlen(big), 0, &f, &d), 0); /* 4096 frames */
	bpfkit_folded__free(f);
	memcpy(big + 2 * BPFKIT_FOLDED_MAX_DEPTH - 1, ";b 1", 5);
	assert_int_equal(bpfkit_folded__parse(big, strlen(big), 0, &f, &d), -EINVAL);
	assert_int_equal(d.line, 1);
	assert_int_equal(d.col, 2 * BPFKIT_FOLDED_MAX_DEPTH);
	assert_non_null(strstr(d.msg, "more than 4096 frames"));
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_order), cmocka_unit_test(test_rects),
		cmocka_unit_test(test_minwidth), cmocka_unit_test(test_labels),
		cmocka_unit_test(test_escaping), cmocka_unit_test(test_colors),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
