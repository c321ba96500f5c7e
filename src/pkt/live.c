// SPDX-License-Identifier: MIT
/*
 * Live capture: an AF_PACKET socket on one interface with the classic
 * program attached as a socket filter (SO_ATTACH_FILTER: the kernel checks
 * it with sk_chk_filter(), converts it to eBPF and runs it on every
 * packet), as libpcap does on Linux. Only Ethernet-framed interfaces
 * (Ethernet, loopback) for now: the packets are then what DLT_EN10MB
 * filters expect.
 */
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pkt_int.h"

struct bpfkit_pkt_live {
	int fd;
	int ifindex;
	bool loopback; /* skip the outgoing copy of each packet, as libpcap does */
};

/* Attach a classic program to the socket. */
static int live_attach(int fd, const struct bpfkit_cbpf_insn *insns, size_t len)
{
	struct sock_fprog prog = { .len = (unsigned short)len, .filter = (struct sock_filter *)insns };

	_Static_assert(sizeof(struct sock_filter) == sizeof(struct bpfkit_cbpf_insn), "sock_filter layout");
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ? -errno : 0;
}

/*
 * Open the socket with a filter that drops everything, bind it to the
 * interface, drain what arrived before the bind (from any interface), then
 * attach the real filter: no packet the filter would refuse is ever read.
 */
int bpfkit_pkt_live__open(const char *ifname, const struct bpfkit_cbpf_insn *insns, size_t len,
			  struct bpfkit_pkt_live **out, struct bpfkit_diag *diag)
{
	static const struct bpfkit_cbpf_insn drop_all = { .code = CBPF_RET | CBPF_K, .k = 0 };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct bpfkit_pkt_live *l;
	struct ifreq ifr = { 0 };
	uint8_t junk[64];
	int err;

	*out = NULL;
	err = bpfkit_cbpf_check(insns, len, diag);
	if (err)
		return err;
	if (strlen(ifname) >= IFNAMSIZ || !(sll.sll_ifindex = (int)if_nametoindex(ifname)))
		return bpfkit_diag__set(diag, -ENODEV, "no interface '%s'", ifname);
	l = calloc(1, sizeof(*l));
	if (!l)
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	l->ifindex = sll.sll_ifindex;
	l->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (l->fd < 0) {
		err = -errno;
		bpfkit_diag__set(diag, err, "AF_PACKET socket: %s%s", strerror(-err),
				 err == -EPERM ? " (live capture needs root or CAP_NET_RAW)" : "");
		goto err;
	}
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(l->fd, SIOCGIFHWADDR, &ifr)) {
		err = bpfkit_diag__set(diag, -errno, "%s: SIOCGIFHWADDR: %s", ifname, strerror(errno));
		goto err;
	}
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER && ifr.ifr_hwaddr.sa_family != ARPHRD_LOOPBACK) {
		err = bpfkit_diag__set(diag, -EOPNOTSUPP,
				       "%s: hardware type %d is not yet supported (Ethernet and loopback are)", ifname,
				       ifr.ifr_hwaddr.sa_family);
		goto err;
	}
	l->loopback = ifr.ifr_hwaddr.sa_family == ARPHRD_LOOPBACK;
	/* PACKET_AUXDATA: each packet's length before the filter cut it */
	if (setsockopt(l->fd, SOL_PACKET, PACKET_AUXDATA, &(int){ 1 }, sizeof(int))) {
		err = bpfkit_diag__set(diag, -errno, "PACKET_AUXDATA: %s", strerror(errno));
		goto err;
	}
	if ((err = live_attach(l->fd, &drop_all, 1)) ||
	    (bind(l->fd, (struct sockaddr *)&sll, sizeof(sll)) && (err = -errno))) {
		bpfkit_diag__set(diag, err, "%s: %s", ifname, strerror(-err));
		goto err;
	}
	while (recv(l->fd, junk, sizeof(junk), MSG_DONTWAIT) >= 0)
		;
	if ((err = live_attach(l->fd, insns, len))) {
		bpfkit_diag__set(diag, err, "SO_ATTACH_FILTER: %s", strerror(-err));
		goto err;
	}
	*out = l;
	return 0;
err:
	bpfkit_pkt_live__close(l);
	return err;
}

void bpfkit_pkt_live__close(struct bpfkit_pkt_live *l)
{
	if (!l)
		return;
	if (l->fd >= 0)
		close(l->fd);
	free(l);
}

int bpfkit_pkt_live__next(struct bpfkit_pkt_live *l, struct bpfkit_pcap_rec *rec, uint8_t *buf, size_t size,
			  int timeout_ms, struct bpfkit_diag *diag)
{
	struct pollfd pfd = { .fd = l->fd, .events = POLLIN };

	for (;;) {
		union {
			struct cmsghdr h;
			char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		} ctl;
		struct sockaddr_ll from;
		struct iovec iov = { .iov_base = buf, .iov_len = size };
		struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
				      .msg_iovlen = 1, .msg_control = &ctl, .msg_controllen = sizeof(ctl) };
		struct timespec ts;
		ssize_t n;
		int rc = poll(&pfd, 1, timeout_ms);

		if (rc < 0)
			return errno == EINTR ? -EINTR : bpfkit_diag__set(diag, -errno, "poll: %s", strerror(errno));
		if (rc == 0)
			return 0;
		/* MSG_TRUNC: the length of the packet as the filter kept it, not what fit */
		n = recvmsg(l->fd, &msg, MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return bpfkit_diag__set(diag, -errno, "recvmsg: %s", strerror(errno));
		}
		if (l->loopback && from.sll_pkttype == PACKET_OUTGOING)
			continue;
		clock_gettime(CLOCK_REALTIME, &ts);
		rec->ts_sec = ts.tv_sec;
		rec->ts_usec = (uint32_t)(ts.tv_nsec / 1000);
		rec->caplen = (size_t)n < size ? (uint32_t)n : (uint32_t)size;
		rec->len = (uint32_t)n;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			struct tpacket_auxdata aux;

			if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
				continue;
			memcpy(&aux, CMSG_DATA(c), sizeof(aux));
			if (aux.tp_len > rec->len)
				rec->len = aux.tp_len; /* the wire length, before the filter's cut */
		}
		if (rec->caplen > rec->len)
			rec->caplen = rec->len;
		return 1;
	}
}

int bpfkit_pkt_live__drops(struct bpfkit_pkt_live *l, unsigned long *drops)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (getsockopt(l->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len))
		return -errno;
	*drops = st.tp_drops;
	return 0;
}
