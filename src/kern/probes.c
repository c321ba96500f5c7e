// SPDX-License-Identifier: MIT
/*
 * Listing probes: every place the tracer could attach, named as bpftrace
 * names them, filtered by wildcard specs.
 *
 * Each kind of probe has a source, and a source is only consulted when some
 * spec could match its type, so `-l 't:sched:*'` never reads BTF or the
 * function list. Tracepoints come from one walk of TRACEFS/events: a
 * directory per subsystem and one per event, so listing needs no file reads,
 * and a subsystem the specs cannot match is not even opened.
 *
 * A source that does not exist on this kernel (kprobes compiled out, no CPU
 * PMU) is an error when a spec names its type outright, and otherwise passes
 * in silence; one that exists but cannot be read (no permission) is a
 * warning in the list.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpfkit/sym.h>

#include "kern/kern_int.h"

#define MAX_WARNINGS 16
#define NTYPES (BPFKIT_PROBE_ITER + 1)

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the list being built ---------------------------------------------------------------- */

struct item {
	enum bpfkit_probe_type type;
	size_t off; /* name in names */
};

struct lister {
	const struct bpfkit_probe_opts *opts;
	struct bpfkit_probe_spec *specs;
	size_t *spec_pattern; /* the pattern each spec came from */
	size_t nspecs;
	bool *matched; /* per pattern: some probe matched one of its specs */
	char *unavailable[NTYPES]; /* why a source of the type is missing, when no warning says it */
	bool all; /* no patterns: everything but the ret probes */
	struct bpfkit_diag *diag;
	char tracefs[PATH_MAX]; /* "" until found */
	int tracefs_err; /* 0, or why it cannot be found */
	struct bpfkit_diag tracefs_diag;
	bool tracefs_tried;
	struct kbuf names;
	struct item *items;
	size_t n, cap;
	char *warnings[MAX_WARNINGS];
	size_t nwarnings;
};

/* The public list and the storage it points into. */
struct list_impl {
	struct bpfkit_probe_list pub;
	char *names;
	char *unavailable[NTYPES];
};

static bool wants(const struct lister *l, enum bpfkit_probe_type type)
{
	if (l->all)
		return type != BPFKIT_PROBE_KRETPROBE && type != BPFKIT_PROBE_URETPROBE;
	for (size_t i = 0; i < l->nspecs; i++)
		if (bpfkit_probe_spec__may_match_type(&l->specs[i], type))
			return true;
	return false;
}

/* Whether some spec names @p type without wildcards ("kprobe:foo", "k"). */
static bool named(const struct lister *l, enum bpfkit_probe_type type)
{
	for (size_t i = 0; i < l->nspecs; i++)
		if (l->specs[i].type == (int)type)
			return true;
	return false;
}

static void warn(struct lister *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(struct lister *l, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (l->nwarnings == MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) >= 0)
		l->warnings[l->nwarnings++] = s;
	va_end(ap);
}

/*
 * A source of @p type is missing for the reason in @p why. Returns a
 * negative errno (and fills the diag) when a spec asked for that type by
 * name, 0 otherwise after recording a warning (when @p warn_all) or else
 * the reason, for the patterns that find nothing (see finish()).
 */
static int missing(struct lister *l, enum bpfkit_probe_type type, int err, bool warn_all, const char *why)
{
	if (named(l, type))
		return bpfkit_diag__set(l->diag, err ? err : -ENOENT, "%s", why);
	if (warn_all)
		warn(l, "%s", why);
	else if ((unsigned)type < NTYPES && !l->unavailable[type] && !(l->unavailable[type] = strdup(why)))
		return -ENOMEM;
	return 0;
}

/* Add the probe named by @p fmt if a spec matches it (or all are wanted). */
static int add(struct lister *l, enum bpfkit_probe_type type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append probe @p name (@p n bytes) to the list. */
static int add_item(struct lister *l, enum bpfkit_probe_type type, const char *name, size_t n)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		struct item *it = realloc(l->items, cap * sizeof(*it));

		if (!it)
			return -ENOMEM;
		l->items = it;
		l->cap = cap;
	}
	l->items[l->n].type = type;
	l->items[l->n].off = kbuf_add_str(&l->names, name, n);
	if (l->names.oom)
		return -ENOMEM;
	l->n++;
	return 0;
}

/* Format the name on the stack first: most candidates (kprobes) match no
 * spec, and only the ones that do are copied into the list. */
static int add(struct lister *l, enum bpfkit_probe_type type, const char *fmt, ...)
{
	char name[1024];
	bool match = l->all;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(name))
		return 0; /* no probe has such a name; skip it */
	for (size_t i = 0; i < l->nspecs; i++)
		if ((!match || !l->matched[l->spec_pattern[i]]) && bpfkit_probe_spec__match(&l->specs[i], type, name)) {
			match = true;
			l->matched[l->spec_pattern[i]] = true;
		}
	if (!match)
		return 0;
	return add_item(l, type, name, (size_t)n);
}

