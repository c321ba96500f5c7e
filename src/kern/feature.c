// SPDX-License-Identifier: MIT
/*
 * What this kernel lets the tracer do, found without side effects.
 *
 * Each test looks at files first (a PMU in /sys/bus/event_source/devices,
 * a control file in tracefs, BTF in /sys/kernel/btf), then, when that is
 * not enough, loads the smallest program of the kind in question ("r0 = 0;
 * exit") or creates the smallest map, and closes it at once. Nothing is
 * attached: a kprobe is never placed, a perf event never enabled.
 *
 * A missing feature comes with a sentence for the user saying why, with the
 * errno told apart: ENOSYS (not built in), EPERM (not allowed), EINVAL (too
 * old a kernel for this kind of program).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kern/kern_int.h"

#define PMU_DIR "/sys/bus/event_source/devices"
#define ENOTSUPP_KERNEL 524 /* the kernel's internal ENOTSUPP, which bpf() can leak */
#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

static const char *const names[BPFKIT_FEATURE__COUNT] = {
	[BPFKIT_FEATURE_BPF] = "bpf",
	[BPFKIT_FEATURE_BTF] = "btf",
	[BPFKIT_FEATURE_TRACEFS] = "tracefs",
	[BPFKIT_FEATURE_TRACEPOINT] = "tracepoint",
	[BPFKIT_FEATURE_RAW_TP] = "raw_tracepoint",
	[BPFKIT_FEATURE_TP_BTF] = "tp_btf",
	[BPFKIT_FEATURE_KPROBE] = "kprobe",
	[BPFKIT_FEATURE_UPROBE] = "uprobe",
	[BPFKIT_FEATURE_FENTRY] = "fentry",
	[BPFKIT_FEATURE_LSM] = "lsm",
	[BPFKIT_FEATURE_RINGBUF] = "ringbuf",
	[BPFKIT_FEATURE_PERF_EVENT] = "perf_event",
	[BPFKIT_FEATURE_SDIV] = "sdiv",
};

const char *bpfkit_feature_name(enum bpfkit_feature feat)
{
	if ((unsigned)feat >= BPFKIT_FEATURE__COUNT)
		return "unknown";
	return names[feat];
}

