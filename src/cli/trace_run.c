// SPDX-License-Identifier: MIT
/*
 * bpfkit trace: one run of a program, as bpftrace runs it.
 *
 *   -c CMD: found in PATH and forked, held until attaching (its pid is cpid)
 *   -> compile (src/lang, with the kernel's tracepoints through src/kern/lang_env.c)
 *   -> create maps, load and attach every program (one kern session)
 *   -> "Attaching N probes...", BEGIN (BPF_PROG_TEST_RUN)
 *   -> poll the ring buffer until exit(), a signal, the -c/-p process ends,
 *      or a write to the output fails
 *   -> END, drain, print every map, tear the session down (after a failed
 *      write: only the teardown, then SIGPIPE's death when the reader left).
 *
 * Signals only set a flag; the poll returns -EINTR (or times out) and the
 * loop notices. Every path out of trace_run() after the session exists goes
 * through the one teardown at the end, so no probe outlives the process.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpfkit/sym.h>

#include "cli.h"
#include "cli/trace_int.h"

/* How often the loop looks at -p/-c processes and the flags when nothing arrives. */
#define POLL_MS 100
/* How often the loop reads the lost-records counter. */
#define LOST_MS 1000

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t got_child;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void on_child(int sig)
{
	(void)sig;
	got_child = 1;
}

/*
 * SIGINT/SIGTERM/SIGHUP stop the run; no SA_RESTART, so waits return EINTR.
 * SIGCHLD restarts: the loop notices the -c child with waitpid() anyway, and
 * an interrupted write to a full stdout pipe would lose a buffer of output.
 */
static void install_signals(void)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* ---- compiling ----------------------------------------------------------------------- */

static void print_diags(const struct bpfkit_lang *l)
{
	size_t len;
	const char *src = bpfkit_lang__source(l, &len);

	for (const struct bpfkit_lang_diag *d = bpfkit_lang__diags(l); d; d = d->next)
		cli_print_lang_diag(d, src, len);
}

struct suggest_ctx {
	const char **names;
	size_t n;
};

/*
 * After "tracepoint S:E not found": the closest existing tracepoint names,
 * from the same subsystem when it exists, else from all of them.
 */
static void suggest_tracepoint(const char *missing)
{
	struct bpfkit_probe_list *list;
	struct bpfkit_diag d;
	const char *pat[1];
	const char **names;
	const char *best;
	char buf[300];
	const char *colon = strchr(missing, ':');

	snprintf(buf, sizeof(buf), "tracepoint:%.*s:*", colon ? (int)(colon - missing) : 0, missing);
	pat[0] = buf;
	list = bpfkit_probes__list(pat, 1, NULL, &d);
	if (list && !list->n) {
		bpfkit_probe_list__free(list);
		pat[0] = "tracepoint:*";
		list = bpfkit_probes__list(pat, 1, NULL, &d);
	}
	if (!list)
		return;
	names = calloc(list->n ? list->n : 1, sizeof(*names));
	if (names) {
		for (size_t i = 0; i < list->n; i++)
			names[i] = list->probes[i].target;
		best = bpfkit_lang_suggest(missing, names, list->n);
		if (best)
			cli_note("did you mean 'tracepoint:%s'?", best);
		else if (list->n && colon)
			cli_note("'bpfkit trace -l \"tracepoint:%.*s:*\"' lists that subsystem",
				 (int)(colon - missing), missing);
	}
	free(names);
	bpfkit_probe_list__free(list);
}

/*
 * Whether events go through a perf event array instead of a ring buffer:
 * when the kernel has no ring buffers (before 5.8; asked only as root, since
 * the probe needs the privilege), or when BPFKIT_NO_RINGBUF=1 asks for it
 * (to test the fallback on a newer kernel).
 */
static bool want_perf_events(void)
{
	const char *e = getenv("BPFKIT_NO_RINGBUF");
	char why[256];

	if (e && *e && strcmp(e, "0"))
		return true;
	return geteuid() == 0 && bpfkit_feature_probe(BPFKIT_FEATURE_RINGBUF, why, sizeof(why)) == 0;
}

/* The kernel feature a probe type needs beyond BPF itself, or -1. */
static int probe_feature(enum bpfkit_probe_type t)
{
	switch (t) {
	case BPFKIT_PROBE_KPROBE:
	case BPFKIT_PROBE_KRETPROBE: return BPFKIT_FEATURE_KPROBE;
	case BPFKIT_PROBE_UPROBE:
	case BPFKIT_PROBE_URETPROBE:
	case BPFKIT_PROBE_USDT: return BPFKIT_FEATURE_UPROBE;
	case BPFKIT_PROBE_FENTRY:
	case BPFKIT_PROBE_FEXIT: return BPFKIT_FEATURE_FENTRY;
	case BPFKIT_PROBE_PROFILE:
	case BPFKIT_PROBE_SOFTWARE: return BPFKIT_FEATURE_PERF_EVENT;
	default: return -1;
	}
}

/*
 * After a failed compile: for each probe type the program names whose
 * kernel feature is missing here (kprobes on this kernel, say), a note with
 * the reason, once per feature, so "not yet supported" does not hide that
 * the kernel could not run it either.
 */
static void note_missing_features(const struct bpfkit_ast_program *prog)
{
	bool seen[BPFKIT_FEATURE__COUNT] = { 0 };
	char why[256];

	for (size_t i = 0; i < prog->nprobes; i++)
		for (size_t j = 0; j < prog->probes[i]->nattach; j++) {
			enum bpfkit_probe_type t = prog->probes[i]->attach[j]->type;
			int f = probe_feature(t);

			if (f < 0 || seen[f])
				continue;
			seen[f] = true;
			if (bpfkit_feature_probe((enum bpfkit_feature)f, why, sizeof(why)) == 0)
				cli_note("this kernel cannot run %s probes either: %s", bpfkit_probe_type_name(t), why);
		}
}

/*
 * A BPFTRACE_* size from the environment: 0 and *@p v untouched when it is
 * unset, EXIT_FAIL after bpftrace's message when it is no positive integer.
 */
static int env_size(const char *name, uint64_t *v)
{
	const char *e = getenv(name);
	char *end;
	unsigned long long x;

	if (!e)
		return 0;
	errno = 0;
	x = strtoull(e, &end, 10);
	if (errno || end == e || *end || x == 0 || *e == '-')
		return cli_fail("Env var '%s' did not contain a valid uint64_t, or was zero-valued.", name);
	*v = x;
	return 0;
}

/*
 * How ustack is unwound: --ustack-unwind, else BPFKIT_USTACK_UNWIND, else
 * "fp" (the kernel's frame-pointer walk); "dwarf" copies the registers
 * and stack at each sample for user space to unwind from .eh_frame. That
 * needs bpf_get_current_task_btf() and bpf_task_pt_regs(): Linux 5.15
 * with its BTF (/sys/kernel/btf/vmlinux).
 */
