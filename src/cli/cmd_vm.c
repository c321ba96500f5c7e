// SPDX-License-Identifier: MIT
/*
 * bpfkit vm: run programs in the user-space VM.
 *
 *   bpfkit vm run FILE      load any format, validate, run, print r0
 *                           (--jit: as native code)
 *   bpfkit vm plugin [MEM]  the bpf_conformance plugin protocol: program
 *                           bytes as hex on stdin, memory as hex in the
 *                           first argument, r0 in hex on stdout
 *   bpfkit vm jit-dump FILE the JIT's x86-64 code, objdump-style, with
 *                           "; insn N" markers
 *
 * See bpfkit-vm(8).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

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
	bool test_helpers; /* --test-helpers: the conformance suite's set */
	bool jit; /* --jit: run as native code */
	struct bpfkit_jit_opts jit_opts;
	bool maps; /* --maps: dump the maps after the run */
	uint64_t repeat; /* --repeat N: runs, map state kept */
	uint64_t ncpus; /* --cpus N: values of per-CPU maps */
	uint64_t cpu; /* --cpu N: the CPU programs run on */
	bool hex; /* jit-dump --hex */
	bool dump; /* parsing for jit-dump */
	const char *file;
};

/* CPUs per-CPU maps have unless --cpus says: the machine's possible CPUs,
 * as the kernel gives per-CPU maps and bpftool counts them. */
static unsigned default_cpus(void)
{
	int n = libbpf_num_possible_cpus();

	return n > 0 && n <= 4096 ? (unsigned)n : 1;
}

static void run_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s vm run [-F FMT] [-D DIALECT] [--mem HEX | --mem-file FILE] [--budget N]\n"
		"                     [--prog NAME] [--test-helpers] [--jit[=OPTS]] [--stats]\n"
		"                     [--maps] [--repeat N] [--cpus N] [--cpu N] [-j] [-p] FILE|-|-e TEXT\n\n"
		"Load a program (assembler text, raw or hex slots, a conformance .data file or an\n"
		"ELF object), validate it, run it in the VM and print r0 in hex. An ELF object's\n"
		"maps (BTF-defined .maps, legacy maps, .data/.rodata/.bss) are created in the VM.\n\n"
		"  -F, --format FMT     asm, raw, hex, data or elf (default: detected)\n"
		"  -D, --dialect D      assembler dialect: conf, kern or auto (default)\n"
		"  -m, --mem HEX        input memory as hex bytes (r1 points to it, r2 is its length);\n"
		"                       a .data file brings its own unless this is given\n"
		"  -M, --mem-file FILE  input memory from a file, byte for byte\n"
		"  -b, --budget N       stop after N instructions (default %llu, 0 = no limit)\n"
		"  -P, --prog NAME      the program of an ELF object to run, by function or section\n"
		"                       name (needed when the object has more than one)\n"
		"  -T, --test-helpers   the conformance suite's helpers (0 gather_bytes, 1 memfrob,\n"
		"                       2 no_op, 3 sqrti, 4 strcmp_ext, 5 unwind) instead of the\n"
		"                       kernel helpers the VM implements (5 bpf_ktime_get_ns, 7\n"
		"                       bpf_get_prandom_u32, 8 bpf_get_smp_processor_id, 125, 160\n"
		"                       and 208: bpf_ktime_get_{boot,coarse,tai}_ns)\n"
		"  -J, --jit[=OPTS]     compile to x86-64 code and run that (same results, faults\n"
		"                       and budget); OPTS: blind (constant blinding), retpoline,\n"
		"                       comma-separated\n"
		"  -s, --stats          instructions executed and time, on stderr\n"
		"      --maps           after the run, every map as bpftool map dump prints it\n"
		"      --repeat N       run N times (default 1), maps kept between runs; r0 is\n"
		"                       the last run's\n"
		"      --cpus N         CPUs of per-CPU maps (default: this machine's, %u)\n"
		"      --cpu N          the CPU the program runs on (bpf_get_smp_processor_id,\n"
		"                       per-CPU values; default 0)\n"
		"  -e, --expr TEXT      run TEXT as assembler; ';' separates lines\n"
		"  -j, --json           {\"r0\":17,\"r0_hex\":\"0x11\",\"insns\":123}\n"
		"  -p, --pretty         indented JSON\n"
		"  -h, --help           this text\n",
		cli_progname, DEFAULT_BUDGET, default_cpus());
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

