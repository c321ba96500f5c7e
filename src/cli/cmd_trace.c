// SPDX-License-Identifier: MIT
/*
 * bpfkit trace: the tracer, with bpftrace's flags so habits carry over.
 *
 *   bpfkit trace -l [-v] [PATTERN...]   list probes (bpftrace -l / -lv)
 *   bpfkit trace --info                 what this kernel lets the tracer do
 *   bpfkit trace [-d] [-q] [-f json|folded] [-o FILE] [-B MODE] [-I DIR] [--include FILE]
 *                [-c CMD | -p PID] (-e PROGRAM | FILE) [ARG...]
 *                                       compile and run a program (trace_run.c)
 *
 * See bpfkit-trace(8). The probes come from the kern layer (src/kern/);
 * this file only turns options into calls and results into text or JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpfkit/kern.h>
#include <bpfkit/sym.h>

#include "cli.h"
#include "cli/trace_int.h"

struct trace_args {
	bool list; /* -l */
	bool verbose; /* -v */
	bool info; /* --info */
	const char *expr; /* -e PROGRAM */
	const char *pid; /* -p PID */
	const char *cmd; /* -c CMD */
	const char *output; /* -o FILE */
	bool dry_run; /* -d */
	bool unsafe; /* --unsafe */
	bool folded; /* -f folded */
	bool quiet; /* -q */
	bool stats; /* --stats */
	bool usdt_file_activation; /* --usdt-file-activation */
	const char *ustack_unwind; /* --ustack-unwind MODE */
	int buffering; /* -B MODE: _IOLBF, _IOFBF, _IONBF, or -1 */
	int helper_checks; /* -k: 1, -kk: 2 */
	const char *incdirs[64]; /* -I DIR */
	size_t nincdirs;
	const char *incfiles[64]; /* --include FILE */
	size_t nincfiles;
	char **rest; /* patterns with -l, else [FILE] then the positional parameters */
	int nrest;
};

/*
 * The help text (stdout for --help, stderr with a usage error), in
 * bpftrace -h's layout (USAGE, OPTIONS, TROUBLESHOOTING OPTIONS,
 * ENVIRONMENT, EXAMPLES) with bpfkit's options, so its readers find their
 * way; the defaults are bpftrace's.
 */
