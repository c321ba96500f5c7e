// SPDX-License-Identifier: MIT
/*
 * bpfkit_lang__compile: the driver of the compiler's passes.
 *
 *   1. expand: every attach point through its provider into targets;
 *   2. sema, round 0 (quiet): learn map types from every probe, so that a
 *      map read before (in text) its assignment is typed; then once more,
 *      a map still untyped reading as an integer, so that a map whose only
 *      assignment reads it (`@x = @x + 1`, as bpftrace allows) is typed;
 *   3. sema, round 1: the same walk, reporting errors; events registered;
 *   4. layout: map key/value sizes, kinds, the event ring buffer;
 *   5. codegen: per target, sema once more (annotations are per target)
 *      then instructions;
 *   6. output: copy programs into malloc'd struct bpfkit_prog.
 *
 * Allocation failure unwinds through the arenas' jmp_buf (nothing malloc'd
 * is held until step 6, which checks each malloc).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/compile_int.h"

struct compiled_impl {
	struct bpfkit_compiled pub; /* first: the public pointer is this struct's */
	struct arena arena;
};

const struct provider *provider_find(enum bpfkit_probe_type type)
{
	switch (type) {
	case BPFKIT_PROBE_USDT: return &provider_usdt;
	case BPFKIT_PROBE_BEGIN: return &provider_begin;
	case BPFKIT_PROBE_END: return &provider_end;
	case BPFKIT_PROBE_TRACEPOINT: return &provider_tracepoint;
	case BPFKIT_PROBE_RAWTRACEPOINT: return &provider_rawtracepoint;
	case BPFKIT_PROBE_INTERVAL: return &provider_interval;
	case BPFKIT_PROBE_PROFILE: return &provider_profile;
	case BPFKIT_PROBE_SOFTWARE: return &provider_software;
	case BPFKIT_PROBE_HARDWARE: return &provider_hardware;
	case BPFKIT_PROBE_UPROBE: return &provider_uprobe;
	case BPFKIT_PROBE_URETPROBE: return &provider_uretprobe;
	case BPFKIT_PROBE_KPROBE: return &provider_kprobe;
	case BPFKIT_PROBE_KRETPROBE: return &provider_kretprobe;
	default: return NULL;
	}
}

struct bpfkit_lang_field *fields_copy(struct cctx *c, const struct bpfkit_lang_field *f, size_t n)
{
	struct bpfkit_lang_field *copy = arena_alloc(c->a, sizeof(*copy) * (n ? n : 1));

	for (size_t i = 0; i < n; i++) {
		copy[i] = f[i];
		copy[i].name = arena_strndup(c->a, f[i].name ? f[i].name : "", f[i].name ? strlen(f[i].name) : 0);
		copy[i].type = arena_strndup(c->a, f[i].type ? f[i].type : "", f[i].type ? strlen(f[i].type) : 0);
	}
	return copy;
}

struct target *target_new(struct cctx *c, const struct provider *p, const struct bpfkit_ast_attach *a,
			  const char *target)
{
	struct target *t = arena_alloc(c->a, sizeof(*t));
	const char *prov = bpfkit_probe_type_name(p->type);
	size_t n = strlen(prov) + 1 + strlen(target) + 1;
	char *name = arena_alloc(c->a, n);

	if (target[0])
		snprintf(name, n, "%s:%s", prov, target);
	else
		snprintf(name, n, "%s", prov);
	t->prov = p;
	t->attach = a;
	t->target = arena_strndup(c->a, target, strlen(target));
	t->name = name;
	return t;
}

/* The parts are split at ':' outside quotes, as make_attach() does in the
 * parser; the raw text is on one line, where the attach point starts. */
struct bpfkit_loc attach_part_loc(const struct bpfkit_ast_attach *a, size_t i)
{
	struct bpfkit_loc loc = a->loc;
	size_t part = 0, start = 0, n = a->raw ? strlen(a->raw) : 0;
	bool inq = false;

	for (size_t k = 0; k <= n; k++) {
		char ch = k < n ? a->raw[k] : ':';

		if (ch == '"')
			inq = !inq;
		else if (ch == '\\' && inq && k + 1 < n)
			k++;
		if (ch != ':' || (inq && k < n))
			continue;
		if (part == i + 1) {
			loc.col += (int)start;
			loc.len = k > start ? (int)(k - start) : 1;
			return loc;
		}
		part++;
		start = k + 1;
	}
	return a->loc;
}

