// SPDX-License-Identifier: MIT
/*
 * tcpdump expressions to classic BPF, through libpcap itself: pcap_compile()
 * on a dead handle of the wanted link type and snap length (what tcpdump -d
 * does), link-type names, and the -d/-dd/-ddd printing forms of tcpdump
 * (libpcap's bpf_dump(), written into a string instead of stdout).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "pkt_int.h"

int bpfkit_pkt_compile(const char *expr, int linktype, int snaplen, bool no_optimize,
		       struct bpfkit_cbpf_insn **out, size_t *len, struct bpfkit_diag *diag)
{
	struct bpf_program fp = { 0 };
	struct bpfkit_cbpf_insn *insns;
	pcap_t *p;

	_Static_assert(sizeof(struct bpf_insn) == sizeof(struct bpfkit_cbpf_insn), "bpf_insn layout");
	*out = NULL;
	*len = 0;
	if (snaplen <= 0)
		snaplen = BPFKIT_PKT_SNAPLEN_DEFAULT;
	p = pcap_open_dead(linktype, snaplen);
	if (!p)
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	if (pcap_compile(p, &fp, expr, no_optimize ? 0 : 1, PCAP_NETMASK_UNKNOWN) < 0) {
		bpfkit_diag__set(diag, -EINVAL, "%s", pcap_geterr(p));
		pcap_close(p);
		return -EINVAL;
	}
	pcap_close(p);
	insns = calloc(fp.bf_len ? fp.bf_len : 1, sizeof(*insns));
	if (!insns) {
		pcap_freecode(&fp);
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	}
	memcpy(insns, fp.bf_insns, fp.bf_len * sizeof(*insns));
	*len = fp.bf_len;
	*out = insns;
	pcap_freecode(&fp);
	return 0;
}

int bpfkit_pkt_linktype(const char *name)
{
	char *end;
	long v;

	if (!name || !*name)
		return -1;
	v = strtol(name, &end, 0);
	if (!*end && v >= 0 && v <= 0xffff)
		return (int)v;
	if (!strncasecmp(name, "DLT_", 4))
		name += 4;
	return pcap_datalink_name_to_val(name);
}

const char *bpfkit_pkt_linktype_name(int dlt)
{
	return pcap_datalink_val_to_name(dlt);
}

/*
 * tcpdump's three forms, as libpcap's bpf_dump() prints them: -d is
 * bpf_image() of each instruction (libpcap's own text, so it cannot drift
 * from tcpdump's), -dd a C array initializer, -ddd the count and then the
 * four fields in decimal.
 */
char *bpfkit_cbpf_dump(const struct bpfkit_cbpf_insn *insns, size_t len, enum bpfkit_cbpf_dump form)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	if (form == BPFKIT_CBPF_DUMP_DEC)
		fprintf(f, "%zu\n", len);
	for (size_t i = 0; i < len; i++) {
		const struct bpfkit_cbpf_insn *in = &insns[i];

		if (form == BPFKIT_CBPF_DUMP_DEC)
			fprintf(f, "%u %u %u %u\n", in->code, in->jt, in->jf, in->k);
		else if (form == BPFKIT_CBPF_DUMP_C)
			fprintf(f, "{ 0x%x, %d, %d, 0x%08x },\n", in->code, in->jt, in->jf, in->k);
		else
			fprintf(f, "%s\n", bpf_image((const struct bpf_insn *)in, (int)i));
	}
	if (fclose(f) != 0) {
		free(text);
		errno = ENOMEM;
		return NULL;
	}
	return text;
}