static void usage(FILE *f)
{
	const char *p = cli_progname;

	fprintf(f,
		"USAGE:\n"
		"    %s trace [options] filename [ARG...]\n"
		"    %s trace [options] -e 'program' [ARG...]\n"
		"    %s trace -l [-v] [-j] [--pretty] [search...]\n"
		"    %s trace --info [-j]\n\n"
		"OPTIONS:\n"
		"    -B MODE        output buffering mode ('line', 'full', 'none')\n"
		"    -f FORMAT      output format ('text', 'json', 'folded': stack-keyed maps as folded\n"
		"                   stacks, for flame graphs)\n"
		"    -o file        redirect the program's output to file\n"
		"    -e 'program'   execute this program\n"
		"    -h, --help     show this help message\n"
		"    -I DIR         add the directory to the include search path (headers are\n"
		"                   not parsed: see bpfkit-trace(8))\n"
		"    --include FILE add an #include file before the program\n"
		"    -l [search]    list probes ('tracepoint:syscalls:sys_enter_*', '*sched_switch*')\n"
		"    -p PID         stop when process PID exits\n"
		"    -c 'CMD'       run CMD once the probes are attached; stop when it exits\n"
		"    --unsafe       allow unsafe builtin functions (system(), signal())\n"
		"    -q             keep messages quiet (no 'Attaching N probes...')\n"
		"    --usdt-file-activation\n"
		"                   activate usdt semaphores based on file path (with -p: in\n"
		"                   every process that maps the file, not only PID)\n"
		"    --info         print information about kernel BPF support\n"
		"    -V, --version  bpfkit version\n"
		"    -k             emit a warning when a bpf helper returns an error (except read functions)\n"
		"    -kk            check all bpf helper functions\n"
		"    --no-warnings  disable all warning messages\n"
		"    -j, --json     as -f json; with -l, the probes as JSON (--pretty: indented)\n\n"
		"TROUBLESHOOTING OPTIONS:\n"
		"    -v             verbose messages (the whole verifier log of a rejected program;\n"
		"                   with -l, the arguments of tracepoints)\n"
		"    -d             (dry run) print the compiled maps, events and programs\n"
		"    --stats        at exit, the kernel's timing of each attached program (runs,\n"
		"                   ns per run, instructions) on stderr\n"
		"    --ustack-unwind MODE\n"
		"                   fp (default): ustack by the kernel's frame-pointer walk; dwarf:\n"
		"                   copy registers and 8 KiB of stack, unwind from .eh_frame\n\n"
		"ENVIRONMENT:\n"
		"    BPFTRACE_STRLEN             [default: 64] bytes on BPF stack per str()\n"
		"    BPFTRACE_NO_CPP_DEMANGLE    [default: 0] disable C++ symbol demangling\n"
		"    BPFTRACE_STACK_MODE         [default: bpftrace] kstack/ustack output: bpftrace, perf, raw\n"
		"    BPFTRACE_MAP_KEYS_MAX       [default: 4096] max keys in a map\n"
		"                                (also BPFTRACE_MAX_MAP_KEYS)\n"
		"    BPFTRACE_MAX_PROBES         [default: none] max number of probes\n"
		"    BPFTRACE_PERF_RB_PAGES      [default: 64] pages of the event ring buffer\n"
"    BPFKIT_USTACK_UNWIND        [default: fp] as --ustack-unwind\n"
		"    BPFKIT_TRACEFS              [default: found] tracefs directory to read tracepoints from\n\n"
		"EXAMPLES:\n"
		"%s trace -l '*sleep*'\n"
		"    list probes containing \"sleep\"\n"
		"%s trace -e 'tracepoint:syscalls:sys_enter_nanosleep { printf(\"PID %%d sleeping...\\n\", pid); }'\n"
		"    trace processes calling sleep\n"
		"%s trace -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'\n"
		"    count syscalls by process name\n\n"
		"PRIVILEGES:\n"
		"    running needs root, or CAP_BPF + CAP_PERFMON and, for tracepoints,\n"
		"    CAP_DAC_READ_SEARCH (tracefs is root-only); -d needs only tracefs\n",
		p, p, p, p, p, p, p);
}

