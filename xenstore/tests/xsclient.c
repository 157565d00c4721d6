// SPDX-License-Identifier: GPL-2.0
/*
 * Raw-socket checks against a running xenstored: malformed, truncated,
 * oversized and hostile clients must get an error or lose their own
 * connection while everybody else is served.  Usage: xsclient SOCKET
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

static const char *sock_path;
static int passed, failed;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
	if (ok)
		passed++;
	else
		failed++;
}

static int xs_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strncpy(sa.sun_path, sock_path, sizeof(sa.sun_path) - 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("connect");
		exit(2);
	}
	return fd;
}

static int send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read exactly len bytes within 5 s; -1 on EOF/error/timeout. */
static int recv_all(int fd, void *buf, size_t len)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char *q = buf;
	ssize_t n;

	while (len) {
		if (poll(&p, 1, 5000) != 1)
			return -1;
		n = read(fd, q, len);
		if (n <= 0)
			return -1;
		q += n;
		len -= (size_t)n;
	}
	return 0;
}

static int request(int fd, uint32_t type, const void *body, uint32_t len,
		   char *rep, uint32_t *rtype)
{
	struct xsd_sockmsg h = { type, 7, 0, len };

	if (send_all(fd, &h, sizeof(h)) || send_all(fd, body, len))
		return -1;
	do {
		if (recv_all(fd, &h, sizeof(h)) ||
		    h.len > XENSTORE_PAYLOAD_MAX ||
		    recv_all(fd, rep, h.len))
			return -1;
		rep[h.len] = '\0';
	} while (h.type == XS_WATCH_EVENT);
	*rtype = h.type;
	return 0;
}

/* A fresh client can still write and read. */
static int healthy(void)
{
	char rep[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t type;
	int fd = xs_connect(), ok;

	ok = !request(fd, XS_WRITE, "/xsclient/h\0ok", 14, rep, &type) &&
	     type == XS_WRITE &&
	     !request(fd, XS_READ, "/xsclient/h", 12, rep, &type) &&
	     type == XS_READ && !strcmp(rep, "ok");
	close(fd);
	return ok;
}

static int closed_by_peer(int fd)
{
	char c;

	return recv_all(fd, &c, 1) == -1;
}

/* Read whatever is buffered; true if the daemon closed the socket. */
static int drained_to_eof(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char buf[65536];
	ssize_t n;

	while (poll(&p, 1, 5000) == 1) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 1;
		if (n < 0)
			return errno == ECONNRESET;
	}
	return 0;
}

/* Malformed and oversized messages. */
static void bad_messages(void)
{
	char rep[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h;
	uint32_t type;
	int fd = xs_connect();

	check(!request(fd, 999, "", 0, rep, &type) && type == XS_ERROR &&
	      !strcmp(rep, "ENOSYS"), "unknown type gets ENOSYS");
	check(!request(fd, XS_READ, "/a", 2, rep, &type) &&
	      type == XS_ERROR && !strcmp(rep, "EINVAL"),
	      "unterminated path gets EINVAL");
	check(!request(fd, XS_TRANSACTION_END, "T", 2, rep, &type) &&
	      type == XS_ERROR && !strcmp(rep, "ENOENT"),
	      "end without transaction gets ENOENT");
	h = (struct xsd_sockmsg){ XS_WRITE, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
	send_all(fd, &h, sizeof(h));
	check(closed_by_peer(fd), "oversized message loses the connection");
	close(fd);
	check(healthy(), "others are served after an oversized message");
}

/* Clients that stall, hang up mid-message, or never read. */
static void hostile_clients(void)
{
	char rep[XENSTORE_PAYLOAD_MAX + 1], big[3000];
	struct xsd_sockmsg h = { XS_WRITE, 1, 0, 100 };
	uint32_t type;
	int fd, slow, idle, i, ok;
	struct timespec t0, t1;

	idle = xs_connect();
	send_all(idle, &h, 5);
	check(healthy(), "a stalled partial message blocks nobody");
	fd = xs_connect();
	send_all(fd, &h, sizeof(h));
	send_all(fd, "/xsclient/trunc", 15);
	close(fd);
	check(healthy(), "a truncated message then hang-up is harmless");
	fd = xs_connect();
	check(!request(fd, XS_READ, "/xsclient/trunc", 16, rep, &type) &&
	      type == XS_ERROR && !strcmp(rep, "ENOENT"),
	      "the truncated write did not happen");
	close(fd);
	slow = xs_connect();
	check(!request(slow, XS_WATCH, "/xsclient\0tok", 14, rep, &type) &&
	      type == XS_WATCH, "watch set");
	/* events carry the path: make it long so they add up */
	memset(big, 'x', sizeof(big));
	memcpy(big, "/xsclient/", 10);
	big[1999] = '\0';
	fd = xs_connect();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0, ok = 1; i < 3000 && ok; i++)
		ok = !request(fd, XS_WRITE, big, 2000, rep, &type) &&
		     type == XS_WRITE;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	check(ok && t1.tv_sec - t0.tv_sec < 20,
	      "a watcher that never reads does not stall a writer");
	check(drained_to_eof(slow), "the watcher that never reads is dropped");
	close(slow);
	close(fd);
	close(idle);
}

/* For a daemon with few file descriptors: more clients than it can take
 * wait their turn, and it serves again once some leave. */
static void fd_exhaustion(void)
{
	int fds[48], i;

	for (i = 0; i < 48; i++)
		fds[i] = xs_connect();
	usleep(300000);
	for (i = 0; i < 40; i++)
		close(fds[i]);
	check(healthy(), "served again after running out of descriptors");
	for (; i < 48; i++)
		close(fds[i]);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--fd-exhaustion")) {
		sock_path = argv[2];
		fd_exhaustion();
		printf("%d passed, %d failed\n", passed, failed);
		return failed ? 1 : 0;
	}
	if (argc != 2) {
		fprintf(stderr,
			"usage: xsclient [--fd-exhaustion] SOCKET\n");
		return 2;
	}
	sock_path = argv[1];
	bad_messages();
	hostile_clients();
	check(healthy(), "daemon healthy at the end");
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
