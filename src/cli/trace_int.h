/* SPDX-License-Identifier: MIT */
/*
 * Private to `bpfkit trace` (cmd_trace.c, trace_run.c, trace_events.c,
 * trace_maps.c): the state of one tracing run, shared by the run loop, the
 * ring buffer callback and the map printers.
 */
#ifndef BPFKIT_CLI_TRACE_INT_H
#define BPFKIT_CLI_TRACE_INT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include <bpfkit/kern.h>
#include <bpfkit/lang.h>
#include <bpfkit/out.h>

/* What the command line asked for a run. */
struct trace_opts {
	const char *file; /* name for diagnostics: the FILE, or "stdin" for -e */
	const char *src; /* the program text */
	size_t len;
	bool dry_run; /* -d: print the compiled programs, maps and events */
	bool verbose; /* -v */
	bool json; /* -f json */
	bool folded; /* -f folded */
	const char *output; /* -o FILE */
	const char *cmd; /* -c CMD */
	pid_t pid; /* -p PID, 0 = none */
	bool usdt_file_activation; /* --usdt-file-activation: USDT probes in every process mapping the file */
	const char *const *params; /* positional parameters $1..: the arguments after -e PROGRAM / FILE */
	size_t nparams;
	bool unsafe; /* --unsafe: system() allowed */
	int helper_checks; /* -k 1, -kk 2: warn when a helper fails */
	bool quiet; /* -q: no "Attaching N probes..." */
	bool stats; /* --stats: the kernel's timing of each program, at exit */
	const char *ustack_unwind; /* --ustack-unwind fp|dwarf (NULL: BPFKIT_USTACK_UNWIND, else fp) */
	int buffering; /* -B: _IOLBF, _IOFBF or _IONBF; -1: the stream's own */
	const char *const *include_dirs; /* -I DIR... */
	size_t ninclude_dirs;
	const char *const *include_files; /* --include FILE...: as #include <FILE> before the script */
	size_t ninclude_files;
};

/* Allocations that live as long as one map read or one record: freed at once. */
struct tpool {
	void **ptrs;
	size_t n, cap;
};

void *tpool_alloc(struct tpool *p, size_t size);
void tpool_release(struct tpool *p);

/* One tracing run. */
struct trace_ctx {
	const struct bpfkit_compiled *c;
	struct bpfkit_kern_session *s;
	struct bpfkit_out out;
	int *map_idx; /* session index of compiled map i, -1 when absent */
	bool exit_seen; /* exit() ran: stop, ignore records until END runs */
	bool ignore; /* drop records (between exit() and END) */
	unsigned long bad_records; /* records too short or with an unknown id */
	int write_err; /* errno of the first failed write to the output; the run stops there */
	struct timespec boot; /* wall-clock time at boot, for strftime() (once have_boot) */
	bool have_boot;
	struct bpfkit_ksyms *ksyms; /* names kernel addresses (kstack, ksym()), read when first used */
	struct bpfkit_usyms *usyms; /* names user addresses (ustack, usym()): processes read when first seen */
	struct trace_ustacks *ustacks; /* ustacks unwound here (--ustack-unwind dwarf), NULL until the first */
	const struct trace_opts *o; /* the script's name and text, for -k's warnings */
};

/* The run: compile, load, attach, loop, print, tear down. Returns an exit code. */
int trace_run(const struct trace_opts *o);

/* Decode @p avail bytes at @p p as @p ty into @p v (tuples and text from @p pool). */
int trace_decode(struct trace_ctx *t, const struct bpfkit_lang_vtype *ty, const void *p, size_t avail,
		 struct bpfkit_out_val *v, struct tpool *pool);

/* A strftime() value (the id of its format's event, nanoseconds since boot)
 * as its text; "(?)" after bpftrace's message on stderr when that fails. */
int trace_timestamp(struct trace_ctx *t, uint64_t id, uint64_t nsecs, struct bpfkit_out_val *v,
		    struct tpool *pool);

/* The ring buffer callback: one record (bpfkit_kern_record_fn). */
int trace_on_record(void *ctx, const void *data, size_t len);

/* Index in t->c->maps of the map called @p name, or -1. */
int trace_map_by_name(const struct trace_ctx *t, const char *name);

/* print(@m, top, div). */
int trace_map_print(struct trace_ctx *t, size_t cmap, uint32_t top, uint32_t div);

/* clear(@m) and zero(@m), from user space. */
int trace_map_clear(struct trace_ctx *t, size_t cmap);
int trace_map_zero(struct trace_ctx *t, size_t cmap);

/* Every user map as bpftrace prints them when a run ends. */
int trace_maps_print_exit(struct trace_ctx *t);

/* trace_ustack.c: ustacks unwound in user space (--ustack-unwind dwarf). */
struct trace_ustacks;
void trace_ustacks_free(struct trace_ustacks *u);
/* An EV_USTACK record: unwind it and remember its tag's frames. */
int trace_ustack_record(struct trace_ctx *t, const unsigned char *rec, size_t len);
/* The frames of a dwarf ustack value (a tag or an interned index); -ENOENT: none. */
int trace_ustack_frames(struct trace_ctx *t, uint64_t val, const uint64_t **ips, size_t *n);
/* An EV_AGG record: apply it to its map from user space. */
int trace_agg_record(struct trace_ctx *t, const struct bpfkit_lang_event *ev, const unsigned char *rec,
		     size_t len);
/* Samples unwound, the time it took, frames found, distinct stacks kept. */
void trace_ustack_stats(const struct trace_ctx *t, uint64_t *unwinds, uint64_t *ns, uint64_t *frames,
			size_t *distinct);

/* Warn on stderr ("bpfkit: warning: ..."). */

#endif
