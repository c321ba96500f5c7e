// SPDX-License-Identifier: MIT
/*
 * Fuzz the classic BPF checker and the translation to eBPF: the first byte
 * sizes a packet, the next bytes fill it, the rest is a classic program (8
 * bytes an instruction, libpcap's layout). A program the checker accepts
 * must translate, load in the VM, never fault, and return what the
 * classic interpreter returns, over the packet cut to every length from
 * its full size down (so loads at and past caplen are exercised); the JIT
 * must agree too. A refused program must name an instruction inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/pkt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfkit_pkt_filter *vm = NULL, *jit = NULL;
	struct bpfkit_cbpf_insn *insns;
	struct bpfkit_diag diag;
	uint8_t *pkt;
	size_t pkt_len, n;

	if (size < 1)
		return 0;
	pkt_len = data[0];
	data++, size--;
	if (pkt_len > size)
		pkt_len = size;
	n = (size - pkt_len) / sizeof(*insns);
	pkt = malloc(pkt_len ? pkt_len : 1);
	insns = malloc(n ? n * sizeof(*insns) : 1);
	if (!pkt || !insns)
		goto out;
	memcpy(pkt, data, pkt_len);
	memcpy(insns, data + pkt_len, n * sizeof(*insns));
	if (bpfkit_cbpf_check(insns, n, &diag)) {
		if (diag.insn >= (long)n)
			abort();
		goto out;
	}
	vm = bpfkit_pkt_filter__new(insns, n, BPFKIT_PKT_ENGINE_VM, &diag);
	jit = bpfkit_pkt_filter__new(insns, n, BPFKIT_PKT_ENGINE_JIT, &diag);
	if (!vm || !jit)
		abort(); /* a checked program always translates and loads */
	for (size_t cap = pkt_len + 1; cap-- > 0;) {
		uint32_t want = bpfkit_cbpf_run(insns, n, pkt, (uint32_t)cap, (uint32_t)pkt_len), v = 0, j = 0;

		if (bpfkit_pkt_filter__run(vm, pkt, (uint32_t)cap, (uint32_t)pkt_len, &v, &diag) ||
		    bpfkit_pkt_filter__run(jit, pkt, (uint32_t)cap, (uint32_t)pkt_len, &j, &diag))
			abort();
		if (v != want || j != want)
			abort();
	}
out:
	bpfkit_pkt_filter__free(vm);
	bpfkit_pkt_filter__free(jit);
	free(insns);
	free(pkt);
	return 0;
}