/* The tracefs directory, found once; NULL (and l->tracefs_err) if none. */
static const char *tracefs(struct lister *l)
{
	if (!l->tracefs_tried) {
		l->tracefs_tried = true;
		if (l->opts && l->opts->tracefs)
			l->tracefs_err = kern_path(l->tracefs, sizeof(l->tracefs), "%s", l->opts->tracefs);
		else
			l->tracefs_err = kern_tracefs(l->tracefs, sizeof(l->tracefs), &l->tracefs_diag);
		if (l->tracefs_err == -ENAMETOOLONG)
			bpfkit_diag__set(&l->tracefs_diag, -ENAMETOOLONG, "the tracefs path is too long");
	}
	return l->tracefs_err ? NULL : l->tracefs;
}

/* ---- sources ------------------------------------------------------------------------------ */

/* BEGIN, END, and the timers: their last part is a rate or period to fill in. */
static int list_pseudo(struct lister *l)
{
	static const char *const units[] = { "hz", "ms", "s", "us" };
	int err = 0;

	if (wants(l, BPFKIT_PROBE_BEGIN))
		err = add(l, BPFKIT_PROBE_BEGIN, "BEGIN");
	if (!err && wants(l, BPFKIT_PROBE_END))
		err = add(l, BPFKIT_PROBE_END, "END");
	for (size_t i = 0; !err && i < ARRAY_LEN(units); i++) {
		if (wants(l, BPFKIT_PROBE_INTERVAL))
			err = add(l, BPFKIT_PROBE_INTERVAL, "interval:%s:", units[i]);
		if (!err && wants(l, BPFKIT_PROBE_PROFILE))
			err = add(l, BPFKIT_PROBE_PROFILE, "profile:%s:", units[i]);
	}
	return err;
}

/* Whether a perf PMU of @p type is registered (the core CPU PMU is PERF_TYPE_RAW). */
static bool have_pmu_type(const char *pmu_dir, unsigned type)
{
	struct dirent *e;
	bool found = false;
	DIR *d = opendir(pmu_dir);

	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		char path[PATH_MAX], *text;
		size_t len;

		if (e->d_name[0] == '.' || kern_path(path, sizeof(path), "%s/%s/type", pmu_dir, e->d_name))
			continue;
		if (kern_read_file(AT_FDCWD, path, 64, &text, &len))
			continue;
		found = strtoul(text, NULL, 10) == type;
		free(text);
	}
	closedir(d);
	return found;
}

/* software: needs the software PMU; hardware: a CPU PMU (type PERF_TYPE_RAW). */
static int list_perf(struct lister *l)
{
	const char *pmu = l->opts && l->opts->pmu_dir ? l->opts->pmu_dir : "/sys/bus/event_source/devices";
	char path[PATH_MAX];
	int err = 0;

	if (wants(l, BPFKIT_PROBE_SOFTWARE)) {
		if (!kern_path(path, sizeof(path), "%s/software", pmu) && kern_exists(path)) {
			size_t n;
			const struct bpfkit_perf_event_desc *ev = bpfkit_perf_events(BPFKIT_PROBE_SOFTWARE, &n);

			for (size_t i = 0; !err && i < n; i++)
				err = add(l, BPFKIT_PROBE_SOFTWARE, "software:%s:", ev[i].name);
		} else {
			err = missing(l, BPFKIT_PROBE_SOFTWARE, -ENOENT, false,
				      "software events are not available (CONFIG_PERF_EVENTS off?)");
		}
	}
	if (!err && wants(l, BPFKIT_PROBE_HARDWARE)) {
		if (have_pmu_type(pmu, PERF_TYPE_RAW)) {
			size_t n;
			const struct bpfkit_perf_event_desc *ev = bpfkit_perf_events(BPFKIT_PROBE_HARDWARE, &n);

			for (size_t i = 0; !err && i < n; i++)
				err = add(l, BPFKIT_PROBE_HARDWARE, "hardware:%s:", ev[i].name);
		} else {
			err = missing(l, BPFKIT_PROBE_HARDWARE, -ENOENT, false,
				      "hardware events are not available: no CPU PMU in /sys/bus/event_source/devices "
				      "(virtual machines often have none)");
		}
	}
	return err;
}

/* Subsystems whose events are not tracepoints BPF can attach to. */
static bool skip_subsystem(const char *sys, bool raw)
{
	if (!strcmp(sys, "ftrace"))
		return true; /* ftrace's own records (function, print, ...) */
	/* syscalls:* are made by raw_syscalls:sys_enter/exit; kprobes,
	 * uprobes and synthetic events are dynamic, not raw tracepoints */
	return raw && (!strcmp(sys, "syscalls") || !strcmp(sys, "kprobes") || !strcmp(sys, "uprobes") ||
		       !strcmp(sys, "synthetic"));
}

