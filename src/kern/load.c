/* SPDX-License-Identifier: MIT */
/*
 * Loading programs: apply map relocations to a copy of the instructions,
 * pick the program type the attachment needs, and hand the program to the
 * verifier. A rejection keeps the verifier's log and the index of the
 * instruction it stopped at, so the caller can point at the script line
 * (prog->lines[insn]).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "kern/load_int.h"

/* The program type an attachment kind needs (a spec's prog_type wins). */
static int prog_type_for(const struct bpfkit_kern_prog_spec *spec)
{
	if (spec->prog_type)
		return spec->prog_type;
	switch (spec->attach) {
	case BPFKIT_KERN_ATTACH_TRACEPOINT: return BPF_PROG_TYPE_TRACEPOINT;
	case BPFKIT_KERN_ATTACH_RAW_TRACEPOINT: return BPF_PROG_TYPE_RAW_TRACEPOINT;
	case BPFKIT_KERN_ATTACH_PERF_EVENT: return BPF_PROG_TYPE_PERF_EVENT;
	case BPFKIT_KERN_ATTACH_KPROBE:
	case BPFKIT_KERN_ATTACH_KRETPROBE:
	case BPFKIT_KERN_ATTACH_UPROBE:
	case BPFKIT_KERN_ATTACH_URETPROBE: return BPF_PROG_TYPE_KPROBE;
	/* raw_tracepoint programs accept BPF_PROG_TEST_RUN (kernel >= 5.10) with
	 * a context of up to 12 u64 arguments, and may call every tracing helper */
	case BPFKIT_KERN_ATTACH_TEST_RUN: return BPF_PROG_TYPE_RAW_TRACEPOINT;
	case BPFKIT_KERN_ATTACH_NONE: break;
	}
	return -1;
}

/*
 * Copy the program's slots and resolve its relocations: MAP becomes
 * src=MAP_FD imm=fd; MAP_VALUE becomes src=MAP_VALUE imm=fd with the value
 * offset (imm of the first slot) moved to the second slot. Local calls were
 * resolved by whoever built the program; other kinds are refused.
 */
static int patch_relocs(const struct bpfkit_kern_session *s, const struct bpfkit_prog *prog,
			const char *pname, struct bpfkit_insn **out, struct bpfkit_diag *d)
{
	struct bpfkit_insn *insns = malloc(prog->len * sizeof(*insns));

	if (!insns)
		return bpfkit_diag__set(d, -ENOMEM, "out of memory");
	memcpy(insns, prog->insns, prog->len * sizeof(*insns));
	for (size_t r = 0; r < prog->nrelocs; r++) {
		const struct bpfkit_reloc *rel = &prog->relocs[r];
		struct bpfkit_insn *in = &insns[rel->insn];
		int m;

		if (rel->kind == BPFKIT_RELOC_CALL || rel->kind == BPFKIT_RELOC_FUNC)
			continue;
		d->insn = (long)rel->insn;
		if (rel->kind != BPFKIT_RELOC_MAP && rel->kind != BPFKIT_RELOC_MAP_VALUE) {
			free(insns);
			return bpfkit_diag__set(d, -EINVAL, "program %s: insn %zu: cannot resolve '%s'", pname,
						rel->insn, rel->name ? rel->name : "?");
		}
		if (rel->insn + 1 >= prog->len || in->code != BPFKIT_OP_LDDW) {
			free(insns);
			return bpfkit_diag__set(d, -EINVAL, "program %s: insn %zu: map reference on a non-lddw",
						pname, rel->insn);
		}
		m = bpfkit_kern_map__find(s, rel->name);
		if (m < 0) {
			free(insns);
			return bpfkit_diag__set(d, -ENOENT, "program %s: insn %zu: unknown map '%s'", pname,
						rel->insn, rel->name ? rel->name : "?");
		}
		if (rel->kind == BPFKIT_RELOC_MAP_VALUE) {
			in[1].imm = in[0].imm;
			in->src = BPFKIT_PSEUDO_MAP_VALUE;
		} else {
			in->src = BPFKIT_PSEUDO_MAP_FD;
		}
		in->imm = s->maps[m].fd;
		d->insn = -1;
	}
	*out = insns;
	return 0;
}

/*
 * The instruction a verifier log stopped at: the last line of the form
 * "N: (xx) ..." (the verifier prints each instruction before checking it),
 * or "N: R..." state lines, whichever comes last. -1 when there is none.
 */
long kprog_log_insn(const char *log)
{
	long insn = -1;

	for (const char *p = log; p && *p;) {
		const char *nl = strchr(p, '\n');
		char *end;
		long v;

		if (*p >= '0' && *p <= '9') {
			v = strtol(p, &end, 10);
			if (end[0] == ':' && end[1] == ' ' && (end[2] == '(' || end[2] == 'R'))
				insn = v;
		}
		p = nl ? nl + 1 : NULL;
	}
	return insn;
}

