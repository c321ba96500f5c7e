// SPDX-License-Identifier: MIT
/*
 * printf() as bpftrace 0.17 formats it in user space (its FormatString and
 * printf_format_types.h), and the text of the other functions bpftrace
 * resolves in user space: time(), strftime(), join(), cat().
 *
 * A conversion is what bpftrace's regex finds:
 *   %  -?  [0-9]*  (.[0-9]+)?  ( s | c | r | rx | rh | (hh|h|l|ll|j|z|t)?[duoxXp] )
 * searched left to right, each search starting where the last match ended,
 * so "%%d" holds one conversion ("%d" at offset 1) and "%i", "%f", "% d" hold
 * none. The format is cut after each conversion; each piece goes through
 * snprintf() with its one argument and is written up to the first NUL, and
 * the text after the last conversion is written raw. Consequences we
 * reproduce: "%%" prints "%" before a conversion and "%%" after the last one;
 * "%%d" with an argument prints "%d"; "%c" of 0 ends its piece.
 *
 * We call the C library's snprintf() for the conversion itself, with the one
 * argument converted to the C type the conversion reads, so padding,
 * precision, "(nil)" for a null %p and the like are the C library's, as in
 * bpftrace. Text in a piece before its conversion is not given to snprintf:
 * we turn "%%" into "%" and copy everything else. Only formats that are
 * undefined behaviour in bpftrace ("%f %d" with one argument) print
 * differently: we print their extra '%' sequences as they are written.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "out/out_int.h"

/* One conversion found in a format string. */
struct fmt_tok {
	size_t start, end; /* [start, end): fmt[start] == '%' */
	size_t spec; /* offset of the length modifier / conversion letters */
	bool minus, zero, has_prec;
	unsigned long width, prec; /* saturated at BPFKIT_FMT_MAX_WIDTH + 1 */
	char len[3]; /* "", "hh", "h", "l", "ll", "j", "z", "t" */
	char conv; /* d u o x X p c s r, or 'R' for rx, 'H' for rh */
};

enum fmt_class { FC_INTEGER, FC_STRING, FC_BUFFER };

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_int_conv(char c)
{
	return c && strchr("duoxXp", c);
}

/* Digits at fmt[*p...] as a number (saturating); advances *p. */
static unsigned long read_num(const char *fmt, size_t *p)
{
	unsigned long n = 0;

	while (is_digit(fmt[*p])) {
		if (n <= BPFKIT_FMT_MAX_WIDTH)
			n = n * 10 + (unsigned long)(fmt[*p] - '0');
		(*p)++;
	}
	return n;
}

/* The length modifier and conversion at fmt[p]; false if there is none. */
static bool match_conv(const char *fmt, size_t p, struct fmt_tok *t)
{
	static const char singles[] = "hljzt";
	char c = fmt[p];

	if (c == 'r') {
		t->conv = fmt[p + 1] == 'x' ? 'R' : fmt[p + 1] == 'h' ? 'H' : 'r';
		t->end = p + (t->conv == 'r' ? 1 : 2);
		return true;
	}
	if (c == 's' || c == 'c' || is_int_conv(c)) {
		t->conv = c;
		t->end = p + 1;
		return true;
	}
	if ((c == 'h' || c == 'l') && fmt[p + 1] == c && is_int_conv(fmt[p + 2])) {
		t->len[0] = t->len[1] = c;
		t->conv = fmt[p + 2];
		t->end = p + 3;
		return true;
	}
	if (c && strchr(singles, c) && is_int_conv(fmt[p + 1])) {
		t->len[0] = c;
		t->conv = fmt[p + 1];
		t->end = p + 2;
		return true;
	}
	return false;
}

