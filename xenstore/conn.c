// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: message assembly from a byte stream, per-connection output
 * queues, and backpressure.  Transports (conn_socket.c, ring.c) only move
 * bytes.  A connection that breaks the framing rules or lets its output
 * queue grow past conn_out_limit is marked dead and reaped from the main
 * loop, so one hostile client cannot hold memory or stall the others.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct conn *conns;
size_t conn_out_limit = 1024 * 1024;

/* Requests handled per connection per main-loop round, for fairness. */
#define MAX_BATCH 32

struct conn *conn_new(const struct conn_ops *ops, void *tdata,
		      uint32_t domid, bool priv)
{
	struct conn *c = xzalloc(sizeof(*c));
	struct conn **pp;

	c->ops = ops;
	c->tdata = tdata;
	c->id = domid;
	c->priv = priv;
	c->target = ~0u;
	if (domid != 0 || no_domain_init)
		c->dom_path = xasprintf("/local/domain/%u", domid);
	/* Append: events are delivered in connection order. */
	for (pp = &conns; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	return c;
}

void conn_free(struct conn *c)
{
	struct conn **pp;
	struct outbuf *o;

	for (pp = &conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	watch_del_all(c);
	txn_free_all(c);
	while ((o = c->out_head)) {
		c->out_head = o->next;
		free(o);
	}
	if (c->ops && c->ops->destroy)
		c->ops->destroy(c);
	free(c->dom_path);
	free(c);
}

int conn_reap(void)
{
	struct conn *c, *n;
	int freed = 0;

	for (c = conns; c; c = n) {
		n = c->next;
		if (c->dead && !c->dom) {
			conn_free(c);
			freed++;
		}
	}
	return freed;
}

bool conn_can_take_input(const struct conn *c)
{
	if (c->dead)
		return false;
	if (c->out_bytes > conn_out_limit / 2)
		return false;
	return c->priv || c->out_replies < quota.outstanding;
}

bool conn_wants_output(const struct conn *c)
{
	return !c->dead && c->out_head;
}

int conn_queue(struct conn *c, uint32_t type, uint32_t req_id,
	       uint32_t tx_id, const void *data, size_t len, bool event)
{
	struct outbuf *o;
	struct xsd_sockmsg h = { type, req_id, tx_id, (uint32_t)len };

	if (c->dead)
		return -EPIPE;
	if (c->out_bytes + len > conn_out_limit) {
		/* The client stopped reading: it cannot be served. */
		xlog("connection %p: output queue over limit", (void *)c);
		c->dead = true;
		if (event)
			dropped_events++;
		return -ENOSPC;
	}
	o = xmalloc(sizeof(*o) + sizeof(h) + len);
	memcpy(o->data, &h, sizeof(h));
	if (len)
		memcpy(o->data + sizeof(h), data, len);
	o->len = sizeof(h) + len;
	o->used = 0;
	o->is_event = event;
	o->next = NULL;
	if (c->out_tail)
		c->out_tail->next = o;
	else
		c->out_head = o;
	c->out_tail = o;
	c->out_bytes += o->len;
	if (event)
		c->out_events++;
	else
		c->out_replies++;
	trace_msg(c, true, &h, data);
	if (c->dom)
		ring_kick(c);
	return 0;
}

static void pop_output(struct conn *c)
{
	struct outbuf *o = c->out_head;

	c->out_head = o->next;
	if (!c->out_head)
		c->out_tail = NULL;
	c->out_bytes -= o->len;
	if (o->is_event)
		c->out_events--;
	else
		c->out_replies--;
	free(o);
}

int conn_handle_output(struct conn *c)
{
	struct outbuf *o;
	long n;

	while ((o = c->out_head) && !c->dead) {
		n = c->ops->write(c, o->data + o->used, o->len - o->used);
		if (n < 0) {
			c->dead = true;
			return -EPIPE;
		}
		if (n == 0)
			break;
		o->used += (size_t)n;
		if (o->used == o->len)
			pop_output(c);
	}
	return c->dead ? -EPIPE : 0;
}

/* Account n freshly arrived bytes; dispatch a completed message. */
static int advance(struct conn *c, size_t n)
{
	if (!c->in_body) {
		c->hdr_used += n;
		if (c->hdr_used < sizeof(c->hdr))
			return 0;
		if (c->hdr.len > XENSTORE_PAYLOAD_MAX) {
			xlog("connection %p: oversized message (%u)",
			     (void *)c, c->hdr.len);
			return -E2BIG;
		}
		c->in_body = true;
		c->body_used = 0;
	} else {
		c->body_used += n;
	}
	if (c->body_used < c->hdr.len)
		return 0;
	c->body[c->hdr.len] = '\0';
	c->in_body = false;
	c->hdr_used = 0;
	trace_msg(c, false, &c->hdr, c->body);
	wire_process(c, &c->hdr, c->body);
	return 1;
}

static size_t want(struct conn *c, char **dst)
{
	if (c->in_body) {
		*dst = c->body + c->body_used;
		return c->hdr.len - c->body_used;
	}
	*dst = (char *)&c->hdr + c->hdr_used;
	return sizeof(c->hdr) - c->hdr_used;
}

long conn_feed(struct conn *c, const char *buf, size_t len)
{
	size_t done = 0, n;
	char *dst;
	int rc;

	while (done < len && conn_can_take_input(c)) {
		n = want(c, &dst);
		if (n > len - done)
			n = len - done;
		memcpy(dst, buf + done, n);
		done += n;
		rc = advance(c, n);
		if (rc < 0) {
			c->dead = true;
			return rc;
		}
	}
	return (long)done;
}

int conn_handle_input(struct conn *c)
{
	int batch = 0, rc;
	size_t n;
	long got;
	char *dst;

	while (batch < MAX_BATCH && conn_can_take_input(c)) {
		n = want(c, &dst);
		got = n ? c->ops->read(c, dst, n) : 0;
		if (got < 0) {
			c->dead = true;
			return -EPIPE;
		}
		if (got == 0 && n)
			break;
		rc = advance(c, (size_t)got);
		if (rc < 0) {
			c->dead = true;
			return rc;
		}
		batch += rc;
	}
	return 0;
}
