/* SPDX-License-Identifier: MIT */
/*
 * Private to the loader half of src/kern (session.c, load.c, attach.c,
 * maps.c, ringbuf.c): the session's layout and the functions its files
 * share. Nothing here is part of the library's interface.
 */
#ifndef BPFKIT_LOAD_INT_H
#define BPFKIT_LOAD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfkit/kern.h>

struct ring_buffer; /* libbpf */
struct ksysdisp_state; /* sysdisp.c */
struct perf_buffer;

/* A created map. fd is -1 once closed. */
struct kmap {
	char *name;
	enum bpfkit_kern_map_type type;
	uint32_t key_size, value_size, max_entries;
	bool percpu;
	int fd;
};

/* A loaded program. fd is -1 once closed. */
struct kprog {
	char *name; /* for messages: the program's name or "#N" */
	enum bpfkit_kern_attach attach;
	int prog_type;
	int fd;
	uint32_t via; /* 0: attached on its own; k: through syscall dispatcher k - 1 (sysdisp.c) */
};

struct bpfkit_kern_session {
	struct kmap *maps;
	size_t nmaps;
	struct kprog *progs;
	size_t nprogs;
	int *links; /* attachment fds: perf events, raw tracepoint fds */
	size_t nlinks, links_cap;
	struct ring_buffer *rb; /* reader over every RINGBUF map, or NULL */
	struct perf_buffer *pb; /* reader over the PERF_EVENT_ARRAY map, or NULL */
	bpfkit_kern_record_fn fn; /* the current poll's callback */
	void *fn_ctx;
	int fn_ret; /* what the callback returned to stop polling */
	unsigned close_threads;
	int syscall_dispatch; /* opts->syscall_dispatch */
	struct ksysdisp_state *sysdisp; /* syscall dispatchers (sysdisp.c), or NULL */
	bool closed;
};

/* The message for a failed bpf()/perf_event_open() call: EPERM and EACCES
 * (outside the verifier) get the root hint. Returns @p err (negative). */
int kload_error(struct bpfkit_diag *d, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- maps.c ---- */

/* Create every map of @p specs into s->maps. */
int kmaps_create(struct bpfkit_kern_session *s, const struct bpfkit_kern_map_spec *specs, size_t n,
		 struct bpfkit_diag *d);

/* ---- load.c ---- */

/* Load program @p i of @p specs into s->progs[i]. */
int kprog_load(struct bpfkit_kern_session *s, size_t i, const struct bpfkit_kern_prog_spec *spec,
	       uint32_t log_size, struct bpfkit_kern_verifier_log *vlog, struct bpfkit_diag *d);

/* The failing instruction named by a verifier log, or -1. */
long kprog_log_insn(const char *log);

/* ---- attach.c ---- */

/* Attach program @p i as its spec says, adding fds to s->links. */
int kprog_attach(struct bpfkit_kern_session *s, size_t i, const struct bpfkit_kern_prog_spec *spec,
		 struct bpfkit_diag *d);

/* Attach the TRACEPOINT program of @p p to tracepoint @p target ("subsys:event"). */
int kprog_attach_tracepoint(struct bpfkit_kern_session *s, const struct kprog *p, const char *target,
			    struct bpfkit_diag *d);

/* Remember an attachment fd (closed with the session). On failure closes @p fd. */
int ksession_add_link(struct bpfkit_kern_session *s, int fd);

/* ---- ringbuf.c ---- */

/* Open the ring buffer reader when the session has RINGBUF maps. */
int kringbuf_open(struct bpfkit_kern_session *s, struct bpfkit_diag *d);
void kringbuf_close(struct bpfkit_kern_session *s);

#endif
