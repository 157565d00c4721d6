// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers: string hash table, checked allocation, strict number
 * parsing, logging.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "core.h"

bool verbose;

/*
 * Allocation failure is fatal: a xenstored that silently drops part of an
 * update would leave the tree inconsistent, which is worse than a restart.
 */
void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		syslog(LOG_CRIT, "xenstored: out of memory");
		abort();
	}
	return p;
}

void *xzalloc(size_t n)
{
	void *p = xmalloc(n);

	memset(p, 0, n ? n : 1);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		syslog(LOG_CRIT, "xenstored: out of memory");
		abort();
	}
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	return s;
}

int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (max - (unsigned long)(*s - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return 0;
}

void xlog(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* djb2: good enough spread for path names, cheap. */
static size_t hash_str(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

int htab_init(struct htab *h, size_t nb)
{
	h->nb = nb;
	h->n = 0;
	h->b = xzalloc(nb * sizeof(*h->b));
	return 0;
}

void htab_free(struct htab *h)
{
	size_t i;
	struct hentry *e, *n;

	for (i = 0; i < h->nb; i++)
		for (e = h->b[i]; e; e = n) {
			n = e->next;
			free(e);
		}
	free(h->b);
	h->b = NULL;
	h->nb = h->n = 0;
}

static struct hentry **find_slot(const struct htab *h, const char *key)
{
	struct hentry **pp = &h->b[hash_str(key) % h->nb];

	while (*pp && strcmp((*pp)->key, key))
		pp = &(*pp)->next;
	return pp;
}

void *htab_get(const struct htab *h, const char *key)
{
	struct hentry **pp;

	if (!h->nb)
		return NULL;
	pp = find_slot(h, key);
	return *pp ? (*pp)->val : NULL;
}

static void grow(struct htab *h)
{
	struct hentry **nb = xzalloc(h->nb * 2 * sizeof(*nb));
	struct hentry *e, *n;
	size_t i, j;

	for (i = 0; i < h->nb; i++)
		for (e = h->b[i]; e; e = n) {
			n = e->next;
			j = hash_str(e->key) % (h->nb * 2);
			e->next = nb[j];
			nb[j] = e;
		}
	free(h->b);
	h->b = nb;
	h->nb *= 2;
}

int htab_put(struct htab *h, const char *key, void *val, void **old)
{
	struct hentry **pp;
	struct hentry *e;

	if (old)
		*old = NULL;
	pp = find_slot(h, key);
	if (*pp) {
		if (old)
			*old = (*pp)->val;
		(*pp)->key = key;
		(*pp)->val = val;
		return 0;
	}
	e = xmalloc(sizeof(*e));
	e->key = key;
	e->val = val;
	e->next = NULL;
	*pp = e;
	if (++h->n > h->nb * 2)
		grow(h);
	return 0;
}

void *htab_del(struct htab *h, const char *key)
{
	struct hentry **pp, *e;
	void *v;

	if (!h->nb)
		return NULL;
	pp = find_slot(h, key);
	e = *pp;
	if (!e)
		return NULL;
	*pp = e->next;
	v = e->val;
	free(e);
	h->n--;
	return v;
}

int htab_each(const struct htab *h, int (*fn)(const char *, void *, void *),
	      void *arg)
{
	struct hentry *e;
	size_t i;
	int rc;

	for (i = 0; i < h->nb; i++)
		for (e = h->b[i]; e; e = e->next) {
			rc = fn(e->key, e->val, arg);
			if (rc)
				return rc;
		}
	return 0;
}
