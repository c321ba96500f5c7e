// SPDX-License-Identifier: MIT
/*
 * Stacks and symbols: kstack, ustack, kstack(N), ustack(mode[, N]), ksym(addr),
 * usym(addr) and uaddr("sym"), as in bpftrace 0.17 (plus its later `raw`
 * mode).
 *
 * A stack is an id that bpf_get_stackid() returns for the frames it stored
 * in a BPF_MAP_TYPE_STACK_TRACE map, one map per kind and depth used
 * (kstack(3) and kstack must not share one: stacks equal in their first 3
 * frames would get different ids, and print as several keys with the same
 * text). The mode only changes how user space prints the frames, so it is
 * in the type, not in the map. The flags are 0 (BPF_F_USER_STACK for
 * ustack), as bpftrace passes them: no BPF_F_REUSE_STACKID, which would let
 * a new stack overwrite the frames of an old id that a map key still holds;
 * so when a hash bucket of the stack map is taken (-EEXIST) or the map is
 * full (-ENOMEM), the call fails, the negative id is kept (it prints as an
 * empty stack), and the failure is counted in BPFKIT_LANG_STACK_LOST_MAP
 * for the runner to report. -EFAULT is no failure: there was no stack to
 * take (kstack where a timer interrupted user space, ustack in a kernel
 * thread); bpftrace prints it as an empty stack too.
 *
 * User addresses mean something only in their process: a ustack keeps the
 * tgid in its high 32 bits (lang.h), usym() keeps it beside the address.
 * The first time a program sees a process (BPFKIT_LANG_UPID_MAP) it sends
 * a BPFKIT_LANG_EV_UPID record, so that user space reads the process's
 * mappings while it still runs: stacks of processes that exit before the
 * maps are printed keep their names (bpftrace reads the mappings only when
 * it prints, and prints such frames as bare addresses).
 *
 * ksym(addr) and usym(addr) are the address with a type that user space
 * prints as the name of the symbol holding it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "lang/compile_int.h"

#define F_USER_STACK 0x100 /* BPF_F_USER_STACK */
#define F_NOEXIST 1 /* BPF_NOEXIST */
#define F_FORCE_WAKEUP 2 /* BPF_RB_FORCE_WAKEUP */

const struct bpfkit_lang_vtype ty_kstack = { .kind = BPFKIT_LANG_V_STACK, .size = 8,
					     .stack_depth = BPFKIT_LANG_STACK_DEPTH };
const struct bpfkit_lang_vtype ty_ustack = { .kind = BPFKIT_LANG_V_STACK, .size = 8,
					     .stack_depth = BPFKIT_LANG_STACK_DEPTH, .stack_user = true };
static const struct bpfkit_lang_vtype ty_ksym = { .kind = BPFKIT_LANG_V_KSYM, .size = 8 };
static const struct bpfkit_lang_vtype ty_usym = { .kind = BPFKIT_LANG_V_USYM, .size = 16 };

const char *bpfkit_lang_stack_map(char *buf, size_t size, const struct bpfkit_lang_vtype *t)
{
	snprintf(buf, size, ".%cstack%u", t->stack_user ? 'u' : 'k', t->stack_depth);
	return buf;
}

static const char *stack_fn(bool user)
{
	return user ? "ustack" : "kstack";
}

/* Note that a stack of @p depth frames of one kind is used (its map is needed). */
static int stack_use(struct cctx *c, uint32_t depth, bool user, struct bpfkit_loc loc)
{
	size_t max = sizeof(c->stacks) / sizeof(c->stacks[0]);

	for (size_t i = 0; i < c->nstacks; i++)
		if (c->stacks[i].depth == depth && c->stacks[i].user == user)
			return 0;
	if (c->nstacks == max)
		return sema_error(c, loc, NULL, "too many different stack depths (at most %zu)", max);
	c->stacks[c->nstacks].depth = depth;
	c->stacks[c->nstacks++].user = user;
	return 0;
}

