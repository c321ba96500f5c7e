/* SPDX-License-Identifier: MIT */
/**
 * @file pkt.h
 * @brief The packet layer: tcpdump filter expressions compiled by libpcap to
 *        classic BPF, a classic BPF checker and interpreter, the translation
 *        of classic BPF to eBPF (the kernel's socket-filter conversion, made
 *        to run in bpfkit's VM), a filter that runs either form over packets,
 *        and pcap/pcapng files read and written through libpcap.
 *
 * Nothing here prints or exits: errors come back as a negative errno with
 * the reason in a struct bpfkit_diag (libpcap's own message where libpcap
 * found the error). Functions that return allocated memory say so; the
 * caller frees it with the matching bpfkit_*__free() (which accepts NULL)
 * or free().
 */
#ifndef BPFKIT_PKT_H
#define BPFKIT_PKT_H

#include <bpfkit/isa.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Classic BPF ----------------------------------------------------------- */

/** One classic BPF instruction, laid out as libpcap's struct bpf_insn and
 *  the kernel's struct sock_filter. */
struct bpfkit_cbpf_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

#define BPFKIT_CBPF_MAXINSNS 4096 /* the kernel's BPF_MAXINSNS */
#define BPFKIT_CBPF_MEMWORDS 16 /* scratch words M[0..15] */

/** The link type an expression is compiled for when none is given. */
#define BPFKIT_PKT_DLT_DEFAULT 1 /* DLT_EN10MB, Ethernet */
/** The snap length an expression is compiled with when none is given
 *  (tcpdump's default): a match returns it. */
#define BPFKIT_PKT_SNAPLEN_DEFAULT 262144

/**
 * Compile a tcpdump filter expression with libpcap's pcap_compile(), for
 * link type @p linktype (a DLT_ value) and snap length @p snaplen,
 * optimized as tcpdump does unless @p no_optimize. The netmask is unknown
 * (so `ip broadcast` is refused, as tcpdump -d refuses it).
 * @return 0 and a malloc'd array in *@p out of *@p len instructions, or
 *         -EINVAL with libpcap's message in @p diag (-ENOMEM).
 */
BPFKIT_API int bpfkit_pkt_compile(const char *expr, int linktype, int snaplen, bool no_optimize,
				  struct bpfkit_cbpf_insn **out, size_t *len, struct bpfkit_diag *diag);

/** The DLT_ value of a link-type name ("EN10MB", "RAW", "LINUX_SLL", or a
 *  number), or -1 when libpcap knows no such name. */
BPFKIT_API int bpfkit_pkt_linktype(const char *name);

/** libpcap's name of link type @p dlt ("EN10MB"), or NULL if unknown. */
BPFKIT_API const char *bpfkit_pkt_linktype_name(int dlt);

/** The forms `tcpdump -d`, `-dd` and `-ddd` print a program in. */
enum bpfkit_cbpf_dump {
	BPFKIT_CBPF_DUMP_ASM = 1, /* -d: "(000) ldh      [12]", libpcap's bpf_image() */
	BPFKIT_CBPF_DUMP_C = 2, /* -dd: "{ 0x28, 0, 0, 0x0000000c }," */
	BPFKIT_CBPF_DUMP_DEC = 3, /* -ddd: the count, then "40 0 0 12" lines */
};

/**
 * Format a classic program the way tcpdump -d/-dd/-ddd prints it, byte for
 * byte (libpcap's bpf_dump()), one line per instruction.
 * @return malloc'd NUL-terminated text, or NULL with errno.
 */
BPFKIT_API char *bpfkit_cbpf_dump(const struct bpfkit_cbpf_insn *insns, size_t len,
				  enum bpfkit_cbpf_dump form);

/**
 * Check a classic program as the kernel's sk_chk_filter() does before it
 * accepts a socket filter: 1 to BPFKIT_CBPF_MAXINSNS instructions, known
 * opcodes, jumps that land inside the program, constant divisors that are
 * not zero, constant shifts below 32, M[] indexes below 16, and a last
 * instruction that returns.
 * @return 0, or -EINVAL with the instruction index and reason in @p diag.
 */
BPFKIT_API int bpfkit_cbpf_check(const struct bpfkit_cbpf_insn *insns, size_t len,
				 struct bpfkit_diag *diag);

/**
 * Run a checked classic program over one packet with classic semantics
 * (libpcap's bpf_filter()): @p pkt holds the @p caplen captured bytes of a
 * packet that was @p wirelen long on the wire (`len` loads wirelen); a load
 * beyond caplen, or a division by a zero X, ends the program returning 0.
 * @return the program's return value: the bytes to keep, 0 = no match.
 */
BPFKIT_API uint32_t bpfkit_cbpf_run(const struct bpfkit_cbpf_insn *insns, size_t len,
				    const uint8_t *pkt, uint32_t caplen, uint32_t wirelen);

