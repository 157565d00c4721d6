// SPDX-License-Identifier: GPL-2.0
/*
 * Transactions.  A transaction keeps a private overlay of the nodes it
 * changed and remembers the generation of every main-store node it looked
 * at (or that the node was absent).  Commit succeeds only if none of those
 * nodes changed since; then the overlay is moved into the main store in
 * one step, so a transaction either applies completely or not at all and
 * never leaves the tree half-updated.  Otherwise the caller gets EAGAIN.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

unsigned long txn_conflicts;

/* What the transaction saw of a main-store node when it first looked:
 * later reads return the same copy, so reads inside a transaction are
 * repeatable even while others change the store. */
struct access {
	uint64_t gen;
	bool present;
	struct node *copy;
	char path[];
};

/* Distinct nodes the transaction has touched: every node it created or
 * changed was looked up first, so the access table covers them. */
static size_t txn_size(const struct txn *t)
{
	return t->access.n;
}

int txn_note_access(struct txn *t, const char *path, const struct node *n)
{
	struct access *a;
	size_t len;

	if (htab_get(&t->access, path))
		return 0;
	len = strlen(path) + 1;
	a = xmalloc(sizeof(*a) + len);
	memcpy(a->path, path, len);
	a->present = n != NULL;
	a->gen = n ? n->gen : 0;
	a->copy = n ? node_dup(n) : NULL;
	htab_put(&t->access, a->path, a, NULL);
	return 0;
}

int txn_start(struct conn *c, uint32_t *id)
{
	struct txn *t;

	/* Xen refuses only once more than the quota are open, so a domain
	 * may hold quota + 1; keep that for compatibility. */
	if (!c->priv && c->nr_txns > quota.transactions)
		return -ENOSPC;
	do {
		c->next_txid++;
	} while (!c->next_txid || txn_find(c, c->next_txid));
	t = xzalloc(sizeof(*t));
	t->id = c->next_txid;
	htab_init(&t->access, 64);
	htab_init(&t->overlay, 32);
	t->next = c->txns;
	c->txns = t;
	c->nr_txns++;
	*id = t->id;
	return 0;
}

struct txn *txn_find(struct conn *c, uint32_t id)
{
	struct txn *t;

	for (t = c->txns; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

struct node *txn_seen(struct txn *t, const char *path, bool *seen)
{
	struct access *a = htab_get(&t->access, path);

	*seen = a != NULL;
	return a ? a->copy : NULL;
}

static int free_access(const char *k, void *v, void *arg)
{
	struct access *a = v;

	(void)k;
	(void)arg;
	node_free(a->copy);
	free(a);
	return 0;
}

static int free_overlay(const char *k, void *v, void *arg)
{
	(void)k;
	(void)arg;
	node_free(v);
	return 0;
}

static void txn_free(struct txn *t)
{
	htab_each(&t->access, free_access, NULL);
	htab_free(&t->access);
	htab_each(&t->overlay, free_overlay, NULL);
	htab_free(&t->overlay);
	event_list_free(&t->events);
	free(t);
}

static int check_access(const char *k, void *v, void *arg)
{
	struct access *a = v;
	struct node *n = tree_lookup(k);

	(void)arg;
	if (a->present != (n != NULL))
		return 1;
	return n && n->gen != a->gen;
}

static int apply_one(const char *k, void *v, void *arg)
{
	struct node *n = v;

	(void)arg;
	if (n->deleted) {
		tree_remove(k);
		node_free(n);
	} else {
		tree_put(n);
	}
	return 0;
}

static void unlink_txn(struct conn *c, struct txn *t)
{
	struct txn **pp;

	for (pp = &c->txns; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			c->nr_txns--;
			return;
		}
}

int txn_end(struct conn *c, struct txn *t, bool commit)
{
	int rc = 0;

	unlink_txn(c, t);
	if (commit && t->failed) {
		rc = -EIO;
	} else if (commit && htab_each(&t->access, check_access, NULL)) {
		txn_conflicts++;
		rc = -EAGAIN;
	} else if (commit) {
		/* The overlay's nodes move into the store. */
		htab_each(&t->overlay, apply_one, NULL);
		htab_free(&t->overlay);
		htab_init(&t->overlay, 1);
		events_fire(&t->events);
	}
	txn_free(t);
	return rc;
}

void txn_free_all(struct conn *c)
{
	struct txn *t;

	while ((t = c->txns)) {
		c->txns = t->next;
		txn_free(t);
	}
	c->nr_txns = 0;
}

/*
 * Unprivileged transactions may touch quota.trans_nodes nodes.  Checked
 * before each request, so the request that reaches the limit completes
 * and the next one fails.
 */
int txn_check_size(struct conn *c)
{
	if (c->cur_tx && !c->priv && txn_size(c->cur_tx) >= quota.trans_nodes)
		return -ENOSPC;
	return 0;
}
