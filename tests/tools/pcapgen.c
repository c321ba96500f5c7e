// SPDX-License-Identifier: MIT
/*
 * pcapgen: write a capture of generated traffic, the same for the same
 * seed, for the packet filter's tests and benchmark (bpfkit filter, the
 * differential test tests/tools/filter_diff.c, bench/run.sh).
 *
 *   pcapgen OUT.pcap [-n PACKETS] [-s SEED] [--snaplen N] [--linktype DLT]
 *                    [--web]
 *
 * Ethernet frames, some with one or two VLAN tags, carrying IPv4 (with
 * options sometimes, and fragments), IPv6 (sometimes through a fragment
 * header), ARP and an unknown ethertype; TCP with any flags and options,
 * UDP and ICMP/ICMPv6, hosts and ports from small pools so that filters
 * match some packets and not others. About one packet in ten is captured
 * short (caplen < len), some frames are runts shorter than an Ethernet
 * header, and --snaplen cuts every packet as a capture with that snap
 * length would. --web: nine packets in ten are TCP, half of them port 80
 * (the benchmark's traffic). The generator is the project's own code; the
 * file is written through bpfkit's pcap writer (libpcap).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/pkt.h>

static uint64_t rng_state;

/* xorshift64*: a small generator whose sequence is the seed's alone. */
static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static uint32_t pick(uint32_t n)
{
	return rnd() % n;
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static const uint16_t ports[] = { 80, 443, 22, 53, 8080, 1234, 20, 21, 123, 5000 };

static uint16_t some_port(void)
{
	return pick(4) ? ports[pick(sizeof(ports) / sizeof(ports[0]))] : (uint16_t)(1024 + pick(60000));
}

/* An IPv4 address from the pools 10.0.0.1-8, 192.168.1.1-4, or any. */
static uint32_t some_ip4(void)
{
	switch (pick(4)) {
	case 0:
	case 1:
		return 0x0a000001 + pick(8);
	case 2:
		return 0xc0a80101 + pick(4);
	default:
		return rnd();
	}
}

/* An IPv6 address: 2001:db8::1-4, fe80::1-2, or any. */
static void some_ip6(uint8_t *p)
{
	memset(p, 0, 16);
	switch (pick(3)) {
	case 0:
		p[0] = 0x20, p[1] = 0x01, p[2] = 0x0d, p[3] = 0xb8, p[15] = (uint8_t)(1 + pick(4));
		break;
	case 1:
		p[0] = 0xfe, p[1] = 0x80, p[15] = (uint8_t)(1 + pick(2));
		break;
	default:
		for (int i = 0; i < 16; i++)
			p[i] = (uint8_t)rnd();
	}
}

/* A layer-4 header and payload at @p p for protocol @p proto; returns its
 * length. @p web: TCP to or from port 80 half the time. */
static size_t gen_l4(uint8_t *p, int proto, bool web)
{
	size_t n, pay = pick(4) ? pick(64) : pick(1200);

	switch (proto) {
	case 6: { /* TCP: ports, seq, ack, data offset 5-8 with NOP options, flags */
		unsigned doff = pick(3) ? 5 : 5 + pick(4);
		static const uint8_t flagsets[] = { 0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x14, 0x01, 0x29, 0x3f, 0x00 };

		put16(p, some_port());
		put16(p + 2, web && pick(2) ? 80 : some_port());
		if (web && pick(2)) {
			uint16_t t = (uint16_t)(p[0] << 8 | p[1]);
			memcpy(p, p + 2, 2);
			put16(p + 2, t);
		}
		put32(p + 4, rnd());
		put32(p + 8, rnd());
		p[12] = (uint8_t)(doff << 4);
		p[13] = flagsets[pick(sizeof(flagsets))];
		put16(p + 14, 1024 + pick(64000));
		put32(p + 16, 0);
		memset(p + 20, 1, (doff - 5) * 4);
		n = doff * 4;
		break;
	}
	case 17: /* UDP */
		put16(p, some_port());
		put16(p + 2, some_port());
		put16(p + 4, (uint32_t)(8 + pay));
		put16(p + 6, 0);
		n = 8;
		break;
	case 1:
	case 58: { /* ICMP, ICMPv6: echo, reply, unreachable, time exceeded */
		static const uint8_t types[] = { 8, 0, 3, 11, 128, 129, 135, 5 };

		p[0] = types[pick(sizeof(types))];
		p[1] = (uint8_t)pick(4);
		put16(p + 2, 0);
		put32(p + 4, rnd());
		n = 8;
		break;
	}
	default: /* GRE or anything: a little payload */
		n = 0;
	}
	for (size_t i = 0; i < pay; i++)
		p[n + i] = (uint8_t)rnd();
	return n + pay;
}

static int some_proto(bool web)
{
	static const int protos[] = { 6, 6, 6, 17, 17, 1, 47 };

	if (web)
		return pick(10) ? 6 : 17;
	return protos[pick(sizeof(protos) / sizeof(protos[0]))];
}

/* IPv4: version/ihl (options sometimes), total length, fragments (MF or
 * an offset, one packet in ten), TTL, protocol, addresses. */
static size_t gen_ip4(uint8_t *p, bool web)
{
	unsigned ihl = pick(8) ? 5 : 6 + pick(3);
	int proto = some_proto(web);
	size_t n = ihl * 4, l4;
	uint32_t frag = 0;

	memset(p, 0, n);
	p[0] = (uint8_t)(0x40 | ihl);
	p[1] = (uint8_t)(pick(4) ? 0 : rnd());
	put16(p + 4, rnd());
	if (!pick(10))
		frag = pick(2) ? 0x2000 : (uint32_t)(1 + pick(0x1000)) | (pick(2) ? 0x2000 : 0);
	else if (pick(2))
		frag = 0x4000; /* DF */
	put16(p + 6, frag);
	p[8] = (uint8_t)(1 + pick(128));
	p[9] = (uint8_t)proto;
	put32(p + 12, some_ip4());
	put32(p + 16, some_ip4());
	l4 = gen_l4(p + n, proto, web);
	put16(p + 2, (uint32_t)(n + l4));
	return n + l4;
}

/* IPv6: the fixed header, sometimes a fragment header before layer 4. */
static size_t gen_ip6(uint8_t *p, bool web)
{
	int proto = some_proto(web);
	size_t n = 40, l4;

	if (proto == 1)
		proto = 58;
	memset(p, 0, 40);
	p[0] = 0x60;
	p[7] = (uint8_t)(1 + pick(255));
	some_ip6(p + 8);
	some_ip6(p + 24);
	if (!pick(10)) {
		p[6] = 44;
		memset(p + 40, 0, 8);
		p[40] = (uint8_t)proto;
		put16(p + 42, pick(2) ? 1 : (uint32_t)pick(0x10000) & ~6u);
		put32(p + 44, rnd());
		n += 8;
	} else {
		p[6] = (uint8_t)proto;
	}
	l4 = gen_l4(p + n, proto, web);
	put16(p + 4, (uint32_t)(n - 40 + l4));
	return n + l4;
}

/* One Ethernet frame: MACs from a pool, 0-2 VLAN tags, then a payload. */
static size_t gen_frame(uint8_t *p, bool web)
{
	static const uint8_t macs[][6] = { { 0, 0x11, 0x22, 0x33, 0x44, 0x55 },
					   { 0x02, 0, 0, 0, 0, 1 },
					   { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
					   { 0x01, 0, 0x5e, 0, 0, 0xfb } };
	size_t n = 12;
	unsigned tags = pick(8) ? 0 : 1 + pick(2), kind;

	memcpy(p, macs[pick(4)], 6);
	memcpy(p + 6, macs[pick(2)], 6);
	for (unsigned i = 0; i < tags; i++) {
		put16(p + n, i == 0 && tags == 2 ? 0x88a8 : 0x8100);
		put16(p + n + 2, pick(2) ? 100 + pick(3) : pick(4096));
		n += 4;
	}
	kind = pick(20);
	if (web)
		kind = kind < 1 ? 15 : 0;
	if (kind < 12) {
		put16(p + n, 0x0800);
		return n + 2 + gen_ip4(p + n + 2, web);
	}
	if (kind < 17) {
		put16(p + n, 0x86dd);
		return n + 2 + gen_ip6(p + n + 2, web);
	}
	if (kind < 19) { /* ARP request */
		put16(p + n, 0x0806);
		memset(p + n + 2, 0, 28);
		put16(p + n + 2, 1);
		put16(p + n + 4, 0x0800);
		p[n + 6] = 6, p[n + 7] = 4;
		put16(p + n + 8, 1);
		put32(p + n + 16, some_ip4());
		put32(p + n + 26, some_ip4());
		return n + 30;
	}
	put16(p + n, 0x88b5); /* local experimental ethertype */
	for (unsigned i = 0; i < 30; i++)
		p[n + 2 + i] = (uint8_t)rnd();
	return n + 32;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "snaplen", required_argument, NULL, 'S' },
		{ "linktype", required_argument, NULL, 'L' },
		{ "web", no_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 },
	};
	static uint8_t frame[4096];
	struct bpfkit_pcap_writer *w;
	struct bpfkit_diag diag;
	unsigned long n = 1000, snaplen = 65535;
	int c, linktype = 1;
	bool web = false;

	rng_state = 1;
	while ((c = getopt_long(argc, argv, "n:s:", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 's':
			rng_state = strtoull(optarg, NULL, 0) * 0x9e3779b97f4a7c15ULL | 1;
			break;
		case 'S':
			snaplen = strtoul(optarg, NULL, 0);
			break;
		case 'L':
			linktype = atoi(optarg);
			break;
		case 'W':
			web = true;
			break;
		default:
			fprintf(stderr, "usage: pcapgen OUT.pcap [-n N] [-s SEED] [--snaplen N] [--linktype DLT] [--web]\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: pcapgen OUT.pcap [-n N] [-s SEED] [--snaplen N] [--linktype DLT] [--web]\n");
		return 2;
	}
	if (bpfkit_pcap_writer__open(argv[optind], linktype, (int)snaplen, &w, &diag)) {
		fprintf(stderr, "pcapgen: %s\n", diag.msg);
		return 1;
	}
	for (unsigned long i = 0; i < n; i++) {
		struct bpfkit_pcap_rec rec = { .ts_sec = 1700000000 + (int64_t)(i / 1000),
					       .ts_usec = (uint32_t)(i % 1000) * 1000 };
		size_t len = gen_frame(frame, web);

		if (!web && !pick(50))
			len = pick(14); /* a runt */
		rec.len = (uint32_t)len;
		rec.caplen = (uint32_t)len;
		if (!web && !pick(10) && len)
			rec.caplen = pick((uint32_t)len); /* captured short */
		if (rec.caplen > snaplen)
			rec.caplen = (uint32_t)snaplen;
		bpfkit_pcap_writer__write(w, &rec, frame);
	}
	if (bpfkit_pcap_writer__close(w)) {
		fprintf(stderr, "pcapgen: %s: write error\n", argv[optind]);
		return 1;
	}
	return 0;
}
