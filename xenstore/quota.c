// SPDX-License-Identifier: GPL-2.0
/*
 * Per-domain quotas, with Xen 4.17's defaults.  Only unprivileged
 * connections (guest domains) are limited; dom0 and socket clients are
 * not, as in Xen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct quota quota;

static long owned_count[DOMID_FIRST_RESERVED];
static long owned_bytes[DOMID_FIRST_RESERVED];

void quota_defaults(void)
{
	quota.nodes = 1000;
	quota.watches = 128;
	quota.node_size = 2048;
	quota.transactions = 10;
	quota.perms = 5;
	quota.path_max = XENSTORE_REL_PATH_MAX;
	quota.outstanding = 20;
	quota.trans_nodes = 1024;
	quota.memory = 2 * 1024 * 1024 + 512 * 1024;
}

static const struct {
	const char *name;
	size_t off;
} names[] = {
	{ "nodes", offsetof(struct quota, nodes) },
	{ "watches", offsetof(struct quota, watches) },
	{ "node-size", offsetof(struct quota, node_size) },
	{ "transactions", offsetof(struct quota, transactions) },
	{ "node-permissions", offsetof(struct quota, perms) },
	{ "path-length", offsetof(struct quota, path_max) },
	{ "outstanding", offsetof(struct quota, outstanding) },
	{ "transaction-nodes", offsetof(struct quota, trans_nodes) },
	{ "memory", offsetof(struct quota, memory) },
};

/* "what=value", as -Q and CONTROL quota take it. */
int quota_set(const char *arg)
{
	const char *eq = strchr(arg, '=');
	unsigned long v;
	size_t i;

	if (!eq || parse_uint(eq + 1, 0x7fffffff, &v))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i].name) == (size_t)(eq - arg) &&
		    !strncmp(arg, names[i].name, (size_t)(eq - arg))) {
			*(unsigned long *)((char *)&quota + names[i].off) = v;
			return 0;
		}
	return -EINVAL;
}

char *quota_report(void)
{
	char *s = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		t = xasprintf("%s%-18s %lu\n", s, names[i].name,
			      *(unsigned long *)((char *)&quota +
						 names[i].off));
		free(s);
		s = t;
	}
	return s;
}

void quota_nodes_add(uint32_t domid, long count, long bytes)
{
	if (domid >= DOMID_FIRST_RESERVED)
		return;
	owned_count[domid] += count;
	owned_bytes[domid] += bytes;
}

long quota_nodes_count(uint32_t domid)
{
	return domid < DOMID_FIRST_RESERVED ? owned_count[domid] : 0;
}

long quota_nodes_bytes(uint32_t domid)
{
	return domid < DOMID_FIRST_RESERVED ? owned_bytes[domid] : 0;
}

/* Node counts indexed by domid, DOMID_FIRST_RESERVED entries. */
const long *quota_nodes_table(void)
{
	return owned_count;
}

void quota_reset(void)
{
	memset(owned_count, 0, sizeof(owned_count));
	memset(owned_bytes, 0, sizeof(owned_bytes));
}
