// SPDX-License-Identifier: MIT
/*
 * Capture files through libpcap: pcap and pcapng in (pcap_open_offline),
 * pcap out (pcap_dump on a dead handle with the wanted link type and snap
 * length, the header tcpdump -w writes). libpcap's messages are kept: they
 * say what was wrong ("truncated dump file; tried to read 16 file header
 * bytes, only got 7"); we add which packet.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "pkt_int.h"

#define READ_BUF (1 << 20)

struct bpfkit_pcap_reader {
	pcap_t *p;
	char *iobuf; /* the FILE's buffer: freed after pcap_close() */
	unsigned long count; /* packets read so far */
};

struct bpfkit_pcap_writer {
	pcap_t *dead;
	pcap_dumper_t *d;
};

/*
 * Open through our own FILE with a 1 MiB buffer: libpcap reads a record
 * header and then its bytes with two fread() calls per packet, and with
 * stdio's default 4 KiB buffer a large capture costs a read() system call
 * every few packets (most of the time of `filter -r`, before this). glibc
 * ignores the size given to setvbuf() without a buffer, so we give one.
 */
int bpfkit_pcap_reader__open(const char *path, struct bpfkit_pcap_reader **out, struct bpfkit_diag *diag)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct bpfkit_pcap_reader *r;
	bool std = !strcmp(path, "-");
	FILE *f;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	f = std ? stdin : fopen(path, "rb");
	if (!f) {
		int err = errno;

		free(r);
		return bpfkit_diag__set(diag, -err, "%s: %s", path, strerror(err));
	}
	r->iobuf = malloc(READ_BUF);
	if (r->iobuf)
		setvbuf(f, r->iobuf, _IOFBF, READ_BUF);
	r->p = pcap_fopen_offline(f, errbuf); /* owns f from here, unless it fails */
	if (!r->p) {
		if (!std)
			fclose(f);
		free(r->iobuf);
		free(r);
		return bpfkit_diag__set(diag, -EINVAL, "%s: %s", path, errbuf[0] ? errbuf : "cannot open");
	}
	*out = r;
	return 0;
}

int bpfkit_pcap_reader__open_mem(const void *buf, size_t len, const char *name, struct bpfkit_pcap_reader **out,
				 struct bpfkit_diag *diag)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct bpfkit_pcap_reader *r;
	FILE *f;

	*out = NULL;
	if (!len) /* fmemopen refuses an empty buffer; an empty file is truncated */
		return bpfkit_diag__set(diag, -EINVAL, "%s: truncated dump file; the file is empty", name);
	r = calloc(1, sizeof(*r));
	f = r ? fmemopen((void *)buf, len, "rb") : NULL;
	if (!f) {
		free(r);
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	}
	r->p = pcap_fopen_offline(f, errbuf); /* owns f from here, unless it fails */
	if (!r->p) {
		fclose(f);
		free(r);
		return bpfkit_diag__set(diag, -EINVAL, "%s: %s", name, errbuf[0] ? errbuf : "cannot open");
	}
	*out = r;
	return 0;
}

void bpfkit_pcap_reader__close(struct bpfkit_pcap_reader *r)
{
	if (!r)
		return;
	pcap_close(r->p);
	free(r->iobuf);
	free(r);
}

int bpfkit_pcap_reader__linktype(const struct bpfkit_pcap_reader *r)
{
	return pcap_datalink(r->p);
}

int bpfkit_pcap_reader__snaplen(const struct bpfkit_pcap_reader *r)
{
	return pcap_snapshot(r->p);
}

int bpfkit_pcap_reader__next(struct bpfkit_pcap_reader *r, struct bpfkit_pcap_rec *rec, const uint8_t **data,
			     struct bpfkit_diag *diag)
{
	struct pcap_pkthdr *h;
	const u_char *bytes;
	int rc = pcap_next_ex(r->p, &h, &bytes);

	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1)
		return bpfkit_diag__set(diag, -EIO, "packet %lu: %s", r->count + 1, pcap_geterr(r->p));
	r->count++;
	rec->ts_sec = h->ts.tv_sec;
	rec->ts_usec = (uint32_t)h->ts.tv_usec;
	rec->caplen = h->caplen;
	rec->len = h->len;
	*data = bytes;
	return 1;
}

int bpfkit_pcap_writer__open(const char *path, int linktype, int snaplen, struct bpfkit_pcap_writer **out,
			     struct bpfkit_diag *diag)
{
	struct bpfkit_pcap_writer *w;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w || !(w->dead = pcap_open_dead(linktype, snaplen))) {
		free(w);
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	}
	w->d = pcap_dump_open(w->dead, path);
	if (!w->d) {
		bpfkit_diag__set(diag, -EIO, "%s", pcap_geterr(w->dead));
		pcap_close(w->dead);
		free(w);
		return -EIO;
	}
	*out = w;
	return 0;
}

int bpfkit_pcap_writer__write(struct bpfkit_pcap_writer *w, const struct bpfkit_pcap_rec *rec, const uint8_t *data)
{
	struct pcap_pkthdr h = { .caplen = rec->caplen, .len = rec->len };

	h.ts.tv_sec = rec->ts_sec;
	h.ts.tv_usec = rec->ts_usec;
	pcap_dump((u_char *)w->d, &h, data);
	return 0;
}

int bpfkit_pcap_writer__close(struct bpfkit_pcap_writer *w)
{
	int err = 0;

	if (!w)
		return 0;
	if (pcap_dump_flush(w->d) != 0)
		err = -EIO;
	if (ferror(pcap_dump_file(w->d)))
		err = -EIO;
	pcap_dump_close(w->d);
	pcap_close(w->dead);
	free(w);
	return err;
}