static int ustack_unwind(const struct trace_opts *o, struct bpfkit_lang_env *lenv)
{
	const char *mode = o->ustack_unwind ? o->ustack_unwind : getenv("BPFKIT_USTACK_UNWIND");

	if (!mode || !*mode || !strcmp(mode, "fp"))
		return 0;
	if (strcmp(mode, "dwarf"))
		return cli_fail("%s: unknown ustack unwinding '%s' (fp or dwarf)",
				o->ustack_unwind ? "--ustack-unwind" : "BPFKIT_USTACK_UNWIND", mode);
	if (access("/sys/kernel/btf/vmlinux", R_OK) && !o->dry_run)
		return cli_fail("--ustack-unwind dwarf needs the kernel's BTF (/sys/kernel/btf/vmlinux) for "
				"bpf_get_current_task_btf() and bpf_task_pt_regs() (Linux 5.15 or later): %s",
				strerror(errno));
	lenv->ustack_dwarf = true;
	return 0;
}

/*
 * The sizes bpftrace reads from its environment, with its defaults and
 * messages: BPFTRACE_STRLEN (at most 200), BPFTRACE_MAP_KEYS_MAX (0.17's
 * name) or BPFTRACE_MAX_MAP_KEYS (later bpftrace's), BPFTRACE_PERF_RB_PAGES
 * (the ring buffer gets that many pages, rounded up to a power of two).
 * The map keys size user maps and stack maps (kstack), as in bpftrace 0.17.
 * (BPFTRACE_NO_CPP_DEMANGLE is read in trace_run(): C++ names of user frames.)
 * BPFTRACE_STACK_MODE (later bpftrace's): how kstack and ustack print
 * when the script gives no mode, bpftrace, perf or raw.
 */
static int env_sizes(struct bpfkit_lang_env *lenv)
{
	uint64_t strlen_ = BPFKIT_LANG_STRLEN, keys = BPFKIT_LANG_MAP_KEYS, pages = 0;
	long page = sysconf(_SC_PAGESIZE);
	const char *mode;

	if (env_size("BPFTRACE_STRLEN", &strlen_) || env_size("BPFTRACE_MAX_MAP_KEYS", &keys) ||
	    env_size("BPFTRACE_MAP_KEYS_MAX", &keys) || env_size("BPFTRACE_PERF_RB_PAGES", &pages))
		return EXIT_FAIL;
	if (strlen_ > 200) {
		cli_fail("'BPFTRACE_STRLEN' %llu exceeds the current maximum of 200 bytes.", (unsigned long long)strlen_);
		cli_note("strings are stored on the 512-byte BPF stack");
		return EXIT_FAIL;
	}
	if (keys > UINT32_MAX)
		return cli_fail("BPFTRACE_MAP_KEYS_MAX %llu is more than a map can hold", (unsigned long long)keys);
	if ((mode = getenv("BPFTRACE_STACK_MODE"))) {
		if (!strcmp(mode, "bpftrace"))
			lenv->stack_mode = BPFKIT_OUT_STACK_BPFTRACE;
		else if (!strcmp(mode, "perf"))
			lenv->stack_mode = BPFKIT_OUT_STACK_PERF;
		else if (!strcmp(mode, "raw"))
			lenv->stack_mode = BPFKIT_OUT_STACK_RAW;
		else
			return cli_fail("Env var 'BPFTRACE_STACK_MODE' has an invalid value: '%s' (bpftrace, perf or raw)",
					mode);
	}
	lenv->str_size = (uint32_t)strlen_;
	lenv->map_keys = (uint32_t)keys;
	lenv->stack_entries = (uint32_t)keys; /* bpftrace 0.17 sizes its stack maps so too */
	if (pages) {
		uint64_t bytes = page > 0 ? (uint64_t)page : 4096;

		while (bytes < pages * (uint64_t)(page > 0 ? page : 4096) && bytes < (1ull << 30))
			bytes <<= 1;
		if (pages > (1ull << 30) / 4096)
			return cli_fail("BPFTRACE_PERF_RB_PAGES %llu is too large (at most 1 GiB of ring buffer)",
					(unsigned long long)pages);
		lenv->ringbuf_size = (uint32_t)bytes;
	}
	return 0;
}

/*
 * --include FILE: as '#include <FILE>' before the script (bpftrace hands
 * it to clang's -include). -I DIR: bpfkit reads no header (it has no C
 * compiler: only the constants of the few headers bpfkit-lang(7) lists are
 * known), so a header of the script found in a -I directory gets a warning
 * that says so, rather than being silently ignored.
 */
static int add_includes(const struct trace_opts *o, struct bpfkit_lang *l, struct bpfkit_ast_program *prog)
{
	size_t n = prog->ndirectives + o->ninclude_files;
	struct bpfkit_ast_directive **d;

	if (o->ninclude_files) {
		d = bpfkit_lang__alloc(l, n * sizeof(*d));
		if (!d)
			return cli_fail("out of memory");
		for (size_t i = 0; i < o->ninclude_files; i++) {
			size_t len = strlen(o->include_files[i]) + 3;
			char *name = bpfkit_lang__alloc(l, len);

			d[i] = bpfkit_lang__alloc(l, sizeof(*d[i]));
			if (!name || !d[i])
				return cli_fail("out of memory");
			snprintf(name, len, "<%s>", o->include_files[i]);
			d[i]->kind = BPFKIT_DIRECTIVE_INCLUDE;
			d[i]->word = "include";
			d[i]->name = d[i]->text = name;
		}
		if (prog->ndirectives)
			memcpy(d + o->ninclude_files, prog->directives, prog->ndirectives * sizeof(*d));
		prog->directives = d;
		prog->ndirectives = n;
	}
	for (size_t i = 0; i < o->ninclude_dirs; i++) {
		struct stat st;

		if (stat(o->include_dirs[i], &st) || !S_ISDIR(st.st_mode))
			cli_warn("-I %s: not a directory", o->include_dirs[i]);
	}
	for (size_t i = 0; i < prog->ndirectives; i++) {
		const struct bpfkit_ast_directive *dir = prog->directives[i];
		char path[PATH_MAX];

		if (dir->kind != BPFKIT_DIRECTIVE_INCLUDE || !dir->name || strlen(dir->name) < 3)
			continue;
		for (size_t k = 0; k < o->ninclude_dirs; k++) {
			snprintf(path, sizeof(path), "%s/%.*s", o->include_dirs[k], (int)strlen(dir->name) - 2,
				 dir->name + 1);
			if (access(path, R_OK) == 0) {
				cli_warn("%s is not read: bpfkit parses no C headers (it has no clang); define the "
					 "structs the script uses in the script itself", path);
				break;
			}
		}
	}
	return 0;
}