/* Stacks come from bpf_get_stackid(ctx): a probe with a context. */
static int stack_where(struct cctx *c, struct bpfkit_loc loc, const char *what)
{
	switch (c->t->prov->type) {
	case BPFKIT_PROBE_BEGIN:
	case BPFKIT_PROBE_END:
		return sema_error(c, loc, NULL, "%s cannot be used in %s probes", what,
				  bpfkit_probe_type_name(c->t->prov->type));
	default:
		return 0;
	}
}

/* A user address is sent with its process: the first time this program
 * sees the process, user space is told (an EV_UPID event per use). */
static struct bpfkit_lang_event *upid_event(struct cctx *c, const struct bpfkit_ast_expr *e)
{
	struct bpfkit_lang_event *ev = sema_event(c, BPFKIT_LANG_EV_UPID, e->loc.line);

	ev->size = 16;
	c->uses_upids = true;
	return ev;
}

/* Whether ustacks are unwound in user space (--ustack-unwind dwarf). */
static bool user_dwarf(const struct cctx *c, bool user)
{
	return user && c->env && c->env->ustack_dwarf;
}

/* The type of kstack or ustack without arguments: BPFTRACE_STACK_MODE's mode. */
static const struct bpfkit_lang_vtype *stack_default(struct cctx *c, bool user)
{
	struct bpfkit_lang_vtype *t;

	if ((!c->env || !c->env->stack_mode) && !user_dwarf(c, user))
		return user ? &ty_ustack : &ty_kstack;
	t = arena_alloc(c->oa, sizeof(*t));
	*t = user ? ty_ustack : ty_kstack;
	t->stack_mode = c->env ? c->env->stack_mode : 0;
	t->stack_dwarf = user_dwarf(c, user);
	return t;
}

/* The byte offset of member @p name of the kernel's struct or union @p id,
 * looking into anonymous members (mm_struct keeps most fields in one);
 * -1 when there is none. */
static int32_t member_off(struct cctx *c, uint32_t id, const char *name, int depth)
{
	struct bpfkit_lang_ctype t;

	if (depth > 4 || c->env->ctype_get(c->env->user, id, &t) ||
	    (t.kind != BPFKIT_LANG_C_STRUCT && t.kind != BPFKIT_LANG_C_UNION))
		return -1;
	for (size_t i = 0; i < t.nmembers; i++) {
		const struct bpfkit_lang_cmember *m = &t.members[i];
		int32_t o;

		if (m->name && *m->name) {
			if (!strcmp(m->name, name) && !m->bit_size)
				return (int32_t)(m->bit_offset / 8);
			continue;
		}
		if ((o = member_off(c, m->type, name, depth + 1)) >= 0)
			return (int32_t)(m->bit_offset / 8) + o;
	}
	return -1;
}

/* task_struct.mm and mm_struct.start_stack from the kernel's BTF, once. */
static void find_stack_top(struct cctx *c)
{
	uint32_t task, mm;

	if (c->uses_ustack_dwarf)
		return;
	c->ustack_mm_off = c->ustack_top_off = -1;
	if (!c->env || !c->env->ctype_find || !c->env->ctype_get ||
	    c->env->ctype_find(c->env->user, BPFKIT_LANG_C_STRUCT, "task_struct", &task) ||
	    c->env->ctype_find(c->env->user, BPFKIT_LANG_C_STRUCT, "mm_struct", &mm))
		return;
	c->ustack_mm_off = member_off(c, task, "mm", 0);
	c->ustack_top_off = member_off(c, mm, "start_stack", 0);
	if (c->ustack_mm_off < 0 || c->ustack_top_off < 0 || c->ustack_mm_off > INT32_MAX - 8 ||
	    c->ustack_top_off > INT32_MAX - 8)
		c->ustack_mm_off = c->ustack_top_off = -1;
}

/*
 * A ustack unwound in user space needs no stack map but the record it is
 * copied into (BPFKIT_LANG_USTACK_MAP) and an EV_USTACK event, one per use
 * so that codegen meets them in the same order (gen_dwarf_ustack() sends
 * the first).
 */
