// SPDX-License-Identifier: MIT
/*
 * A filter over packets in one of four engines: the classic interpreter
 * (cbpf.c), the eBPF translation (xlate.c) in the VM's interpreter or its
 * JIT, or the kernel's form of the translation loaded into the kernel as a
 * tc program and run with BPF_PROG_TEST_RUN through a src/kern session
 * (bpfkit_kern_session__run_data()). The VM runs
 * over one input region, so each packet is copied behind a struct
 * bpfkit_pkt_hdr that carries its wire length.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include <bpfkit/kern.h>
#include <bpfkit/vm.h>

#include "pkt_int.h"

#define PKT_MAX (16u << 20) /* the largest packet a filter takes */

struct bpfkit_pkt_filter {
	enum bpfkit_pkt_engine engine;
	struct bpfkit_cbpf_insn *insns;
	size_t len;
	struct bpfkit_prog *ebpf;
	struct bpfkit_vm *vm;
	struct bpfkit_kern_session *ks; /* the kernel engine's session, or NULL */
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

/* Translate to the kernel's form and load it as a tc program (SCHED_CLS:
 * the packet loads the translation emits are allowed there, and
 * BPF_PROG_TEST_RUN hands it the whole frame). A verifier rejection is the
 * kern layer's message: the failing instruction and the log's last line. */
static int filter_load_kernel(struct bpfkit_pkt_filter *f, struct bpfkit_diag *diag)
{
	struct bpfkit_kern_prog_spec spec = { .attach = BPFKIT_KERN_ATTACH_TEST_RUN,
					      .prog_type = BPF_PROG_TYPE_SCHED_CLS };
	struct bpfkit_kern_verifier_log vlog = { .prog = -1, .insn = -1 };
	int err;

	err = bpfkit_cbpf_to_ebpf(f->insns, f->len, BPFKIT_CBPF_TARGET_KERNEL, &f->ebpf, diag);
	if (err)
		return err;
	spec.prog = f->ebpf;
	f->ks = bpfkit_kern_session__new(NULL, 0, &spec, 1, NULL, &vlog, diag);
	free(vlog.text);
	return f->ks ? 0 : (errno ? -errno : -EINVAL);
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
	bpfkit_kern_session__free(f->ks);
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
		uint32_t rv = 0;

		if (caplen < 14)
			return bpfkit_diag__set(diag, -EMSGSIZE, "the kernel takes packets of 14 bytes or more, not %u",
						caplen);
		/* it refuses frames cut inside their IPv4 or IPv6 header too */
		err = bpfkit_kern_session__run_data(f->ks, 0, pkt, caplen, &rv, diag);
		if (err == -EINVAL)
			return bpfkit_diag__set(diag, -EMSGSIZE, "the kernel refuses this frame of %u bytes (cut "
						"inside its network header?)", caplen);
		if (err)
			return err;
		*ret = rv;
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