/* ---- Classic BPF to eBPF --------------------------------------------------- */

/**
 * The input memory of a translated program: this header, then the packet's
 * captured bytes. r1 points at the header, r2 = BPFKIT_PKT_HDR_LEN + caplen
 * (the VM's bpfkit_vm__run() convention), so the program learns caplen from
 * r2 and reads the wire length (`len`) from the header.
 */
struct bpfkit_pkt_hdr {
	uint32_t wire_len;
	uint32_t reserved; /* 0 */
};
#define BPFKIT_PKT_HDR_LEN 8

/** What a translated program runs in, and so how it reaches the packet. */
enum bpfkit_cbpf_target {
	/** bpfkit's VM and JIT: r1 = struct bpfkit_pkt_hdr + the packet, r2 =
	 *  its length; packet loads are bounds checks and plain loads. */
	BPFKIT_CBPF_TARGET_VM,
	/** The kernel, as a tc (BPF_PROG_TYPE_SCHED_CLS) program: r1 = the
	 *  __sk_buff, packet loads are the legacy LD_ABS/LD_IND instructions
	 *  (which return 0 from the program when out of bounds), `len` is
	 *  skb->len. What the kernel's own conversion emits, but for the
	 *  ancillary loads (negative offsets), which stay out-of-bounds loads. */
	BPFKIT_CBPF_TARGET_KERNEL,
};

/**
 * Translate a classic program to eBPF with the kernel's register mapping
 * (net/core/filter.c, bpf_convert_filter()): A in r0, X in r7, M[] in 16
 * 32-bit slots at r10-64, all arithmetic 32-bit. For BPFKIT_CBPF_TARGET_VM
 * each packet load is a bounds check against caplen (r9) that returns 0
 * when it fails, then a plain load from the packet (r6) and a big-endian
 * conversion, so the program runs in bpfkit's VM and JIT. Either way X = 0
 * for a division or modulo returns 0, as classic BPF does, and the
 * program's r0 is the classic return value. @p insns must pass
 * bpfkit_cbpf_check() (checked again here).
 * @return 0 and a new program in *@p out (free with bpfkit_prog__free()),
 *         or -EINVAL / -E2BIG (too long for 16-bit jumps) with @p diag.
 */
BPFKIT_API int bpfkit_cbpf_to_ebpf(const struct bpfkit_cbpf_insn *insns, size_t len,
				   enum bpfkit_cbpf_target target, struct bpfkit_prog **out,
				   struct bpfkit_diag *diag);

/* ---- Running a filter over packets ----------------------------------------- */

/** Where a filter runs. */
enum bpfkit_pkt_engine {
	BPFKIT_PKT_ENGINE_CBPF, /* bpfkit_cbpf_run(): the classic interpreter */
	BPFKIT_PKT_ENGINE_VM, /* the translated eBPF in the VM's interpreter */
	BPFKIT_PKT_ENGINE_JIT, /* the translated eBPF in the VM's x86-64 JIT */
	/** The kernel's translation target, loaded as a tc program and run
	 *  with BPF_PROG_TEST_RUN, one packet a run (root). The kernel gets
	 *  the captured bytes only, so `len` is caplen there, and it refuses
	 *  (-EMSGSIZE) frames shorter than an Ethernet header, or cut inside
	 *  their IPv4 or IPv6 header. */
	BPFKIT_PKT_ENGINE_KERNEL,
};

struct bpfkit_pkt_filter;

/**
 * A filter ready to run over packets: checks @p insns, and for the VM and
 * the JIT translates them and loads (compiles) the eBPF. Owns copies of
 * both programs. NULL with errno (and @p diag) on failure.
 */
BPFKIT_API struct bpfkit_pkt_filter *bpfkit_pkt_filter__new(const struct bpfkit_cbpf_insn *insns,
							    size_t len, enum bpfkit_pkt_engine engine,
							    struct bpfkit_diag *diag);

/** Free a filter. Accepts NULL. */
BPFKIT_API void bpfkit_pkt_filter__free(struct bpfkit_pkt_filter *f);

/** The translated eBPF program (NULL for BPFKIT_PKT_ENGINE_CBPF). */
BPFKIT_API const struct bpfkit_prog *bpfkit_pkt_filter__ebpf(const struct bpfkit_pkt_filter *f);

/**
 * Run the filter over one packet (@p caplen bytes at @p pkt, @p wirelen on
 * the wire; caplen at most 16 MiB).
 * @return 0 with the return value in *@p ret (bytes to keep, 0 = no
 *         match), or a negative errno: -EFBIG for a larger packet, or the
 *         VM's fault (which a checked program never causes) with @p diag.
 */
BPFKIT_API int bpfkit_pkt_filter__run(struct bpfkit_pkt_filter *f, const uint8_t *pkt, uint32_t caplen,
				      uint32_t wirelen, uint32_t *ret, struct bpfkit_diag *diag);