static int dwarf_use(struct cctx *c, const struct bpfkit_ast_expr *e)
{
	struct bpfkit_lang_event *ev = sema_event(c, BPFKIT_LANG_EV_USTACK, e->loc.line);

	ev->size = BPFKIT_LANG_USTACK_DATA_OFF; /* at least: the stack bytes read follow */
	find_stack_top(c);
	c->uses_ustack_dwarf = true;
	return 0;
}

const struct bpfkit_lang_vtype *stack_builtin_type(struct cctx *c, const struct bpfkit_ast_expr *e)
{
	return stack_default(c, !strcmp(e->u.ident.name, "ustack"));
}

int stack_check_builtin(struct cctx *c, const struct bpfkit_ast_expr *e)
{
	bool user = !strcmp(e->u.ident.name, "ustack");

	if (stack_where(c, e->loc, stack_fn(user)))
		return -EINVAL;
	if (user_dwarf(c, user) ? dwarf_use(c, e) : stack_use(c, BPFKIT_LANG_STACK_DEPTH, user, e->loc))
		return -EINVAL;
	if (user)
		sx_of(e)->ev = upid_event(c, e);
	return 0;
}

/*
 * kstack(N), kstack(mode), kstack(mode, N), and the same of ustack: the mode
 * an identifier (bpftrace, perf, raw), N an integer literal from 1 to
 * BPFKIT_LANG_STACK_MAX_DEPTH; bpftrace 0.17's messages.
 */
static int check_stack(struct cctx *c, struct bpfkit_ast_expr *call, bool user)
{
	const char *fn = stack_fn(user);
	struct bpfkit_lang_vtype *t;
	size_t n = call->u.call.nargs, i = 0;
	int mode = c->env ? c->env->stack_mode : 0;
	int64_t depth = BPFKIT_LANG_STACK_DEPTH;

	if (stack_where(c, call->loc, fn))
		return -EINVAL;
	if (n && call->u.call.args[0]->kind == BPFKIT_EXPR_IDENT) {
		const struct bpfkit_ast_expr *m = call->u.call.args[0];
		const char *name = m->u.ident.name;

		if (!strcmp(name, "bpftrace"))
			mode = 0;
		else if (!strcmp(name, "perf"))
			mode = 1;
		else if (!strcmp(name, "raw"))
			mode = 2;
		else
			return sema_error(c, m->loc, NULL, "Unknown stack mode: '%s' (bpftrace, perf or raw)",
					  name);
		i = 1;
	} else if (n == 2) {
		return sema_error(c, call->u.call.args[0]->loc, NULL,
				  "%s() expects a stack mode literal (bpftrace, perf or raw)", fn);
	}
	if (i < n) {
		const struct bpfkit_ast_expr *a = call->u.call.args[i];

		if (a->kind != BPFKIT_EXPR_INT)
			return sema_error(c, a->loc, NULL, "%s() expects an integer literal as its limit", fn);
		depth = (int64_t)a->u.num.value;
		if (depth < 1 || depth > BPFKIT_LANG_STACK_MAX_DEPTH)
			return sema_error(c, a->loc, NULL, "%s() limit must be between 1 and %d", fn,
					  BPFKIT_LANG_STACK_MAX_DEPTH);
	}
	if (user_dwarf(c, user) ? dwarf_use(c, call) : stack_use(c, (uint32_t)depth, user, call->loc))
		return -EINVAL;
	t = arena_alloc(c->oa, sizeof(*t));
	*t = user ? ty_ustack : ty_kstack;
	t->stack_depth = (uint32_t)depth;
	t->stack_mode = (uint8_t)mode;
	t->stack_dwarf = user_dwarf(c, user);
	sx_of(call)->t = t;
	if (user)
		sx_of(call)->ev = upid_event(c, call);
	return 0;
}

static int check_kstack(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *assigned)
{
	(void)assigned;
	return check_stack(c, call, false);
}

static int check_ustack(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *assigned)
{
	(void)assigned;
	return check_stack(c, call, true);
}

