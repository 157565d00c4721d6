// SPDX-License-Identifier: GPL-2.0
/*
 * The shared-ring transport (struct xenstore_domain_interface).  The page
 * is shared with a guest, so every index read from it is untrusted: an
 * index pair claiming more than XENSTORE_RING_SIZE bytes is corrupt, and
 * the connection is then stopped with XENSTORE_ERROR_RINGIDX.  Indices
 * are free-running 32-bit counters; MASK_XENSTORE_IDX gives the offset.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct backend *backend;

void backend_set(struct backend *b)
{
	backend = b;
}

#define READ_IDX(x) (*(volatile XENSTORE_RING_IDX *)&(x))
#define WRITE_IDX(x, v) (*(volatile XENSTORE_RING_IDX *)&(x) = (v))
#define FENCE() __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* Copy n bytes out of a ring starting at free-running index idx. */
static void copy_out(void *dst, const char *ring, XENSTORE_RING_IDX idx,
		     size_t n)
{
	size_t off = MASK_XENSTORE_IDX(idx);
	size_t first = XENSTORE_RING_SIZE - off;

	if (first > n)
		first = n;
	memcpy(dst, ring + off, first);
	memcpy((char *)dst + first, ring, n - first);
}

static void copy_in(char *ring, XENSTORE_RING_IDX idx, const void *src,
		    size_t n)
{
	size_t off = MASK_XENSTORE_IDX(idx);
	size_t first = XENSTORE_RING_SIZE - off;

	if (first > n)
		first = n;
	memcpy(ring + off, src, first);
	memcpy(ring, (const char *)src + first, n - first);
}

/* Bytes of requests available, or -EIO if the indices are corrupt. */
static long req_avail(const struct xenstore_domain_interface *intf,
		      XENSTORE_RING_IDX *cons)
{
	XENSTORE_RING_IDX c = READ_IDX(intf->req_cons);
	XENSTORE_RING_IDX p = READ_IDX(intf->req_prod);

	FENCE();
	if ((XENSTORE_RING_IDX)(p - c) > XENSTORE_RING_SIZE)
		return -EIO;
	*cons = c;
	return (long)(XENSTORE_RING_IDX)(p - c);
}

static long rsp_space(const struct xenstore_domain_interface *intf,
		      XENSTORE_RING_IDX *prod)
{
	XENSTORE_RING_IDX c = READ_IDX(intf->rsp_cons);
	XENSTORE_RING_IDX p = READ_IDX(intf->rsp_prod);

	FENCE();
	if ((XENSTORE_RING_IDX)(p - c) > XENSTORE_RING_SIZE)
		return -EIO;
	*prod = p;
	return (long)(XENSTORE_RING_SIZE - (XENSTORE_RING_IDX)(p - c));
}

int ring_read(struct xenstore_domain_interface *intf, void *buf, size_t len)
{
	XENSTORE_RING_IDX cons;
	long avail = req_avail(intf, &cons);

	if (avail < 0)
		return -EIO;
	if ((size_t)avail > len)
		avail = (long)len;
	copy_out(buf, intf->req, cons, (size_t)avail);
	/* Data is copied before the guest may reuse the space. */
	FENCE();
	WRITE_IDX(intf->req_cons, cons + (XENSTORE_RING_IDX)avail);
	return (int)avail;
}

int ring_write(struct xenstore_domain_interface *intf, const void *buf,
	       size_t len)
{
	XENSTORE_RING_IDX prod;
	long space = rsp_space(intf, &prod);

	if (space < 0)
		return -EIO;
	if ((size_t)space > len)
		space = (long)len;
	copy_in(intf->rsp, prod, buf, (size_t)space);
	/* Data must be visible before the index that publishes it. */
	FENCE();
	WRITE_IDX(intf->rsp_prod, prod + (XENSTORE_RING_IDX)space);
	return (int)space;
}

bool ring_has_input(const struct xenstore_domain_interface *intf)
{
	XENSTORE_RING_IDX cons;

	return req_avail(intf, &cons) != 0;
}

