// SPDX-License-Identifier: MIT
/*
 * Unit tests of the compiler's code generation:
 *  - golden files: tests/data/codegen/NAME.bt compiles to NAME.s (maps,
 *    events, and each program in the kernel dialect, with the script line
 *    before the instructions it produced); errors/NAME.bt fails with the
 *    diagnostics in NAME.err. UPDATE_GOLDEN=1 rewrites the expected files;
 *  - every golden program passes the VM's load-time validation (map LDDWs
 *    patched to plain imm64);
 *  - programs run in the VM against fake helpers (a small hash table for
 *    maps, a capture of ring buffer records) and must compute what bpftrace
 *    would: counts, hist and lhist buckets, printf records, string compares.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <bpfkit/isa.h>
#include <bpfkit/lang.h>
#include <bpfkit/out.h>
#include <bpfkit/vm.h>

#include "lang_test_env.h"

static const char *data_dir(void)
{
	const char *d = getenv("BPFKIT_TEST_DATA");

	return d && *d ? d : "tests/data";
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = 0;
	*len = (size_t)n;
	return buf;
}

/* ---- Text form of a compiled program (the golden format) -------------------------------- */

static void dump_vtype(FILE *f, const struct bpfkit_lang_vtype *t)
{
	if (!t) {
		fprintf(f, "none");
		return;
	}
	switch (t->kind) {
	case BPFKIT_LANG_V_INT:
		fprintf(f, "%s%u", t->is_signed ? "s" : "u", t->size * 8);
		return;
	case BPFKIT_LANG_V_STR:
		fprintf(f, "str[%u]", t->size);
		return;
	case BPFKIT_LANG_V_TIMESTAMP:
		fprintf(f, "timestamp");
		return;
	case BPFKIT_LANG_V_PROBE:
		fprintf(f, "probe");
		return;
	case BPFKIT_LANG_V_KSYM:
		fprintf(f, "ksym");
		return;
	case BPFKIT_LANG_V_STACK:
		fprintf(f, "%cstack(mode %u, %u)", t->stack_user ? 'u' : 'k', t->stack_mode, t->stack_depth);
		return;
	case BPFKIT_LANG_V_USYM:
		fprintf(f, "usym");
		return;
	case BPFKIT_LANG_V_INET:
		fprintf(f, "inet");
		return;
	case BPFKIT_LANG_V_MAC:
		fprintf(f, "mac");
		return;
	case BPFKIT_LANG_V_ERRNO:
		fprintf(f, "strerror");
		return;
	case BPFKIT_LANG_V_USER:
		fprintf(f, "username");
		return;
	case BPFKIT_LANG_V_BUF:
		fprintf(f, "buf[%u]", t->size - 8);
		return;
	case BPFKIT_LANG_V_ARRAY:
		fprintf(f, "u8[%u]", t->size);
		return;
	case BPFKIT_LANG_V_TUPLE:
		fprintf(f, "(");
		for (size_t i = 0; i < t->nelems; i++) {
			fprintf(f, "%s@%u:", i ? ", " : "", t->elems[i].offset);
			dump_vtype(f, t->elems[i].type);
		}
		fprintf(f, ")");
		return;
	}
}


/* The line @p n (1-based) of @p src, for the comments of the dump. */
static void src_line(const char *src, int n, char *buf, size_t size)
{
	const char *p = src, *e;

	for (int i = 1; i < n && p; i++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p) {
		buf[0] = 0;
		return;
	}
	e = strchr(p, '\n');
	snprintf(buf, size, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
}

static char *dump_compiled(const struct bpfkit_compiled *c, const char *src)
{
	char *out = NULL, buf[256], line[256];
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	for (size_t i = 0; i < c->nmaps; i++) {
		const struct bpfkit_lang_map *m = &c->maps[i];

		fprintf(f, "map %s %s key_size=%u value_size=%u max_entries=%u", m->name,
			bpfkit_lang_map_kind_name(m->kind), m->key_size, m->value_size, m->max_entries);
		if (m->agg) {
			fprintf(f, " agg=%d key=", m->agg);
			dump_vtype(f, m->key);
			fprintf(f, " value=");
			dump_vtype(f, m->value);
		}
		if (m->agg == BPFKIT_LANG_AGG_LHIST)
			fprintf(f, " lhist=%lld,%lld,%lld", (long long)m->lmin, (long long)m->lmax, (long long)m->lstep);
		fprintf(f, "\n");
	}
	for (size_t i = 0; i < c->nevents; i++) {
		const struct bpfkit_lang_event *e = &c->events[i];

		fprintf(f, "event %zu %s size=%u line=%d", i, bpfkit_lang_event_kind_name(e->kind), e->size, e->line);
		if (e->fmt) {
			char esc[256];
			size_t k = 0;

			for (const char *p = e->fmt; *p && k + 3 < sizeof(esc); p++) {
				if (*p == '\n') {
					esc[k++] = '\\';
					esc[k++] = 'n';
				} else {
					esc[k++] = *p;
				}
			}
			esc[k] = 0;
			fprintf(f, " fmt=\"%s\"", esc);
		}
		if (e->map)
			fprintf(f, " map=%s top=%u div=%u", e->map, e->top, e->div);
		for (size_t k = 0; k < e->nargs; k++) {
			fprintf(f, " %u:", e->args[k].offset);
			dump_vtype(f, e->args[k].type);
		}
		fprintf(f, "\n");
	}
	for (size_t i = 0; i < c->nprobe_names; i++)
		fprintf(f, "probe %zu %s\n", i, c->probe_names[i]);
	for (size_t i = 0; i < c->nprogs; i++) {
		const struct bpfkit_lang_prog *p = &c->progs[i];
		int last = -1;

		fprintf(f, "\nprog %s type=%s target=\"%s\"", p->name, bpfkit_probe_type_name(p->type), p->target);
		if (p->period_ns)
			fprintf(f, " period_ns=%llu", (unsigned long long)p->period_ns);
		if (p->offset)
			fprintf(f, " offset=%#llx", (unsigned long long)p->offset);
		if (p->sample_period || p->sample_freq)
			fprintf(f, " perf=%u:%llu %s=%llu", p->perf_type, (unsigned long long)p->perf_config,
				p->sample_freq ? "freq" : "period",
				(unsigned long long)(p->sample_freq ? p->sample_freq : p->sample_period));
		fprintf(f, "\n");
		for (size_t k = 0; k < p->prog->len;) {
			int w = bpfkit_disasm_insn(p->prog->insns + k, p->prog->len - k, BPFKIT_DIALECT_KERN, buf,
						   sizeof(buf));

			if (p->prog->lines[k] != last) {
				last = p->prog->lines[k];
				src_line(src, last, line, sizeof(line));
				fprintf(f, "; %d: %s\n", last, line);
			}
			assert_true(w > 0);
			for (size_t r = 0; r < p->prog->nrelocs; r++)
				if (p->prog->relocs[r].insn == k)
					snprintf(buf, sizeof(buf), "r%d = map[%s] ll", p->prog->insns[k].dst,
						 p->prog->relocs[r].name);
			fprintf(f, "%4zu: %s\n", k, buf);
			k += (size_t)w;
		}
	}
	fclose(f);
	return out;
}

/* ---- The VM: fake helpers ------------------------------------------------------------------------ */

#define FAKE_ENTRIES 256
#define FAKE_VALUE (8 + BPFKIT_LANG_JOIN_ARGS * BPFKIT_LANG_JOIN_ARGSIZE) /* join()'s record */

struct fake_entry {
	int map;
	uint8_t key[256];
	uint8_t value[FAKE_VALUE];
	bool used;
};

static struct {
	const struct bpfkit_compiled *c;
	struct fake_entry e[FAKE_ENTRIES];
	uint8_t rec[16][FAKE_VALUE];
	size_t rec_len[16];
	size_t nrec;
	size_t ring_room; /* records ringbuf_output accepts before it fails; 0 = any number */
	uint64_t pid_tgid;
	uint64_t ktime; /* what ktime_get_ns returns */
	uint64_t task; /* what get_current_task returns */
	int nreads; /* probe_read_* calls */
	bool arrays_empty; /* arrays hold no slot: reaches the null checks the kernel never takes */
} fake;

static const struct bpfkit_lang_map *fake_map(uint64_t id)
{
	assert_true(id < fake.c->nmaps);
	return &fake.c->maps[id];
}

/* The entry of @p key; in an array, as in the kernel, every index below
 * max_entries exists (zeroed until written) and no other does. */
static struct fake_entry *fake_find(uint64_t map, const void *key)
{
	const struct bpfkit_lang_map *m = fake_map(map);
	bool array = m->kind == BPFKIT_LANG_MAP_ARRAY || m->kind == BPFKIT_LANG_MAP_PERCPU_ARRAY;
	uint32_t idx;

	for (int i = 0; i < FAKE_ENTRIES; i++)
		if (fake.e[i].used && fake.e[i].map == (int)map && !memcmp(fake.e[i].key, key, m->key_size))
			return &fake.e[i];
	if (!array || fake.arrays_empty)
		return NULL;
	assert_int_equal(m->key_size, 4);
	memcpy(&idx, key, 4);
	if (idx >= m->max_entries)
		return NULL;
	for (int i = 0; i < FAKE_ENTRIES; i++) {
		if (fake.e[i].used)
			continue;
		memset(&fake.e[i], 0, sizeof(fake.e[i]));
		fake.e[i].used = true;
		fake.e[i].map = (int)map;
		memcpy(fake.e[i].key, key, 4);
		return &fake.e[i];
	}
	fail_msg("fake maps: out of entries");
	return NULL;
}

static uint64_t h_lookup(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			 uint64_t r5)
{
	struct fake_entry *e;

	(void)r3, (void)r4, (void)r5;
	assert_true(bpfkit_vm_ctx__check(ctx, r2, fake_map(r1)->key_size, false));
	e = fake_find(r1, (void *)(uintptr_t)r2);
	if (!e)
		return 0;
	assert_int_equal(bpfkit_vm_ctx__grant(ctx, e->value, fake_map(r1)->value_size, true), 0);
	return (uint64_t)(uintptr_t)e->value;
}

static uint64_t h_update(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			 uint64_t r5)
{
	const struct bpfkit_lang_map *m = fake_map(r1);
	struct fake_entry *e;

	(void)r5;
	assert_true(bpfkit_vm_ctx__check(ctx, r2, m->key_size, false));
	assert_true(bpfkit_vm_ctx__check(ctx, r3, m->value_size, false));
	e = fake_find(r1, (void *)(uintptr_t)r2);
	if (e && r4 == 1)
		return (uint64_t)-EEXIST;
	for (int i = 0; !e && i < FAKE_ENTRIES; i++)
		if (!fake.e[i].used)
			e = &fake.e[i];
	assert_non_null(e);
	e->used = true;
	e->map = (int)r1;
	memcpy(e->key, (void *)(uintptr_t)r2, m->key_size);
	memcpy(e->value, (void *)(uintptr_t)r3, m->value_size);
	return 0;
}

static uint64_t h_delete(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			 uint64_t r5)
{
	struct fake_entry *e;

	(void)ctx, (void)r3, (void)r4, (void)r5;
	e = fake_find(r1, (void *)(uintptr_t)r2);
	if (!e)
		return (uint64_t)-ENOENT;
	e->used = false;
	return 0;
}

static uint64_t h_output(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			 uint64_t r5)
{
	(void)r4, (void)r5;
	assert_string_equal(fake_map(r1)->name, "events");
	assert_true(bpfkit_vm_ctx__check(ctx, r2, r3, false));
	if (fake.ring_room && fake.nrec >= fake.ring_room)
		return (uint64_t)-ENOSPC; /* the ring is full */
	assert_true(r3 <= FAKE_VALUE && fake.nrec < 16);
	memcpy(fake.rec[fake.nrec], (void *)(uintptr_t)r2, r3);
	fake.rec_len[fake.nrec++] = r3;
	return 0;
}

static uint64_t h_comm(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
		       uint64_t r5)
{
	(void)r3, (void)r4, (void)r5;
	assert_true(bpfkit_vm_ctx__check(ctx, r1, r2, true));
	memset((void *)(uintptr_t)r1, 0, r2);
	strncpy((char *)(uintptr_t)r1, "bash", r2);
	return 0;
}

static uint64_t h_pid_tgid(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			   uint64_t r5)
{
	(void)ctx, (void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return fake.pid_tgid;
}

/* probe_read_*_str: copy a NUL-terminated host string (tests pass real pointers) */
static uint64_t h_read_str(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			   uint64_t r5)
{
	size_t n;

	(void)r4, (void)r5;
	assert_true(bpfkit_vm_ctx__check(ctx, r1, r2, true));
	if (!r2)
		return 0;
	if (r3 < 4096) { /* the kernel's helpers zero the destination when they fail */
		memset((void *)(uintptr_t)r1, 0, r2);
		return (uint64_t)-EFAULT;
	}
	n = strnlen((const char *)(uintptr_t)r3, r2 - 1);
	memcpy((void *)(uintptr_t)r1, (const void *)(uintptr_t)r3, n);
	((char *)(uintptr_t)r1)[n] = 0;
	return n + 1;
}

/* probe_read_{kernel,user}: copy host memory (tests pass real pointers);
 * address 0 fails and zeroes the destination, as the kernel's helpers do */
static uint64_t h_read(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
		       uint64_t r5)
{
	(void)r4, (void)r5;
	assert_true(bpfkit_vm_ctx__check(ctx, r1, r2, true));
	fake.nreads++;
	if (r3 < 4096) {
		memset((void *)(uintptr_t)r1, 0, r2);
		return (uint64_t)-EFAULT;
	}
	memcpy((void *)(uintptr_t)r1, (const void *)(uintptr_t)r3, r2);
	return 0;
}

static uint64_t h_task(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
		       uint64_t r5)
{
	(void)ctx, (void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return fake.task;
}

static uint64_t h_zero(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
		       uint64_t r5)
{
	(void)ctx, (void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return 0;
}

static uint64_t h_ktime(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			uint64_t r5)
{
	(void)ctx, (void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return fake.ktime;
}

/* A VM with every helper the compiler may call registered. */
static struct bpfkit_vm *fake_vm(void)
{
	static const char *const others[] = { "get_smp_processor_id", "get_current_uid_gid",
					      "get_current_cgroup_id", "get_numa_node_id", "get_prandom_u32",
					      "get_stackid" };
	struct bpfkit_vm *vm = bpfkit_vm__new();

	assert_non_null(vm);
	assert_int_equal(bpfkit_vm__register_helper(vm, 1, "map_lookup_elem", h_lookup), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 2, "map_update_elem", h_update), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 3, "map_delete_elem", h_delete), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 130, "ringbuf_output", h_output), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 16, "get_current_comm", h_comm), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 14, "get_current_pid_tgid", h_pid_tgid), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 114, "probe_read_user_str", h_read_str), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 115, "probe_read_kernel_str", h_read_str), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 5, "ktime_get_ns", h_ktime), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 112, "probe_read_user", h_read), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 113, "probe_read_kernel", h_read), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 35, "get_current_task", h_task), 0);
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		assert_int_equal(bpfkit_vm__register_helper(vm, (uint32_t)bpfkit_helper_id(others[i]), others[i],
							    h_zero), 0);
	return vm;
}