/* Parse and compile (@p cpid: the -c command's pid, or -1); on errors print
 * them (exit 1). Returns 0 or an exit code. */
static int compile(const struct trace_opts *o, pid_t cpid, struct bpfkit_lang **lp, struct bpfkit_compiled **out)
{
	struct bpfkit_kern_lang_env *env;
	struct bpfkit_lang_env lenv;
	struct bpfkit_ast_program *prog;
	const char *tfs = getenv("BPFKIT_TRACEFS");
	struct bpfkit_lang *l;
	int err;

	*out = NULL;
	*lp = l = bpfkit_lang__new(o->file, o->src, o->len);
	if (!l)
		return cli_fail("out of memory");
	err = bpfkit_lang__parse(l, &prog);
	if (err) {
		print_diags(l);
		return err == -ENOMEM ? cli_fail("out of memory") : EXIT_FAIL;
	}
	err = add_includes(o, l, prog);
	if (err)
		return err;
	env = bpfkit_kern_lang_env__new(tfs && *tfs ? tfs : NULL);
	if (!env)
		return cli_fail("out of memory");
	bpfkit_kern_lang_env__set_pid(env, o->pid);
	lenv = *bpfkit_kern_lang_env__env(env);
	err = env_sizes(&lenv);
	if (err) {
		bpfkit_kern_lang_env__free(env);
		return err;
	}
	err = ustack_unwind(o, &lenv);
	if (err) {
		bpfkit_kern_lang_env__free(env);
		return err;
	}
	lenv.params = o->params;
	lenv.nparams = o->nparams;
	lenv.unsafe = o->unsafe;
	lenv.helper_checks = o->helper_checks;
	lenv.cpid = cpid > 0 ? (uint32_t)cpid : 0;
	lenv.perf_events = want_perf_events();
	err = bpfkit_lang__compile(l, prog, &lenv, out);
	if (err)
		print_diags(l);
	else if (bpfkit_lang__diags(l))
		print_diags(l); /* warnings */
	if (err && bpfkit_kern_lang_env__missing(env))
		suggest_tracepoint(bpfkit_kern_lang_env__missing(env));
	if (err && err != -ENOMEM)
		note_missing_features(prog);
	for (const struct bpfkit_lang_diag *dg = bpfkit_lang__diags(l); err && dg; dg = dg->next)
		if (strstr(dg->msg, "Permission denied")) {
			char why[PATH_MAX + 512];

			if (bpfkit_kern_missing_privileges(BPFKIT_PRIV_BPF | BPFKIT_PRIV_TRACEFS, tfs && *tfs ? tfs : NULL,
							   why, sizeof(why)) == 1)
				cli_note("%s", why);
			cli_note("running needs root, or CAP_BPF, CAP_PERFMON and (for tracepoints) "
				 "CAP_DAC_READ_SEARCH; -d needs only tracefs");
			break;
		}
	bpfkit_kern_lang_env__free(env);
	if (err == -ENOMEM)
		return cli_fail("out of memory");
	return err ? EXIT_FAIL : 0;
}

/* ---- -d: the compiled output --------------------------------------------------------- */

