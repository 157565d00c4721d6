// SPDX-License-Identifier: GPL-2.0
/*
 * vsnprintf() and snprintf(): the C99 subset documented in lamina/lib.h.
 *
 * Contract: never writes buf[size] or beyond; NUL-terminates whenever
 * size > 0; returns the length the whole output would have had (clamped
 * to INT_MAX), so callers detect truncation with ret >= size. The output
 * matches C99/glibc for every supported conversion with two exceptions:
 * %p always prints "0x" and the hex digits (glibc prints "(nil)" for NULL)
 * and an unknown conversion, or %n, is copied to the output literally
 * instead of being undefined behaviour.
 */
#include <lamina/lib.h>

/* <limits.h> is not available under -nostdinc: use GCC's own macros. */
#define INT_MAX		__INT_MAX__
#define INT_MIN		(-INT_MAX - 1)

#define F_LEFT		0x01	/* '-': pad on the right */
#define F_ZERO		0x02	/* '0': pad numbers with zeros */
#define F_SPACE		0x04	/* ' ': a space in place of a '+' */
#define F_PLUS		0x08	/* '+': always print a sign */
#define F_ALT		0x10	/* '#': 0x prefix / leading 0 */
#define F_UPPER		0x20	/* %X */

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

struct spec {
	unsigned int flags;
	int width;		/* 0 if none */
	int precision;		/* -1 if none */
	enum length length;
	char conv;
};

/* Where the output goes; pos counts every character, written or not. */
struct out {
	char *buf;
	size_t size;
	size_t pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_repeat(struct out *o, char c, int n)
{
	for (; n > 0; n--)
		put(o, c);
}

static void put_str(struct out *o, const char *s, size_t n)
{
	while (n--)
		put(o, *s++);
}

static int parse_int(const char **fmt)
{
	int v = 0;

	for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++) {
		if (v <= (INT_MAX - 9) / 10)	/* saturate silly widths */
			v = v * 10 + (**fmt - '0');
	}
	return v;
}

static void parse_flags(const char **fmt, struct spec *sp)
{
	for (;; (*fmt)++) {
		switch (**fmt) {
		case '-': sp->flags |= F_LEFT; break;
		case '0': sp->flags |= F_ZERO; break;
		case ' ': sp->flags |= F_SPACE; break;
		case '+': sp->flags |= F_PLUS; break;
		case '#': sp->flags |= F_ALT; break;
		default: return;
		}
	}
}

static void parse_length(const char **fmt, struct spec *sp)
{
	const char *f = *fmt;

	switch (*f) {
	case 'h':
		sp->length = f[1] == 'h' ? LEN_HH : LEN_H;
		break;
	case 'l':
		sp->length = f[1] == 'l' ? LEN_LL : LEN_L;
		break;
	case 'z': sp->length = LEN_Z; break;
	case 't': sp->length = LEN_T; break;
	case 'j': sp->length = LEN_J; break;
	default: return;
	}
	*fmt += (sp->length == LEN_HH || sp->length == LEN_LL) ? 2 : 1;
}

/* Parse one conversion after its '%'; '*' arguments are taken from ap. */
static void parse_spec(const char **fmt, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .precision = -1 };
	parse_flags(fmt, sp);
	if (**fmt == '*') {
		(*fmt)++;
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {	/* a negative width means '-' */
			sp->flags |= F_LEFT;
			sp->width = sp->width == INT_MIN ? INT_MAX : -sp->width;
		}
	} else {
		sp->width = parse_int(fmt);
	}
	if (**fmt == '.') {
		(*fmt)++;
		if (**fmt == '*') {
			(*fmt)++;
			sp->precision = va_arg(*ap, int);
			if (sp->precision < 0)	/* as if omitted */
				sp->precision = -1;
		} else {
			sp->precision = parse_int(fmt);
		}
	}
	parse_length(fmt, sp);
	sp->conv = **fmt;
}

/* Fetch a signed argument as its promoted type, then widen it. */
static long long fetch_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H: return (short)va_arg(*ap, int);
	case LEN_L: return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	case LEN_Z: return va_arg(*ap, long);	/* signed size_t */
	case LEN_T: return va_arg(*ap, ptrdiff_t);
	case LEN_J: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

static unsigned long long fetch_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L: return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	case LEN_Z: return va_arg(*ap, size_t);
	case LEN_T: return (size_t)va_arg(*ap, ptrdiff_t);
	case LEN_J: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned int);
	}
}

