/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_XS_CONN_SOCKET_H
#define LAMINA_XS_CONN_SOCKET_H

int socket_listen(const char *path);
/* 0, -EAGAIN when nothing is pending, or another -errno. */
int socket_accept(int lfd);
/* The fd behind a socket connection, or -1 for other transports. */
int socket_fd(const struct conn *c);

#endif
