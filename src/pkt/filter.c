// SPDX-License-Identifier: MIT
/*
 * A filter over packets in one of four engines: the classic interpreter
 * (cbpf.c), the eBPF translation (xlate.c) in the VM's interpreter or its
 * JIT, or the kernel's form of the translation loaded into the kernel as a
 * tc program and run with BPF_PROG_TEST_RUN (libbpf's wrappers; the
 * tracer's src/kern/ has no use for one-shot program runs). The VM runs
 * over one input region, so each packet is copied behind a struct
 * bpfkit_pkt_hdr that carries its wire length.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <bpf/bpf.h>

#include <bpfkit/vm.h>

#include "pkt_int.h"

#define PKT_MAX (16u << 20) /* the largest packet a filter takes */

struct bpfkit_pkt_filter {
	enum bpfkit_pkt_engine engine;
	struct bpfkit_cbpf_insn *insns;
	size_t len;
	struct bpfkit_prog *ebpf;
	struct bpfkit_vm *vm;
	int kfd; /* the kernel engine's program, or -1 */
	uint8_t *buf; /* header + packet, for the VM */
	size_t cap;
};

/* Translate and load the eBPF, compiled to native code for the JIT. */
static int filter_load_vm(struct bpfkit_pkt_filter *f, struct bpfkit_diag *diag)
{
	struct bpfkit_jit_opts opts = { .no_count = true };
	int err;

	err = bpfkit_cbpf_to_ebpf(f->insns, f->len, BPFKIT_CBPF_TARGET_VM, &f->ebpf, diag);
	if (err)
		return err;
	f->vm = bpfkit_vm__new();
	if (!f->vm)
		return bpfkit_diag__set(diag, -errno, "out of memory");
	err = bpfkit_vm__load(f->vm, f->ebpf->insns, f->ebpf->len, diag);
	if (!err && f->engine == BPFKIT_PKT_ENGINE_JIT)
		err = bpfkit_vm__jit_compile(f->vm, &opts, diag);
	return err;
}

/* Translate for the kernel and load it as a tc program (LD_ABS/LD_IND are
 * allowed there, and BPF_PROG_TEST_RUN hands it the whole frame). When the
 * verifier refuses it, load it again with a log and put the log's last
 * line in @p diag (the kernel keeps the tail of a log that overflows). */
static int filter_load_kernel(struct bpfkit_pkt_filter *f, struct bpfkit_diag *diag)
{
	static char log[65536];
	size_t n;
	char *last;
	int err;

	err = bpfkit_cbpf_to_ebpf(f->insns, f->len, BPFKIT_CBPF_TARGET_KERNEL, &f->ebpf, diag);
	if (err)
		return err;
	f->kfd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "filter", "GPL", (const void *)f->ebpf->insns,
			       f->ebpf->len, NULL);
	if (f->kfd >= 0)
		return 0;
	err = -errno;
	if (err == -EPERM)
		return bpfkit_diag__set(diag, err, "BPF_PROG_LOAD: %s (the kernel engine needs root)", strerror(EPERM));
	LIBBPF_OPTS(bpf_prog_load_opts, lo, .log_buf = log, .log_size = sizeof(log), .log_level = 1);
	log[0] = 0;
	f->kfd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "filter", "GPL", (const void *)f->ebpf->insns,
			       f->ebpf->len, &lo);
	if (f->kfd >= 0) /* accepted the second time: keep it */
		return 0;
	n = strlen(log);
	while (n && log[n - 1] == '\n')
		log[--n] = 0;
	/* the verifier's message is the line before its "processed N insns" summary */
	last = strrchr(log, '\n');
	if (last && !strncmp(last + 1, "processed ", 10)) {
		*last = 0;
		last = strrchr(log, '\n');
	}
	return bpfkit_diag__set(diag, err, "BPF_PROG_LOAD: %s%s%s", strerror(-err), log[0] ? ": " : "",
				last ? last + 1 : log);
}

