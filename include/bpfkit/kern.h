/* SPDX-License-Identifier: MIT */
/**
 * @file kern.h
 * @brief The kernel layer of the tracer: finding probes and describing
 *        their arguments (this part), then loading and attaching programs
 *        (the session, further down).
 *
 *  - tracefs: where the kernel's tracing file system is, mounting it when
 *    asked and allowed;
 *  - tracepoint formats: events/SUBSYS/EVENT/format parsed into fields (name,
 *    C type, offset, size, signedness, arrays, __data_loc strings, pointers);
 *  - probe specs and wildcards: bpftrace's `type:part:part` with `*` and `?`
 *    in any part and the short type aliases (t, rt, k, kr, u, ur, s, h, i, p);
 *  - probe listing: tracepoints, raw tracepoints, software and hardware
 *    events, kprobes, and the pseudo probes BEGIN, END, interval and profile;
 *  - kernel features: what this kernel lets the tracer do, and a sentence
 *    saying why when it does not.
 *
 * Nothing here prints or exits. Functions return 0 or a negative errno and,
 * given a struct bpfkit_diag, leave a message there that stands on its own
 * (it names the file and line when a file is at fault); constructors return
 * NULL and set errno. Ownership: everything a list or format points to
 * belongs to it and goes away with its __free().
 */
#ifndef BPFKIT_KERN_H
#define BPFKIT_KERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfkit/isa.h> /* struct bpfkit_diag */
#include <bpfkit/lang.h> /* enum bpfkit_probe_type */