static void src_line(const char *src, size_t len, int line, char *buf, size_t size)
{
	const char *p = src, *end = src + len, *nl;

	for (int i = 1; i < line && p < end; i++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	snprintf(buf, size, "%.*s", (int)((nl ? nl : end) - p), p);
}

static void dump_vtype(FILE *f, const struct bpfkit_lang_vtype *t)
{
	if (!t) {
		fputs("none", f);
		return;
	}
	switch (t->kind) {
	case BPFKIT_LANG_V_INT: fprintf(f, "%c%u", t->is_signed ? 's' : 'u', t->size * 8); break;
	case BPFKIT_LANG_V_STR: fprintf(f, "string[%u]", t->size); break;
	case BPFKIT_LANG_V_TIMESTAMP: fputs("timestamp", f); break;
	case BPFKIT_LANG_V_PROBE: fputs("probe", f); break;
	case BPFKIT_LANG_V_KSYM: fputs("ksym", f); break;
	case BPFKIT_LANG_V_USYM: fputs("usym", f); break;
	case BPFKIT_LANG_V_STACK:
		fprintf(f, "%cstack(%s, %u)", t->stack_user ? 'u' : 'k',
			t->stack_mode == BPFKIT_OUT_STACK_PERF  ? "perf"
			: t->stack_mode == BPFKIT_OUT_STACK_RAW ? "raw"
								: "bpftrace",
			t->stack_depth);
		break;
	case BPFKIT_LANG_V_INET: fputs("inet", f); break;
	case BPFKIT_LANG_V_MAC: fputs("mac_address", f); break;
	case BPFKIT_LANG_V_ERRNO: fputs("strerror", f); break;
	case BPFKIT_LANG_V_USER: fputs("username", f); break;
	case BPFKIT_LANG_V_BUF: fprintf(f, "buffer[%u]", t->size - 8); break;
	case BPFKIT_LANG_V_ARRAY: fprintf(f, "uint8[%u]", t->size); break;
	case BPFKIT_LANG_V_TUPLE:
		fputc('(', f);
		for (size_t i = 0; i < t->nelems; i++) {
			fprintf(f, "%s@%u:", i ? ", " : "", t->elems[i].offset);
			dump_vtype(f, t->elems[i].type);
		}
		fputc(')', f);
		break;
	}
}

/* Maps, events, the names of probe ids, then each program in the kernel
 * dialect with "; LINE: source" lines. */
static int dump_compiled(const struct trace_opts *o, const struct bpfkit_compiled *c, FILE *f)
{
	static const char *const aggs[] = { "none", "plain", "count", "sum", "min", "max",
					    "avg",  "stats", "hist",  "lhist" };
	char buf[256], line[512];

	for (size_t i = 0; i < c->nmaps; i++) {
		const struct bpfkit_lang_map *m = &c->maps[i];

		fprintf(f, "map %s %s key_size=%u value_size=%u max_entries=%u agg=%s key=", m->name,
			bpfkit_lang_map_kind_name(m->kind), m->key_size, m->value_size, m->max_entries,
			(unsigned)m->agg < 10 ? aggs[m->agg] : "?");
		dump_vtype(f, m->key);
		fputs(" value=", f);
		dump_vtype(f, m->value);
		if (m->agg == BPFKIT_LANG_AGG_LHIST)
			fprintf(f, " lhist=%lld,%lld,%lld", (long long)m->lmin, (long long)m->lmax, (long long)m->lstep);
		fputc('\n', f);
	}
	for (size_t i = 0; i < c->nevents; i++) {
		const struct bpfkit_lang_event *e = &c->events[i];

		fprintf(f, "event %zu %s size=%u line=%d", i, bpfkit_lang_event_kind_name(e->kind), e->size,
			e->line);
		if (e->kind == BPFKIT_LANG_EV_HELPER_ERROR)
			fprintf(f, " col=%d len=%d", e->col, e->len);
		if (e->fmt) {
			fputs(" fmt=", f);
			json_fputs_escaped(f, e->fmt);
		}
		if (e->map)
			fprintf(f, " map=%s top=%u div=%u", e->map, e->top, e->div);
		for (size_t k = 0; k < e->nargs; k++) {
			fprintf(f, " %u:", e->args[k].offset);
			dump_vtype(f, e->args[k].type);
		}
		fputc('\n', f);
	}
	for (size_t i = 0; i < c->nprobe_names; i++)
		fprintf(f, "probe %zu %s\n", i, c->probe_names[i]);
	for (size_t i = 0; i < c->nprogs; i++) {
		const struct bpfkit_lang_prog *p = &c->progs[i];
		int last = -1;

		fprintf(f, "\nprog %s type=%s target=\"%s\"", p->name, bpfkit_probe_type_name(p->type), p->target);
		if (p->period_ns)
			fprintf(f, " period_ns=%llu", (unsigned long long)p->period_ns);
		if (p->sample_period || p->sample_freq)
			fprintf(f, " perf=%u:%llu %s=%llu", p->perf_type, (unsigned long long)p->perf_config,
				p->sample_freq ? "freq" : "period",
				(unsigned long long)(p->sample_freq ? p->sample_freq : p->sample_period));
		if (p->offset)
			fprintf(f, " offset=%#llx", (unsigned long long)p->offset);
		fprintf(f, " insns=%zu\n", p->prog->len);
		for (size_t k = 0; k < p->prog->len;) {
			int w = bpfkit_disasm_insn(p->prog->insns + k, p->prog->len - k, BPFKIT_DIALECT_KERN, buf,
						   sizeof(buf));

			if (p->prog->lines && p->prog->lines[k] != last) {
				last = p->prog->lines[k];
				src_line(o->src, o->len, last, line, sizeof(line));
				fprintf(f, "; %d: %s\n", last, line);
			}
			if (w <= 0) {
				snprintf(buf, sizeof(buf), ".8byte (undecodable)");
				w = 1;
			}
			for (size_t r = 0; r < p->prog->nrelocs; r++)
				if (p->prog->relocs[r].insn == k)
					snprintf(buf, sizeof(buf), "r%d = map[%s] ll", p->prog->insns[k].dst,
						 p->prog->relocs[r].name);
			fprintf(f, "%4zu: %s\n", k, buf);
			k += (size_t)w;
		}
	}
	return fflush(f) || ferror(f) ? cli_fail("cannot write: %s", strerror(errno)) : EXIT_OK;
}

/* ---- loading ---------------------------------------------------------------------------- */

/* The loader's specs for the compiled maps and programs (uprobes only in
 * process @p pid when it is > 0: -p; USDT probes too, and with -c only in
 * the child @p child, as bpftrace attaches them, unless
 * @p usdt_file_activation asks for every process that maps the file, so
 * that the kernel counts their semaphores up). Returns 0 or an exit code. */
static int make_specs(const struct bpfkit_compiled *c, pid_t pid, pid_t child, bool usdt_file_activation,
		      struct bpfkit_kern_map_spec **mapsp, struct bpfkit_kern_prog_spec **progsp)
{
	struct bpfkit_kern_map_spec *maps = calloc(c->nmaps ? c->nmaps : 1, sizeof(*maps));
	struct bpfkit_kern_prog_spec *progs = calloc(c->nprogs ? c->nprogs : 1, sizeof(*progs));

	*mapsp = maps;
	*progsp = progs;
	if (!maps || !progs)
		return cli_fail("out of memory");
	for (size_t i = 0; i < c->nmaps; i++) {
		const struct bpfkit_lang_map *m = &c->maps[i];

		maps[i].name = m->name;
		maps[i].key_size = m->key_size;
		maps[i].value_size = m->value_size;
		maps[i].max_entries = m->max_entries;
		switch (m->kind) {
		case BPFKIT_LANG_MAP_HASH: maps[i].type = BPFKIT_KERN_MAP_HASH; break;
		case BPFKIT_LANG_MAP_PERCPU_HASH: maps[i].type = BPFKIT_KERN_MAP_PERCPU_HASH; break;
		case BPFKIT_LANG_MAP_ARRAY: maps[i].type = BPFKIT_KERN_MAP_ARRAY; break;
		case BPFKIT_LANG_MAP_PERCPU_ARRAY: maps[i].type = BPFKIT_KERN_MAP_PERCPU_ARRAY; break;
		case BPFKIT_LANG_MAP_RINGBUF: maps[i].type = BPFKIT_KERN_MAP_RINGBUF; break;
		case BPFKIT_LANG_MAP_PERF_EVENT_ARRAY: maps[i].type = BPFKIT_KERN_MAP_PERF_EVENT_ARRAY; break;
		case BPFKIT_LANG_MAP_STACK_TRACE: maps[i].type = BPFKIT_KERN_MAP_STACK_TRACE; break;
		default: return cli_fail("map %s: unknown kind %d", m->name, (int)m->kind);
		}
	}
	for (size_t i = 0; i < c->nprogs; i++) {
		const struct bpfkit_lang_prog *p = &c->progs[i];

		progs[i].prog = p->prog;
		progs[i].target = p->target;
		switch (p->type) {
		case BPFKIT_PROBE_BEGIN:
		case BPFKIT_PROBE_END: progs[i].attach = BPFKIT_KERN_ATTACH_TEST_RUN; break;
		case BPFKIT_PROBE_TRACEPOINT: progs[i].attach = BPFKIT_KERN_ATTACH_TRACEPOINT; break;
		case BPFKIT_PROBE_RAWTRACEPOINT: progs[i].attach = BPFKIT_KERN_ATTACH_RAW_TRACEPOINT; break;
		case BPFKIT_PROBE_INTERVAL:
			progs[i].attach = BPFKIT_KERN_ATTACH_PERF_EVENT;
			progs[i].perf_type = PERF_TYPE_SOFTWARE;
			progs[i].perf_config = PERF_COUNT_SW_CPU_CLOCK;
			progs[i].sample_period = p->period_ns ? p->period_ns : 1000000000ull;
			/* once per period in all, as bpftrace (which opens it on CPU 0 only) */
			progs[i].one_cpu = true;
			progs[i].cpu = 0;
			break;
		case BPFKIT_PROBE_PROFILE:
		case BPFKIT_PROBE_SOFTWARE:
		case BPFKIT_PROBE_HARDWARE: /* one event on every online CPU */
			progs[i].attach = BPFKIT_KERN_ATTACH_PERF_EVENT;
			progs[i].perf_type = p->perf_type;
			progs[i].perf_config = p->perf_config;
			progs[i].sample_period = p->sample_period;
			progs[i].sample_freq = p->sample_freq;
			break;
		case BPFKIT_PROBE_KPROBE:
		case BPFKIT_PROBE_KRETPROBE:
		case BPFKIT_PROBE_UPROBE:
		case BPFKIT_PROBE_URETPROBE:
			progs[i].attach = p->type == BPFKIT_PROBE_KPROBE	 ? BPFKIT_KERN_ATTACH_KPROBE
					  : p->type == BPFKIT_PROBE_KRETPROBE ? BPFKIT_KERN_ATTACH_KRETPROBE
					  : p->type == BPFKIT_PROBE_UPROBE	 ? BPFKIT_KERN_ATTACH_UPROBE
									 : BPFKIT_KERN_ATTACH_URETPROBE;
			progs[i].offset = p->offset;
			progs[i].pid = pid > 0 ? pid : 0;
			break;
		case BPFKIT_PROBE_USDT: /* a uprobe at the site, counting its semaphore */
			progs[i].attach = BPFKIT_KERN_ATTACH_UPROBE;
			progs[i].offset = p->offset;
			progs[i].ref_ctr_offset = p->ref_ctr_offset;
			progs[i].pid = usdt_file_activation ? 0 : pid > 0 ? pid : child > 0 ? child : 0;
			break;
		default:
			return cli_fail("%s: %s probes are not yet supported by bpfkit", p->name,
					bpfkit_probe_type_name(p->type));
		}
	}
	return 0;
}

/* Is this a log line worth showing as the verifier's reason? */
static bool log_line_useful(const char *s, size_t n)
{
	if (!n)
		return false;
	return !(n >= 9 && !strncmp(s, "processed", 9)) && !(n >= 17 && !strncmp(s, "verification time", 17)) &&
	       !(n >= 10 && !strncmp(s, "stack depth", 11));
}

/* In JSON mode, the verifier log is a note of the error: {"note":TITLE,"log":TEXT}. */
static void json_vlog(const char *title, const char *text)
{
	FILE *f = cli_json_stream("note");

	fputs("{\"note\":", f);
	json_fputs_escaped(f, title);
	fputs(",\"log\":", f);
	json_fputs_escaped(f, text);
	fputs("}\n", f);
}

/*
 * A rejected program: the loader's message, the script line the failing
 * instruction came from (with a caret), and the last lines of the log (the
 * whole log with -v).
 */
static void report_verifier(const struct trace_opts *o, const struct bpfkit_compiled *c,
			    const struct bpfkit_kern_verifier_log *vlog, const struct bpfkit_diag *d)
{
	const struct bpfkit_prog *p = vlog->prog >= 0 && (size_t)vlog->prog < c->nprogs ? c->progs[vlog->prog].prog
											   : NULL;
	long insn = vlog->insn >= 0 ? vlog->insn : d->insn;

	cli_fail("%s", d->msg);
	if (p && p->lines && insn >= 0 && (size_t)insn < p->len && p->lines[insn] > 0) {
		struct bpfkit_lang_diag ld = { .severity = BPFKIT_LANG_NOTE, .file = o->file };
		char msg[128], line[512];
		int col = 1;

		src_line(o->src, o->len, p->lines[insn], line, sizeof(line));
		while (line[col - 1] == ' ' || line[col - 1] == '\t')
			col++;
		snprintf(msg, sizeof(msg), "instruction %ld of %s comes from this line", insn, c->progs[vlog->prog].name);
		ld.loc.line = p->lines[insn];
		ld.loc.col = col;
		ld.loc.len = (int)strlen(line) - col + 1;
		ld.msg = msg;
		cli_print_lang_diag(&ld, o->src, o->len);
	}
	if (!vlog->text)
		return;
	if (o->verbose && cli.json) {
		json_vlog("verifier log", vlog->text);
		return;
	}
	if (o->verbose) {
		fprintf(stderr, "verifier log:\n%s\n", vlog->text);
		return;
	}
	/* the last few useful lines */
	{
		const char *starts[6];
		size_t lens[6], k = 0;
		const char *end = vlog->text + strlen(vlog->text);

		while (end > vlog->text && k < 6) {
			const char *e = end, *s;

			while (e > vlog->text && e[-1] == '\n')
				e--;
			s = e;
			while (s > vlog->text && s[-1] != '\n')
				s--;
			if (s == e && s == vlog->text)
				break;
			if (log_line_useful(s, (size_t)(e - s))) {
				starts[k] = s;
				lens[k++] = (size_t)(e - s);
			}
			end = s;
		}
		if (k && cli.json) {
			char tail[6 * 512];
			size_t n = 0;

			while (k--)
				n += (size_t)snprintf(tail + n, sizeof(tail) - n, "%.*s%s",
						      lens[k] < 500 ? (int)lens[k] : 500, starts[k], k ? "\n" : "");
			json_vlog("verifier log (last lines; -v shows all)", tail);
			return;
		}
		if (k)
			fprintf(stderr, "verifier log (last lines; -v shows all):\n");
		while (k--)
			fprintf(stderr, "  %.*s\n", (int)lens[k], starts[k]);
	}
}

/* ---- -c CMD ----------------------------------------------------------------------------- */

/* Whether @p path is a file this process may execute; else errno says why. */
static bool can_exec(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return false;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EACCES;
		return false;
	}
	return faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) == 0;
}

