// SPDX-License-Identifier: MIT
/*
 * Stacks and symbols as bpftrace 0.17 prints them (its get_stack(),
 * resolve_ksym() and resolve_usym()), and the folded form of stack-keyed
 * maps that flame-graph tools read (`-f folded`).
 *
 * A stack prints as "\n" then one line per frame, innermost first:
 *   bpftrace mode: INDENT "func+off"   (INDENT 4 spaces in a map key, 8 elsewhere)
 *   perf mode:     "\t" HEXADDR " func+off"; user frames add " (FILE)", the
 *                  file as the process maps it, or "0x... ([unknown])"
 *   raw mode:      HEXADDR             (bpftrace 0.18's, no names)
 * An address no symbol covers prints as "0x..." (bpftrace's (void *)addr).
 * A stack without frames (none where the probe fired, e.g. kstack when a
 * timer interrupted user space; or one the stack map could not take) prints
 * as nothing at all, as bpftrace's get_stack() returns "" then.
 * Names come from the value's symbol table (src/sym/), read lazily once.
 */
#include <errno.h>
#include <inttypes.h>

#include <bpfkit/sym.h>

#include "out/out_int.h"

/*
 * "func+off", "func" (without offset), or "0xADDR" when no symbol covers it;
 * with @p module (user frames in perf mode) " (FILE)" or " ([unknown])"
 * after it. @p v says whose address it is: the kernel's, or process
 * v->st.pid's.
 */
static void frame_name(struct out_sb *sb, const struct bpfkit_out_val *v, uint64_t addr, bool offset,
		       bool module)
{
	const char *name, *file = NULL;
	uint64_t off;
	int err = v->st.user ? (v->st.usyms ? bpfkit_usyms__resolve(v->st.usyms, v->st.pid, addr, &name, &off,
								      &file)
					    : -ENOENT)
			     : (v->st.ksyms ? bpfkit_ksyms__resolve(v->st.ksyms, addr, &name, &off) : -ENOENT);

	if (!err) {
		char buf[512];

		out_sb_puts(sb, v->st.user ? bpfkit_usyms__display(v->st.usyms, name, buf, sizeof(buf)) : name);
		if (offset)
			out_sb_printf(sb, "+%" PRIu64, off);
	} else {
		out_sb_printf(sb, "0x%" PRIx64, addr);
	}
	if (module)
		out_sb_printf(sb, " (%s)", !err && file ? file : "[unknown]");
}

void out_ksym_text(struct out_sb *sb, const struct bpfkit_out_val *v)
{
	frame_name(sb, v, v->st.addr, false, false);
}

void out_stack_text(struct out_sb *sb, const struct bpfkit_out_val *v, unsigned indent)
{
	if (!v->st.n)
		return;
	out_sb_putc(sb, '\n');
	for (size_t i = 0; i < v->st.n; i++) {
		uint64_t ip = v->st.ips[i];

		switch (v->st.mode) {
		case BPFKIT_OUT_STACK_PERF:
			out_sb_printf(sb, "\t%" PRIx64 " ", ip);
			frame_name(sb, v, ip, true, v->st.user);
			break;
		case BPFKIT_OUT_STACK_RAW:
			out_sb_printf(sb, "%" PRIx64, ip);
			break;
		default:
			out_sb_repeat(sb, ' ', indent);
			frame_name(sb, v, ip, true, false);
		}
		out_sb_putc(sb, '\n');
	}
}

/* The first key part that is a stack, or -1. */
static long stack_part(const struct bpfkit_out_map *m, const struct bpfkit_out_entry *e)
{
	for (size_t k = 0; k < m->nkeys; k++)
		if (e->key[k].kind == BPFKIT_OUT_STACK)
			return (long)k;
	return -1;
}

bool out_map_foldable(const struct bpfkit_out_map *m)
{
	bool ints = m->agg == BPFKIT_OUT_COUNT || m->agg == BPFKIT_OUT_SUM || m->agg == BPFKIT_OUT_MIN ||
		    m->agg == BPFKIT_OUT_MAX || m->agg == BPFKIT_OUT_PLAIN;

	if (!ints || !m->nentries)
		return false;
	for (size_t i = 0; i < m->nentries; i++)
		if (stack_part(m, &m->entries[i]) < 0 || m->entries[i].value.kind != BPFKIT_OUT_INT)
			return false;
	return true;
}

/* A key part other than the stack, as one folded frame (';' and line ends
 * would cut the line, so they become '_'). */
static void folded_part(struct out_sb *sb, const struct bpfkit_out_val *v)
{
	struct out_sb tmp = OUT_SB_INIT;

	out_key_part_text(&tmp, v);
	for (size_t i = 0; i < tmp.len; i++) {
		char c = tmp.p[i];

		out_sb_putc(sb, c == ';' || c == '\n' || c == '\r' ? '_' : c);
	}
	if (tmp.oom)
		sb->oom = true;
	out_sb_free(&tmp);
}

/* A stack's frames root first, each after ';' unless it is the line's first. */
static void folded_frames(struct out_sb *sb, const struct bpfkit_out_val *st, bool *first)
{
	for (size_t f = st->st.n; f-- > 0;) {
		if (!*first)
			out_sb_putc(sb, ';');
		if (st->st.mode == BPFKIT_OUT_STACK_RAW)
			out_sb_printf(sb, "0x%" PRIx64, st->st.ips[f]);
		else
			frame_name(sb, st, st->st.ips[f], false, false);
		*first = false;
	}
}

/*
 * One line per entry: the key's other parts in order, then the stacks'
 * frames root first, user stacks before kernel stacks (as perf script and
 * stackcollapse-bpftrace.pl join @[kstack, ustack]: the process's frames
 * lead to the system call or interrupt that the kernel frames continue),
 * ';' between them, then ' ' and the value. Frames are names without
 * offsets (raw mode: hex addresses), so the same function merges across
 * call sites as stackcollapse-perf.pl merges them. A stack without frames
 * still counts, under the other parts alone, or, when there are none, as
 * "[lost]" (a stack map could not take it) or "[no_kernel_stack]" /
 * "[no_user_stack]" (there was none: a kstack where the probe fired in
 * user space, a ustack of a kernel thread).
 */
void out_map_folded(struct out_sb *sb, const struct bpfkit_out_map *m, const size_t *order, size_t n,
		    uint32_t div)
{
	for (size_t i = 0; i < n; i++) {
		const struct bpfkit_out_entry *e = &m->entries[order[i]];
		bool first = true, lost = false, user = false;

		for (size_t k = 0; k < m->nkeys; k++) {
			if (e->key[k].kind == BPFKIT_OUT_STACK) {
				lost |= e->key[k].st.lost;
				user |= e->key[k].st.user;
				continue;
			}
			if (!first)
				out_sb_putc(sb, ';');
			folded_part(sb, &e->key[k]);
			first = false;
		}
		for (int pass = 0; pass < 2; pass++)
			for (size_t k = 0; k < m->nkeys; k++)
				if (e->key[k].kind == BPFKIT_OUT_STACK && e->key[k].st.user == !pass)
					folded_frames(sb, &e->key[k], &first);
		if (first)
			out_sb_puts(sb, lost ? "[lost]" : user ? "[no_user_stack]" : "[no_kernel_stack]");
		out_sb_putc(sb, ' ');
		out_int_text(sb, &e->value, div, e->value.is_signed);
		out_sb_putc(sb, '\n');
	}
}