struct expand_arg {
	struct cctx *c;
	const struct provider *p;
	const struct bpfkit_ast_attach *a;
	struct ptrvec *out;
};

static int expand_add(void *arg, const char *target)
{
	struct expand_arg *x = arg;

	if (!target || !target[0])
		return -EINVAL;
	ptrvec_push(x->c->a, x->out, target_new(x->c, x->p, x->a, target));
	return 0;
}

int target_expand_env(struct cctx *c, const struct provider *p, const struct bpfkit_ast_attach *a,
		      const char *pattern, struct ptrvec *out)
{
	struct expand_arg x = { c, p, a, out };
	size_t first = out->n;
	int err;

	if (!c->env || !c->env->expand)
		return sema_error(c, a->loc, NULL, "cannot expand wildcards in '%s' here (no probe list)", a->raw);
	err = c->env->expand(c->env->user, p->type, pattern, expand_add, &x);
	if (err)
		return sema_error(c, a->loc, NULL, "cannot expand '%s': %s", a->raw, env_why(c, err));
	if (out->n == first)
		return sema_error(c, a->loc, NULL, "no probe matches '%s'", a->raw);
	return 0;
}

/*
 * Positional parameters in an attach point (interval:ms:$1,
 * tracepoint:syscalls:sys_enter_$1): bpftrace replaces each $N in the text
 * by parameter N, "" when there is none. The copy has the replaced parts;
 * its raw text stays as written, so errors point at the $N.
 */
static const struct bpfkit_ast_attach *attach_params(struct cctx *c, const struct bpfkit_ast_attach *a)
{
	struct bpfkit_ast_attach *copy;
	const char **parts;
	bool any = false;

	for (size_t i = 0; i < a->nparts; i++)
		for (const char *s = strchr(a->parts[i], '$'); s; s = strchr(s + 1, '$'))
			any = any || (s[1] >= '0' && s[1] <= '9');
	if (!any)
		return a;
	copy = arena_alloc(c->a, sizeof(*copy));
	*copy = *a;
	parts = arena_alloc(c->a, sizeof(*parts) * (a->nparts ? a->nparts : 1));
	for (size_t i = 0; i < a->nparts; i++) {
		size_t len = 0;
		char *out = NULL;

		for (int pass = 0; pass < 2; pass++) { /* the length, then the text */
			const char *s = a->parts[i];

			len = 0;
			while (*s) {
				if (s[0] == '$' && s[1] >= '0' && s[1] <= '9') {
					char *end;
					const char *v = sema_param(c, strtol(s + 1, &end, 10));
					size_t vn = v ? strlen(v) : 0;

					if (out && vn)
						memcpy(out + len, v, vn);
					len += vn;
					s = end;
					continue;
				}
				if (out)
					out[len] = *s;
				len++;
				s++;
			}
			if (!out)
				out = arena_alloc(c->a, len + 1);
		}
		parts[i] = out;
		copy->wildcard = copy->wildcard || strpbrk(out, "*?");
	}
	copy->parts = parts;
	return copy;
}

/* Step 1: every probe's attach points into targets. */
static int expand_all(struct cctx *c, const struct bpfkit_ast_program *prog, struct ptrvec *targets)
{
	int err = 0;

	for (size_t i = 0; i < prog->nprobes; i++) {
		const struct bpfkit_ast_probe *pr = prog->probes[i];

		for (size_t j = 0; j < pr->nattach; j++) {
			const struct bpfkit_ast_attach *a = attach_params(c, pr->attach[j]);
			const struct provider *p = provider_find(a->type);
			size_t first = targets->n;

			if (!p) {
				err = sema_error(c, a->loc, NULL, "%s probes are not yet supported by bpfkit",
						 bpfkit_probe_type_name(a->type));
				continue;
			}
			if (p->expand(c, a, targets)) {
				err = -EINVAL;
				continue;
			}
			for (size_t k = first; k < targets->n; k++) {
				struct target *t = targets->items[k];

				t->probe = pr;
				t->probe_index = i;
			}
		}
	}
	return err;
}

