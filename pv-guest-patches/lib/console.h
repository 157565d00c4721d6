/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output: the hypervisor console through console_io (CONSOLEIO_write),
 * and the 0xE9 debug port (the hypervisor prints each line as "(dN) ...").
 *
 * printf() knows %d %i %u %x %X %p %s %c %%, with the flags '-', '0' and
 * '#', a field width, and the sizes l, ll and z; it prints up to 511
 * bytes at a time.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

#define printf_like(a, b)	__attribute__((format(printf, a, b)))

/* console_io; they return its result (0, or a negative Xen errno). */
long console_puts(const char *s);
int printf(const char *fmt, ...) printf_like(1, 2);

/* Byte by byte to port 0xE9. */
void e9_puts(const char *s);

/* Like C's: the length the whole output would have; buf always ends in
 * '\0' (if size > 0). */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) printf_like(3, 4);

#endif
