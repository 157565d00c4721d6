// SPDX-License-Identifier: GPL-2.0
/*
 * Node permissions, with Xen's rules: the first entry names the owner and
 * the access everybody else gets; later entries grant specific domains.
 * Owners, privileged connections and a stub domain acting for the owner
 * (SET_TARGET) get everything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static int perm_letter(char ch, uint32_t *mode)
{
	switch (ch) {
	case 'n':
		*mode = PERM_NONE;
		return 0;
	case 'r':
		*mode = PERM_READ;
		return 0;
	case 'w':
		*mode = PERM_WRITE;
		return 0;
	case 'b':
		*mode = PERM_BOTH;
		return 0;
	}
	return -EINVAL;
}

/*
 * Parse a sequence of NUL-terminated permission strings ("r5").  The
 * sequence must end with a NUL; domain ids must be ordinary (below
 * DOMID_FIRST_RESERVED) decimal numbers.
 */
int perms_parse(const char *strs, size_t len, struct perms *out)
{
	unsigned long id;
	size_t off, n = 0, i = 0;
	int rc;

	if (!len || strs[len - 1])
		return -EINVAL;
	for (off = 0; off < len; off += strlen(strs + off) + 1)
		n++;
	out->p = xzalloc(n * sizeof(*out->p));
	out->num = n;
	for (off = 0; off < len; off += strlen(strs + off) + 1, i++) {
		rc = perm_letter(strs[off], &out->p[i].mode);
		if (!rc)
			rc = parse_uint(strs + off + 1,
					DOMID_FIRST_RESERVED - 1, &id);
		if (rc) {
			perms_free(out);
			return -EINVAL;
		}
		out->p[i].id = id;
	}
	return 0;
}

char *perms_format(const struct perms *ps, size_t *len)
{
	static const char letters[] = "nrwb";
	char *buf = xmalloc(ps->num * 8 + 1);
	size_t off = 0;
	uint32_t i;

	for (i = 0; i < ps->num; i++)
		off += (size_t)sprintf(buf + off, "%c%u",
				       letters[ps->p[i].mode & PERM_BOTH],
				       ps->p[i].id) + 1;
	*len = off;
	return buf;
}

int perms_copy(struct perms *dst, const struct perms *src)
{
	dst->num = src->num;
	dst->p = xmalloc(src->num * sizeof(*src->p));
	memcpy(dst->p, src->p, src->num * sizeof(*src->p));
	return 0;
}

void perms_free(struct perms *ps)
{
	free(ps->p);
	ps->p = NULL;
	ps->num = 0;
}

static bool acts_for(const struct conn *c, uint32_t id)
{
	return id == c->id || (c->target != ~0u && id == c->target);
}

unsigned int perm_for_conn(const struct conn *c, const struct perms *ps)
{
	uint32_t i;

	if (c->priv || acts_for(c, ps->p[0].id))
		return PERM_BOTH | PERM_OWNER;
	for (i = 1; i < ps->num; i++)
		if (acts_for(c, ps->p[i].id))
			return ps->p[i].mode;
	return ps->p[0].mode;
}
