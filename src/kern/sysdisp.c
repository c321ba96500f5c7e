// SPDX-License-Identifier: MIT
/*
 * The syscall dispatcher: many syscalls:sys_enter_* (or sys_exit_*) probes
 * through one attachment.
 *
 * Each tracepoint attached with its own perf event costs a kernel
 * grace-period wait when it is closed (~78 ms here, ~11 s for the 360
 * sys_enter_* events even from 16 threads; docs/kern.md). Every one of those
 * events is fired from the raw_syscalls:sys_enter (sys_exit) tracepoint, and
 * the records coincide: sys_enter_X is the common header, int __syscall_nr
 * at 8 and the arguments at 16 + 8 * i; raw_syscalls:sys_enter is the
 * header, long id at 8 and unsigned long args[6] at 16 (sys_exit_X:
 * __syscall_nr at 8, long ret at 16; raw_syscalls:sys_exit: long id at 8,
 * long ret at 16). So the programs, unchanged and of the same type
 * (TRACEPOINT), go into a BPF_MAP_TYPE_PROG_ARRAY at their syscall number,
 * and one small program on raw_syscalls:sys_enter tail-calls slot id. One
 * perf event to close instead of hundreds.
 *
 * What differs from sys_enter_X, and how it is handled:
 *  - raw_syscalls also fires for ia32 (compat) system calls, with ia32
 *    numbers (20 is getpid there, writev here); sys_enter_X does not. The
 *    dispatcher reads thread_info.status of the current task (offset from
 *    the kernel's BTF) and drops calls with TS_COMPAT set. x32 numbers have
 *    bit 30 set, beyond the array, as sys_enter_X ignores them too.
 *  - the numbers: event names are SYSCALL_DEFINE names; the table
 *    (syscall_table.c) has uapi names; the few that differ are aliased here.
 *  - every layout is checked against tracefs; a program whose event does
 *    not match, or has no number, is attached directly as before.
 * Several programs on one event (two probes of one script) go into
 * different arrays: the n-th program of each syscall into dispatcher n, and
 * dispatchers are attached in program order, so they run in script order.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <bpf/bpf.h>

#include "kern/kern_int.h"
#include "kern/load_int.h"
#include "kern/sysdisp.h"

/* Below this many programs of one direction, attaching them one by one is
 * cheaper overall: the dispatcher runs on every system call of the machine. */
#define DEFAULT_MIN 8

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

/*
 * Tracepoint (SYSCALL_DEFINE) names that are not the uapi name of their
 * x86-64 number: the kernel kept the old names of calls whose structures
 * were replaced (newstat and friends, newuname) or whose 64-bit variant took
 * the plain number (sendfile64), and umount2 is SYSCALL_DEFINE2(umount).
 */
static const struct {
	const char *event, *uapi;
} aliases[] = {
	{ "newfstat", "fstat" },   { "newlstat", "lstat" },	{ "newstat", "stat" },
	{ "newuname", "uname" },   { "sendfile64", "sendfile" }, { "umount", "umount2" },
};

static int cmp_syscall(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ksyscall *)elem)->name);
}

int ksysdisp_syscall_nr(const char *name)
{
	const struct ksyscall *sc;

	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(name, aliases[i].event)) {
			name = aliases[i].uapi;
			break;
		}
	sc = bsearch(name, ksyscalls_x86_64, ksyscalls_x86_64_count, sizeof(*sc), cmp_syscall);
	return sc ? sc->nr : -1;
}

bool ksysdisp_target(const char *target, enum ksysdisp_dir *dir, const char **name)
{
	static const char enter[] = "syscalls:sys_enter_", exit_[] = "syscalls:sys_exit_";

	if (!target)
		return false;
	if (!strncmp(target, enter, sizeof(enter) - 1)) {
		*dir = KSYSDISP_ENTER;
		*name = target + sizeof(enter) - 1;
	} else if (!strncmp(target, exit_, sizeof(exit_) - 1)) {
		*dir = KSYSDISP_EXIT;
		*name = target + sizeof(exit_) - 1;
	} else {
		return false;
	}
	return **name != 0;
}

