// SPDX-License-Identifier: MIT
/*
 * Flame graphs: the tree of folded stacks (folded.c) drawn as an SVG with
 * flamegraph.pl's geometry, colours and tooltips, and a small script of our
 * own for hover, click-to-zoom and search that needs no network.
 *
 * Geometry (flamegraph.pl's): 10 px margins left and right; a frame of
 * depth d (0 is "all", the whole profile) and of samples [start, start + n)
 * is the rectangle x = 10 + start * k, width n * k, k = (width - 20) / total,
 * frame_height - 1 tall, stacked up from the bottom (down from the top when
 * inverted) between a title band of 3 * font_size and a details band of
 * 2 * font_size + 10. Frames narrower than minwidth are left out, and with
 * them everything above them (which is no wider). Each frame is a <g> with
 * its samples in data-s, data-n and its depth in data-d, from which the
 * script lays frames out again when zooming.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "out/out_int.h"

#define XPAD 10 /* flamegraph.pl's $xpad */
#define FONT_WIDTH 0.59 /* average character width per pixel of font size */
#define SEARCH_COLOR "rgb(230,0,230)"

/* ---- XML text --------------------------------------------------------------- */

/*
 * Length of the valid UTF-8 sequence at @s (at most @n bytes), its code
 * point in *@cp; 0 when the byte starts none. A sequence that is no XML 1.0
 * character (controls but tab, newline and return; surrogates; U+FFFE,
 * U+FFFF) reads as U+FFFD, the whole sequence replaced.
 */
static size_t xml_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' ? s[0] : 0xfffd;
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, c = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, c = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff)
		return 0;
	*cp = (c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff ? 0xfffd : c;
	return len;
}

bool out_xml_escape(struct out_sb *sb, const char *s, size_t len, size_t maxchars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, chars = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = xml_char(p + i, len - i, &cp);

		if (chars++ == maxchars)
			return true;
		if (!n)
			n = 1, cp = 0xfffd;
		switch (cp) {
		case 0xfffd: out_sb_puts(sb, "\xef\xbf\xbd"); break;
		case '&': out_sb_puts(sb, "&amp;"); break;
		case '<': out_sb_puts(sb, "&lt;"); break;
		case '>': out_sb_puts(sb, "&gt;"); break;
		case '"': out_sb_puts(sb, "&quot;"); break;
		case '\'': out_sb_puts(sb, "&apos;"); break;
		case '\t': case '\n': case '\r': out_sb_printf(sb, "&#%u;", (unsigned)cp); break;
		default: out_sb_putn(sb, s + i, n);
		}
		i += n;
	}
	return false;
}

/* Characters in @s as out_xml_escape() counts them. */
static size_t xml_chars(const char *s, size_t len)
{
	size_t i = 0, chars = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = xml_char((const unsigned char *)s + i, len - i, &cp);

		i += n ? n : 1;
		chars++;
	}
	return chars;
}

/* ---- Colours ------------------------------------------------------------------ */

static const char *const color_names[] = {
	[BPFKIT_FLAME_HOT] = "hot", [BPFKIT_FLAME_MEM] = "mem", [BPFKIT_FLAME_IO] = "io",
	[BPFKIT_FLAME_RED] = "red", [BPFKIT_FLAME_GREEN] = "green", [BPFKIT_FLAME_BLUE] = "blue",
	[BPFKIT_FLAME_AQUA] = "aqua", [BPFKIT_FLAME_YELLOW] = "yellow",
	[BPFKIT_FLAME_PURPLE] = "purple", [BPFKIT_FLAME_ORANGE] = "orange",
};

int bpfkit_flame__colors_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(color_names) / sizeof(color_names[0]); i++)
		if (name && !strcmp(name, color_names[i]))
			return (int)i;
	return -EINVAL;
}

/*
 * flamegraph.pl's namehash(): a number in [0, 1] from the first three bytes
 * of the name, read forwards or backwards, so that a name has the same
 * colour in every graph. A "module`" prefix is left out, as its
 * s/.(.*?)`// does.
 */
static double name_hash(const char *s, size_t len, bool backwards)
{
	const char *tick = len > 1 ? memchr(s + 1, '`', len - 1) : NULL;
	double vector = 0, weight = 1, max = 1;
	int mod = 10;

	if (tick) {
		len -= (size_t)(tick + 1 - s);
		s = tick + 1;
	}
	for (size_t k = 0; k < len && mod <= 12; k++) {
		unsigned char c = (unsigned char)s[backwards ? len - 1 - k : k];

		vector += (double)(c % mod) / (mod - 1) * weight;
		mod++;
		max += weight;
		weight *= 0.70;
	}
	return 1 - vector / max;
}