/* Whether a spec could match a tracepoint of subsystem @p sys. */
static bool want_subsystem(const struct lister *l, const char *sys)
{
	if (l->all)
		return true;
	for (size_t i = 0; i < l->nspecs; i++) {
		const struct bpfkit_probe_spec *s = &l->specs[i];

		if (!bpfkit_probe_spec__may_match_type(s, BPFKIT_PROBE_TRACEPOINT))
			continue;
		if (s->whole || !s->nparts || bpfkit_glob_match(s->parts[0], sys))
			return true;
	}
	return false;
}

static bool is_dir_entry(int dfd, const struct dirent *e)
{
	struct stat st;

	if (e->d_type == DT_DIR)
		return true;
	if (e->d_type != DT_UNKNOWN)
		return false;
	return fstatat(dfd, e->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

/* The events of one subsystem directory, as tracepoints or raw tracepoints. */
static int list_subsystem(struct lister *l, int events_fd, const char *sys, bool raw)
{
	struct dirent *e;
	int fd, err = 0;
	DIR *d;

	fd = openat(events_fd, sys, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* vanished or unreadable: skip it */
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	while (!err && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !is_dir_entry(fd, e))
			continue;
		if (raw)
			err = add(l, BPFKIT_PROBE_RAWTRACEPOINT, "rawtracepoint:%s", e->d_name);
		else
			err = add(l, BPFKIT_PROBE_TRACEPOINT, "tracepoint:%s:%s", sys, e->d_name);
	}
	closedir(d);
	return err;
}

/*
 * Walk TRACEFS/events: one directory per subsystem, one per event in it.
 * Plain files there (enable, header_page, ...) are skipped by type, so no
 * file is opened. @p raw lists the events as raw tracepoints instead (the
 * fallback when the kernel has no BTF).
 */
static int walk_events(struct lister *l, enum bpfkit_probe_type type, bool raw)
{
	char path[PATH_MAX];
	const char *root = tracefs(l);
	struct dirent *e;
	int fd, err = 0;
	DIR *d;

	if (!root)
		return missing(l, type, l->tracefs_err, true, l->tracefs_diag.msg);
	if (kern_path(path, sizeof(path), "%s/events", root))
		return bpfkit_diag__set(l->diag, -ENAMETOOLONG, "the tracefs path is too long");
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		char why[PATH_MAX + 100];
		int e2 = -errno;

		if (e2 == -ENOENT)
			snprintf(why, sizeof(why), "%s has no events/: this kernel has no tracepoints", root);
		else if (bpfkit_kern_missing_privileges(BPFKIT_PRIV_TRACEFS, root, why, sizeof(why)) != 1)
			snprintf(why, sizeof(why), "cannot read %s: %s", path, strerror(-e2));
		return missing(l, type, e2, true, why);
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	while (!err && (e = readdir(d))) {
		if (e->d_name[0] == '.' || skip_subsystem(e->d_name, raw) || !is_dir_entry(fd, e))
			continue;
		if (raw || want_subsystem(l, e->d_name))
			err = list_subsystem(l, fd, e->d_name, raw);
	}
	closedir(d);
	return err;
}

static int add_raw_tp(void *ctx, uint32_t id, const char *name)
{
	(void)id;
	return add(ctx, BPFKIT_PROBE_RAWTRACEPOINT, "rawtracepoint:%s", name + strlen("btf_trace_"));
}

/* The one raw tracepoint the specs ask for by its exact name
 * (rawtracepoint:NAME, as the compiler asks to check a probe), or NULL
 * when they ask for anything else. */
static const char *exact_raw_name(const struct lister *l)
{
	const struct bpfkit_probe_spec *s = &l->specs[0];

	if (l->all || l->nspecs != 1 || s->type != BPFKIT_PROBE_RAWTRACEPOINT || s->wildcard || s->whole ||
	    s->nparts != 1 || !s->parts[0][0] || strchr(s->parts[0], '/'))
		return NULL;
	return s->parts[0];
}

/* Whether tracefs has an event @p name in a subsystem of raw tracepoints
 * (a directory TRACEFS/events/SYS/NAME): some hundred fstatat() calls
 * where the whole BTF would take 30 ms and 5 MB to read. False when
 * tracefs cannot be read. */
static bool raw_tp_in_tracefs(struct lister *l, const char *name)
{
	const char *root = tracefs(l);
	char path[PATH_MAX];
	struct dirent *e;
	struct stat st;
	bool found = false;
	int fd;
	DIR *d;

	if (!root || kern_path(path, sizeof(path), "%s/events", root))
		return false;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return false;
	}
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.' || skip_subsystem(e->d_name, true) ||
		    kern_path(path, sizeof(path), "%s/%s", e->d_name, name))
			continue;
		found = fstatat(fd, path, &st, 0) == 0 && S_ISDIR(st.st_mode);
	}
	closedir(d);
	return found;
}