/* ---- Capture files (libpcap) ----------------------------------------------- */

/** One packet's record header. */
struct bpfkit_pcap_rec {
	int64_t ts_sec;
	uint32_t ts_usec;
	uint32_t caplen; /* bytes captured */
	uint32_t len; /* bytes on the wire; caplen < len: the capture cut it short */
};

struct bpfkit_pcap_reader;
struct bpfkit_pcap_writer;

/**
 * Open a pcap or pcapng file for reading ("-" is standard input).
 * @return 0 and *@p out, or a negative errno with libpcap's reason (not a
 *         capture file, truncated header, unsupported version) in @p diag.
 */
BPFKIT_API int bpfkit_pcap_reader__open(const char *path, struct bpfkit_pcap_reader **out,
					struct bpfkit_diag *diag);

/**
 * bpfkit_pcap_reader__open() for a capture already in memory (@p buf is
 * read in place and must outlive the reader); @p name is for messages.
 */
BPFKIT_API int bpfkit_pcap_reader__open_mem(const void *buf, size_t len, const char *name,
					    struct bpfkit_pcap_reader **out, struct bpfkit_diag *diag);

/** Close a reader. Accepts NULL. */
BPFKIT_API void bpfkit_pcap_reader__close(struct bpfkit_pcap_reader *r);

/** The file's link type (DLT_ value) and snap length. */
BPFKIT_API int bpfkit_pcap_reader__linktype(const struct bpfkit_pcap_reader *r);
BPFKIT_API int bpfkit_pcap_reader__snaplen(const struct bpfkit_pcap_reader *r);

/**
 * The next packet: its header in *@p rec and its bytes in *@p data (valid
 * until the next call).
 * @return 1 for a packet, 0 at the end, or -EIO with libpcap's reason
 *         ("truncated dump file; tried to read 100 captured bytes, only got
 *         20") and the packet number in @p diag.
 */
BPFKIT_API int bpfkit_pcap_reader__next(struct bpfkit_pcap_reader *r, struct bpfkit_pcap_rec *rec,
					const uint8_t **data, struct bpfkit_diag *diag);

/**
 * Create (truncate) a pcap file with link type @p linktype and snap length
 * @p snaplen in its header ("-" is standard output).
 * @return 0 and *@p out, or a negative errno with the reason in @p diag.
 */
BPFKIT_API int bpfkit_pcap_writer__open(const char *path, int linktype, int snaplen,
					struct bpfkit_pcap_writer **out, struct bpfkit_diag *diag);

/** Append one packet (@p rec->caplen bytes of @p data). 0 or -errno. */
BPFKIT_API int bpfkit_pcap_writer__write(struct bpfkit_pcap_writer *w, const struct bpfkit_pcap_rec *rec,
					 const uint8_t *data);

/** Flush and close. 0, or -EIO when a write failed (disk full). Accepts NULL. */
BPFKIT_API int bpfkit_pcap_writer__close(struct bpfkit_pcap_writer *w);

/* ---- Live capture (Linux AF_PACKET) -------------------------------------------- */

struct bpfkit_pkt_live;

/**
 * Capture on interface @p ifname (Ethernet or loopback: link type EN10MB)
 * with @p insns attached as the socket's classic filter (SO_ATTACH_FILTER):
 * the kernel runs it, and only packets it matches are read, each cut to
 * the length it returned. Needs CAP_NET_RAW.
 * @return 0 and *@p out, or -ENODEV (no such interface), -EPERM,
 *         -EOPNOTSUPP (another hardware type), -EINVAL (a program the
 *         checker or the kernel refuses), with @p diag.
 */
BPFKIT_API int bpfkit_pkt_live__open(const char *ifname, const struct bpfkit_cbpf_insn *insns, size_t len,
				     struct bpfkit_pkt_live **out, struct bpfkit_diag *diag);

/** Close a capture. Accepts NULL. */
BPFKIT_API void bpfkit_pkt_live__close(struct bpfkit_pkt_live *l);

/**
 * Wait up to @p timeout_ms (-1: for ever) for the next packet; copy at
 * most @p size bytes of it into @p buf.
 * @return 1 with *@p rec filled (len = the packet as the filter kept it,
 *         caplen = what was copied), 0 on timeout, -EINTR when a signal
 *         came, or another -errno with @p diag.
 */
BPFKIT_API int bpfkit_pkt_live__next(struct bpfkit_pkt_live *l, struct bpfkit_pcap_rec *rec, uint8_t *buf,
				     size_t size, int timeout_ms, struct bpfkit_diag *diag);

/** Packets the kernel dropped since the last call (its queue was full). 0 or -errno. */
BPFKIT_API int bpfkit_pkt_live__drops(struct bpfkit_pkt_live *l, unsigned long *drops);

#ifdef __cplusplus
}
#endif

#endif /* BPFKIT_PKT_H */
