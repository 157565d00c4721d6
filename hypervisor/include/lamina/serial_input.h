/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Serial input (common/serial_input.c): who gets the bytes typed on the
 * hypervisor's serial line. The input focus is Lamina itself, the
 * hardware domain (read with CONSOLEIO_read, announced by VIRQ_CONSOLE)
 * or a domain with a console
 * ring (its in ring, lamina/domain_console.h); Ctrl-A typed three times
 * in a row moves it on, as on Xen.
 */
#ifndef LAMINA_SERIAL_INPUT_H
#define LAMINA_SERIAL_INPUT_H

#include <lamina/types.h>
#include <xen/xen.h>

/* Boot CPU, before the first byte can arrive: the console softirq. */
void serial_input_init(void);

/*
 * A byte from the UART (interrupt handler or poll timer, on the boot
 * CPU). It waits in a small queue for the console softirq; when the
 * queue is full it is dropped.
 */
void console_rx_char(char c);

/*
 * The console softirq's input half (boot CPU): give the queued bytes to
 * the focus, switching on Ctrl-A x3.
 */
void serial_input_process(void);

/* Who has the focus: a domid, or DOMID_XEN for Lamina itself. */
domid_t serial_input_focus(void);

/*
 * End of boot, before the boot domains start: the focus goes to the
 * hardware domain, else to the first domain with a console ring, else
 * stays with Lamina; say so on the console.
 */
void serial_input_boot_focus(void);

/*
 * CONSOLEIO_read's worker: hands up to len of the bytes typed for the
 * hardware domain, oldest first, to deliver(ctx, bytes, n) (at most two
 * calls: the buffer may wrap), under the input buffer's lock. Bytes
 * count as read only when deliver returns 0; otherwise its error is
 * returned and they stay for the next read. Returns the count.
 */
typedef int (*serial_deliver_fn)(void *ctx, size_t off, const char *buf,
				 size_t n);
long serial_input_hwdom_read(size_t len, serial_deliver_fn deliver,
			     void *ctx);

#endif /* LAMINA_SERIAL_INPUT_H */
