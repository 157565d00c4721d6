// SPDX-License-Identifier: GPL-2.0
/* The command line: a private copy and key=value lookups. */
#include "cmdline.h"
#include "string.h"

static char line[1024];

void cmdline_set(const char *s)
{
	size_t n = strnlen(s, sizeof(line) - 1);

	memcpy(line, s, n);
	line[n] = '\0';
}

const char *cmdline(void)
{
	return line;
}

bool cmdline_arg(const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key), n;
	const char *p = line, *word, *val;

	while (*p) {
		while (*p == ' ')
			p++;
		word = p;
		while (*p && *p != ' ')
			p++;
		if (p - word < (long)klen || strncmp(word, key, klen))
			continue;
		val = word + klen;
		if (val == p || *val == '=') {
			val += val < p;		/* past the '=' */
			n = p - val < (long)size - 1 ? (size_t)(p - val) :
							size - 1;
			memcpy(buf, val, n);
			buf[n] = '\0';
			return true;
		}
	}
	return false;
}

long cmdline_num(const char *key, long dflt)
{
	char buf[24], *p = buf;
	long v = 0;

	if (!cmdline_arg(key, buf, sizeof(buf)) || !*buf)
		return dflt;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return dflt;
		v = v * 10 + (*p - '0');
	}
	return v;
}
