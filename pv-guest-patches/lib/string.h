/* SPDX-License-Identifier: GPL-2.0 */
/* The C library functions the guest needs (the compiler may also call
 * memcpy and memset on its own). */
#ifndef GUEST_STRING_H
#define GUEST_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif
