// SPDX-License-Identifier: MIT
/*
 * The bpf_conformance .data format: sections introduced by a line starting
 * with "-- name". `-- asm` keeps its text for the assembler (with the line
 * it starts on, so diagnostics can name lines of the .data file), `-- raw`
 * holds 64-bit words, `-- mem` hex bytes, `-- result` one hex number,
 * `-- error` an optional expected error text; `-- c` and
 * `-- no register offset` are notes and ignored. Outside sections only
 * blank lines and `#` comments may appear.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "progio_int.h"

enum section {
	SEC_NONE,
	SEC_ASM,
	SEC_RAW,
	SEC_MEM,
	SEC_RESULT,
	SEC_ERROR,
	SEC_C,
	SEC_NOTE,
	SEC_COUNT,
};

static const char *const section_names[SEC_COUNT] = {
	[SEC_ASM] = "asm",	 [SEC_RAW] = "raw", [SEC_MEM] = "mem",
	[SEC_RESULT] = "result", [SEC_ERROR] = "error", [SEC_C] = "c",
	[SEC_NOTE] = "no register offset",
};

/* One section's body: bytes [start, end) of the text, first line @p line. */
struct body {
	size_t start, end;
	int line;
};

void bpfkit_datafile__free(struct bpfkit_datafile *df)
{
	if (!df)
		return;
	free(df->asm_text);
	bpfkit_prog__free(df->raw);
	free(df->mem);
	free(df->error_text);
	free(df);
}

static int at_line(struct bpfkit_diag *diag, int err, int line, int col, int len)
{
	if (diag) {
		diag->line = line;
		diag->col = col;
		diag->len = len;
	}
	return err;
}

static char *dup_range(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* `-- result`: one number, hex with or without 0x (as the suite's runner
 * reads it), and nothing else but whitespace and comments. */
static int parse_result(const char *s, size_t n, int line, struct bpfkit_datafile *df,
			struct bpfkit_diag *diag)
{
	bool seen = false;

	for (size_t pos = 0; pos < n; line++) {
		const char *l = s + pos, *nl = memchr(l, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - l) : n - pos, i = 0;

		pos += len + 1;
		while (i < len && isspace((unsigned char)l[i]))
			i++;
		if (i == len || l[i] == '#')
			continue;
		size_t start = i;
		uint64_t v = 0;
		int digits = 0;
		if (i + 1 < len && l[i] == '0' && (l[i + 1] == 'x' || l[i + 1] == 'X'))
			i += 2;
		for (; i < len && isxdigit((unsigned char)l[i]); i++, digits++) {
			int d = isdigit((unsigned char)l[i]) ? l[i] - '0' : tolower((unsigned char)l[i]) - 'a' + 10;
			v = v << 4 | (uint64_t)d;
		}
		while (i < len && isspace((unsigned char)l[i]))
			i++;
		if (seen || !digits || digits > 16 || (i < len && l[i] != '#')) {
			bpfkit_diag__set(diag, -EINVAL,
					 seen ? "-- result holds more than one value" : "-- result must be one hex number");
			return at_line(diag, -EINVAL, line, (int)start + 1, (int)(len - start));
		}
		seen = true;
		df->result = v;
	}
	if (!seen)
		return bpfkit_diag__set(diag, -EINVAL, "-- result section is empty");
	df->has_result = true;
	return 0;
}

/* `-- error`: the text, without leading and trailing blank space, or NULL. */
static int parse_error(const char *s, size_t n, struct bpfkit_datafile *df)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	df->expect_error = true;
	if (n && !(df->error_text = dup_range(s, n)))
		return -ENOMEM;
	return 0;
}

/* Turn one section body into its field of @p df. */
static int parse_body(const char *text, enum section sec, const struct body *b,
		      struct bpfkit_datafile *df, struct bpfkit_diag *diag)
{
	const char *s = text + b->start;
	size_t n = b->end - b->start;
	struct hexbuf hb = { .want_lines = sec == SEC_RAW };
	int err = 0;

