// SPDX-License-Identifier: GPL-2.0
/*
 * The node store.  The main store is a hash table from canonical path to
 * node; parent/child structure lives in each node's children list, like
 * Xen's records.  Every change stamps the node with a new store
 * generation, which transactions use to detect conflicts.
 *
 * Requests reach nodes through the view_* functions, which read and write
 * either the main store directly or a transaction's private overlay.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "core.h"

static struct htab store;
static uint64_t store_gen;

/* Size of Xen's record header (generation, perm count, lengths). */
#define RECORD_HDR 24
#define RECORD_PERM 8

size_t node_size(const struct node *n)
{
	return RECORD_HDR + (size_t)n->perms.num * RECORD_PERM + n->vlen +
	       n->clen;
}

struct node *node_new(const char *path)
{
	struct node *n = xzalloc(sizeof(*n));

	n->path = xstrdup(path);
	return n;
}

struct node *node_dup(const struct node *o)
{
	struct node *n = node_new(o->path);

	node_set_value(n, o->value, o->vlen);
	perms_copy(&n->perms, &o->perms);
	n->children = xmalloc(o->clen + 1);
	if (o->clen)
		memcpy(n->children, o->children, o->clen);
	n->clen = n->ccap = o->clen;
	n->gen = o->gen;
	n->deleted = o->deleted;
	return n;
}

void node_free(struct node *n)
{
	if (!n)
		return;
	free(n->path);
	free(n->value);
	free(n->children);
	perms_free(&n->perms);
	free(n);
}

int node_set_value(struct node *n, const void *v, uint32_t len)
{
	char *nv = xmalloc(len + 1);

	if (len)
		memcpy(nv, v, len);
	nv[len] = '\0';
	free(n->value);
	n->value = nv;
	n->vlen = len;
	return 0;
}

static long child_offset(const struct node *n, const char *name)
{
	uint32_t off;

	for (off = 0; off < n->clen; off += strlen(n->children + off) + 1)
		if (!strcmp(n->children + off, name))
			return off;
	return -1;
}

bool node_has_child(const struct node *n, const char *name)
{
	return child_offset(n, name) >= 0;
}

int node_add_child(struct node *n, const char *name)
{
	size_t len = strlen(name) + 1;

	if (n->clen + len > n->ccap) {
		n->ccap = (n->clen + len) * 2;
		n->children = xrealloc(n->children, n->ccap);
	}
	memcpy(n->children + n->clen, name, len);
	n->clen += len;
	return 0;
}

bool node_del_child(struct node *n, const char *name)
{
	long off = child_offset(n, name);
	size_t len;

	if (off < 0)
		return false;
	len = strlen(name) + 1;
	memmove(n->children + off, n->children + off + len,
		n->clen - off - len);
	n->clen -= len;
	return true;
}

/* ---- main store ----------------------------------------------------- */

uint64_t tree_next_gen(void)
{
	return ++store_gen;
}

uint64_t tree_current_gen(void)
{
	return store_gen;
}

struct node *tree_lookup(const char *path)
{
	return htab_get(&store, path);
}

size_t tree_count(void)
{
	return store.n;
}

void tree_account(struct node *n, int sign)
{
	quota_nodes_add(n->perms.p[0].id, sign,
			sign * (long)(node_size(n) + strlen(n->path)));
}

void tree_put(struct node *n)
{
	void *old;

	n->gen = tree_next_gen();
	n->in_main = true;
	n->deleted = false;
	tree_account(n, 1);
	htab_put(&store, n->path, n, &old);
	if (old && old != n) {
		tree_account(old, -1);
		node_free(old);
	}
}

void tree_remove(const char *path)
{
	struct node *n = htab_del(&store, path);

	if (n) {
		tree_account(n, -1);
		node_free(n);
		store_gen++;
	}
}

static void add_initial(const char *path, const char *child)
{
	struct node *n = node_new(path);

	n->perms.num = 1;
	n->perms.p = xzalloc(sizeof(struct perm));
	if (child)
		node_add_child(n, child);
	tree_put(n);
}