/* bpftrace's regex, anchored at fmt[i] == '%'. */
static bool tok_match(const char *fmt, size_t i, struct fmt_tok *t)
{
	size_t p = i + 1;

	memset(t, 0, sizeof(*t));
	t->start = i;
	if (fmt[p] == '-') {
		t->minus = true;
		p++;
	}
	t->zero = fmt[p] == '0';
	t->width = read_num(fmt, &p);
	if (fmt[p] == '.' && is_digit(fmt[p + 1])) {
		p++;
		t->has_prec = true;
		t->prec = read_num(fmt, &p);
	}
	t->spec = p;
	return match_conv(fmt, p, t);
}

/* The next conversion at or after *pos; advances *pos past it. */
static bool tok_next(const char *fmt, size_t *pos, struct fmt_tok *t)
{
	size_t i;

	for (i = *pos; fmt[i]; i++) {
		if (fmt[i] == '%' && tok_match(fmt, i, t)) {
			*pos = t->end;
			return true;
		}
	}
	*pos = i;
	return false;
}

static enum fmt_class tok_class(const struct fmt_tok *t)
{
	if (t->conv == 's')
		return FC_STRING;
	if (t->conv == 'r' || t->conv == 'R' || t->conv == 'H')
		return FC_BUFFER;
	return FC_INTEGER;
}

static const char *const class_names[] = { "integer", "string", "buffer" };

static const char *kind_name(enum bpfkit_out_kind k)
{
	switch (k) {
	case BPFKIT_OUT_INT:
		return "integer";
	case BPFKIT_OUT_STR:
		return "string";
	case BPFKIT_OUT_BUF:
		return "buffer";
	case BPFKIT_OUT_TUPLE:
		return "tuple";
	case BPFKIT_OUT_TIMESTAMP:
	case BPFKIT_OUT_PROBE:
	case BPFKIT_OUT_KSYM:
	case BPFKIT_OUT_STACK:
		return "string"; /* what bpftrace 0.17 calls strftime() and probe values here */
	}
	return "none";
}

static bool kind_fits(enum bpfkit_out_kind k, enum fmt_class c)
{
	return (c == FC_INTEGER && k == BPFKIT_OUT_INT) ||
	       (c == FC_STRING && (k == BPFKIT_OUT_STR || k == BPFKIT_OUT_TIMESTAMP || k == BPFKIT_OUT_PROBE ||
				   k == BPFKIT_OUT_KSYM || k == BPFKIT_OUT_STACK)) ||
	       (c == FC_BUFFER && k == BPFKIT_OUT_BUF);
}

static int tok_error(struct bpfkit_diag *diag, size_t off, size_t len)
{
	if (diag) {
		diag->line = 0;
		diag->col = off < INT32_MAX ? (int)off + 1 : INT32_MAX;
		diag->len = len < INT32_MAX ? (int)len : INT32_MAX;
		diag->insn = -1;
	}
	return -EINVAL;
}

/*
 * The checks of bpftrace's semantic pass, in its order: the number of
 * arguments first, then each argument's type against its conversion. The
 * kinds come from @kinds or, when that is NULL, from @vals. Messages start
 * with @who ("printf", "system", "cat").
 */
static int fmt_check(const char *who, const char *fmt, const enum bpfkit_out_kind *kinds,
		     const struct bpfkit_out_val *vals, size_t nargs, struct bpfkit_diag *diag)
{
	struct fmt_tok t, missing = { 0 };
	size_t pos = 0, ntok = 0, i = 0;
	enum bpfkit_out_kind k;

	while (tok_next(fmt, &pos, &t)) {
		if (ntok++ == nargs)
			missing = t;
	}
	if (nargs < ntok) {
		bpfkit_diag__set(diag, -EINVAL,
				 "%s: Not enough arguments for format string (%zu supplied, %zu expected)",
				 who, nargs, ntok);
		return tok_error(diag, missing.start, missing.end - missing.start);
	}
	if (nargs > ntok) {
		bpfkit_diag__set(diag, -EINVAL,
				 "%s: Too many arguments for format string (%zu supplied, %zu expected)",
				 who, nargs, ntok);
		return tok_error(diag, strlen(fmt), 0);
	}
	for (pos = 0; tok_next(fmt, &pos, &t); i++) {
		k = kinds ? kinds[i] : vals[i].kind;
		if (!kind_fits(k, tok_class(&t))) {
			bpfkit_diag__set(diag, -EINVAL,
					 "%s: %%%.*s specifier expects a value of type %s (%s supplied)",
					 who, (int)(t.end - t.spec), fmt + t.spec, class_names[tok_class(&t)],
					 kind_name(k));
			return tok_error(diag, t.start, t.end - t.start);
		}
		if (t.width > BPFKIT_FMT_MAX_WIDTH || t.prec > BPFKIT_FMT_MAX_WIDTH) {
			bpfkit_diag__set(diag, -EINVAL,
					 "%s: field width or precision of %%%.*s over %d",
					 who, (int)(t.end - t.start - 1), fmt + t.start + 1,
					 BPFKIT_FMT_MAX_WIDTH);
			return tok_error(diag, t.start, t.end - t.start);
		}
	}
	return 0;
}