/* flamegraph.pl's color(): an rgb() in the scheme for a frame name. */
static void frame_color(struct out_sb *sb, enum bpfkit_flame_colors scheme, const char *s, size_t len)
{
	double v1 = name_hash(s, len, false), v2 = name_hash(s, len, true), v3 = v2;
	int r, g, b;

	switch (scheme) {
	case BPFKIT_FLAME_MEM: r = 0, g = 190 + (int)(50 * v2), b = (int)(210 * v1); break;
	case BPFKIT_FLAME_IO: r = g = 80 + (int)(60 * v1), b = 190 + (int)(55 * v2); break;
	case BPFKIT_FLAME_RED: r = 200 + (int)(55 * v1), g = b = 50 + (int)(80 * v1); break;
	case BPFKIT_FLAME_GREEN: g = 200 + (int)(55 * v1), r = b = 50 + (int)(60 * v1); break;
	case BPFKIT_FLAME_BLUE: b = 205 + (int)(50 * v1), r = g = 80 + (int)(60 * v1); break;
	case BPFKIT_FLAME_AQUA: r = 50 + (int)(60 * v1), g = b = 165 + (int)(55 * v1); break;
	case BPFKIT_FLAME_YELLOW: r = g = 175 + (int)(55 * v1), b = 50 + (int)(20 * v1); break;
	case BPFKIT_FLAME_PURPLE: r = b = 190 + (int)(65 * v1), g = 80 + (int)(60 * v1); break;
	case BPFKIT_FLAME_ORANGE: r = 190 + (int)(65 * v1), g = 90 + (int)(65 * v1), b = 0; break;
	default: r = 205 + (int)(50 * v3), g = (int)(230 * v1), b = (int)(55 * v2); break;
	}
	out_sb_printf(sb, "rgb(%d,%d,%d)", r, g, b);
}

/* ---- The SVG -------------------------------------------------------------------- */

/* The script: hover, zoom, search. The C side defines W, XPAD, FS, FW, TOTAL
 * before it. Frames are the <g> children of #frames; data-s, data-n, data-d
 * are a frame's first sample, samples and depth. */