static void jit_dump_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s vm jit-dump [-F FMT] [-D DIALECT] [--prog NAME] [--test-helpers] [--blind]\n"
		"                          [--retpoline] [--hex] [-j] [-p] FILE|-|-e TEXT\n\n"
		"Compile a program with the VM's x86-64 JIT and print the native code: disassembled\n"
		"by objdump when binutils is installed (else, or with --hex, as hex bytes), with a\n"
		"'; insn N: ...' line where the code of each eBPF instruction starts and markers\n"
		"for the shared thunks, the entry point and the out-of-line slow paths.\n\n"
		"  -F, --format FMT     asm, raw, hex, data or elf (default: detected)\n"
		"  -D, --dialect D      assembler dialect: conf, kern or auto (default)\n"
		"  -P, --prog NAME      the program of an ELF object, by function or section name\n"
		"  -T, --test-helpers   the conformance suite's helpers (see vm run --help)\n"
		"      --blind          constant blinding\n"
		"      --retpoline      indirect calls through a retpoline\n"
		"      --hex            hex bytes even when objdump is available\n"
		"  -e, --expr TEXT      the program as assembler; ';' separates lines\n"
		"  -j, --json           {\"size\":N,\"entry\":N,\"stubs\":N,\"insns\":[{\"insn\":0,\n"
		"                       \"offset\":N,\"text\":\"...\"},...],\"code\":\"<hex>\"}\n"
		"  -p, --pretty         indented JSON\n"
		"  -h, --help           this text\n",
		cli_progname);
}

/* --jit=blind,retpoline */
static int parse_jit_opts(const char *s, struct bpfkit_jit_opts *o)
{
	while (s && *s) {
		size_t n = strcspn(s, ",");
		if (n == 5 && !strncmp(s, "blind", n))
			o->blind = true;
		else if (n == 9 && !strncmp(s, "retpoline", n))
			o->retpoline = true;
		else
			return cli_usage("--jit: unknown option '%.*s' (blind, retpoline)", (int)n, s);
		s += n + (s[n] == ',');
	}
	return 0;
}

/* Options and the one input, for run (or jit-dump when a->dump). Returns
 * 0, EXIT_USAGE, or -1 after --help. */
