// SPDX-License-Identifier: GPL-2.0
/*
 * Serial input (lamina/serial_input.h).
 *
 * The UART driver calls console_rx_char() for each byte, from its
 * interrupt handler or poll timer on the boot CPU. The byte waits in
 * rxq, a single-producer single-consumer queue, until the console
 * softirq, also on the boot CPU, gives it to the input focus:
 *
 *   Lamina               each byte is a debug key (common/keyhandler.c)
 *   the hardware domain  hwdom_rx, read with CONSOLEIO_read (Xen keeps
 *                        the same 128 bytes and drops what overflows),
 *                        and VIRQ_CONSOLE raised
 *   a domain with a      its console page's in ring (domain_console.c);
 *   console ring         what does not fit is dropped
 *
 * Ctrl-A three times in a row moves the focus to the next domain that
 * takes input, in domid order, and from the last back to Lamina (Xen's
 * conswitch=a). As on Xen 4.17, Ctrl-As are held back: three make a
 * switch and are eaten; fewer go to the focus before the next other
 * byte. Also as on Xen, input is 7-bit: the top bit of each byte is
 * cleared.
 */
#include <lamina/domain.h>
#include <lamina/domain_console.h>
#include <lamina/event.h>
#include <lamina/keyhandler.h>
#include <lamina/lib.h>
#include <lamina/serial_input.h>
#include <lamina/smp.h>
#include <lamina/softirq.h>
#include <lamina/spinlock.h>

#define CTRL_A		0x01
#define SWITCH_COUNT	3
#define RXQ_SIZE	256	/* a power of two */
#define HWDOM_RX_SIZE	128	/* a power of two */
#define FOCUS_LAMINA	DOMID_XEN

/* Written by the UART's handler (producer), read by the softirq. */
static char rxq[RXQ_SIZE];
static unsigned int rxq_prod, rxq_cons;	/* free-running, atomic */

/* Owned by the console softirq (and boot, before it runs). */
static domid_t focus = FOCUS_LAMINA;
static unsigned int ctrl_a_held;	/* Ctrl-As not yet delivered */

/*
 * The hardware domain's input: the softirq produces, CONSOLEIO_read
 * consumes. The lock is held while the bytes are copied to the guest
 * (so below the p2m's level), never from an interrupt handler.
 */
static DEFINE_SPINLOCK(hwdom_rx_lock, LOCK_LEVEL_CONSOLE_RX);
static char hwdom_rx[HWDOM_RX_SIZE];
static unsigned int hwdom_rx_prod, hwdom_rx_cons;

static void console_softirq(void)
{
	serial_input_process();
	domain_console_service();
}

void serial_input_init(void)
{
	open_softirq(CONSOLE_SOFTIRQ, console_softirq);
}

void console_rx_char(char c)
{
	unsigned int prod = rxq_prod;

	if (prod - __atomic_load_n(&rxq_cons, __ATOMIC_ACQUIRE) == RXQ_SIZE)
		return;				/* full: dropped */
	rxq[prod & (RXQ_SIZE - 1)] = c;
	__atomic_store_n(&rxq_prod, prod + 1, __ATOMIC_RELEASE);
	cpu_raise_softirq(0, CONSOLE_SOFTIRQ);
}

static void hwdom_input(const char *buf, size_t n)
{
	size_t i;

	spin_lock(&hwdom_rx_lock);
	for (i = 0; i < n && hwdom_rx_prod - hwdom_rx_cons < HWDOM_RX_SIZE;
	     i++)
		hwdom_rx[hwdom_rx_prod++ & (HWDOM_RX_SIZE - 1)] = buf[i];
	spin_unlock(&hwdom_rx_lock);
}