/*
 * -c CMD: split CMD at blanks into *argvp (no shell, as bpftrace does; the
 * words are in *wordsp, for the caller to free with *argvp) and
 * find the program as execvp() would (in PATH unless the name holds a '/')
 * into @p path, so that a command that cannot run is refused before anything
 * is compiled, loaded or attached. Returns 0 or an exit code after the message.
 */
static int resolve_cmd(const char *cmd, char ***argvp, char **wordsp, char *path, size_t size)
{
	char *copy = strdup(cmd), **argv, *save = NULL, *dirs, *dir, *psave = NULL;
	const char *env = getenv("PATH");
	size_t n = 0, words = 1;
	int denied = 0;

	for (const char *c = cmd; *c; c++)
		words += *c == ' ' || *c == '\t';
	argv = calloc(words + 1, sizeof(*argv));
	if (!copy || !argv) {
		free(copy);
		free(argv);
		return cli_fail("out of memory");
	}
	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	*argvp = argv;
	*wordsp = copy;
	if (!n)
		return cli_usage("-c wants a command to run");
	if (strchr(argv[0], '/')) {
		if (snprintf(path, size, "%s", argv[0]) >= (int)size)
			return cli_fail("cannot run '%s': %s", argv[0], strerror(ENAMETOOLONG));
		if (!can_exec(path))
			return cli_fail("cannot run '%s': %s", argv[0], strerror(errno));
		return 0;
	}
	dirs = strdup(env && *env ? env : "/usr/local/bin:/usr/bin:/bin");
	for (dir = dirs ? strtok_r(dirs, ":", &psave) : NULL; dir; dir = strtok_r(NULL, ":", &psave)) {
		if (snprintf(path, size, "%s/%s", dir, argv[0]) >= (int)size)
			continue;
		if (can_exec(path)) {
			free(dirs);
			return 0;
		}
		if (!denied && (errno == EACCES || errno == EISDIR))
			denied = errno;
	}
	free(dirs);
	if (denied)
		return cli_fail("cannot run '%s': %s (found in PATH, but not an executable file)", argv[0],
				strerror(denied));
	return cli_fail("cannot run '%s': command not found", argv[0]);
}

