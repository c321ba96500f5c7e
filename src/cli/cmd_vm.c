// SPDX-License-Identifier: MIT
/*
 * bpfkit vm: run programs in the user-space VM.
 *
 *   bpfkit vm run FILE      load any format, validate, run, print r0
 *   bpfkit vm plugin [MEM]  the bpf_conformance plugin protocol: program
 *                           bytes as hex on stdin, memory as hex in the
 *                           first argument, r0 in hex on stdout
 *
 * See bpfkit-vm(8).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpfkit/vm.h>

#include "cli.h"

#define DEFAULT_BUDGET 10000000ull
#define PLUGIN_BUDGET 1000000000ull

struct run_args {
	enum bpfkit_fmt fmt;
	enum bpfkit_dialect dialect;
	const char *mem_hex; /* --mem */
	const char *mem_file; /* --mem-file */
	const char *prog; /* --prog NAME, for ELF objects */
	const char *expr; /* -e TEXT */
	uint64_t budget;
	bool stats;
	const char *file;
};

static void run_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s vm run [-F FMT] [-D DIALECT] [--mem HEX | --mem-file FILE] [--budget N]\n"
		"                     [--prog NAME] [--stats] [-j] [-p] FILE|-|-e TEXT\n\n"
		"Load a program (assembler text, raw or hex slots, a conformance .data file or an\n"
		"ELF object), validate it, run it in the VM and print r0 in hex.\n\n"
		"  -F, --format FMT     asm, raw, hex, data or elf (default: detected)\n"
		"  -D, --dialect D      assembler dialect: conf, kern or auto (default)\n"
		"  -m, --mem HEX        input memory as hex bytes (r1 points to it, r2 is its length);\n"
		"                       a .data file brings its own unless this is given\n"
		"  -M, --mem-file FILE  input memory from a file, byte for byte\n"
		"  -b, --budget N       stop after N instructions (default %llu, 0 = no limit)\n"
		"  -P, --prog NAME      which program of an ELF object (default: the first)\n"
		"  -s, --stats          instructions executed and time, on stderr\n"
		"  -e, --expr TEXT      run TEXT as assembler; ';' separates lines\n"
		"  -j, --json           {\"r0\":17,\"r0_hex\":\"0x11\",\"insns\":123}\n"
		"  -p, --pretty         indented JSON\n"
		"  -h, --help           this text\n",
		cli_progname, DEFAULT_BUDGET);
}

static int parse_u64(const char *s, const char *what, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-')
		return cli_usage("%s: '%s' is not a non-negative number", what, s);
	return 0;
}

