// SPDX-License-Identifier: GPL-2.0
/*
 * CONTROL (privileged): "help", "check", "quota [what=value]", "stats",
 * "log on|off", "print <text>".  Unknown commands get EINVAL, as Xen's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static int ctl_help(struct request *r, int argc, const char **argv)
{
	(void)argc;
	(void)argv;
	return reply_str(r, "check            check the tree's structure\n"
			    "quota [what=n]   show or set a quota\n"
			    "stats            request counters\n"
			    "log on|off       verbose logging\n"
			    "print <text>     write text to the trace file\n"
			    "help             this text\n");
}

static int ctl_check(struct request *r, int argc, const char **argv)
{
	char msg[256];

	(void)argc;
	(void)argv;
	tree_check(msg, sizeof(msg));
	return reply_str(r, msg);
}

static int ctl_quota(struct request *r, int argc, const char **argv)
{
	char *s;
	int rc;

	if (argc > 2)
		return -EINVAL;
	if (argc == 2) {
		rc = quota_set(argv[1]);
		return rc ? rc : reply_ok(r);
	}
	s = quota_report();
	rc = reply_str(r, s);
	free(s);
	return rc;
}

static int ctl_stats(struct request *r, int argc, const char **argv)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t off = 0;
	unsigned int i, nconn = 0;
	struct conn *c;

	(void)argc;
	(void)argv;
	for (c = conns; c; c = c->next)
		nconn++;
	for (i = 0; i <= XS_TYPE_COUNT; i++)
		if (msg_count[i])
			off += (size_t)snprintf(buf + off, sizeof(buf) - off,
						"%s %lu\n",
						msg_type_name(i),
						msg_count[i]);
	snprintf(buf + off, sizeof(buf) - off,
		 "errors %lu\nnodes %zu\nconnections %u\n"
		 "conflicts %lu\ndropped-events %lu\n",
		 msg_errors, tree_count(), nconn, txn_conflicts,
		 dropped_events);
	return reply_str(r, buf);
}

static int ctl_log(struct request *r, int argc, const char **argv)
{
	if (argc != 2)
		return -EINVAL;
	if (!strcmp(argv[1], "on"))
		verbose = true;
	else if (!strcmp(argv[1], "off"))
		verbose = false;
	else
		return -EINVAL;
	return reply_ok(r);
}

static int ctl_print(struct request *r, int argc, const char **argv)
{
	struct xsd_sockmsg h = { XS_CONTROL, 0, 0, 0 };

	if (argc != 2)
		return -EINVAL;
	h.len = (uint32_t)strlen(argv[1]);
	trace_msg(r->c, false, &h, argv[1]);
	return reply_ok(r);
}

static const struct {
	const char *name;
	int (*fn)(struct request *r, int argc, const char **argv);
} cmds[] = {
	{ "help", ctl_help },
	{ "check", ctl_check },
	{ "quota", ctl_quota },
	{ "stats", ctl_stats },
	{ "log", ctl_log },
	{ "print", ctl_print },
};

int op_control(struct request *r)
{
	const char *argv[8];
	int argc = wire_strings(r, argv, ARRAY_SIZE(argv));
	size_t i;

	if (argc < 1 || argc > (int)ARRAY_SIZE(argv))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[0], cmds[i].name))
			return cmds[i].fn(r, argc, argv);
	return -EINVAL;
}
