// SPDX-License-Identifier: GPL-2.0
/*
 * Watches.  A watch on P fires for a change of P or anything below it;
 * removal of a subtree also fires watches set exactly on the removed
 * descendants.  Special watches ("@introduceDomain", "@releaseDomain")
 * fire only on their own name.  A connection only learns about changes of
 * nodes it could read.  Each watch fires at most once per operation.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

unsigned long dropped_events;

bool watch_matches(const struct watch *w, const char *path, bool exact)
{
	if (exact || w->path[0] == '@' || path[0] == '@')
		return !strcmp(w->path, path);
	return path_is_under(path, w->path);
}

int watch_add(struct conn *c, const char *path, const char *token,
	      bool relative)
{
	struct watch *w, **pp;

	for (pp = &c->watches; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->path, path) && !strcmp((*pp)->token, token))
			return -EEXIST;
	/* As in Xen: refused once more than the quota exist (quota + 1). */
	if (!c->priv && c->nr_watches > quota.watches)
		return -E2BIG;
	w = xzalloc(sizeof(*w));
	w->path = xstrdup(path);
	w->token = xstrdup(token);
	w->relative = relative;
	*pp = w;
	c->nr_watches++;
	return 0;
}

static void watch_free(struct watch *w)
{
	free(w->path);
	free(w->token);
	free(w);
}

int watch_del(struct conn *c, const char *path, const char *token)
{
	struct watch *w, **pp;

	for (pp = &c->watches; (w = *pp); pp = &w->next)
		if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
			*pp = w->next;
			watch_free(w);
			c->nr_watches--;
			return 0;
		}
	return -ENOENT;
}

void watch_del_all(struct conn *c)
{
	struct watch *w;

	while ((w = c->watches)) {
		c->watches = w->next;
		watch_free(w);
	}
	c->nr_watches = 0;
}

int event_add(struct eventlist *l, const char *path, const struct perms *p,
	      bool exact)
{
	struct event *e = xzalloc(sizeof(*e));

	e->path = xstrdup(path);
	perms_copy(&e->perms, p);
	e->exact = exact;
	if (l->tail)
		l->tail->next = e;
	else
		l->head = e;
	l->tail = e;
	return 0;
}

void event_list_free(struct eventlist *l)
{
	struct event *e;

	while ((e = l->head)) {
		l->head = e->next;
		free(e->path);
		perms_free(&e->perms);
		free(e);
	}
	l->tail = NULL;
}

int note_change(struct conn *c, struct eventlist *l, const char *path,
		const struct perms *p, bool exact)
{
	if (c->cur_tx)
		return event_add(&c->cur_tx->events, path, p, exact);
	return event_add(l, path, p, exact);
}

static void send_event(struct conn *c, struct watch *w, const char *path)
{
	size_t plen, tlen, dlen;
	char buf[XENSTORE_PAYLOAD_MAX];

	if (w->relative && c->dom_path) {
		dlen = strlen(c->dom_path);
		if (!strncmp(path, c->dom_path, dlen) && path[dlen] == '/')
			path += dlen + 1;
	}
	plen = strlen(path) + 1;
	tlen = strlen(w->token) + 1;
	if (plen + tlen > XENSTORE_PAYLOAD_MAX) {
		dropped_events++;
		return;
	}
	memcpy(buf, path, plen);
	memcpy(buf + plen, w->token, tlen);
	conn_queue(c, XS_WATCH_EVENT, 0, 0, buf, plen + tlen, true);
}

void events_fire(struct eventlist *l)
{
	static uint64_t op_serial;
	struct event *e;
	struct conn *c;
	struct watch *w;

	op_serial++;
	for (e = l->head; e; e = e->next)
		for (c = conns; c; c = c->next) {
			if (c->dead)
				continue;
			if (!(perm_for_conn(c, &e->perms) & PERM_READ))
				continue;
			for (w = c->watches; w; w = w->next) {
				if (w->fired_op == op_serial ||
				    !watch_matches(w, e->path, e->exact))
					continue;
				w->fired_op = op_serial;
				send_event(c, w, e->path);
			}
		}
	event_list_free(l);
}

/* Fire one watch right after WATCH: clients rely on the initial event. */
void watch_fire_initial(struct conn *c, const char *path, const char *token)
{
	struct watch *w;

	for (w = c->watches; w; w = w->next)
		if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
			send_event(c, w, path);
			return;
		}
}

void watch_fire_special(const char *name)
{
	struct eventlist l = { NULL, NULL };
	struct perms *p;

	if (domain_special_perms(name, &p))
		return;
	event_add(&l, name, p, true);
	events_fire(&l);
}
