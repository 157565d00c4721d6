// SPDX-License-Identifier: GPL-2.0
/*
 * The 16550 UART as the hypervisor's serial console, configured with Xen's
 * options: console=com1[,com2...] and com1=<baud>[/<base>][,DPS[,<io>]].
 * Output is polled: the line is the last resort when everything else is
 * broken, so it must not depend on interrupts. Input comes by the UART's
 * IRQ through the IO-APIC (default: 4 for COM1, 3 for COM2, as on Xen),
 * or, with IRQ 0 or no IO-APIC pin for it, from a poll timer; either way
 * on the boot CPU, and each byte goes to console_rx_char().
 */
#include <lamina/console.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/param.h>
#include <lamina/serial.h>
#include <lamina/serial_input.h>
#include <lamina/time.h>
#include <lamina/timer.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/percpu.h>
#include <asm/traps.h>

#define UART_THR	0	/* transmit holding (DLAB=0) */
#define UART_RBR	0	/* receive buffer (DLAB=0) */
#define UART_IER	1
#define UART_DLL	0	/* divisor latch (DLAB=1) */
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define  IER_ERDAI	0x01	/* interrupt on received data */
#define  LCR_DLAB	0x80
#define  LSR_DR		0x01	/* a received byte is waiting */
#define  LSR_THRE	0x20
#define  MCR_DTR_RTS	0x03
#define  MCR_OUT2	0x08	/* gates the IRQ line on PCs */
/*
 * At most this many bytes per interrupt or poll: more than any FIFO
 * holds, and a bound if a missing UART reads as 0xff (LSR_DR set).
 */
#define UART_RX_MAX	256
/* Polled input: about the time a 16-byte FIFO takes to fill at 115200
 * baud (Xen's rule), so that a paste loses nothing. */
#define RX_POLL_PERIOD	MILLISECS(1)

static const uint16_t default_io[2] = { 0x3f8, 0x2f8 };
static const uint8_t default_irq[2] = { 4, 3 };

static struct serial_cfg com_cfg[2];
static bool com_cfg_given[2];
static unsigned int console_mask;	/* CONSOLE_COM1 | CONSOLE_COM2 ... */
static bool console_given;
static uint16_t active_io;
static uint8_t active_irq;
static struct timer rx_poll_timer;

static int parse_com(unsigned int idx, const char *val)
{
	struct serial_cfg cfg = com_cfg[idx];

	if (!val || serial_parse_spec(val, &cfg))
		return -EINVAL;
	com_cfg[idx] = cfg;
	com_cfg_given[idx] = true;
	return 0;
}

static int parse_com1(const char *val)
{
	return parse_com(0, val);
}
custom_param("com1", parse_com1);

static int parse_com2(const char *val)
{
	return parse_com(1, val);
}
custom_param("com2", parse_com2);

static int parse_console(const char *val)
{
	unsigned int mask;

	if (!val || console_parse_list(val, &mask))
		return -EINVAL;
	console_mask = mask;
	console_given = true;
	return 0;
}
custom_param("console", parse_console);

/* Defaults that the command line overrides; called before parsing. */
void serial_set_defaults(void)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		com_cfg[i] = (struct serial_cfg) {
			.baud = CONFIG_SERIAL_DEFAULT_BAUD, .base_baud = 115200,
			.data_bits = 8, .parity = 'n', .stop_bits = 1,
			.io_base = default_io[i], .irq = default_irq[i],
		};
	}
	console_mask = CONFIG_SERIAL_DEFAULT_PORT == 2 ? CONSOLE_COM2 :
			CONSOLE_COM1;
}

static void uart_write(const char *s, size_t len)
{
	for (; len; len--, s++) {
		if (*s == '\n') {
			while (!(inb(active_io + UART_LSR) & LSR_THRE))
				;
			outb('\r', active_io + UART_THR);
		}
		while (!(inb(active_io + UART_LSR) & LSR_THRE))
			;
		outb(*s, active_io + UART_THR);
	}
}

static struct console_driver uart_console = {
	.name = "ns16550",
	.write = uart_write,
};

static uint8_t lcr_bits(const struct serial_cfg *c)
{
	uint8_t lcr = (c->data_bits - 5) & 3;

	if (c->stop_bits == 2)
		lcr |= 0x04;
	switch (c->parity) {
	case 'o': lcr |= 0x08; break;
	case 'e': lcr |= 0x18; break;
	case 'm': lcr |= 0x28; break;
	case 's': lcr |= 0x38; break;
	default: break;
	}
	return lcr;
}

/* Program the chosen UART (baud 0 = "auto": keep the firmware's divisor). */
void serial_init(void)
{
	const struct serial_cfg *c;
	unsigned int idx;
	uint16_t io, div;

	if (console_mask & CONSOLE_COM1)
		idx = 0;
	else if (console_mask & CONSOLE_COM2)
		idx = 1;
	else
		return;
	c = &com_cfg[idx];
	io = c->io_base;
	outb(0, io + UART_IER);			/* polled: no interrupts */
	outb(LCR_DLAB, io + UART_LCR);
	if (c->baud) {
		div = c->base_baud / c->baud;
		outb(div & 0xff, io + UART_DLL);
		outb(div >> 8, io + UART_DLM);
	}
	outb(lcr_bits(c), io + UART_LCR);
	outb(0x07, io + UART_FCR);		/* enable and clear FIFOs */
	outb(MCR_DTR_RTS, io + UART_MCR);
	active_io = io;
	active_irq = c->irq;
	console_register(&uart_console);
	if (!console_given && !com_cfg_given[idx])
		printk("(lamina) console: com%u (default)\n", idx + 1);
}

/* Hand the bytes waiting in the UART to the console. */
static void uart_rx(void)
{
	unsigned int n;

	for (n = 0; n < UART_RX_MAX && (inb(active_io + UART_LSR) & LSR_DR);
	     n++)
		console_rx_char((char)inb(active_io + UART_RBR));
}

static void uart_rx_interrupt(struct cpu_regs *regs)
{
	uart_rx();
}

static void uart_rx_poll(void *unused)
{
	uart_rx();
	set_timer(&rx_poll_timer, NOW() + RX_POLL_PERIOD);
}

/* Input on: boot CPU, once its IO-APICs and timers work. */
void serial_rx_start(void)
{
	int gsi = -ENODEV;

	if (!active_io)
		return;
	if (inb(active_io + UART_LSR) == 0xff) {
		printk("(lamina) serial: no UART at %#x: no input\n",
		       active_io);
		return;
	}
	if (active_irq) {
		set_irq_handler(VECTOR_SERIAL, uart_rx_interrupt);
		gsi = ioapic_route_isa_irq(active_irq, VECTOR_SERIAL,
					   this_cpu()->apic_id);
	}
	if (gsi >= 0) {
		outb(MCR_DTR_RTS | MCR_OUT2, active_io + UART_MCR);
		outb(IER_ERDAI, active_io + UART_IER);
		printk("(lamina) serial: input by IRQ %u (GSI %d)\n",
		       active_irq, gsi);
	} else {
		timer_init(&rx_poll_timer, uart_rx_poll, NULL, 0);
		set_timer(&rx_poll_timer, NOW() + RX_POLL_PERIOD);
		printk("(lamina) serial: input polled%s\n", active_irq ?
		       " (no IO-APIC pin for its IRQ)" : "");
	}
	uart_rx();	/* what was typed before */
}
