// SPDX-License-Identifier: GPL-2.0
/*
 * Path syntax, as Xen 4.17 accepts it: absolute, '/'-separated, no empty
 * components, characters [A-Za-z0-9_@/-], at most XENSTORE_ABS_PATH_MAX
 * characters, and at most quota.path_max (-M, default
 * XENSTORE_REL_PATH_MAX) characters below "/local/domain/<id>/" -- or in
 * all, for paths elsewhere.  Like Xen 4.17 this holds for every
 * connection, dom0's included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static bool valid_chars(const char *p)
{
	static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "abcdefghijklmnopqrstuvwxyz"
				 "0123456789-/_@";

	return p[strspn(p, ok)] == '\0';
}

bool path_valid(const char *path)
{
	size_t len = strlen(path);

	if (path[0] != '/')
		return false;
	if (len > 1 && path[len - 1] == '/')
		return false;
	if (strstr(path, "//"))
		return false;
	if (len > XENSTORE_ABS_PATH_MAX)
		return false;
	return valid_chars(path);
}

/* True if path is top or lies below it (component-wise). */
bool path_is_under(const char *path, const char *top)
{
	size_t n = strlen(top);

	if (!strcmp(top, "/"))
		return path[0] == '/';
	return !strncmp(path, top, n) && (path[n] == '\0' || path[n] == '/');
}

/* Length of path below "/local/domain/<id>/", or the whole length. */
static size_t local_len(const char *path)
{
	unsigned int domid;
	int off = 0;

	if (sscanf(path, "/local/domain/%5u/%n", &domid, &off) == 1 && off)
		return strlen(path) - (size_t)off;
	return strlen(path);
}

int path_canonical(struct conn *c, const char *in, char **out, bool *rel)
{
	char *p;

	*rel = in[0] != '/';
	if (in[0] == '@')
		return -EINVAL;
	if (*rel) {
		if (!c->dom_path)
			return -EINVAL;
		if (no_domain_init && c->priv && c->id == 0)
			domain_home0_ensure();
		p = xasprintf("%s/%s", c->dom_path, in);
	} else {
		p = xstrdup(in);
	}
	if (!path_valid(p) || local_len(p) > quota.path_max) {
		free(p);
		return -EINVAL;
	}
	*out = p;
	return 0;
}

char *path_parent(const char *path)
{
	const char *s = strrchr(path, '/');
	size_t n = (size_t)(s - path);
	char *p;

	if (n == 0)
		return xstrdup("/");
	p = xmalloc(n + 1);
	memcpy(p, path, n);
	p[n] = '\0';
	return p;
}

const char *path_base(const char *path)
{
	return strrchr(path, '/') + 1;
}

/* "@name": the same character set, no '/'. */
bool path_valid_special(const char *name)
{
	return name[0] == '@' && name[1] && !strchr(name, '/') &&
	       valid_chars(name);
}