static int parse_run_args(int argc, char **argv, struct run_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' }, { "dialect", required_argument, NULL, 'D' },
		{ "mem", required_argument, NULL, 'm' },    { "mem-file", required_argument, NULL, 'M' },
		{ "budget", required_argument, NULL, 'b' }, { "prog", required_argument, NULL, 'P' },
		{ "stats", no_argument, NULL, 's' },        { "expr", required_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },         { "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },         { "jit", optional_argument, NULL, 'J' },
		{ "blind", no_argument, NULL, 1 },          { "retpoline", no_argument, NULL, 2 },
		{ "hex", no_argument, NULL, 3 },            { "test-helpers", no_argument, NULL, 'T' },
		{ "maps", no_argument, NULL, 4 },           { "repeat", required_argument, NULL, 5 },
		{ "cpus", required_argument, NULL, 6 },     { "cpu", required_argument, NULL, 7 },
		{ NULL, 0, NULL, 0 },
	};
	static const char optstring[] = "F:D:m:M:b:P:se:jphTJ::";
	const char *what = a->dump ? "vm jit-dump" : "vm run";
	int ch, fmt, err = 0;

	while (!err && (ch = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		bool run_only = ch == 'm' || ch == 'M' || ch == 'b' || ch == 's' || ch == 'J' ||
				(ch >= 4 && ch <= 7);
		if ((a->dump && run_only) || (!a->dump && ch >= 1 && ch <= 3))
			return cli_usage("%s is not an option of '%s %s'", argv[optind - 1],
					 cli_progname, what);
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
		case 'T': a->test_helpers = true; break;
		case 'e': a->expr = optarg; break;
		case 'j': cli.json = true; break;
		case 'p': cli.json = cli.pretty = true; break;
		case 'J':
			a->jit = true;
			err = parse_jit_opts(optarg, &a->jit_opts);
			break;
		case 1: a->jit_opts.blind = true; break;
		case 2: a->jit_opts.retpoline = true; break;
		case 3: a->hex = true; break;
		case 4: a->maps = true; break;
		case 5: err = parse_u64(optarg, "--repeat", &a->repeat); break;
		case 6: err = parse_u64(optarg, "--cpus", &a->ncpus); break;
		case 7: err = parse_u64(optarg, "--cpu", &a->cpu); break;
		case 'h':
			if (a->dump)
				jit_dump_usage(stdout);
			else
				run_usage(stdout);
			return -1;
		default: return cli_bad_option(argc, argv, optstring, what);
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
	if (!a->repeat)
		return cli_usage("--repeat: the number of runs must be at least 1");
	if (!a->ncpus || a->ncpus > 4096)
		return cli_usage("--cpus: %llu is not a number of CPUs (1 to 4096)",
				 (unsigned long long)a->ncpus);
	if (a->cpu >= a->ncpus)
		return cli_usage("--cpu %llu: the CPUs are 0 to %llu (--cpus)",
				 (unsigned long long)a->cpu, (unsigned long long)a->ncpus - 1);
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

/* r0 (and, with --maps, the maps of @p vm) as text or JSON. */
static void print_result(uint64_t r0, uint64_t insns, double ns, bool stats, struct bpfkit_vm *vm)
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
		if (vm)
			vm_print_maps(vm, w);
		json_w_obj_end(w);
		json_w_free(w);
		return;
	}
	printf("%s\n", hex);
	if (vm)
		vm_print_maps(vm, NULL);
	if (stats)
		fprintf(stderr, "%" PRIu64 " instructions in %.3f ms (%.1f M instructions/s)\n", insns,
			ns / 1e6, ns > 0 ? (double)insns * 1e3 / ns : 0.0);
}

/* The program of a run or jit-dump: the input text, every program in it,
 * and the one chosen. */
struct input {
	const char *name; /* for messages */
	char *text;
	size_t len;
	enum bpfkit_fmt fmt;
	struct bpfkit_prog **progs;
	size_t n;
	struct bpfkit_prog *p;
	struct bpfkit_map_desc *maps; /* an ELF object's maps and global data */
	size_t nmaps;
};

/* "sum (section xdp), seven (section tc)": the programs as -P takes them,
 * for messages. Programs without a section are named alone. */
static void prog_list(struct bpfkit_prog *const *progs, size_t n, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++) {
		const struct bpfkit_prog *p = progs[i];
		const char *name = p->name ? p->name : "?";
		if (p->section && strcmp(p->section, name))
			used += (size_t)snprintf(buf + used, size - used, "%s%s (section %s)",
						 i ? ", " : "", name, p->section);
		else
			used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", name);
	}
}

/* Is @p name a symbol inside one of the programs (a subprogram from
 * .text, a label)? Then -P NAME deserves a word on what programs are. */
static bool inside_prog(const struct input *in, const char *name)
{
	for (size_t i = 0; i < in->n; i++)
		for (size_t k = 0; k < in->progs[i]->nsyms; k++)
			if (!strcmp(in->progs[i]->syms[k].name, name))
				return true;
	return false;
}

/*
 * Pick the program to run from @p in->progs: the one whose function or
 * section -P names (more than one is an error), else the only one (more
 * than one is an error listing them). Returns 0 or an exit code.
 */
static int choose_prog(struct input *in, const char *want)
{
	struct bpfkit_prog **match = calloc(in->n ? in->n : 1, sizeof(*match));
	size_t nm = 0;
	char list[1024];
	int rc = 0;

	if (!match)
		return cli_fail("out of memory");
	if (want && in->fmt != BPFKIT_FMT_ELF) {
		free(match);
		return cli_fail("%s: -P chooses a program of an ELF object; this %s input is one "
				"program",
				in->name, bpfkit_fmt_name(in->fmt));
	}
	for (size_t i = 0; i < in->n; i++) {
		const struct bpfkit_prog *p = in->progs[i];
		if (!want || (p->name && !strcmp(p->name, want)) ||
		    (p->section && !strcmp(p->section, want)))
			match[nm++] = in->progs[i];
	}
	if (nm == 1) {
		in->p = match[0];
	} else if (!want) {
		prog_list(in->progs, in->n, list, sizeof(list));
		rc = in->n ? cli_fail("%s has %zu programs; choose one with -P NAME: %s", in->name,
				      in->n, list)
			   : cli_fail("%s: no program in the file", in->name);
	} else if (!nm) {
		prog_list(in->progs, in->n, list, sizeof(list));
		rc = cli_fail("%s: no program named '%s'%s; the programs are: %s", in->name, want,
			      inside_prog(in, want) ? " (it is a subprogram or label inside a program)"
						    : "",
			      list);
	} else {
		prog_list(match, nm, list, sizeof(list));
		rc = cli_fail("%s: -P %s names %zu programs; choose one by its function name: %s",
			      in->name, want, nm, list);
	}
	free(match);
	return rc;
}

