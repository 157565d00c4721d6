// SPDX-License-Identifier: GPL-2.0
/*
 * Handlers for per-connection state: WATCH, UNWATCH, RESET_WATCHES,
 * TRANSACTION_START, TRANSACTION_END.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* Watch path: special "@name" as is, else canonical. */
static int watch_path(struct request *r, const char *in, char **out,
		      bool *rel)
{
	if (in[0] == '@') {
		*rel = false;
		if (strlen(in) > XENSTORE_REL_PATH_MAX ||
		    !path_valid_special(in))
			return -EINVAL;
		*out = xstrdup(in);
		return 0;
	}
	return path_canonical(r->c, in, out, rel);
}

int op_watch(struct request *r)
{
	const char *v[2];
	char *path = NULL;
	bool rel;
	int rc;

	if (wire_strings(r, v, 2) != 2)
		return -EINVAL;
	rc = watch_path(r, v[0], &path, &rel);
	if (!rc)
		rc = watch_add(r->c, path, v[1], rel);
	if (!rc)
		rc = reply_ok(r);
	/* Fire once up front, after the acknowledgement. */
	if (!rc)
		watch_fire_initial(r->c, path, v[1]);
	free(path);
	return rc;
}

int op_unwatch(struct request *r)
{
	const char *v[2];
	char *path = NULL;
	bool rel;
	int rc;

	if (wire_strings(r, v, 2) != 2)
		return -EINVAL;
	rc = watch_path(r, v[0], &path, &rel);
	if (!rc)
		rc = watch_del(r->c, path, v[1]);
	free(path);
	return rc ? rc : reply_ok(r);
}

int op_reset_watches(struct request *r)
{
	r->c->cur_tx = NULL;
	watch_del_all(r->c);
	txn_free_all(r->c);
	return reply_ok(r);
}

int op_transaction_start(struct request *r)
{
	char buf[16];
	uint32_t id;
	int rc;

	if (r->c->cur_tx)
		return -EBUSY;
	rc = txn_start(r->c, &id);
	if (rc)
		return rc;
	snprintf(buf, sizeof(buf), "%u", id);
	return reply_str(r, buf);
}

int op_transaction_end(struct request *r)
{
	struct txn *t = r->c->cur_tx;
	bool commit;
	int rc;

	if (!r->len || memchr(r->body, '\0', r->len) != r->body + r->len - 1)
		return -EINVAL;
	if (!strcmp(r->body, "T"))
		commit = true;
	else if (!strcmp(r->body, "F"))
		commit = false;
	else
		return -EINVAL;
	if (!t)
		return -ENOENT;
	r->c->cur_tx = NULL;
	rc = txn_end(r->c, t, commit);
	return rc ? rc : reply_ok(r);
}