/* The id of event @p ev: its index in the event table. */
static int32_t event_index(const struct cg *g, const struct bpfkit_lang_event *ev)
{
	for (size_t i = 0; i < g->c->events.n; i++)
		if (g->c->events.items[i] == ev)
			return (int32_t)i;
	return -1;
}

/*
 * The first time this program sees process @p tgid (a pool register holding
 * it, kept), or sees it under another name than before (an exec(): a new
 * address space), note it in BPFKIT_LANG_UPID_MAP (the value is the first 8
 * bytes of its comm) and send event @p ev with it. A lookup first: the
 * common case (seen, same name) takes no lock. A new process is added with
 * BPF_NOEXIST, so of two CPUs racing on it only one sends it; a renamed one
 * is updated in place.
 */
static void gen_upid_note(struct cg *g, const struct bpfkit_lang_event *ev, int tgid)
{
	int sp = g->sp, key = cg_stack(g, 8), comm = cg_stack(g, 16), rec = cg_stack(g, 16);
	int done = cg_label(g), insert = cg_label(g), send = cg_label(g);

	cg_fp_addr(g, 1, comm);
	cg_mov_imm(g, 2, 16);
	cg_call(g, "get_current_comm");
	cg_zero(g, key, 8);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_W, BPFKIT_REG_FP, tgid, (int16_t)key, 0);
	cg_ld_map(g, 1, BPFKIT_LANG_UPID_MAP);
	cg_fp_addr(g, 2, key);
	cg_call_unchecked(g, "map_lookup_elem"); /* a miss is a new process, not for -kk */
	cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, insert);
	cg_emit(g, BPFKIT_LDX | BPFKIT_MEM | BPFKIT_DW, 1, 0, 0, 0);
	cg_emit(g, BPFKIT_LDX | BPFKIT_MEM | BPFKIT_DW, 2, BPFKIT_REG_FP, (int16_t)comm, 0);
	cg_jmp(g, BPFKIT_JEQ, 1, 2, 0, done);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, 0, 2, 0, 0);
	cg_goto(g, send);
	cg_place(g, insert);
	cg_ld_map(g, 1, BPFKIT_LANG_UPID_MAP);
	cg_fp_addr(g, 2, key);
	cg_fp_addr(g, 3, comm);
	cg_mov_imm(g, 4, F_NOEXIST);
	cg_call_unchecked(g, "map_update_elem"); /* -EEXIST: another CPU sent it */
	cg_jmp(g, BPFKIT_JNE, 0, -1, 0, done);
	cg_place(g, send);
	cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)rec, event_index(g, ev));
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, tgid, (int16_t)(rec + 8), 0);
	cg_output_flags(g, BPFKIT_REG_FP, rec, 16, F_FORCE_WAKEUP); /* the process may exit soon */
	cg_place(g, done);
	g->sp = sp;
}

/* @p dst (a pool register) = this process's tgid. */
static void gen_tgid(struct cg *g, int dst)
{
	cg_call(g, "get_current_pid_tgid");
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, dst, 0, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_RSH | BPFKIT_K, dst, 0, 0, 32);
}

/*
 * dst = get_stackid(ctx, stack map, 0 or BPF_F_USER_STACK); when it fails
 * (negative) other than with -EFAULT (no stack here), add one to this CPU's
 * slot of BPFKIT_LANG_STACK_LOST_MAP. A user stack then becomes (tgid << 32)
 * | (u32)id, and its process is noted (event @p ev). dst is a pool register
 * (r6-r8), which the helper calls keep.
 */