/*
 * rawtracepoint:NAME asked for by its exact name: tracefs's events first
 * (every event there, but those skip_subsystem() names, is a tracepoint),
 * then vmlinux's BTF, then each module's, stopping at the first that has
 * it. Returns 1 when it is found (and added), 0 when not, or a negative
 * errno when vmlinux's BTF cannot be read (the caller lists as it would).
 */
static int find_raw_tracepoint(struct lister *l, const char *dir, const char *name)
{
	char path[PATH_MAX], tname[512];
	struct kbtf vmlinux;
	struct dirent *e;
	int found, err;
	DIR *d;

	if (raw_tp_in_tracefs(l, name))
		return add(l, BPFKIT_PROBE_RAWTRACEPOINT, "rawtracepoint:%s", name) ?: 1;
	if (kern_path(path, sizeof(path), "%s/vmlinux", dir) ||
	    kern_path(tname, sizeof(tname), "btf_trace_%s", name))
		return -ENAMETOOLONG;
	err = kbtf_load(&vmlinux, path, NULL);
	if (err)
		return err;
	found = kbtf_find(&vmlinux, KBTF_KIND_TYPEDEF, tname) >= 0;
	d = found ? NULL : opendir(dir);
	while (d && !found && (e = readdir(d))) {
		struct kbtf mod;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "vmlinux") ||
		    kern_path(path, sizeof(path), "%s/%s", dir, e->d_name))
			continue;
		if (kbtf_load(&mod, path, &vmlinux))
			continue;
		found = kbtf_find(&mod, KBTF_KIND_TYPEDEF, tname) >= 0;
		kbtf_release(&mod);
	}
	if (d)
		closedir(d);
	kbtf_release(&vmlinux);
	if (!found)
		return 0;
	return add(l, BPFKIT_PROBE_RAWTRACEPOINT, "rawtracepoint:%s", name) ?: 1;
}

/*
 * Raw tracepoints are the kernel's real tracepoints, which BTF records as
 * typedefs named btf_trace_<name>, in vmlinux and in each module's BTF.
 * Without BTF, fall back to tracefs events, less the ones that are not raw
 * tracepoints (syscalls:*, dynamic events), and say so. One name asked for
 * exactly is looked up instead (find_raw_tracepoint()).
 */
static int list_raw_tracepoints(struct lister *l)
{
	const char *dir = l->opts && l->opts->btf_dir ? l->opts->btf_dir : "/sys/kernel/btf";
	const char *exact = exact_raw_name(l);
	char path[PATH_MAX];
	struct kbtf vmlinux;
	struct dirent *e;
	int err;
	DIR *d;

	if (exact && find_raw_tracepoint(l, dir, exact) >= 0)
		return 0; /* found and added, or not there */
	if (kern_path(path, sizeof(path), "%s/vmlinux", dir))
		return bpfkit_diag__set(l->diag, -ENAMETOOLONG, "the BTF path is too long");
	err = kbtf_load(&vmlinux, path, NULL);
	if (err) {
		if (err == -ENOMEM)
			return bpfkit_diag__set(l->diag, err, "out of memory");
		warn(l, "%s %s, so raw tracepoints are taken from tracefs events and may include some "
			"that are not raw tracepoints",
		     path, err == -ENOENT ? "does not exist (CONFIG_DEBUG_INFO_BTF off)" : "is unreadable");
		return walk_events(l, BPFKIT_PROBE_RAWTRACEPOINT, true);
	}
	err = kbtf_for_each(&vmlinux, KBTF_KIND_TYPEDEF, "btf_trace_", add_raw_tp, l);
	d = err ? NULL : opendir(dir);
	while (d && !err && (e = readdir(d))) {
		struct kbtf mod;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "vmlinux") ||
		    kern_path(path, sizeof(path), "%s/%s", dir, e->d_name))
			continue;
		if (kbtf_load(&mod, path, &vmlinux))
			continue; /* a module BTF we cannot read hides only that module's */
		err = kbtf_for_each(&mod, KBTF_KIND_TYPEDEF, "btf_trace_", add_raw_tp, l);
		kbtf_release(&mod);
	}
	if (d)
		closedir(d);
	kbtf_release(&vmlinux);
	return err;
}

/*
 * kprobes and kretprobes can go on any function in available_filter_functions
 * ("name" or "name [module]" per line). The file needs root, and exists even
 * on kernels built without kprobes, so kprobe support is checked first.
 */
