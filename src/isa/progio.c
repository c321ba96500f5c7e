// SPDX-License-Identifier: MIT
/*
 * Program I/O: raw slot bytes in and out, hex text, format detection, and
 * bpfkit_prog__load_any(), which turns any input a user may hand to the CLI
 * (assembler text, raw bytes, hex, a conformance .data file, an ELF object)
 * into programs. Slots are read and written byte by byte, so the result is
 * the same on a big-endian host.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "progio_int.h"

/* ---- bytes <-> slots ------------------------------------------------------- */

static void slot_decode(const uint8_t *b, struct bpfkit_insn *in)
{
	in->code = b[0];
	in->dst = b[1] & 0xf;
	in->src = b[1] >> 4;
	in->off = (int16_t)(uint16_t)(b[2] | b[3] << 8);
	in->imm = (int32_t)((uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 |
			    (uint32_t)b[7] << 24);
}

static void slot_encode(const struct bpfkit_insn *in, uint8_t *b)
{
	uint16_t off = (uint16_t)in->off;
	uint32_t imm = (uint32_t)in->imm;

	b[0] = in->code;
	b[1] = (uint8_t)(in->dst | in->src << 4);
	b[2] = (uint8_t)off;
	b[3] = (uint8_t)(off >> 8);
	for (int i = 0; i < 4; i++)
		b[4 + i] = (uint8_t)(imm >> (8 * i));
}

int progio_prog_from_bytes(const uint8_t *b, size_t len, const int *lines,
			   struct bpfkit_prog **out, struct bpfkit_diag *diag)
{
	struct bpfkit_prog *p;
	size_t n = len / 8;

	if (len % 8)
		return bpfkit_diag__set(diag, -EINVAL, "length %zu is not a multiple of 8", len);
	p = calloc(1, sizeof(*p));
	if (!p)
		goto nomem;
	if (n) {
		p->insns = calloc(n, sizeof(*p->insns));
		if (!p->insns)
			goto nomem;
		if (lines) {
			p->lines = malloc(n * sizeof(*p->lines));
			if (!p->lines)
				goto nomem;
			memcpy(p->lines, lines, n * sizeof(*p->lines));
		}
	}
	for (size_t i = 0; i < n; i++)
		slot_decode(b + 8 * i, &p->insns[i]);
	p->len = n;
	*out = p;
	return 0;
nomem:
	bpfkit_prog__free(p);
	return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
}

int bpfkit_prog__from_raw(const void *buf, size_t len, struct bpfkit_prog **out,
			  struct bpfkit_diag *diag)
{
	bpfkit_diag__clear(diag);
	if (!out || (!buf && len))
		return bpfkit_diag__set(diag, -EINVAL, "invalid arguments");
	return progio_prog_from_bytes(buf, len, NULL, out, diag);
}

int bpfkit_prog__to_raw(const struct bpfkit_prog *prog, void **buf, size_t *len)
{
	uint8_t *b;

	if (!prog || !buf || !len || (!prog->insns && prog->len))
		return -EINVAL;
	if (prog->len > SIZE_MAX / 8)
		return -EOVERFLOW;
	b = malloc(prog->len ? prog->len * 8 : 1);
	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < prog->len; i++)
		slot_encode(&prog->insns[i], b + 8 * i);
	*buf = b;
	*len = prog->len * 8;
	return 0;
}

/* ---- hex text ------------------------------------------------------------------ */

static int hex_val(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int hb_put(struct hexbuf *hb, uint8_t byte, int line)
{
	if (hb->want_lines && hb->len % 8 == 0) {
		if (hb->nlines == hb->lines_cap) {
			size_t cap = hb->lines_cap ? hb->lines_cap * 2 : 64;
			int *nl = realloc(hb->lines, cap * sizeof(*nl));
			if (!nl)
				return -ENOMEM;
			hb->lines = nl;
			hb->lines_cap = cap;
		}
		hb->lines[hb->nlines++] = line;
	}
	if (hb->len == hb->cap) {
		size_t cap = hb->cap ? hb->cap * 2 : 256;
		uint8_t *nb = realloc(hb->bytes, cap);
		if (!nb)
			return -ENOMEM;
		hb->bytes = nb;
		hb->cap = cap;
	}
	hb->bytes[hb->len++] = byte;
	return 0;
}

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\f' || c == '\v';
}

/* End of the content of a line: before a `#` or `//` comment. */
static size_t content_end(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '#' || (s[i] == '/' && i + 1 < n && s[i + 1] == '/'))
			return i;
	return n;
}

static int hex_err(struct bpfkit_diag *diag, int line, size_t col, size_t tlen, const char *what)
{
	bpfkit_diag__set(diag, -EINVAL, "%s", what);
	if (diag) {
		diag->line = line;
		diag->col = (int)col + 1;
		diag->len = tlen > 64 ? 64 : (int)tlen;
	}
	return -EINVAL;
}

