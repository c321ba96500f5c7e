// SPDX-License-Identifier: MIT
/* CLI plumbing shared by every subcommand: dispatch, errors, file input. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Find the command @p name is a prefix of; an exact match wins over
 * prefixes, and two prefix matches are ambiguous (bpftool's rule). */
static const struct cli_cmd *find_cmd(const struct cli_cmd *cmds, const char *name, int *nmatch)
{
	const struct cli_cmd *found = NULL;
	size_t len = strlen(name);

	*nmatch = 0;
	for (const struct cli_cmd *c = cmds; c->name; c++) {
		if (!strcmp(c->name, name)) {
			*nmatch = 1;
			return c;
		}
		if (len && !strncmp(c->name, name, len)) {
			found = c;
			(*nmatch)++;
		}
	}
	return found;
}

static void print_cmds(const char *object, const struct cli_cmd *cmds, FILE *f)
{
	fprintf(f, "Usage: %s %s COMMAND [ARGS]\n\nCommands:\n", cli_progname, object);
	for (const struct cli_cmd *c = cmds; c->name; c++)
		fprintf(f, "  %-8s %s\n", c->name, c->summary);
}

int cli_dispatch(const char *object, const struct cli_cmd *cmds, int argc, char **argv)
{
	const struct cli_cmd *c;
	int n;

	if (argc < 1 || (object && (!strcmp(argv[0], "help") || !strcmp(argv[0], "-h") ||
				    !strcmp(argv[0], "--help")))) {
		print_cmds(object, cmds, argc < 1 ? stderr : stdout);
		return argc < 1 ? EXIT_USAGE : EXIT_OK;
	}
	c = find_cmd(cmds, argv[0], &n);
	if (n > 1)
		return cli_usage("'%s' is ambiguous%s%s", argv[0], object ? " for " : "",
				 object ? object : "");
	if (!c)
		return cli_usage("unknown %s '%s' (try '%s%s%s help')", object ? "command" : "object",
				 argv[0], cli_progname, object ? " " : "", object ? object : "");
	optind = 0; /* each subcommand parses its own options from scratch */
	return c->fn(argc, argv);
}

/* One message on stderr: {"KEY":"text"} in JSON mode, else
 * "bpfkit: LABEL text" with LABEL in @p color on a terminal. Standard output
 * is flushed first so the message lands after what was already printed. */
static void report(const char *key, const char *label, const char *color, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	fflush(stdout);
	if (cli.json) {
		fprintf(stderr, "{\"%s\":", key);
		json_fputs_escaped(stderr, buf);
		fputs("}\n", stderr);
	} else {
		fprintf(stderr, "%s: %s%s%s %s\n", cli_progname, cli.color ? color : "", label,
			cli.color ? "\033[0m" : "", buf);
	}
}

static int vfail(int code, const char *fmt, va_list ap)
{
	report("error", code == EXIT_USAGE ? "usage error:" : "error:", "\033[1;31m", fmt, ap);
	return code;
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("warning", "warning:", "\033[1;35m", fmt, ap);
	va_end(ap);
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfail(EXIT_FAIL, fmt, ap);
	va_end(ap);
	return r;
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfail(EXIT_USAGE, fmt, ap);
	va_end(ap);
	return r;
}

/* Print the source line @p line (1-based) of @p src and a caret span under
 * columns col..col+len-1, as compilers do. Tabs are kept so carets line up. */
static void print_caret(const char *src, size_t src_len, int line, int col, int len)
{
	const char *p = src, *end = src + src_len, *eol;

	for (int l = 1; l < line && p < end; l++) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			return;
		p++;
	}
	eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	fprintf(stderr, "%.*s\n", (int)(eol - p), p);
	for (int c = 1; c < col && p + c - 1 < eol; c++)
		fputc(p[c - 1] == '\t' ? '\t' : ' ', stderr);
	fputs(cli.color ? "\033[1;32m^" : "^", stderr);
	for (int i = 1; i < len; i++)
		fputc('~', stderr);
	fputs(cli.color ? "\033[0m\n" : "\n", stderr);
}

