/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_CONSOLE_H
#define LAMINA_CONSOLE_H

#include <lamina/types.h>

/*
 * A console driver: printk() hands every message to each registered
 * driver. write() is called with the console lock held and interrupts off,
 * so it must not printk.
 */
struct console_driver {
	const char *name;
	void (*write)(const char *s, size_t len);
	struct console_driver *next;
};

/*
 * Register a driver; it first receives the whole console ring (what was
 * printed before it existed), then every new message.
 */
void console_register(struct console_driver *drv);

/*
 * In a crash, another CPU may hold the console lock forever: take it over
 * so that the crash report gets out. Only for panic and fatal traps.
 */
void console_force_unlock(void);

/* Bytes printed since boot: a caller can tell whether anything else was
 * printed after its own output. */
uint64_t console_output_count(void);

/* Copy up to len bytes of the console ring, oldest first; returns count. */
size_t console_ring_read(char *buf, size_t len);

#endif /* LAMINA_CONSOLE_H */