int tree_init(void)
{
	htab_init(&store, 1024);
	store_gen = 0;
	add_initial("/", "tool");
	add_initial("/tool", "xenstored");
	add_initial("/tool/xenstored", NULL);
	return 0;
}

static int free_one(const char *k, void *v, void *arg)
{
	(void)k;
	(void)arg;
	node_free(v);
	return 0;
}

void tree_destroy(void)
{
	htab_each(&store, free_one, NULL);
	htab_free(&store);
	quota_reset();
}

struct check_ctx {
	size_t reached;
	char *msg;
	size_t len;
	int bad;
};

static int check_node(const char *path, struct check_ctx *cc, int depth)
{
	struct node *n = tree_lookup(path);
	uint32_t off;
	char *child;

	if (!n || depth > 2048 || n->perms.num < 1 || n->deleted) {
		snprintf(cc->msg, cc->len, "bad node %s", path);
		return -EIO;
	}
	cc->reached++;
	for (off = 0; off < n->clen; off += strlen(n->children + off) + 1) {
		if (!strcmp(path, "/"))
			child = xasprintf("/%s", n->children + off);
		else
			child = xasprintf("%s/%s", path, n->children + off);
		cc->bad = check_node(child, cc, depth + 1);
		free(child);
		if (cc->bad)
			return cc->bad;
	}
	return 0;
}

static int count_owner(const char *k, void *v, void *arg)
{
	struct node *n = v;
	long *count = arg;

	(void)k;
	if (n->perms.p[0].id < DOMID_FIRST_RESERVED)
		count[n->perms.p[0].id]++;
	return 0;
}

/* The per-domain node counts used by the quotas match the store. */
static int check_accounting(char *msg, size_t len)
{
	static long count[DOMID_FIRST_RESERVED];
	const long *acct = quota_nodes_table();
	uint32_t d;

	memset(count, 0, sizeof(count));
	htab_each(&store, count_owner, count);
	if (!memcmp(count, acct, sizeof(count)))
		return 0;
	for (d = 0; count[d] == acct[d]; d++)
		;
	snprintf(msg, len, "domain %u owns %ld nodes, accounted %ld", d,
		 count[d], acct[d]);
	return -EIO;
}

/*
 * Structural check: every listed child exists, every stored node is
 * reachable from the root exactly once, and quota accounting agrees.
 * Used by CONTROL "check", tests and the fuzzer.
 */
int tree_check(char *msg, size_t len)
{
	struct check_ctx cc = { 0, msg, len, 0 };

	snprintf(msg, len, "OK");
	if (check_node("/", &cc, 0))
		return -EIO;
	if (cc.reached != store.n) {
		snprintf(msg, len, "%zu nodes reachable, %zu stored",
			 cc.reached, store.n);
		return -EIO;
	}
	return check_accounting(msg, len);
}

/* ---- views ---------------------------------------------------------- */

struct node *view_get(struct conn *c, const char *path)
{
	struct txn *t = c->cur_tx;
	struct node *n;
	bool seen;

	if (!t)
		return tree_lookup(path);
	n = htab_get(&t->overlay, path);
	if (n)
		return n->deleted ? NULL : n;
	n = txn_seen(t, path, &seen);
	if (seen)
		return n;
	txn_note_access(t, path, tree_lookup(path));
	return txn_seen(t, path, &seen);
}

/*
 * Writable node for path, or NULL if absent.  In a transaction the node is
 * copied into the overlay first.  Callers must validate before changing
 * anything and call view_done() afterwards.
 */
struct node *view_modify(struct conn *c, const char *path)
{
	struct txn *t = c->cur_tx;
	struct node *n = view_get(c, path);

	if (!n)
		return NULL;
	if (!t) {
		tree_account(n, -1);
		return n;
	}
	if (htab_get(&t->overlay, path) != n) {
		n = node_dup(n);
		htab_put(&t->overlay, n->path, n, NULL);
	}
	return n;
}

