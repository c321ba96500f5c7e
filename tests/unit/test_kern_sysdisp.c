// SPDX-License-Identifier: MIT
/*
 * Unit tests of the syscall dispatcher's pieces that need no kernel
 * (src/kern/sysdisp.c, syscall_table.c):
 *  - the generated x86-64 number table: sorted, no name or number twice;
 *  - tracepoint name -> number, the SYSCALL_DEFINE aliases included;
 *  - every syscalls:sys_enter_* event of the live tracefs (when readable)
 *    has a number, and no two events share one;
 *  - the layout checks on format texts, good and bad;
 *  - the dispatcher program passes the VM's validation, and run in the VM
 *    (helpers standing in for bpf_get_current_task_btf and bpf_tail_call)
 *    tail-calls the slot of the syscall id, and nothing for an ia32 call or
 *    an id out of range.
 * The dispatcher against the real kernel: tests/cli/trace_syscalls.sh.
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
#include <linux/bpf.h>

#include <bpfkit/isa.h>
#include <bpfkit/kern.h>
#include <bpfkit/vm.h>

#include "kern/sysdisp.h"

static void test_table(void **state)
{
	char seen[4096] = { 0 };
	int max = -1;

	(void)state;
	assert_true(ksyscalls_x86_64_count > 300);
	assert_true(ksyscalls_x86_64_max < (int)sizeof(seen));
	for (size_t i = 0; i < ksyscalls_x86_64_count; i++) {
		const struct ksyscall *sc = &ksyscalls_x86_64[i];

		if (i && strcmp(ksyscalls_x86_64[i - 1].name, sc->name) >= 0)
			fail_msg("not sorted or twice: %s, %s", ksyscalls_x86_64[i - 1].name, sc->name);
		assert_true(sc->nr >= 0 && sc->nr <= ksyscalls_x86_64_max);
		if (seen[sc->nr]++)
			fail_msg("number %d twice (%s)", sc->nr, sc->name);
		if (sc->nr > max)
			max = sc->nr;
	}
	assert_int_equal(max, ksyscalls_x86_64_max);
}

static void test_names(void **state)
{
	static const struct {
		const char *name;
		int nr;
	} cases[] = {
		{ "read", 0 },	      { "write", 1 },	     { "getppid", 110 }, { "getpgid", 121 },
		{ "getsid", 124 },    { "openat", 257 },     { "exit_group", 231 },
		/* the SYSCALL_DEFINE names of x86-64 calls with another __NR_ name */
		{ "newstat", 4 },     { "newfstat", 5 },     { "newlstat", 6 },	 { "newuname", 63 },
		{ "sendfile64", 40 }, { "umount", 166 },
		/* the uapi names answer too (no event uses them on x86-64) */
		{ "stat", 4 },	      { "umount2", 166 },
		/* after the 6.1 header: from the script's list */
		{ "cachestat", 451 }, { "futex_wake", 454 }, { "mseal", 462 },	 { "uprobe", 336 },
		{ "file_setattr", 469 },
		/* not x86-64 calls */
		{ "nosuchcall", -1 }, { "", -1 },	     { "newfstatat_", -1 }, { "stat64", -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (ksysdisp_syscall_nr(cases[i].name) != cases[i].nr)
			fail_msg("%s: got %d, want %d", cases[i].name, ksysdisp_syscall_nr(cases[i].name), cases[i].nr);
	assert_int_equal(ksysdisp_syscall_nr(NULL), -1);
}

static void test_targets(void **state)
{
	enum ksysdisp_dir dir;
	const char *name;

	(void)state;
	assert_true(ksysdisp_target("syscalls:sys_enter_openat", &dir, &name));
	assert_int_equal(dir, KSYSDISP_ENTER);
	assert_string_equal(name, "openat");
	assert_true(ksysdisp_target("syscalls:sys_exit_read", &dir, &name));
	assert_int_equal(dir, KSYSDISP_EXIT);
	assert_string_equal(name, "read");
	assert_false(ksysdisp_target("syscalls:sys_enter_", &dir, &name));
	assert_false(ksysdisp_target("raw_syscalls:sys_enter", &dir, &name));
	assert_false(ksysdisp_target("sched:sched_switch", &dir, &name));
	assert_false(ksysdisp_target("syscalls", &dir, &name));
	assert_false(ksysdisp_target(NULL, &dir, &name));
}