/*
 * Fork the -c command @p path with @p argv (resolve_cmd()), stopped on a
 * pipe until release_child(): it execs only once every probe is attached,
 * and its pid is known before compiling (cpid), as in bpftrace. Returns the
 * pid or -1.
 */
static pid_t spawn_child(const char *path, char **argv, int *go_fd)
{
	int pfd[2];
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		char c;

		close(pfd[1]);
		signal(SIGINT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL); /* an ignored signal stays ignored across exec */
		if (read(pfd[0], &c, 1) != 1)
			_exit(127); /* the tracer went away before attaching */
		execv(path, argv);
		fprintf(stderr, "%s: cannot run '%s': %s\n", cli_progname, argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[0]);
	*go_fd = pfd[1];
	return pid;
}

static void release_child(int *go_fd)
{
	if (*go_fd >= 0) {
		if (write(*go_fd, "g", 1) != 1) {
			/* the child is gone; the loop sees it exit */
		}
		close(*go_fd);
		*go_fd = -1;
	}
}

/* ---- the run ----------------------------------------------------------------------------- */

/* Run every BEGIN (or END) program, in script order. */
/* `elapsed` counts from here: the start time (CLOCK_MONOTONIC, the clock of
 * bpf_ktime_get_ns) into BPFKIT_LANG_START_MAP, before BEGIN runs. */