static int map_cmp(const void *a, const void *b)
{
	const struct mapinfo *x = *(struct mapinfo *const *)a, *y = *(struct mapinfo *const *)b;

	return strcmp(x->d.name, y->d.name);
}

/*
 * Step 4: kinds and sizes of the maps; every map must hold something.
 * Aggregations live in per-CPU hashes, except a count() without a key
 * (`@ = count()`): that is a per-CPU array of one slot, whose lookup the
 * kernel inlines and which never misses: 5 ns less per event than a
 * hash. Its slot always exists, so it prints "@: 0" before the first event
 * and after clear(), as bpftrace prints a keyless map. A map that delete()
 * names keeps the hash: delete() from a program would zero only the slot of
 * the CPU it runs on.
 */
static int layout_maps(struct cctx *c)
{
	int err = 0;

	for (size_t i = 0; i < c->maps.n; i++) {
		struct mapinfo *m = c->maps.items[i];
		bool hist = m->d.agg == BPFKIT_LANG_AGG_HIST || m->d.agg == BPFKIT_LANG_AGG_LHIST;

		if (!m->typed) {
			err = sema_error(c, m->loc, NULL, "map %s is used but never assigned", m->d.name);
			continue;
		}
		m->d.kind = m->d.agg == BPFKIT_LANG_AGG_PLAIN ? BPFKIT_LANG_MAP_HASH : BPFKIT_LANG_MAP_PERCPU_HASH;
		m->d.key_size = (m->d.key ? m->d.key->size : 8) + (hist ? 8 : 0);
		m->d.key_size = (m->d.key_size + 7) & ~7u;
		m->d.value_size = (m->d.value->size + 7) & ~7u;
		if (!m->d.key && m->d.agg == BPFKIT_LANG_AGG_COUNT && !m->keep_hash) {
			m->d.kind = BPFKIT_LANG_MAP_PERCPU_ARRAY;
			m->d.key_size = 4;
			m->d.max_entries = 1;
		}
	}
	if (c->maps.n > 1)
		qsort(c->maps.items, c->maps.n, sizeof(void *), map_cmp);
	return err;
}

/*
 * Whether tracepoint target @p t runs as a raw tracepoint instead. The
 * raw_syscalls events fire on every system call either way, and a raw
 * tracepoint skips the perf tracepoint's buffer: about half the cost per
 * event (20 ns against 40 ns for an empty program on the machine this was
 * measured on). A raw tracepoint's context is its arguments, not the
 * record: sys_enter's are (regs, id), so `id` is at offset 8 in both, and
 * sys_exit's are (regs, ret), where the record has id. So bodies qualify
 * that read no field, or on sys_enter only `id` (sema_field() records which).
 */
static bool as_raw_tracepoint(const struct cctx *c, const struct target *t)
{
	if (!c->env || !(c->env->features & BPFKIT_LANG_FEAT_RAW_TP) || t->prov->type != BPFKIT_PROBE_TRACEPOINT ||
	    !t->system || strcmp(t->system, "raw_syscalls") || !t->event)
		return false;
	if (!strcmp(t->event, "sys_enter"))
		return !t->reads_not_id;
	return !strcmp(t->event, "sys_exit") && !t->reads_fields;
}

static int sema_round(struct cctx *c, struct ptrvec *targets)
{
	int err = 0;

	for (size_t i = 0; i < targets->n; i++)
		err = sema_probe(c, targets->items[i]) ?: err;
	return err;
}

/* Step 6: a malloc'd copy of an arena-built program. */
static struct bpfkit_prog *prog_copy(const struct bpfkit_prog *src, const char *name)
{
	struct bpfkit_prog *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->name = strdup(name);
	p->insns = malloc(src->len * sizeof(*p->insns));
	p->lines = malloc(src->len * sizeof(*p->lines));
	p->relocs = calloc(src->nrelocs ? src->nrelocs : 1, sizeof(*p->relocs));
	if (!p->name || !p->insns || !p->lines || !p->relocs) {
		bpfkit_prog__free(p);
		return NULL;
	}
	memcpy(p->insns, src->insns, src->len * sizeof(*p->insns));
	memcpy(p->lines, src->lines, src->len * sizeof(*p->lines));
	p->len = src->len;
	for (size_t i = 0; i < src->nrelocs; i++) {
		p->relocs[i] = src->relocs[i];
		p->relocs[i].name = strdup(src->relocs[i].name);
		if (!p->relocs[i].name) {
			bpfkit_prog__free(p);
			return NULL;
		}
		p->nrelocs = i + 1;
	}
	return p;
}