static const char flame_js[] =
	"var frames, details, matched, searchbtn, unzoombtn, zoomed = null, searching = null;\n"
	"function init(evt) {\n"
	"  frames = document.getElementById('frames');\n"
	"  details = document.getElementById('details');\n"
	"  matched = document.getElementById('matched');\n"
	"  searchbtn = document.getElementById('search');\n"
	"  unzoombtn = document.getElementById('unzoom');\n"
	"  frames.addEventListener('mouseover', function (e) { var g = frame(e.target); if (g) details.textContent = 'Function: ' + info(g); });\n"
	"  frames.addEventListener('mouseout', function () { details.textContent = ' '; });\n"
	"  frames.addEventListener('click', function (e) { var g = frame(e.target); if (g) zoom(g); });\n"
	"  unzoombtn.addEventListener('click', unzoom);\n"
	"  searchbtn.addEventListener('click', search_prompt);\n"
	"  window.addEventListener('keydown', function (e) {\n"
	"    if (e.keyCode === 114 || ((e.ctrlKey || e.metaKey) && e.keyCode === 70)) { e.preventDefault(); search_prompt(); }\n"
	"    else if (e.keyCode === 27) { reset_search(); unzoom(); }\n"
	"  });\n"
	"  var q = new URLSearchParams(window.location.search), z = q.get('z'), s = q.get('s');\n"
	"  if (z !== null && frames.children[+z]) zoom(frames.children[+z]);\n"
	"  if (s) search(s);\n"
	"}\n"
	"function frame(e) { while (e && e.parentNode !== frames) e = e.parentNode; return e; }\n"
	"function num(g, k) { return +g.getAttribute('data-' + k); }\n"
	"function info(g) { return g.getElementsByTagName('title')[0].textContent; }\n"
	"function fname(g) { var t = info(g), i = t.lastIndexOf(' ('); return i < 0 ? t : t.substring(0, i); }\n"
	"function place(g, x, w) {\n"
	"  var r = g.getElementsByTagName('rect')[0], t = g.getElementsByTagName('text')[0];\n"
	"  var n = Math.floor(w / (FS * FW)), s = Array.from(fname(g));\n"
	"  r.setAttribute('x', x.toFixed(1)); r.setAttribute('width', w.toFixed(1));\n"
	"  t.setAttribute('x', (x + 3).toFixed(2));\n"
	"  t.textContent = n < 3 ? '' : s.length > n ? s.slice(0, n - 2).join('') + '..' : s.join('');\n"
	"}\n"
	"/* Zoom into g: its frames and those above it span the width, the frames\n"
	"   below it (its callers) are faded, the others hidden. */\n"
	"function zoom(z) {\n"
	"  var s0 = num(z, 's'), n0 = num(z, 'n'), d0 = num(z, 'd'), k = (W - 2 * XPAD) / n0, gs = frames.children;\n"
	"  for (var i = 0; i < gs.length; i++) {\n"
	"    var g = gs[i], s = num(g, 's'), n = num(g, 'n'), d = num(g, 'd');\n"
	"    g.classList.remove('parent'); g.classList.remove('hide');\n"
	"    if (d >= d0 && s >= s0 && s + n <= s0 + n0) place(g, XPAD + (s - s0) * k, n * k);\n"
	"    else if (d < d0 && s <= s0 && s + n >= s0 + n0) { g.classList.add('parent'); place(g, XPAD, W - 2 * XPAD); }\n"
	"    else g.classList.add('hide');\n"
	"  }\n"
	"  zoomed = z; unzoombtn.classList.remove('hide');\n"
	"  if (searching) search(searching);\n"
	"}\n"
	"function unzoom() {\n"
	"  var k = (W - 2 * XPAD) / TOTAL, gs = frames.children;\n"
	"  if (!zoomed) return;\n"
	"  for (var i = 0; i < gs.length; i++) {\n"
	"    gs[i].classList.remove('parent'); gs[i].classList.remove('hide');\n"
	"    place(gs[i], XPAD + num(gs[i], 's') * k, num(gs[i], 'n') * k);\n"
	"  }\n"
	"  zoomed = null; unzoombtn.classList.add('hide');\n"
	"  if (searching) search(searching);\n"
	"}\n"
	"function search_prompt() {\n"
	"  if (searching) { reset_search(); return; }\n"
	"  var t = prompt('Enter a search term (a regular expression, e.g. ^ext4_)', '');\n"
	"  if (t) search(t);\n"
	"}\n"
	"/* Colour the frames whose name matches, and show the share of the\n"
	"   samples in view they cover (nested matches counted once). */\n"
	"function search(term) {\n"
	"  var re, gs = frames.children, iv = [], base = zoomed ? num(zoomed, 'n') : TOTAL, sum = 0, end = -1;\n"
	"  try { re = new RegExp(term); } catch (e) { alert('Bad regular expression: ' + e.message); return; }\n"
	"  reset_search(); searching = term;\n"
	"  for (var i = 0; i < gs.length; i++) {\n"
	"    var g = gs[i], r = g.getElementsByTagName('rect')[0];\n"
	"    if (!re.test(fname(g))) continue;\n"
	"    r.setAttribute('data-fill', r.getAttribute('fill')); r.setAttribute('fill', '" SEARCH_COLOR "');\n"
	"    if (!g.classList.contains('hide') && !g.classList.contains('parent')) iv.push([num(g, 's'), num(g, 's') + num(g, 'n')]);\n"
	"  }\n"
	"  iv.sort(function (a, b) { return a[0] - b[0]; });\n"
	"  for (var j = 0; j < iv.length; j++) {\n"
	"    if (iv[j][1] <= end) continue;\n"
	"    sum += iv[j][1] - Math.max(iv[j][0], end); end = iv[j][1];\n"
	"  }\n"
	"  searchbtn.textContent = 'Reset Search';\n"
	"  matched.textContent = 'Matched: ' + (100 * sum / base).toFixed(1) + '%';\n"
	"}\n"
	"function reset_search() {\n"
	"  var rs = frames.getElementsByTagName('rect');\n"
	"  for (var i = 0; i < rs.length; i++)\n"
	"    if (rs[i].hasAttribute('data-fill')) { rs[i].setAttribute('fill', rs[i].getAttribute('data-fill')); rs[i].removeAttribute('data-fill'); }\n"
	"  searching = null; searchbtn.textContent = 'Search'; matched.textContent = ' ';\n"
	"}\n";

struct flame_ctx {
	const struct bpfkit_flame_opts *o;
	struct out_sb *sb;
	FILE *f;
	double k; /* pixels per sample */
	double min_samples; /* frames with fewer are left out */
	uint64_t total;
	unsigned max_depth;
	int height;
	int err;
};