/* A VM with the helper set the options ask for and the input's maps, or
 * NULL after an error. */
static struct bpfkit_vm *new_vm(const struct run_args *a, const struct input *in)
{
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct bpfkit_diag d;
	int err = vm ? 0 : -errno;

	if (!err)
		err = a->test_helpers ? bpfkit_vm__register_test_helpers(vm)
				      : bpfkit_vm__register_kernel_helpers(vm);
	if (err) {
		bpfkit_vm__free(vm);
		cli_fail("cannot create the VM: %s", strerror(-err));
		return NULL;
	}
	if (bpfkit_vm__create_maps(vm, in->maps, in->nmaps, (unsigned)a->ncpus, &d)) {
		bpfkit_vm__free(vm);
		cli_print_diag(in->name, NULL, 0, &d);
		return NULL;
	}
	bpfkit_vm__set_cpu(vm, (unsigned)a->cpu);
	return vm;
}

static const char *input_src(const struct input *in);

/* Validate the chosen program, run it over @p mem (--repeat times) and
 * print the result or the fault. */
static int run_prog(const struct run_args *a, const struct input *in, uint8_t *mem, size_t mem_len)
{
	const char *name = in->name, *text = input_src(in);
	const struct bpfkit_prog *p = in->p;
	size_t len = in->len;
	struct bpfkit_vm *vm = new_vm(a, in);
	uint64_t insns = 0;
	struct bpfkit_diag d;
	uint64_t r0 = 0;
	double t0, ns;
	int err, rc = EXIT_FAIL;

	if (!vm)
		return EXIT_FAIL;
	bpfkit_vm__set_budget(vm, a->budget);
	err = bpfkit_vm__load_prog(vm, p, &d);
	if (!err && a->jit) {
		t0 = now_ns();
		err = bpfkit_vm__jit_compile(vm, &a->jit_opts, &d);
		if (!err && a->stats && !cli.json)
			fprintf(stderr, "compiled to native code in %.3f ms\n", (now_ns() - t0) / 1e6);
	}
	if (err) {
		print_insn_diag(name, text, len, p, &d);
		goto out;
	}
	t0 = now_ns();
	for (uint64_t i = 0; !err && i < a->repeat; i++) {
		err = bpfkit_vm__run(vm, mem, mem_len, &r0, NULL, &d);
		insns += bpfkit_vm__insn_count(vm);
	}
	ns = now_ns() - t0;
	if (err) {
		print_insn_diag(name, text, len, p, &d);
		if (a->stats && !cli.json)
			fprintf(stderr, "%" PRIu64 " instructions in %.3f ms\n", insns, ns / 1e6);
		goto out;
	}
	print_result(r0, insns, ns, a->stats, a->maps ? vm : NULL);
	rc = EXIT_OK;
out:
	bpfkit_vm__free(vm);
	return rc;
}

/* The source text for diagnostics with source lines (none for binary formats). */
static const char *input_src(const struct input *in)
{
	return in->fmt == BPFKIT_FMT_ELF || in->fmt == BPFKIT_FMT_RAW ? NULL : in->text;
}

static void input_free(struct input *in)
{
	bpfkit_map_descs__free(in->maps, in->nmaps);
	for (size_t i = 0; i < in->n; i++)
		bpfkit_prog__free(in->progs[i]);
	free(in->progs);
	free(in->text);
}

/* Read FILE or -e TEXT, load every program in it, choose one (--prog).
 * Returns 0 or an exit code (the error printed). */