/* Lines the verifier adds after its verdict ("processed 3 insns ...", ...). */
static bool is_summary(const char *line, size_t n)
{
	static const char *const prefixes[] = { "processed ", "verification time", "stack depth", "mark_precise" };
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (n >= strlen(prefixes[i]) && !strncmp(line, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* The verifier's verdict: the last non-empty line of @p log that is not a
 * summary line, without its newline, into @p buf. */
static void last_line(const char *log, char *buf, size_t size)
{
	size_t end = strlen(log), start;

	for (;;) {
		while (end && (log[end - 1] == '\n' || log[end - 1] == ' '))
			end--;
		start = end;
		while (start && log[start - 1] != '\n')
			start--;
		if (!start || !is_summary(log + start, end - start))
			break;
		end = start;
	}
	snprintf(buf, size, "%.*s", (int)(end - start), log + start);
}

/*
 * Load with a verifier log. The first try has no log (fast: the verifier
 * does not format its trace); only a rejection pays for a second run with
 * log level 1. The kernel keeps the log's tail when it does not fit. The
 * verifier refuses with more than EINVAL/EACCES: EFAULT ("The sequence of
 * 8193 jumps is too complex"), E2BIG ("BPF program is too large"), so any
 * error but EPERM (no privilege: no log to get) is retried.
 */
static int load_logged(int type, const char *kname, const struct bpfkit_insn *insns, size_t len,
		       uint32_t log_size, char **log_out)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	char *log;
	int fd;

	*log_out = NULL;
	fd = bpf_prog_load(type, kname, "GPL", (const struct bpf_insn *)insns, len, &opts);
	if (fd >= 0 || fd == -EPERM || fd == -ENOMEM)
		return fd;
	log = calloc(1, log_size);
	if (!log)
		return fd;
	opts.log_buf = log;
	opts.log_size = log_size;
	opts.log_level = 1;
	fd = bpf_prog_load(type, kname, "GPL", (const struct bpf_insn *)insns, len, &opts);
	if (fd >= 0) { /* accepted the second time: nothing to report */
		free(log);
		return fd;
	}
	*log_out = log;
	return fd == -ENOSPC ? -EINVAL : fd;
}

/* A printable name for program @p i: its own, or "#i". */
static char *prog_name(const struct bpfkit_prog *prog, size_t i)
{
	char buf[32];

	if (prog && prog->name && prog->name[0])
		return strdup(prog->name);
	snprintf(buf, sizeof(buf), "#%zu", i);
	return strdup(buf);
}

int kprog_load(struct bpfkit_kern_session *s, size_t i, const struct bpfkit_kern_prog_spec *spec,
	       uint32_t log_size, struct bpfkit_kern_verifier_log *vlog, struct bpfkit_diag *d)
{
	struct kprog *p = &s->progs[i];
	struct bpfkit_insn *insns = NULL;
	char kname[16], *log = NULL, reason[200];
	int err, fd;

	p->name = prog_name(spec->prog, i);
	if (!p->name)
		return bpfkit_diag__set(d, -ENOMEM, "out of memory");
	p->attach = spec->attach;
	p->prog_type = prog_type_for(spec);
	if (!spec->prog || !spec->prog->len)
		return bpfkit_diag__set(d, -EINVAL, "program %s is empty", p->name);
	if (p->prog_type < 0)
		return bpfkit_diag__set(d, -EINVAL, "program %s: no attachment and no program type", p->name);
	if (spec->prog->len > 1000000)
		return bpfkit_diag__set(d, -E2BIG, "program %s: %zu instructions is too many", p->name,
					spec->prog->len);
	err = patch_relocs(s, spec->prog, p->name, &insns, d);
	if (err)
		return err;
	snprintf(kname, sizeof(kname), "%s", p->name[0] == '#' ? "bpfkit" : p->name);
	for (char *c = kname; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      *c == '_' || *c == '.'))
			*c = '_';
	fd = load_logged(p->prog_type, kname, insns, spec->prog->len, log_size < 256 ? 256 : log_size, &log);
	free(insns);
	if (fd >= 0) {
		p->fd = fd;
		return 0;
	}
	if (!log || !log[0]) {
		free(log);
		return kload_error(d, fd, "cannot load program %s", p->name);
	}
	d->insn = kprog_log_insn(log);
	last_line(log, reason, sizeof(reason));
	if (vlog) {
		vlog->prog = (long)i;
		vlog->insn = d->insn;
		vlog->text = log;
	} else {
		free(log);
	}
	if (d->insn >= 0)
		return bpfkit_diag__set(d, -EINVAL, "program %s: the verifier rejected it at insn %ld: %s",
					p->name, d->insn, reason);
	return bpfkit_diag__set(d, -EINVAL, "program %s: the verifier rejected it: %s", p->name, reason);
}
