// SPDX-License-Identifier: MIT
/*
 * The packet layer (src/pkt): libpcap compilation and its errors, the
 * tcpdump printing forms, the classic checker's refusals (each naming the
 * instruction), the interpreter's edge cases (loads at and past caplen,
 * X-relative loads that would wrap, len, msh, division by X = 0, shifts by
 * X >= 32), the same cases through the eBPF translation in the VM and the
 * JIT (including offsets beyond the 16-bit load offset), and a pcap file
 * written and read back.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <bpfkit/pkt.h>

#define I(c, t, f, kk) { .code = (c), .jt = (t), .jf = (f), .k = (kk) }
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_compile(void **state)
{
	struct bpfkit_cbpf_insn *insns;
	struct bpfkit_diag diag;
	size_t len;
	char *text;

	(void)state;
	assert_int_equal(bpfkit_pkt_compile("ip", 1, 0, false, &insns, &len, &diag), 0);
	assert_int_equal(len, 4);
	text = bpfkit_cbpf_dump(insns, len, BPFKIT_CBPF_DUMP_ASM);
	assert_string_equal(text, "(000) ldh      [12]\n"
				  "(001) jeq      #0x800           jt 2\tjf 3\n"
				  "(002) ret      #262144\n"
				  "(003) ret      #0\n");
	free(text);
	text = bpfkit_cbpf_dump(insns, len, BPFKIT_CBPF_DUMP_C);
	assert_string_equal(text, "{ 0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 1, 0x00000800 },\n"
				  "{ 0x6, 0, 0, 0x00040000 },\n{ 0x6, 0, 0, 0x00000000 },\n");
	free(text);
	text = bpfkit_cbpf_dump(insns, len, BPFKIT_CBPF_DUMP_DEC);
	assert_string_equal(text, "4\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n");
	free(text);
	assert_int_equal(bpfkit_cbpf_check(insns, len, &diag), 0);
	free(insns);

	assert_int_equal(bpfkit_pkt_compile("tcp port", 1, 0, false, &insns, &len, &diag), -EINVAL);
	assert_null(insns);
	assert_string_equal(diag.msg, "can't parse filter expression: syntax error");
	assert_int_equal(bpfkit_pkt_compile("ether host 1:2:3:4:5:6", 12 /* DLT_RAW */, 0, false, &insns, &len,
					    &diag), -EINVAL);
	assert_non_null(strstr(diag.msg, "ethernet addresses supported only on"));

	assert_int_equal(bpfkit_pkt_linktype("EN10MB"), 1);
	assert_int_equal(bpfkit_pkt_linktype("dlt_raw"), 12);
	assert_int_equal(bpfkit_pkt_linktype("147"), 147);
	assert_int_equal(bpfkit_pkt_linktype("nosuch"), -1);
	assert_string_equal(bpfkit_pkt_linktype_name(1), "EN10MB");
}

/* bpfkit_cbpf_check() refuses @p insns at instruction @p at with @p msg. */
static void refused(const struct bpfkit_cbpf_insn *insns, size_t len, long at, const char *msg)
{
	struct bpfkit_diag diag;
	struct bpfkit_prog *prog;

	assert_int_equal(bpfkit_cbpf_check(insns, len, &diag), -EINVAL);
	assert_int_equal(diag.insn, at);
	assert_string_equal(diag.msg, msg);
	assert_int_equal(bpfkit_cbpf_to_ebpf(insns, len, BPFKIT_CBPF_TARGET_VM, &prog, &diag), -EINVAL);
	assert_null(prog);
}

