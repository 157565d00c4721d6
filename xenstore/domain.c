// SPDX-License-Identifier: GPL-2.0
/*
 * Domains: INTRODUCE, RELEASE, GET_DOMAIN_PATH, IS_DOMAIN_INTRODUCED,
 * RESUME, SET_TARGET, and the special nodes @introduceDomain and
 * @releaseDomain (watchable, with their own permissions).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct domain *domains;
bool no_domain_init;

static struct perm intro_perm = { 0, PERM_NONE };
static struct perm release_perm = { 0, PERM_NONE };
static struct perms intro_perms, release_perms;

/* (Re)set both special nodes to "n0"; safe to call repeatedly. */
void domain_init_special(void)
{
	perms_free(&intro_perms);
	perms_free(&release_perms);
	intro_perms.num = 1;
	intro_perms.p = xmalloc(sizeof(struct perm));
	intro_perms.p[0] = intro_perm;
	release_perms.num = 1;
	release_perms.p = xmalloc(sizeof(struct perm));
	release_perms.p[0] = release_perm;
}

int domain_special_perms(const char *name, struct perms **out)
{
	if (!strcmp(name, "@introduceDomain"))
		*out = &intro_perms;
	else if (!strcmp(name, "@releaseDomain"))
		*out = &release_perms;
	else
		return -ENOENT;
	return 0;
}

int parse_domid(const char *s, uint32_t *out)
{
	unsigned long v;

	if (!s || parse_uint(s, DOMID_FIRST_RESERVED - 1, &v))
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

struct domain *domain_find(uint32_t domid)
{
	struct domain *d;

	for (d = domains; d; d = d->next)
		if (d->domid == domid)
			return d;
	return NULL;
}

/* The one string argument of a domain request, as a domid. */
static int domid_arg(struct request *r, uint32_t *domid)
{
	if (!r->len || memchr(r->body, '\0', r->len) != r->body + r->len - 1)
		return -EINVAL;
	return parse_domid(r->body, domid);
}

static void domain_unbind(struct domain *d)
{
	if (d->intf)
		backend->ev->unbind(backend->ctx, d->lport);
}

static void domain_free(struct domain *d)
{
	struct domain **pp;

	for (pp = &domains; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	if (d->conn) {
		d->conn->dom = NULL;
		conn_free(d->conn);
	}
	domain_unbind(d);
	if (d->intf)
		backend->gnt->unmap(backend->ctx, d->intf);
	free(d);
}

static int domain_new(uint32_t domid, uint64_t gfn, uint32_t port)
{
	struct domain *d = xzalloc(sizeof(*d));

	d->domid = domid;
	d->gfn = gfn;
	d->rport = port;
	d->intf = backend->gnt->map(backend->ctx, domid, gfn);
	if (!d->intf) {
		free(d);
		return -EINVAL;
	}
	if (backend->ev->bind(backend->ctx, domid, port, &d->lport)) {
		backend->gnt->unmap(backend->ctx, d->intf);
		free(d);
		return -EINVAL;
	}
	ring_init_server(d->intf);
	d->introduced = true;
	d->next = domains;
	domains = d;
	d->conn = ring_conn_new(d);
	return 0;
}

/* Re-introduction rebinds the event channel, as Xen's does. */
static int domain_rebind(struct domain *d, uint32_t port)
{
	unsigned int lport;

	if (backend->ev->bind(backend->ctx, d->domid, port, &lport))
		return -EINVAL;
	domain_unbind(d);
	d->lport = lport;
	d->rport = port;
	return 0;
}

int op_introduce(struct request *r)
{
	const char *v[3];
	unsigned long gfn, port;
	uint32_t domid;
	struct domain *d;
	int rc;

	if (wire_strings(r, v, 3) < 3)
		return -EINVAL;
	if (parse_domid(v[0], &domid) || !domid ||
	    parse_uint(v[1], UINT64_MAX, &gfn) ||
	    parse_uint(v[2], UINT32_MAX, &port) || !port)
		return -EINVAL;
	if (!backend)
		return -ENOSYS;
	d = domain_find(domid);
	if (d) {
		/* Same page: new event channel and a fresh connection, as
		 * Xen does for a domain that lost its ring state. */
		if (d->gfn != gfn)
			return -EINVAL;
		rc = d->rport == port ? 0 : domain_rebind(d, (uint32_t)port);
		if (!rc)
			ring_conn_reset(d);
		return rc ? rc : reply_ok(r);
	}
	rc = domain_new(domid, gfn, (uint32_t)port);
	if (rc)
		return rc;
	rc = reply_ok(r);
	watch_fire_special("@introduceDomain");
	return rc;
}

/* Nodes of a vanished domain go to dom0, so a new domain reusing the id
 * cannot inherit them (nor their quota). */
static int chown_one(const char *k, void *v, void *arg)
{
	struct node *n = v;
	uint32_t domid = *(uint32_t *)arg;

	(void)k;
	if (n->perms.p[0].id == domid) {
		tree_account(n, -1);
		n->perms.p[0].id = 0;
		tree_account(n, 1);
	}
	return 0;
}

int op_release(struct request *r)
{
	uint32_t domid;
	struct domain *d;
	int rc = domid_arg(r, &domid);

	if (rc)
		return rc;
	if (!domid)
		return -EINVAL;
	d = domain_find(domid);
	if (!d)
		return -ENOENT;
	domain_free(d);
	tree_each(chown_one, &domid);
	rc = reply_ok(r);
	watch_fire_special("@releaseDomain");
	return rc;
}

void domain_release_all(void)
{
	while (domains)
		domain_free(domains);
}

int op_get_domain_path(struct request *r)
{
	uint32_t domid;
	char buf[32];
	int rc = domid_arg(r, &domid);

	if (rc)
		return rc;
	snprintf(buf, sizeof(buf), "/local/domain/%u", domid);
	return reply_str(r, buf);
}

int op_is_domain_introduced(struct request *r)
{
	uint32_t domid;
	int rc = domid_arg(r, &domid);

	if (rc)
		return rc;
	return reply_str(r, !domid || domain_find(domid) ? "T" : "F");
}

int op_resume(struct request *r)
{
	uint32_t domid;
	struct domain *d;
	int rc = domid_arg(r, &domid);

	if (rc)
		return rc;
	d = domain_find(domid);
	if (!d)
		return -ENOENT;
	d->shutdown = false;
	return reply_ok(r);
}

int op_set_target(struct request *r)
{
	const char *v[2];
	uint32_t domid, target;
	struct domain *d;

	if (wire_strings(r, v, 2) < 2 || parse_domid(v[0], &domid) ||
	    parse_domid(v[1], &target))
		return -EINVAL;
	d = domain_find(domid);
	if (!d || !domain_find(target))
		return -ENOENT;
	d->conn->target = target;
	return reply_ok(r);
}

/*
 * -D: socket clients are domain 0 and their relative paths resolve under
 * /local/domain/0, which is created (directly, firing no watches) at
 * start-up and again whenever a relative path is used after it was
 * removed.
 */
void domain_home0_ensure(void)
{
	static const char *const p[] = { "/local", "/local/domain",
					 "/local/domain/0" };
	struct node *n, *parent;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		if (tree_lookup(p[i]))
			continue;
		parent = tree_lookup(i ? p[i - 1] : "/");
		tree_account(parent, -1);
		node_add_child(parent, path_base(p[i]));
		parent->gen = tree_next_gen();
		tree_account(parent, 1);
		n = node_new(p[i]);
		perms_copy(&n->perms, &parent->perms);
		tree_put(n);
	}
}