/* Options. Returns 0, EXIT_USAGE, or -1 after --help or --version. */
static int parse_args(int argc, char **argv, struct trace_args *a)
{
	enum { OPT_INFO = 256, OPT_PRETTY, OPT_UNSAFE, OPT_NO_WARNINGS, OPT_INCLUDE, OPT_STATS, OPT_USDT_FILE, OPT_USTACK_UNWIND };
	static const struct option longopts[] = {
		{ "list", no_argument, NULL, 'l' },	    { "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },	    { "pretty", no_argument, NULL, OPT_PRETTY },
		{ "format", required_argument, NULL, 'f' }, { "info", no_argument, NULL, OPT_INFO },
		{ "help", no_argument, NULL, 'h' },	    { "dry-run", no_argument, NULL, 'd' },
		{ "unsafe", no_argument, NULL, OPT_UNSAFE }, { "version", no_argument, NULL, 'V' },
		{ "no-warnings", no_argument, NULL, OPT_NO_WARNINGS },
		{ "include", required_argument, NULL, OPT_INCLUDE },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "usdt-file-activation", no_argument, NULL, OPT_USDT_FILE },
		{ "ustack-unwind", required_argument, NULL, OPT_USTACK_UNWIND },
		{ NULL, 0, NULL, 0 },
	};
	static const char optstring[] = "lvjf:e:p:c:o:dhqkB:I:V";
	int ch;

	a->buffering = -1;
	while ((ch = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (ch) {
		case 'l': a->list = true; break;
		case 'v': a->verbose = true; break;
		case 'j': cli.json = true; break;
		case OPT_PRETTY: cli.json = cli.pretty = true; break;
		case 'f':
			a->folded = false;
			if (!strcmp(optarg, "json"))
				cli.json = true;
			else if (!strcmp(optarg, "folded"))
				a->folded = true;
			else if (strcmp(optarg, "text"))
				return cli_usage("unknown output format '%s' (text, json or folded)", optarg);
			break;
		case OPT_INFO: a->info = true; break;
		case 'e': a->expr = optarg; break;
		case 'p': a->pid = optarg; break;
		case 'c': a->cmd = optarg; break;
		case 'o': a->output = optarg; break;
		case 'd': a->dry_run = true; break;
		case OPT_UNSAFE: a->unsafe = true; break;
		case 'q': a->quiet = true; break;
		case OPT_STATS: a->stats = true; break;
		case OPT_USTACK_UNWIND: a->ustack_unwind = optarg; break;
		case 'k': a->helper_checks++; break;
		case OPT_NO_WARNINGS: cli.no_warnings = true; break;
		case OPT_USDT_FILE: a->usdt_file_activation = true; break;
		case 'B':
			if (!strcmp(optarg, "line"))
				a->buffering = _IOLBF;
			else if (!strcmp(optarg, "full"))
				a->buffering = _IOFBF;
			else if (!strcmp(optarg, "none"))
				a->buffering = _IONBF;
			else
				return cli_usage("-B wants 'line', 'full' or 'none', not '%s'", optarg);
			break;
		case 'I':
			if (a->nincdirs == sizeof(a->incdirs) / sizeof(a->incdirs[0]))
				return cli_usage("too many -I directories (at most 64)");
			a->incdirs[a->nincdirs++] = optarg;
			break;
		case OPT_INCLUDE:
			if (a->nincfiles == sizeof(a->incfiles) / sizeof(a->incfiles[0]))
				return cli_usage("too many --include files (at most 64)");
			a->incfiles[a->nincfiles++] = optarg;
			break;
		case 'V': printf("%s v%s\n", cli_progname, cli_version); return -1;
		case 'h': usage(stdout); return -1;
		default: return cli_bad_option(argc, argv, optstring, "trace");
		}
	}
	a->rest = argv + optind;
	a->nrest = argc - optind;
	if (a->list && a->info)
		return cli_usage("give -l or --info, not both");
	if ((a->list || a->info) && a->expr)
		return cli_usage("-e runs a program; it does not go with -l or --info");
	if (a->info && a->nrest)
		return cli_usage("--info takes no arguments ('%s' is extra)", a->rest[0]);
	if (a->list || a->info)
		return 0;
	if (a->cmd && a->pid)
		return cli_usage("give -c CMD or -p PID, not both");
	if (a->helper_checks > 2)
		return cli_usage("-k checks helpers, -kk all of them: there is no -kkk");
	return 0;
}

/* The format of tracepoint @p target ("sched:sched_switch"), or NULL after a warning. */
static struct bpfkit_tp_format *load_format(const char *tracefs, const char *target)
{
	struct bpfkit_tp_format *fmt;
	struct bpfkit_diag d;
	char sys[256];
	const char *colon = strchr(target, ':');

	if (!colon || (size_t)(colon - target) >= sizeof(sys))
		return NULL;
	memcpy(sys, target, (size_t)(colon - target));
	sys[colon - target] = '\0';
	fmt = bpfkit_tp_format__load(tracefs, sys, colon + 1, &d);
	if (!fmt)
		cli_warn("%s", d.msg);
	return fmt;
}

/* One tracepoint field as a JSON object; array_len and string only where they apply. */
static void json_field(struct json_w *w, const struct bpfkit_tp_field *f)
{
	json_w_obj_begin(w);
	json_w_key(w, "name");
	json_w_str(w, f->name);
	json_w_key(w, "type");
	json_w_str(w, f->type);
	json_w_key(w, "decl");
	json_w_str(w, f->decl);
	json_w_key(w, "kind");
	json_w_str(w, bpfkit_tp_kind_name(f->kind));
	json_w_key(w, "offset");
	json_w_uint(w, f->offset);
	json_w_key(w, "size");
	json_w_uint(w, f->size);
	json_w_key(w, "signed");
	json_w_bool(w, f->is_signed);
	if (f->kind == BPFKIT_TP_ARRAY) {
		json_w_key(w, "array_len");
		json_w_uint(w, f->array_len);
	}
	if (f->is_string) {
		json_w_key(w, "string");
		json_w_bool(w, true);
	}
	json_w_obj_end(w);
}

/*
 * Print @p list as bpftrace -l does (one name per line) or as JSON; with
 * -v, each tracepoint's fields that are not common_ follow its name,
 * indented by four spaces, exactly as bpftrace -lv prints them.
 */
/*
 * -lv of usdt:PATH:PROVIDER:NAME: the site (the first, for a duplicated
 * marker) from the file's notes, read once per file (@p cache holds the
 * last one read). NULL when it cannot be read.
 */
static const struct bpfkit_usdt_probe *usdt_site(const char *name, struct bpfkit_usdt_list **cache,
						 char *cache_path, size_t size)
{
	const char *target = name + strlen("usdt:"), *c2 = strrchr(target, ':'), *c1;
	struct bpfkit_diag d;
	char path[PATH_MAX];

	if (!c2 || c2 == target)
		return NULL;
	for (c1 = c2 - 1; c1 > target && *c1 != ':'; c1--)
		;
	if (c1 == target || (size_t)(c1 - target) >= sizeof(path))
		return NULL;
	snprintf(path, sizeof(path), "%.*s", (int)(c1 - target), target);
	if (!*cache || strcmp(cache_path, path)) {
		bpfkit_usdt_list__free(*cache);
		*cache = NULL;
		if (bpfkit_usdt_list__read(path, cache, &d))
			return NULL;
		snprintf(cache_path, size, "%s", path);
	}
	for (size_t i = 0; i < (*cache)->n; i++) {
		const struct bpfkit_usdt_probe *p = &(*cache)->probes[i];

		if (strlen(p->provider) == (size_t)(c2 - c1 - 1) && !strncmp(p->provider, c1 + 1, (size_t)(c2 - c1 - 1)) &&
		    !strcmp(p->name, c2 + 1))
			return p;
	}
	return NULL;
}

/* The debug info of the files -lv lists uprobes of, the last one kept open
 * (a listing goes file by file): one index per file, not one per function. */
struct uprobe_dwarf {
	char path[PATH_MAX];
	struct bpfkit_dwarf *d;
	int err;
};

/*
 * -lv of uprobe:PATH:FUNC: the function's parameters from DWARF (the
 * file's own or a separate debug file), one "    TYPE NAME" line each as
 * bpftrace prints them, or JSON objects; nothing without debug info.
 */
static void print_uprobe_args(struct json_w *w, const char *name, struct uprobe_dwarf *cache)
{
	const char *target = strchr(name, ':'), *colon;
	struct bpfkit_dwarf_param *p = NULL;
	size_t n = 0;
	int len;

	colon = target ? strrchr(target + 1, ':') : NULL;
	len = colon ? (int)(colon - target - 1) : 0;
	if (len <= 0 || (size_t)len >= sizeof(cache->path))
		return;
	if (strncmp(cache->path, target + 1, (size_t)len) || cache->path[len]) {
		bpfkit_dwarf__free(cache->d);
		cache->d = NULL;
		snprintf(cache->path, sizeof(cache->path), "%.*s", len, target + 1);
		cache->err = bpfkit_dwarf__open(cache->path, &cache->d);
	}
	if (cache->err || bpfkit_dwarf__params(cache->d, colon + 1, &p, &n))
		return;
	if (w) {
		json_w_key(w, "args");
		json_w_arr_begin(w);
	}
	for (size_t i = 0; i < n; i++) {
		if (!w) {
			printf("    %s %s\n", p[i].type, p[i].name);
			continue;
		}
		json_w_obj_begin(w);
		json_w_key(w, "name");
		json_w_str(w, p[i].name);
		json_w_key(w, "type");
		json_w_str(w, p[i].type);
		json_w_key(w, "size");
		json_w_uint(w, p[i].size);
		json_w_obj_end(w);
	}
	if (w)
		json_w_arr_end(w);
	bpfkit_dwarf_params__free(p, n);
}

/* A USDT argument's type as bpftrace names integer types: "int8", "uint64". */
static const char *usdt_arg_type(const struct bpfkit_usdt_arg *a, char *buf, size_t size)
{
	snprintf(buf, size, "%sint%d", a->is_signed ? "" : "u", 8 * a->size);
	return buf;
}

/* -lv of a USDT site: one line per argument ("    int32 arg0"), or in JSON
 * objects with the spec the note gives. */
static void print_usdt_args(struct json_w *w, const struct bpfkit_usdt_probe *p)
{
	const char *spec = p->args_text;
	char type[16], buf[256];

	if (w) {
		json_w_key(w, "args");
		json_w_arr_begin(w);
	}
	for (size_t i = 0; !p->error && i < p->nargs; i++) {
		size_t n;

		while (*spec == ' ' || *spec == '\t')
			spec++;
		n = strcspn(spec, " \t");
		if (!w) {
			printf("    %s arg%zu\n", usdt_arg_type(&p->args[i], type, sizeof(type)), i);
		} else {
			json_w_obj_begin(w);
			json_w_key(w, "name");
			snprintf(buf, sizeof(buf), "arg%zu", i);
			json_w_str(w, buf);
			json_w_key(w, "type");
			json_w_str(w, usdt_arg_type(&p->args[i], type, sizeof(type)));
			json_w_key(w, "spec");
			snprintf(buf, sizeof(buf), "%.*s", (int)n, spec);
			json_w_str(w, buf);
			json_w_obj_end(w);
		}
		spec += n;
	}
	if (w)
		json_w_arr_end(w);
	else if (p->error)
		printf("    (arguments cannot be read: %s)\n", p->error);
}

static int print_list(const struct bpfkit_probe_list *list, bool verbose, const char *tracefs)
{
	struct json_w *w = NULL;
	struct bpfkit_usdt_list *usdt = NULL;
	char usdt_path[PATH_MAX] = "";
	struct uprobe_dwarf dwarf = { .err = -ENOENT };

	if (cli.json) {
		w = json_w_new(stdout);
		if (!w)
			return cli_fail("out of memory");
		json_w_arr_begin(w);
	}
	for (size_t i = 0; i < list->n; i++) {
		const struct bpfkit_probe *p = &list->probes[i];
		struct bpfkit_tp_format *fmt = NULL;
		const struct bpfkit_usdt_probe *site = NULL;

		if (verbose && p->type == BPFKIT_PROBE_TRACEPOINT)
			fmt = load_format(tracefs, p->target);
		if (verbose && p->type == BPFKIT_PROBE_USDT)
			site = usdt_site(p->name, &usdt, usdt_path, sizeof(usdt_path));
		if (w) {
			json_w_obj_begin(w);
			json_w_key(w, "probe");
			json_w_str(w, p->name);
			json_w_key(w, "type");
			json_w_str(w, bpfkit_probe_type_name(p->type));
			if (fmt) {
				json_w_key(w, "args");
				json_w_arr_begin(w);
				for (size_t j = 0; j < fmt->nfields; j++)
					if (!fmt->fields[j].common)
						json_field(w, &fmt->fields[j]);
				json_w_arr_end(w);
			}
			if (site)
				print_usdt_args(w, site);
			if (verbose && p->type == BPFKIT_PROBE_UPROBE)
				print_uprobe_args(w, p->name, &dwarf);
			json_w_obj_end(w);
		} else {
			puts(p->name);
			for (size_t j = 0; fmt && j < fmt->nfields; j++)
				if (!fmt->fields[j].common)
					printf("    %s\n", fmt->fields[j].decl);
			if (site)
				print_usdt_args(NULL, site);
			if (verbose && p->type == BPFKIT_PROBE_UPROBE)
				print_uprobe_args(NULL, p->name, &dwarf);
		}
		bpfkit_tp_format__free(fmt);
	}
	bpfkit_usdt_list__free(usdt);
	bpfkit_dwarf__free(dwarf.d);
	if (w) {
		json_w_arr_end(w);
		json_w_free(w);
	}
	if (fflush(stdout) || ferror(stdout))
		return cli_fail("cannot write the list: %s", strerror(errno));
	return EXIT_OK;
}

/* tracefs for this run: $BPFKIT_TRACEFS, else found (and mounted when root). */
static const char *pick_tracefs(char *buf, size_t size)
{
	const char *env = getenv("BPFKIT_TRACEFS");

	if (env && *env)
		return env;
	if (bpfkit_tracefs_find(buf, size, BPFKIT_TRACEFS_MOUNT, NULL) == 0)
		return buf;
	return NULL; /* the lister says why when it needs tracefs */
}

/*
 * After -l: each pattern that matched nothing, named on stderr, with why
 * when it could have matched a probe type this kernel lacks (kprobes here).
 * An error (exit 1) when nothing at all matched, else a warning.
 */
static int report_unmatched(const struct trace_args *a, const struct bpfkit_probe_list *list)
{
	for (size_t i = 0; i < list->npatterns && i < (size_t)a->nrest; i++) {
		const struct bpfkit_probe_pattern *p = &list->patterns[i];

		if (p->matched)
			continue;
		if (list->n)
			cli_warn("no probe matches '%s'", a->rest[i]);
		else
			cli_fail("no probe matches '%s'", a->rest[i]);
		if (!p->unavailable)
			continue;
		cli_note("this kernel cannot list or run %s probes: %s", bpfkit_probe_type_name(p->unavailable_type),
			 p->unavailable);
	}
	return a->nrest && !list->n ? EXIT_FAIL : EXIT_OK;
}

/* -p PID: a process that exists. Returns 0 or an exit code. */
static int parse_pid(const char *text, int *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || *end || v <= 0 || v > INT_MAX)
		return cli_usage("-p wants a process id, not '%s'", text);
	if (kill((pid_t)v, 0) < 0 && errno == ESRCH)
		return cli_fail("no process %ld", v);
	*pid = (int)v;
	return 0;
}

