// SPDX-License-Identifier: GPL-2.0
/*
 * printk and the console ring.
 *
 * Every message lands in a ring of the most recent CONRING_SIZE bytes, so
 * that what was printed before the serial line was set up (command-line
 * warnings, the memory map) reaches it once it exists, and so that dom0
 * can read the log later (console_io read).
 */
#include <lamina/console.h>
#include <lamina/lib.h>
#include <lamina/spinlock.h>

#define CONRING_SIZE	(64 * 1024)	/* a power of two */
#define PRINTK_BUF	512		/* longest single printk */

/* console_lock protects conring, conring_prod and the driver list. */
static DEFINE_SPINLOCK(console_lock, LOCK_LEVEL_CONSOLE);
static char conring[CONRING_SIZE];
static uint64_t conring_prod;		/* bytes ever written */
static struct console_driver *drivers;

static void ring_put(const char *s, size_t len)
{
	for (; len; len--, s++)
		conring[conring_prod++ & (CONRING_SIZE - 1)] = *s;
}

static size_t ring_copy(char *buf, size_t len)
{
	uint64_t start = conring_prod > CONRING_SIZE ?
			 conring_prod - CONRING_SIZE : 0;
	size_t n = 0;

	for (; start + n < conring_prod && n < len; n++)
		buf[n] = conring[(start + n) & (CONRING_SIZE - 1)];
	return n;
}

void vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_BUF];
	struct console_driver *d;
	unsigned long flags;
	int len = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (len < 0)
		return;
	if ((size_t)len >= sizeof(buf))
		len = sizeof(buf) - 1;
	flags = spin_lock_irqsave(&console_lock);
	ring_put(buf, len);
	for (d = drivers; d; d = d->next)
		d->write(buf, len);
	spin_unlock_irqrestore(&console_lock, flags);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void console_register(struct console_driver *drv)
{
	static char backlog[CONRING_SIZE];
	unsigned long flags = spin_lock_irqsave(&console_lock);
	size_t n = ring_copy(backlog, sizeof(backlog));

	drv->write(backlog, n);
	drv->next = drivers;
	drivers = drv;
	spin_unlock_irqrestore(&console_lock, flags);
}

size_t console_ring_read(char *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	size_t n = ring_copy(buf, len);

	spin_unlock_irqrestore(&console_lock, flags);
	return n;
}

uint64_t console_output_count(void)
{
	return __atomic_load_n(&conring_prod, __ATOMIC_SEQ_CST);
}

void console_force_unlock(void)
{
	spin_lock_init(&console_lock, LOCK_LEVEL_CONSOLE, "console_lock");
}