/* Options and the one input. Returns 0, EXIT_USAGE, or -1 after --help. */
static int parse_run_args(int argc, char **argv, struct run_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' }, { "dialect", required_argument, NULL, 'D' },
		{ "mem", required_argument, NULL, 'm' },    { "mem-file", required_argument, NULL, 'M' },
		{ "budget", required_argument, NULL, 'b' }, { "prog", required_argument, NULL, 'P' },
		{ "stats", no_argument, NULL, 's' },        { "expr", required_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },         { "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
	};
	int ch, fmt, err = 0;

	while (!err && (ch = getopt_long(argc, argv, "F:D:m:M:b:P:se:jph", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			fmt = bpfkit_fmt_parse(optarg);
			if (fmt < 0)
				return cli_usage("unknown format '%s' (asm, raw, hex, data or elf)", optarg);
			a->fmt = (enum bpfkit_fmt)fmt;
			break;
		case 'D': err = cli_parse_dialect(optarg, &a->dialect); break;
		case 'm': a->mem_hex = optarg; break;
		case 'M': a->mem_file = optarg; break;
		case 'b': err = parse_u64(optarg, "--budget", &a->budget); break;
		case 'P': a->prog = optarg; break;
		case 's': a->stats = true; break;
		case 'e': a->expr = optarg; break;
		case 'j': cli.json = true; break;
		case 'p': cli.json = cli.pretty = true; break;
		case 'h': run_usage(stdout); return -1;
		default: return cli_usage("try '%s vm run --help'", cli_progname);
		}
	}
	if (err)
		return err;
	if (optind < argc)
		a->file = argv[optind++];
	if (optind < argc)
		return cli_usage("one program file at a time ('%s' is extra)", argv[optind]);
	if (!a->file == !a->expr)
		return cli_usage(a->expr ? "give either -e TEXT or a FILE, not both"
					 : "no program (a FILE, '-' for stdin, or -e TEXT)");
	if (a->mem_hex && a->mem_file)
		return cli_usage("give --mem or --mem-file, not both");
	return 0;
}

/* Print line @p line of @p src as "FILE:LINE: text", to show which source
 * line a faulting instruction came from. */
static void print_source_line(const char *name, const char *src, size_t len, int line)
{
	const char *p = src, *end = src + len, *eol;

	if (!src || line <= 0 || cli.json)
		return;
	for (int l = 1; l < line; l++) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			return;
		p++;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	fprintf(stderr, "%s:%d: %.*s\n", name, line, (int)(eol - p), p);
}

/* An instruction-indexed error (validation or fault), with the source line
 * of that instruction when the program came from text. In JSON mode the
 * line is part of the error object. */
static void print_insn_diag(const char *name, const char *src, size_t len,
			    const struct bpfkit_prog *p, struct bpfkit_diag *d)
{
	int line = 0;

	if (p->lines && d->insn >= 0 && (size_t)d->insn < p->len)
		line = p->lines[d->insn];
	if (cli.json && line) {
		d->line = line;
		d->col = 0;
	}
	cli_print_diag(name, NULL, 0, d);
	print_source_line(name, src, len, line);
}

/* The input memory: --mem, --mem-file, or the -- mem section of a .data
 * file. Returns 0 or an exit code. */
static int input_memory(const struct run_args *a, const char *text, size_t len,
			enum bpfkit_fmt fmt, uint8_t **mem, size_t *mem_len)
{
	struct bpfkit_datafile *df = NULL;
	struct bpfkit_diag d;
	char *buf;
	int err;

	*mem = NULL;
	*mem_len = 0;
	if (a->mem_hex) {
		if (cli_parse_hex_bytes(a->mem_hex, mem, mem_len))
			return cli_usage("--mem: '%s' is not hex bytes", a->mem_hex);
		return 0;
	}
	if (a->mem_file) {
		err = cli_read_file(a->mem_file, &buf, mem_len);
		if (err)
			return cli_fail("cannot read '%s': %s", a->mem_file, strerror(-err));
		*mem = (uint8_t *)buf;
		return 0;
	}
	if (fmt == BPFKIT_FMT_DATA && !bpfkit_datafile__parse(text, len, &df, &d) && df->mem_len) {
		*mem = df->mem;
		*mem_len = df->mem_len;
		df->mem = NULL;
	}
	bpfkit_datafile__free(df);
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void print_result(uint64_t r0, uint64_t insns, double ns, bool stats)
{
	char hex[24];

	snprintf(hex, sizeof(hex), "0x%" PRIx64, r0);
	if (cli.json) {
		struct json_w *w = json_w_new(stdout);
		if (!w)
			return;
		json_w_obj_begin(w);
		json_w_key(w, "r0");
		json_w_uint(w, r0);
		json_w_key(w, "r0_hex");
		json_w_str(w, hex);
		json_w_key(w, "insns");
		json_w_uint(w, insns);
		if (stats) {
			json_w_key(w, "time_ns");
			json_w_uint(w, (unsigned long long)ns);
		}
		json_w_obj_end(w);
		json_w_free(w);
		return;
	}
	printf("%s\n", hex);
	if (stats)
		fprintf(stderr, "%" PRIu64 " instructions in %.3f ms (%.1f M instructions/s)\n", insns,
			ns / 1e6, ns > 0 ? (double)insns * 1e3 / ns : 0.0);
}

/* Pick the program to run: --prog NAME, else the first. */
static struct bpfkit_prog *choose_prog(struct bpfkit_prog **progs, size_t n, const char *want)
{
	if (!want)
		return n ? progs[0] : NULL;
	for (size_t i = 0; i < n; i++)
		if (progs[i]->name && !strcmp(progs[i]->name, want))
			return progs[i];
	return NULL;
}

/* Validate @p p, run it over @p mem and print the result or the fault. */
static int run_prog(const struct run_args *a, const char *name, const char *text, size_t len,
		    const struct bpfkit_prog *p, uint8_t *mem, size_t mem_len)
{
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct bpfkit_diag d;
	uint64_t r0 = 0;
	double t0, ns;
	int err, rc = EXIT_FAIL;

	if (!vm || bpfkit_vm__register_default_helpers(vm)) {
		bpfkit_vm__free(vm);
		return cli_fail("cannot create the VM: %s", strerror(errno));
	}
	bpfkit_vm__set_budget(vm, a->budget);
	err = bpfkit_vm__load(vm, p->insns, p->len, &d);
	if (err) {
		print_insn_diag(name, text, len, p, &d);
		goto out;
	}
	t0 = now_ns();
	err = bpfkit_vm__run(vm, mem, mem_len, &r0, NULL, &d);
	ns = now_ns() - t0;
	if (err) {
		print_insn_diag(name, text, len, p, &d);
		if (a->stats && !cli.json)
			fprintf(stderr, "%" PRIu64 " instructions in %.3f ms\n", bpfkit_vm__insn_count(vm),
				ns / 1e6);
		goto out;
	}
	print_result(r0, bpfkit_vm__insn_count(vm), ns, a->stats);
	rc = EXIT_OK;
out:
	bpfkit_vm__free(vm);
	return rc;
}

static int vm_run(int argc, char **argv)
{
	struct run_args a = { .dialect = BPFKIT_DIALECT_AUTO, .budget = DEFAULT_BUDGET };
	struct bpfkit_prog **progs = NULL, *p;
	struct bpfkit_diag d;
	uint8_t *mem = NULL;
	size_t len = 0, n = 0, mem_len = 0;
	const char *name;
	char *text = NULL;
	enum bpfkit_fmt fmt;
	int rc = parse_run_args(argc, argv, &a), err;

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	name = a.expr ? "<command line>" : (!strcmp(a.file, "-") ? "<stdin>" : a.file);
	if (a.expr) {
		if (!(text = cli_expr_text(a.expr, &len)))
			return cli_fail("out of memory");
		if (a.fmt == BPFKIT_FMT_AUTO)
			a.fmt = BPFKIT_FMT_ASM;
	} else if ((err = cli_read_file(a.file, &text, &len))) {
		return cli_fail("cannot read '%s': %s", a.file, strerror(-err));
	}
	fmt = a.fmt ? a.fmt : bpfkit_fmt_detect(text, len);
	err = bpfkit_prog__load_any(text, len, fmt, a.dialect, &progs, &n, &d);
	if (err) {
		cli_print_diag(name, fmt == BPFKIT_FMT_ELF || fmt == BPFKIT_FMT_RAW ? NULL : text, len, &d);
		rc = EXIT_FAIL;
		goto out;
	}
	p = choose_prog(progs, n, a.prog);
	if (!p) {
		char names[256] = "";
		for (size_t i = 0, used = 0; i < n && used < sizeof(names); i++)
			used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
						 progs[i]->name ? progs[i]->name : "?");
		rc = a.prog ? cli_fail("%s: no program named '%s' (it has: %s)", name, a.prog, names)
			    : cli_fail("%s: no program in the file", name);
		goto out;
	}
	rc = input_memory(&a, text, len, fmt, &mem, &mem_len);
	if (!rc)
		rc = run_prog(&a, name, fmt == BPFKIT_FMT_ELF || fmt == BPFKIT_FMT_RAW ? NULL : text, len,
			      p, mem, mem_len);
out:
	for (size_t i = 0; i < n; i++)
		bpfkit_prog__free(progs[i]);
	free(progs);
	free(mem);
	free(text);
	return rc;
}

/* ---- the bpf_conformance plugin ------------------------------------------------ */

static void plugin_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s vm plugin [MEMHEX] [--program HEX] [--elf] [--interpret] [-j]\n\n"
		"The bpf_conformance plugin protocol: the program as hex bytes on stdin (or in\n"
		"--program), the input memory as hex bytes in the first argument, r0 printed in\n"
		"hex on stdout; errors on stderr with exit status 1. The default helpers are\n"
		"registered and helper 5 unwinds. With --elf the hex is an ELF object.\n"
		"The runner passes the memory first, so point it at a wrapper script:\n"
		"  #!/bin/sh\n"
		"  exec bpfkit vm plugin \"$@\"\n",
		cli_progname);
}