struct bpfkit_pkt_filter *bpfkit_pkt_filter__new(const struct bpfkit_cbpf_insn *insns, size_t len,
						 enum bpfkit_pkt_engine engine, struct bpfkit_diag *diag)
{
	struct bpfkit_pkt_filter *f;
	int err;

	err = bpfkit_cbpf_check(insns, len, diag);
	if (err) {
		errno = -err;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f || !(f->insns = malloc(len * sizeof(*insns)))) {
		err = bpfkit_diag__set(diag, -ENOMEM, "out of memory");
		goto err;
	}
	memcpy(f->insns, insns, len * sizeof(*insns));
	f->len = len;
	f->engine = engine;
	f->kfd = -1;
	if (engine == BPFKIT_PKT_ENGINE_KERNEL)
		err = filter_load_kernel(f, diag);
	else if (engine != BPFKIT_PKT_ENGINE_CBPF)
		err = filter_load_vm(f, diag);
	if (err)
		goto err;
	return f;
err:
	bpfkit_pkt_filter__free(f);
	errno = -err;
	return NULL;
}

void bpfkit_pkt_filter__free(struct bpfkit_pkt_filter *f)
{
	if (!f)
		return;
	bpfkit_vm__free(f->vm);
	if (f->engine == BPFKIT_PKT_ENGINE_KERNEL && f->kfd >= 0)
		close(f->kfd);
	bpfkit_prog__free(f->ebpf);
	free(f->insns);
	free(f->buf);
	free(f);
}

const struct bpfkit_prog *bpfkit_pkt_filter__ebpf(const struct bpfkit_pkt_filter *f)
{
	return f->ebpf;
}

int bpfkit_pkt_filter__run(struct bpfkit_pkt_filter *f, const uint8_t *pkt, uint32_t caplen,
			   uint32_t wirelen, uint32_t *ret, struct bpfkit_diag *diag)
{
	struct bpfkit_pkt_hdr hdr = { .wire_len = wirelen };
	size_t need = BPFKIT_PKT_HDR_LEN + (size_t)caplen;
	uint64_t r0;
	int err;

	*ret = 0;
	if (caplen > PKT_MAX)
		return bpfkit_diag__set(diag, -EFBIG, "packet of %u bytes: a filter takes at most %u", caplen,
					PKT_MAX);
	if (f->engine == BPFKIT_PKT_ENGINE_CBPF) {
		*ret = bpfkit_cbpf_run(f->insns, f->len, pkt, caplen, wirelen);
		return 0;
	}
	if (f->engine == BPFKIT_PKT_ENGINE_KERNEL) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = caplen, .repeat = 1);

		if (caplen < 14)
			return bpfkit_diag__set(diag, -EMSGSIZE, "the kernel takes packets of 14 bytes or more, not %u",
						caplen);
		/* it refuses frames cut inside their IPv4 or IPv6 header too */
		if (bpf_prog_test_run_opts(f->kfd, &o))
			return errno == EINVAL ? bpfkit_diag__set(diag, -EMSGSIZE, "the kernel refuses this "
							     "frame of %u bytes (cut inside its network header?)", caplen)
					       : bpfkit_diag__set(diag, -errno, "BPF_PROG_TEST_RUN: %s", strerror(errno));
		*ret = o.retval;
		return 0;
	}
	if (need > f->cap) {
		size_t cap = need < 2048 ? 2048 : need;
		uint8_t *p = realloc(f->buf, cap);

		if (!p)
			return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
		f->buf = p;
		f->cap = cap;
	}
	memcpy(f->buf, &hdr, sizeof(hdr));
	memcpy(f->buf + BPFKIT_PKT_HDR_LEN, pkt, caplen);
	err = bpfkit_vm__run(f->vm, f->buf, need, &r0, NULL, diag);
	if (err)
		return err;
	*ret = (uint32_t)r0;
	return 0;
}