void cli_print_diag(const char *file, const char *src, size_t src_len, const struct bpfkit_diag *d)
{
	const char *red = cli.color ? "\033[1;31m" : "", *reset = cli.color ? "\033[0m" : "";

	if (!file)
		file = "<input>";
	if (cli.json) {
		fputs("{\"error\":", stderr);
		json_fputs_escaped(stderr, d->msg);
		fputs(",\"file\":", stderr);
		json_fputs_escaped(stderr, file);
		if (d->line)
			fprintf(stderr, ",\"line\":%d,\"col\":%d", d->line, d->col);
		if (d->insn >= 0)
			fprintf(stderr, ",\"insn\":%ld", d->insn);
		fputs("}\n", stderr);
		return;
	}
	if (d->line) {
		fprintf(stderr, "%s:%d:%d: %serror:%s %s\n", file, d->line, d->col, red, reset, d->msg);
		if (src && d->col > 0)
			print_caret(src, src_len, d->line, d->col, d->len > 0 ? d->len : 1);
	} else if (d->insn >= 0) {
		fprintf(stderr, "%s: insn %ld: %serror:%s %s\n", file, d->insn, red, reset, d->msg);
	} else {
		fprintf(stderr, "%s: %serror:%s %s\n", file, red, reset, d->msg);
	}
}

int cli_read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 4096, n = 0;
	char *b;
	int err = 0;

	if (!f)
		return -errno;
	b = malloc(cap);
	while (b) {
		size_t r = fread(b + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
		if (n + 1 == cap) {
			char *nb = cap > (1u << 30) ? NULL : realloc(b, cap * 2);
			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
	}
	if (!b)
		err = -ENOMEM;
	else if (ferror(f))
		err = -EIO;
	if (f != stdin)
		fclose(f);
	if (err) {
		free(b);
		return err;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int cli_parse_hex_bytes(const char *s, unsigned char **out, size_t *len)
{
	size_t cap = strlen(s) / 2 + 1, n = 0;
	unsigned char *b = malloc(cap);
	int hi = -1;

	if (!b)
		return -ENOMEM;
	for (; *s; s++) {
		int v;
		if (isspace((unsigned char)*s) || *s == ',' || *s == ':')
			continue;
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && hi < 0) {
			s++;
			continue;
		}
		if (!isxdigit((unsigned char)*s)) {
			free(b);
			return -EINVAL;
		}
		v = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
		if (hi < 0) {
			hi = v;
		} else {
			b[n++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0) {
		free(b);
		return -EINVAL;
	}
	*out = b;
	*len = n;
	return 0;
}

int cli_parse_dialect(const char *s, enum bpfkit_dialect *d)
{
	if (!strcmp(s, "auto"))
		*d = BPFKIT_DIALECT_AUTO;
	else if (!strcmp(s, "conf") || !strcmp(s, "conformance"))
		*d = BPFKIT_DIALECT_CONF;
	else if (!strcmp(s, "kern") || !strcmp(s, "kernel"))
		*d = BPFKIT_DIALECT_KERN;
	else
		return cli_usage("unknown dialect '%s' (conf, kern or auto)", s);
	return 0;
}

/* ';' separates lines, except inside a comment ('#' at a line start or
 * after a blank, or "//"), which runs to the end of the line. */
char *cli_expr_text(const char *e, size_t *len)
{
	char *s = strdup(e);
	bool comment = false;

	if (!s)
		return NULL;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '\n')
			comment = false;
		else if (!comment && s[i] == ';')
			s[i] = '\n';
		else if ((s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n')) ||
			 (s[i] == '/' && s[i + 1] == '/'))
			comment = true;
	}
	*len = strlen(s);
	return s;
}
