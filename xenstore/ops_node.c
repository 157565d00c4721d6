// SPDX-License-Identifier: GPL-2.0
/*
 * Handlers for node requests: READ, WRITE, MKDIR, RM, DIRECTORY,
 * DIRECTORY_PART, GET_PERMS, SET_PERMS.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* The single argument: the body must hold exactly one string. */
static const char *onearg(const struct request *r)
{
	if (!r->len || memchr(r->body, '\0', r->len) != r->body + r->len - 1)
		return NULL;
	return r->body;
}

/*
 * Xen hides whether a node exists from those who may not know: a failure
 * is reported as EACCES unless the nearest existing ancestor grants some
 * of the wanted access.
 */
static int parents_error(struct conn *c, const char *path, int err,
			 unsigned int need)
{
	char *p = xstrdup(path), *q;
	struct node *n = NULL;

	while (strcmp(p, "/")) {
		q = path_parent(p);
		free(p);
		p = q;
		n = view_get(c, p);
		if (n)
			break;
	}
	free(p);
	if (n && (perm_for_conn(c, &n->perms) & need))
		return err;
	return -EACCES;
}

/*
 * Resolve arg to a canonical path (*path, always set on success or on
 * -ENOENT/-EACCES) and the node, checking access need.
 */
static int lookup(struct request *r, const char *arg, unsigned int need,
		  char **path, struct node **out)
{
	struct conn *c = r->c;
	struct node *n;
	bool rel;
	int rc;

	*path = NULL;
	*out = NULL;
	if (!arg)
		return -EINVAL;
	rc = path_canonical(c, arg, path, &rel);
	if (rc)
		return rc;
	n = view_get(c, *path);
	if (n && (perm_for_conn(c, &n->perms) & need) == need) {
		*out = n;
		return 0;
	}
	return parents_error(c, *path, n ? -EACCES : -ENOENT, need);
}

int op_read(struct request *r)
{
	struct node *n;
	char *path;
	int rc = lookup(r, onearg(r), PERM_READ, &path, &n);

	if (!rc)
		rc = reply(r, n->value, n->vlen);
	free(path);
	return rc;
}

/* Size and memory quotas for an unprivileged writer. */
static int size_quota(struct conn *c, const struct node *n, size_t newsize)
{
	size_t old = n ? node_size(n) : 0;

	if (c->priv)
		return 0;
	if (newsize >= quota.node_size)
		return -ENOSPC;
	if (newsize > old &&
	    (unsigned long)quota_nodes_bytes(c->id) + (newsize - old) >
		    quota.memory)
		return -ENOMEM;
	return 0;
}

/* Record size of a node about to be created: it inherits the perms of
 * its nearest existing ancestor. */
static size_t new_node_size(struct conn *c, const char *path, uint32_t vlen)
{
	char *p = path_parent(path), *q;
	struct node *n;

	while (!(n = view_get(c, p))) {
		q = path_parent(p);
		free(p);
		p = q;
	}
	free(p);
	return 24 + 8 * (size_t)n->perms.num + vlen;
}

static int write_node(struct request *r, const char *arg, const char *val,
		      uint32_t vlen, bool mkdir)
{
	struct conn *c = r->c;
	struct eventlist ev = { NULL, NULL };
	struct node *n;
	char *path;
	int rc = lookup(r, arg, PERM_WRITE, &path, &n);

	if (rc == -ENOENT) {
		rc = size_quota(c, NULL, new_node_size(c, path, vlen));
		if (!rc)
			rc = view_create(c, path, val, vlen, &n);
	} else if (!rc && !mkdir) {
		rc = size_quota(c, n, node_size(n) - n->vlen + vlen);
		if (!rc) {
			n = view_modify(c, path);
			node_set_value(n, val, vlen);
			view_done(c, n);
		}
	} else if (!rc) {
		/* MKDIR of an existing node changes nothing. */
		free(path);
		return reply_ok(r);
	}
	if (!rc)
		note_change(c, &ev, path, &n->perms, false);
	free(path);
	if (rc)
		return rc;
	events_fire(&ev);
	return reply_ok(r);
}

int op_write(struct request *r)
{
	const char *v[1];
	size_t off;

	if (wire_strings(r, v, 1) < 1)
		return -EINVAL;
	off = strlen(v[0]) + 1;
	return write_node(r, v[0], r->body + off, r->len - (uint32_t)off,
			  false);
}

int op_mkdir(struct request *r)
{
	return write_node(r, onearg(r), "", 0, true);
}