/* Whether @p f is a scalar of @p size bytes at @p off. */
static bool scalar_at(const struct bpfkit_tp_field *f, uint32_t off, uint32_t size)
{
	return f->offset == off && f->size == size && (f->kind == BPFKIT_TP_INT || f->kind == BPFKIT_TP_PTR);
}

/*
 * The layout check (see sysdisp.h): every non-common field must be where
 * the other record has the same bytes. Fields are matched by name and
 * offset, not by position in the file.
 */
bool ksysdisp_layout_ok(const struct bpfkit_tp_format *fmt, enum ksysdisp_dir dir, bool raw)
{
	bool have_id = false, have_rest = false;
	size_t args = 0;

	if (!fmt)
		return false;
	for (size_t i = 0; i < fmt->nfields; i++) {
		const struct bpfkit_tp_field *f = &fmt->fields[i];

		if (f->common)
			continue;
		if (raw && !strcmp(f->name, "id") && scalar_at(f, 8, 8)) {
			have_id = true;
		} else if (!raw && !strcmp(f->name, "__syscall_nr") && scalar_at(f, 8, 4)) {
			have_id = true;
		} else if (raw && dir == KSYSDISP_ENTER && !strcmp(f->name, "args") && f->kind == BPFKIT_TP_ARRAY &&
			   f->offset == 16 && f->size == 48 && f->array_len == 6) {
			have_rest = true;
		} else if (dir == KSYSDISP_EXIT && !strcmp(f->name, "ret") && scalar_at(f, 16, 8)) {
			have_rest = true;
		} else if (!raw && dir == KSYSDISP_ENTER && args < 6 && scalar_at(f, 16 + 8 * (uint32_t)args, 8)) {
			args++;
		} else {
			return false;
		}
	}
	if (!raw && dir == KSYSDISP_ENTER)
		return have_id && !have_rest;
	return have_id && have_rest;
}

/* ---- The dispatcher program ---------------------------------------------------------- */

static struct bpfkit_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpfkit_insn){ .code = code, .dst = dst, .src = src, .off = off, .imm = imm };
}

/*
 * Build the dispatcher (see sysdisp.h):
 *    0: r6 = r1
 *    1: call bpf_get_current_task_btf
 *    2: r1 = *(u32 *)(r0 + status_off)      thread_info.status
 *    3: r1 &= TS_COMPAT
 *    4: if r1 != 0 goto out                  an ia32 syscall
 *    5: r3 = *(u64 *)(r6 + 8)                id
 *    6: if r3 >= nr_limit goto out           (unsigned: -1 too)
 *    7: r1 = r6
 *    8: r2 = map[syscall_progs] ll
 *   10: call bpf_tail_call                   returns only for an empty slot
 *  out: r0 = 0; exit
 */
struct bpfkit_prog *ksysdisp_build(uint32_t nr_limit, uint32_t status_off)
{
	enum { LEN = 13, OUT = 11 };
	struct bpfkit_prog *p;
	struct bpfkit_insn *in;

