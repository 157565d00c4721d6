// SPDX-License-Identifier: GPL-2.0
/* The formatting behind printf() (console.h). */
#include <stdbool.h>
#include <stdint.h>
#include "console.h"
#include "string.h"

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Where vsnprintf writes: keeps counting past the end of the buffer. */
struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

struct spec {
	bool left, zero, alt;
	unsigned int width;
};

static void put_pad(struct out *o, char c, size_t n)
{
	while (n--)
		put(o, c);
}

/* s (n bytes) padded to the field width. */
static void put_field(struct out *o, const struct spec *sp, const char *s,
		      size_t n)
{
	size_t pad = sp->width > n ? sp->width - n : 0;

	if (!sp->left)
		put_pad(o, ' ', pad);
	while (n--)
		put(o, *s++);
	if (sp->left)
		put_pad(o, ' ', pad);
}

/* A number; zero padding goes between the sign or 0x and the digits. */
static void put_number(struct out *o, const struct spec *sp, uint64_t v,
		       bool negative, unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	const char *prefix = negative ? "-" :
			     sp->alt && base == 16 && v ? "0x" : "";
	size_t nd = 0, np = strlen(prefix), pad;
	char tmp[24];

	do {
		tmp[nd++] = digits[v % base];
		v /= base;
	} while (v);
	pad = sp->width > nd + np ? sp->width - nd - np : 0;
	if (!sp->left && !sp->zero)
		put_pad(o, ' ', pad);
	while (*prefix)
		put(o, *prefix++);
	if (!sp->left && sp->zero)
		put_pad(o, '0', pad);
	while (nd)
		put(o, tmp[--nd]);
	if (sp->left)
		put_pad(o, ' ', pad);
}

/*
 * One conversion letter. wide: an l, ll or z came before it (all 64 bits
 * here, as long long, long and size_t are on x86-64).
 */
static void convert(struct out *o, struct spec *sp, char c, bool wide,
		    va_list *ap)
{
	int64_t s;
	uint64_t u;
	const char *str;
	char ch;

	switch (c) {
	case 'd':
	case 'i':
		s = wide ? va_arg(*ap, long) : va_arg(*ap, int);
		put_number(o, sp, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0,
			   10, false);
		return;
	case 'u':
	case 'x':
	case 'X':
		u = wide ? va_arg(*ap, unsigned long) :
			   va_arg(*ap, unsigned int);
		put_number(o, sp, u, false, c == 'u' ? 10 : 16, c == 'X');
		return;
	case 'p':
		sp->alt = true;
		put_number(o, sp, (uintptr_t)va_arg(*ap, void *), false, 16,
			   false);
		return;
	case 's':
		str = va_arg(*ap, const char *);
		if (!str)
			str = "(null)";
		put_field(o, sp, str, strlen(str));
		return;
	case 'c':
		ch = va_arg(*ap, int);
		put_field(o, sp, &ch, 1);
		return;
	case '%':
		put(o, '%');
		return;
	default:		/* unknown: show it as written */
		put(o, '%');
		put(o, c);
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list args;
	bool wide;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		sp = (struct spec){ 0 };
		for (fmt++; ; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else if (*fmt == '#')
				sp.alt = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			sp.width = sp.width * 10 + (*fmt++ - '0');
		for (wide = false; *fmt == 'l' || *fmt == 'z'; fmt++)
			wide = true;
		if (!*fmt)
			break;
		convert(&o, &sp, *fmt, wide, &args);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}