/* -l: list, print warnings on stderr, then the probes (with args under -v),
 * then the patterns that matched nothing. */
static int do_list(const struct trace_args *a)
{
	struct bpfkit_probe_opts opts = { 0 };
	struct bpfkit_probe_list *list;
	struct bpfkit_diag d;
	char tracefs[PATH_MAX];
	int rc;

	if (a->cmd)
		return cli_fail("listing the probes of a command (-c with -l) is not implemented yet: "
				"name its file (-l 'uprobe:FILE:*') or run it and give -p PID");
	if (a->pid) {
		rc = parse_pid(a->pid, &opts.pid);
		if (rc)
			return rc;
	}
	opts.tracefs = pick_tracefs(tracefs, sizeof(tracefs));
	list = bpfkit_probes__list((const char *const *)a->rest, (size_t)a->nrest, &opts, &d);
	if (!list)
		return cli_fail("%s", d.msg);
	for (size_t i = 0; i < list->nwarnings; i++)
		cli_warn("%s", list->warnings[i]);
	rc = print_list(list, a->verbose, opts.tracefs);
	rc = rc ? rc : report_unmatched(a, list);
	bpfkit_probe_list__free(list);
	return rc;
}

/* --info: the kernel, its tracefs, and every feature with the reason it is missing. */
static int do_info(void)
{
	char tracefs[PATH_MAX], why[512];
	const char *tfs;
	struct json_w *w = NULL;
	struct utsname u;

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	tfs = pick_tracefs(tracefs, sizeof(tracefs));
	if (cli.json) {
		w = json_w_new(stdout);
		if (!w)
			return cli_fail("out of memory");
		json_w_obj_begin(w);
		json_w_key(w, "kernel");
		json_w_str(w, u.release);
		json_w_key(w, "tracefs");
		if (tfs)
			json_w_str(w, tfs);
		else
			json_w_null(w);
		json_w_key(w, "features");
		json_w_arr_begin(w);
	} else {
		printf("kernel:  %s\ntracefs: %s\nfeatures:\n", u.release, tfs ? tfs : "(none)");
	}
	for (int f = 0; f < BPFKIT_FEATURE__COUNT; f++) {
		int ok = bpfkit_feature_probe((enum bpfkit_feature)f, why, sizeof(why));

		if (w) {
			json_w_obj_begin(w);
			json_w_key(w, "name");
			json_w_str(w, bpfkit_feature_name((enum bpfkit_feature)f));
			json_w_key(w, "available");
			json_w_bool(w, ok == 1);
			if (ok != 1) {
				json_w_key(w, "reason");
				json_w_str(w, why);
			}
			json_w_obj_end(w);
		} else {
			printf("  %-15s %s%s\n", bpfkit_feature_name((enum bpfkit_feature)f), ok == 1 ? "yes" : "no: ",
			       ok == 1 ? "" : why);
		}
	}
	if (w) {
		json_w_arr_end(w);
		json_w_obj_end(w);
		json_w_free(w);
	}
	return EXIT_OK;
}

