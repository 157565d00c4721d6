// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for the grant/event-channel devices while no dom0 exists:
 * "grant references" name pages the test registered (e.g. a memfd shared
 * with another process) and each "event channel" is a pair of eventfds,
 * one per direction.  Used by the ring tests and the fuzzer.
 */
#include <stdlib.h>
#include <unistd.h>

#include "core.h"

#define MAX_CHANNELS 64

struct channel {
	uint32_t domid;
	uint64_t gfn;
	void *page;
	uint32_t port;
	int ev_in;		/* guest -> xenstored */
	int ev_out;		/* xenstored -> guest */
	bool bound;
};

struct memfd_ctx {
	struct channel ch[MAX_CHANNELS];
	unsigned int n;
};

static void *mf_map(void *ctx, uint32_t domid, uint64_t gfn)
{
	struct memfd_ctx *m = ctx;
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->ch[i].domid == domid && m->ch[i].gfn == gfn)
			return m->ch[i].page;
	return NULL;
}

static void mf_unmap(void *ctx, void *addr)
{
	/* The pages belong to whoever registered them. */
	(void)ctx;
	(void)addr;
}

static int mf_bind(void *ctx, uint32_t domid, uint32_t rport,
		   unsigned int *lport)
{
	struct memfd_ctx *m = ctx;
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->ch[i].domid == domid && m->ch[i].port == rport &&
		    !m->ch[i].bound) {
			m->ch[i].bound = true;
			*lport = i;
			return 0;
		}
	return -EINVAL;
}

static void mf_unbind(void *ctx, unsigned int lport)
{
	struct memfd_ctx *m = ctx;

	if (lport < m->n)
		m->ch[lport].bound = false;
}

static int mf_notify(void *ctx, unsigned int lport)
{
	struct memfd_ctx *m = ctx;
	uint64_t one = 1;

	if (lport >= m->n)
		return -EINVAL;
	if (write(m->ch[lport].ev_out, &one, sizeof(one)) != sizeof(one))
		return -EIO;
	return 0;
}

static int mf_fd(void *ctx, unsigned int lport)
{
	struct memfd_ctx *m = ctx;

	return lport < m->n ? m->ch[lport].ev_in : -1;
}

static void mf_ack(void *ctx, unsigned int lport)
{
	struct memfd_ctx *m = ctx;
	uint64_t v;

	/* Non-blocking eventfd: EAGAIN simply means nothing pending. */
	if (lport < m->n && read(m->ch[lport].ev_in, &v, sizeof(v)) < 0)
		return;
}

static const struct evtchn_ops mf_ev = {
	.bind = mf_bind,
	.unbind = mf_unbind,
	.notify = mf_notify,
	.fd = mf_fd,
	.ack = mf_ack,
};

static const struct gnt_ops mf_gnt = {
	.map = mf_map,
	.unmap = mf_unmap,
};

struct backend *memfd_backend_new(void)
{
	struct backend *b = xzalloc(sizeof(*b));

	b->name = "memfd";
	b->ev = &mf_ev;
	b->gnt = &mf_gnt;
	b->ctx = xzalloc(sizeof(struct memfd_ctx));
	return b;
}

int memfd_backend_add(struct backend *b, uint32_t domid, uint64_t gfn,
		      void *page, uint32_t port, int ev_in, int ev_out)
{
	struct memfd_ctx *m = b->ctx;
	struct channel *ch;

	if (m->n == MAX_CHANNELS)
		return -ENOSPC;
	ch = &m->ch[m->n++];
	ch->domid = domid;
	ch->gfn = gfn;
	ch->page = page;
	ch->port = port;
	ch->ev_in = ev_in;
	ch->ev_out = ev_out;
	ch->bound = false;
	return 0;
}
