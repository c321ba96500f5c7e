// SPDX-License-Identifier: MIT
/*
 * Fuzz the capture-file path of `bpfkit filter -r`: the bytes are a pcap or
 * pcapng file, read through bpfkit's reader (libpcap); for its link type a
 * filter is compiled ('tcp port 80', else the empty expression) and run in
 * the classic interpreter and the translated eBPF in the VM over every
 * packet, which must agree. Damaged files are errors, never crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/pkt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfkit_pcap_reader *r;
	struct bpfkit_pkt_filter *f = NULL;
	struct bpfkit_cbpf_insn *insns = NULL;
	struct bpfkit_pcap_rec rec;
	struct bpfkit_diag diag;
	const uint8_t *pkt;
	size_t len;
	uint8_t *copy = malloc(size ? size : 1);
	int n = 0;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (bpfkit_pcap_reader__open_mem(copy, size, "fuzz", &r, &diag)) {
		free(copy);
		return 0;
	}
	if (bpfkit_pkt_compile("tcp port 80", bpfkit_pcap_reader__linktype(r), bpfkit_pcap_reader__snaplen(r), false,
			       &insns, &len, &diag) &&
	    bpfkit_pkt_compile("", bpfkit_pcap_reader__linktype(r), 65535, false, &insns, &len, &diag))
		goto out;
	f = bpfkit_pkt_filter__new(insns, len, BPFKIT_PKT_ENGINE_VM, &diag);
	if (!f)
		abort(); /* libpcap's programs always pass the checker */
	while (n++ < 1000 && bpfkit_pcap_reader__next(r, &rec, &pkt, &diag) > 0) {
		uint32_t ret = 0;

		if (rec.caplen > (16u << 20))
			continue;
		if (bpfkit_pkt_filter__run(f, pkt, rec.caplen, rec.len, &ret, &diag))
			abort(); /* a checked program never faults */
		if (ret != bpfkit_cbpf_run(insns, len, pkt, rec.caplen, rec.len))
			abort();
	}
out:
	bpfkit_pkt_filter__free(f);
	free(insns);
	bpfkit_pcap_reader__close(r);
	free(copy);
	return 0;
}