int bpfkit_fmt__check_for(const char *func, const char *fmt, const enum bpfkit_out_kind *kinds,
			  size_t nargs, struct bpfkit_diag *diag)
{
	if (!func || !fmt || (nargs && !kinds))
		return bpfkit_diag__set(diag, -EINVAL, "%s: no format or argument kinds",
					func ? func : "printf");
	return fmt_check(func, fmt, kinds, NULL, nargs, diag);
}

int bpfkit_fmt__check(const char *fmt, const enum bpfkit_out_kind *kinds, size_t nargs,
		      struct bpfkit_diag *diag)
{
	return bpfkit_fmt__check_for("printf", fmt, kinds, nargs, diag);
}

/* ---- Formatting -------------------------------------------------------------------- */

/*
 * The C format for one conversion, rebuilt from its parts so that only what
 * the regex allowed reaches snprintf(): flags, width, precision, then the
 * length (64-bit ones all as "ll", which reads the same bits on LP64
 * systems; none for %p, which always reads a pointer) and the letter.
 */
static void c_spec(char *buf, size_t size, const struct fmt_tok *t, char conv)
{
	char w[24] = "", p[24] = "";
	const char *len = t->len;

	if (t->width)
		snprintf(w, sizeof(w), "%lu", t->width);
	if (t->has_prec)
		snprintf(p, sizeof(p), ".%lu", t->prec);
	if (conv == 'p' || conv == 's' || conv == 'c')
		len = "";
	else if (len[0] && strcmp(len, "h") && strcmp(len, "hh"))
		len = "ll";
	snprintf(buf, size, "%%%s%s%s%s%s%c", t->minus ? "-" : "", t->zero ? "0" : "", w, p, len,
		 conv);
}

/* snprintf() one conversion into @sb, keeping every byte it writes. */
static void conv_out(struct out_sb *sb, const struct fmt_tok *t, char conv, uint64_t x,
		     const char *str)
{
	char spec[80], small[128], *buf = small;
	bool wide = t->len[0] && strcmp(t->len, "h") && strcmp(t->len, "hh");
	bool sign = conv == 'd';
	int n = 0;

	c_spec(spec, sizeof(spec), t, conv);
	for (int pass = 0; pass < 2; pass++) {
		size_t size = buf == small ? sizeof(small) : (size_t)n + 1;

		if (conv == 's')
			n = snprintf(buf, size, spec, str);
		else if (conv == 'p')
			n = snprintf(buf, size, spec, (void *)(uintptr_t)x);
		else if (conv == 'c')
			n = snprintf(buf, size, spec, (int)(uint32_t)x);
		else if (wide)
			n = sign ? snprintf(buf, size, spec, (long long)x)
				 : snprintf(buf, size, spec, (unsigned long long)x);
		else
			n = sign ? snprintf(buf, size, spec, (int)(uint32_t)x)
				 : snprintf(buf, size, spec, (unsigned)(uint32_t)x);
		if (n < 0) {
			sb->oom = true;
			break;
		}
		if ((size_t)n < size || pass) {
			out_sb_putn(sb, buf, (size_t)n < size ? (size_t)n : size - 1);
			break;
		}
		buf = malloc((size_t)n + 1);
		if (!buf) {
			sb->oom = true;
			return;
		}
	}
	if (buf != small)
		free(buf);
}