static void test_check(void **state)
{
	const struct bpfkit_cbpf_insn ja[] = { I(0x05, 0, 0, 1), I(0x06, 0, 0, 0) };
	const struct bpfkit_cbpf_insn jt[] = { I(0x15, 2, 0, 1), I(0x06, 0, 0, 0), I(0x06, 0, 0, 0) };
	const struct bpfkit_cbpf_insn noret[] = { I(0x00, 0, 0, 1) };
	const struct bpfkit_cbpf_insn mem[] = { I(0x60, 0, 0, 16), I(0x16, 0, 0, 0) };
	const struct bpfkit_cbpf_insn st[] = { I(0x03, 0, 0, 99), I(0x16, 0, 0, 0) };
	const struct bpfkit_cbpf_insn div0[] = { I(0x34, 0, 0, 0), I(0x16, 0, 0, 0) };
	const struct bpfkit_cbpf_insn sh[] = { I(0x64, 0, 0, 32), I(0x16, 0, 0, 0) };
	const struct bpfkit_cbpf_insn bad[] = { I(0x0e, 0, 0, 0) /* ret x */, I(0x16, 0, 0, 0) };
	const struct bpfkit_cbpf_insn wide[] = { I(0x106, 0, 0, 0) };

	(void)state;
	refused(ja, N(ja), 0, "ja +1 jumps past the end");
	refused(jt, N(jt), 0, "jt 2 / jf 0 jumps past the end");
	refused(noret, N(noret), 0, "the last instruction must be a ret");
	refused(mem, N(mem), 0, "M[16]: scratch index out of range (0-15)");
	refused(st, N(st), 0, "M[99]: scratch index out of range (0-15)");
	refused(div0, N(div0), 0, "division by the constant 0");
	refused(sh, N(sh), 0, "shift by 32 (constant shifts are 0-31)");
	refused(bad, N(bad), 0, "unknown classic opcode 0x0e");
	refused(wide, N(wide), 0, "unknown classic opcode 0x106");
	refused(ja, 0, -1, "a classic program has 1 to 4096 instructions, not 0");
}

/* Run @p insns over @p pkt in the classic interpreter, the VM and the JIT:
 * all three must return @p want. */
static void runs(const struct bpfkit_cbpf_insn *insns, size_t len, const uint8_t *pkt, uint32_t caplen,
		 uint32_t wirelen, uint32_t want)
{
	static const enum bpfkit_pkt_engine engines[] = { BPFKIT_PKT_ENGINE_CBPF, BPFKIT_PKT_ENGINE_VM,
							  BPFKIT_PKT_ENGINE_JIT };
	struct bpfkit_diag diag;

	assert_int_equal(bpfkit_cbpf_run(insns, len, pkt, caplen, wirelen), want);
	for (size_t e = 0; e < N(engines); e++) {
		struct bpfkit_pkt_filter *f = bpfkit_pkt_filter__new(insns, len, engines[e], &diag);
		uint32_t ret = 12345;

		assert_non_null(f);
		assert_int_equal(bpfkit_pkt_filter__run(f, pkt, caplen, wirelen, &ret, &diag), 0);
		if (ret != want)
			fail_msg("engine %zu: %u, want %u", e, ret, want);
		bpfkit_pkt_filter__free(f);
	}
}

