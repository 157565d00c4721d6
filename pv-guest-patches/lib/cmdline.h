/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line, from hvm_start_info (empty when the hypervisor
 * passes none): space-separated words, "key=value" or "key".
 */
#ifndef GUEST_CMDLINE_H
#define GUEST_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* At boot (start.c): keep a copy of s. */
void cmdline_set(const char *s);
const char *cmdline(void);
/* The value of key=value, copied into buf (size bytes with the '\0');
 * "" for a bare key. False if key is not there. */
bool cmdline_arg(const char *key, char *buf, size_t size);
/* key=N as a decimal number; dflt if key is absent or N is not one. */
long cmdline_num(const char *key, long dflt);

#endif
