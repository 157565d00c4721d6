// SPDX-License-Identifier: GPL-2.0
/*
 * Message dispatch.  One table, indexed by message type, names each
 * handler and its flags.  Handlers share one shape: parse and validate
 * the request, do the work, reply; they return 0 after replying or a
 * negative errno, which goes back as an XS_ERROR with the errno's name.
 */
#include <string.h>

#include "core.h"

#define F_PRIV  (1u << 0)	/* privileged connections only */
#define F_NOTID (1u << 1)	/* transaction id is ignored */
#define F_TXN   (1u << 2)	/* works on a transaction's view */

struct handler {
	const char *name;
	int (*fn)(struct request *r);
	unsigned int flags;
};

static const struct handler handlers[XS_TYPE_COUNT] = {
	[XS_CONTROL] = { "CONTROL", op_control, F_PRIV },
	[XS_DIRECTORY] = { "DIRECTORY", op_directory, F_TXN },
	[XS_READ] = { "READ", op_read, F_TXN },
	[XS_GET_PERMS] = { "GET_PERMS", op_get_perms, F_TXN },
	[XS_WATCH] = { "WATCH", op_watch, F_NOTID },
	[XS_UNWATCH] = { "UNWATCH", op_unwatch, F_NOTID },
	[XS_TRANSACTION_START] = { "TRANSACTION_START",
				   op_transaction_start, 0 },
	[XS_TRANSACTION_END] = { "TRANSACTION_END", op_transaction_end, 0 },
	[XS_INTRODUCE] = { "INTRODUCE", op_introduce, F_PRIV },
	[XS_RELEASE] = { "RELEASE", op_release, F_PRIV },
	[XS_GET_DOMAIN_PATH] = { "GET_DOMAIN_PATH", op_get_domain_path, 0 },
	[XS_WRITE] = { "WRITE", op_write, F_TXN },
	[XS_MKDIR] = { "MKDIR", op_mkdir, F_TXN },
	[XS_RM] = { "RM", op_rm, F_TXN },
	[XS_SET_PERMS] = { "SET_PERMS", op_set_perms, F_TXN },
	[XS_WATCH_EVENT] = { "WATCH_EVENT", NULL, 0 },
	[XS_ERROR] = { "ERROR", NULL, 0 },
	[XS_IS_DOMAIN_INTRODUCED] = { "IS_DOMAIN_INTRODUCED",
				      op_is_domain_introduced, F_PRIV },
	[XS_RESUME] = { "RESUME", op_resume, F_PRIV },
	[XS_SET_TARGET] = { "SET_TARGET", op_set_target, F_PRIV },
	[XS_RESET_WATCHES] = { "RESET_WATCHES", op_reset_watches, 0 },
	[XS_DIRECTORY_PART] = { "DIRECTORY_PART", op_directory_part, F_TXN },
};

/* Index XS_TYPE_COUNT counts unknown types. */
unsigned long msg_count[XS_TYPE_COUNT + 1];
unsigned long msg_errors;

const char *msg_type_name(uint32_t type)
{
	if (type < XS_TYPE_COUNT && handlers[type].name)
		return handlers[type].name;
	return "UNKNOWN";
}

const char *errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++)
		if (xsd_errors[i].errnum == err)
			return xsd_errors[i].errstring;
	return "EINVAL";
}

int reply(struct request *r, const void *data, size_t len)
{
	if (len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	r->replied = true;
	conn_queue(r->c, r->hdr.type, r->hdr.req_id, r->hdr.tx_id, data, len,
		   false);
	return 0;
}

int reply_str(struct request *r, const char *s)
{
	return reply(r, s, strlen(s) + 1);
}

int reply_ok(struct request *r)
{
	return reply_str(r, "OK");
}

static void reply_error(struct conn *c, const struct xsd_sockmsg *h, int err)
{
	const char *s = errno_name(err);

	msg_errors++;
	conn_queue(c, XS_ERROR, h->req_id, h->tx_id, s, strlen(s) + 1, false);
}

int wire_strings(const struct request *r, const char **v, int max)
{
	uint32_t off = 0;
	int n = 0;
	const char *nul;

	while (off < r->len) {
		nul = memchr(r->body + off, '\0', r->len - off);
		if (!nul)
			break;
		if (n < max)
			v[n] = r->body + off;
		n++;
		off = (uint32_t)(nul - r->body) + 1;
	}
	return n;
}

static int lookup_txn(struct conn *c, const struct xsd_sockmsg *h,
		      unsigned int flags)
{
	c->cur_tx = NULL;
	if ((flags & F_NOTID) || !h->tx_id)
		return 0;
	c->cur_tx = txn_find(c, h->tx_id);
	if (!c->cur_tx)
		return -ENOENT;
	if (flags & F_TXN)
		return txn_check_size(c);
	return 0;
}

void wire_process(struct conn *c, const struct xsd_sockmsg *h, char *body)
{
	struct request r = { c, *h, body, h->len, false };
	const struct handler *hd;
	int rc;

	if (h->type >= XS_TYPE_COUNT || !handlers[h->type].fn) {
		msg_count[XS_TYPE_COUNT]++;
		reply_error(c, h, ENOSYS);
		return;
	}
	hd = &handlers[h->type];
	msg_count[h->type]++;
	if ((hd->flags & F_PRIV) && !c->priv) {
		reply_error(c, h, EACCES);
		return;
	}
	rc = lookup_txn(c, h, hd->flags);
	if (!rc)
		rc = hd->fn(&r);
	if (!rc && !r.replied)
		rc = -EIO;
	if (rc)
		reply_error(c, h, -rc);
	c->cur_tx = NULL;
}