/* Decode hex bytes into a program, as raw slots or (--elf) an ELF object. */
static int plugin_program(const char *hex, bool elf, struct bpfkit_prog ***progs, size_t *n)
{
	struct bpfkit_diag d;
	unsigned char *bytes;
	size_t len;
	int err;

	if (cli_parse_hex_bytes(hex, &bytes, &len)) {
		fprintf(stderr, "the program is not hex bytes\n");
		return EXIT_FAIL;
	}
	if (elf) {
		err = bpfkit_elf_read(bytes, len, progs, n, &d);
	} else {
		err = -ENOMEM;
		*progs = malloc(sizeof(**progs));
		if (*progs) {
			err = bpfkit_prog__from_raw(bytes, len, *progs, &d);
			*n = err ? 0 : 1;
		} else {
			bpfkit_diag__set(&d, err, "out of memory");
		}
	}
	free(bytes);
	if (err || !*n) {
		fprintf(stderr, "%s\n", err ? d.msg : "no program in the ELF object");
		return EXIT_FAIL;
	}
	return 0;
}

/* Arguments as uBPF's plugin takes them: memory first (any argument not
 * starting with "--"; the runner may pass it empty), then options. */
static int vm_plugin(int argc, char **argv)
{
	const char *mem_hex = NULL, *prog_hex = NULL;
	struct bpfkit_prog **progs = NULL;
	struct bpfkit_vm *vm = NULL;
	struct bpfkit_diag d;
	unsigned char *mem = NULL;
	char *input = NULL;
	size_t mem_len = 0, n = 0, len;
	bool elf = false;
	uint64_t r0;
	int rc = EXIT_FAIL, err;

	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (!*s)
			continue;
		if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			plugin_usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(s, "--elf")) {
			elf = true;
		} else if (!strcmp(s, "--interpret")) {
			continue;
		} else if (!strcmp(s, "--jit")) {
			fprintf(stderr, "bpfkit has no JIT yet; run without --jit\n");
			return EXIT_FAIL;
		} else if (!strcmp(s, "--program") && i + 1 < argc) {
			prog_hex = argv[++i];
		} else if (!strcmp(s, "-j") || !strcmp(s, "--json")) {
			cli.json = true;
		} else if (!strcmp(s, "-p") || !strcmp(s, "--pretty")) {
			cli.json = cli.pretty = true;
		} else if (strncmp(s, "--", 2) && !mem_hex) {
			mem_hex = s;
		} else {
			fprintf(stderr, "invalid argument: %s\n", s);
			return EXIT_FAIL;
		}
	}
	if (mem_hex && cli_parse_hex_bytes(mem_hex, &mem, &mem_len)) {
		fprintf(stderr, "the memory argument is not hex bytes\n");
		return EXIT_FAIL;
	}
	if (!prog_hex) {
		err = cli_read_file("-", &input, &len);
		if (err) {
			fprintf(stderr, "cannot read stdin: %s\n", strerror(-err));
			goto out;
		}
		prog_hex = input;
	}
	if (plugin_program(prog_hex, elf, &progs, &n))
		goto out;
	vm = bpfkit_vm__new();
	if (!vm || bpfkit_vm__register_default_helpers(vm)) {
		fprintf(stderr, "cannot create the VM\n");
		goto out;
	}
	bpfkit_vm__set_budget(vm, PLUGIN_BUDGET);
	err = bpfkit_vm__load(vm, progs[0]->insns, progs[0]->len, &d);
	if (!err)
		err = bpfkit_vm__run(vm, mem, mem_len, &r0, NULL, &d);
	if (err) {
		if (d.insn >= 0)
			fprintf(stderr, "insn %ld: %s\n", d.insn, d.msg);
		else
			fprintf(stderr, "%s\n", d.msg);
		goto out;
	}
	if (cli.json)
		print_result(r0, bpfkit_vm__insn_count(vm), 0, false);
	else
		printf("%" PRIx64 "\n", r0);
	rc = EXIT_OK;
out:
	bpfkit_vm__free(vm);
	for (size_t i = 0; i < n; i++)
		bpfkit_prog__free(progs[i]);
	free(progs);
	free(mem);
	free(input);
	return rc;
}

int cmd_vm(int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "run", vm_run, "load, validate and run a program; print r0" },
		{ "plugin", vm_plugin, "bpf_conformance plugin: hex program on stdin, r0 in hex" },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("vm", cmds, argc - 1, argv + 1);
}
