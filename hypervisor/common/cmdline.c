// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line parsing with Xen's syntax; see lamina/param.h for the
 * grammar. The command line comes from the boot loader and is not
 * trusted: every option is copied into a bounded buffer before it is
 * looked at, and nothing here is fatal.
 */
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/param.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/*
 * Digits in base 10, or base 16 after 0x. Unlike simple_strtoull() a
 * leading 0 does not mean octal, and overflow is an error. *end is the
 * first character not consumed.
 */
static int parse_ull(const char *s, const char **end, unsigned long long *out)
{
	unsigned int base = 10, digits = 0;
	unsigned long long v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++, digits++) {
		char c = to_lower(*s);
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			break;
		if (v > (~0ULL - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	*end = s;
	*out = v;
	return digits ? 0 : -EINVAL;
}

int parse_bool(const char *s)
{
	static const char *const words[][2] = {
		{ "0", "1" }, { "no", "yes" }, { "false", "true" },
		{ "off", "on" }, { "disable", "enable" },
	};
	unsigned int i, v;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		for (v = 0; v < 2; v++)
			if (!strcmp(s, words[i][v]))
				return v;
	return -EINVAL;
}

int parse_size(const char *s, uint64_t *bytes)
{
	unsigned long long v;
	unsigned int shift;
	const char *p;

	if (parse_ull(s, &p, &v))
		return -EINVAL;
	switch (to_lower(*p)) {
	case 't': shift = 40; break;
	case 'g': shift = 30; break;
	case 'm': shift = 20; break;
	case 'k': shift = 10; break;
	case 'b': shift = 0; break;
	case '\0': shift = 10; break;	/* Xen: a bare number is KiB */
	default: return -EINVAL;
	}
	if (*p && p[1])
		return -EINVAL;
	if (shift && (v >> (64 - shift)))
		return -EINVAL;
	*bytes = v << shift;
	return 0;
}

/* Option names compare with '-' and '_' as the same character. */
static bool name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		if (*a == *b)
			continue;
		if ((*a == '-' || *a == '_') && (*b == '-' || *b == '_'))
			continue;
		return false;
	}
	return *a == *b;
}

static int store_uint(const struct kernel_param *p, uint64_t v)
{
	switch (p->len) {
	case 1:
		if (v > UINT8_MAX)
			return -EINVAL;
		*(uint8_t *)p->var = v;
		return 0;
	case 2:
		if (v > UINT16_MAX)
			return -EINVAL;
		*(uint16_t *)p->var = v;
		return 0;
	case 4:
		if (v > UINT32_MAX)
			return -EINVAL;
		*(uint32_t *)p->var = v;
		return 0;
	case 8:
		*(uint64_t *)p->var = v;
		return 0;
	}
	return -EINVAL;
}

/* Apply one option; val is NULL when there was no '='. */
static int apply(const struct kernel_param *p, const char *val, bool negate)
{
	unsigned long long n;
	const char *end;
	uint64_t sz;
	int b;

	switch (p->type) {
	case PARAM_BOOL:
		b = val ? parse_bool(val) : 1;
		if (b < 0)
			return b;
		*(bool *)p->var = negate ? !b : b;
		return 0;
	case PARAM_UINT:
		if (!val || parse_ull(val, &end, &n) || *end)
			return -EINVAL;
		return store_uint(p, n);
	case PARAM_SIZE:
		if (!val || parse_size(val, &sz))
			return -EINVAL;
		return store_uint(p, sz);
	case PARAM_STRING:
		if (!val)
			val = "";
		if (strlen(val) >= p->len)
			return -ENAMETOOLONG;
		memcpy(p->var, val, strlen(val) + 1);
		return 0;
	case PARAM_CUSTOM:
		return p->func(val) ? -EINVAL : 0;
	}
	return -EINVAL;
}

static const struct kernel_param *lookup(const char *name,
					 const struct kernel_param *start,
					 const struct kernel_param *end)
{
	const struct kernel_param *p;

	for (p = start; p < end; p++)
		if (p->name && name_eq(name, p->name))
			return p;
	return NULL;
}

/* Handle one option "name[=value]" in buf (writable). 0 or 1 problem. */
static int handle_option(char *buf, const struct kernel_param *start,
			 const struct kernel_param *end)
{
	const struct kernel_param *p;
	char *val = strchr(buf, '=');
	bool negate = false;
	int rc;

	if (val)
		*val++ = '\0';
	p = lookup(buf, start, end);
	if (!p && !strncmp(buf, "no-", 3)) {
		p = lookup(buf + 3, start, end);
		if (p && p->type != PARAM_BOOL)
			p = NULL;
		negate = true;
	}
	if (!p) {
		printk("(lamina) unknown command-line option '%s'\n", buf);
		return 1;
	}
	rc = apply(p, val, negate);
	if (rc == -ENAMETOOLONG) {
		printk("(lamina) value for option '%s' too long (max %u)\n",
		       buf, p->len - 1);
		return 1;
	}
	if (rc) {
		printk("(lamina) bad value '%s' for option '%s'\n",
		       val ? val : "", buf);
		return 1;
	}
	return 0;
}

/*
 * Copy the option at *pp into buf without its quotes and move *pp past it.
 * Returns 0, -E2BIG if it does not fit (buf then holds a prefix), or
 * -EINVAL for a quote that is never closed.
 */
static int next_option(const char **pp, char *buf, size_t size)
{
	const char *s = *pp;
	bool quoted = false;
	size_t n = 0;
	int rc = 0;

	for (; *s && (quoted || !is_space(*s)); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 < size)
			buf[n++] = *s;
		else
			rc = -E2BIG;
	}
	buf[n] = '\0';
	*pp = s;
	return rc ? rc : (quoted ? -EINVAL : 0);
}

int cmdline_parse(const char *cmdline, const struct kernel_param *start,
		  const struct kernel_param *end)
{
	char buf[CMDLINE_OPT_MAX];
	int problems = 0, rc;
	char *val;

	if (!cmdline)
		return 0;
	for (;;) {
		while (is_space(*cmdline))
			cmdline++;
		if (!*cmdline)
			return problems;
		rc = next_option(&cmdline, buf, sizeof(buf));
		if (rc == -E2BIG) {
			printk("(lamina) command-line option '%.32s...' too long\n",
			       buf);
			problems++;
		} else if (rc) {
			val = strchr(buf, '=');
			if (val)
				*val++ = '\0';
			/* An unclosed quote makes the value unusable. */
			printk("(lamina) bad value '%s' for option '%s'\n",
			       val ? val : "", buf);
			problems++;
		} else {
			problems += handle_option(buf, start, end);
		}
	}
}

const char *cmdline_strip_path(const char *s)
{
	const char *w, *p;
	bool slash = false, eq = false;

	if (!s)
		return "";
	while (is_space(*s))
		s++;
	for (w = s; *w && !is_space(*w); w++) {
		slash |= *w == '/';
		eq |= *w == '=';
	}
	if (!(*s == '/' || (slash && !eq)))
		return s;
	for (p = w; is_space(*p); p++)
		;
	return p;
}