/* Digits of v in base, least significant last; returns how many. */
static int to_digits(char *buf, unsigned long long v, unsigned int base,
		     bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];	/* 22 octal digits are the most for 64 bits */
	int n = 0, i;

	do {
		tmp[n++] = set[v % base];
		v /= base;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

/*
 * Layout: [spaces] sign/prefix [zeros] digits [spaces]. The precision is
 * the minimum number of digits; zero padding to the width applies only
 * without a precision and without '-', as in C.
 */
static void format_number(struct out *o, const struct spec *sp,
			  unsigned long long v, const char *prefix,
			  unsigned int base)
{
	char digits[24];
	int ndig = 0, zeros, pad, plen = (int)strnlen(prefix, 2);

	if (v || sp->precision != 0)
		ndig = to_digits(digits, v, base, sp->flags & F_UPPER);
	zeros = sp->precision > ndig ? sp->precision - ndig : 0;
	/* '#' with octal: the first digit printed must be a 0. */
	if (base == 8 && (sp->flags & F_ALT) && !zeros &&
	    (ndig == 0 || digits[0] != '0'))
		zeros = 1;
	pad = sp->width - plen - zeros - ndig;
	if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) &&
	    sp->precision < 0 && pad > 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(sp->flags & F_LEFT))
		put_repeat(o, ' ', pad);
	put_str(o, prefix, (size_t)plen);
	put_repeat(o, '0', zeros);
	put_str(o, digits, (size_t)ndig);
	if (sp->flags & F_LEFT)
		put_repeat(o, ' ', pad);
}

static void format_integer(struct out *o, struct spec *sp, va_list *ap)
{
	unsigned long long v;
	const char *prefix = "";
	unsigned int base = 10;

	if (sp->conv == 'd' || sp->conv == 'i') {
		long long s = fetch_signed(sp, ap);

		/* Negate in unsigned arithmetic: LLONG_MIN has no positive. */
		v = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
		if (s < 0)
			prefix = "-";
		else if (sp->flags & F_PLUS)
			prefix = "+";
		else if (sp->flags & F_SPACE)
			prefix = " ";
		format_number(o, sp, v, prefix, base);
		return;
	}
	if (sp->conv == 'p') {
		v = (uintptr_t)va_arg(*ap, void *);
		sp->flags &= ~F_ZERO;
		format_number(o, sp, v, "0x", 16);
		return;
	}
	v = fetch_unsigned(sp, ap);
	if (sp->conv == 'o')
		base = 8;
	if (sp->conv == 'x' || sp->conv == 'X') {
		base = 16;
		if (sp->conv == 'X')
			sp->flags |= F_UPPER;
		if ((sp->flags & F_ALT) && v)
			prefix = sp->conv == 'X' ? "0X" : "0x";
	}
	format_number(o, sp, v, prefix, base);
}

/* Padded text: %s (at most precision bytes of s are read) and %c. */
static void format_text(struct out *o, const struct spec *sp, const char *s,
			size_t len)
{
	int pad = sp->width > (int)MIN(len, (size_t)INT_MAX) ?
		  sp->width - (int)len : 0;

	if (!(sp->flags & F_LEFT))
		put_repeat(o, ' ', pad);
	put_str(o, s, len);
	if (sp->flags & F_LEFT)
		put_repeat(o, ' ', pad);
}

static void format_one(struct out *o, struct spec *sp, va_list *ap)
{
	const char *s;
	size_t max;
	char c;

	switch (sp->conv) {
	case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'p':
		format_integer(o, sp, ap);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		format_text(o, sp, &c, 1);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		max = sp->precision < 0 ? SIZE_MAX : (size_t)sp->precision;
		format_text(o, sp, s, strnlen(s, max));
		break;
	default:
		put(o, sp->conv);
		break;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .pos = 0 };
	const char *start;
	struct spec sp;
	va_list args;

	/* A copy we can pass by pointer to the helpers, which consume it. */
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		start = fmt++;
		if (*fmt == '%') {
			put(&o, *fmt++);
			continue;
		}
		parse_spec(&fmt, &sp, &args);
		if (!sp.conv || !strchr("diuxXopcs", sp.conv)) {
			/* Unknown (or %n): print the directive as written. */
			put_str(&o, start, (size_t)(fmt - start));
			if (sp.conv)
				put(&o, *fmt++);
			continue;
		}
		format_one(&o, &sp, &args);
		fmt++;
	}
	va_end(args);
	if (size)
		buf[MIN(o.pos, size - 1)] = '\0';
	return o.pos > INT_MAX ? INT_MAX : (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