void view_done(struct conn *c, struct node *n)
{
	if (c->cur_tx)
		return;
	n->gen = tree_next_gen();
	tree_account(n, 1);
}

static void view_insert(struct conn *c, struct node *n)
{
	struct txn *t = c->cur_tx;
	void *old = NULL;

	if (!t) {
		tree_put(n);
		return;
	}
	htab_put(&t->overlay, n->path, n, &old);
	if (old)
		node_free(old);
	if (n->perms.p[0].id == c->id)
		t->entry_delta++;
}

/* Quotas for new nodes created by an unprivileged connection. */
static int create_quota(struct conn *c, const struct node *parent,
			const char *child, size_t count)
{
	long have;

	if (c->priv)
		return 0;
	have = quota_nodes_count(c->id) + (c->cur_tx ? c->cur_tx->entry_delta
						       : 0);
	if ((unsigned long)have + count > quota.nodes)
		return -ENOSPC;
	if (node_size(parent) + strlen(child) + 1 >= quota.node_size)
		return -ENOSPC;
	return 0;
}

/*
 * Create path and any missing ancestors.  New nodes inherit their parent's
 * permissions; an unprivileged creator becomes the owner.  The path must
 * not exist in this view.  Nothing changes unless every quota allows it.
 */
int view_create(struct conn *c, const char *path, const void *val,
		uint32_t vlen, struct node **out)
{
	char **miss = NULL;
	size_t nmiss = 0, i;
	char *p = xstrdup(path);
	struct node *parent, *n;
	int rc;

	while (!view_get(c, p)) {
		miss = xrealloc(miss, (nmiss + 1) * sizeof(*miss));
		miss[nmiss++] = p;
		p = path_parent(p);
	}
	parent = view_get(c, p);
	rc = create_quota(c, parent, path_base(miss[nmiss - 1]), nmiss);
	if (rc)
		goto out;
	parent = view_modify(c, p);
	node_add_child(parent, path_base(miss[nmiss - 1]));
	view_done(c, parent);
	for (i = nmiss; i-- > 0;) {
		n = node_new(miss[i]);
		perms_copy(&n->perms, &parent->perms);
		if (!c->priv)
			n->perms.p[0].id = c->id;
		if (i > 0)
			node_add_child(n, path_base(miss[i - 1]));
		else
			node_set_value(n, val, vlen);
		view_insert(c, n);
		parent = n;
	}
	*out = parent;
out:
	for (i = 0; i < nmiss; i++)
		free(miss[i]);
	free(miss);
	free(p);
	return rc;
}

static void delete_rec(struct conn *c, const char *path, struct eventlist *ev)
{
	struct node *n = view_get(c, path);
	uint32_t off;
	char *child;
	struct txn *t = c->cur_tx;
	void *old;

	if (!n)
		return;
	for (off = 0; off < n->clen; off += strlen(n->children + off) + 1) {
		if (!strcmp(path, "/"))
			child = xasprintf("/%s", n->children + off);
		else
			child = xasprintf("%s/%s", path, n->children + off);
		delete_rec(c, child, ev);
		free(child);
	}
	note_change(c, ev, path, &n->perms, true);
	if (!t) {
		tree_remove(path);
		return;
	}
	if (n->perms.p[0].id == c->id)
		t->entry_delta--;
	n = node_new(path);
	n->deleted = true;
	n->perms.num = 1;
	n->perms.p = xzalloc(sizeof(struct perm));
	htab_put(&t->overlay, n->path, n, &old);
	node_free(old);
}

/* Remove path and its subtree; the caller checked it exists and is not
 * the root.  Exact-path events for every removed node go to ev. */
int view_delete(struct conn *c, const char *path, struct eventlist *ev)
{
	char *pp = path_parent(path);
	struct node *parent = view_modify(c, pp);

	free(pp);
	if (!parent)
		return -EIO;
	node_del_child(parent, path_base(path));
	view_done(c, parent);
	delete_rec(c, path, ev);
	return 0;
}

int tree_each(int (*fn)(const char *, void *, void *), void *arg)
{
	return htab_each(&store, fn, arg);
}