static int deepest(void *ctx, const struct bpfkit_folded_frame *fr)
{
	struct flame_ctx *c = ctx;

	if ((double)fr->count >= c->min_samples && fr->depth > c->max_depth)
		c->max_depth = fr->depth;
	return 0;
}

/* 1234567 as "1,234,567", as flamegraph.pl prints sample counts. */
static void put_count(struct out_sb *sb, uint64_t n)
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%" PRIu64, n);

	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out_sb_putc(sb, ',');
		out_sb_putc(sb, digits[i]);
	}
}

/* One frame: <g> with its samples, <title>, <rect>, the label that fits. */
static int draw_frame(void *ctx, const struct bpfkit_folded_frame *fr)
{
	struct flame_ctx *c = ctx;
	const struct bpfkit_flame_opts *o = c->o;
	struct out_sb *sb = c->sb;
	double x1 = XPAD + (double)fr->start * c->k, x2 = XPAD + (double)(fr->start + fr->count) * c->k;
	int fh = (int)o->frame_height, y1;
	size_t fit = (size_t)((x2 - x1) / (o->font_size * FONT_WIDTH)), chars;

	if ((double)fr->count < c->min_samples)
		return 0;
	if (o->inverted)
		y1 = 3 * (int)o->font_size + (int)fr->depth * fh;
	else
		y1 = c->height - (2 * (int)o->font_size + 10) - ((int)fr->depth + 1) * fh + 1;
	out_sb_printf(sb, "<g data-s=\"%" PRIu64 "\" data-n=\"%" PRIu64 "\" data-d=\"%u\"><title>",
		      fr->start, fr->count, fr->depth);
	out_xml_escape(sb, fr->name, fr->len, SIZE_MAX);
	out_sb_puts(sb, " (");
	put_count(sb, fr->count);
	out_sb_printf(sb, " ");
	out_xml_escape(sb, o->countname, strlen(o->countname), SIZE_MAX);
	out_sb_printf(sb, ", %.2f%%)</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"",
		      100.0 * (double)fr->count / (double)c->total, x1, y1, x2 - x1, fh - 1);
	frame_color(sb, o->colors, fr->name, fr->len);
	out_sb_printf(sb, "\" rx=\"2\" ry=\"2\"/><text x=\"%.2f\" y=\"%.1f\">", x1 + 3,
		      y1 + (fh - 1) / 2.0 + 3);
	chars = xml_chars(fr->name, fr->len);
	if (fit >= 3 && out_xml_escape(sb, fr->name, fr->len, chars > fit ? fit - 2 : fit))
		out_sb_puts(sb, "..");
	out_sb_puts(sb, "</text></g>\n");
	if (sb->len > (1u << 16)) {
		c->err = out_sb_flush(sb, c->f);
		return c->err;
	}
	return 0;
}

void bpfkit_flame_opts__init(struct bpfkit_flame_opts *o)
{
	*o = (struct bpfkit_flame_opts){ .countname = "samples", .width = 1200, .frame_height = 16,
					 .font_size = 12, .minwidth = 0.1, .colors = BPFKIT_FLAME_HOT };
}

