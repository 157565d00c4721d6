// SPDX-License-Identifier: GPL-2.0
/* Unit-test harness: in-memory connections driving the real dispatcher. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

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

static long t_read(struct conn *c, void *buf, size_t len)
{
	(void)c;
	(void)buf;
	(void)len;
	return 0;
}

static long t_write(struct conn *c, const void *buf, size_t len)
{
	struct tconn *t = c->tdata;

	if (len > sizeof(t->out) - t->out_len)
		len = sizeof(t->out) - t->out_len;
	memcpy(t->out + t->out_len, buf, len);
	t->out_len += len;
	return (long)len;
}

static void t_destroy(struct conn *c)
{
	struct tconn *t = c->tdata;
	unsigned int i;

	for (i = 0; i < t->nev; i++)
		free(t->events[i]);
	free(t);
}

static const struct conn_ops t_ops = { t_read, t_write, t_destroy };

void h_setup(void)
{
	quota_defaults();
	no_domain_init = true;
	tree_init();
	domain_init_special();
}

void h_teardown(void)
{
	while (conns)
		conn_free(conns);
	tree_destroy();
}

struct tconn *h_conn(uint32_t domid, bool priv)
{
	struct tconn *t = calloc(1, sizeof(*t));

	t->c = conn_new(&t_ops, t, domid, priv);
	return t;
}

/* Split captured output into events (kept) and the reply (returned). */
static uint32_t collect(struct tconn *t, char *rep, size_t *rlen)
{
	struct xsd_sockmsg h;
	size_t off = 0;
	uint32_t type = XS_INVALID;
	char *e;
	size_t i;

	conn_handle_output(t->c);
	while (off + sizeof(h) <= t->out_len) {
		memcpy(&h, t->out + off, sizeof(h));
		off += sizeof(h);
		if (h.type == XS_WATCH_EVENT) {
			e = calloc(1, h.len + 1);
			memcpy(e, t->out + off, h.len);
			for (i = 0; i + 1 < h.len; i++)
				if (!e[i])
					e[i] = ' ';
			if (t->nev < H_MAX_EVENTS)
				t->events[t->nev++] = e;
			else
				free(e);
		} else if (type == XS_INVALID) {
			type = h.type;
			if (rep)
				memcpy(rep, t->out + off, h.len);
			if (rep)
				rep[h.len] = '\0';
			if (rlen)
				*rlen = h.len;
		}
		off += h.len;
	}
	t->out_len = 0;
	return type;
}

uint32_t h_req(struct tconn *t, uint32_t type, uint32_t tx, const void *body,
	       size_t len, char *rep, size_t *rlen)
{
	struct xsd_sockmsg h = { type, 42, tx, (uint32_t)len };

	conn_feed(t->c, (const char *)&h, sizeof(h));
	conn_feed(t->c, body, len);
	return collect(t, rep, rlen);
}

uint32_t h_req_args(struct tconn *t, uint32_t type, uint32_t tx,
		    const char *args, char *rep, size_t *rlen)
{
	size_t len = strlen(args) + 1, i;
	char *b = strdup(args);
	uint32_t r;

	for (i = 0; i < len; i++)
		if (b[i] == '\n')
			b[i] = '\0';
	r = h_req(t, type, tx, b, len, rep, rlen);
	free(b);
	return r;
}

const char *h_do(struct tconn *t, uint32_t type, uint32_t tx,
		 const char *args)
{
	static char rep[XENSTORE_PAYLOAD_MAX + 1];
	size_t len = 0, i;

	h_req_args(t, type, tx, args, rep, &len);
	/* Show multi-string replies with '\n' separators. */
	for (i = 0; i + 1 < len; i++)
		if (!rep[i])
			rep[i] = '\n';
	return rep;
}

const char *h_event(struct tconn *t)
{
	if (t->evpos < t->nev)
		return t->events[t->evpos++];
	collect(t, NULL, NULL);
	return t->evpos < t->nev ? t->events[t->evpos++] : NULL;
}

void h_check_tree(void)
{
	char msg[256];

	ck_assert_msg(tree_check(msg, sizeof(msg)) == 0, "tree: %s", msg);
}

int h_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