	if (status_off > INT16_MAX || !nr_limit || nr_limit > INT32_MAX) {
		errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->name = strdup("syscall_dispatch");
	p->insns = in = calloc(LEN, sizeof(*in));
	p->relocs = calloc(1, sizeof(*p->relocs));
	if (p->relocs)
		p->relocs[0] = (struct bpfkit_reloc){ .insn = 8, /* the lddw below */
						      .kind = BPFKIT_RELOC_MAP,
						      .name = strdup(KSYSDISP_MAP_NAME) };
	if (!p->name || !in || !p->relocs || !p->relocs[0].name) {
		bpfkit_prog__free(p);
		errno = ENOMEM;
		return NULL;
	}
	p->len = LEN;
	p->nrelocs = 1;
	in[0] = insn(BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 6, 1, 0, 0);
	in[1] = insn(BPFKIT_OP_CALL, 0, BPFKIT_CALL_HELPER, 0, BPF_FUNC_get_current_task_btf);
	in[2] = insn(BPFKIT_LDX | BPFKIT_MEM | BPFKIT_W, 1, 0, (int16_t)status_off, 0);
	in[3] = insn(BPFKIT_ALU64 | BPFKIT_AND | BPFKIT_K, 1, 0, 0, KSYSDISP_TS_COMPAT);
	in[4] = insn(BPFKIT_JMP | BPFKIT_JNE | BPFKIT_K, 1, 0, OUT - 5, 0);
	in[5] = insn(BPFKIT_LDX | BPFKIT_MEM | BPFKIT_DW, 3, 6, 8, 0);
	in[6] = insn(BPFKIT_JMP | BPFKIT_JGE | BPFKIT_K, 3, 0, OUT - 7, (int32_t)nr_limit);
	in[7] = insn(BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, 6, 0, 0);
	in[8] = insn(BPFKIT_OP_LDDW, 2, BPFKIT_PSEUDO_MAP_FD, 0, 0);
	in[9] = insn(0, 0, 0, 0, 0);
	in[10] = insn(BPFKIT_OP_CALL, 0, BPFKIT_CALL_HELPER, 0, BPF_FUNC_tail_call);
	in[OUT] = insn(BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_K, 0, 0, 0, 0);
	in[12] = insn(BPFKIT_OP_EXIT, 0, 0, 0, 0);
	return p;
}

/* ---- In the session -------------------------------------------------------------------- */

/* One dispatcher: the n-th program of each syscall of one direction. */
struct kdisp_group {
	enum ksysdisp_dir dir;
	unsigned layer;
	size_t members; /* programs that go through it */
	size_t first; /* the first of them in program order: attached with it */
	bool usable;
	int map_fd, prog_fd;
};

struct ksysdisp_state {
	struct kdisp_group *groups;
	size_t ngroups;
	size_t probes; /* programs reached through a dispatcher */
	size_t unknown; /* syscalls:* programs whose name has no number */
	char note[512]; /* why programs stayed direct */
};

/* Per program, during setup. */
struct kdisp_cand {
	int nr; /* -1: not a dispatcher candidate */
	enum ksysdisp_dir dir;
	long group;
};

/* Append a sentence to the note (cut when full). */
static void note(struct ksysdisp_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct ksysdisp_state *st, const char *fmt, ...)
{
	size_t len = strlen(st->note);
	va_list ap;

	if (len + 3 >= sizeof(st->note))
		return;
	if (len) {
		memcpy(st->note + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(st->note + len, sizeof(st->note) - len, fmt, ap);
	va_end(ap);
}

static const char *raw_event(enum ksysdisp_dir dir)
{
	return dir == KSYSDISP_ENTER ? "sys_enter" : "sys_exit";
}

/* Leave candidate @p c out of its group (it is attached directly). */
static void drop(struct ksysdisp_state *st, struct kdisp_cand *c)
{
	st->groups[c->group].members--;
	c->group = -1;
}

/* The group of (@p dir, @p layer), added when new; -ENOMEM. */
static long group_of(struct ksysdisp_state *st, enum ksysdisp_dir dir, unsigned layer)
{
	struct kdisp_group *g;

	for (size_t i = 0; i < st->ngroups; i++)
		if (st->groups[i].dir == dir && st->groups[i].layer == layer)
			return (long)i;
	g = realloc(st->groups, (st->ngroups + 1) * sizeof(*g));
	if (!g)
		return -ENOMEM;
	st->groups = g;
	st->groups[st->ngroups] = (struct kdisp_group){ .dir = dir, .layer = layer, .map_fd = -1, .prog_fd = -1 };
	return (long)st->ngroups++;
}

/*
 * Find the candidates: loaded TRACEPOINT programs on syscalls:sys_enter_X or
 * sys_exit_X whose X has a number; the k-th program of one syscall and
 * direction goes to group (dir, k). Two different events with one number
 * (a mistake in the table) would each see the other's calls: programs on
 * such a number stay direct.
 */
static int find_candidates(struct bpfkit_kern_session *s, struct ksysdisp_state *st,
			   const struct bpfkit_kern_prog_spec *specs, size_t n, struct kdisp_cand *cand)
{
	size_t slots = 2 * ((size_t)ksyscalls_x86_64_max + 1), slot;
	unsigned *seen = calloc(slots, sizeof(*seen));
	const char **owner = calloc(slots, sizeof(*owner)); /* the event name of each number */
	const char *first_unknown = NULL, *clash = NULL;
	const char *name;
	enum ksysdisp_dir dir;

	if (!seen || !owner) {
		free(seen);
		free(owner);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		cand[i] = (struct kdisp_cand){ .nr = -1, .group = -1 };
		if (specs[i].attach != BPFKIT_KERN_ATTACH_TRACEPOINT ||
		    s->progs[i].prog_type != BPF_PROG_TYPE_TRACEPOINT || s->progs[i].fd < 0 ||
		    !ksysdisp_target(specs[i].target, &dir, &name))
			continue;
		cand[i].nr = ksysdisp_syscall_nr(name);
		cand[i].dir = dir;
		if (cand[i].nr < 0 || cand[i].nr > ksyscalls_x86_64_max) {
			cand[i].nr = -1;
			if (!st->unknown++)
				first_unknown = specs[i].target;
			continue;
		}
		slot = (size_t)dir * (slots / 2) + (size_t)cand[i].nr;
		if (!owner[slot])
			owner[slot] = name;
		else if (strcmp(owner[slot], name) && !clash)
			clash = specs[i].target;
	}
	for (size_t i = 0; i < n; i++) {
		long g;

		if (cand[i].nr < 0)
			continue;
		ksysdisp_target(specs[i].target, &dir, &name);
		slot = (size_t)cand[i].dir * (slots / 2) + (size_t)cand[i].nr;
		if (strcmp(owner[slot], name)) {
			owner[slot] = ""; /* no event is called that: every program of the number is left out */
			continue;
		}
		g = group_of(st, cand[i].dir, seen[slot]++);
		if (g < 0) {
			free(seen);
			free(owner);
			return (int)g;
		}
		cand[i].group = g;
		st->groups[g].members++;
	}
	/* the first program of a clashing number went in before the clash was seen: take it out */
	for (size_t i = 0; i < n; i++)
		if (cand[i].group >= 0 && !owner[(size_t)cand[i].dir * (slots / 2) + (size_t)cand[i].nr][0])
			drop(st, &cand[i]);
	free(seen);
	free(owner);
	if (st->unknown)
		note(st, "%zu syscall tracepoint(s) have no x86-64 number (%s%s)", st->unknown, first_unknown,
		     st->unknown > 1 ? ", ..." : "");
	if (clash)
		note(st, "%s has the syscall number of another tracepoint", clash);
	return 0;
}

/*
 * Check the formats the dispatcher relies on: the raw_syscalls event of
 * each direction in use, and each candidate's own event. A candidate whose
 * event differs is dropped; a raw event that differs drops its direction.
 */
static void check_layouts(struct ksysdisp_state *st, struct kdisp_cand *cand, size_t n, const char *tracefs,
			  const struct bpfkit_kern_prog_spec *specs)
{
	bool dir_ok[2] = { false, false }, dir_used[2] = { false, false };
	size_t bad = 0;
	const char *first_bad = NULL;

	for (size_t g = 0; g < st->ngroups; g++)
		if (st->groups[g].usable)
			dir_used[st->groups[g].dir] = true;
	for (int dir = 0; dir < 2; dir++) {
		struct bpfkit_diag d;
		struct bpfkit_tp_format *f;

		if (!dir_used[dir])
			continue;
		f = bpfkit_tp_format__load(tracefs, "raw_syscalls", raw_event(dir), &d);
		dir_ok[dir] = ksysdisp_layout_ok(f, dir, true);
		if (!dir_ok[dir])
			note(st, "raw_syscalls:%s %s", raw_event(dir),
			     f ? "has a layout the dispatcher does not know" : d.msg);
		bpfkit_tp_format__free(f);
	}
	for (size_t i = 0; i < n; i++) {
		struct bpfkit_tp_format *f;
		struct bpfkit_diag d;

		if (cand[i].group < 0 || !st->groups[cand[i].group].usable)
			continue;
		if (!dir_ok[cand[i].dir]) {
			drop(st, &cand[i]);
			continue;
		}
		f = bpfkit_tp_format__load(tracefs, "syscalls", strchr(specs[i].target, ':') + 1, &d);
		if (!ksysdisp_layout_ok(f, cand[i].dir, false)) {
			if (!bad++)
				first_bad = specs[i].target;
			drop(st, &cand[i]);
		}
		bpfkit_tp_format__free(f);
	}
	if (bad)
		note(st, "%zu syscall tracepoint(s) have a layout that differs from raw_syscalls (%s%s)", bad,
		     first_bad, bad > 1 ? ", ..." : "");
}

/* Byte offset of thread_info.status in task_struct, from the kernel's BTF. */
static int compat_status_offset(uint32_t *off, char *why, size_t why_size)
{
	struct kbtf b;
	uint32_t ti_off, ti_size, st_off, st_size;
	int err = kbtf_load(&b, VMLINUX_BTF, NULL);

	if (err) {
		snprintf(why, why_size, "cannot read %s: %s", VMLINUX_BTF, strerror(-err));
		return err;
	}
	err = kbtf_member(&b, "task_struct", "thread_info", &ti_off, &ti_size);
	err = err ? err : kbtf_member(&b, "thread_info", "status", &st_off, &st_size);
	kbtf_release(&b);
	if (err || st_size != 4 || st_off >= ti_size || ti_off + st_off > INT16_MAX) {
		snprintf(why, why_size, "the kernel's BTF has no usable task_struct.thread_info.status");
		return err ? err : -EINVAL;
	}
	*off = ti_off + st_off;
	return 0;
}

/*
 * Make group @p g live: its PROG_ARRAY filled with its programs at their
 * numbers, and its dispatcher loaded. On failure the fds are closed again;
 * -ENOMEM is returned as such, anything else as -EINVAL with @p why.
 */
static int build_group(struct bpfkit_kern_session *s, struct kdisp_group *grp, long g, const struct kdisp_cand *cand,
		       size_t n, uint32_t status_off, char *why, size_t why_size)
{
	uint32_t limit = (uint32_t)ksyscalls_x86_64_max + 1;
	struct bpfkit_prog *p = NULL;
	char mname[16];
	int err = 0;

	snprintf(mname, sizeof(mname), "bpfkit_sys%u", grp->layer);
	grp->map_fd = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, mname, 4, 4, limit, NULL);
	if (grp->map_fd < 0) {
		err = grp->map_fd;
		snprintf(why, why_size, "cannot create a program array: %s", strerror(-err));
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t key, fd;

		if (cand[i].group != g)
			continue;
		key = (uint32_t)cand[i].nr;
		fd = (uint32_t)s->progs[i].fd;
		err = bpf_map_update_elem(grp->map_fd, &key, &fd, BPF_ANY);
		if (err) {
			snprintf(why, why_size, "program %s cannot go in a program array: %s", s->progs[i].name,
				 strerror(-err));
			goto out;
		}
	}
	p = ksysdisp_build(limit, status_off);
	if (!p) {
		err = -errno;
		snprintf(why, why_size, "cannot build the dispatcher: %s", strerror(errno));
		goto out;
	}
	p->insns[8].imm = grp->map_fd;
	grp->prog_fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "bpfkit_sysdisp", "GPL",
				     (const struct bpf_insn *)p->insns, p->len, NULL);
	if (grp->prog_fd < 0) {
		err = grp->prog_fd;
		snprintf(why, why_size, "the kernel refused the dispatcher: %s", strerror(-err));
	}
out:
	bpfkit_prog__free(p);
	if (err) {
		if (grp->prog_fd >= 0)
			close(grp->prog_fd);
		if (grp->map_fd >= 0)
			close(grp->map_fd);
		grp->prog_fd = grp->map_fd = -1;
		return err == -ENOMEM ? err : -EINVAL;
	}
	return 0;
}

/* Number of groups that are still worth a dispatcher; marks them usable. */
static size_t mark_usable(struct ksysdisp_state *st, int min)
{
	size_t k = 0;

	for (size_t g = 0; g < st->ngroups; g++) {
		st->groups[g].usable = st->groups[g].usable && st->groups[g].members >= (size_t)min;
		k += st->groups[g].usable;
	}
	return k;
}

/*
 * See sysdisp.h. Order: candidates and groups, layouts, the compat offset,
 * then each group's array and dispatcher; only then are programs marked as
 * going through a dispatcher (s->progs[i].via), so a failure at any step
 * leaves every program direct.
 */
int ksysdisp_setup(struct bpfkit_kern_session *s, const struct bpfkit_kern_prog_spec *specs, size_t n, int min,
		   struct bpfkit_diag *d)
{
	struct ksysdisp_state *st;
	struct kdisp_cand *cand = NULL;
	char tracefs[PATH_MAX], why[256];
	uint32_t status_off = 0;
	int err;