/* Whether some event is a record programs send (strftime() formats are
 * not), and whether some is a join() (its map, a bigger ring). */
static void events_used(const struct cctx *c, bool *sends, bool *joins, bool *ustacks)
{
	*sends = *joins = *ustacks = false;
	for (size_t i = 0; i < c->events.n; i++) {
		enum bpfkit_lang_event_kind k = ((const struct bpfkit_lang_event *)c->events.items[i])->kind;

		*sends |= k != BPFKIT_LANG_EV_STRFTIME;
		*joins |= k == BPFKIT_LANG_EV_JOIN;
		*ustacks |= k == BPFKIT_LANG_EV_USTACK;
	}
}

/* Steps 2 to 5 (everything that allocates from the arenas). */
static int compile_passes(struct cctx *c, const struct bpfkit_ast_program *prog, struct bpfkit_compiled *out)
{
	struct ptrvec targets = { 0 };
	struct bpfkit_lang_prog *progs;
	struct bpfkit_lang_map *maps;
	struct bpfkit_lang_event *events;
	bool sends, joins, ustacks;
	uint32_t ring;

	if (expand_all(c, prog, &targets))
		return -EINVAL;
	if (targets.n == 0)
		return sema_error(c, (struct bpfkit_loc){ 0 }, NULL, "the script has no probes");
	c->quiet = true;
	sema_round(c, &targets);
	c->guess_maps = true;
	sema_round(c, &targets);
	c->guess_maps = false;
	c->quiet = false;
	c->errors = 0;
	c->events.n = 0;
	if (sema_round(c, &targets) || c->errors)
		return -EINVAL;
	if (layout_maps(c))
		return -EINVAL;
	c->codegen = true;
	c->quiet = true;
	c->event_cursor = 0;
	c->nsema_events = c->events.n; /* codegen adds only -k's HELPER_ERROR events, after these */
	progs = arena_alloc(c->oa, sizeof(*progs) * targets.n);
	for (size_t i = 0; i < targets.n; i++) {
		struct target *t = targets.items[i];

		if (sema_probe(c, t))
			return sema_error(c, t->probe->loc, NULL, "internal error: types changed before codegen");
		progs[i].name = arena_strndup(c->oa, t->name, strlen(t->name));
		progs[i].type = t->prov->type;
		progs[i].ref_ctr_offset = t->usdt ? t->usdt->semaphore : 0;
		progs[i].target = arena_strndup(c->oa, t->target, strlen(t->target));
		if (as_raw_tracepoint(c, t)) {
			progs[i].type = BPFKIT_PROBE_RAWTRACEPOINT;
			progs[i].target = arena_strndup(c->oa, t->event, strlen(t->event));
		}
		progs[i].period_ns = t->period_ns;
		progs[i].perf_type = t->perf_type;
		progs[i].perf_config = t->perf_config;
		progs[i].sample_period = t->sample_period;
		progs[i].sample_freq = t->sample_freq;
		progs[i].offset = t->offset;
		progs[i].probe = t->probe_index;
		c->quiet = false;
		if (codegen_program(c, t, &progs[i]))
			return -EINVAL;
		c->quiet = true;
	}
	c->quiet = false;
	events_used(c, &sends, &joins, &ustacks);
	maps = arena_alloc(c->oa, sizeof(*maps) * (c->maps.n + 7 + c->nstacks));
	for (size_t i = 0; i < c->maps.n; i++)
		maps[i] = ((struct mapinfo *)c->maps.items[i])->d;
	out->nmaps = c->maps.n;
	if (sends && c->env->perf_events) {
		maps[out->nmaps++] = (struct bpfkit_lang_map){ .name = "events",
							       .kind = BPFKIT_LANG_MAP_PERF_EVENT_ARRAY,
							       .key_size = 4, .value_size = 4 };
	} else if (sends) {
		ring = c->env->ringbuf_size ? c->env->ringbuf_size : BPFKIT_LANG_RINGBUF_SIZE;
		if (joins && ring < BPFKIT_LANG_RINGBUF_JOIN_SIZE)
			ring = BPFKIT_LANG_RINGBUF_JOIN_SIZE;
		if (ustacks && ring < BPFKIT_LANG_RINGBUF_USTACK_SIZE) /* 8 KiB records */
			ring = BPFKIT_LANG_RINGBUF_USTACK_SIZE;
		maps[out->nmaps++] = (struct bpfkit_lang_map){ .name = "events", .kind = BPFKIT_LANG_MAP_RINGBUF,
							       .max_entries = ring };
	}
	if (sends) {
		out->events_map = "events";
		/* records ringbuf_output() could not write, counted per CPU */
		maps[out->nmaps++] = (struct bpfkit_lang_map){ .name = BPFKIT_LANG_LOST_MAP,
							       .kind = BPFKIT_LANG_MAP_PERCPU_ARRAY,
							       .key_size = 4, .value_size = 8, .max_entries = 1 };
	}
	if (c->uses_elapsed) /* the start time, written by the runner */
		maps[out->nmaps++] = (struct bpfkit_lang_map){ .name = BPFKIT_LANG_START_MAP,
							       .kind = BPFKIT_LANG_MAP_ARRAY,
							       .key_size = 4, .value_size = 8, .max_entries = 1 };
	if (joins) /* join() builds its record here: too big for the stack */
		maps[out->nmaps++] = (struct bpfkit_lang_map){
			.name = BPFKIT_LANG_JOIN_MAP, .kind = BPFKIT_LANG_MAP_PERCPU_ARRAY, .key_size = 4,
			.value_size = 8 + BPFKIT_LANG_JOIN_ARGS * BPFKIT_LANG_JOIN_ARGSIZE, .max_entries = 1 };
	if (ustacks) /* ustacks unwound in user space build their record here (builtins/stack.c) */
		maps[out->nmaps++] = (struct bpfkit_lang_map){
			.name = BPFKIT_LANG_USTACK_MAP, .kind = BPFKIT_LANG_MAP_PERCPU_ARRAY, .key_size = 4,
			.value_size = BPFKIT_LANG_USTACK_SEQ_OFF + 8, .max_entries = 1 };
	for (size_t i = 0; i < c->nstacks; i++) { /* kstack, ustack: stack maps (builtins/stack.c) */
		struct bpfkit_lang_vtype t = { .kind = BPFKIT_LANG_V_STACK, .stack_depth = c->stacks[i].depth,
					       .stack_user = c->stacks[i].user };
		char name[32];

		bpfkit_lang_stack_map(name, sizeof(name), &t);
		maps[out->nmaps++] = (struct bpfkit_lang_map){
			.name = arena_strndup(c->oa, name, strlen(name)), .kind = BPFKIT_LANG_MAP_STACK_TRACE,
			.key_size = 4, .value_size = 8 * t.stack_depth,
			.max_entries = c->env->stack_entries ? c->env->stack_entries : BPFKIT_LANG_STACK_ENTRIES };
	}
	if (c->nstacks) /* stacks the stack maps could not take */
		maps[out->nmaps++] = (struct bpfkit_lang_map){ .name = BPFKIT_LANG_STACK_LOST_MAP,
							       .kind = BPFKIT_LANG_MAP_PERCPU_ARRAY,
							       .key_size = 4, .value_size = 8, .max_entries = 1 };
	if (c->uses_upids) /* processes whose mappings user space was told to read */
		maps[out->nmaps++] = (struct bpfkit_lang_map){ .name = BPFKIT_LANG_UPID_MAP,
							       .kind = BPFKIT_LANG_MAP_HASH, .key_size = 4,
							       .value_size = 8, .max_entries = BPFKIT_LANG_UPID_ENTRIES };
	events = arena_alloc(c->oa, sizeof(*events) * (c->events.n ? c->events.n : 1));
	for (size_t i = 0; i < c->events.n; i++)
		events[i] = *(struct bpfkit_lang_event *)c->events.items[i];
	out->maps = maps;
	out->events = events;
	out->nevents = c->events.n;
	out->progs = progs;
	out->nprogs = targets.n;
	if (c->probe_names.n) { /* the names `probe` ids stand for */
		const char **names = arena_alloc(c->oa, sizeof(*names) * c->probe_names.n);

		memcpy(names, c->probe_names.items, sizeof(*names) * c->probe_names.n);
		out->probe_names = names;
		out->nprobe_names = c->probe_names.n;
	}
	return 0;
}

