// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the message parser and dispatcher.  The input is
 * a sequence of chunks; a selector byte b gives the length,
 * (b >> 2) * 8 + 1, and the destination, b % 4: 0 a dom0 socket client,
 * 1 an unprivileged domain, 2 a domain acting for it (SET_TARGET), 3 the
 * shared ring of domain 9 (introduced first): either bytes a guest
 * appends to the request ring, or raw values for the ring indices.
 * After each input the tree must pass tree_check(); all state is torn
 * down again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

void trace_msg(const struct conn *c, bool out, const struct xsd_sockmsg *h,
	       const char *body)
{
	(void)c;
	(void)out;
	(void)h;
	(void)body;
}

void trace_open(const char *file)
{
	(void)file;
}

static long f_read(struct conn *c, void *buf, size_t len)
{
	(void)c;
	(void)buf;
	(void)len;
	return 0;
}

/* Replies are consumed and dropped, as by a fast client. */
static long f_write(struct conn *c, const void *buf, size_t len)
{
	(void)c;
	(void)buf;
	return (long)len;
}

static const struct conn_ops f_ops = { f_read, f_write, NULL };

static struct xenstore_domain_interface ring_page;
static struct backend *be;

static void ring_chunk(const uint8_t *d, size_t n)
{
	struct xenstore_domain_interface *in = &ring_page;
	size_t i;

	if (n && (d[0] & 1)) {
		/* hostile: arbitrary indices */
		memcpy(&in->req_cons, d + 1, n - 1 < 16 ? n - 1 : 16);
	} else {
		for (i = 1; i < n; i++) {
			if (in->req_prod - in->req_cons >= XENSTORE_RING_SIZE)
				break;
			in->req[MASK_XENSTORE_IDX(in->req_prod)] = (char)d[i];
			in->req_prod++;
		}
		/* the guest consumes every response */
		in->rsp_cons = in->rsp_prod;
	}
	ring_service_all();
}

static const char introduce[] =
	"\x08\0\0\0\0\0\0\0\0\0\0\0\x07\0\0\0" "9\0" "99\0" "3";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conn *c[3];
	char msg[256];
	size_t off = 0, n;
	unsigned int k;

	if (!be) {
		be = memfd_backend_new();
		/* eventfds are not needed: -1 makes notify fail quietly */
		memfd_backend_add(be, 9, 99, &ring_page, 3, -1, -1);
		backend_set(be);
	}
	quota_defaults();
	no_domain_init = true;
	tree_init();
	domain_init_special();
	c[0] = conn_new(&f_ops, NULL, 0, true);
	c[1] = conn_new(&f_ops, NULL, 5, false);
	c[2] = conn_new(&f_ops, NULL, 7, false);
	c[2]->target = 5;
	conn_feed(c[0], introduce, sizeof(introduce));
	if (!domain_find(9))
		abort();
	while (off < size) {
		k = data[off] % 4;
		n = (size_t)(data[off] >> 2) * 8 + 1;
		off++;
		if (n > size - off)
			n = size - off;
		if (k == 3) {
			ring_chunk(data + off, n);
			off += n;
			continue;
		}
		if (!c[k]->dead)
			conn_feed(c[k], (const char *)data + off, n);
		conn_handle_output(c[k]);
		off += n;
	}
	if (tree_check(msg, sizeof(msg))) {
		fprintf(stderr, "tree damaged: %s\n", msg);
		abort();
	}
	domain_release_all();
	while (conns)
		conn_free(conns);
	tree_destroy();
	memset(&ring_page, 0, sizeof(ring_page));
	return 0;
}