	if (min < 0 || !n)
		return 0;
	if (!min)
		min = DEFAULT_MIN;
	st = s->sysdisp = calloc(1, sizeof(*st));
	cand = calloc(n, sizeof(*cand));
	if (!st || !cand) {
		free(cand);
		return bpfkit_diag__set(d, -ENOMEM, "out of memory");
	}
	err = find_candidates(s, st, specs, n, cand);
	if (err)
		goto out;
	for (size_t g = 0; g < st->ngroups; g++)
		st->groups[g].usable = true;
	if (!mark_usable(st, min))
		goto out;
#if !defined(__x86_64__) || defined(__ILP32__)
	note(st, "the syscall dispatcher is for x86-64 only");
	goto out;
#endif
	if (kern_tracefs(tracefs, sizeof(tracefs), NULL)) {
		note(st, "no tracefs to check the syscall tracepoint layouts");
		goto out;
	}
	check_layouts(st, cand, n, tracefs, specs);
	if (!mark_usable(st, min))
		goto out;
	if (compat_status_offset(&status_off, why, sizeof(why))) {
		note(st, "%s (needed to leave out ia32 system calls)", why);
		goto out;
	}
	for (size_t g = 0; g < st->ngroups; g++) {
		if (!st->groups[g].usable)
			continue;
		err = build_group(s, &st->groups[g], (long)g, cand, n, status_off, why, sizeof(why));
		if (err == -ENOMEM)
			goto out;
		if (err) {
			note(st, "%s", why);
			st->groups[g].usable = false;
			err = 0;
		}
	}
	for (size_t i = n; i-- > 0;) {
		long g = cand[i].group;

		if (g < 0 || !st->groups[g].usable)
			continue;
		s->progs[i].via = (uint32_t)g + 1;
		st->groups[g].first = i;
		st->probes++;
	}
out:
	free(cand);
	if (err == -ENOMEM)
		return bpfkit_diag__set(d, err, "out of memory");
	return 0;
}

int ksysdisp_attach(struct bpfkit_kern_session *s, size_t i, struct bpfkit_diag *d)
{
	struct kdisp_group *g = &s->sysdisp->groups[s->progs[i].via - 1];
	char name[] = "syscall dispatcher";
	struct kprog dp = { .name = name, .attach = BPFKIT_KERN_ATTACH_TRACEPOINT, .fd = g->prog_fd };
	const char *target = g->dir == KSYSDISP_ENTER ? "raw_syscalls:sys_enter" : "raw_syscalls:sys_exit";

	if (g->first != i)
		return 0;
	return kprog_attach_tracepoint(s, &dp, target, d);
}

void ksysdisp_close(struct bpfkit_kern_session *s)
{
	struct ksysdisp_state *st = s->sysdisp;

	for (size_t g = 0; st && g < st->ngroups; g++) {
		if (st->groups[g].prog_fd >= 0)
			close(st->groups[g].prog_fd);
		if (st->groups[g].map_fd >= 0)
			close(st->groups[g].map_fd);
		st->groups[g].prog_fd = st->groups[g].map_fd = -1;
	}
}

void ksysdisp_free(struct bpfkit_kern_session *s)
{
	if (!s->sysdisp)
		return;
	ksysdisp_close(s);
	free(s->sysdisp->groups);
	free(s->sysdisp);
	s->sysdisp = NULL;
}

void bpfkit_kern_session__dispatch_info(const struct bpfkit_kern_session *s, struct bpfkit_kern_dispatch_info *info)
{
	const struct ksysdisp_state *st = s ? s->sysdisp : NULL;

	*info = (struct bpfkit_kern_dispatch_info){ 0 };
	if (!st)
		return;
	for (size_t g = 0; g < st->ngroups; g++)
		info->dispatchers += st->groups[g].usable;
	info->probes = st->probes;
	info->note = st->note[0] ? st->note : NULL;
}
