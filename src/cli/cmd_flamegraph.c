// SPDX-License-Identifier: MIT
/*
 * bpfkit flamegraph: folded stacks in (a file or stdin), an interactive SVG
 * flame graph out, as flamegraph.pl draws it, without Perl. The parsing and
 * drawing are src/out/ (folded.c, flamegraph.c); this file reads options,
 * the input and writes the output file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpfkit/out.h>

#include "cli.h"

/* The help text: stdout for --help. */
static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s flamegraph [OPTIONS] [FILE|-] [-o OUT.svg]\n"
		"\n"
		"Draw folded stacks (one 'frame;frame;... COUNT' line per stack, root first,\n"
		"as `bpfkit trace -f folded` and stackcollapse-*.pl write them) as an\n"
		"interactive SVG flame graph: hover for a frame's samples, click to zoom,\n"
		"Ctrl-F to search. FILE - or no FILE reads standard input.\n"
		"\n"
		"Options:\n"
		"  -o, --output FILE          write the SVG to FILE (default: standard output)\n"
		"  -t, --title TEXT           the title (default: Flame Graph, Icicle Graph)\n"
		"  -w, --width PIXELS         width of the image (default: 1200)\n"
		"  -H, --height PIXELS        height of one frame (default: 16)\n"
		"      --fontsize PIXELS      font size (default: 12)\n"
		"  -m, --minwidth PIXELS      leave out frames narrower than this (default: 0.1)\n"
		"  -c, --colors SCHEME        hot (default), mem, io, red, green, blue, aqua,\n"
		"                             yellow, purple, orange\n"
		"      --countname NAME       what a count counts (default: samples)\n"
		"  -i, --inverted             an icicle graph: roots at the top\n"
		"  -r, --reverse              reverse each stack: leaf functions at the root\n"
		"  -j, --json                 errors as JSON\n"
		"  -h, --help                 this help\n"
		"\n"
		"Example: %s flamegraph out.folded -o cpu.svg\n",
		cli_progname, cli_progname);
}

struct flame_args {
	struct bpfkit_flame_opts opts;
	unsigned flags;
	const char *in, *out;
};

/* A whole number of pixels from 1 to @max for option @opt, or -1. */
static long pixels(const char *opt, const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > max) {
		cli_usage("%s takes a whole number of pixels from 1 to %ld, not '%s'", opt, max, s);
		return -1;
	}
	return v;
}

/* Parse the command line. Returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, struct flame_args *a)
{
	enum { OPT_FONTSIZE = 256, OPT_COUNTNAME };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "title", required_argument, NULL, 't' },
		{ "width", required_argument, NULL, 'w' },
		{ "height", required_argument, NULL, 'H' },
		{ "fontsize", required_argument, NULL, OPT_FONTSIZE },
		{ "minwidth", required_argument, NULL, 'm' },
		{ "colors", required_argument, NULL, 'c' },
		{ "countname", required_argument, NULL, OPT_COUNTNAME },
		{ "inverted", no_argument, NULL, 'i' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char optstring[] = "o:t:w:H:m:c:irjph";
	long v;
	char *end;
	int c;

	bpfkit_flame_opts__init(&a->opts);
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			a->out = optarg;
			break;
		case 't':
			a->opts.title = optarg;
			break;
		case 'w':
			if ((v = pixels("--width", optarg, 1000000)) < 0)
				return EXIT_USAGE;
			if (v < 30)
				return cli_usage("--width must be at least 30 pixels, not %ld", v);
			a->opts.width = (unsigned)v;
			break;
		case 'H':
			if ((v = pixels("--height", optarg, 1000)) < 0)
				return EXIT_USAGE;
			if (v < 2)
				return cli_usage("--height must be at least 2 pixels");
			a->opts.frame_height = (unsigned)v;
			break;
		case OPT_FONTSIZE:
			if ((v = pixels("--fontsize", optarg, 200)) < 0)
				return EXIT_USAGE;
			a->opts.font_size = (unsigned)v;
			break;
		case 'm':
			errno = 0;
			a->opts.minwidth = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(a->opts.minwidth >= 0) ||
			    a->opts.minwidth > 1000000)
				return cli_usage("--minwidth takes a number of pixels (0.1, 2), not '%s'", optarg);
			break;
		case 'c':
			if ((c = bpfkit_flame__colors_parse(optarg)) < 0)
				return cli_usage("unknown colour scheme '%s' (hot, mem, io, red, green, blue, "
						 "aqua, yellow, purple, orange)", optarg);
			a->opts.colors = (enum bpfkit_flame_colors)c;
			break;
		case OPT_COUNTNAME:
			a->opts.countname = optarg;
			break;
		case 'i':
			a->opts.inverted = true;
			break;
		case 'r':
			a->flags |= BPFKIT_FOLDED_REVERSE;
			break;
		case 'j':
			cli.json = true;
			break;
		case 'p':
			cli.json = cli.pretty = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return cli_bad_option(argc, argv, optstring, "flamegraph");
		}
	}
	if (argc - optind > 1)
		return cli_usage("too many arguments: '%s' (one input file)", argv[optind + 1]);
	a->in = optind < argc ? argv[optind] : "-";
	if (a->opts.minwidth > a->opts.width)
		return cli_usage("--minwidth %g is wider than the image (%u)", a->opts.minwidth, a->opts.width);
	return -1;
}

/*
 * Draw into @path ("-" or NULL: stdout). When drawing fails, a regular
 * file this call created is removed; anything else (a file that was there,
 * a device such as /dev/full) is left alone.
 */
