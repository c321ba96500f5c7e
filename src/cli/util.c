// SPDX-License-Identifier: MIT
/* CLI plumbing shared by every subcommand: dispatch, errors, file input. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/lang.h>

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

/*
 * `help` right after a command's name is its --help (bpftool's `prog help`),
 * at every level: `bpfkit asm help`, `bpfkit vm run help`. It wins over a
 * file of that name, which `./help` reads. getopt's own messages are off:
 * each command reports a bad option through cli_bad_option(), so that in
 * JSON mode it is a JSON error on stdout like every other.
 */
int cli_dispatch(const char *object, const struct cli_cmd *cmds, int argc, char **argv)
{
	static char help_opt[] = "--help";
	const struct cli_cmd *c;
	int n;

	if (argc < 1 && cli.json)
		return cli_usage("no %s (try '%s%s%s help')", object ? "command" : "object", cli_progname,
				 object ? " " : "", object ? object : "");
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
	opterr = 0;
	if (argc > 1 && !strcmp(argv[1], "help")) {
		char *hargv[] = { argv[0], help_opt, NULL };

		return c->fn(2, hargv);
	}
	return c->fn(argc, argv);
}

int cli_bad_option(int argc, char **argv, const char *optstring, const char *cmd)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	const char *p = optopt ? strchr(optstring, optopt) : NULL;

	if (!strncmp(arg, "--", 2) && strchr(arg, '=') && optopt)
		return cli_usage("option '%.*s' takes no argument (try '%s %s --help')",
				 (int)strcspn(arg, "="), arg, cli_progname, cmd);
	if (optopt && (p || optopt > 127 || optopt < 32))
		return cli_usage("option '%s' needs an argument (try '%s %s --help')", arg, cli_progname, cmd);
	if (optopt)
		return cli_usage("unknown option '-%c' (try '%s %s --help')", optopt, cli_progname, cmd);
	return cli_usage("unknown option '%s' (try '%s %s --help')", arg, cli_progname, cmd);
}

/*
 * One message: "bpfkit: LABEL text" on stderr ("LABEL text" without
 * @p prog), LABEL in @p color on a terminal. In JSON mode {"KEY":"text"} on
 * a line of its own, on the stream cli_json_stream() picks. Standard output
 * is flushed first so the message lands after what was already printed.
 */
static void report(const char *key, const char *label, const char *color, bool prog, const char *fmt,
		   va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	fflush(stdout);
	if (cli.json) {
		FILE *f = cli_json_stream(key);

		fprintf(f, "{\"%s\":", key);
		json_fputs_escaped(f, buf);
		fputs("}\n", f);
		fflush(f);
	} else {
		fprintf(stderr, "%s%s%s%s%s %s\n", prog ? cli_progname : "", prog ? ": " : "",
			cli.color ? color : "", label, cli.color ? "\033[0m" : "", buf);
	}
}

/* Errors and their notes go to stdout, as bpftool prints them, so whoever
 * reads the JSON gets them; warnings to stderr, so that stdout holds only
 * the data and, on failure, the error. */
FILE *cli_json_stream(const char *key)
{
	return strcmp(key, "warning") ? stdout : stderr;
}

/*
 * A diagnostic as one JSON object on a line of its own, on @p f:
 * {"KEY":MSG,"file":..,"line":..,"col":..,"len":..,"insn":..,"hint":..},
 * each field after "file" only when the diagnostic has it.
 */
static void json_diag(FILE *f, const char *key, const char *msg, const char *hint, const char *file,
		      int line, int col, int len, long insn)
{
	fflush(stdout);
	fprintf(f, "{\"%s\":", key);
	json_fputs_escaped(f, msg ? msg : "");
	fputs(",\"file\":", f);
	json_fputs_escaped(f, file ? file : "<input>");
	if (line > 0)
		fprintf(f, ",\"line\":%d,\"col\":%d", line, col); /* col 0: none */
	if (line > 0 && col > 0 && len > 0)
		fprintf(f, ",\"len\":%d", len);
	if (insn >= 0)
		fprintf(f, ",\"insn\":%ld", insn);
	if (hint) {
		fputs(",\"hint\":", f);
		json_fputs_escaped(f, hint);
	}
	fputs("}\n", f);
	fflush(f);
}

void cli_print_lang_diag(const struct bpfkit_lang_diag *d, const char *src, size_t len)
{
	static const char *const keys[] = { [BPFKIT_LANG_ERROR] = "error", [BPFKIT_LANG_WARNING] = "warning",
					    [BPFKIT_LANG_NOTE] = "note" };
	static FILE *last; /* where the last error or warning went: its notes follow it */
	static bool muted; /* the last warning was muted: so are its notes */
	const char *key = keys[d->severity];

	if (d->severity != BPFKIT_LANG_NOTE)
		muted = d->severity == BPFKIT_LANG_WARNING && cli.no_warnings;
	if (muted)
		return;
	if (!cli.json) {
		fflush(stdout);
		bpfkit_lang_diag_format(d, src, len, cli.color ? BPFKIT_LANG_FMT_COLOR : 0, stderr);
		return;
	}
	if (d->severity != BPFKIT_LANG_NOTE || !last)
		last = cli_json_stream(key);
	json_diag(last, key, d->msg, d->hint, d->file, d->loc.line, d->loc.col, d->loc.len, -1);
}

static int vfail(int code, const char *fmt, va_list ap)
{
	report("error", code == EXIT_USAGE ? "usage error:" : "error:", "\033[1;31m", true, fmt, ap);
	return code;
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	if (cli.no_warnings)
		return;
	va_start(ap, fmt);
	report("warning", "warning:", "\033[1;35m", true, fmt, ap);
	va_end(ap);
}

void cli_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("note", "note:", "\033[1;36m", false, fmt, ap);
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

void cli_print_diag(const char *file, const char *src, size_t src_len, const struct bpfkit_diag *d)
{
	const char *red = cli.color ? "\033[1;31m" : "", *reset = cli.color ? "\033[0m" : "";

	if (!file)
		file = "<input>";
	if (cli.json) {
		json_diag(cli_json_stream("error"), "error", d->msg, NULL, file, d->line, d->col, d->len, d->insn);
		return;
	}
	if (d->line) {
		fprintf(stderr, "%s:%d:%d: %serror:%s %s\n", file, d->line, d->col, red, reset, d->msg);
		if (src && d->col > 0)
			bpfkit_diag__print_source(stderr, src, src_len, d->line, d->col, d->len, cli.color);
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
