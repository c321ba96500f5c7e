/* SPDX-License-Identifier: MIT */
/* Private to src/pkt/: the classic BPF encoding (named CBPF_* so that files
 * including libpcap's <pcap/bpf.h>, which spells them BPF_*, see no clash). */
#ifndef BPFKIT_PKT_INT_H
#define BPFKIT_PKT_INT_H

#include <bpfkit/pkt.h>

/* classes: code & 0x07 */
#define CBPF_CLASS(c) ((c) & 0x07)
#define CBPF_LD 0x00
#define CBPF_LDX 0x01
#define CBPF_ST 0x02
#define CBPF_STX 0x03
#define CBPF_ALU 0x04
#define CBPF_JMP 0x05
#define CBPF_RET 0x06
#define CBPF_MISC 0x07

/* loads: size = code & 0x18, mode = code & 0xe0 */
#define CBPF_SIZE(c) ((c) & 0x18)
#define CBPF_W 0x00
#define CBPF_H 0x08
#define CBPF_B 0x10
#define CBPF_MODE(c) ((c) & 0xe0)
#define CBPF_IMM 0x00
#define CBPF_ABS 0x20
#define CBPF_IND 0x40
#define CBPF_MEM 0x60
#define CBPF_LEN 0x80
#define CBPF_MSH 0xa0

/* ALU and jumps: op = code & 0xf0, source = code & 0x08 (the same values as
 * eBPF's, which kept them) */
#define CBPF_OP(c) ((c) & 0xf0)
#define CBPF_SRC(c) ((c) & 0x08)
#define CBPF_K 0x00
#define CBPF_X 0x08

/* RET: the value returned, code & 0x18 */
#define CBPF_RVAL(c) ((c) & 0x18)
#define CBPF_A 0x10

/* MISC: code & 0xf8 */
#define CBPF_MISCOP(c) ((c) & 0xf8)
#define CBPF_TAX 0x00
#define CBPF_TXA 0x80

/* Size in bytes of a LD ABS/IND access (4, 2 or 1). */
static inline unsigned cbpf_load_size(uint16_t code)
{
	return CBPF_SIZE(code) == CBPF_W ? 4 : CBPF_SIZE(code) == CBPF_H ? 2 : 1;
}

#endif