static int write_svg(const char *path, const struct bpfkit_folded *fg, const struct bpfkit_flame_opts *o)
{
	bool to_stdout = !path || !strcmp(path, "-"), created = false;
	struct bpfkit_diag diag;
	struct stat st;
	FILE *f = stdout;
	int err;

	if (!to_stdout) {
		created = stat(path, &st) && errno == ENOENT;
		f = fopen(path, "w");
		if (!f)
			return cli_fail("cannot write '%s': %s", path, strerror(errno));
		created = created && !fstat(fileno(f), &st) && S_ISREG(st.st_mode);
	}
	err = bpfkit_flame__svg(f, fg, o, &diag);
	if (!to_stdout && fclose(f) && !err)
		err = bpfkit_diag__set(&diag, -EIO, "%s", strerror(errno));
	if (!err)
		return EXIT_OK;
	if (created)
		unlink(path);
	return cli_fail("cannot write '%s': %s", to_stdout ? "<stdout>" : path, diag.msg);
}

/* Whether line @line of @buf holds control bytes (binary input): echoing it
 * under the error could drive the terminal, so the caret excerpt is left out. */
static bool line_is_binary(const char *buf, size_t len, int line)
{
	const char *p = buf, *end = buf + len;

	for (int l = 1; l < line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		p = nl ? nl + 1 : end;
	}
	for (; p < end && *p != '\n'; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\r')
			return true;
	return false;
}

/* bpfkit flamegraph [OPTIONS] [FILE]: read, parse, draw. */
int cmd_flamegraph(int argc, char **argv)
{
	struct flame_args a = { 0 };
	struct bpfkit_folded *fg = NULL;
	struct bpfkit_diag diag;
	char *buf;
	size_t len;
	int rc, err;

	rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	if (!strcmp(a.in, "-") && isatty(STDIN_FILENO))
		return cli_usage("no input: give a file of folded stacks, or pipe them in (try '%s flamegraph --help')",
				 cli_progname);
	err = cli_read_file(a.in, &buf, &len);
	if (err)
		return cli_fail("cannot read '%s': %s", a.in, strerror(-err));
	err = bpfkit_folded__parse(buf, len, a.flags, &fg, &diag);
	if (err) {
		bool binary = diag.line && line_is_binary(buf, len, diag.line);

		cli_print_diag(strcmp(a.in, "-") ? a.in : "<stdin>", binary ? NULL : buf, len, &diag);
		free(buf);
		return EXIT_FAIL;
	}
	free(buf);
	rc = write_svg(a.out, fg, &a.opts);
	bpfkit_folded__free(fg);
	return rc;
}
