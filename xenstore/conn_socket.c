// SPDX-License-Identifier: GPL-2.0
/*
 * Unix socket transport.  Sockets are non-blocking; a client that stops
 * reading only fills its own output queue (see conn.c).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core.h"
#include "conn_socket.h"

static long sock_read(struct conn *c, void *buf, size_t len)
{
	int fd = (int)(intptr_t)c->tdata;
	ssize_t n = read(fd, buf, len);

	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	return n == 0 ? -1 : n;
}

static long sock_write(struct conn *c, const void *buf, size_t len)
{
	int fd = (int)(intptr_t)c->tdata;
	ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	return n;
}

static void sock_destroy(struct conn *c)
{
	close((int)(intptr_t)c->tdata);
}

static const struct conn_ops sock_ops = {
	.read = sock_read,
	.write = sock_write,
	.destroy = sock_destroy,
};

int socket_fd(const struct conn *c)
{
	return c->ops == &sock_ops ? (int)(intptr_t)c->tdata : -1;
}

int socket_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0600) ||
	    listen(fd, 128)) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

/* Socket clients are dom0 tools: domain 0 with full privilege. */
int socket_accept(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	conn_new(&sock_ops, (void *)(intptr_t)fd, 0, true);
	return 0;
}