static void gen_stackid(struct cg *g, const struct bpfkit_lang_vtype *t, const struct bpfkit_lang_event *ev,
			const struct bpfkit_ast_expr *e, int dst)
{
	char name[32];
	int sp = g->sp, key = cg_stack(g, 8), done = cg_label(g);

	bpfkit_lang_stack_map(name, sizeof(name), t);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, CG_CTX, 0, 0);
	cg_ld_map(g, 2, arena_strndup(g->c->oa, name, strlen(name)));
	cg_mov_imm(g, 3, t->stack_user ? F_USER_STACK : 0);
	cg_call(g, "get_stackid");
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, dst, 0, 0, 0);
	cg_jmp(g, BPFKIT_JSGE, 0, -1, 0, done);
	cg_jmp(g, BPFKIT_JEQ, 0, -1, -EFAULT, done);
	cg_zero(g, key, 8);
	cg_count_lost(g, BPFKIT_LANG_STACK_LOST_MAP, BPFKIT_REG_FP, key, done);
	cg_place(g, done);
	g->sp = sp;
	if (t->stack_user) {
		int tgid = cg_need_reg(g, e);

		gen_tgid(g, tgid);
		gen_upid_note(g, ev, tgid);
		cg_emit(g, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_X, dst, dst, 0, 0); /* the id's low 32 bits */
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_LSH | BPFKIT_K, tgid, 0, 0, 32);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_OR | BPFKIT_X, dst, tgid, 0, 0);
		cg_free(g, tgid);
	}
}

/* The first EV_USTACK event (every use sends that one: they are alike). */
static int32_t ustack_event(const struct cg *g)
{
	for (size_t i = 0; i < g->c->events.n; i++)
		if (((const struct bpfkit_lang_event *)g->c->events.items[i])->kind == BPFKIT_LANG_EV_USTACK)
			return (int32_t)i;
	return -1;
}

/* r1 = the first byte the sample's stack fills from sp up to its page's
 * end: the page of sp is mapped; r2 = that many bytes, 1 to 4096 (the
 * verifier follows the bounds). r3 = sp. */
static void stack_first_chunk(struct cg *g, int rec)
{
	cg_load(g, 3, rec, BPFKIT_LANG_USTACK_REGS_OFF + 8 * 19, 8, false); /* pt_regs->sp */
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, 3, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_AND | BPFKIT_K, 1, 0, 0, 4095);
	cg_mov_imm(g, 2, 4096);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_SUB | BPFKIT_X, 2, 1, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, rec, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 1, 0, 0, BPFKIT_LANG_USTACK_DATA_OFF);
}

/*
 * (Its helpers are called unchecked: -kk reports what the script asked to
 * read, and a read here that faults is the stack's end, by design.)
 *
 * The main thread's stack: its top is the kernel's mm->start_stack (argc,
 * then argv, the environment and the auxiliary vector up to the mapping's
 * end), so when sp lies below it, min(start_stack - sp, 8 KiB) bytes are
 * there to read, in one read that does not fault. Jumps to @p other when
 * that is not the case (another thread's stack, a kernel thread, no BTF
 * offsets) or the read fails, to @p done when it worked. @p slot: 8 bytes
 * of the frame.
 */
static void gen_copy_main_stack(struct cg *g, int rec, int slot, int other, int done)
{
	const struct cctx *c = g->c;
	int bounded = cg_label(g);

	if (c->ustack_mm_off < 0) {
		cg_goto(g, other);
		return;
	}
	cg_call(g, "get_current_task");
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 0, 0, 0, c->ustack_mm_off);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 3, 0, 0, 0);
	cg_fp_addr(g, 1, slot);
	cg_mov_imm(g, 2, 8);
	cg_call_unchecked(g, "probe_read_kernel"); /* task->mm */
	cg_jmp(g, BPFKIT_JNE, 0, -1, 0, other);
	cg_load(g, 3, BPFKIT_REG_FP, slot, 8, false);
	cg_jmp(g, BPFKIT_JEQ, 3, -1, 0, other);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 3, 0, 0, c->ustack_top_off);
	cg_fp_addr(g, 1, slot);
	cg_mov_imm(g, 2, 8);
	cg_call_unchecked(g, "probe_read_kernel"); /* mm->start_stack */
	cg_jmp(g, BPFKIT_JNE, 0, -1, 0, other);
	cg_load(g, 2, BPFKIT_REG_FP, slot, 8, false);
	cg_load(g, 3, rec, BPFKIT_LANG_USTACK_REGS_OFF + 8 * 19, 8, false); /* pt_regs->sp */
	cg_jmp(g, BPFKIT_JLE, 2, 3, 0, other); /* sp at or above it: not the main thread's stack */
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_SUB | BPFKIT_X, 2, 3, 0, 0);
	cg_jmp(g, BPFKIT_JLE, 2, -1, BPFKIT_LANG_USTACK_BYTES, bounded);
	cg_mov_imm(g, 2, BPFKIT_LANG_USTACK_BYTES);
	cg_place(g, bounded);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, rec, 2, BPFKIT_LANG_USTACK_SIZE_OFF, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, rec, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 1, 0, 0, BPFKIT_LANG_USTACK_DATA_OFF);
	cg_call_unchecked(g, "probe_read_user");
	cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, done);
	cg_goto(g, other);
}

