/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_LIB_H
#define LAMINA_LIB_H

#include <lamina/types.h>

/* String and memory functions (common/string.c). */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcat(char *dst, const char *src, size_t size);

/*
 * Number parsing (common/string.c). simple_strtoull() accepts an optional
 * 0x/0 prefix when base is 0 and stops at the first character that is not
 * a digit; *end (if non-NULL) is set to that character.
 */
unsigned long long simple_strtoull(const char *s, const char **end, int base);
long long simple_strtoll(const char *s, const char **end, int base);

/*
 * Formatting (common/vsnprintf.c): %d %i %u %x %X %o %c %s %p %% with
 * flags '-', '0', ' ', '+', '#', a width and precision (also '*'), and
 * the length modifiers hh h l ll z t j. Returns the length the output
 * would have had, like C99; always NUL-terminates when size > 0.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/*
 * Console output (common/console.c). Messages go to the console ring and
 * to every attached console driver; text before the serial line is up
 * waits in the ring. Hypervisor messages start with the "(lamina) " prefix
 * when the caller includes it: printk() adds nothing.
 */
void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);

/* Stop the machine after a fatal hypervisor error (common/panic.c). */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn __cold;

#define BUG()	panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(c) do { if (unlikely(c)) \
	panic("BUG_ON(%s) at %s:%d", #c, __FILE__, __LINE__); } while (0)

#ifdef CONFIG_DEBUG
#define ASSERT(c) do { if (unlikely(!(c))) \
	panic("ASSERT(%s) failed at %s:%d", #c, __FILE__, __LINE__); } while (0)
#else
#define ASSERT(c) do { if (0 && (c)) {} } while (0)
#endif

#endif /* LAMINA_LIB_H */