static int set_start_time(struct trace_ctx *t)
{
	int m = bpfkit_kern_map__find(t->s, BPFKIT_LANG_START_MAP), err;
	struct timespec ts;
	uint32_t key = 0;
	uint64_t ns;

	if (m < 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	err = bpfkit_kern_map__update(t->s, (size_t)m, &key, &ns, 0);
	if (err)
		return cli_fail("cannot write the start time for elapsed: %s", strerror(-err));
	return 0;
}

static void run_special(struct trace_ctx *t, enum bpfkit_probe_type type)
{
	for (size_t i = 0; i < t->c->nprogs; i++) {
		struct bpfkit_diag d = { 0 };

		if (t->c->progs[i].type != type)
			continue;
		if (bpfkit_kern_session__run(t->s, i, NULL, &d))
			cli_warn("%s: %s", t->c->progs[i].name, d.msg);
	}
}

/*
 * Flush the output; -EIO once a write has failed, its errno kept in
 * t->write_err. The run stops at the first failed write, as bpftrace does
 * (`| head -2`, a full disk), instead of tracing on for nobody.
 */
static int flush_out(struct trace_ctx *t)
{
	if (!t->write_err && (fflush(t->out.f) || ferror(t->out.f)))
		t->write_err = errno ? errno : EIO;
	return t->write_err ? -EIO : 0;
}

/* Hand waiting records to the callback; without a ring buffer, just wait.
 * -EIO when the output failed. */
static int poll_once(struct trace_ctx *t, int timeout_ms)
{
	int n;

	if (!t->c->events_map) {
		if (timeout_ms)
			poll(NULL, 0, timeout_ms);
		return flush_out(t);
	}
	n = bpfkit_kern_session__poll(t->s, timeout_ms, trace_on_record, t);
	return flush_out(t) ? -EIO : n;
}

/*
 * Whether the -c child or the -p process has ended (reaping the child). A
 * pidfd turns readable when the process exits, zombie or not; kill(pid, 0)
 * is the fallback for kernels without pidfd_open (it misses zombies).
 */
static bool target_gone(pid_t child, pid_t pid, int pidfd, int *child_status)
{
	if (child > 0) {
		pid_t r = waitpid(child, child_status, WNOHANG);

		if (r == child || (r < 0 && errno == ECHILD))
			return true;
	}
	if (pid > 0 && pidfd >= 0) {
		struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

		return poll(&pfd, 1, 0) > 0;
	}
	if (pid > 0 && kill(pid, 0) < 0 && errno == ESRCH)
		return true;
	return false;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * "Lost N events" for the records the programs could not write since the
 * last report (the per-CPU counter the compiler keeps, see
 * BPFKIT_LANG_LOST_MAP), as bpftrace reports them while it runs.
 */
static void report_lost(struct trace_ctx *t, uint64_t *reported)
{
	uint64_t lost;

	if (!t->c->events_map)
		return;
	lost = bpfkit_kern_session__lost(t->s);
	if (lost > *reported) {
		bpfkit_out__lost(&t->out, lost - *reported);
		flush_out(t);
		*reported = lost;
	}
}

/* max_entries of the script's first stack map (they all have the same). */
static uint32_t stack_map_entries(const struct trace_ctx *t)
{
	for (size_t i = 0; i < t->c->nmaps; i++)
		if (t->c->maps[i].kind == BPFKIT_LANG_MAP_STACK_TRACE)
			return t->c->maps[i].max_entries;
	return BPFKIT_LANG_STACK_ENTRIES;
}

/*
 * Stacks that bpf_get_stackid() could not store (its stack map full, or a
 * hash bucket taken: the compiler counts them in BPFKIT_LANG_STACK_LOST_MAP):
 * they printed as empty stacks, and the warning says why and how many.
 */
static void report_stacks_lost(struct trace_ctx *t)
{
	int i = bpfkit_kern_map__find(t->s, BPFKIT_LANG_STACK_LOST_MAP);
	uint32_t key = 0;
	uint64_t n = 0;

	if (i < 0 || bpfkit_kern_map__lookup_sum_u64(t->s, (size_t)i, &key, &n, 1) || !n)
		return;
	cli_warn("%llu stack%s could not be recorded: the stack map, of %u stacks (BPFTRACE_MAP_KEYS_MAX), "
		 "was full or a hash bucket of it taken; they print as empty stacks",
		 (unsigned long long)n, n == 1 ? "" : "s", stack_map_entries(t));
}

/* The loop between BEGIN and END, until exit(), a signal, the end of the
 * -c/-p process or a failed write (t->write_err). Lost records are reported
 * about once a second (*lost_reported so far). */
static void main_loop(struct trace_ctx *t, pid_t child, pid_t pid, bool *child_done, int *child_status,
		     uint64_t *lost_reported)
{
	int n = 0, pidfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	uint64_t next_lost = now_ms() + LOST_MS;

	while (!got_signal && !t->exit_seen && !t->write_err) {
		if ((child > 0 || pid > 0) && target_gone(child, pid, pidfd, child_status)) {
			*child_done = child > 0;
			break;
		}
		if (now_ms() >= next_lost) {
			report_lost(t, lost_reported);
			next_lost = now_ms() + LOST_MS;
		}
		n = poll_once(t, POLL_MS);
		bpfkit_usyms__tick(t->usyms); /* processes first seen 50 ms or 1 s ago: their mappings again */
		if (n == -EIO || (n < 0 && n != -EINTR)) {
			if (n != -EIO)
				cli_warn("reading the ring buffer: %s", strerror(-n));
			break;
		}
	}
	if (pidfd >= 0)
		close(pidfd);
}

/* With -v, libbpf's warnings go to stderr; otherwise the kern layer drops them. */
static void libbpf_log(void *ctx, const char *level, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "libbpf %s: %s\n", level, msg);
}

/*
 * BPFKIT_SYSCALL_DISPATCH: the fewest syscalls:sys_enter_* (sys_exit_*)
 * probes that go through one dispatcher on raw_syscalls (default 8), or 0
 * for never (each probe its own perf event, as bpftrace). See docs/kern.md.
 */
static int syscall_dispatch_min(void)
{
	const char *e = getenv("BPFKIT_SYSCALL_DISPATCH");
	char *end;
	long v;

	if (!e || !*e)
		return 0;
	v = strtol(e, &end, 10);
	if (*end || v < 0 || v > INT_MAX) {
		cli_warn("BPFKIT_SYSCALL_DISPATCH=%s is not a number; using the default", e);
		return 0;
	}
	return v ? (int)v : -1;
}

/* -v: how the syscall probes were attached, on stderr. */
static void report_dispatch(const struct bpfkit_kern_session *s)
{
	struct bpfkit_kern_dispatch_info info;

	bpfkit_kern_session__dispatch_info(s, &info);
	if (info.probes)
		fprintf(stderr, "%s: %zu syscall probes attached through %zu dispatcher%s on raw_syscalls\n",
			cli_progname, info.probes, info.dispatchers, info.dispatchers == 1 ? "" : "s");
	if (info.note)
		fprintf(stderr, "%s: syscall probes attached one by one: %s\n", cli_progname, info.note);
}

/* -v: the tracepoint probes the compiler made raw tracepoints, on stderr. */
static void report_raw(const struct bpfkit_compiled *c)
{
	for (size_t i = 0; i < c->nprogs; i++)
		if (c->progs[i].type == BPFKIT_PROBE_RAWTRACEPOINT && !strncmp(c->progs[i].name, "tracepoint:", 11))
			fprintf(stderr, "%s: %s attached as raw tracepoint %s (the same events, without the perf "
					"tracepoint's cost)\n", cli_progname, c->progs[i].name, c->progs[i].target);
}

/*
 * BPFTRACE_MAX_PROBES: bpftrace's limit and words, when it is set. Unset,
 * there is none: bpftrace's default of 512 guards against attaching that
 * many programs, and bpfkit attaches syscalls:* probes (1080 for both
 * sys_enter_* and sys_exit_*) through a few dispatchers.
 */
static int check_max_probes(const struct bpfkit_compiled *c)
{
	uint64_t max = UINT64_MAX;

	if (env_size("BPFTRACE_MAX_PROBES", &max))
		return EXIT_FAIL;
	if (c->nprogs <= max)
		return 0;
	cli_fail("Can't attach to %zu probes because it exceeds the current limit of %llu probes.", c->nprogs,
		 (unsigned long long)max);
	cli_note("You can increase the limit through the BPFTRACE_MAX_PROBES environment variable, but BE "
		 "CAREFUL since a high number of probes attached can cause your system to crash.");
	return EXIT_FAIL;
}

/*
 * --stats: what the kernel measured of each attached program while it ran
 * (BPF_ENABLE_STATS), on stderr after the maps. BEGIN and END run through
 * BPF_PROG_TEST_RUN, not on events, so they are left out. The ns per run
 * include the kernel's two clock reads around each run (an empty program's
 * figure); programs reached through the syscall dispatcher are tail calls,
 * which the kernel times as part of the dispatcher.
 */
static void report_stats(const struct trace_ctx *t)
{
	const struct bpfkit_compiled *c = t->c;
	size_t dispatched = 0;

	fprintf(stderr, "\n%-48s %12s %10s %7s\n", "PROGRAM", "RUNS", "NS/RUN", "INSNS");
	for (size_t i = 0; i < c->nprogs; i++) {
		struct bpfkit_kern_prog_stats st;

		if (c->progs[i].type == BPFKIT_PROBE_BEGIN || c->progs[i].type == BPFKIT_PROBE_END)
			continue;
		if (bpfkit_kern_session__prog_stats(t->s, i, &st))
			continue;
		if (st.dispatched) {
			fprintf(stderr, "%-48s %12s %10s %7u\n", c->progs[i].name, "-", "-", st.insns);
			dispatched++;
			continue;
		}
		fprintf(stderr, "%-48s %12llu %10.1f %7u\n", c->progs[i].name, (unsigned long long)st.run_cnt,
			st.run_cnt ? (double)st.run_time_ns / (double)st.run_cnt : 0.0, st.insns);
	}
	if (t->ustacks) {
		uint64_t n, ns, frames;
		size_t distinct;

		trace_ustack_stats(t, &n, &ns, &frames, &distinct);
		fprintf(stderr, "ustack unwound in user space: %llu samples, %.1f us per sample, %.1f frames per "
			"sample, %zu distinct stacks\n", (unsigned long long)n, n ? (double)ns / 1e3 / (double)n : 0.0,
			n ? (double)frames / (double)n : 0.0, distinct);
	}
	if (dispatched)
		fprintf(stderr, "(-: %zu programs ran as tail calls of the syscall dispatcher, which the kernel "
			"does not time one by one; BPFKIT_SYSCALL_DISPATCH=0 attaches them directly)\n", dispatched);
}

int trace_run(const struct trace_opts *o)
{
	struct bpfkit_kern_verifier_log vlog = { .prog = -1, .insn = -1 };
	struct bpfkit_kern_map_spec *mspecs = NULL;
	struct bpfkit_kern_prog_spec *pspecs = NULL;
	struct bpfkit_kern_opts kopts = { 0 };
	struct trace_ctx t = { 0 };
	struct bpfkit_compiled *c = NULL;
	struct bpfkit_lang *l = NULL;
	struct bpfkit_diag d = { 0 };
	pid_t child = -1;
	int go_fd = -1, stats_fd = -1, child_status = 0, rc;
	bool child_done = false;
	FILE *of = NULL;
	uint64_t lost = 0; /* lost records reported so far */
	char **cargv = NULL, *cwords = NULL, cpath[PATH_MAX];

	if (o->cmd) {
		rc = resolve_cmd(o->cmd, &cargv, &cwords, cpath, sizeof(cpath));
		if (rc)
			goto out;
		if ((child = spawn_child(cpath, cargv, &go_fd)) < 0) {
			rc = cli_fail("cannot start '%s': %s", o->cmd, strerror(errno));
			goto out;
		}
	}
	rc = compile(o, child, &l, &c);
	if (rc)
		goto out;
	if (o->output && !(of = fopen(o->output, "w"))) {
		rc = cli_fail("cannot open %s: %s", o->output, strerror(errno));
		goto out;
	}
	if (o->dry_run) {
		rc = dump_compiled(o, c, of ? of : stdout);
		goto out;
	}
	rc = check_max_probes(c);
	if (rc)
		goto out;
	rc = make_specs(c, o->pid, child, o->usdt_file_activation, &mspecs, &pspecs);
	if (rc)
		goto out;
	if (o->verbose)
		bpfkit_kern_set_log(libbpf_log, NULL);
	install_signals();
	t.c = c;
	t.o = o;
	t.out.f = of ? of : stdout;
	if (o->buffering >= 0)
		setvbuf(t.out.f, NULL, o->buffering, 0);
	t.out.format = o->json ? BPFKIT_OUT_JSON : o->folded ? BPFKIT_OUT_FOLDED : BPFKIT_OUT_TEXT;
	t.ksyms = bpfkit_ksyms__new(NULL); /* nothing is read until a stack or ksym() prints */
	t.usyms = bpfkit_usyms__new(NULL); /* nothing is read until a process is seen */
	if (!t.ksyms || !t.usyms) {
		rc = cli_fail("out of memory");
		goto out;
	}
	if (t.usyms && getenv("BPFTRACE_NO_CPP_DEMANGLE") && !strcmp(getenv("BPFTRACE_NO_CPP_DEMANGLE"), "1"))
		bpfkit_usyms__set_demangle(t.usyms, false);
	if (o->stats && (stats_fd = bpfkit_kern_stats_enable(&d)) < 0) {
		rc = cli_fail("--stats: %s", d.msg);
		goto out;
	}
	kopts.syscall_dispatch = syscall_dispatch_min();
	t.s = bpfkit_kern_session__new(mspecs, c->nmaps, pspecs, c->nprogs, &kopts, &vlog, &d);
	if (!t.s) {
		if (vlog.prog >= 0)
			report_verifier(o, c, &vlog, &d);
		else
			cli_fail("%s", d.msg);
		if (vlog.text && (strstr(vlog.text, "task_pt_regs") || strstr(vlog.text, "get_current_task_btf")))
			cli_note("--ustack-unwind dwarf needs bpf_get_current_task_btf() and bpf_task_pt_regs() "
				 "(Linux 5.15 with BTF); --ustack-unwind fp needs neither");
		rc = EXIT_FAIL;
		goto out;
	}
	t.map_idx = calloc(c->nmaps ? c->nmaps : 1, sizeof(*t.map_idx));
	if (!t.map_idx) {
		rc = cli_fail("out of memory");
		goto out;
	}
	for (size_t i = 0; i < c->nmaps; i++)
		t.map_idx[i] = bpfkit_kern_map__find(t.s, c->maps[i].name);
	if (o->verbose) {
		report_dispatch(t.s);
		report_raw(c);
	}
	if (set_start_time(&t)) {
		rc = EXIT_FAIL;
		goto out;
	}

	if (!o->quiet)
		bpfkit_out__attached(&t.out, c->nprogs);
	if (!flush_out(&t)) {
		/* every probe is attached: test harnesses wait for this line, on stderr as from bpftrace */
		if (getenv("__BPFTRACE_NOTIFY_PROBES_ATTACHED"))
			fputs("__BPFTRACE_NOTIFY_PROBES_ATTACHED\n", stderr);
		run_special(&t, BPFKIT_PROBE_BEGIN);
		poll_once(&t, 0);
	}
	if (!t.write_err) {
		release_child(&go_fd);
		main_loop(&t, child, o->pid, &child_done, &child_status, &lost);
	}

	/* Detach first, as bpftrace does: END then sees the maps as the probes
	 * left them, and clearing or printing them cannot retrigger a probe
	 * (a raw_syscalls probe fires on our own bpf() calls). After a failed
	 * write, no END and no maps: nobody would read them. */
	bpfkit_kern_session__detach(t.s);
	if (!t.write_err) {
		poll_once(&t, 0);
		t.ignore = false;
		run_special(&t, BPFKIT_PROBE_END);
		t.ignore = false;
		poll_once(&t, 0);
		report_lost(&t, &lost);
		trace_maps_print_exit(&t);
		flush_out(&t);
		report_stacks_lost(&t);
		if (stats_fd >= 0)
			report_stats(&t);
	}
	rc = EXIT_OK;
	if (t.write_err == EPIPE)
		rc = EXIT_FAIL; /* the reader left: SIGPIPE's status below, and no message */
	else if (t.write_err)
		rc = cli_fail("cannot write %s: %s", o->output ? o->output : "the output", strerror(t.write_err));
	if (t.bad_records)
		cli_warn("%lu malformed ring buffer records were skipped", t.bad_records);
out:
	bpfkit_kern_session__free(t.s);
	if (child > 0 && !child_done) {
		if (go_fd >= 0) {
			close(go_fd); /* never attached: the child exits without running CMD */
			go_fd = -1;
		} else {
			kill(child, SIGTERM);
		}
		waitpid(child, &child_status, 0);
	}
	if (go_fd >= 0)
		close(go_fd);
	if (stats_fd >= 0)
		close(stats_fd);
	free(t.map_idx);
	bpfkit_ksyms__free(t.ksyms);
	trace_ustacks_free(t.ustacks);
	bpfkit_usyms__free(t.usyms);
	free(vlog.text);
	free(mspecs);
	free(pspecs);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
	free(cargv);
	free(cwords);
	if (of && fclose(of) && rc == EXIT_OK)
		rc = cli_fail("cannot write %s: %s", o->output, strerror(errno));
	if (t.write_err == EPIPE) {
		/* as bpftrace, which SIGPIPE kills: the shell sees 128 + 13,
		 * now that every probe is detached and the -c command reaped */
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	return rc;
}
