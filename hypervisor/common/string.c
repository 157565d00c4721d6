// SPDX-License-Identifier: GPL-2.0
/*
 * String and memory functions, and number parsing, for a hypervisor that
 * has no libc.
 *
 * The memory functions move a machine word at a time once both pointers
 * are word aligned; that is good enough for the sizes the hypervisor
 * copies (page-table pages, guest structures) and keeps the code portable.
 *
 * Build note: this file defines the functions the compiler itself may
 * emit calls to. It must be compiled with -ffreestanding -fno-builtin
 * -fno-tree-loop-distribute-patterns, or GCC may turn the loops below
 * into calls to the very function being defined.
 */
#include <lamina/lib.h>

/* <limits.h> is not available under -nostdinc: use GCC's own macros. */
#define LL_MAX		__LONG_LONG_MAX__
#define LL_MIN		(-LL_MAX - 1)
#define ULL_MAX		(LL_MAX * 2ULL + 1)

/* A word that may alias any object (the copies below read other types). */
typedef unsigned long __attribute__((may_alias)) word_t;

#define WORD_SIZE	sizeof(word_t)
#define WORD_ALIGNED(p)	IS_ALIGNED((uintptr_t)(p), WORD_SIZE)

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Equal misalignment: copy bytes up to a word boundary first. */
	if (WORD_ALIGNED((uintptr_t)d ^ (uintptr_t)s)) {
		for (; n && !WORD_ALIGNED(d); n--)
			*d++ = *s++;
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			*(word_t *)d = *(const word_t *)s;
			d += WORD_SIZE;
			s += WORD_SIZE;
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

/* Copy from the end: safe when dst overlaps the tail of src. */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n;
	s += n;
	if (WORD_ALIGNED(d) && WORD_ALIGNED(s)) {
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			*(word_t *)d = *(const word_t *)s;
		}
	}
	while (n--)
		*--d = *--s;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;

	/* A forward copy is correct unless dst starts inside src. */
	if (d <= s || d - s >= n)
		return memcpy(dst, src, n);
	copy_backward(dst, src, n);
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t pattern = (unsigned char)c;

	pattern |= pattern << 8;
	pattern |= pattern << 16;
	pattern |= pattern << 32;
	while (n && !WORD_ALIGNED(d)) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= WORD_SIZE; n -= WORD_SIZE) {
		*(word_t *)d = pattern;
		d += WORD_SIZE;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

/* Never reads s[max] or beyond: s need not be terminated within max. */
size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Characters compare as unsigned char, as in C. */
int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const void *)a, *y = (const void *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
		if (!*x)
			break;
	}
	return 0;
}

/* strchr(s, 0) finds the terminator, as in C. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

/*
 * Copy src into dst[size], truncating and always terminating when
 * size > 0. Returns strlen(src): truncation happened iff that is >= size.
 */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = MIN(len, size - 1);

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/*
 * Append src to the string in dst[size]. Returns the length the result
 * would have had; if dst holds no terminator within size, nothing is
 * written and size + strlen(src) is returned (as in BSD).
 */
size_t strlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size)
		return size + strlen(src);
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 36;	/* not a digit in any base we accept */
}

/* Resolve base 0 and skip a 0x prefix; only a prefix followed by a digit. */
static const char *parse_prefix(const char *s, int *base)
{
	bool hex_prefix = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
			  digit_value(s[2]) < 16;

	if (*base == 0) {
		if (hex_prefix)
			*base = 16;
		else if (s[0] == '0')
			*base = 8;
		else
			*base = 10;
	}
	if (*base == 16 && hex_prefix)
		s += 2;
	return s;
}

/*
 * Values too large for unsigned long long saturate at ULL_MAX (the
 * digits are still consumed). An unsupported base (not 0 or 2..36)
 * parses nothing: returns 0 with *end = s.
 */
unsigned long long simple_strtoull(const char *s, const char **end, int base)
{
	unsigned long long v = 0;
	bool overflow = false;
	int d;

	if (base == 1 || base < 0 || base > 36) {
		if (end)
			*end = s;
		return 0;
	}
	s = parse_prefix(s, &base);
	for (; (d = digit_value(*s)) < base; s++) {
		if (v > (ULL_MAX - (unsigned int)d) / (unsigned int)base)
			overflow = true;
		v = v * (unsigned int)base + (unsigned int)d;
	}
	if (end)
		*end = s;
	return overflow ? ULL_MAX : v;
}

/* An optional '-' or '+', then as simple_strtoull(); saturates both ways. */
long long simple_strtoll(const char *s, const char **end, int base)
{
	bool neg = *s == '-';
	const char *digits = (neg || *s == '+') ? s + 1 : s;
	const char *stop;
	unsigned long long v = simple_strtoull(digits, &stop, base);

	/* No digits: nothing is consumed, not even the sign. */
	if (stop == digits) {
		if (end)
			*end = s;
		return 0;
	}
	if (end)
		*end = stop;
	if (neg)
		return v >= (unsigned long long)LL_MAX + 1 ? LL_MIN :
							       -(long long)v;
	return v > LL_MAX ? LL_MAX : (long long)v;
}