int bpfkit_lang__compile(struct bpfkit_lang *l, const struct bpfkit_ast_program *prog,
			 const struct bpfkit_lang_env *env, struct bpfkit_compiled **out)
{
	struct compiled_impl *volatile impl;
	struct cctx c = { 0 };
	jmp_buf jb;
	int err;

	if (!l || !prog || !out)
		return -EINVAL;
	*out = NULL;
	impl = calloc(1, sizeof(*impl));
	if (!impl)
		return -ENOMEM;
	if (setjmp(jb)) {
		l->arena.oom = NULL;
		arena_release(&impl->arena);
		free(impl);
		return -ENOMEM;
	}
	l->arena.oom = &jb;
	impl->arena.oom = &jb;
	c.l = l;
	c.a = &l->arena;
	c.oa = &impl->arena;
	c.env = env;
	c.prog = prog;
	err = compile_passes(&c, prog, &impl->pub);
	l->arena.oom = NULL;
	impl->arena.oom = NULL;
	if (!err && l->nerrors)
		err = -EINVAL;
	if (err) {
		arena_release(&impl->arena);
		free(impl);
		return err;
	}
	/* step 6: the programs to malloc'd memory (the arena strings stay) */
	for (size_t i = 0; i < impl->pub.nprogs; i++) {
		struct bpfkit_lang_prog *p = &impl->pub.progs[i];
		struct bpfkit_prog *copy = prog_copy(p->prog, p->name);

		p->prog = copy;
		if (!copy) {
			for (size_t k = i + 1; k < impl->pub.nprogs; k++)
				impl->pub.progs[k].prog = NULL;
			bpfkit_compiled__free(&impl->pub);
			return -ENOMEM;
		}
	}
	*out = &impl->pub;
	return 0;
}