/*
 * Every syscalls:sys_enter_* event of this kernel maps to a number (a
 * missing one would be attached directly: slower to detach, not wrong), and
 * no two events to the same number (that would be wrong). Needs a readable
 * tracefs (root).
 */
static void test_live_events(void **state)
{
	char tracefs[4096], dirpath[4200], missing[1024] = "";
	const char *events[2048];
	int nrs[2048];
	size_t n = 0, nmissing = 0;
	struct dirent *e;
	DIR *d = NULL;

	(void)state;
	if (!bpfkit_tracefs_find(tracefs, sizeof(tracefs), 0, NULL)) {
		snprintf(dirpath, sizeof(dirpath), "%s/events/syscalls", tracefs);
		d = opendir(dirpath);
	}
	if (!d) {
		print_message("# SKIP no readable tracefs events/syscalls here (needs root)\n");
		skip();
	}
	while ((e = readdir(d)) && n < 2048) {
		if (strncmp(e->d_name, "sys_enter_", 10))
			continue;
		nrs[n] = ksysdisp_syscall_nr(e->d_name + 10);
		if (nrs[n] < 0 && nmissing++ < 10) {
			strncat(missing, " ", sizeof(missing) - strlen(missing) - 1);
			strncat(missing, e->d_name, sizeof(missing) - strlen(missing) - 1);
		}
		events[n] = strdup(e->d_name);
		assert_non_null(events[n]);
		n++;
	}
	closedir(d);
	print_message("# %zu sys_enter_* events, %zu without an x86-64 number%s\n", n, nmissing, missing);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (nrs[i] >= 0 && nrs[i] == nrs[j])
				fail_msg("%s and %s both map to %d", events[i], events[j], nrs[i]);
	for (size_t i = 0; i < n; i++)
		free((void *)events[i]);
#if defined(__x86_64__)
	assert_int_equal(nmissing, 0);
#endif
}

/* ---- layouts ---- */

#define COMMON                                                                      \
	"format:\n"                                                                 \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"      \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"      \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

static const char enter_openat[] = "name: sys_enter_openat\nID: 782\n" COMMON
				   "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
				   "\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
				   "\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
				   "\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;\n"
				   "\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;\n";
static const char enter_getppid[] = "name: sys_enter_getppid\nID: 100\n" COMMON
				    "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n";
static const char exit_read[] = "name: sys_exit_read\nID: 841\n" COMMON
				"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
				"\tfield:long ret;\toffset:16;\tsize:8;\tsigned:1;\n";
static const char raw_enter[] = "name: sys_enter\nID: 443\n" COMMON
				"\tfield:long id;\toffset:8;\tsize:8;\tsigned:1;\n"
				"\tfield:unsigned long args[6];\toffset:16;\tsize:48;\tsigned:0;\n";
static const char raw_exit[] = "name: sys_exit\nID: 442\n" COMMON
			       "\tfield:long id;\toffset:8;\tsize:8;\tsigned:1;\n"
			       "\tfield:long ret;\toffset:16;\tsize:8;\tsigned:1;\n";
/* a kernel that added a user-space string to the record */
static const char enter_with_string[] = "name: sys_enter_openat\nID: 782\n" COMMON
					"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
					"\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
					"\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
					"\tfield:__data_loc char[] __filename_val;\toffset:32;\tsize:4;\tsigned:0;\n";
static const char enter_gap[] = "name: sys_enter_x\nID: 1\n" COMMON
				"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
				"\tfield:long a;\toffset:24;\tsize:8;\tsigned:0;\n";
static const char enter_nr8[] = "name: sys_enter_x\nID: 1\n" COMMON
				"\tfield:long __syscall_nr;\toffset:8;\tsize:8;\tsigned:1;\n";