static int read_input(struct run_args *a, struct input *in)
{
	struct bpfkit_diag d;
	int err;

	in->name = a->expr ? "<command line>" : (!strcmp(a->file, "-") ? "<stdin>" : a->file);
	if (a->expr) {
		if (!(in->text = cli_expr_text(a->expr, &in->len)))
			return cli_fail("out of memory");
		if (a->fmt == BPFKIT_FMT_AUTO)
			a->fmt = BPFKIT_FMT_ASM;
	} else if ((err = cli_read_file(a->file, &in->text, &in->len))) {
		return cli_fail("cannot read '%s': %s", a->file, strerror(-err));
	}
	in->fmt = a->fmt ? a->fmt : bpfkit_fmt_detect(in->text, in->len);
	/* an object's programs as libbpf names them, linked with their subprograms */
	if (in->fmt == BPFKIT_FMT_ELF) {
		err = bpfkit_elf_programs(in->text, in->len, &in->progs, &in->n, &d);
		if (!err)
			err = bpfkit_elf_maps(in->text, in->len, &in->maps, &in->nmaps, &d);
	} else
		err = bpfkit_prog__load_any(in->text, in->len, in->fmt, a->dialect, &in->progs,
					    &in->n, &d);
	if (err) {
		cli_print_diag(in->name, input_src(in), in->len, &d);
		return EXIT_FAIL;
	}
	return choose_prog(in, a->prog);
}

static int vm_run(int argc, char **argv)
{
	struct run_args a = { .dialect = BPFKIT_DIALECT_AUTO, .budget = DEFAULT_BUDGET, .repeat = 1,
			      .ncpus = default_cpus() };
	struct input in = { 0 };
	uint8_t *mem = NULL;
	size_t mem_len = 0;
	int rc = parse_run_args(argc, argv, &a);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	rc = read_input(&a, &in);
	if (!rc)
		rc = input_memory(&a, in.text, in.len, in.fmt, &mem, &mem_len);
	if (!rc)
		rc = run_prog(&a, &in, mem, mem_len);
	input_free(&in);
	free(mem);
	return rc;
}

/* ---- jit-dump ------------------------------------------------------------------ */

/* A line of the listing: "; insn 3: ldxdw %r0, [%r1+8]" at a code offset. */
struct marker {
	size_t off;
	char text[160];
};

/* Markers in code order: thunks, entry, each instruction, stubs. */
static struct marker *jit_markers(const struct bpfkit_jit_code *c, const struct bpfkit_prog *p,
				  enum bpfkit_dialect dialect, size_t *count)
{
	struct marker *m = calloc(c->ninsns + 3, sizeof(*m));
	size_t n = 0;

	if (!m)
		return NULL;
	m[n].off = 0;
	snprintf(m[n++].text, sizeof(m->text),
		 "; thunks: retpoline, epilogue, exits, slow memory check, hand-over");
	m[n].off = c->entry;
	snprintf(m[n++].text, sizeof(m->text), "; entry: prologue");
	for (size_t i = 0; i < c->ninsns;) {
		char buf[128];
		int used = bpfkit_disasm_insn(p->insns + i, p->len - i, dialect, buf, sizeof(buf));
		if (used <= 0) {
			snprintf(buf, sizeof(buf), "?");
			used = 1;
		}
		m[n].off = c->insn_off[i];
		snprintf(m[n++].text, sizeof(m->text), "; insn %zu: %s", i, buf);
		i += (size_t)used;
	}
	m[n].off = c->stubs;
	snprintf(m[n++].text, sizeof(m->text), "; stubs: slow paths");
	*count = n;
	return m;
}

/* Disassemble @p c with objdump into a malloc'd text, or NULL when objdump
 * is missing or fails. */
static char *objdump_text(const struct bpfkit_jit_code *c)
{
	char path[] = "/tmp/bpfkit-jit-XXXXXX", cmd[128], *out = NULL, *grown;
	size_t len = 0, cap = 0, got;
	FILE *f;
	int fd = mkstemp(path), status;

	if (fd < 0)
		return NULL;
	if (write(fd, c->code, c->len) != (ssize_t)c->len) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "objdump -D -b binary -mi386:x86-64 %s 2>/dev/null", path);
	f = popen(cmd, "r");
	if (f) {
		do {
			if (len + 4096 + 1 > cap) {
				cap = cap ? cap * 2 : 65536;
				if (!(grown = realloc(out, cap)))
					break;
				out = grown;
			}
			got = fread(out + len, 1, cap - len - 1, f);
			len += got;
		} while (got);
		status = pclose(f);
		if (out)
			out[len] = '\0';
		if (!WIFEXITED(status) || WEXITSTATUS(status) || !out || !strstr(out, ":\t")) {
			free(out);
			out = NULL;
		}
	}
	unlink(path);
	return out;
}