#ifdef __cplusplus
extern "C" {
#endif

#ifndef BPFKIT_API
#define BPFKIT_API __attribute__((visibility("default")))
#endif

/* ---- tracefs ------------------------------------------------------------------------ */

/** Mount tracefs at /sys/kernel/tracing when it is nowhere to be found. */
#define BPFKIT_TRACEFS_MOUNT (1u << 0)

/**
 * @brief Find the tracing file system: /sys/kernel/tracing, then
 *        /sys/kernel/debug/tracing, then any tracefs in /proc/self/mounts.
 *
 * With BPFKIT_TRACEFS_MOUNT, when none is mounted, mount one at
 * /sys/kernel/tracing (that needs root; without it the message says so and
 * gives the mount command).
 *
 * @param buf   receives the directory, NUL-terminated
 * @param size  size of @p buf (PATH_MAX is plenty)
 * @param flags 0 or BPFKIT_TRACEFS_MOUNT
 * @return 0; -ENOENT when there is none, -EPERM when mounting was refused,
 *         -ENODEV when the kernel has no tracefs, -ENAMETOOLONG
 */
BPFKIT_API int bpfkit_tracefs_find(char *buf, size_t size, unsigned flags, struct bpfkit_diag *diag);

/* ---- Tracepoint formats -------------------------------------------------------------- */

/** What kind of value a tracepoint field holds. */
enum bpfkit_tp_kind {
	BPFKIT_TP_INT, /* an integer, enum or bool of 1, 2, 4 or 8 bytes */
	BPFKIT_TP_PTR, /* a pointer: its type has a '*' */
	BPFKIT_TP_ARRAY, /* elem name[len]; len 0 with size 0 is a flexible array */
	BPFKIT_TP_DATA_LOC, /* __data_loc T[] name: a u32, (len << 16) | offset from the record start */
	BPFKIT_TP_REL_LOC, /* __rel_loc T[] name: as __data_loc, offset from the end of this field */
	BPFKIT_TP_BLOB, /* anything else: a struct by value, a 16-byte integer, ... */
};

/** One field of a tracepoint record, as its format file describes it. */
struct bpfkit_tp_field {
	const char *decl; /* as written: "char prev_comm[16]", "__data_loc char[] filename" */
	const char *name; /* "prev_comm" */
	const char *type; /* the type without name and brackets: "char", "const char *";
			     for __data_loc / __rel_loc the element type ("char") */
	enum bpfkit_tp_kind kind;
	uint32_t offset; /* bytes from the record start */
	uint32_t size; /* bytes in the record (4 for __data_loc / __rel_loc) */
	uint32_t array_len; /* ARRAY: elements; 0 when flexible or not known */
	uint32_t elem_size; /* ARRAY, DATA_LOC, REL_LOC: bytes per element, 0 when not known */
	bool is_signed; /* "signed:1" */
	bool is_string; /* char arrays and __data_loc char[]: print as text */
	bool common; /* common_*: the header every event shares (not an arg) */
	int line; /* where in the format file */
};

/** A parsed events/SUBSYS/EVENT/format file. */
struct bpfkit_tp_format {
	const char *file; /* the name messages use */
	const char *name; /* "name:" line, or NULL */
	uint32_t id; /* "ID:" line; valid when has_id */
	bool has_id;
	struct bpfkit_tp_field *fields; /* every field, in file order */
	size_t nfields;
	size_t nargs; /* fields that are not common_ */
	uint32_t record_size; /* end of the furthest field */
	const char *print_fmt; /* "print fmt:" text, or NULL */
};

/**
 * @brief Parse the text of a tracepoint format file.
 *
 * Any bytes are safe to give. Errors read "FILE:LINE:COL: message" and the
 * line and column are also in @p diag.
 *
 * @param file name for messages (e.g. the path); NULL means "format"
 * @return the format, or NULL with errno = EINVAL (bad text) or ENOMEM
 */
BPFKIT_API struct bpfkit_tp_format *bpfkit_tp_format__parse(const char *file, const char *text, size_t len,
							     struct bpfkit_diag *diag);

/**
 * @brief Read and parse TRACEFS/events/SYSTEM/EVENT/format.
 * @param tracefs the tracefs directory; NULL finds it (mounting it when root)
 * @return the format, or NULL with errno: ENOENT (no such tracepoint),
 *         EACCES (needs root), EINVAL (bad names or bad text), ENOMEM
 */
BPFKIT_API struct bpfkit_tp_format *bpfkit_tp_format__load(const char *tracefs, const char *system,
							    const char *event, struct bpfkit_diag *diag);

/** @brief Free a format. Accepts NULL. */
BPFKIT_API void bpfkit_tp_format__free(struct bpfkit_tp_format *fmt);

/** @brief The field called @p name (common_ ones included), or NULL. */
BPFKIT_API const struct bpfkit_tp_field *bpfkit_tp_format__field(const struct bpfkit_tp_format *fmt,
								 const char *name);

/** @brief "int", "ptr", "array", "data_loc", "rel_loc" or "blob". */
BPFKIT_API const char *bpfkit_tp_kind_name(enum bpfkit_tp_kind kind);

/* ---- Wildcards and probe specs ------------------------------------------------------- */

/**
 * @brief bpftrace's wildcards: '*' matches any run of characters (none
 *        included), '?' any one character; everything else matches itself.
 *        Time is O(len(pattern) * len(text)) at worst, never exponential.
 */
BPFKIT_API bool bpfkit_glob_match(const char *pattern, const char *text);

/** @brief Whether @p s holds a '*' or a '?'. */
BPFKIT_API bool bpfkit_glob_has_wildcard(const char *s);

/* The probe type of a provider name: bpfkit_probe_type_lookup() in lang.h. */

/** Most ':'-separated parts a spec may have after its type. */
#define BPFKIT_PROBE_SPEC_MAX_PARTS 8

/**
 * A probe spec as bpftrace writes them, possibly with wildcards:
 *   "tracepoint:syscalls:sys_enter_*"  type TRACEPOINT, parts "syscalls", "sys_enter_*"
 *   "t:sched:*"                        the same with an alias
 *   "tr*:sched:*"                      a wildcard type: matched against canonical names
 *   "kprobe"                           a bare type: every probe of that type
 *   "*sched_switch*"                   no ':' and not a type: matched against whole names
 * Double quotes protect ':' inside a part ("uprobe:\"/a:b/lib.so\":f") and
 * are removed.
 */
struct bpfkit_probe_spec {
	const char *text; /* the spec as given */
	const char *type_part; /* the type as written; NULL for a whole-name pattern */
	int type; /* the type when type_part has no wildcard, else -1 */
	const char *parts[BPFKIT_PROBE_SPEC_MAX_PARTS]; /* after the type, quotes removed */
	size_t nparts;
	bool whole; /* a pattern for whole names ("*sched_switch*"), in parts[0] */
	bool wildcard; /* some part has '*' or '?' */
	char *buf_; /* private: storage for text and parts */
};

/**
 * @brief Split @p text into @p spec. Errors: an empty spec or part list,
 *        an unknown type without wildcards, an unterminated quote, too many parts.
 * @return 0 or -EINVAL (message in @p diag), -ENOMEM; free with __release()
 */
BPFKIT_API int bpfkit_probe_spec__parse(struct bpfkit_probe_spec *spec, const char *text,
					struct bpfkit_diag *diag);

/** @brief Free what __parse() allocated; @p spec may be zeroed or parsed. */
BPFKIT_API void bpfkit_probe_spec__release(struct bpfkit_probe_spec *spec);

/**
 * @brief Whether the probe @p name ("tracepoint:sched:sched_switch", of type
 *        @p type) matches @p spec. Parts are compared one by one; parts the
 *        spec leaves out match anything, and parts the probe lacks match only
 *        spec parts that accept "". A whole-name spec matches the full name,
 *        '*' crossing ':'.
 */
BPFKIT_API bool bpfkit_probe_spec__match(const struct bpfkit_probe_spec *spec, enum bpfkit_probe_type type,
					 const char *name);

/** @brief Whether some probe of @p type could match @p spec (used to skip whole sources). */
BPFKIT_API bool bpfkit_probe_spec__may_match_type(const struct bpfkit_probe_spec *spec,
						  enum bpfkit_probe_type type);

/* ---- Listing probes -------------------------------------------------------------------- */

/** One probe, named as bpftrace names it. */
struct bpfkit_probe {
	enum bpfkit_probe_type type;
	const char *name; /* "tracepoint:sched:sched_switch", "software:cpu-clock:", "BEGIN" */
	const char *target; /* the text after "type:" in @p name ("sched:sched_switch"; "" for BEGIN) */
};

/** What became of one pattern given to bpfkit_probes__list(). */
struct bpfkit_probe_pattern {
	bool matched; /* some probe in the list matches it */
	/* NULL, or a source this pattern could match that this kernel lacks
	 * (kprobes compiled out), skipped without a warning: its type, and why */
	const char *unavailable;
	enum bpfkit_probe_type unavailable_type;
};

/** Sorted by name, without duplicates. */
struct bpfkit_probe_list {
	struct bpfkit_probe *probes;
	size_t n;
	char **warnings; /* sources that were skipped and why, for the caller to show */
	size_t nwarnings;
	struct bpfkit_probe_pattern *patterns; /* one per pattern given, in order */
	size_t npatterns;
};

/** Where to look; NULL or zeroed fields mean the kernel's usual places. */
struct bpfkit_probe_opts {
	const char *tracefs; /* tracefs directory; NULL: bpfkit_tracefs_find(), mounting it when root */
	const char *btf_dir; /* BTF of the kernel and modules; NULL: /sys/kernel/btf */
	const char *pmu_dir; /* perf PMUs; NULL: /sys/bus/event_source/devices */
	int pid; /* -p: uprobe and usdt files as this process sees them (named through
		    /proc/PID/root); with no pattern, the probes of its mapped files */
};

/**
 * @brief List the probes matching any of @p patterns (each may hold several
 *        specs separated by ','), or all probes when @p npatterns is 0.
 *
 * Every probe type is listed except fentry/fexit, iterators and
 * watchpoints (not yet); uprobes only when a spec names a file
 * (uprobe:/bin/bash:*), or with no pattern and opts->pid, the functions of
 * every executable file the process maps. USDT probes are those of the
 * file a spec names (usdt:FILE:PROVIDER:NAME, usdt:FILE:NAME, usdt:FILE),
 * and with opts->pid those of every file the process maps, for a spec that
 * names no file or for no pattern. Listing everything leaves out kretprobes, which
 * mirror kprobes; a pattern whose type matches kretprobe brings them in.
 * Tracepoints come from one directory walk of TRACEFS/events (no file is
 * read), leaving out the ftrace subsystem, whose events BPF cannot attach to.
 * Raw tracepoints come from the btf_trace_* typedefs of the kernel's BTF.
 *
 * A source that is missing (no tracefs, no kprobes, no permission) is an
 * error when a pattern names its type without wildcards, and otherwise a
 * warning in the list (one that exists but cannot be read) or, for a source
 * this kernel does not have, the reason in list->patterns[i].unavailable of
 * each pattern that could have matched it; so a caller can say why a pattern
 * such as "k*" matched nothing.
 *
 * @return the list (possibly empty), or NULL with errno set and @p diag filled
 */
BPFKIT_API struct bpfkit_probe_list *bpfkit_probes__list(const char *const *patterns, size_t npatterns,
							 const struct bpfkit_probe_opts *opts,
							 struct bpfkit_diag *diag);

/** @brief Free a list. Accepts NULL. */
BPFKIT_API void bpfkit_probe_list__free(struct bpfkit_probe_list *list);

/* The perf software and hardware events (bpfkit_perf_event_lookup()) are in lang.h. */

/* ---- Kernel features ------------------------------------------------------------------- */

enum bpfkit_feature {
	BPFKIT_FEATURE_BPF, /* the bpf() syscall, and the privilege to load programs */
	BPFKIT_FEATURE_BTF, /* the kernel's BTF in /sys/kernel/btf/vmlinux */
	BPFKIT_FEATURE_TRACEFS, /* tracefs is mounted and readable */
	BPFKIT_FEATURE_TRACEPOINT, /* perf tracepoint events (the "tracepoint" PMU) */
	BPFKIT_FEATURE_RAW_TP, /* BPF_PROG_TYPE_RAW_TRACEPOINT programs load */
	BPFKIT_FEATURE_TP_BTF, /* BTF-typed raw tracepoints (tp_btf) load */
	BPFKIT_FEATURE_KPROBE, /* kprobes and kretprobes */
	BPFKIT_FEATURE_UPROBE, /* uprobes and uretprobes */
	BPFKIT_FEATURE_FENTRY, /* fentry/fexit programs load (BPF trampolines) */
	BPFKIT_FEATURE_LSM, /* BPF LSM programs load */
	BPFKIT_FEATURE_RINGBUF, /* BPF_MAP_TYPE_RINGBUF maps */
	BPFKIT_FEATURE_PERF_EVENT, /* perf_event_open() of software events (profile, interval) */
	BPFKIT_FEATURE_SDIV, /* cpu v4 signed division and modulo (sdiv/smod, Linux 6.6) */
	BPFKIT_FEATURE__COUNT
};

/** @brief Short name of a feature: "bpf", "btf", "kprobe", ... ("unknown" if out of range). */
BPFKIT_API const char *bpfkit_feature_name(enum bpfkit_feature feat);

/**
 * @brief Whether this kernel has @p feat, found without side effects: files
 *        are looked at, and the loads and maps a test needs are closed again.
 *        Nothing is attached, and a kprobe is never placed.
 * @param why  when missing, a sentence saying why ("kprobes are not available
 *             on this kernel (CONFIG_KPROBES off or kprobe_events missing)")
 * @return 1 available, 0 missing, -EINVAL for an unknown feature
 */
BPFKIT_API int bpfkit_feature_probe(enum bpfkit_feature feat, char *why, size_t why_size);

/* What a tracing run needs of the process, for bpfkit_kern_missing_privileges(). */
#define BPFKIT_PRIV_BPF 1u /* load and attach tracing programs: CAP_BPF + CAP_PERFMON, or CAP_SYS_ADMIN */
#define BPFKIT_PRIV_TRACEFS 2u /* read tracefs (tracepoint formats and ids): root-only (0700) by default */

/**
 * @brief Say exactly what this process lacks of @p need (BPFKIT_PRIV_*): the
 *        capabilities missing from its effective set (capget()), and whether
 *        tracefs can be read (its events/ opened), with CAP_DAC_READ_SEARCH
 *        named when permissions are the reason.
 * @param tracefs  tracefs directory, or NULL to look for it (never mounting)
 * @param why      filled when something is missing: "this process lacks
 *                 CAP_PERFMON (to load and attach BPF programs), and cannot
 *                 read tracefs at /sys/kernel/tracing (mode 0700, owner
 *                 root), where tracepoints are described: it lacks
 *                 CAP_DAC_READ_SEARCH (...)"
 * @return 0 when nothing is missing, 1 when something is, -EINVAL without @p why
 */
BPFKIT_API int bpfkit_kern_missing_privileges(unsigned need, const char *tracefs, char *why, size_t why_size);

/** Receives one message of libbpf's: @p level "warning" or "info", @p msg without newline. */
typedef void (*bpfkit_kern_log_fn)(void *ctx, const char *level, const char *msg);

/**
 * @brief Where libbpf's warnings go. The kern layer never lets libbpf print
 *        on its own: without a log function (the default) its messages are
 *        dropped (failures still come back as -errno with a diag). Process-wide.
 */
BPFKIT_API void bpfkit_kern_set_log(bpfkit_kern_log_fn fn, void *ctx);

/* ======================================================================================
 * Loading and attaching (src/kern/session.c, load.c, attach.c, maps.c, ringbuf.c)
 *
 * A session owns every kernel object of one tracing run: maps, programs,
 * attachments (perf event fds, raw tracepoint fds) and the ring buffer
 * reader. It is built in one call from plain specs (the compiler's output,
 * or hand-written programs) and released in one place, whatever failed.
 * ====================================================================================== */

/** Map kinds the loader creates (BPF_MAP_TYPE_* of the same name). */
enum bpfkit_kern_map_type {
	BPFKIT_KERN_MAP_HASH,
	BPFKIT_KERN_MAP_PERCPU_HASH,
	BPFKIT_KERN_MAP_ARRAY,
	BPFKIT_KERN_MAP_PERCPU_ARRAY,
	BPFKIT_KERN_MAP_RINGBUF, /* max_entries: bytes, rounded up to a power of 2 >= page size */
	BPFKIT_KERN_MAP_PERF_EVENT_ARRAY, /* key/value 4; max_entries 0 = possible CPUs */
	BPFKIT_KERN_MAP_STACK_TRACE, /* key 4; value 8 * depth */
};

/**
 * Reserved map name: a BPFKIT_KERN_MAP_PERCPU_ARRAY with one u64 entry the
 * program increments when a ring buffer output fails (bpf_ringbuf_output()
 * returned non-zero). bpfkit_kern_session__lost() sums it. The compiler
 * names the map (lang.h), so the two cannot drift apart.
 */
#define BPFKIT_KERN_LOST_MAP BPFKIT_LANG_LOST_MAP

/** One map to create. Programs refer to it by @p name (BPFKIT_RELOC_MAP). */
struct bpfkit_kern_map_spec {
	const char *name; /* unique; the kernel sees its first 15 characters */
	enum bpfkit_kern_map_type type;
	uint32_t key_size, value_size, max_entries;
	uint32_t flags; /* BPF_F_* map flags (BPF_F_NO_PREALLOC, ...) */
};

/** Where a program goes. */
enum bpfkit_kern_attach {
	BPFKIT_KERN_ATTACH_NONE, /* load only (prog_type must be set) */
	BPFKIT_KERN_ATTACH_TRACEPOINT, /* target "subsys:event" (perf event, BPF_PROG_TYPE_TRACEPOINT) */
	BPFKIT_KERN_ATTACH_RAW_TRACEPOINT, /* target "event" (BPF_PROG_TYPE_RAW_TRACEPOINT) */
	BPFKIT_KERN_ATTACH_PERF_EVENT, /* perf_type/config/period or freq, one event per CPU
					  (or on one CPU: one_cpu) */
	BPFKIT_KERN_ATTACH_KPROBE, /* target "function" (kprobe PMU) */
	BPFKIT_KERN_ATTACH_KRETPROBE,
	BPFKIT_KERN_ATTACH_UPROBE, /* target "/path/to/binary", offset = file offset */
	BPFKIT_KERN_ATTACH_URETPROBE,
	BPFKIT_KERN_ATTACH_TEST_RUN, /* BEGIN/END: raw_tracepoint program run on demand with
					bpfkit_kern_session__run() (BPF_PROG_TEST_RUN) */
};

/** One program to load and attach. */
struct bpfkit_kern_prog_spec {
	const struct bpfkit_prog *prog; /* not modified: relocations are applied to a copy */
	enum bpfkit_kern_attach attach;
	const char *target; /* see enum bpfkit_kern_attach */
	uint64_t offset; /* UPROBE/URETPROBE: file offset of the probed instruction; KPROBE: offset
			    into the function */
	int pid; /* UPROBE/URETPROBE: fire in this process only (-p); 0 = in every process */
	uint32_t perf_type; /* PERF_EVENT: PERF_TYPE_SOFTWARE, PERF_TYPE_HARDWARE */
	uint64_t perf_config; /* PERF_EVENT: PERF_COUNT_SW_CPU_CLOCK, ... */
	uint64_t sample_period; /* PERF_EVENT: fire every N events (0: use sample_freq) */
	uint64_t sample_freq; /* PERF_EVENT: fire N times a second per CPU */
	bool one_cpu; /* PERF_EVENT: one event on CPU @p cpu (interval probes: bpftrace fires them
			 once, not once per CPU); false = one event per online CPU (profile) */
	int cpu; /* PERF_EVENT with one_cpu: the CPU; it must be online */
	int prog_type; /* BPF_PROG_TYPE_*; 0 = the type the attach kind needs */
	/* UPROBE: file offset of a USDT semaphore (a u16 in the file's data), 0
	 * for none. The kernel counts it up in each process the probe is placed
	 * in and down again when the probe goes (the uprobe PMU's
	 * ref_ctr_offset, Linux 4.20+), so the program's guarded markers fire */
	uint64_t ref_ctr_offset;
};

/** Options for bpfkit_kern_session__new(); NULL means all defaults. */
struct bpfkit_kern_opts {
	uint32_t log_size; /* verifier log bytes kept on rejection; 0 = 1 MiB */
	unsigned close_threads; /* threads that close attachments in parallel; 0 = 16, 1 = serial */
	int syscall_dispatch; /* syscalls:sys_enter_* (sys_exit_*) programs go through one dispatcher on
				 raw_syscalls:sys_enter (sys_exit) when at least this many of them
				 would be attached: 0 = 8, -1 = never (docs/kern.md) */
};

/** The verifier's answer to a rejected program (filled by __new on failure). */
struct bpfkit_kern_verifier_log {
	long prog; /* index of the rejected program in the specs, -1 = none */
	long insn; /* failing instruction (slot index) parsed from the log, -1 = unknown */
	char *text; /* the log (its tail when it was longer than log_size); free() it */
};

struct bpfkit_kern_session;

/**
 * @brief Create the maps, load every program (relocations patched to the
 *        map fds, license "GPL") and attach it.
 *
 * On any failure everything created so far is released before returning.
 * Errors name the program or map and the reason; a verifier rejection
 * returns EINVAL with the failing instruction in @p diag->insn and the log
 * in @p vlog; EPERM says "bpfkit needs root (or CAP_BPF + CAP_PERFMON)";
 * an unknown tracepoint ENOENT ("no tracepoint syscalls:sys_enter_foo");
 * a probe type this kernel lacks EOPNOTSUPP ("... not available ...").
 *
 * @param vlog  NULL, or filled (prog -1, text NULL when no program was rejected)
 * @return the session, or NULL with errno set and @p diag filled
 */
BPFKIT_API struct bpfkit_kern_session *
bpfkit_kern_session__new(const struct bpfkit_kern_map_spec *maps, size_t nmaps,
			 const struct bpfkit_kern_prog_spec *progs, size_t nprogs,
			 const struct bpfkit_kern_opts *opts, struct bpfkit_kern_verifier_log *vlog,
			 struct bpfkit_diag *diag);

/**
 * @brief Detach and close everything the session holds: attachments first
 *        (in parallel, see docs/kern.md), then the ring buffer reader,
 *        programs and maps. Idempotent; the session stays valid (maps read
 *        -EBADF afterwards). Call it from the main loop after a signal set a flag.
 */
BPFKIT_API void bpfkit_kern_session__close(struct bpfkit_kern_session *s);

/**
 * @brief Detach every attached program (the probes stop firing) but keep
 *        maps, programs and the ring buffer, so END programs can still run
 *        and maps be read without the probes changing them meanwhile (as
 *        bpftrace: END fires after all other probes are detached).
 *        Idempotent; __close() does it too.
 */
BPFKIT_API void bpfkit_kern_session__detach(struct bpfkit_kern_session *s);

/** @brief __close() and free the session. Accepts NULL. */
BPFKIT_API void bpfkit_kern_session__free(struct bpfkit_kern_session *s);

/**
 * @brief Run TEST_RUN program @p prog (index in the specs) once on this CPU
 *        (BPF_PROG_TEST_RUN); its r0 goes to @p retval (may be NULL).
 * @return 0, -EINVAL when @p prog is no TEST_RUN program, or the kernel's error
 */
BPFKIT_API int bpfkit_kern_session__run(struct bpfkit_kern_session *s, size_t prog, uint32_t *retval,
					struct bpfkit_diag *diag);

/**
 * @brief Run TEST_RUN program @p prog once over packet @p data of @p size
 *        bytes (BPF_PROG_TEST_RUN's data_in: a socket filter, tc or XDP
 *        program, as the spec's prog_type says); its r0 to @p retval.
 * @return 0, -EINVAL when @p prog is no TEST_RUN program or the kernel
 *         refuses the packet (too short for its headers), or the kernel's error
 */
BPFKIT_API int bpfkit_kern_session__run_data(struct bpfkit_kern_session *s, size_t prog, const void *data,
					     uint32_t size, uint32_t *retval, struct bpfkit_diag *diag);

/** A ring buffer record; return a negative errno to stop polling (__poll returns it). */
typedef int (*bpfkit_kern_record_fn)(void *ctx, const void *data, size_t len);

/**
 * @brief Wait up to @p timeout_ms (-1: forever, 0: no wait) for records in
 *        the session's ring buffer maps and hand each to @p fn.
 * @return records handled (>= 0), -EINTR when a signal came (check your
 *         flag and call again), -ENOENT when the session has no ring buffer
 */
BPFKIT_API int bpfkit_kern_session__poll(struct bpfkit_kern_session *s, int timeout_ms,
					 bpfkit_kern_record_fn fn, void *ctx);

/** @brief Records the programs could not output: the sum of BPFKIT_KERN_LOST_MAP
 *         over CPUs, 0 when the session has no such map. */
BPFKIT_API uint64_t bpfkit_kern_session__lost(struct bpfkit_kern_session *s);

/** How a session attached its syscall tracepoints (docs/kern.md, "The syscall dispatcher"). */
struct bpfkit_kern_dispatch_info {
	size_t dispatchers; /* dispatchers attached to raw_syscalls:sys_enter / sys_exit */
	size_t probes; /* syscalls:sys_enter_* / sys_exit_* programs reached through them */
	const char *note; /* why syscall programs that could have gone through a dispatcher were
			     attached one by one, or NULL; valid until the session is freed */
};

/** @brief Fill @p info (all zero for NULL or a session without syscall programs). */
BPFKIT_API void bpfkit_kern_session__dispatch_info(const struct bpfkit_kern_session *s,
						   struct bpfkit_kern_dispatch_info *info);

/** @brief Number of attachments (perf events, raw tracepoint links) held. */
BPFKIT_API size_t bpfkit_kern_session__nattached(const struct bpfkit_kern_session *s);

/** @brief The fd of program @p prog, or -1 (closed, or out of range). */
BPFKIT_API int bpfkit_kern_session__prog_fd(const struct bpfkit_kern_session *s, size_t prog);

/* ---- The kernel's timing of programs (src/kern/stats.c) ---- */

/** What the kernel measured of one program while statistics were on. */
struct bpfkit_kern_prog_stats {
	uint64_t run_time_ns; /* total time of its runs, each including two clock reads */
	uint64_t run_cnt; /* its runs */
	uint32_t insns; /* instructions after the verifier's rewrites (xlated) */
	uint32_t jited_bytes; /* size of its machine code, 0 when not JIT-compiled */
	bool dispatched; /* reached through the syscall dispatcher by a tail call: the
			    kernel times the dispatcher's run, not this program's (0 runs) */
};

/**
 * @brief Turn on the kernel's run-time statistics of every BPF program
 *        (BPF_ENABLE_STATS) for as long as the returned fd is open.
 * @return the fd to close when done, or a negative errno with @p d set
 *         (needs CAP_SYS_ADMIN and Linux 5.8)
 */
BPFKIT_API int bpfkit_kern_stats_enable(struct bpfkit_diag *d);

/** @brief Fill @p st for program @p prog of @p s. 0, or -EBADF / -errno. */
BPFKIT_API int bpfkit_kern_session__prog_stats(const struct bpfkit_kern_session *s, size_t prog,
					       struct bpfkit_kern_prog_stats *st);

/* ---- Maps of a session (src/kern/maps.c) ---- */

/** @brief Index of the map called @p name, or -ENOENT. */
BPFKIT_API int bpfkit_kern_map__find(const struct bpfkit_kern_session *s, const char *name);

/** @brief The map's fd, or -1 (closed, or bad index). */
BPFKIT_API int bpfkit_kern_map__fd(const struct bpfkit_kern_session *s, size_t map);

/** @brief Possible CPUs: how many values a per-CPU lookup returns. */
BPFKIT_API int bpfkit_kern_ncpus(void);

/**
 * @brief Bytes a lookup of @p map writes: value_size, or for per-CPU maps
 *        ncpus * value_size rounded up to 8 (CPU i's value at i * stride).
 * @param stride  NULL, or receives the distance between two CPUs' values
 */
BPFKIT_API size_t bpfkit_kern_map__value_buf_size(const struct bpfkit_kern_session *s, size_t map,
						   size_t *stride);

/**
 * @brief The key after @p key (NULL: the first key) into @p next.
 * @return 0, -ENOENT after the last key, or another negative errno
 */
BPFKIT_API int bpfkit_kern_map__next_key(const struct bpfkit_kern_session *s, size_t map, const void *key,
					  void *next);

/** @brief Read the value(s) of @p key into @p values (value_buf_size bytes).
 *  @return 0, -ENOENT when there is no such key */
BPFKIT_API int bpfkit_kern_map__lookup(const struct bpfkit_kern_session *s, size_t map, const void *key,
				       void *values);

/**
 * @brief Read @p key and add up its u64 slots over CPUs: sums[i] = the sum of
 *        u64 number i of every CPU's value (@p nslots <= value_size / 8).
 *        For maps that are not per-CPU this is a plain read.
 */
BPFKIT_API int bpfkit_kern_map__lookup_sum_u64(const struct bpfkit_kern_session *s, size_t map,
					       const void *key, uint64_t *sums, size_t nslots);

/** @brief Write @p key (per-CPU maps: value_buf_size bytes, one value per CPU).
 *  @param flags BPF_ANY, BPF_NOEXIST or BPF_EXIST */
BPFKIT_API int bpfkit_kern_map__update(const struct bpfkit_kern_session *s, size_t map, const void *key,
				       const void *values, uint64_t flags);

/** @brief Delete @p key (arrays: -EINVAL, as the kernel says; use __clear). */
BPFKIT_API int bpfkit_kern_map__delete(const struct bpfkit_kern_session *s, size_t map, const void *key);

/** @brief Empty a map: hash maps lose every key, arrays are zeroed. */
BPFKIT_API int bpfkit_kern_map__clear(const struct bpfkit_kern_session *s, size_t map);

/* ---- The compiler's environment (src/kern/lang_env.c) ---- */

struct bpfkit_kern_lang_env;

/**
 * @brief A struct bpfkit_lang_env backed by this kernel: wildcards expand
 *        through bpfkit_probes__list(), tracepoint fields come from
 *        bpfkit_tp_format__load() (formats are kept until __free()).
 * @param tracefs the tracefs directory, or NULL to find it
 * @return the environment, or NULL with errno = ENOMEM
 */
BPFKIT_API struct bpfkit_kern_lang_env *bpfkit_kern_lang_env__new(const char *tracefs);

/** @brief The environment to give bpfkit_lang__compile(). */
BPFKIT_API const struct bpfkit_lang_env *bpfkit_kern_lang_env__env(const struct bpfkit_kern_lang_env *e);

/** @brief The last tracepoint asked for that does not exist ("sys:event"), or NULL. */
BPFKIT_API const char *bpfkit_kern_lang_env__missing(const struct bpfkit_kern_lang_env *e);

/** @brief Free the environment. Accepts NULL. */
BPFKIT_API void bpfkit_kern_lang_env__free(struct bpfkit_kern_lang_env *e);

/**
 * @brief Resolve uprobe targets as process @p pid sees them (`-p PID`): a
 *        library name among its mappings, paths through /proc/PID/root.
 *        0 (the default): as this process sees them.
 */
BPFKIT_API void bpfkit_kern_lang_env__set_pid(struct bpfkit_kern_lang_env *e, int pid);

#ifdef __cplusplus
}
#endif

#endif /* BPFKIT_KERN_H */