/*
 * Copy the user stack from sp up into the record: the main thread's in one
 * read (gen_copy_main_stack()), another's a page at a time: the rest of
 * sp's page, the next page, then what the 8 KiB leave of the page after.
 * A read that faults stops there (the stack's top is nearer): a page that
 * is not mapped faults on its first byte, where one 8 KiB read across the
 * top would fault after copying most of it, byte by byte; a fault still
 * costs microseconds, which the main thread's read avoids. The record's
 * size field says how much was read.
 */
static void gen_copy_stack(struct cg *g, int rec, int slot)
{
	int done = cg_label(g), pagewise = cg_label(g);
	const int16_t size = BPFKIT_LANG_USTACK_SIZE_OFF;

	gen_copy_main_stack(g, rec, slot, pagewise, done);
	cg_place(g, pagewise);
	cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, rec, 0, size, 0);
	stack_first_chunk(g, rec);
	cg_call_unchecked(g, "probe_read_user");
	cg_jmp(g, BPFKIT_JNE, 0, -1, 0, done);
	stack_first_chunk(g, rec); /* the second page: at sp + first, 4096 bytes */
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, rec, 2, size, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, 1, 2, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, 3, 2, 0, 0);
	cg_mov_imm(g, 2, 4096);
	cg_call_unchecked(g, "probe_read_user");
	cg_jmp(g, BPFKIT_JNE, 0, -1, 0, done);
	stack_first_chunk(g, rec); /* the third: 4096 - first bytes (0 to 4095) at sp + first + 4096 */
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 0, 2, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 0, 0, 0, 4096);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, rec, 0, size, 0); /* two pages read */
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, 1, 0, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, 3, 0, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 0, 2, 0, 0);
	cg_mov_imm(g, 2, 4096);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_SUB | BPFKIT_X, 2, 0, 0, 0);
	cg_call_unchecked(g, "probe_read_user");
	cg_jmp(g, BPFKIT_JNE, 0, -1, 0, done);
	cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, rec, 0, size, BPFKIT_LANG_USTACK_BYTES);
	cg_place(g, done);
}

/*
 * A ustack unwound in user space (lang.h's BPFKIT_LANG_USTACK_MAP): in this
 * CPU's record slot, the tag (CPU << 20 | the CPU's sample count, 20 bits),
 * the thread, the task's user registers (bpf_task_pt_regs(): right in every
 * probe type, also where the probe interrupted the kernel) and up to 8 KiB
 * of the user stack from sp up (gen_copy_stack()), sent through the ring
 * buffer. dst = tgid << 32 | tag (| BPFKIT_LANG_USTACK_NONE when the slot
 * could not be had). The process is noted (event @p ev) as for any ustack.
 */