static const char enter_7args[] = "name: sys_enter_x\nID: 1\n" COMMON
				  "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
				  "\tfield:long a;\toffset:16;\tsize:8;\tsigned:0;\n"
				  "\tfield:long b;\toffset:24;\tsize:8;\tsigned:0;\n"
				  "\tfield:long c;\toffset:32;\tsize:8;\tsigned:0;\n"
				  "\tfield:long d;\toffset:40;\tsize:8;\tsigned:0;\n"
				  "\tfield:long e;\toffset:48;\tsize:8;\tsigned:0;\n"
				  "\tfield:long f;\toffset:56;\tsize:8;\tsigned:0;\n"
				  "\tfield:long g;\toffset:64;\tsize:8;\tsigned:0;\n";
static const char exit_int_ret[] = "name: sys_exit_x\nID: 1\n" COMMON
				   "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
				   "\tfield:int ret;\toffset:16;\tsize:4;\tsigned:1;\n";
static const char raw_exit_no_ret[] = "name: sys_exit\nID: 442\n" COMMON
				      "\tfield:long id;\toffset:8;\tsize:8;\tsigned:1;\n";
static const char raw_enter_4args[] = "name: sys_enter\nID: 443\n" COMMON
				      "\tfield:long id;\toffset:8;\tsize:8;\tsigned:1;\n"
				      "\tfield:unsigned long args[4];\toffset:16;\tsize:32;\tsigned:0;\n";

static bool layout(const char *text, enum ksysdisp_dir dir, bool raw)
{
	struct bpfkit_diag d;
	struct bpfkit_tp_format *f = bpfkit_tp_format__parse("t", text, strlen(text), &d);
	bool ok;

	if (!f)
		fail_msg("parse: %s", d.msg);
	ok = ksysdisp_layout_ok(f, dir, raw);
	bpfkit_tp_format__free(f);
	return ok;
}

static void test_layouts(void **state)
{
	(void)state;
	assert_true(layout(enter_openat, KSYSDISP_ENTER, false));
	assert_true(layout(enter_getppid, KSYSDISP_ENTER, false));
	assert_true(layout(exit_read, KSYSDISP_EXIT, false));
	assert_true(layout(raw_enter, KSYSDISP_ENTER, true));
	assert_true(layout(raw_exit, KSYSDISP_EXIT, true));
	/* wrong direction or kind (an exit record read as an enter one has the
	 * bytes of a one-argument call: layouts are compared, not names) */
	assert_false(layout(enter_getppid, KSYSDISP_EXIT, false));
	assert_false(layout(enter_openat, KSYSDISP_EXIT, false));
	assert_false(layout(raw_enter, KSYSDISP_ENTER, false));
	assert_false(layout(enter_openat, KSYSDISP_ENTER, true));
	assert_false(layout(raw_exit, KSYSDISP_ENTER, true));
	/* layouts that differ from raw_syscalls */
	assert_false(layout(enter_with_string, KSYSDISP_ENTER, false));
	assert_false(layout(enter_gap, KSYSDISP_ENTER, false));
	assert_false(layout(enter_nr8, KSYSDISP_ENTER, false));
	assert_false(layout(enter_7args, KSYSDISP_ENTER, false));
	assert_false(layout(exit_int_ret, KSYSDISP_EXIT, false));
	assert_false(layout(raw_exit_no_ret, KSYSDISP_EXIT, true));
	assert_false(layout(raw_enter_4args, KSYSDISP_ENTER, true));
	assert_false(ksysdisp_layout_ok(NULL, KSYSDISP_ENTER, false));
}

/* ---- the dispatcher in the VM ---- */

#define LIMIT 471u
#define STATUS_OFF 16u

struct fake {
	uint8_t task[64]; /* task_struct with thread_info.status at STATUS_OFF */
	int calls; /* tail calls made */
	uint64_t ctx, map, index; /* the last one's arguments */
	uint64_t ctx_addr; /* where the context was */
};

static struct fake fake;

static uint64_t h_current_task(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			       uint64_t r5)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	if (bpfkit_vm_ctx__grant(ctx, fake.task, sizeof(fake.task), false))
		return 0;
	return (uint64_t)(uintptr_t)fake.task;
}