long serial_input_hwdom_read(size_t len, serial_deliver_fn deliver,
			     void *ctx)
{
	size_t done = 0;
	int rc = 0;

	spin_lock(&hwdom_rx_lock);
	while (done < len && hwdom_rx_cons != hwdom_rx_prod) {
		unsigned int idx = hwdom_rx_cons & (HWDOM_RX_SIZE - 1);
		size_t n = MIN(hwdom_rx_prod - hwdom_rx_cons,
			       HWDOM_RX_SIZE - idx);

		n = MIN(n, len - done);
		rc = deliver(ctx, done, &hwdom_rx[idx], n);
		if (rc)
			break;
		hwdom_rx_cons += n;
		done += n;
	}
	spin_unlock(&hwdom_rx_lock);
	return rc ? rc : (long)done;
}

/* Give buf to the focus: a domain (nobody when it is gone), or Lamina's
 * debug keys. */
static void deliver(const char *buf, size_t n)
{
	struct domain *d;
	size_t i;

	if (focus == FOCUS_LAMINA) {
		for (i = 0; i < n; i++)
			handle_keypress(buf[i]);
		return;
	}
	if (!n)
		return;
	d = domain_get_by_id(focus);
	if (!d)
		return;
	if (d->is_hardware) {
		hwdom_input(buf, n);
		/* Even when the buffer was full, as Xen: a reader that
		 * missed an event must not wait forever. */
		evtchn_send_global_virq(d, VIRQ_CONSOLE);
	} else
		domain_console_input(d, buf, n);
	domain_put(d);
}

domid_t serial_input_focus(void)
{
	return focus;
}

static bool takes_input(const struct domain *d)
{
	return !d->is_shut_down && (d->is_hardware || domain_has_console(d));
}

struct next_focus {
	int after;		/* -1: from the start */
	domid_t found;		/* FOCUS_LAMINA: none */
};

static void find_next(struct domain *d, void *arg)
{
	struct next_focus *n = arg;

	if ((int)d->domain_id > n->after && d->domain_id < n->found &&
	    takes_input(d))
		n->found = d->domain_id;
}

static void announce(void)
{
	if (focus == FOCUS_LAMINA)
		printk("(lamina) *** Serial input to Lamina: debug keys, "
		       "'h' lists them");
	else
		printk("(lamina) *** Serial input to DOM%u", focus);
	printk(" (type 'CTRL-a' three times to switch input)\n");
}

static void switch_focus(void)
{
	struct next_focus n = {
		.after = focus == FOCUS_LAMINA ? -1 : focus,
		.found = FOCUS_LAMINA,
	};

	domain_for_each(find_next, &n);
	focus = n.found;
	announce();
}

struct boot_focus {
	domid_t hw, first;	/* FOCUS_LAMINA: none */
};

static void find_boot(struct domain *d, void *arg)
{
	struct boot_focus *b = arg;

	if (!takes_input(d))
		return;
	if (d->is_hardware)
		b->hw = d->domain_id;
	if (d->domain_id < b->first)
		b->first = d->domain_id;
}

void serial_input_boot_focus(void)
{
	struct boot_focus b = { FOCUS_LAMINA, FOCUS_LAMINA };

	domain_for_each(find_boot, &b);
	focus = b.hw != FOCUS_LAMINA ? b.hw : b.first;
	announce();
}

void serial_input_process(void)
{
	char batch[RXQ_SIZE + SWITCH_COUNT];
	unsigned int cons = rxq_cons, prod, n = 0;

	prod = __atomic_load_n(&rxq_prod, __ATOMIC_ACQUIRE);
	for (; cons != prod; cons++) {
		char c = rxq[cons & (RXQ_SIZE - 1)] & 0x7f;

		if (c == CTRL_A) {
			if (++ctrl_a_held < SWITCH_COUNT)
				continue;
			ctrl_a_held = 0;
			deliver(batch, n);
			n = 0;
			switch_focus();
			continue;
		}
		for (; ctrl_a_held; ctrl_a_held--)
			batch[n++] = CTRL_A;
		batch[n++] = c;
	}
	/* Read the bytes before the producer may reuse their slots. */
	__atomic_store_n(&rxq_cons, cons, __ATOMIC_RELEASE);
	deliver(batch, n);
}