/* One token of hex text at column @p col of line @p line (see progio_read_hex). */
static int hex_token(const char *t, size_t n, bool word, int line, size_t col, struct hexbuf *hb,
		     struct bpfkit_diag *diag)
{
	bool pfx = n >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
	const char *d = pfx ? t + 2 : t;
	size_t nd = pfx ? n - 2 : n;
	uint64_t v = 0;

	for (size_t i = 0; i < nd; i++)
		if (hex_val((unsigned char)d[i]) < 0)
			return hex_err(diag, line, col + (size_t)(d - t) + i, 1,
				       "invalid hex digit");
	if (!nd)
		return hex_err(diag, line, col, n, "'0x' without hex digits");
	if (pfx && word) {
		if (nd > 16)
			return hex_err(diag, line, col, n, "an instruction word has at most 16 hex digits");
		for (size_t i = 0; i < nd; i++)
			v = v << 4 | (uint64_t)hex_val((unsigned char)d[i]);
		for (int i = 0; i < 8; i++)
			if (hb_put(hb, (uint8_t)(v >> (8 * i)), line))
				return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
		return 0;
	}
	if (pfx && nd > 2)
		return hex_err(diag, line, col, n, "a 0x byte has at most 2 hex digits");
	if (!pfx && nd % 2)
		return hex_err(diag, line, col, n, "odd number of hex digits");
	if (pfx && nd == 1)
		return hb_put(hb, (uint8_t)hex_val((unsigned char)d[0]), line) ?
			       bpfkit_diag__set(diag, -ENOMEM, "out of memory") : 0;
	for (size_t i = 0; i < nd; i += 2)
		if (hb_put(hb, (uint8_t)(hex_val((unsigned char)d[i]) << 4 | hex_val((unsigned char)d[i + 1])),
			   line))
			return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	return 0;
}

/* Read hex text line by line; see progio_int.h for the accepted forms. */
int progio_read_hex(const char *text, size_t len, int line0, bool words, struct hexbuf *hb,
		    struct bpfkit_diag *diag)
{
	size_t pos = 0;
	int line = line0;

	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos, end = content_end(s, n);
		size_t ntok = 0, i = 0;

		/* Count the tokens first: a 0x word must be alone on its line. */
		while (i < end) {
			while (i < end && is_sep(s[i]))
				i++;
			if (i < end)
				ntok++;
			while (i < end && !is_sep(s[i]))
				i++;
		}
		for (i = 0; i < end;) {
			size_t start;
			int err;

			while (i < end && is_sep(s[i]))
				i++;
			start = i;
			while (i < end && !is_sep(s[i]))
				i++;
			if (i == start)
				break;
			err = hex_token(s + start, i - start, words && ntok == 1, line, start, hb, diag);
			if (err)
				return err;
		}
		pos += n + 1;
		line++;
	}
	return 0;
}

int bpfkit_prog__from_hex(const char *text, size_t len, struct bpfkit_prog **out,
			  struct bpfkit_diag *diag)
{
	struct hexbuf hb = { .want_lines = true };
	int err;

	bpfkit_diag__clear(diag);
	if (!out || (!text && len))
		return bpfkit_diag__set(diag, -EINVAL, "invalid arguments");
	err = progio_read_hex(text, len, 1, true, &hb, diag);
	if (!err && hb.len % 8)
		err = bpfkit_diag__set(diag, -EINVAL, "hex input is %zu bytes, not a multiple of 8",
				       hb.len);
	if (!err)
		err = progio_prog_from_bytes(hb.bytes, hb.len, hb.lines, out, diag);
	free(hb.bytes);
	free(hb.lines);
	return err;
}

/* ---- format detection ----------------------------------------------------------- */

/* Text: no NUL or control bytes other than whitespace, and any byte above
 * 0x7f part of a well-formed UTF-8 sequence (comments may hold names). */
static bool looks_like_text(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		int more;

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')
			return false;
		if (c == 0x7f)
			return false;
		if (c < 0x80)
			continue;
		if ((c & 0xe0) == 0xc0)
			more = 1;
		else if ((c & 0xf0) == 0xe0)
			more = 2;
		else if ((c & 0xf8) == 0xf0)
			more = 3;
		else
			return false;
		if (len - i - 1 < (size_t)more)
			return false;
		for (int k = 1; k <= more; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
		i += (size_t)more;
	}
	return true;
}

/* Does a line start with "-- asm" or "-- raw" (a conformance .data file)? */
static bool has_data_section(const char *s, size_t len)
{
	for (size_t pos = 0; pos < len;) {
		const char *l = s + pos, *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;

		if (n >= 6 && (!memcmp(l, "-- asm", 6) || !memcmp(l, "-- raw", 6)) &&
		    (n == 6 || isspace((unsigned char)l[6])))
			return true;
		pos += n + 1;
	}
	return false;
}