	switch (sec) {
	case SEC_ASM:
		df->asm_text = dup_range(s, n);
		df->asm_line = b->line;
		return df->asm_text ? 0 : bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	case SEC_RAW:
		err = progio_read_hex(s, n, b->line, true, &hb, diag);
		if (!err && hb.len % 8)
			err = at_line(diag, bpfkit_diag__set(diag, -EINVAL,
							     "-- raw is %zu bytes, not a multiple of 8", hb.len),
				      b->line, 0, 0);
		if (!err)
			err = progio_prog_from_bytes(hb.bytes, hb.len, hb.lines, &df->raw, diag);
		break;
	case SEC_MEM:
		err = progio_read_hex(s, n, b->line, false, &hb, diag);
		if (!err) {
			df->mem = hb.bytes;
			df->mem_len = hb.len;
			hb.bytes = NULL;
		}
		break;
	case SEC_RESULT:
		return parse_result(s, n, b->line, df, diag);
	case SEC_ERROR:
		err = parse_error(s, n, df);
		return err ? bpfkit_diag__set(diag, err, "out of memory") : 0;
	default:
		return 0;
	}
	free(hb.bytes);
	free(hb.lines);
	return err;
}

/* "-- name" at the start of a line: which section, or an error. */
static int section_of(const char *l, size_t n, int line, enum section *out, struct bpfkit_diag *diag)
{
	size_t i = 2, end = n;

	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	while (end > i && isspace((unsigned char)l[end - 1]))
		end--;
	for (int s = SEC_ASM; s < SEC_COUNT; s++) {
		if (strlen(section_names[s]) == end - i && !memcmp(l + i, section_names[s], end - i)) {
			*out = (enum section)s;
			return 0;
		}
	}
	bpfkit_diag__set(diag, -EINVAL, "unknown section '%.*s'", (int)(end - i > 64 ? 64 : end - i), l + i);
	return at_line(diag, -EINVAL, line, (int)i + 1, (int)(end - i));
}

/* Split the text into sections, then parse each body. */
int bpfkit_datafile__parse(const char *text, size_t len, struct bpfkit_datafile **out,
			   struct bpfkit_diag *diag)
{
	struct bpfkit_datafile *df;
	struct body bodies[SEC_COUNT];
	bool seen[SEC_COUNT] = { false };
	enum section cur = SEC_NONE;
	int line = 1, err = 0;
	size_t pos = 0;

	bpfkit_diag__clear(diag);
	if (!out || (!text && len))
		return bpfkit_diag__set(diag, -EINVAL, "invalid arguments");
	df = calloc(1, sizeof(*df));
	if (!df)
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	while (pos < len) {
		const char *l = text + pos, *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;
		size_t next = nl ? pos + n + 1 : len;

		if (n >= 2 && l[0] == '-' && l[1] == '-') {
			enum section sec;
			err = section_of(l, n, line, &sec, diag);
			if (err)
				goto fail;
			if (seen[sec]) {
				err = at_line(diag, bpfkit_diag__set(diag, -EINVAL, "duplicate section '-- %s'",
								     section_names[sec]),
					      line, 1, (int)n);
				goto fail;
			}
			if (cur != SEC_NONE)
				bodies[cur].end = pos;
			seen[sec] = true;
			cur = sec;
			bodies[cur] = (struct body){ .start = next, .end = len, .line = line + 1 };
		} else if (cur == SEC_NONE) {
			size_t i = 0;
			while (i < n && isspace((unsigned char)l[i]))
				i++;
			if (i < n && l[i] != '#') {
				err = at_line(diag, bpfkit_diag__set(diag, -EINVAL,
								     "text outside any section (sections start with '-- asm', '-- mem', ...)"),
					      line, (int)i + 1, (int)(n - i));
				goto fail;
			}
		}
		pos = next;
		line++;
	}
	for (int s = SEC_ASM; s < SEC_COUNT; s++) {
		if (!seen[s])
			continue;
		err = parse_body(text, (enum section)s, &bodies[s], df, diag);
		if (err)
			goto fail;
	}
	*out = df;
	return 0;
fail:
	bpfkit_datafile__free(df);
	return err;
}