static int list_kprobes(struct lister *l)
{
	bool kp = wants(l, BPFKIT_PROBE_KPROBE), kr = wants(l, BPFKIT_PROBE_KRETPROBE);
	enum bpfkit_probe_type t = kp ? BPFKIT_PROBE_KPROBE : BPFKIT_PROBE_KRETPROBE;
	char why[256], path[PATH_MAX];
	const char *root = tracefs(l);
	char *text, *line, *next;
	size_t len;
	int err = 0;

	if (!feature_have_kprobes(l->opts ? l->opts->pmu_dir : NULL, root, why, sizeof(why))) {
		err = missing(l, BPFKIT_PROBE_KPROBE, -EOPNOTSUPP, false, why);
		return err ? err : missing(l, BPFKIT_PROBE_KRETPROBE, -EOPNOTSUPP, false, why);
	}
	if (!root)
		return missing(l, t, l->tracefs_err, true, l->tracefs_diag.msg);
	if (kern_path(path, sizeof(path), "%s/available_filter_functions", root))
		return bpfkit_diag__set(l->diag, -ENAMETOOLONG, "the tracefs path is too long");
	err = kern_read_file(AT_FDCWD, path, KERN_MAX_FILE, &text, &len);
	if (err) {
		struct bpfkit_diag d;

		kern_file_error(&d, err, "read", path);
		return missing(l, t, err, true, d.msg);
	}
	for (line = text; !err && line < text + len; line = next) {
		char *end = strchr(line, '\n');
		size_t n;

		next = end ? end + 1 : text + len;
		n = strcspn(line, " \t\n");
		if (!n || !strncmp(line, "__ftrace_invalid_address__", 26))
			continue;
		if (kp)
			err = add(l, BPFKIT_PROBE_KPROBE, "kprobe:%.*s", (int)n, line);
		if (!err && kr)
			err = add(l, BPFKIT_PROBE_KRETPROBE, "kretprobe:%.*s", (int)n, line);
	}
	free(text);
	return err;
}

/*
 * The function symbols of ELF file @p path matching glob @p func (NULL:
 * all), as probes of @p type named "TYPE:SHOWN:FUNCTION"; @p spec (or -1)
 * is marked matched. Errors name the file.
 */
static int list_ufile(struct lister *l, enum bpfkit_probe_type type, const char *path, const char *shown,
		      const char *func, long spec)
{
	const char *prov = bpfkit_probe_type_name(type);
	struct bpfkit_elf_file *f;
	const struct bpfkit_elf_sym *sym;
	char name[1024];
	int err = bpfkit_elf_file__open(path, &f, l->diag);

	if (err)
		return err;
	for (size_t i = 0; !err && (sym = bpfkit_elf_file__sym(f, i)); i++) {
		int n;

		if (sym->kind != BPFKIT_ELF_SYM_FUNC || (func && !bpfkit_glob_match(func, sym->name)))
			continue;
		n = snprintf(name, sizeof(name), "%s:%s:%s", prov, shown, sym->name);
		if (n < 0 || (size_t)n >= sizeof(name))
			continue;
		err = add_item(l, type, name, (size_t)n);
		if (spec >= 0)
			l->matched[l->spec_pattern[spec]] = true;
	}
	bpfkit_elf_file__free(f);
	return err;
}

/*
 * uprobe:FILE:FUNC and uretprobe:FILE:FUNC specs: FILE found as the
 * compiler finds it (a path, a program in PATH, a library; through the -p
 * process), shown as written when it is a path and as found otherwise, as
 * bpftrace shows it. With -p and no spec: every file the process maps
 * (uprobes only, as listing everything leaves out return probes).
 */