/* Format conversion @t with argument @a; @hex is the text of a %r/%rx buffer. */
static void tok_out(struct out_sb *sb, const char *fmt, const struct fmt_tok *t,
		    const struct bpfkit_out_val *a, const char *hex)
{
	char *s;
	size_t n;

	if (hex) {
		conv_out(sb, t, 's', 0, hex);
	} else if (tok_class(t) == FC_BUFFER) {
		/* "%5r": not a C conversion; the C library prints it as written */
		out_sb_putn(sb, fmt + t->start, t->end - t->start);
	} else if (t->conv == 's' && (a->kind == BPFKIT_OUT_KSYM || a->kind == BPFKIT_OUT_STACK)) {
		struct out_sb text = OUT_SB_INIT; /* the name or the stack's lines, as %s */

		out_val_text(&text, a, 1);
		if (out_sb_take(&text, &s, NULL)) {
			sb->oom = true;
			return;
		}
		conv_out(sb, t, 's', 0, s);
		free(s);
	} else if (t->conv == 's') {
		n = out_str_len(a);
		s = malloc(n + 1);
		if (!s) {
			sb->oom = true;
			return;
		}
		memcpy(s, a->s.data, n);
		s[n] = '\0';
		conv_out(sb, t, 's', 0, s);
		free(s);
	} else {
		conv_out(sb, t, t->conv, out_int_bits(a), NULL);
	}
}

/*
 * One piece: @p[0..plen) whose conversion starts at @tok (the piece ends
 * with it). Printed as snprintf() would: "%%" -> "%", and the output stops
 * at the first NUL, as bpftrace writes the piece as a C string. A "%%"
 * ending on the conversion's '%' swallows it, and its letters print as text.
 */
static void piece_out(struct out_sb *sb, const char *p, size_t plen, size_t tok, const char *fmt,
		      const struct fmt_tok *t, const struct bpfkit_out_val *a, const char *hex)
{
	struct out_sb piece = OUT_SB_INIT;
	const char *nul;
	size_t j = 0;

	while (j < plen) {
		if (j == tok) {
			tok_out(&piece, fmt, t, a, hex);
			break;
		}
		if (p[j] == '%' && j + 1 < plen && p[j + 1] == '%') {
			out_sb_putc(&piece, '%');
			j += 2;
			continue;
		}
		out_sb_putc(&piece, p[j++]);
	}
	if (piece.oom)
		sb->oom = true;
	if (piece.len) {
		nul = memchr(piece.p, '\0', piece.len);
		out_sb_putn(sb, piece.p, nul ? (size_t)(nul - piece.p) : piece.len);
	}
	out_sb_free(&piece);
}

/*
 * A piece ending in exactly "%r", "%rx" or "%rh": bpftrace replaces every
 * "%r", "%rx" and "%rh" in it with "%s" (std::regex_replace) and prints the
 * buffer's text: printable ASCII kept and \xNN for the rest (%r), \xNN for
 * every byte (%rx), or two hex digits per byte separated by spaces (%rh).
 */
