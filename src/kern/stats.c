// SPDX-License-Identifier: MIT
/*
 * The kernel's own timing of BPF programs (BPF_ENABLE_STATS, kernel >= 5.8):
 * while the fd that BPF_ENABLE_STATS returns is open, the kernel adds each
 * run's time to the program's run_time_ns and counts it in run_cnt, both read
 * back through BPF_OBJ_GET_INFO_BY_FD. Unlike `sysctl
 * kernel.bpf_stats_enabled=1`, nothing is left switched on if the tracer
 * dies: closing the fd (or exiting) turns it off. The figures include the
 * kernel's two clock reads per run (the cost of an empty program); tail
 * calls are not timed on their own (their time counts for the caller).
 */
#include <errno.h>
#include <string.h>

#include <linux/bpf.h>
#include <bpf/bpf.h>

#include "kern/kern_int.h"
#include "kern/load_int.h"

int bpfkit_kern_stats_enable(struct bpfkit_diag *d)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	if (fd >= 0)
		return fd;
	if (fd == -EINVAL)
		return bpfkit_diag__set(d, fd, "this kernel cannot time BPF programs (BPF_ENABLE_STATS needs Linux 5.8)");
	return kload_error(d, fd, "cannot enable the kernel's BPF statistics");
}

int bpfkit_kern_session__prog_stats(const struct bpfkit_kern_session *s, size_t prog,
				    struct bpfkit_kern_prog_stats *st)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	int err;

	memset(st, 0, sizeof(*st));
	if (!s || prog >= s->nprogs || s->progs[prog].fd < 0)
		return -EBADF;
	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info_by_fd(s->progs[prog].fd, &info, &len);
	if (err)
		return err < 0 ? err : -errno;
	st->run_time_ns = info.run_time_ns;
	st->run_cnt = info.run_cnt;
	st->insns = info.xlated_prog_len / sizeof(struct bpf_insn);
	st->jited_bytes = info.jited_prog_len;
	st->dispatched = s->progs[prog].via != 0;
	return 0;
}