static void test_semantics(void **state)
{
	static uint8_t big[40000];
	const uint8_t pkt[] = { 0x45, 0x01, 0x02, 0x03, 0x04, 0x05 };
	const struct bpfkit_cbpf_insn ldw[] = { I(0x20, 0, 0, 2), I(0x16, 0, 0, 0) };
	const struct bpfkit_cbpf_insn ldh[] = { I(0x28, 0, 0, 4), I(0x16, 0, 0, 0) };
	const struct bpfkit_cbpf_insn ldb_far[] = { I(0x30, 0, 0, 0xffffffff), I(0x06, 0, 0, 7) };
	const struct bpfkit_cbpf_insn ind_wrap[] = { I(0x01, 0, 0, 0xffffffff), I(0x50, 0, 0, 2),
						     I(0x06, 0, 0, 9) };
	const struct bpfkit_cbpf_insn len[] = { I(0x80, 0, 0, 0), I(0x16, 0, 0, 0) };
	const struct bpfkit_cbpf_insn msh[] = { I(0xb1, 0, 0, 0), I(0x87, 0, 0, 0), I(0x16, 0, 0, 0) };
	const struct bpfkit_cbpf_insn divx[] = { I(0x00, 0, 0, 7), I(0x01, 0, 0, 0), I(0x3c, 0, 0, 0),
						 I(0x06, 0, 0, 1) };
	const struct bpfkit_cbpf_insn modx[] = { I(0x00, 0, 0, 7), I(0x01, 0, 0, 3), I(0x9c, 0, 0, 0),
						 I(0x16, 0, 0, 0) };
	const struct bpfkit_cbpf_insn shx[] = { I(0x00, 0, 0, 0xdefc0), I(0x01, 0, 0, 33), I(0x6c, 0, 0, 0),
						I(0x16, 0, 0, 0) };
	const struct bpfkit_cbpf_insn sh9[] = { I(0x00, 0, 0, 0xdefc0), I(0x01, 0, 0, 9), I(0x6c, 0, 0, 0),
						I(0x16, 0, 0, 0) };
	const struct bpfkit_cbpf_insn mem[] = { I(0x60, 0, 0, 5), I(0x04, 0, 0, 1), I(0x02, 0, 0, 5),
						I(0x61, 0, 0, 5), I(0x87, 0, 0, 0), I(0x16, 0, 0, 0) };
	const struct bpfkit_cbpf_insn jset[] = { I(0x30, 0, 0, 1), I(0x45, 0, 1, 1), I(0x06, 0, 0, 10),
						 I(0x06, 0, 0, 20) };
	const struct bpfkit_cbpf_insn jgt_big[] = { I(0x00, 0, 0, 0x80000001u), I(0x25, 0, 1, 0x80000000u),
						    I(0x06, 0, 0, 10), I(0x06, 0, 0, 20) };
	const struct bpfkit_cbpf_insn far[] = { I(0x28, 0, 0, 39000), I(0x16, 0, 0, 0) };

	(void)state;
	runs(ldw, N(ldw), pkt, 6, 6, 0x02030405);
	runs(ldw, N(ldw), pkt, 5, 6, 0); /* one byte short: no match */
	runs(ldh, N(ldh), pkt, 6, 60, 0x0405);
	runs(ldb_far, N(ldb_far), pkt, 6, 6, 0);
	runs(ind_wrap, N(ind_wrap), pkt, 6, 6, 0); /* X + k does not wrap to 1 */
	runs(len, N(len), pkt, 6, 1500, 1500);
	runs(msh, N(msh), pkt, 6, 6, 20);
	runs(msh, N(msh), pkt, 0, 6, 0);
	runs(divx, N(divx), pkt, 6, 6, 0);
	runs(modx, N(modx), pkt, 6, 6, 1);
	runs(shx, N(shx), pkt, 6, 6, 0); /* libpcap: a shift by 32 or more gives 0 */
	runs(sh9, N(sh9), pkt, 6, 6, 0x1bdf8000);
	runs(mem, N(mem), pkt, 6, 6, 1); /* M[] starts at 0 */
	runs(jset, N(jset), pkt, 6, 6, 10);
	runs(jgt_big, N(jgt_big), pkt, 6, 6, 10); /* unsigned 32-bit compares */
	big[39000] = 0xab, big[39001] = 0xcd;
	runs(far, N(far), big, sizeof(big), sizeof(big), 0xabcd);
	runs(far, N(far), big, 39001, sizeof(big), 0);
}

static void test_pcap_files(void **state)
{
	char path[] = "/tmp/bpfkit-test-pkt-XXXXXX";
	struct bpfkit_pcap_writer *w;
	struct bpfkit_pcap_reader *r;
	struct bpfkit_pcap_rec rec = { .ts_sec = 1700000000, .ts_usec = 5, .caplen = 3, .len = 60 };
	struct bpfkit_diag diag;
	const uint8_t *data;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(bpfkit_pcap_writer__open(path, 1, 96, &w, &diag), 0);
	assert_int_equal(bpfkit_pcap_writer__write(w, &rec, (const uint8_t *)"abc"), 0);
	assert_int_equal(bpfkit_pcap_writer__close(w), 0);
	assert_int_equal(bpfkit_pcap_reader__open(path, &r, &diag), 0);
	assert_int_equal(bpfkit_pcap_reader__linktype(r), 1);
	assert_int_equal(bpfkit_pcap_reader__snaplen(r), 96);
	memset(&rec, 0, sizeof(rec));
	assert_int_equal(bpfkit_pcap_reader__next(r, &rec, &data, &diag), 1);
	assert_int_equal(rec.ts_sec, 1700000000);
	assert_int_equal(rec.ts_usec, 5);
	assert_int_equal(rec.caplen, 3);
	assert_int_equal(rec.len, 60);
	assert_memory_equal(data, "abc", 3);
	assert_int_equal(bpfkit_pcap_reader__next(r, &rec, &data, &diag), 0);
	bpfkit_pcap_reader__close(r);
	assert_int_equal(truncate(path, 30), 0);
	assert_int_equal(bpfkit_pcap_reader__open(path, &r, &diag), 0);
	assert_int_equal(bpfkit_pcap_reader__next(r, &rec, &data, &diag), -EIO);
	assert_non_null(strstr(diag.msg, "packet 1: truncated dump file"));
	bpfkit_pcap_reader__close(r);
	unlink(path);
	assert_int_equal(bpfkit_pcap_reader__open(path, &r, &diag), -ENOENT);
	assert_non_null(strstr(diag.msg, "No such file or directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_semantics),
		cmocka_unit_test(test_pcap_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