static void buf_piece_out(struct out_sb *sb, const char *p, size_t plen, const char *fmt,
			  const struct fmt_tok *t, const struct bpfkit_out_val *a)
{
	struct out_sb q = OUT_SB_INIT, hex = OUT_SB_INIT;
	size_t j = 0;

	while (j < plen) {
		if (p[j] == '%' && j + 1 < plen && p[j + 1] == 'r') {
			out_sb_puts(&q, "%s");
			j += 2 + (j + 2 < plen && (p[j + 2] == 'x' || p[j + 2] == 'h'));
		} else {
			out_sb_putc(&q, p[j++]);
		}
	}
	if (t->conv == 'H')
		for (j = 0; j < a->s.len; j++)
			out_sb_printf(&hex, j ? " %02x" : "%02x", (unsigned char)a->s.data[j]);
	else
		out_buf_hex(&hex, a->s.data, a->s.len, t->conv == 'r');
	out_sb_putc(&hex, '\0'); /* make sure there is a string, even empty */
	if (q.oom || hex.oom || q.len < 2) {
		sb->oom = q.oom || hex.oom;
	} else {
		struct fmt_tok s = { .conv = 's' };

		piece_out(sb, q.p, q.len, q.len - 2, fmt, &s, a, hex.p);
	}
	out_sb_free(&q);
	out_sb_free(&hex);
}

/* Check as bpftrace's semantic pass does, then print piece by piece: each
 * piece ends with its conversion; the rest of the format goes out raw. */
int bpfkit_fmt__format(const char *fmt, const struct bpfkit_out_val *args, size_t nargs,
		       char **out, size_t *len, struct bpfkit_diag *diag)
{
	struct out_sb sb = OUT_SB_INIT;
	struct fmt_tok t;
	size_t pos = 0, piece = 0, i = 0;
	int err;

	if (!fmt || !out || (nargs && !args))
		return bpfkit_diag__set(diag, -EINVAL, "printf: no format, arguments or output");
	*out = NULL;
	for (i = 0; i < nargs; i++) {
		err = out_val_check(&args[i], diag);
		if (err)
			return err;
	}
	err = fmt_check("printf", fmt, NULL, args, nargs, diag);
	if (err)
		return err;
	for (i = 0; tok_next(fmt, &pos, &t); i++) {
		if (tok_class(&t) == FC_BUFFER && t.end - t.start == (t.conv == 'r' ? 2u : 3u))
			buf_piece_out(&sb, fmt + piece, t.end - piece, fmt, &t, &args[i]);
		else
			piece_out(&sb, fmt + piece, t.end - piece, t.start - piece, fmt, &t, &args[i],
				  NULL);
		piece = t.end;
	}
	out_sb_puts(&sb, fmt + piece); /* after the last conversion: as written */
	return out_sb_take(&sb, out, len);
}

int bpfkit_out__printf(const struct bpfkit_out *o, const char *fmt,
		       const struct bpfkit_out_val *args, size_t nargs, struct bpfkit_diag *diag)
{
	char *text;
	size_t len;
	int err;

	err = bpfkit_fmt__format(fmt, args, nargs, &text, &len, diag);
	if (err)
		return err;
	err = bpfkit_out__message(o, BPFKIT_OUT_MSG_PRINTF, text, len, false);
	free(text);
	return err;
}

/* time(): bpftrace formats into a 64-byte buffer and gives up when strftime() returns 0. */
int bpfkit_out__time(const struct bpfkit_out *o, const char *fmt, const struct tm *tm,
		     struct bpfkit_diag *diag)
{
	char buf[64];
	size_t n;

	if (!tm)
		return bpfkit_diag__set(diag, -EINVAL, "time: no time given");
	n = strftime(buf, sizeof(buf), fmt ? fmt : "%H:%M:%S\n", tm);
	if (!n)
		return bpfkit_diag__set(diag, -ERANGE, "strftime returned 0");
	return bpfkit_out__message(o, BPFKIT_OUT_MSG_TIME, buf, n, false);
}

/* ---- strftime(), join(), cat() ----------------------------------------------------- */

/*
 * bpftrace 0.17's resolve_timestamp(): seconds = boot seconds + (boot ns +
 * nsecs) / 1e9 computed in double (the sum wraps as its uint64 does), the
 * microseconds from the same sum, "%f" replaced by them everywhere in the
 * format (std::regex_replace, so "%%f" loses its second '%' too), then
 * strftime(3) of the local time into the buffer.
 */