/* Load program @p i of @p c into @p vm, map LDDWs patched to the map's index. */
static int load_prog(struct bpfkit_vm *vm, const struct bpfkit_compiled *c, size_t i, struct bpfkit_diag *d)
{
	const struct bpfkit_prog *p = c->progs[i].prog;
	struct bpfkit_insn *copy = malloc(p->len * sizeof(*copy));
	int err;

	assert_non_null(copy);
	memcpy(copy, p->insns, p->len * sizeof(*copy));
	for (size_t r = 0; r < p->nrelocs; r++) {
		size_t k = p->relocs[r].insn, m;

		assert_int_equal(p->relocs[r].kind, BPFKIT_RELOC_MAP);
		assert_int_equal(copy[k].code, BPFKIT_OP_LDDW);
		for (m = 0; m < c->nmaps && strcmp(c->maps[m].name, p->relocs[r].name); m++)
			;
		assert_true(m < c->nmaps);
		copy[k].src = BPFKIT_PSEUDO_IMM64;
		copy[k].imm = (int32_t)m;
	}
	err = bpfkit_vm__load(vm, copy, p->len, d);
	free(copy);
	return err;
}

/* ---- Golden files ------------------------------------------------------------------------------ */

static void compare_or_update(const char *path, const char *got)
{
	size_t len;
	char *want;

	if (getenv("UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(got, f);
		fclose(f);
		return;
	}
	want = slurp(path, &len);
	if (!want)
		fail_msg("missing %s (run with UPDATE_GOLDEN=1 and review it)", path);
	if (strcmp(want, got))
		fail_msg("%s differs; got:\n%s", path, got);
	free(want);
}

static void run_golden(void **state)
{
	const char *path = *state;
	char expect[1024];
	size_t len;
	char *src = slurp(path, &len), *got;
	struct bpfkit_compiled *c;
	struct bpfkit_lang *l;
	struct bpfkit_vm *vm = fake_vm();
	int err;

	assert_non_null(src);
	err = test_compile(path, src, len, &l, &c);
	if (err)
		fail_msg("%s: %s", path, bpfkit_lang__diags(l) ? bpfkit_lang__diags(l)->msg : "failed");
	got = dump_compiled(c, src);
	snprintf(expect, sizeof(expect), "%.*s.s", (int)(strlen(path) - 3), path);
	compare_or_update(expect, got);
	for (size_t i = 0; i < c->nprogs; i++) {
		struct bpfkit_diag d = { 0 };

		if (load_prog(vm, c, i, &d))
			fail_msg("%s: %s: insn %ld: %s", path, c->progs[i].name, d.insn, d.msg);
		/* the line table covers every slot */
		for (size_t k = 0; k < c->progs[i].prog->len; k++)
			assert_true(c->progs[i].prog->lines[k] > 0);
	}
	bpfkit_vm__free(vm);
	free(got);
	free(src);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

static void run_golden_error(void **state)
{
	const char *path = *state;
	char expect[1024], *out = NULL;
	size_t len, n = 0;
	char *src = slurp(path, &len);
	struct bpfkit_compiled *c;
	struct bpfkit_lang *l;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	FILE *f;

	assert_non_null(src);
	bpfkit_lang__free(bpfkit_lang__new(NULL, "", 0));
	assert_int_equal(test_compile(base, src, len, &l, &c), -EINVAL);
	assert_null(c);
	f = open_memstream(&out, &n);
	for (const struct bpfkit_lang_diag *d = bpfkit_lang__diags(l); d; d = d->next)
		assert_int_equal(bpfkit_lang_diag_format(d, src, len, 0, f), 0);
	fclose(f);
	snprintf(expect, sizeof(expect), "%.*s.err", (int)(strlen(path) - 3), path);
	compare_or_update(expect, out);
	free(out);
	free(src);
	bpfkit_lang__free(l);
}

/* ---- Running programs ----------------------------------------------------------------------------- */

/* Compile @p src (must succeed), run program @p i once with @p ctx. */
static struct bpfkit_compiled *compile_ok(const char *src, struct bpfkit_lang **l)
{
	struct bpfkit_compiled *c;

	if (test_compile("t.bt", src, strlen(src), l, &c))
		fail_msg("[%s]: %s", src, bpfkit_lang__diags(*l) ? bpfkit_lang__diags(*l)->msg : "failed");
	return c;
}

static void run_prog(const struct bpfkit_compiled *c, size_t i, void *ctx, size_t len)
{
	struct bpfkit_vm *vm = fake_vm();
	struct bpfkit_diag d = { 0 };
	uint64_t ret = 1;
	uint8_t dummy[64] = { 0 };

	fake.c = c;
	if (load_prog(vm, c, i, &d))
		fail_msg("load: insn %ld: %s", d.insn, d.msg);
	if (bpfkit_vm__run(vm, ctx ? ctx : dummy, ctx ? len : sizeof(dummy), &ret, NULL, &d))
		fail_msg("run: insn %ld: %s", d.insn, d.msg);
	assert_int_equal(ret, 0);
	bpfkit_vm__free(vm);
}

static void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.pid_tgid = (1234ull << 32) | 5678;
}

static uint64_t u64_at(const void *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static void test_printf_record(void **state)
{
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;

	(void)state;
	fake_reset();
	c = compile_ok("BEGIN { printf(\"hello %d %s %d\\n\", 42, comm, pid); exit(); }", &l);
	assert_int_equal(c->nevents, 2);
	assert_string_equal(c->events[0].fmt, "hello %d %s %d\n");
	run_prog(c, 0, NULL, 0);
	assert_int_equal(fake.nrec, 2);
	assert_int_equal(fake.rec_len[0], 8 + 8 + 16 + 8);
	assert_int_equal(u64_at(fake.rec[0]), 0);
	assert_int_equal(u64_at(fake.rec[0] + 8), 42);
	assert_string_equal((char *)fake.rec[0] + 16, "bash");
	assert_int_equal(u64_at(fake.rec[0] + 32), 1234);
	assert_int_equal(u64_at(fake.rec[1]), 1); /* the exit event */
	assert_int_equal(fake.rec_len[1], 8);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/*
 * A full ring: each failed ringbuf_output adds 1 to slot 0 of the per-CPU
 * BPFKIT_LANG_LOST_MAP, and successful ones leave it alone.
 */
static void test_lost_events(void **state)
{
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;
	struct fake_entry *lost;
	const struct bpfkit_lang_map *m;
	size_t id = 0;
	uint32_t key = 0;
	uint64_t v;

	(void)state;
	fake_reset();
	c = compile_ok("BEGIN { printf(\"a\\n\"); printf(\"b %d\\n\", 1); printf(\"c\\n\"); }", &l);
	while (id < c->nmaps && strcmp(c->maps[id].name, BPFKIT_LANG_LOST_MAP))
		id++;
	assert_true(id < c->nmaps);
	m = &c->maps[id];
	assert_int_equal(m->kind, BPFKIT_LANG_MAP_PERCPU_ARRAY);
	assert_int_equal(m->key_size, 4);
	assert_int_equal(m->value_size, 8);
	assert_int_equal(m->max_entries, 1);
	/* the kernel's array has its one slot from the start */
	fake.e[0] = (struct fake_entry){ .map = (int)id, .used = true };
	run_prog(c, 0, NULL, 0);
	assert_int_equal(fake.nrec, 3);
	lost = fake_find(id, &key);
	assert_non_null(lost);
	memcpy(&v, lost->value, 8);
	assert_int_equal(v, 0);
	fake.nrec = 0;
	fake.ring_room = 1;
	run_prog(c, 0, NULL, 0);
	assert_int_equal(fake.nrec, 1);
	memcpy(&v, lost->value, 8);
	assert_int_equal(v, 2);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);

	/* no events, no map */
	c = compile_ok("BEGIN { @x = 1; }", &l);
	for (size_t i = 0; i < c->nmaps; i++)
		assert_string_not_equal(c->maps[i].name, BPFKIT_LANG_LOST_MAP);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/*
 * With raw tracepoints available, raw_syscalls:sys_enter/sys_exit probes
 * whose body reads no record field (or, for sys_enter, only id, at offset 8
 * in both contexts) become raw tracepoints; any other field, another
 * tracepoint, or an env without the feature keeps the perf tracepoint.
 */
static void test_raw_syscalls_as_raw_tp(void **state)
{
	static const struct {
		const char *src;
		enum bpfkit_probe_type type;
		const char *target;
	} cases[] = {
		{ "tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }", BPFKIT_PROBE_RAWTRACEPOINT, "sys_enter" },
		{ "tracepoint:raw_syscalls:sys_enter /args->id == 39/ { @[args->id] = count(); }",
		  BPFKIT_PROBE_RAWTRACEPOINT, "sys_enter" },
		{ "tracepoint:raw_syscalls:sys_enter { @[args->args[0]] = count(); }", BPFKIT_PROBE_TRACEPOINT,
		  "raw_syscalls:sys_enter" },
		{ "tracepoint:raw_syscalls:sys_enter { @ = args->id + args->args[1]; }", BPFKIT_PROBE_TRACEPOINT,
		  "raw_syscalls:sys_enter" },
		{ "tracepoint:raw_syscalls:sys_exit { @ = count(); }", BPFKIT_PROBE_RAWTRACEPOINT, "sys_exit" },
		{ "tracepoint:raw_syscalls:sys_exit { @[args->ret] = count(); }", BPFKIT_PROBE_TRACEPOINT,
		  "raw_syscalls:sys_exit" },
		{ "tracepoint:raw_syscalls:sys_exit { @[args->id] = count(); }", BPFKIT_PROBE_TRACEPOINT,
		  "raw_syscalls:sys_exit" },
		{ "tracepoint:syscalls:sys_enter_read { @ = count(); }", BPFKIT_PROBE_TRACEPOINT,
		  "syscalls:sys_enter_read" },
	};
	struct bpfkit_lang_env env = test_env;
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;
	uint8_t ctx[64] = { 0 };
	uint64_t id = 39;

	(void)state;
	env.features |= BPFKIT_LANG_FEAT_RAW_TP;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (test_compile_env("t.bt", cases[i].src, strlen(cases[i].src), &env, &l, &c))
			fail_msg("[%s]: %s", cases[i].src, bpfkit_lang__diags(l)->msg);
		assert_int_equal(c->nprogs, 1);
		if (c->progs[0].type != cases[i].type || strcmp(c->progs[0].target, cases[i].target))
			fail_msg("[%s]: type %d target %s", cases[i].src, c->progs[0].type, c->progs[0].target);
		assert_int_equal(strncmp(c->progs[0].name, cases[i].src, strlen(c->progs[0].name)), 0);
		bpfkit_compiled__free(c);
		bpfkit_lang__free(l);
	}
	/* the name, and `probe`, stay the tracepoint's; args->id reads ctx + 8,
	 * where a raw tracepoint's context has its second argument, the id */
	fake_reset();
	c = NULL;
	assert_int_equal(test_compile_env("t.bt", cases[1].src, strlen(cases[1].src), &env, &l, &c), 0);
	assert_string_equal(c->progs[0].name, "tracepoint:raw_syscalls:sys_enter");
	memcpy(ctx + 8, &id, 8);
	run_prog(c, 0, ctx, sizeof(ctx));
	assert_int_equal(u64_at(fake.e[0].key), 39);
	assert_int_equal(u64_at(fake.e[0].value), 1);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
	/* without the feature: the perf tracepoint */
	c = compile_ok(cases[0].src, &l);
	assert_int_equal(c->progs[0].type, BPFKIT_PROBE_TRACEPOINT);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* Counting with a string key: three runs, one key, count 3. */
static void test_count_comm(void **state)
{
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;
	uint8_t ctx[64] = { 0 };
	int n = 0;

	(void)state;
	fake_reset();
	c = compile_ok("tracepoint:raw_syscalls:sys_enter { @[comm] = count(); @n++; @n += 2; }", &l);
	for (int i = 0; i < 3; i++)
		run_prog(c, 0, ctx, sizeof(ctx));
	for (int i = 0; i < FAKE_ENTRIES; i++) {
		if (!fake.e[i].used)
			continue;
		n++;
		if (!strcmp(c->maps[fake.e[i].map].name, "@")) {
			assert_string_equal((char *)fake.e[i].key, "bash");
			assert_int_equal(u64_at(fake.e[i].value), 3);
		} else {
			assert_string_equal(c->maps[fake.e[i].map].name, "@n");
			assert_int_equal(u64_at(fake.e[i].value), 9);
		}
	}
	assert_int_equal(n, 2);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* hist() and lhist() buckets agree with the printers' reference functions. */
static void test_hist_buckets(void **state)
{
	static const int64_t vals[] = { -5, 0, 1, 2, 3, 7, 8, 1000, 65535, 65536, (1ll << 31) - 1, 1ll << 31,
					1ll << 40, 99, 100, 101, -1, 50 };
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;
	uint8_t ctx[24];

	(void)state;
	c = compile_ok("tracepoint:syscalls:sys_exit_read { @h = hist(args->ret); @l = lhist(args->ret, 0, 100, 10); }",
		       &l);
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		int seen = 0;

		fake_reset();
		memset(ctx, 0, sizeof(ctx));
		memcpy(ctx + 16, &vals[i], 8);
		run_prog(c, 0, ctx, sizeof(ctx));
		for (int k = 0; k < FAKE_ENTRIES; k++) {
			const char *name;

			if (!fake.e[k].used)
				continue;
			name = c->maps[fake.e[k].map].name;
			seen++;
			assert_int_equal(u64_at(fake.e[k].key), 0);
			assert_int_equal(u64_at(fake.e[k].value), 1);
			if (!strcmp(name, "@h"))
				assert_int_equal(u64_at(fake.e[k].key + 8), bpfkit_hist__index(vals[i]));
			else
				assert_int_equal(u64_at(fake.e[k].key + 8),
						 bpfkit_lhist__index(vals[i], 0, 100, 10));
		}
		assert_int_equal(seen, 2);
	}
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* min, max, avg, sum over several runs; a tuple key; string compare and ?: */
static void test_aggs_and_strings(void **state)
{
	static const int64_t vals[] = { 7, -3, 12, 5 };
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;
	uint8_t ctx[24];
	int seen = 0;

	(void)state;
	fake_reset();
	c = compile_ok("tracepoint:syscalls:sys_exit_read /comm == \"bash\" && args->ret != 99/ {\n"
		       "  @mn = min(args->ret); @mx = max(args->ret); @a = avg(args->ret); @s = sum(args->ret);\n"
		       "  $k = args->ret > 6 ? \"big\" : \"small\";\n"
		       "  @t[pid, $k] = count();\n"
		       "  if (strncmp(comm, \"bax\", 2) == 0) { @p = 1; } else { @p = 2; }\n"
		       "}\n", &l);
	for (size_t i = 0; i < 4; i++) {
		memset(ctx, 0, sizeof(ctx));
		memcpy(ctx + 16, &vals[i], 8);
		run_prog(c, 0, ctx, sizeof(ctx));
	}
	for (int k = 0; k < FAKE_ENTRIES; k++) {
		const char *name;
		const uint8_t *v = fake.e[k].value;

		if (!fake.e[k].used)
			continue;
		seen++;
		name = c->maps[fake.e[k].map].name;
		if (!strcmp(name, "@mn")) {
			assert_int_equal((int64_t)u64_at(v), -3);
			assert_int_equal(u64_at(v + 8), 1);
		} else if (!strcmp(name, "@mx")) {
			assert_int_equal((int64_t)u64_at(v), 12);
		} else if (!strcmp(name, "@a")) {
			assert_int_equal(u64_at(v), 4);
			assert_int_equal((int64_t)u64_at(v + 8), 21);
		} else if (!strcmp(name, "@s")) {
			assert_int_equal((int64_t)u64_at(v), 21);
		} else if (!strcmp(name, "@p")) {
			assert_int_equal(u64_at(v), 1);
		} else {
			assert_string_equal(name, "@t");
			assert_int_equal(u64_at(fake.e[k].key), 1234);
			if (!strcmp((char *)fake.e[k].key + 8, "big"))
				assert_int_equal(u64_at(v), 2);
			else
				assert_string_equal((char *)fake.e[k].key + 8, "small");
		}
	}
	assert_int_equal(seen, 7);
	/* the predicate: a comm that differs stops everything */
	fake_reset();
	fake.c = c;
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* str() of a user pointer, into a printf record. */
static void test_str_arg(void **state)
{
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;
	uint8_t ctx[48] = { 0 };
	const char *path = "/etc/passwd";
	uint64_t p = (uint64_t)(uintptr_t)path;

	(void)state;
	fake_reset();
	c = compile_ok("tracepoint:syscalls:sys_enter_openat { printf(\"%s %s\\n\", comm, str(args->filename)); }",
		       &l);
	memcpy(ctx + 24, &p, 8);
	run_prog(c, 0, ctx, sizeof(ctx));
	assert_int_equal(fake.nrec, 1);
	assert_int_equal(c->events[0].size, 8 + 16 + 64);
	assert_string_equal((char *)fake.rec[0] + 8, "bash");
	assert_string_equal((char *)fake.rec[0] + 24, "/etc/passwd");
	/* zero padded, so equal strings give equal bytes */
	for (size_t i = 24 + strlen(path); i < 88; i++)
		assert_int_equal(fake.rec[0][i], 0);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* Positional parameters (the test environment gives "42" "hello"): integer
 * ones are constants, str($N) their text, missing ones 0 and "", $# = 2. */
static void test_positional_params(void **state)
{
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;

	(void)state;
	fake_reset();
	c = compile_ok("BEGIN { printf(\"%d %s %d %s %d %s\\n\", $1 + 1, str($2), $#, str($3), $3, str($1)); }",
		       &l);
	run_prog(c, 0, NULL, 0);
	assert_int_equal(fake.nrec, 1);
	assert_int_equal(u64_at(fake.rec[0] + 8), 43);
	assert_string_equal((char *)fake.rec[0] + 16, "hello");
	assert_int_equal(u64_at(fake.rec[0] + 24), 2);
	assert_int_equal(fake.rec[0][32], 0);
	assert_int_equal(u64_at(fake.rec[0] + 40), 0);
	assert_string_equal((char *)fake.rec[0] + 48, "42");
	assert_int_equal(c->events[0].size, 56);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

static size_t map_index(const struct bpfkit_compiled *c, const char *name);
static uint64_t map_value(const struct bpfkit_compiled *c, const char *name, size_t i);

/* The count @p m holds for a key of the u64 @p key, 0 when it has none. */
static uint64_t count_at(size_t m, uint64_t key)
{
	const struct fake_entry *e = fake_find(m, &key);

	return e ? u64_at(e->value) : 0;
}

/*
 * A keyless count() is a per-CPU array of one slot, updated in place with
 * no insert path; a map that delete() names stays a hash (from a program,
 * delete() would zero one CPU's slot only).
 */
static void test_count_scalar(void **state)
{
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;
	const struct bpfkit_lang_map *m;
	struct fake_entry *e;
	uint32_t key = 0;
	size_t id;
	bool update = false;

	(void)state;
	fake_reset();
	c = compile_ok("BEGIN { @ = count(); @d = count(); @z = count(); @s = sum(1); } "
		       "END { delete(@d); zero(@z); }", &l);
	id = map_index(c, "@");
	m = &c->maps[id];
	assert_int_equal(m->kind, BPFKIT_LANG_MAP_PERCPU_ARRAY);
	assert_int_equal(m->key_size, 4);
	assert_int_equal(m->value_size, 8);
	assert_int_equal(m->max_entries, 1);
	assert_int_equal(c->maps[map_index(c, "@d")].kind, BPFKIT_LANG_MAP_PERCPU_HASH);
	assert_int_equal(c->maps[map_index(c, "@z")].kind, BPFKIT_LANG_MAP_PERCPU_ARRAY);
	assert_int_equal(c->maps[map_index(c, "@s")].kind, BPFKIT_LANG_MAP_PERCPU_HASH);
	for (int i = 0; i < 3; i++)
		run_prog(c, 0, NULL, 0);
	e = fake_find(id, &key);
	assert_non_null(e);
	assert_int_equal(u64_at(e->value), 3);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);

	/* the array's update is the lookup alone: no map_update_elem call */
	c = compile_ok("BEGIN { @ = count(); }", &l);
	for (size_t i = 0; i < c->progs[0].prog->len; i++)
		update |= c->progs[0].prog->insns[i].code == (BPFKIT_JMP | BPFKIT_CALL) &&
			  c->progs[0].prog->insns[i].imm == 2 /* map_update_elem */;
	assert_false(update);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}


/*
 * elapsed = ktime - the start slot of BPFKIT_LANG_START_MAP (0 while unset).
 * probe = the id of the target's name in bpfkit_compiled.probe_names: one id
 * per name (two probes on sys_enter_openat share one), numbered in the order
 * of the programs; 8 bytes in records, map keys, tuples, variables and map
 * values; == and != compare ids.
 */
static void test_elapsed_probe(void **state)
{
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;
	const struct fake_entry *e;
	size_t m, pm;

	(void)state;
	fake_reset();
	fake.arrays_empty = true; /* the start map's slot is set by hand below */
	fake.ktime = 5000;
	c = compile_ok("tracepoint:syscalls:sys_enter_openat,tracepoint:syscalls:sys_enter_read {\n"
		       "  printf(\"%d %s\\n\", elapsed, probe); @[probe] = count(); @p[probe, 7] = probe;\n"
		       "  $x = probe; @same = $x == probe; @diff = @p[probe, 7] != probe; }\n"
		       "END { @[probe] = count(); }\n"
		       "tracepoint:syscalls:sys_enter_openat { @[probe] = count(); }",
		       &l);
	assert_int_equal(c->nprogs, 4);
	assert_int_equal(c->nprobe_names, 3);
	assert_string_equal(c->probe_names[0], "tracepoint:syscalls:sys_enter_openat");
	assert_string_equal(c->probe_names[1], "tracepoint:syscalls:sys_enter_read");
	assert_string_equal(c->probe_names[2], "END");
	m = map_index(c, BPFKIT_LANG_START_MAP);
	assert_int_equal(c->maps[m].kind, BPFKIT_LANG_MAP_ARRAY);
	assert_int_equal(c->maps[m].key_size, 4);
	assert_int_equal(c->events[0].size, 24);
	assert_int_equal(c->events[0].args[1].type->kind, BPFKIT_LANG_V_PROBE);
	run_prog(c, 0, NULL, 0); /* openat; no start time yet: elapsed 0 */
	assert_int_equal(u64_at(fake.rec[0] + 8), 0);
	assert_int_equal(u64_at(fake.rec[0] + 16), 0);
	fake.e[FAKE_ENTRIES - 1] = (struct fake_entry){ .map = (int)m, .used = true };
	fake.e[FAKE_ENTRIES - 1].value[0] = 0xe8; /* 1000 */
	fake.e[FAKE_ENTRIES - 1].value[1] = 0x03;
	run_prog(c, 1, NULL, 0); /* read */
	assert_int_equal(fake.nrec, 2);
	assert_int_equal(u64_at(fake.rec[1] + 8), 4000);
	assert_int_equal(u64_at(fake.rec[1] + 16), 1);
	run_prog(c, 2, NULL, 0); /* END */
	run_prog(c, 3, NULL, 0); /* openat again, the second probe: the same id */
	assert_int_equal(c->maps[0].key->kind, BPFKIT_LANG_V_PROBE);
	assert_int_equal(c->maps[0].key_size, 8);
	assert_int_equal(count_at(0, 0), 2);
	assert_int_equal(count_at(0, 1), 1);
	assert_int_equal(count_at(0, 2), 1);
	/* @p[probe, 7] = probe: a tuple key (id, 7) and the id as the value */
	pm = map_index(c, "@p");
	assert_int_equal(c->maps[pm].key_size, 16);
	assert_int_equal(c->maps[pm].value->kind, BPFKIT_LANG_V_PROBE);
	{
		uint64_t key[2] = { 1, 7 };

		e = fake_find(pm, key);
		assert_non_null(e);
		assert_int_equal(u64_at(e->value), 1);
	}
	assert_int_equal(map_value(c, "@same", 0), 1);
	assert_int_equal(map_value(c, "@diff", 0), 0);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
	/* no elapsed, no start map; no probe, no names */
	c = compile_ok("BEGIN { printf(\"%s\\n\", probe); }", &l);
	for (m = 0; m < c->nmaps; m++)
		assert_string_not_equal(c->maps[m].name, BPFKIT_LANG_START_MAP);
	assert_int_equal(c->nprobe_names, 1);
	assert_string_equal(c->probe_names[0], "BEGIN");
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
	c = compile_ok("BEGIN { printf(\"%d\\n\", elapsed); }", &l);
	assert_int_equal(c->nprobe_names, 0);
	assert_null(c->probe_names);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* while with break/continue (a backward jump), and unroll, run in the VM. */
static void test_loops(void **state)
{
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;
	uint64_t key = 0;
	struct fake_entry *e;

	(void)state;
	fake_reset();
	c = compile_ok("BEGIN { $i = 0; while ($i < 10) { @s += $i; $i++; } unroll(7) { @u++; }\n"
		       "$j = 0; while (1) { $j++; if ($j == 2) { continue; } if ($j > 4) { break; } @c += $j; } }",
		       &l);
	run_prog(c, 0, NULL, 0);
	assert_string_equal(c->maps[0].name, "@c");
	e = fake_find(0, &key);
	assert_non_null(e);
	assert_int_equal(u64_at(e->value), 1 + 3 + 4);
	e = fake_find(1, &key);
	assert_non_null(e);
	assert_int_equal(u64_at(e->value), 45);
	e = fake_find(2, &key);
	assert_non_null(e);
	assert_int_equal(u64_at(e->value), 7);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* ---- C types ------------------------------------------------------------------------------------------ */

/* The value of plain map @p name (key 0), as a tuple element @p i when it is one. */
static uint64_t map_value(const struct bpfkit_compiled *c, const char *name, size_t i)
{
	uint64_t key = 0;
	size_t m;
	struct fake_entry *e;

	for (m = 0; m < c->nmaps && strcmp(c->maps[m].name, name); m++)
		;
	assert_true(m < c->nmaps);
	e = fake_find(m, &key);
	if (!e)
		fail_msg("%s was not written", name);
	return u64_at(e->value + (c->maps[m].value->kind == BPFKIT_LANG_V_TUPLE ?
				  c->maps[m].value->elems[i].offset : 0));
}

/*
 * Struct members read through pointers in the VM, against the fake provider's
 * task_struct laid out in host memory by the C compiler (struct test_task):
 * nested pointers, a member struct, bit-fields (signed too), an anonymous
 * union, arrays by constant and run-time index, char arrays as strings,
 * unary '*', pointer arithmetic, '&', sizeof and enum constants.
 */
static void test_struct_reads(void **state)
{
	struct test_task task = { 0 }, parent = { 0 };
	struct { struct test_task *owner; unsigned long total_vm; } mm = { &parent, 77 };
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;

	(void)state;
	assert_int_equal(sizeof(task), 120);
	assert_int_equal(offsetof(struct test_task, addr), 112);
	task.pid = -42;
	task.tgid = 7;
	task.se.vruntime = 123456789012ull;
	task.real_parent = &parent;
	task.mm = &mm;
	strcpy(task.comm, "worker");
	task.in_execve = 0;
	task.in_iowait = 1;
	task.prio_delta = -3;
	task.u_a = 0x100000002ll;
	task.stats[1] = 11;
	task.stats[3] = 33;
	task.addr[2] = 0xfe;
	parent.pid = 1;
	strcpy(parent.comm, "init");
	fake_reset();
	fake.task = (uint64_t)(uintptr_t)&task;
	c = compile_ok("BEGIN { $t = (struct task_struct *)curtask;\n"
		       "@a = ($t->pid, $t->real_parent->pid, $t->mm->owner->pid, $t->mm->total_vm, $t->se.vruntime);\n"
		       "@b = ($t->in_execve, $t->in_iowait, $t->prio_delta, $t->u_a, $t->u_b);\n"
		       "$i = 3; @c = ($t->stats[1], $t->stats[$i], $t->addr[2], (*$t).tgid, ($t + 1 - 1)->pid);\n"
		       "@d = (&$t->se == (uint64)$t + 16, sizeof($t->se), FAKE_B, $t->opaque == 0);\n"
		       "printf(\"%s %s\\n\", $t->comm, $t->real_parent->comm); }", &l);
	run_prog(c, 0, NULL, 0);
	assert_int_equal((int64_t)map_value(c, "@a", 0), -42);
	assert_int_equal(map_value(c, "@a", 1), 1);
	assert_int_equal(map_value(c, "@a", 2), 1);
	assert_int_equal(map_value(c, "@a", 3), 77);
	assert_int_equal(map_value(c, "@a", 4), 123456789012ull);
	assert_int_equal(map_value(c, "@b", 0), 0);
	assert_int_equal(map_value(c, "@b", 1), 1);
	assert_int_equal((int64_t)map_value(c, "@b", 2), -3);
	assert_int_equal(map_value(c, "@b", 3), 0x100000002ll);
	assert_int_equal(map_value(c, "@b", 4), 2);
	assert_int_equal(map_value(c, "@c", 0), 11);
	assert_int_equal(map_value(c, "@c", 1), 33);
	assert_int_equal(map_value(c, "@c", 2), 0xfe);
	assert_int_equal(map_value(c, "@c", 3), 7);
	assert_int_equal((int64_t)map_value(c, "@c", 4), -42);
	assert_int_equal(map_value(c, "@d", 0), 1);
	assert_int_equal(map_value(c, "@d", 1), 24);
	assert_int_equal(map_value(c, "@d", 2), 5);
	assert_int_equal(map_value(c, "@d", 3), 1);
	assert_int_equal(fake.nrec, 1);
	assert_string_equal((char *)fake.rec[0] + 8, "worker");
	assert_string_equal((char *)fake.rec[0] + 24, "init");
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* A struct of the script, with bit-fields, against the C compiler's layout of
 * the same definition: the values written by C must read back. */
struct c_flags {
	unsigned int a : 3, b : 5;
	unsigned int c : 30;
	unsigned char d;
	long e : 4;
	int : 0;
	short f;
	union { int ui; char uc; };
	long long tail[2];
};

static void test_script_struct_layout(void **state)
{
	struct c_flags f = { 0 };
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;

	(void)state;
	f.a = 5;
	f.b = 17;
	f.c = 123456789;
	f.d = 200;
	f.e = -3;
	f.f = -1234;
	f.ui = 0x01020304;
	f.tail[1] = -99;
	fake_reset();
	fake.task = (uint64_t)(uintptr_t)&f;
	c = compile_ok("struct flags { unsigned int a : 3, b : 5; unsigned int c : 30; unsigned char d; long e : 4;\n"
		       "int : 0; short f; union { int ui; char uc; }; long long tail[2]; };\n"
		       "BEGIN { $f = (struct flags *)curtask; @v = ($f->a, $f->b, $f->c, $f->d, $f->e, $f->f);\n"
		       "@w = ($f->ui, $f->uc, $f->tail[1], sizeof(struct flags), offsetof(struct flags, tail)); }", &l);
	run_prog(c, 0, NULL, 0);
	assert_int_equal(map_value(c, "@v", 0), 5);
	assert_int_equal(map_value(c, "@v", 1), 17);
	assert_int_equal(map_value(c, "@v", 2), 123456789);
	assert_int_equal(map_value(c, "@v", 3), 200);
	assert_int_equal((int64_t)map_value(c, "@v", 4), -3);
	assert_int_equal((int64_t)map_value(c, "@v", 5), -1234);
	assert_int_equal(map_value(c, "@w", 0), 0x01020304);
	assert_int_equal(map_value(c, "@w", 1), 4);
	assert_int_equal((int64_t)map_value(c, "@w", 2), -99);
	assert_int_equal(map_value(c, "@w", 3), sizeof(struct c_flags));
	assert_int_equal(map_value(c, "@w", 4), offsetof(struct c_flags, tail));
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* args->rqtp of a syscall tracepoint points to user memory: probe_read_user. */
static void test_user_pointer(void **state)
{
	struct { long long sec, nsec; } ts = { 3, 250000000 };
	uint64_t p = (uint64_t)(uintptr_t)&ts;
	uint8_t ctx[32] = { 0 };
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;
	const struct bpfkit_prog *prog;
	bool user = false, kernel = false;

	(void)state;
	fake_reset();
	memcpy(ctx + 16, &p, 8);
	c = compile_ok("tracepoint:syscalls:sys_enter_nanosleep /args->rqtp->tv_sec + args->rqtp->tv_nsec/ {\n"
		       "$ts = (struct __kernel_timespec *)args->rqtp; $p = args->rqtp;\n"
		       "printf(\"%d.%03d %d\\n\", args->rqtp->tv_sec, (uint64)$ts->tv_nsec / 1e6, $p->tv_sec); }", &l);
	prog = c->progs[0].prog;
	for (size_t i = 0; i < prog->len; i++) {
		user |= prog->insns[i].code == BPFKIT_OP_CALL && prog->insns[i].imm == 112;
		kernel |= prog->insns[i].code == BPFKIT_OP_CALL && prog->insns[i].imm == 113;
	}
	assert_true(user);
	assert_false(kernel);
	run_prog(c, 0, ctx, sizeof(ctx));
	assert_int_equal(fake.nrec, 1);
	assert_int_equal(u64_at(fake.rec[0] + 8), 3);
	assert_int_equal(u64_at(fake.rec[0] + 16), 250);
	assert_int_equal(u64_at(fake.rec[0] + 24), 3);
	/* a zero timespec fails the predicate: nothing printed */
	memset(&ts, 0, sizeof(ts));
	fake.nrec = 0;
	run_prog(c, 0, ctx, sizeof(ctx));
	assert_int_equal(fake.nrec, 0);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/*
 * usdt: arg0..argN read as each site's note says, run in the VM on a fake
 * struct pt_regs: registers of 4, 1 (%ah: bits 8..15) 8 and 2 bytes with
 * sign and zero extension, constants cut to their size, memory at
 * base+disp, base+disp+index*scale and ip+disp (probe_read_user), and one
 * program per site of a duplicated marker; the file offset and semaphore
 * of the site reach the program.
 */
static void test_usdt_args(void **state)
{
	uint64_t regs[21] = { 0 }; /* struct pt_regs: offset / 8 */
	int64_t slot = -12345;
	int32_t arr[4] = { 1, 2, -3, 4 };
	uint16_t glob[12] = { 0 };
	struct bpfkit_lang *l;
	struct bpfkit_compiled *c;

	(void)state;
	fake_reset();
	c = compile_ok("usdt:/bin/usdt_test:p:regs { printf(\"%d %d %d %d\\n\", arg0, arg1, arg2, arg3); }", &l);
	assert_int_equal(c->nprogs, 1);
	assert_string_equal(c->progs[0].name, "usdt:/bin/usdt_test:p:regs");
	assert_string_equal(c->progs[0].target, "/bin/usdt_test");
	assert_int_equal(c->progs[0].offset, 0x1234);
	assert_int_equal(c->progs[0].ref_ctr_offset, 0x4050);
	regs[112 / 8] = 0x12345678fffffff6ull; /* edi -10 */
	regs[80 / 8] = 0xffffffffffffc3a5ull; /* ah 0xc3 */
	regs[104 / 8] = 0xfedcba9876543210ull;
	regs[96 / 8] = 0x111111111111fffeull; /* dx -2 */
	run_prog(c, 0, regs, sizeof(regs));
	assert_int_equal(fake.nrec, 1);
	assert_int_equal((int64_t)u64_at(fake.rec[0] + 8), -10);
	assert_int_equal(u64_at(fake.rec[0] + 16), 0xc3);
	assert_int_equal(u64_at(fake.rec[0] + 24), 0xfedcba9876543210ull);
	assert_int_equal((int64_t)u64_at(fake.rec[0] + 32), -2);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);

	fake_reset();
	c = compile_ok("usdt:/bin/usdt_test:consts { printf(\"%d %d %d\\n\", arg0, arg1, arg2); }", &l);
	run_prog(c, 0, regs, sizeof(regs));
	assert_int_equal((int64_t)u64_at(fake.rec[0] + 8), -7);
	assert_int_equal((int64_t)u64_at(fake.rec[0] + 16), -1);
	assert_int_equal(u64_at(fake.rec[0] + 24), 44);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);

	fake_reset();
	glob[8] = 0xbeef;
	regs[32 / 8] = (uint64_t)(uintptr_t)&slot + 8; /* rbp */
	regs[152 / 8] = (uint64_t)(uintptr_t)arr - 4; /* rsp: 4(%rsp,%rbx,4) is arr[rbx] */
	regs[40 / 8] = 2; /* rbx */
	regs[128 / 8] = (uint64_t)(uintptr_t)glob; /* ip: sym is 16 bytes further */
	c = compile_ok("usdt:/bin/usdt_test:p:mem { printf(\"%d %d %d\\n\", arg0, arg1, arg2); }", &l);
	run_prog(c, 0, regs, sizeof(regs));
	assert_int_equal((int64_t)u64_at(fake.rec[0] + 8), -12345);
	assert_int_equal((int64_t)u64_at(fake.rec[0] + 16), -3);
	assert_int_equal(u64_at(fake.rec[0] + 24), 0xbeef);
	assert_int_equal(fake.nreads, 3);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);

	/* a marker at two sites: a program each, each reading its own way */
	fake_reset();
	c = compile_ok("usdt:/bin/usdt_test:p:dup { printf(\"%d\\n\", arg0); }", &l);
	assert_int_equal(c->nprogs, 2);
	assert_int_equal(c->progs[0].offset, 0x1300);
	assert_int_equal(c->progs[1].offset, 0x1310);
	assert_int_equal(c->progs[0].ref_ctr_offset, 0);
	regs[112 / 8] = (uint64_t)-9;
	run_prog(c, 0, regs, sizeof(regs));
	run_prog(c, 1, regs, sizeof(regs));
	assert_int_equal(fake.nrec, 2);
	assert_int_equal((int64_t)u64_at(fake.rec[0] + 8), -9);
	assert_int_equal((int64_t)u64_at(fake.rec[1] + 8), 5);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* usdt: errors at the attach point or the argument, in the compiler's words. */
static void test_usdt_errors(void **state)
{
	static const struct {
		const char *src, *msg;
	} cases[] = {
		{ "usdt:/bin/usdt_test:dup { }",
		  "usdt probe 'dup' is ambiguous in /bin/usdt_test: providers p and q have it; write "
		  "usdt:/bin/usdt_test:PROVIDER:dup" },
		{ "usdt:/bin/usdt_test:p:regz { }", "no USDT probe p:regz in /bin/usdt_test" },
		{ "usdt:/bin/usdt_test:x*:* { }", "no USDT probe x*:* in /bin/usdt_test" },
		{ "usdt:/bin/nope:p:regs { }", "usdt target file '/bin/nope' does not exist" },
		{ "usdt:/bin/usdt_test:p:bad { @ = arg0; }",
		  "usdt:/bin/usdt_test:p:bad: cannot read its arguments: USDT argument '8@%xmm0': unknown register" },
		{ "usdt:/bin/usdt_test:p:consts { @ = arg3; }",
		  "usdt:/bin/usdt_test:p:consts has 3 arguments (\"-4@$-7 -2@$65535 1@$300\"): there is no arg3" },
		{ "usdt:/bin/usdt_test:p:consts { @ = arg12; }", "USDT probes have at most 12 arguments (arg0 to arg11)" },
		{ "usdt:/bin/usdt_test:p:regs:x { }", "usdt probes are written usdt:FILE:PROVIDER:NAME or usdt:FILE:NAME" },
		{ "usdt:/bin/*:p:regs { }",
		  "wildcards in the file of a usdt probe are not supported (bpfkit trace -l -p PID lists the probes of a "
		  "process's files)" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bpfkit_lang *l;
		struct bpfkit_compiled *c;

		if (!test_compile("t.bt", cases[i].src, strlen(cases[i].src), &l, &c))
			fail_msg("[%s] compiled", cases[i].src);
		assert_non_null(bpfkit_lang__diags(l));
		if (strcmp(bpfkit_lang__diags(l)->msg, cases[i].msg))
			fail_msg("[%s]: %s", cases[i].src, bpfkit_lang__diags(l)->msg);
		bpfkit_lang__free(l);
	}
}

/* Signed / and %: C's truncation toward zero, with eBPF's x / 0 = 0 and
 * x % 0 = x, both through cpu v4 sdiv/smod and through the sequence used
 * where the kernel has none; unsigned operands stay unsigned. */
static void test_signed_division(void **state)
{
	static const int64_t vals[] = { 7, -7, 2, -2, 1, -1, 0, 3, INT64_MIN, INT64_MAX, -1000000007 };
	struct bpfkit_lang_env env = test_env;
	const char *src = "rawtracepoint:sys_enter { $a = (int64)arg0; $b = (int64)arg1;\n"
			  "@q = $a / $b; @r = $a % $b; @qi = $a / -3; @ri = $a % -3; @u = arg0 / 3;\n"
			  "$c = $a; $c /= $b; @c = $c; @m = 5; @m %= $b; }";

	(void)state;
	for (int sdiv = 0; sdiv < 2; sdiv++) {
		struct bpfkit_ast_program *prog;
		struct bpfkit_compiled *c;
		struct bpfkit_lang *l = bpfkit_lang__new("t.bt", src, strlen(src));

		env.features = sdiv ? BPFKIT_LANG_FEAT_SDIV : 0;
		assert_int_equal(bpfkit_lang__parse(l, &prog), 0);
		assert_int_equal(bpfkit_lang__compile(l, prog, &env, &c), 0);
		for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
			for (size_t k = 0; k < sizeof(vals) / sizeof(vals[0]); k++) {
				int64_t a = vals[i], b = vals[k], ctx[2] = { a, b };
				int64_t q = b == 0 ? 0 : (a == INT64_MIN && b == -1) ? INT64_MIN : a / b;
				int64_t r = b == 0 ? a : (a == INT64_MIN && b == -1) ? 0 : a % b;

				fake_reset();
				run_prog(c, 0, ctx, sizeof(ctx));
				assert_int_equal((int64_t)map_value(c, "@q", 0), q);
				assert_int_equal((int64_t)map_value(c, "@r", 0), r);
				assert_int_equal((int64_t)map_value(c, "@c", 0), q);
				assert_int_equal((int64_t)map_value(c, "@m", 0), b == 0 ? 5 : 5 % b);
				assert_int_equal((int64_t)map_value(c, "@qi", 0), a / -3);
				assert_int_equal((int64_t)map_value(c, "@ri", 0), a % -3);
				assert_int_equal(map_value(c, "@u", 0), (uint64_t)a / 3);
			}
		}
		bpfkit_compiled__free(c);
		bpfkit_lang__free(l);
	}
}

/*
 * Chains of 256 and 10000 operators compile (bpftrace takes them; the tree
 * leans left as deep as the chain is long) and compute right in the VM:
 * arithmetic in one register, || and && as values and as conditions, a
 * comparison whose operand is a chain, and a constant array length. The
 * logical chains stop at 5000 terms in the second round: 10000 make jumps
 * past the 32767 instructions a jump can span (a clear error).
 */
static void test_long_chains(void **state)
{
	static const int lens[] = { 256, 10000 };
	static const char *const parts[][3] = {
		/* head, one term (%d: its index), tail */
		{ "rawtracepoint:sys_enter { $a = (int64)arg0; @sum = 0", " + $a", "; " },
		{ "@k = 1", " + 1", "; " },
		{ "@or = 0", " || $a == %d", "; " },
		{ "@and = 1", " && $a < %d + 1000", "; " },
		{ "if (0", " || arg0 == %d", ") { @if = 1; } " },
		{ "@cmp = $a * 0", " - 1", " < 0; }\n" },
		{ "struct s { char c[1", " + 1", "]; }; BEGIN { @size = sizeof(struct s); }\n" },
	};
	char *src = malloc(2000000);

	(void)state;
	assert_non_null(src);
	for (size_t l = 0; l < 2; l++) {
		struct bpfkit_lang *lang;
		struct bpfkit_compiled *c;
		size_t n = 0;
		int64_t ctx[1] = { 7 };

		for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++) {
			n += (size_t)sprintf(src + n, "%s", parts[p][0]);
			int len = strchr(parts[p][1], '%') && lens[l] > 5000 ? 5000 : lens[l];

			for (int i = 0; i < len; i++)
				n += (size_t)sprintf(src + n, parts[p][1], i + 1 == len ? 7 : lens[l] + i);
			n += (size_t)sprintf(src + n, "%s", parts[p][2]);
		}
		c = compile_ok(src, &lang);
		fake_reset();
		run_prog(c, 0, ctx, sizeof(ctx));
		assert_int_equal(map_value(c, "@sum", 0), 7 * (uint64_t)lens[l]);
		assert_int_equal(map_value(c, "@k", 0), 1 + (uint64_t)lens[l]);
		assert_int_equal(map_value(c, "@or", 0), 1); /* only the last term is true */
		assert_int_equal(map_value(c, "@and", 0), 1);
		assert_int_equal(map_value(c, "@if", 0), 1);
		assert_int_equal(map_value(c, "@cmp", 0), 1);
		ctx[0] = 8;
		fake_reset();
		run_prog(c, 0, ctx, sizeof(ctx));
		assert_int_equal(map_value(c, "@or", 0), 0);
		assert_null(fake_find(map_index(c, "@if"), &(uint64_t){ 0 }));
		fake_reset();
		run_prog(c, 1, NULL, 0);
		assert_int_equal(map_value(c, "@size", 0), 1 + (uint64_t)lens[l]);
		bpfkit_compiled__free(c);
		bpfkit_lang__free(lang);
	}
	free(src);
}

/* $p += n, $p -= n, ++/-- on a pointer variable step by the size of what it
 * points to, as $p + n does (C; bpftrace 0.17 agrees for uint64 *); on an
 * integer variable, by 1. */
static void test_pointer_steps(void **state)
{
	const char *src = "struct s { int a; char b[20]; }\n"
			  "rawtracepoint:sys_enter { $p = (uint64 *)arg0; $p += 2; $p -= 1; $p++; --$p;\n"
			  "@p = $p; @q = $p + 2; $r = (struct s *)arg0; $r++; $r += arg1; @r = $r;\n"
			  "$v = (void *)arg0; $v += 3; @v = $v; $n = arg0; $n += 2; $n++; @n = $n; }";
	struct bpfkit_ast_program *prog;
	struct bpfkit_compiled *c;
	struct bpfkit_lang *l = bpfkit_lang__new("t.bt", src, strlen(src));
	uint64_t ctx[2] = { 1000, 3 };

	(void)state;
	assert_int_equal(bpfkit_lang__parse(l, &prog), 0);
	assert_int_equal(bpfkit_lang__compile(l, prog, &test_env, &c), 0);
	fake_reset();
	run_prog(c, 0, ctx, sizeof(ctx));
	assert_int_equal(map_value(c, "@p", 0), 1000 + 8);
	assert_int_equal(map_value(c, "@q", 0), 1000 + 8 + 16);
	assert_int_equal(map_value(c, "@r", 0), 1000 + 4 * 24);
	assert_int_equal(map_value(c, "@v", 0), 1000 + 3);
	assert_int_equal(map_value(c, "@n", 0), 1000 + 3);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* ---- Functions resolved in user space ---------------------------------------------------------------- */

/* The index of map @p name in @p c (the test fails when there is none). */
static size_t map_index(const struct bpfkit_compiled *c, const char *name)
{
	for (size_t i = 0; i < c->nmaps; i++)
		if (!strcmp(c->maps[i].name, name))
			return i;
	fail_msg("no map %s", name);
	return 0;
}

/*
 * join(args->argv, ","): the record is built in slot 0 of the per-CPU
 * BPFKIT_LANG_JOIN_MAP and sent from there: the event id, then a 1024-byte
 * slot per element; the NULL element reads as "" (so an element after it
 * does not count), and bpfkit_fmt__join() of the slots gives what bpftrace
 * prints. Without the map's slot, nothing is sent.
 */
static void test_join_record(void **state)
{
	/* all 16 elements readable: the program reads that many pointers */
	static const char *argv[BPFKIT_LANG_JOIN_ARGS] = { "/bin/echo", "a", "b c", NULL, "HOME=/root" };
	struct bpfkit_out_val vals[BPFKIT_LANG_JOIN_ARGS];
	uint64_t p = (uint64_t)(uintptr_t)argv;
	struct bpfkit_compiled *c;
	struct bpfkit_lang *l;
	uint8_t ctx[40] = { 0 };
	char *text;
	size_t m, len;

	(void)state;
	fake_reset();
	c = compile_ok("tracepoint:syscalls:sys_enter_execve { join(args->argv, \",\"); }", &l);
	m = map_index(c, BPFKIT_LANG_JOIN_MAP);
	assert_int_equal(c->maps[m].kind, BPFKIT_LANG_MAP_PERCPU_ARRAY);
	assert_int_equal(c->maps[m].key_size, 4);
	assert_int_equal(c->maps[m].value_size, 8 + 16 * 1024);
	assert_int_equal(c->maps[map_index(c, "events")].max_entries, BPFKIT_LANG_RINGBUF_JOIN_SIZE);
	assert_int_equal(c->nevents, 1);
	assert_int_equal(c->events[0].kind, BPFKIT_LANG_EV_JOIN);
	assert_string_equal(c->events[0].fmt, ",");
	assert_int_equal(c->events[0].nargs, BPFKIT_LANG_JOIN_ARGS);
	fake.e[0] = (struct fake_entry){ .map = (int)m, .used = true };
	memset(fake.e[0].value, 'z', sizeof(fake.e[0].value)); /* an earlier record's bytes */
	memcpy(ctx + 24, &p, 8);
	run_prog(c, 0, ctx, sizeof(ctx));
	assert_int_equal(fake.nrec, 1);
	assert_int_equal(fake.rec_len[0], 8 + 16 * 1024);
	assert_int_equal(u64_at(fake.rec[0]), 0);
	assert_string_equal((char *)fake.rec[0] + 8, "/bin/echo");
	assert_string_equal((char *)fake.rec[0] + 8 + 1024, "a");
	assert_string_equal((char *)fake.rec[0] + 8 + 2048, "b c");
	assert_int_equal(fake.rec[0][8 + 3 * 1024], 0);
	assert_string_equal((char *)fake.rec[0] + 8 + 4 * 1024, "HOME=/root");
	for (size_t i = 0; i < BPFKIT_LANG_JOIN_ARGS; i++)
		vals[i] = bpfkit_out_strn((const char *)fake.rec[0] + c->events[0].args[i].offset,
					  c->events[0].args[i].type->size);
	assert_int_equal(bpfkit_fmt__join(vals, BPFKIT_LANG_JOIN_ARGS, c->events[0].fmt, &text, &len), 0);
	assert_string_equal(text, "/bin/echo,a,b c");
	assert_int_equal(len, strlen(text));
	free(text);
	/* no slot in the map: the program sends nothing */
	fake_reset();
	fake.arrays_empty = true;
	run_prog(c, 0, ctx, sizeof(ctx));
	assert_int_equal(fake.nrec, 0);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/*
 * strftime(): a 16-byte value, {id of the EV_STRFTIME event with its format,
 * the nanoseconds}, wherever it goes: a printf record, a map key and value,
 * print(). No event of it is ever sent, and it alone makes no ring buffer.
 */
static void test_strftime_value(void **state)
{
	struct bpfkit_compiled *c;
	struct bpfkit_lang *l;
	const struct bpfkit_lang_event *ev;
	const struct fake_entry *e = NULL;
	size_t m;

	(void)state;
	fake_reset();
	fake.ktime = 123456789;
	c = compile_ok("BEGIN { printf(\"%s|\\n\", strftime(\"%Y\", nsecs));\n"
		       "  @t[strftime(\"%H\", 5)] = strftime(\"%M\", 7); print(strftime(\"%S\", 9)); }",
		       &l);
	run_prog(c, 0, NULL, 0);
	assert_int_equal(fake.nrec, 2);
	ev = &c->events[u64_at(fake.rec[0])];
	assert_int_equal(ev->kind, BPFKIT_LANG_EV_PRINTF);
	assert_int_equal(ev->args[0].type->kind, BPFKIT_LANG_V_TIMESTAMP);
	assert_int_equal(ev->args[0].type->size, 16);
	assert_int_equal(c->events[u64_at(fake.rec[0] + 8)].kind, BPFKIT_LANG_EV_STRFTIME);
	assert_string_equal(c->events[u64_at(fake.rec[0] + 8)].fmt, "%Y");
	assert_int_equal(u64_at(fake.rec[0] + 16), 123456789);
	assert_int_equal(c->events[u64_at(fake.rec[1])].kind, BPFKIT_LANG_EV_PRINT_VALUE);
	assert_string_equal(c->events[u64_at(fake.rec[1] + 8)].fmt, "%S");
	assert_int_equal(u64_at(fake.rec[1] + 16), 9);
	m = map_index(c, "@t");
	assert_int_equal(c->maps[m].key->kind, BPFKIT_LANG_V_TIMESTAMP);
	for (int i = 0; i < FAKE_ENTRIES; i++)
		if (fake.e[i].used && fake.e[i].map == (int)m)
			e = &fake.e[i];
	assert_non_null(e);
	assert_string_equal(c->events[u64_at(e->key)].fmt, "%H");
	assert_int_equal(u64_at(e->key + 8), 5);
	assert_string_equal(c->events[u64_at(e->value)].fmt, "%M");
	assert_int_equal(u64_at(e->value + 8), 7);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);

	c = compile_ok("BEGIN { @t = strftime(\"%Y\", nsecs); }", &l);
	assert_null(c->events_map);
	for (m = 0; m < c->nmaps; m++)
		assert_true(c->maps[m].kind != BPFKIT_LANG_MAP_RINGBUF);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* system() compiles only when the environment says unsafe; system() and
 * cat() send printf's records, each with its own event kind. */
/*
 * bswap, strcontains, ntop, buf and strerror run in the VM: the values in
 * their records are what user space turns into bpftrace's text.
 */
static void test_byte_functions(void **state)
{
	struct bpfkit_compiled *c;
	struct bpfkit_lang *l;
	const uint8_t *r;

	(void)state;
	fake_reset();
	c = compile_ok("BEGIN { printf(\"%d %d %d %d\\n\", bswap((uint8)1), bswap((uint16)1), bswap((uint32)1),"
		       " bswap((int16)-2));\n"
		       "  printf(\"%d %d %d %d %d\\n\", strcontains(\"hello\", \"ll\"), strcontains(\"hello\", \"lx\"),"
		       " strcontains(\"hel\", \"lo\"), strcontains(\"\", \"\"), strcontains(str($2), str($2)));\n"
		       "  printf(\"%s %s %r %s\\n\", ntop(0x0100007f), ntop(10, 1), buf(\"a\\x01c\", 2), strerror(2)); }",
		       &l);
	run_prog(c, 0, NULL, 0);
	assert_int_equal(fake.nrec, 3);
	r = fake.rec[0];
	assert_int_equal(u64_at(r + 8), 1);
	assert_int_equal(u64_at(r + 16), 256);
	assert_int_equal(u64_at(r + 24), 16777216);
	assert_int_equal(u64_at(r + 32), 65279);
	r = fake.rec[1];
	assert_int_equal(u64_at(r + 8), 1);
	assert_int_equal(u64_at(r + 16), 0);
	assert_int_equal(u64_at(r + 24), 0);
	assert_int_equal(u64_at(r + 32), 1);
	assert_int_equal(u64_at(r + 40), 1); /* "hello" in "hello", not literals */
	r = fake.rec[2];
	assert_int_equal(c->events[u64_at(r)].args[0].type->kind, BPFKIT_LANG_V_INET);
	assert_int_equal(u64_at(r + 8), 2); /* AF_INET, 127.0.0.1 */
	assert_memory_equal(r + 16, "\x7f\0\0\x01", 4);
	assert_int_equal(u64_at(r + 32), 10); /* AF_INET6, 100:: */
	assert_memory_equal(r + 40, "\x01\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	assert_int_equal(c->events[u64_at(r)].args[2].type->kind, BPFKIT_LANG_V_BUF);
	assert_int_equal(u64_at(r + 56), 2); /* buf: its length, then the bytes */
	assert_memory_equal(r + 64, "a\x01\0", 3);
	assert_int_equal(u64_at(r + 72), 2);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* pton(): bytes known when compiling, as values, indexes, comparisons and
 * ntop()'s operand, run in the VM. */
static void test_pton(void **state)
{
	struct bpfkit_compiled *c;
	struct bpfkit_lang *l;
	const uint8_t *r;

	(void)state;
	fake_reset();
	c = compile_ok("BEGIN { $a = pton(\"255.1.128.1\"); $b = pton(\"fe80::1:ff\");\n"
		       "  printf(\"%d %d %d %d %d %d\\n\", $a[0], $a[3], $b[15], $a == pton(\"255.1.128.1\"),"
		       " $a != pton(\"255.1.128.1\"), $b == pton(\"fe80::1:fe\"));\n"
		       "  print($b); printf(\"%s\\n\", ntop($a)); }",
		       &l);
	run_prog(c, 0, NULL, 0);
	assert_int_equal(fake.nrec, 3);
	r = fake.rec[0];
	assert_int_equal(u64_at(r + 8), 255);
	assert_int_equal(u64_at(r + 16), 1);
	assert_int_equal(u64_at(r + 24), 255);
	assert_int_equal(u64_at(r + 32), 1);
	assert_int_equal(u64_at(r + 40), 0);
	assert_int_equal(u64_at(r + 48), 0);
	r = fake.rec[1];
	assert_int_equal(c->events[u64_at(r)].args[0].type->kind, BPFKIT_LANG_V_ARRAY);
	assert_int_equal(c->events[u64_at(r)].args[0].type->size, 16);
	assert_memory_equal(r + 8, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\x01\0\xff", 16);
	r = fake.rec[2];
	assert_int_equal(u64_at(r + 8), 2); /* ntop(): AF_INET, the four bytes */
	assert_memory_equal(r + 16, "\xff\x01\x80\x01", 4);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

static void test_system_cat_records(void **state)
{
	const char *src = "BEGIN { system(\"echo %d %s\", 42, comm); cat(\"/proc/%d/comm\", pid); }";
	struct bpfkit_lang_env env = test_env;
	struct bpfkit_ast_program *prog;
	struct bpfkit_compiled *c;
	struct bpfkit_lang *l;

	(void)state;
	fake_reset();
	assert_int_equal(test_compile("t.bt", src, strlen(src), &l, &c), -EINVAL);
	assert_string_equal(bpfkit_lang__diags(l)->msg, "system() is an unsafe function being used in safe mode");
	bpfkit_lang__free(l);
	env.unsafe = true;
	l = bpfkit_lang__new("t.bt", src, strlen(src));
	assert_non_null(l);
	assert_int_equal(bpfkit_lang__parse(l, &prog), 0);
	assert_int_equal(bpfkit_lang__compile(l, prog, &env, &c), 0);
	assert_int_equal(c->nevents, 2);
	assert_int_equal(c->events[0].kind, BPFKIT_LANG_EV_SYSTEM);
	assert_string_equal(c->events[0].fmt, "echo %d %s");
	assert_int_equal(c->events[1].kind, BPFKIT_LANG_EV_CAT);
	assert_string_equal(c->events[1].fmt, "/proc/%d/comm");
	run_prog(c, 0, NULL, 0);
	assert_int_equal(fake.nrec, 2);
	assert_int_equal(u64_at(fake.rec[0]), 0);
	assert_int_equal(u64_at(fake.rec[0] + 8), 42);
	assert_string_equal((char *)fake.rec[0] + 16, "bash");
	assert_int_equal(u64_at(fake.rec[1]), 1);
	assert_int_equal(u64_at(fake.rec[1] + 8), 1234);
	bpfkit_compiled__free(c);
	bpfkit_lang__free(l);
}

/* ---- Discovery -------------------------------------------------------------------------------------- */

static size_t list_scripts(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char path[1024];

		if (len < 4 || strcmp(de->d_name + len - 3, ".bt"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		*out = realloc(*out, (n + 1) * sizeof(char *));
		(*out)[n++] = strdup(path);
	}
	closedir(d);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp((*out)[j - 1], (*out)[j]) > 0; j--) {
			char *t = (*out)[j];

			(*out)[j] = (*out)[j - 1];
			(*out)[j - 1] = t;
		}
	return n;
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_printf_record),
		cmocka_unit_test(test_lost_events),
		cmocka_unit_test(test_count_comm),
		cmocka_unit_test(test_count_scalar),
		cmocka_unit_test(test_raw_syscalls_as_raw_tp),
		cmocka_unit_test(test_hist_buckets),
		cmocka_unit_test(test_aggs_and_strings),
		cmocka_unit_test(test_str_arg),
		cmocka_unit_test(test_positional_params),
		cmocka_unit_test(test_elapsed_probe),
		cmocka_unit_test(test_loops),
		cmocka_unit_test(test_join_record),
		cmocka_unit_test(test_strftime_value),
		cmocka_unit_test(test_system_cat_records),
		cmocka_unit_test(test_byte_functions),
		cmocka_unit_test(test_pton),
		cmocka_unit_test(test_struct_reads),
		cmocka_unit_test(test_script_struct_layout),
		cmocka_unit_test(test_user_pointer),
		cmocka_unit_test(test_usdt_args),
		cmocka_unit_test(test_usdt_errors),
		cmocka_unit_test(test_signed_division),
		cmocka_unit_test(test_long_chains),
		cmocka_unit_test(test_pointer_steps),
	};
	char dir[1024], edir[1024], **golden, **errors;
	size_t ng, ne, n = 0, nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *tests;
	int rc;

	snprintf(dir, sizeof(dir), "%s/codegen", data_dir());
	snprintf(edir, sizeof(edir), "%s/codegen/errors", data_dir());
	ng = list_scripts(dir, &golden);
	ne = list_scripts(edir, &errors);
	tests = calloc(nfixed + ng + ne, sizeof(*tests));
	for (size_t i = 0; i < nfixed; i++)
		tests[n++] = fixed[i];
	for (size_t i = 0; i < ng; i++)
		tests[n++] = (struct CMUnitTest){ golden[i], run_golden, NULL, NULL, golden[i] };
	for (size_t i = 0; i < ne; i++)
		tests[n++] = (struct CMUnitTest){ errors[i], run_golden_error, NULL, NULL, errors[i] };
	rc = _cmocka_run_group_tests("lang_codegen", tests, n, NULL, NULL);
	for (size_t i = 0; i < ng; i++)
		free(golden[i]);
	for (size_t i = 0; i < ne; i++)
		free(errors[i]);
	free(golden);
	free(errors);
	free(tests);
	return rc;
}