static int list_uprobes(struct lister *l)
{
	int pid = l->opts ? l->opts->pid : 0, err = 0;
	char path[PATH_MAX];

	if (l->all && pid > 0) {
		struct bpfkit_proc_maps *m;
		const struct bpfkit_proc_map *map;

		err = bpfkit_proc_maps__read(pid, &m);
		if (err)
			return bpfkit_diag__set(l->diag, err, "cannot read the mappings of process %d: %s", pid,
						strerror(-err));
		const char *last = "";

		for (size_t i = 0; !err && (map = bpfkit_proc_maps__get(m, i)); i++) {
			if (!map->exec || !strcmp(map->path, last))
				continue;
			last = map->path;
			err = bpfkit_proc_path(pid, map->path, path, sizeof(path));
			if (!err)
				err = list_ufile(l, BPFKIT_PROBE_UPROBE, path, path, NULL, -1);
			if (err == -ENOEXEC || err == -ENOENT || err == -EACCES)
				err = 0; /* a mapping that is no ELF file (or is gone) has no functions */
		}
		bpfkit_proc_maps__free(m);
		return err;
	}
	for (size_t i = 0; !err && i < l->nspecs; i++) {
		const struct bpfkit_probe_spec *s = &l->specs[i];
		enum bpfkit_probe_type t = (enum bpfkit_probe_type)s->type;

		if (s->type != BPFKIT_PROBE_UPROBE && s->type != BPFKIT_PROBE_URETPROBE)
			continue;
		if (s->nparts < 1 || !s->parts[0][0] || bpfkit_glob_has_wildcard(s->parts[0]))
			return bpfkit_diag__set(l->diag, -EINVAL, "listing %ss needs a file: %s:FILE:FUNCTION "
						"(FUNCTION may be a wildcard)", bpfkit_probe_type_name(t),
						bpfkit_probe_type_name(t));
		err = bpfkit_sym_find_target(s->parts[0], pid, path, sizeof(path), l->diag);
		if (!err)
			err = list_ufile(l, t, path, strchr(s->parts[0], '/') && pid <= 0 ? s->parts[0] : path,
					 s->nparts > 1 ? s->parts[1] : NULL, (long)i);
	}
	return err;
}

/* ---- the list ------------------------------------------------------------------------------ */

static int cmp_probe(const void *a, const void *b)
{
	return strcmp(((const struct bpfkit_probe *)a)->name, ((const struct bpfkit_probe *)b)->name);
}

/*
 * What became of each of the @p npatterns patterns: matched or not, and for
 * one that could match a type whose source is missing here, why (the first
 * such type in enum order: kprobe before kretprobe).
 */
static struct bpfkit_probe_pattern *pattern_results(const struct lister *l, size_t npatterns)
{
	struct bpfkit_probe_pattern *r = calloc(npatterns ? npatterns : 1, sizeof(*r));

	for (size_t i = 0; r && i < l->nspecs; i++) {
		struct bpfkit_probe_pattern *pr = &r[l->spec_pattern[i]];

		pr->matched = l->matched[l->spec_pattern[i]];
		for (int t = 0; !pr->unavailable && t < NTYPES; t++)
			if (l->unavailable[t] && bpfkit_probe_spec__may_match_type(&l->specs[i], (enum bpfkit_probe_type)t)) {
				pr->unavailable = l->unavailable[t];
				pr->unavailable_type = (enum bpfkit_probe_type)t;
			}
	}
	return r;
}

/* Sorted, duplicates dropped, in one public struct that owns the names. */
static struct bpfkit_probe_list *finish(struct lister *l, size_t npatterns)
{
	struct list_impl *impl = calloc(1, sizeof(*impl));
	struct bpfkit_probe *p;
	size_t n = 0;

	if (!impl)
		return NULL;
	p = calloc(l->n ? l->n : 1, sizeof(*p));
	impl->pub.patterns = pattern_results(l, npatterns);
	if (!p || !impl->pub.patterns) {
		free(p);
		free(impl->pub.patterns);
		free(impl);
		return NULL;
	}
	impl->pub.npatterns = npatterns;
	memcpy(impl->unavailable, l->unavailable, sizeof(l->unavailable));
	memset(l->unavailable, 0, sizeof(l->unavailable));
	for (size_t i = 0; i < l->n; i++) {
		const char *colon;

		p[i].type = l->items[i].type;
		p[i].name = l->names.p + l->items[i].off;
		colon = strchr(p[i].name, ':');
		p[i].target = colon ? colon + 1 : p[i].name + strlen(p[i].name);
	}
	qsort(p, l->n, sizeof(*p), cmp_probe);
	for (size_t i = 0; i < l->n; i++)
		if (!n || strcmp(p[n - 1].name, p[i].name))
			p[n++] = p[i];
	impl->pub.probes = p;
	impl->pub.n = n;
	impl->names = l->names.p;
	l->names.p = NULL;
	if (l->nwarnings) {
		impl->pub.warnings = calloc(l->nwarnings, sizeof(char *));
		if (impl->pub.warnings) {
			memcpy(impl->pub.warnings, l->warnings, l->nwarnings * sizeof(char *));
			impl->pub.nwarnings = l->nwarnings;
			l->nwarnings = 0;
		}
	}
	return &impl->pub;
}

/* ---- USDT probes ------------------------------------------------------------------------ */

/* Whether USDT probe PROVIDER:NAME matches the parts of @p s after its file. */
static bool usdt_spec_match(const struct bpfkit_probe_spec *s, const char *prov, const char *name)
{
	if (s->nparts <= 1)
		return true;
	if (s->nparts == 2) /* usdt:FILE:NAME */
		return bpfkit_glob_match(s->parts[1], name);
	return s->nparts == 3 && bpfkit_glob_match(s->parts[1], prov) && bpfkit_glob_match(s->parts[2], name);
}