static uint64_t h_tail_call(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			    uint64_t r5)
{
	(void)ctx, (void)r4, (void)r5;
	fake.calls++;
	fake.ctx = r1;
	fake.map = r2;
	fake.index = r3;
	return (uint64_t)-ENOENT; /* as for an empty slot: the program goes on */
}

/* Load the dispatcher into a VM, its map reference as the immediate 7. */
static struct bpfkit_vm *dispatcher_vm(void)
{
	struct bpfkit_prog *p = ksysdisp_build(LIMIT, STATUS_OFF);
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct bpfkit_diag d;

	assert_non_null(p);
	assert_non_null(vm);
	assert_int_equal(p->nrelocs, 1);
	assert_int_equal(p->relocs[0].kind, BPFKIT_RELOC_MAP);
	assert_string_equal(p->relocs[0].name, KSYSDISP_MAP_NAME);
	assert_int_equal(p->insns[p->relocs[0].insn].code, BPFKIT_OP_LDDW);
	p->insns[p->relocs[0].insn].src = BPFKIT_PSEUDO_IMM64;
	p->insns[p->relocs[0].insn].imm = 7;
	assert_int_equal(bpfkit_vm__register_helper(vm, BPF_FUNC_get_current_task_btf, "get_current_task_btf",
						    h_current_task),
			 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, BPF_FUNC_tail_call, "tail_call", h_tail_call), 0);
	if (bpfkit_vm__load(vm, p->insns, p->len, &d))
		fail_msg("VM validation: insn %ld: %s", d.insn, d.msg);
	bpfkit_prog__free(p);
	return vm;
}

/* Run with record id @p id and thread_info.status @p status; r0 must be 0. */
static void run(struct bpfkit_vm *vm, int64_t id, uint32_t status)
{
	uint8_t rec[64] = { 0 };
	struct bpfkit_diag d;
	uint64_t r0 = 1;

	memcpy(rec + 8, &id, 8);
	memcpy(fake.task + STATUS_OFF, &status, 4);
	fake.calls = 0;
	fake.ctx_addr = (uint64_t)(uintptr_t)rec;
	if (bpfkit_vm__run(vm, rec, sizeof(rec), &r0, NULL, &d))
		fail_msg("run: insn %ld: %s", d.insn, d.msg);
	assert_int_equal(r0, 0);
}

static void test_dispatcher(void **state)
{
	struct bpfkit_vm *vm;

	(void)state;
	vm = dispatcher_vm();
	run(vm, 5, 0);
	assert_int_equal(fake.calls, 1);
	assert_int_equal(fake.index, 5);
	assert_int_equal(fake.map, 7);
	assert_int_equal(fake.ctx, fake.ctx_addr);
	run(vm, 0, 0x1); /* other status bits do not matter */
	assert_int_equal(fake.calls, 1);
	assert_int_equal(fake.index, 0);
	run(vm, LIMIT - 1, 0);
	assert_int_equal(fake.calls, 1);
	assert_int_equal(fake.index, LIMIT - 1);
	run(vm, 5, KSYSDISP_TS_COMPAT); /* an ia32 call */
	assert_int_equal(fake.calls, 0);
	run(vm, LIMIT, 0);
	assert_int_equal(fake.calls, 0);
	run(vm, -1, 0);
	assert_int_equal(fake.calls, 0);
	run(vm, (int64_t)0x40000000 + 1, 0); /* x32: bit 30 */
	assert_int_equal(fake.calls, 0);
	run(vm, (int64_t)1 << 32, 0); /* never truncated to 0 */
	assert_int_equal(fake.calls, 0);
	bpfkit_vm__free(vm);

	/* arguments it refuses */
	assert_null(ksysdisp_build(LIMIT, 40000));
	assert_int_equal(errno, EINVAL);
	assert_null(ksysdisp_build(0, STATUS_OFF));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),	  cmocka_unit_test(test_names),	     cmocka_unit_test(test_targets),
		cmocka_unit_test(test_live_events), cmocka_unit_test(test_layouts), cmocka_unit_test(test_dispatcher),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