int op_rm(struct request *r)
{
	struct conn *c = r->c;
	struct eventlist ev = { NULL, NULL };
	struct node *n;
	char *path, *parent;
	int rc = lookup(r, onearg(r), PERM_WRITE, &path, &n);

	if (rc == -ENOENT) {
		/* Removing a missing node is fine if its parent exists. */
		parent = path_parent(path);
		rc = view_get(c, parent) ? 0 : -ENOENT;
		free(parent);
		free(path);
		return rc ? rc : reply_ok(r);
	}
	if (!rc && !strcmp(path, "/"))
		rc = -EINVAL;
	if (!rc) {
		note_change(c, &ev, path, &n->perms, false);
		rc = view_delete(c, path, &ev);
	}
	free(path);
	if (rc) {
		event_list_free(&ev);
		return rc;
	}
	events_fire(&ev);
	return reply_ok(r);
}

int op_directory(struct request *r)
{
	struct node *n;
	char *path;
	int rc = lookup(r, onearg(r), PERM_READ, &path, &n);

	if (!rc)
		rc = reply(r, n->children, n->clen);
	free(path);
	return rc;
}

/* Children from a byte offset, prefixed by the node's generation so the
 * client can tell whether the list changed between calls. */
static int directory_part(struct request *r, const struct node *n,
			  unsigned long off)
{
	char buf[XENSTORE_PAYLOAD_MAX + 1];
	size_t glen, len = 0, max, cl;
	const char *child;

	glen = (size_t)sprintf(buf, "%" PRIu64, n->gen) + 1;
	if (off >= n->clen) {
		buf[glen] = '\0';
		return reply(r, buf, glen + 1);
	}
	max = XENSTORE_PAYLOAD_MAX - glen - 1;
	child = n->children + off;
	while (off + len < n->clen) {
		cl = strlen(child + len);
		if (len + cl >= max)
			break;
		len += cl + 1;
	}
	memcpy(buf + glen, n->children + off, len);
	if (off + len == n->clen)
		buf[glen + len++] = '\0';
	return reply(r, buf, glen + len);
}

int op_directory_part(struct request *r)
{
	const char *v[2];
	unsigned long off;
	struct node *n;
	char *path;
	int rc;

	if (wire_strings(r, v, 2) != 2 || r->body[r->len - 1])
		return -EINVAL;
	if (parse_uint(v[1], UINT32_MAX, &off))
		return -EINVAL;
	rc = lookup(r, v[0], PERM_READ, &path, &n);
	if (!rc)
		rc = directory_part(r, n, off);
	free(path);
	return rc;
}

static int special_perms(struct request *r, const char *name,
			 unsigned int need, struct perms **p)
{
	if (domain_special_perms(name, p))
		return -ENOENT;
	if ((perm_for_conn(r->c, *p) & need) != need)
		return -EACCES;
	return 0;
}

int op_get_perms(struct request *r)
{
	const char *arg = onearg(r);
	struct perms *sp;
	struct node *n;
	char *path = NULL, *s;
	size_t len;
	int rc;

	if (arg && arg[0] == '@') {
		rc = special_perms(r, arg, PERM_READ, &sp);
	} else {
		rc = lookup(r, arg, PERM_READ, &path, &n);
		sp = n ? &n->perms : NULL;
	}
	free(path);
	if (rc)
		return rc;
	s = perms_format(sp, &len);
	rc = reply(r, s, len);
	free(s);
	return rc;
}

static int set_node_perms(struct request *r, const char *arg,
			  struct perms *np)
{
	struct conn *c = r->c;
	struct eventlist ev = { NULL, NULL };
	struct node *n;
	char *path;
	int rc = lookup(r, arg, PERM_WRITE | PERM_OWNER, &path, &n);

	if (!rc && !c->priv && np->p[0].id != n->perms.p[0].id)
		rc = -EPERM;
	if (!rc)
		rc = size_quota(c, n, node_size(n) + 8 * np->num -
					      8 * n->perms.num);
	if (!rc) {
		/* Tell watchers allowed by the old or the new perms. */
		note_change(c, &ev, path, &n->perms, false);
		n = view_modify(c, path);
		perms_free(&n->perms);
		n->perms = *np;
		np->p = NULL;
		view_done(c, n);
		note_change(c, &ev, path, &n->perms, false);
	}
	free(path);
	if (rc)
		return rc;
	events_fire(&ev);
	return reply_ok(r);
}

int op_set_perms(struct request *r)
{
	const char *v[1];
	struct perms np, *sp;
	size_t off;
	int rc;

	if (wire_strings(r, v, 1) < 2 || r->body[r->len - 1])
		return -EINVAL;
	off = strlen(v[0]) + 1;
	rc = perms_parse(r->body + off, r->len - off, &np);
	if (rc)
		return rc;
	if (!r->c->priv && np.num > quota.perms) {
		rc = -ENOSPC;
	} else if (v[0][0] == '@') {
		rc = special_perms(r, v[0], PERM_WRITE | PERM_OWNER, &sp);
		if (!rc) {
			perms_free(sp);
			*sp = np;
			np.p = NULL;
			rc = reply_ok(r);
		}
	} else {
		rc = set_node_perms(r, v[0], &np);
	}
	perms_free(&np);
	return rc;
}