/* objdump's instruction lines ("  1f:\t48 89 e5 \tmov ...") with the
 * markers before the line at their offset. */
static void print_objdump(const char *text, const struct marker *m, size_t nm)
{
	size_t k = 0;

	for (const char *line = text; *line;) {
		const char *eol = strchr(line, '\n'), *p = line;
		size_t l = eol ? (size_t)(eol - line) : strlen(line);
		char *end;
		unsigned long off;

		while (*p == ' ')
			p++;
		off = strtoul(p, &end, 16);
		if (end != p && end[0] == ':' && end[1] == '\t') {
			while (k < nm && m[k].off <= off)
				printf("%s\n", m[k++].text);
			printf("%.*s\n", (int)l, line);
		}
		line += l + (eol != NULL);
	}
	while (k < nm)
		printf("%s\n", m[k++].text);
}

/* Without objdump: each marker, then its bytes, 16 to a line. */
static void print_hex(const struct bpfkit_jit_code *c, const struct marker *m, size_t nm)
{
	for (size_t k = 0; k < nm; k++) {
		size_t end = k + 1 < nm ? m[k + 1].off : c->len;
		printf("%s\n", m[k].text);
		for (size_t o = m[k].off; o < end; o += 16) {
			printf("%6zx:", o);
			for (size_t b = o; b < end && b < o + 16; b++)
				printf(" %02x", c->code[b]);
			printf("\n");
		}
	}
}

static void print_jit_json(const struct bpfkit_jit_code *c, const struct marker *m, size_t nm)
{
	struct json_w *w = json_w_new(stdout);
	char *hex = malloc(c->len * 2 + 1);

	if (!w || !hex) {
		json_w_free(w);
		free(hex);
		return;
	}
	for (size_t i = 0; i < c->len; i++)
		snprintf(hex + 2 * i, 3, "%02x", c->code[i]);
	json_w_obj_begin(w);
	json_w_key(w, "size");
	json_w_uint(w, c->len);
	json_w_key(w, "entry");
	json_w_uint(w, c->entry);
	json_w_key(w, "stubs");
	json_w_uint(w, c->stubs);
	json_w_key(w, "insns");
	json_w_arr_begin(w);
	for (size_t k = 2; k + 1 < nm; k++) {
		json_w_obj_begin(w);
		json_w_key(w, "insn");
		json_w_uint(w, strtoull(m[k].text + 7, NULL, 10));
		json_w_key(w, "offset");
		json_w_uint(w, m[k].off);
		json_w_key(w, "text");
		json_w_str(w, strchr(m[k].text + 7, ':') + 2);
		json_w_obj_end(w);
	}
	json_w_arr_end(w);
	json_w_key(w, "code");
	json_w_str(w, hex);
	json_w_obj_end(w);
	json_w_free(w);
	free(hex);
}

static int vm_jit_dump(int argc, char **argv)
{
	struct run_args a = { .dialect = BPFKIT_DIALECT_AUTO, .dump = true, .repeat = 1,
			      .ncpus = default_cpus() };
	struct input in = { 0 };
	struct bpfkit_vm *vm = NULL;
	struct bpfkit_jit_code c;
	struct bpfkit_diag d;
	struct marker *m = NULL;
	size_t nm = 0;
	char *text = NULL;
	int rc = parse_run_args(argc, argv, &a);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	rc = read_input(&a, &in);
	if (rc)
		goto out;
	rc = EXIT_FAIL;
	vm = new_vm(&a, &in);
	if (!vm)
		goto out;
	if (bpfkit_vm__load_prog(vm, in.p, &d) ||
	    bpfkit_vm__jit_compile(vm, &a.jit_opts, &d)) {
		print_insn_diag(in.name, input_src(&in), in.len, in.p, &d);
		goto out;
	}
	bpfkit_vm__jit_code(vm, &c);
	m = jit_markers(&c, in.p, a.dialect == BPFKIT_DIALECT_KERN ? BPFKIT_DIALECT_KERN
								  : BPFKIT_DIALECT_CONF, &nm);
	if (!m) {
		cli_fail("out of memory");
		goto out;
	}
	if (cli.json) {
		print_jit_json(&c, m, nm);
	} else {
		printf("; %zu instruction slots, %zu bytes of x86-64 code%s%s\n", c.ninsns, c.len,
		       a.jit_opts.blind ? ", constants blinded" : "",
		       a.jit_opts.retpoline ? ", retpolines" : "");
		text = a.hex ? NULL : objdump_text(&c);
		if (text)
			print_objdump(text, m, nm);
		else
			print_hex(&c, m, nm);
	}
	rc = EXIT_OK;
out:
	free(text);
	free(m);
	bpfkit_vm__free(vm);
	input_free(&in);
	return rc;
}