static void gen_dwarf_ustack(struct cg *g, const struct bpfkit_lang_event *ev, const struct bpfkit_ast_expr *e,
			     int dst)
{
	int sp = g->sp, key = cg_stack(g, 8), slot = cg_stack(g, 8), out = cg_label(g);
	int rec = cg_need_reg(g, e);
	const int16_t seq = BPFKIT_LANG_USTACK_SEQ_OFF, regs = BPFKIT_LANG_USTACK_REGS_OFF;

	gen_tgid(g, rec);
	gen_upid_note(g, ev, rec);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, dst, rec, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_LSH | BPFKIT_K, dst, 0, 0, 32);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_OR | BPFKIT_K, dst, 0, 0, (int32_t)BPFKIT_LANG_USTACK_NONE);
	cg_zero(g, key, 8);
	cg_ld_map(g, 1, BPFKIT_LANG_USTACK_MAP);
	cg_fp_addr(g, 2, key);
	cg_call_unchecked(g, "map_lookup_elem");
	cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, out);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, rec, 0, 0, 0);
	cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, rec, 0, 0, ustack_event(g));
	cg_load(g, 1, rec, seq, 8, false); /* this CPU's samples, one more */
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 1, 0, 0, 1);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, rec, 1, seq, 0);
	cg_call(g, "get_smp_processor_id");
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_LSH | BPFKIT_K, 0, 0, 0, 20);
	cg_load(g, 1, rec, seq, 8, false);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_AND | BPFKIT_K, 1, 0, 0, 0xfffff);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_OR | BPFKIT_X, 0, 1, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_RSH | BPFKIT_K, dst, 0, 0, 32);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_LSH | BPFKIT_K, dst, 0, 0, 32);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_OR | BPFKIT_X, dst, 0, 0, 0);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, rec, dst, 8, 0);
	cg_call(g, "get_current_pid_tgid");
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, rec, 0, 16, 0);
	cg_call(g, "get_current_task_btf");
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, 0, 0, 0);
	cg_call(g, "task_pt_regs");
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 3, 0, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, rec, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 1, 0, 0, regs);
	cg_mov_imm(g, 2, 8 * BPFKIT_LANG_USTACK_NREGS);
	cg_call_unchecked(g, "probe_read_kernel"); /* zeroed when it fails: sp 0, nothing read below */
	gen_copy_stack(g, rec, slot);
	/* the record up to the bytes read: less to copy, more samples in the ring */
	cg_output_sized(g, rec, 0, BPFKIT_LANG_USTACK_SIZE_OFF, BPFKIT_LANG_USTACK_DATA_OFF, BPFKIT_LANG_USTACK_BYTES);
	cg_place(g, out);
	cg_free(g, rec);
	g->sp = sp;
}

void stack_gen_builtin(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	if (sx_of(e)->t->stack_dwarf)
		gen_dwarf_ustack(g, sx_of(e)->ev, e, dst);
	else
		gen_stackid(g, sx_of(e)->t, sx_of(e)->ev, e, dst);
}

static void gen_stack(struct cg *g, const struct bpfkit_ast_expr *call, int dst)
{
	stack_gen_builtin(g, call, dst);
}

/* ksym(addr), usym(addr): any integer; user space names it. */
static int check_sym(struct cctx *c, struct bpfkit_ast_expr *call, bool user)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];

	if (sema_expr(c, a))
		return -EINVAL;
	if (!sx_of(a)->t || sx_of(a)->t->kind != BPFKIT_LANG_V_INT)
		return sema_error(c, a->loc, NULL, "%s() expects an integer or a pointer, got %s",
				  user ? "usym" : "ksym", ty_name(c, sx_of(a)->t));
	sx_of(call)->t = user ? &ty_usym : &ty_ksym;
	if (user)
		sx_of(call)->ev = upid_event(c, call);
	return 0;
}

static int check_ksym(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *assigned)
{
	(void)assigned;
	return check_sym(c, call, false);
}

static int check_usym(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *assigned)
{
	(void)assigned;
	if (stack_where(c, call->loc, "usym"))
		return -EINVAL;
	return check_sym(c, call, true);
}

static void gen_ksym(struct cg *g, const struct bpfkit_ast_expr *call, int dst)
{
	int r = cg_int(g, call->u.call.args[0]);

	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, dst, r, 0, 0);
	cg_free(g, r);
}