int bpfkit_fmt__strftime(char *buf, size_t size, const char *fmt, const struct timespec *boot,
			 uint64_t nsecs, struct bpfkit_diag *diag)
{
	struct out_sb f = OUT_SB_INIT;
	uint64_t sum;
	double secs;
	struct tm tm;
	time_t t;
	size_t n;
	char us[24];

	if (!buf || size < 4 || !fmt || !boot) {
		if (buf && size)
			buf[0] = '\0';
		return bpfkit_diag__set(diag, -EINVAL, "strftime: no buffer, format or boot time");
	}
	snprintf(buf, size, "(?)");
	sum = (uint64_t)boot->tv_nsec + nsecs;
	secs = (double)boot->tv_sec + (double)sum / 1e9;
	if (!(secs > -9.2e18 && secs < 9.2e18))
		return bpfkit_diag__set(diag, -EINVAL, "localtime_r: %s", strerror(EOVERFLOW));
	t = (time_t)secs;
	if (!localtime_r(&t, &tm))
		return bpfkit_diag__set(diag, -EINVAL, "localtime_r: %s", strerror(errno));
	snprintf(us, sizeof(us), "%06" PRIu64, (sum % 1000000000u) / 1000u);
	for (const char *p = fmt; *p;) {
		if (p[0] == '%' && p[1] == 'f') {
			out_sb_puts(&f, us);
			p += 2;
		} else {
			out_sb_putc(&f, *p++);
		}
	}
	out_sb_putc(&f, '\0'); /* a format, even an empty one */
	if (f.oom) {
		out_sb_free(&f);
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	}
	n = strftime(buf, size, f.p, &tm);
	out_sb_free(&f);
	if (!n) {
		snprintf(buf, size, "(?)");
		return bpfkit_diag__set(diag, -ERANGE, "strftime returned 0");
	}
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

/* bpftrace's join: parts up to the first one whose first byte is NUL. */
int bpfkit_fmt__join(const struct bpfkit_out_val *parts, size_t n, const char *sep, char **out,
		     size_t *len)
{
	struct out_sb sb = OUT_SB_INIT;

	if (!out || (n && !parts))
		return -EINVAL;
	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		if (parts[i].kind != BPFKIT_OUT_STR || (parts[i].s.len && !parts[i].s.data)) {
			out_sb_free(&sb);
			return -EINVAL;
		}
		if (!out_str_len(&parts[i]))
			break;
		if (i)
			out_sb_puts(&sb, sep ? sep : " ");
		out_sb_putn(&sb, parts[i].s.data, out_str_len(&parts[i]));
	}
	return out_sb_take(&sb, out, len);
}

/*
 * bpftrace's cat_file(): read up to @max bytes in pieces of 4096; a file
 * that cannot be opened, or a read that fails (a directory opens, then
 * fails with EISDIR), is "failed to open file" either way. What was read
 * before the failure is kept.
 */
int bpfkit_fmt__cat(const char *path, size_t max, char **out, size_t *len,
		    struct bpfkit_diag *diag)
{
	struct out_sb sb = OUT_SB_INIT;
	char buf[4096];
	size_t done = 0;
	int err = 0;
	FILE *f;

	if (!path || !out)
		return bpfkit_diag__set(diag, -EINVAL, "cat: no path or output");
	*out = NULL;
	f = fopen(path, "r");
	if (!f)
		err = -errno;
	while (f && done < max) {
		size_t want = max - done < sizeof(buf) ? max - done : sizeof(buf);
		size_t got = fread(buf, 1, want, f);

		out_sb_putn(&sb, buf, got);
		done += got;
		if (got < want) {
			if (ferror(f))
				err = errno ? -errno : -EIO;
			break;
		}
	}
	if (f)
		fclose(f);
	if (err)
		bpfkit_diag__set(diag, err, "failed to open file '%s': %s", path, strerror(-err));
	if (out_sb_take(&sb, out, len))
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	return err;
}
