// SPDX-License-Identifier: GPL-2.0
/* Console output and a small printf. */
#include "console.h"
#include "hypercall.h"
#include "string.h"
#include "x86.h"

#define DEBUG_PORT	0xe9

long console_puts(const char *s)
{
	return console_io_write(s, strlen(s));
}

void e9_puts(const char *s)
{
	while (*s)
		outb(DEBUG_PORT, *s++);
}

int printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_puts(buf);
	return n;
}