/* -e PROGRAM or FILE: read it, check -p, and hand over to trace_run(). */
static int do_run(const struct trace_args *a)
{
	struct trace_opts o = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (a->pid) {
		int pid;

		rc = parse_pid(a->pid, &pid);
		if (rc)
			return rc;
		o.pid = (pid_t)pid;
	}
	if (a->expr) {
		o.file = "stdin";
		o.src = a->expr;
		o.len = strlen(a->expr);
		o.params = (const char *const *)a->rest;
		o.nparams = (size_t)a->nrest;
	} else {
		o.params = (const char *const *)a->rest + 1;
		o.nparams = (size_t)a->nrest - 1;
		rc = cli_read_file(a->rest[0], &buf, &len);
		if (rc)
			return cli_fail("cannot read %s: %s", a->rest[0], strerror(-rc));
		o.file = a->rest[0];
		o.src = buf;
		o.len = len;
	}
	o.dry_run = a->dry_run;
	o.verbose = a->verbose;
	o.json = cli.json;
	o.folded = a->folded && !cli.json;
	o.output = a->output;
	o.cmd = a->cmd;
	o.unsafe = a->unsafe;
	o.helper_checks = a->helper_checks;
	o.quiet = a->quiet;
	o.stats = a->stats;
	o.usdt_file_activation = a->usdt_file_activation;
	o.ustack_unwind = a->ustack_unwind;
	o.buffering = a->buffering;
	o.include_dirs = a->incdirs;
	o.ninclude_dirs = a->nincdirs;
	o.include_files = a->incfiles;
	o.ninclude_files = a->nincfiles;
	rc = trace_run(&o);
	free(buf);
	return rc;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_args a = { 0 };
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (a.info)
		return do_info();
	if (a.list)
		return do_list(&a);
	if (a.expr || a.nrest)
		return do_run(&a);
	if (a.pid || a.cmd)
		return cli_usage("-c and -p need a program (-e PROGRAM or FILE)");
	if (cli.json)
		return cli_usage("no program (-e PROGRAM or FILE), -l or --info (try '%s trace help')",
				 cli_progname);
	usage(stderr);
	return EXIT_USAGE;
}