/* The document up to the frames: header, style, script, background, texts. */
static void draw_head(struct flame_ctx *c)
{
	const struct bpfkit_flame_opts *o = c->o;
	struct out_sb *sb = c->sb;
	const char *title = o->title ? o->title : o->inverted ? "Icicle Graph" : "Flame Graph";
	bool warm = o->colors == BPFKIT_FLAME_HOT || o->colors == BPFKIT_FLAME_ORANGE ||
		    o->colors == BPFKIT_FLAME_YELLOW || o->colors == BPFKIT_FLAME_RED;
	unsigned w = o->width, fs = o->font_size;

	out_sb_printf(sb,
		      "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		      "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
		      "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
		      "<svg version=\"1.1\" width=\"%u\" height=\"%d\" onload=\"init(evt)\" "
		      "viewBox=\"0 0 %u %d\" xmlns=\"http://www.w3.org/2000/svg\">\n"
		      "<!-- Flame graph drawn by bpfkit flamegraph: hover a frame for its samples, "
		      "click to zoom, Ctrl-F to search. -->\n"
		      "<defs><linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">"
		      "<stop stop-color=\"#eeeeee\" offset=\"5%%\"/><stop stop-color=\"%s\" offset=\"95%%\"/>"
		      "</linearGradient></defs>\n"
		      "<style type=\"text/css\">\n"
		      "text { font-family: Verdana, sans-serif; font-size: %upx; fill: rgb(0,0,0); }\n"
		      "#title { text-anchor: middle; font-size: %upx; }\n"
		      "#search, #unzoom { cursor: pointer; }\n"
		      "#search:hover, #unzoom:hover { fill: rgb(0,0,200); }\n"
		      "#frames > g { cursor: pointer; }\n"
		      "#frames > g:hover > rect { stroke: black; stroke-width: 0.5; }\n"
		      "#frames text { pointer-events: none; }\n"
		      ".hide { display: none; }\n"
		      ".parent { opacity: 0.5; }\n"
		      "</style>\n"
		      "<script type=\"text/ecmascript\"><![CDATA[\n"
		      "\"use strict\";\n"
		      "var W = %u, XPAD = %d, FS = %u, FW = %g, TOTAL = %" PRIu64 ";\n",
		      w, c->height, w, c->height, warm ? "#eeeeb0" : "#e0e0ff", fs, fs + 5, w, XPAD, fs,
		      FONT_WIDTH, c->total);
	out_sb_puts(sb, flame_js);
	out_sb_printf(sb, "]]></script>\n"
			  "<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%d\" fill=\"url(#background)\"/>\n"
			  "<text id=\"title\" x=\"%.1f\" y=\"%u\">",
		      w, c->height, w / 2.0, fs * 2);
	out_xml_escape(sb, title, strlen(title), SIZE_MAX);
	out_sb_printf(sb, "</text>\n"
			  "<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n"
			  "<text id=\"unzoom\" x=\"%d\" y=\"%u\" class=\"hide\">Reset Zoom</text>\n"
			  "<text id=\"search\" x=\"%u\" y=\"%u\">Search</text>\n"
			  "<text id=\"matched\" x=\"%u\" y=\"%d\"> </text>\n"
			  "<g id=\"frames\">\n",
		      XPAD, c->height - (2 * (int)fs + 10) / 2, XPAD, fs * 2, w - XPAD - 100, fs * 2,
		      w - XPAD - 100, c->height - (2 * (int)fs + 10) / 2);
}

int bpfkit_flame__svg(FILE *f, const struct bpfkit_folded *fg, const struct bpfkit_flame_opts *o,
		      struct bpfkit_diag *diag)
{
	struct out_sb sb = OUT_SB_INIT;
	struct flame_ctx c = { .o = o, .sb = &sb, .f = f, .total = bpfkit_folded__total(fg) };
	struct bpfkit_folded_frame all = { "all", 3, 0, 0, c.total };

	bpfkit_diag__clear(diag);
	if (!f || !o || !c.total)
		return bpfkit_diag__set(diag, -EINVAL, "no output, options or samples");
	if (o->width < 2 * XPAD + 10 || o->width > 1000000)
		return bpfkit_diag__set(diag, -EINVAL, "width %u is out of range (%d to 1000000)", o->width,
					2 * XPAD + 10);
	if (o->frame_height < 2 || o->frame_height > 1000 || o->font_size < 1 || o->font_size > 200)
		return bpfkit_diag__set(diag, -EINVAL, "frame height %u or font size %u out of range",
					o->frame_height, o->font_size);
	if (!(o->minwidth >= 0 && o->minwidth <= o->width) || !o->countname ||
	    bpfkit_flame__colors_parse(color_names[o->colors < sizeof(color_names) / sizeof(color_names[0])
								  ? o->colors : 0]) != (int)o->colors)
		return bpfkit_diag__set(diag, -EINVAL, "bad minimum width, count name or colours");
	c.k = (double)(o->width - 2 * XPAD) / (double)c.total;
	c.min_samples = o->minwidth / c.k;
	bpfkit_folded__walk(fg, deepest, &c);
	c.height = (int)((c.max_depth + 1) * o->frame_height + 3 * o->font_size + 2 * o->font_size + 10);
	draw_head(&c);
	draw_frame(&c, &all);
	if (!c.err)
		bpfkit_folded__walk(fg, draw_frame, &c);
	if (!c.err)
		out_sb_puts(&sb, "</g>\n</svg>\n");
	errno = 0;
	if (!c.err)
		c.err = out_sb_flush(&sb, f);
	out_sb_free(&sb);
	if (!c.err && fflush(f))
		c.err = -EIO;
	if (c.err == -EIO) /* the reason of the failed fwrite() or fflush() */
		return bpfkit_diag__set(diag, c.err, "%s", strerror(errno ? errno : EIO));
	if (c.err)
		bpfkit_diag__set(diag, c.err, "out of memory");
	return c.err;
}