/* Is every token hex (byte pairs or 0x numbers), with at least one token? */
static bool all_hex(const char *s, size_t len)
{
	struct hexbuf hb = { 0 };
	bool ok = progio_read_hex(s, len, 1, true, &hb, NULL) == 0 && hb.len > 0;

	free(hb.bytes);
	free(hb.lines);
	return ok;
}

enum bpfkit_fmt bpfkit_fmt_detect(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	if (!buf || !len)
		return BPFKIT_FMT_RAW;
	if (len >= 4 && !memcmp(p, "\177ELF", 4))
		return BPFKIT_FMT_ELF;
	if (!looks_like_text(p, len))
		return BPFKIT_FMT_RAW;
	if (has_data_section(buf, len))
		return BPFKIT_FMT_DATA;
	if (all_hex(buf, len))
		return BPFKIT_FMT_HEX;
	return BPFKIT_FMT_ASM;
}

static const char *const fmt_names[] = {
	[BPFKIT_FMT_AUTO] = "auto", [BPFKIT_FMT_ASM] = "asm",   [BPFKIT_FMT_RAW] = "raw",
	[BPFKIT_FMT_HEX] = "hex",   [BPFKIT_FMT_DATA] = "data", [BPFKIT_FMT_ELF] = "elf",
};

const char *bpfkit_fmt_name(enum bpfkit_fmt fmt)
{
	if ((unsigned)fmt < sizeof(fmt_names) / sizeof(fmt_names[0]))
		return fmt_names[fmt];
	return "unknown";
}

int bpfkit_fmt_parse(const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof(fmt_names) / sizeof(fmt_names[0]); i++)
		if (!strcasecmp(name, fmt_names[i]))
			return (int)i;
	if (!strcasecmp(name, "bin") || !strcasecmp(name, "binary"))
		return BPFKIT_FMT_RAW;
	if (!strcasecmp(name, "o") || !strcasecmp(name, "obj"))
		return BPFKIT_FMT_ELF;
	if (!strcasecmp(name, "s"))
		return BPFKIT_FMT_ASM;
	return -1;
}

/* ---- any format ------------------------------------------------------------------- */

/* The program of a .data file: its asm section assembled (with line
 * numbers made lines of the .data file), else its raw section. */
static int load_datafile(const char *text, size_t len, enum bpfkit_dialect dialect,
			 struct bpfkit_prog **out, struct bpfkit_diag *diag)
{
	struct bpfkit_datafile *df = NULL;
	int err = bpfkit_datafile__parse(text, len, &df, diag);

	if (err)
		return err;
	if (df->asm_text) {
		int shift = df->asm_line - 1;

		err = bpfkit_asm(df->asm_text, strlen(df->asm_text), dialect, out, diag);
		if (err) {
			if (diag && diag->line)
				diag->line += shift;
		} else if ((*out)->lines) {
			for (size_t i = 0; i < (*out)->len; i++)
				if ((*out)->lines[i])
					(*out)->lines[i] += shift;
		}
	} else if (df->raw) {
		*out = df->raw;
		df->raw = NULL;
	} else {
		err = bpfkit_diag__set(diag, -EINVAL, "the .data file has no -- asm or -- raw section");
	}
	bpfkit_datafile__free(df);
	return err;
}

int bpfkit_prog__load_any(const void *buf, size_t len, enum bpfkit_fmt fmt,
			  enum bpfkit_dialect dialect, struct bpfkit_prog ***progs, size_t *nprogs,
			  struct bpfkit_diag *diag)
{
	struct bpfkit_prog *p = NULL;
	int err;

	bpfkit_diag__clear(diag);
	if (!progs || !nprogs || (!buf && len))
		return bpfkit_diag__set(diag, -EINVAL, "invalid arguments");
	*progs = NULL;
	*nprogs = 0;
	if (fmt == BPFKIT_FMT_AUTO)
		fmt = bpfkit_fmt_detect(buf, len);
	switch (fmt) {
	case BPFKIT_FMT_ASM:
		err = bpfkit_asm(buf, len, dialect, &p, diag);
		break;
	case BPFKIT_FMT_RAW:
		err = bpfkit_prog__from_raw(buf, len, &p, diag);
		break;
	case BPFKIT_FMT_HEX:
		err = bpfkit_prog__from_hex(buf, len, &p, diag);
		break;
	case BPFKIT_FMT_DATA:
		err = load_datafile(buf, len, dialect, &p, diag);
		break;
	case BPFKIT_FMT_ELF:
		return bpfkit_elf_read(buf, len, progs, nprogs, diag);
	default:
		return bpfkit_diag__set(diag, -EINVAL, "unknown input format %d", (int)fmt);
	}
	if (err)
		return err;
	*progs = malloc(sizeof(**progs));
	if (!*progs) {
		bpfkit_prog__free(p);
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	}
	(*progs)[0] = p;
	*nprogs = 1;
	return 0;
}