/* ---- the bpf_conformance plugin ------------------------------------------------ */

static void plugin_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s vm plugin [MEMHEX] [--program HEX] [--elf] [--interpret | --jit] [-j]\n\n"
		"The bpf_conformance plugin protocol: the program as hex bytes on stdin (or in\n"
		"--program), the input memory as hex bytes in the first argument, r0 printed in\n"
		"hex on stdout; errors on stderr with exit status 1. The suite's test helpers\n"
		"are registered (as vm run --test-helpers) and helper 5 unwinds. With --elf the\n"
		"hex is an ELF object (its first program runs); with --jit the program runs as\n"
		"x86-64 code (--interpret, the default: interpreted).\n"
		"The runner passes the memory first, so point it at a wrapper script:\n"
		"  #!/bin/sh\n"
		"  exec bpfkit vm plugin \"$@\"\n",
		cli_progname);
}

/* The plugin's errors: the bare message on stderr, as the bpf_conformance
 * runner reads it; with -j a JSON error on stdout, as every command's. */
static int plugin_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int plugin_fail(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (cli.json)
		return cli_fail("%s", buf);
	fprintf(stderr, "%s\n", buf);
	return EXIT_FAIL;
}

/* Decode hex bytes into a program, as raw slots or (--elf) an ELF object. */
static int plugin_program(const char *hex, bool elf, struct bpfkit_prog ***progs, size_t *n)
{
	struct bpfkit_diag d;
	unsigned char *bytes;
	size_t len;
	int err;

	if (cli_parse_hex_bytes(hex, &bytes, &len))
		return plugin_fail("the program is not hex bytes");
	if (elf) {
		err = bpfkit_elf_programs(bytes, len, progs, n, &d);
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
	if (err || !*n)
		return plugin_fail("%s", err ? d.msg : "no program in the ELF object");
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
	bool elf = false, jit = false;
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
			jit = false;
		} else if (!strcmp(s, "--jit")) {
			jit = true;
		} else if (!strcmp(s, "--program") && i + 1 < argc) {
			prog_hex = argv[++i];
		} else if (!strcmp(s, "-j") || !strcmp(s, "--json")) {
			cli.json = true;
		} else if (!strcmp(s, "-p") || !strcmp(s, "--pretty")) {
			cli.json = cli.pretty = true;
		} else if (strncmp(s, "--", 2) && !mem_hex) {
			mem_hex = s;
		} else {
			return plugin_fail("invalid argument: %s", s);
		}
	}
	if (mem_hex && cli_parse_hex_bytes(mem_hex, &mem, &mem_len))
		return plugin_fail("the memory argument is not hex bytes");
	if (!prog_hex) {
		err = cli_read_file("-", &input, &len);
		if (err) {
			plugin_fail("cannot read stdin: %s", strerror(-err));
			goto out;
		}
		prog_hex = input;
	}
	if (plugin_program(prog_hex, elf, &progs, &n))
		goto out;
	vm = bpfkit_vm__new();
	if (!vm || bpfkit_vm__register_test_helpers(vm)) {
		plugin_fail("cannot create the VM");
		goto out;
	}
	bpfkit_vm__set_budget(vm, PLUGIN_BUDGET);
	err = bpfkit_vm__load_prog(vm, progs[0], &d);
	if (!err && jit)
		err = bpfkit_vm__jit_compile(vm, NULL, &d);
	if (!err)
		err = bpfkit_vm__run(vm, mem, mem_len, &r0, NULL, &d);
	if (err) {
		if (d.insn >= 0)
			plugin_fail("insn %ld: %s", d.insn, d.msg);
		else
			plugin_fail("%s", d.msg);
		goto out;
	}
	if (cli.json)
		print_result(r0, bpfkit_vm__insn_count(vm), 0, false, NULL);
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
		{ "jit-dump", vm_jit_dump, "the JIT's x86-64 code for a program, objdump-style" },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch("vm", cmds, argc - 1, argv + 1);
}