/* Fill @p why (when given) and return 0: the feature is missing. */
static int no(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int no(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (why && size) {
		va_start(ap, fmt);
		vsnprintf(why, size, fmt, ap);
		va_end(ap);
	}
	return 0;
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* LINUX_VERSION_CODE of the running kernel: kprobe programs needed it before 5.0. */
static uint32_t kernel_version(void)
{
	unsigned a = 0, b = 0, c = 0;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return (a << 16) | (b << 8) | (c > 255 ? 255 : c);
}

/*
 * Load @p insns as @p type (with an attach type and BTF id for the kinds
 * that need them) and close it. Returns 0 or the negative errno the kernel
 * gave, retrying EAGAIN as libbpf does.
 */
static int try_load_insns(enum bpf_prog_type type, enum bpf_attach_type attach, uint32_t btf_id,
			  const struct bpf_insn *insns, uint32_t n)
{
	union bpf_attr attr;
	int fd, tries = 5;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = n;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	attr.kern_version = kernel_version();
	attr.expected_attach_type = attach;
	attr.attach_btf_id = btf_id;
	do
		fd = sys_bpf(BPF_PROG_LOAD, &attr);
	while (fd < 0 && errno == EAGAIN && --tries);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Load "r0 = 0; exit" (see try_load_insns()). */
static int try_load(enum bpf_prog_type type, enum bpf_attach_type attach, uint32_t btf_id)
{
	static const struct bpf_insn insns[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return try_load_insns(type, attach, btf_id, insns, 2);
}

/*
 * cpu v4 signed division: load "r0 = -7; r0 s/= 2; r0 s%= 3; r0 = 0; exit"
 * (sdiv and smod are DIV and MOD with off = 1). Without the privilege to
 * load, the answer is the kernel's version (6.6 added them), so a dry run
 * as a user compiles what root would load.
 */
static int probe_sdiv(char *why, size_t size)
{
	static const struct bpf_insn insns[5] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = -7 },
		{ .code = BPF_ALU64 | BPF_DIV | BPF_K, .dst_reg = BPF_REG_0, .off = 1, .imm = 2 },
		{ .code = BPF_ALU64 | BPF_MOD | BPF_K, .dst_reg = BPF_REG_0, .off = 1, .imm = 3 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int err = try_load_insns(BPF_PROG_TYPE_TRACEPOINT, 0, 0, insns, 5);

	if (err == -EPERM || err == -EACCES || err == -ENOSYS) {
		if (kernel_version() >= ((6u << 16) | (6u << 8)))
			return 1;
		return no(why, size, "signed division (sdiv/smod) needs Linux 6.6 (this kernel cannot load programs "
				     "here to check: %s)", strerror(-err));
	}
	if (err)
		return no(why, size, "this kernel has no signed division instructions (sdiv/smod need Linux 6.6): %s",
			  strerror(-err));
	return 1;
}

bool kern_feature_unprivileged_raw_tp(void)
{
	int err = try_load(BPF_PROG_TYPE_TRACEPOINT, 0, 0);

	return (err == -EPERM || err == -EACCES) && kernel_version() >= ((4u << 16) | (17u << 8));
}

/* The bpf() syscall, and the privilege to load tracing programs. */
static int probe_bpf(char *why, size_t size)
{
	int err = try_load(BPF_PROG_TYPE_TRACEPOINT, 0, 0);

	if (!err)
		return 1;
	if (err == -ENOSYS)
		return no(why, size, "this kernel has no bpf() syscall (CONFIG_BPF_SYSCALL off)");
	if (err == -EPERM || err == -EACCES) {
		char priv[PATH_MAX + 256];

		if (bpfkit_kern_missing_privileges(BPFKIT_PRIV_BPF, NULL, priv, sizeof(priv)) == 1)
			return no(why, size, "loading BPF tracing programs is not permitted: %s", priv);
		return no(why, size,
			  "loading BPF tracing programs is not permitted although this process has CAP_BPF and "
			  "CAP_PERFMON: it may be locked down (see /sys/kernel/security/lockdown)");
	}
	if (err == -EINVAL)
		return no(why, size, "this kernel cannot load BPF tracepoint programs (CONFIG_BPF_EVENTS off?)");
	return no(why, size, "loading a BPF program failed: %s", strerror(-err));
}

/* Requires BPF; fills @p why with the reason when it is missing. */
static bool need_bpf(char *why, size_t size)
{
	char inner[256];

	if (probe_bpf(inner, sizeof(inner)))
		return true;
	no(why, size, "%s", inner);
	return false;
}

/* The kernel's BTF, loaded (and checked) into @p btf; 1 or 0 with a reason. */
static int load_btf(struct kbtf *btf, char *why, size_t size)
{
	int err = kbtf_load(btf, VMLINUX_BTF, NULL);

	if (!err)
		return 1;
	if (err == -ENOENT)
		return no(why, size, "the kernel has no BTF (" VMLINUX_BTF " is missing: CONFIG_DEBUG_INFO_BTF off)");
	if (err == -EINVAL)
		return no(why, size, VMLINUX_BTF " is not BTF this version of bpfkit understands");
	return no(why, size, "cannot read " VMLINUX_BTF ": %s", strerror(-err));
}

static int probe_btf(char *why, size_t size)
{
	struct kbtf btf;
	int ok = load_btf(&btf, why, size);

	if (ok)
		kbtf_release(&btf);
	return ok;
}

static int probe_tracefs(char *why, size_t size, char *dir, size_t dir_size)
{
	struct bpfkit_diag d;
	char events[PATH_MAX];

	bpfkit_diag__clear(&d);
	if (kern_tracefs(dir, dir_size, &d))
		return no(why, size, "%s", d.msg);
	if (kern_path(events, sizeof(events), "%s/events", dir))
		return no(why, size, "the tracefs path is too long");
	if (bpfkit_kern_missing_privileges(BPFKIT_PRIV_TRACEFS, dir, events, sizeof(events)) == 1)
		return no(why, size, "%s", events);
	return 1;
}

bool feature_have_kprobes(const char *pmu_dir, const char *tracefs, char *why, size_t why_size)
{
	char path[PATH_MAX];

	if (!kern_path(path, sizeof(path), "%s/kprobe", pmu_dir ? pmu_dir : PMU_DIR) && kern_exists(path))
		return true;
	if (tracefs && !kern_path(path, sizeof(path), "%s/kprobe_events", tracefs) && kern_exists(path))
		return true;
	no(why, why_size, "kprobes are not available on this kernel (CONFIG_KPROBES off or kprobe_events missing)");
	return false;
}

static bool have_uprobes(const char *tracefs)
{
	char path[PATH_MAX];

	if (kern_exists(PMU_DIR "/uprobe"))
		return true;
	return tracefs && !kern_path(path, sizeof(path), "%s/uprobe_events", tracefs) && kern_exists(path);
}

/* kprobes or uprobes: the probe mechanism, then a BPF_PROG_TYPE_KPROBE load. */
static int probe_kuprobe(bool kprobe, char *why, size_t size)
{
	char dir[PATH_MAX], inner[256];
	const char *tracefs = kern_tracefs(dir, sizeof(dir), NULL) ? NULL : dir;
	int err;

	if (kprobe && !feature_have_kprobes(NULL, tracefs, why, size))
		return 0;
	if (!kprobe && !have_uprobes(tracefs))
		return no(why, size,
			  "uprobes are not available on this kernel (CONFIG_UPROBE_EVENTS off or uprobe_events missing)");
	if (!need_bpf(inner, sizeof(inner)))
		return no(why, size, "%s: %s", kprobe ? "kprobes" : "uprobes", inner);
	err = try_load(BPF_PROG_TYPE_KPROBE, 0, 0);
	if (err)
		return no(why, size, "the kernel refused a %s program: %s", kprobe ? "kprobe" : "uprobe",
			  strerror(-err));
	return 1;
}

/*
 * BTF-typed programs (tp_btf, fentry, LSM): find the target's BTF id by one
 * of @p targets, then load a program of @p type / @p attach against it.
 */
static int probe_btf_prog(const char *what, enum bpf_prog_type type, enum bpf_attach_type attach,
			  unsigned kind, const char *const *targets, const char *no_target, const char *refused,
			  char *why, size_t size)
{
	char inner[256];
	struct kbtf btf;
	int id = -ENOENT, err;

	if (!need_bpf(inner, sizeof(inner)))
		return no(why, size, "%s: %s", what, inner);
	if (!load_btf(&btf, inner, sizeof(inner)))
		return no(why, size, "%s need BTF: %s", what, inner);
	for (; *targets && id < 0; targets++)
		id = kbtf_find(&btf, kind, *targets);
	kbtf_release(&btf);
	if (id < 0)
		return no(why, size, "%s", no_target);
	err = try_load(type, attach, (uint32_t)id);
	if (err == -EINVAL || err == -E2BIG)
		return no(why, size, "this kernel cannot load %s (too old: %s)", what, strerror(-err));
	if (err == -EPERM || err == -EACCES)
		return no(why, size, "the kernel refused to load %s: %s (%s)", what, strerror(-err),
			  geteuid() ? "this needs root" : "a security policy, lockdown or an LSM, forbids them here");
	if (err == -ENOTSUPP_KERNEL || err == -EOPNOTSUPP)
		return no(why, size, "this kernel does not support %s (%s)", what, refused);
	if (err)
		return no(why, size, "the kernel refused to load %s: %s (%s)", what, strerror(-err), refused);
	return 1;
}

/* Create the smallest ring buffer map (one page) and close it. */
static int probe_ringbuf(char *why, size_t size)
{
	union bpf_attr attr;
	long page = sysconf(_SC_PAGESIZE);
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_RINGBUF;
	attr.max_entries = page > 0 ? (uint32_t)page : 4096;
	fd = sys_bpf(BPF_MAP_CREATE, &attr);
	if (fd < 0 && errno == ENOSYS)
		return no(why, size, "this kernel has no bpf() syscall (CONFIG_BPF_SYSCALL off)");
	if (fd < 0 && (errno == EPERM || errno == EACCES))
		return no(why, size, "creating BPF maps is not permitted: it needs root (CAP_BPF or CAP_SYS_ADMIN)");
	if (fd < 0 && errno == EINVAL)
		return no(why, size, "this kernel has no BPF ring buffer (it needs Linux 5.8 or later)");
	if (fd < 0)
		return no(why, size, "cannot create a BPF ring buffer: %s", strerror(errno));
	close(fd);
	return 1;
}

/* A system-wide software perf event, as profile and interval probes open them. */
static int probe_perf_event(char *why, size_t size)
{
	struct perf_event_attr attr;
	char *paranoid = NULL;
	size_t len;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.size = sizeof(attr);
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.sample_period = 1000000;
	attr.disabled = 1;
	fd = (int)syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	if (errno == ENOSYS || errno == ENOENT)
		return no(why, size, "this kernel has no perf events (CONFIG_PERF_EVENTS off)");
	if (errno == EACCES || errno == EPERM) {
		kern_read_file(AT_FDCWD, "/proc/sys/kernel/perf_event_paranoid", 64, &paranoid, &len);
		no(why, size, "system-wide perf events are not permitted (kernel.perf_event_paranoid = %.*s; "
			      "root or CAP_PERFMON is needed)",
		   paranoid ? (int)strcspn(paranoid, "\n") : 1, paranoid ? paranoid : "?");
		free(paranoid);
		return 0;
	}
	return no(why, size, "perf_event_open failed: %s", strerror(errno));
}

/* Dispatch to the test for @p feat; see kern.h for the contract. */
int bpfkit_feature_probe(enum bpfkit_feature feat, char *why, size_t why_size)
{
	static const char *const tp_targets[] = { "btf_trace_sched_switch", "btf_trace_sys_enter", NULL };
	static const char *const fentry_targets[] = { "bpf_fentry_test1", "vfs_read", "do_nanosleep", NULL };
	static const char *const lsm_targets[] = { "bpf_lsm_file_open", "bpf_lsm_bpf", NULL };
	char dir[PATH_MAX];

	if (why && why_size)
		why[0] = '\0';
	switch (feat) {
	case BPFKIT_FEATURE_BPF: return probe_bpf(why, why_size);
	case BPFKIT_FEATURE_BTF: return probe_btf(why, why_size);
	case BPFKIT_FEATURE_TRACEFS: return probe_tracefs(why, why_size, dir, sizeof(dir));
	case BPFKIT_FEATURE_TRACEPOINT:
		if (!kern_exists(PMU_DIR "/tracepoint"))
			return no(why, why_size, "this kernel has no tracepoint events (CONFIG_TRACEPOINTS off)");
		return probe_tracefs(why, why_size, dir, sizeof(dir));
	case BPFKIT_FEATURE_RAW_TP: {
		char inner[256];
		int err;

		if (!need_bpf(inner, sizeof(inner)))
			return no(why, why_size, "raw tracepoints: %s", inner);
		err = try_load(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0);
		if (err == -EINVAL)
			return no(why, why_size, "this kernel has no raw tracepoint programs (they need Linux 4.17)");
		if (err)
			return no(why, why_size, "the kernel refused a raw tracepoint program: %s", strerror(-err));
		return 1;
	}
	case BPFKIT_FEATURE_TP_BTF:
		return probe_btf_prog("tp_btf programs", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, KBTF_KIND_TYPEDEF,
				      tp_targets, "the kernel's BTF has no btf_trace_* types (Linux 5.5 or later needed)",
				      "tp_btf needs Linux 5.5", why, why_size);
	case BPFKIT_FEATURE_KPROBE: return probe_kuprobe(true, why, why_size);
	case BPFKIT_FEATURE_UPROBE: return probe_kuprobe(false, why, why_size);
	case BPFKIT_FEATURE_FENTRY:
		return probe_btf_prog("fentry/fexit programs", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, KBTF_KIND_FUNC,
				      fentry_targets, "the kernel's BTF has no function to test fentry with",
				      "they need BPF trampolines: CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS on x86-64 "
				      "or arm64, and no lockdown",
				      why, why_size);
	case BPFKIT_FEATURE_LSM:
		return probe_btf_prog("LSM programs", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, KBTF_KIND_FUNC, lsm_targets,
				      "the kernel has no BPF LSM hooks (CONFIG_BPF_LSM off)",
				      "\"bpf\" must be in the lsm= boot parameter", why, why_size);
	case BPFKIT_FEATURE_RINGBUF: return probe_ringbuf(why, why_size);
	case BPFKIT_FEATURE_PERF_EVENT: return probe_perf_event(why, why_size);
	case BPFKIT_FEATURE_SDIV: return probe_sdiv(why, why_size);
	case BPFKIT_FEATURE__COUNT: break;
	}
	return -EINVAL;
}