/* usym(addr): { addr, tgid } at off; the process noted. */
static void gen_usym(struct cg *g, const struct bpfkit_ast_expr *call, int off, uint32_t size)
{
	int r = cg_int(g, call->u.call.args[0]);

	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, r, (int16_t)off, 0);
	gen_tgid(g, r);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, r, (int16_t)(off + 8), 0);
	gen_upid_note(g, sx_of(call)->ev, r);
	cg_free(g, r);
	if (size > 16)
		cg_zero(g, off + 16, ((size + 7) & ~7u) - 16);
}

/*
 * uaddr("sym"): the address of symbol sym (a function or a variable) of the
 * probe's binary, so only in uprobes and USDT probes (bpftrace 0.17's
 * message elsewhere). For a file loaded at a fixed address, its address in
 * the file. A PIE or a library is loaded at a bias that only the process
 * knows: in a uprobe, the probe's own address is ctx->ip at the probe,
 * so the symbol is at ip + (its virtual address - the probe's) (a USDT
 * probe is a uprobe at its site: the same); a uretprobe's ip is the return address, so there (as everywhere in
 * bpftrace 0.17) the address in the file, with a warning.
 */
static int check_uaddr(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *assigned)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];
	enum bpfkit_probe_type type = c->t->prov->type;
	uint64_t addr = 0, probe = 0;
	bool pie = false;
	int err;

	(void)assigned;
	if (a->kind != BPFKIT_EXPR_STR)
		return sema_error(c, a->loc, NULL, "uaddr() expects a string literal");
	if (type != BPFKIT_PROBE_UPROBE && type != BPFKIT_PROBE_URETPROBE && type != BPFKIT_PROBE_USDT)
		return sema_error(c, call->loc, NULL, "uaddr can only be used with u(ret)probes and usdt");
	sema_annot(c, a);
	if (!c->env || !c->env->usym_addr)
		return sema_error(c, call->loc, NULL, "no symbol tables available to resolve uaddr(\"%s\")",
				  a->u.str.data);
	err = c->env->usym_addr(c->env->user, c->t->target, a->u.str.data, c->t->offset, &addr, &probe, &pie);
	if (err)
		return sema_error(c, call->loc, NULL, "Could not resolve symbol: %s:%s%s%s", c->t->target,
				  a->u.str.data, err == -ENOENT ? "" : ": ", err == -ENOENT ? "" : env_why(c, err));
	/* a USDT site is a uprobe at the site: its ip is the site's address too */
	sx_of(call)->ip_rel = pie && type != BPFKIT_PROBE_URETPROBE;
	sx_of(call)->pval = (int64_t)(sx_of(call)->ip_rel ? addr - probe : addr);
	if (pie && type == BPFKIT_PROBE_URETPROBE)
		sema_warning(c, call->loc,
			     "uaddr(\"%s\") here is the symbol's address in %s, which is position independent: "
			     "not its address in the process (known only in uprobes and usdt probes)",
			     a->u.str.data, c->t->target);
	sx_of(call)->t = &ty_u64;
	return 0;
}

static void gen_uaddr(struct cg *g, const struct bpfkit_ast_expr *call, int dst)
{
	const struct sx *s = sx_of(call);

	if (!s->ip_rel) {
		cg_mov_imm(g, dst, s->pval);
		return;
	}
	cg_load(g, dst, CG_CTX, ptregs_offset("ip"), 8, false);
	cg_mov_imm(g, 1, s->pval);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, dst, 1, 0, 0);
}

const struct func funcs_stack[] = {
	{ .name = "kstack", .min_args = 0, .max_args = 2, .check = check_kstack, .gen_int = gen_stack },
	{ .name = "ustack", .min_args = 0, .max_args = 2, .check = check_ustack, .gen_int = gen_stack },
	{ .name = "ksym", .min_args = 1, .max_args = 1, .check = check_ksym, .gen_int = gen_ksym },
	{ .name = "usym", .min_args = 1, .max_args = 1, .check = check_usym, .gen_store = gen_usym },
	{ .name = "uaddr", .min_args = 1, .max_args = 1, .check = check_uaddr, .gen_int = gen_uaddr },
};
const size_t funcs_stack_n = sizeof(funcs_stack) / sizeof(funcs_stack[0]);