void bpfkit_compiled__free(struct bpfkit_compiled *c)
{
	struct compiled_impl *impl = (struct compiled_impl *)c;

	if (!c)
		return;
	for (size_t i = 0; i < c->nprogs; i++)
		bpfkit_prog__free(c->progs[i].prog);
	arena_release(&impl->arena);
	free(impl);
}

const char *bpfkit_lang_map_kind_name(enum bpfkit_lang_map_kind k)
{
	switch (k) {
	case BPFKIT_LANG_MAP_HASH: return "hash";
	case BPFKIT_LANG_MAP_PERCPU_HASH: return "percpu_hash";
	case BPFKIT_LANG_MAP_ARRAY: return "array";
	case BPFKIT_LANG_MAP_PERCPU_ARRAY: return "percpu_array";
	case BPFKIT_LANG_MAP_RINGBUF: return "ringbuf";
	case BPFKIT_LANG_MAP_PERF_EVENT_ARRAY: return "perf_event_array";
	case BPFKIT_LANG_MAP_STACK_TRACE: return "stack_trace";
	}
	return "unknown";
}

const char *bpfkit_lang_event_kind_name(enum bpfkit_lang_event_kind k)
{
	static const char *const names[] = {
		[BPFKIT_LANG_EV_PRINTF] = "printf", [BPFKIT_LANG_EV_EXIT] = "exit",
		[BPFKIT_LANG_EV_PRINT] = "print",   [BPFKIT_LANG_EV_CLEAR] = "clear",
		[BPFKIT_LANG_EV_ZERO] = "zero",	    [BPFKIT_LANG_EV_TIME] = "time",
		[BPFKIT_LANG_EV_PRINT_VALUE] = "print_value", [BPFKIT_LANG_EV_SYSTEM] = "system",
		[BPFKIT_LANG_EV_CAT] = "cat",	    [BPFKIT_LANG_EV_JOIN] = "join",
		[BPFKIT_LANG_EV_STRFTIME] = "strftime", [BPFKIT_LANG_EV_UPID] = "upid",
		[BPFKIT_LANG_EV_USTACK] = "ustack", [BPFKIT_LANG_EV_AGG] = "agg",
		[BPFKIT_LANG_EV_HELPER_ERROR] = "helper_error",
	};

	if ((unsigned)k >= sizeof(names) / sizeof(names[0]) || !names[k])
		return "?";
	return names[k];
}