/*
 * The USDT probes of the ELF file at @p path, named usdt:PATH:PROVIDER:NAME
 * (a duplicated marker once). With @p spec (a spec naming this file), the
 * ones matching its provider and name; else those any spec matches by
 * name. A file that cannot be read is an error for a spec that names USDT
 * without wildcards ("usdt:FILE:*"), else it is skipped (a process maps
 * files that are no ELF file: locale archives, caches).
 */
static int list_usdt_file(struct lister *l, const char *path, const struct bpfkit_probe_spec *spec, size_t si)
{
	struct bpfkit_usdt_list *u;
	struct bpfkit_diag d = { 0 };
	char name[1024];
	int err = bpfkit_usdt_list__read(path, &u, &d);

	if (err == -ENOMEM)
		return bpfkit_diag__set(l->diag, err, "out of memory");
	if (err)
		return spec && spec->type == BPFKIT_PROBE_USDT ?
			       bpfkit_diag__set(l->diag, err, "usdt target file '%s': %s", spec->parts[0], d.msg) : 0;
	for (size_t i = 0; !err && i < u->n; i++) {
		const struct bpfkit_usdt_probe *p = &u->probes[i];
		int n;

		if (i && !strcmp(p->provider, u->probes[i - 1].provider) && !strcmp(p->name, u->probes[i - 1].name))
			continue;
		n = snprintf(name, sizeof(name), "usdt:%s:%s:%s", path, p->provider, p->name);
		if (n < 0 || (size_t)n >= sizeof(name))
			continue;
		if (!spec) {
			err = add(l, BPFKIT_PROBE_USDT, "%s", name);
		} else if (usdt_spec_match(spec, p->provider, p->name)) {
			l->matched[l->spec_pattern[si]] = true;
			err = add_item(l, BPFKIT_PROBE_USDT, name, (size_t)n);
		}
	}
	bpfkit_usdt_list__free(u);
	return err;
}

/*
 * USDT probes: those of the file each usdt spec names (found as probe
 * targets are, in process opts->pid's view when there is one), then with
 * opts->pid those of every file the process maps, for the specs that do
 * not name a file (whole-name patterns, a wildcard file) or for no spec.
 */
static int list_usdt(struct lister *l)
{
	int pid = l->opts ? l->opts->pid : 0, err = 0;
	struct bpfkit_proc_maps *maps;
	bool by_maps = l->all;
	char path[PATH_MAX];

	for (size_t i = 0; !err && i < l->nspecs; i++) {
		const struct bpfkit_probe_spec *s = &l->specs[i];
		struct bpfkit_diag d = { 0 };

		if (!bpfkit_probe_spec__may_match_type(s, BPFKIT_PROBE_USDT))
			continue;
		if (s->whole || !s->nparts || bpfkit_glob_has_wildcard(s->parts[0])) {
			by_maps = true;
			continue;
		}
		err = bpfkit_sym_find_target(s->parts[0], pid, path, sizeof(path), &d);
		if (err && s->type == BPFKIT_PROBE_USDT)
			return bpfkit_diag__set(l->diag, err, "usdt target file '%s' does not exist (%s)", s->parts[0],
						d.msg);
		err = err ? 0 : list_usdt_file(l, path, s, i);
	}
	if (err || !by_maps || pid <= 0)
		return err;
	err = bpfkit_proc_maps__read(pid, &maps);
	if (err)
		return bpfkit_diag__set(l->diag, err, "cannot read the mappings of process %d: %s", pid, strerror(-err));
	for (size_t i = 0; !err && i < bpfkit_proc_maps__count(maps); i++) {
		const struct bpfkit_proc_map *m = bpfkit_proc_maps__get(maps, i);
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(bpfkit_proc_maps__get(maps, j)->path, m->path);
		if (seen)
			continue;
		err = bpfkit_proc_path(pid, m->path, path, sizeof(path));
		err = err ? 0 : list_usdt_file(l, path, NULL, 0);
	}
	bpfkit_proc_maps__free(maps);
	return err;
}

/* A spec that names a type this file has no source for is an error, not an empty list. */
static int check_listable(struct lister *l, const struct bpfkit_probe_spec *s)
{
	switch (s->type) {
	case BPFKIT_PROBE_FENTRY:
	case BPFKIT_PROBE_FEXIT:
	case BPFKIT_PROBE_ITER:
		return bpfkit_diag__set(l->diag, -EOPNOTSUPP, "listing %s probes is not implemented yet",
					bpfkit_probe_type_name((enum bpfkit_probe_type)s->type));
	case BPFKIT_PROBE_WATCHPOINT:
	case BPFKIT_PROBE_ASYNCWATCHPOINT:
		return bpfkit_diag__set(l->diag, -EINVAL, "%s probes name addresses: there is nothing to list",
					bpfkit_probe_type_name((enum bpfkit_probe_type)s->type));
	default:
		return 0;
	}
}

