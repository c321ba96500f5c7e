// SPDX-License-Identifier: MIT
/*
 * bpf_objects: how many BPF programs, maps and links the kernel holds,
 * counted with BPF_{PROG,MAP,LINK}_GET_NEXT_ID. Prints "progs N maps N
 * links N"; the tracer's tests compare it before and after a run to prove
 * nothing was left behind. Needs root (CAP_SYS_ADMIN); exits 77 without it.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Count the ids the kernel hands out for one kind of object; -errno on failure. */
static long count_ids(int cmd)
{
	union bpf_attr attr;
	long n = 0;
	__u32 id = 0;

	for (;;) {
		memset(&attr, 0, sizeof(attr));
		attr.start_id = id;
		if (syscall(SYS_bpf, cmd, &attr, sizeof(attr)) < 0)
			return errno == ENOENT ? n : -errno;
		id = attr.next_id;
		n++;
	}
}

int main(void)
{
	long p = count_ids(BPF_PROG_GET_NEXT_ID), m = count_ids(BPF_MAP_GET_NEXT_ID);
	long l = count_ids(BPF_LINK_GET_NEXT_ID);

	if (p < 0 || m < 0) {
		fprintf(stderr, "bpf_objects: %s\n", strerror((int)-(p < 0 ? p : m)));
		return p == -EPERM || m == -EPERM ? 77 : 1;
	}
	printf("progs %ld maps %ld links %ld\n", p, m, l < 0 ? 0 : l);
	return 0;
}