bool ring_has_space(const struct xenstore_domain_interface *intf)
{
	XENSTORE_RING_IDX prod;

	return rsp_space(intf, &prod) != 0;
}

void ring_init_server(struct xenstore_domain_interface *intf)
{
	intf->server_features = XENSTORE_SERVER_FEATURE_RECONNECTION |
				XENSTORE_SERVER_FEATURE_ERROR;
	intf->error = XENSTORE_ERROR_NONE;
}

/* ---- ring connections ------------------------------------------------ */

struct ring_state {
	struct domain *d;
	bool notify;
};

static long ring_conn_read(struct conn *c, void *buf, size_t len)
{
	struct ring_state *rs = c->tdata;
	int n = ring_read(rs->d->intf, buf, len);

	if (n < 0) {
		rs->d->intf->error = XENSTORE_ERROR_RINGIDX;
		return -1;
	}
	if (n)
		rs->notify = true;
	return n;
}

static long ring_conn_write(struct conn *c, const void *buf, size_t len)
{
	struct ring_state *rs = c->tdata;
	int n = ring_write(rs->d->intf, buf, len);

	if (n < 0) {
		rs->d->intf->error = XENSTORE_ERROR_RINGIDX;
		return -1;
	}
	if (n)
		rs->notify = true;
	return n;
}

static void ring_conn_destroy(struct conn *c)
{
	free(c->tdata);
}

static const struct conn_ops ring_ops = {
	.read = ring_conn_read,
	.write = ring_conn_write,
	.destroy = ring_conn_destroy,
};

struct conn *ring_conn_new(struct domain *d)
{
	struct ring_state *rs = xzalloc(sizeof(*rs));
	struct conn *c = conn_new(&ring_ops, rs, d->domid, d->domid == 0);

	rs->d = d;
	c->dom = d;
	return c;
}

void ring_kick(struct conn *c)
{
	(void)c;
	/* Output is flushed by ring_service_all() from the main loop. */
}

/* Forget the connection's state and empty the ring. */
void ring_conn_reset(struct domain *d)
{
	struct conn *c = d->conn;
	struct outbuf *o;

	watch_del_all(c);
	txn_free_all(c);
	while ((o = c->out_head)) {
		c->out_head = o->next;
		free(o);
	}
	c->out_tail = NULL;
	c->out_bytes = 0;
	c->out_replies = c->out_events = 0;
	c->hdr_used = c->body_used = 0;
	c->in_body = false;
	c->dead = false;
	d->intf->req_cons = d->intf->req_prod = 0;
	d->intf->rsp_cons = d->intf->rsp_prod = 0;
	d->intf->error = XENSTORE_ERROR_NONE;
	FENCE();
}

/* Guest asked for a fresh start (XENSTORE_RECONNECT). */
static void ring_reconnect(struct domain *d)
{
	ring_conn_reset(d);
	d->intf->connection = XENSTORE_CONNECTED;
	backend->ev->notify(backend->ctx, d->lport);
}

static void ring_service(struct domain *d)
{
	struct conn *c = d->conn;
	struct ring_state *rs = c->tdata;
	int rc;

	backend->ev->ack(backend->ctx, d->lport);
	if (READ_IDX(d->intf->connection) == XENSTORE_RECONNECT) {
		ring_reconnect(d);
		return;
	}
	if (c->dead)
		return;
	rc = conn_handle_input(c);
	if (rc == -E2BIG)
		d->intf->error = XENSTORE_ERROR_PROTO;
	conn_handle_output(c);
	if (rs->notify) {
		rs->notify = false;
		backend->ev->notify(backend->ctx, d->lport);
	}
}

void ring_service_all(void)
{
	struct domain *d;

	for (d = domains; d; d = d->next)
		if (d->conn)
			ring_service(d);
}

/* True if some ring has work that needs no further event. */
bool ring_busy(void)
{
	struct domain *d;
	struct conn *c;

	for (d = domains; d; d = d->next) {
		c = d->conn;
		if (!c || c->dead)
			continue;
		if (conn_can_take_input(c) && ring_has_input(d->intf))
			return true;
		if (c->out_head && ring_has_space(d->intf))
			return true;
	}
	return false;
}