/* Split each pattern at ',' and parse every piece into l->specs. */
static int parse_patterns(struct lister *l, const char *const *patterns, size_t npatterns)
{
	size_t max = 0;
	int err = 0;

	for (size_t i = 0; i < npatterns; i++) {
		if (!patterns[i])
			return bpfkit_diag__set(l->diag, -EINVAL, "empty probe spec");
		max += 1;
		for (const char *c = patterns[i]; *c; c++)
			max += *c == ',';
	}
	l->specs = calloc(max ? max : 1, sizeof(*l->specs));
	l->spec_pattern = calloc(max ? max : 1, sizeof(*l->spec_pattern));
	l->matched = calloc(npatterns ? npatterns : 1, sizeof(*l->matched));
	if (!l->specs || !l->spec_pattern || !l->matched)
		return bpfkit_diag__set(l->diag, -ENOMEM, "out of memory");
	for (size_t i = 0; !err && i < npatterns; i++) {
		char *copy = strdup(patterns[i]), *save = NULL, *tok;

		if (!copy)
			return bpfkit_diag__set(l->diag, -ENOMEM, "out of memory");
		for (tok = strtok_r(copy, ",", &save); !err && tok; tok = strtok_r(NULL, ",", &save)) {
			err = bpfkit_probe_spec__parse(&l->specs[l->nspecs], tok, l->diag);
			if (!err)
				l->spec_pattern[l->nspecs++] = i;
		}
		free(copy);
	}
	if (!err && !l->nspecs)
		err = bpfkit_diag__set(l->diag, -EINVAL, "empty probe spec");
	for (size_t i = 0; !err && i < l->nspecs; i++)
		err = check_listable(l, &l->specs[i]);
	return err;
}

/* Consult each source some spec may match, then sort; see kern.h. */
struct bpfkit_probe_list *bpfkit_probes__list(const char *const *patterns, size_t npatterns,
					       const struct bpfkit_probe_opts *opts, struct bpfkit_diag *diag)
{
	struct bpfkit_probe_list *list = NULL;
	struct lister l = { .opts = opts, .diag = diag, .all = npatterns == 0 };
	int err = 0;

	bpfkit_diag__clear(diag);
	bpfkit_diag__clear(&l.tracefs_diag);
	if (npatterns)
		err = parse_patterns(&l, patterns, npatterns);
	if (!err && l.all && opts && opts->pid > 0) { /* -l -p PID: the process's probes only */
		err = list_uprobes(&l);
		err = err ? err : list_usdt(&l);
	} else {
		err = err ? err : list_pseudo(&l);
		err = err ? err : list_perf(&l);
		if (!err && wants(&l, BPFKIT_PROBE_TRACEPOINT))
			err = walk_events(&l, BPFKIT_PROBE_TRACEPOINT, false);
		if (!err && wants(&l, BPFKIT_PROBE_RAWTRACEPOINT))
			err = list_raw_tracepoints(&l);
		if (!err && (wants(&l, BPFKIT_PROBE_KPROBE) || wants(&l, BPFKIT_PROBE_KRETPROBE)))
			err = list_kprobes(&l);
		if (!err && (named(&l, BPFKIT_PROBE_UPROBE) || named(&l, BPFKIT_PROBE_URETPROBE)))
			err = list_uprobes(&l);
		if (!err && wants(&l, BPFKIT_PROBE_USDT))
			err = list_usdt(&l);
	}
	if (!err) {
		list = finish(&l, npatterns);
		if (!list)
			err = bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	}
	if (err == -ENOMEM && diag && !diag->msg[0])
		bpfkit_diag__set(diag, err, "out of memory");
	for (size_t i = 0; i < l.nspecs; i++)
		bpfkit_probe_spec__release(&l.specs[i]);
	free(l.specs);
	free(l.spec_pattern);
	free(l.matched);
	for (int t = 0; t < NTYPES; t++)
		free(l.unavailable[t]);
	for (size_t i = 0; i < l.nwarnings; i++)
		free(l.warnings[i]);
	free(l.items);
	kbuf_release(&l.names);
	if (!list)
		errno = -err;
	return list;
}

void bpfkit_probe_list__free(struct bpfkit_probe_list *list)
{
	struct list_impl *impl = (struct list_impl *)list;

	if (!list)
		return;
	for (size_t i = 0; i < list->nwarnings; i++)
		free(list->warnings[i]);
	free(list->warnings);
	free(list->probes);
	free(list->patterns);
	for (int t = 0; t < NTYPES; t++)
		free(impl->unavailable[t]);
	free(impl->names);
	free(impl);
}
