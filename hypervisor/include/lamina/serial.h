/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Serial console options (common/serial_spec.c), Xen syntax:
 *
 *   com1=<baud>[/<base-baud>][,DPS[,<io-base>[,<irq>]]]
 *
 * baud is a number or "auto" (keep what firmware/loader programmed);
 * base-baud is the UART clock divided by 16 (115200 on a PC); DPS is data
 * bits 5-8, parity n/o/e/m/s, stop bits 1-2 (e.g. 8n1); io-base is an
 * I/O port (decimal or 0x hex); irq 0 means polled. As on Xen, any field
 * may be left empty ("115200,,0x2f8") to keep the caller's default.
 * MMIO, PCI ("pci", "amt") and the bridge/port BDF fields are not
 * supported and are rejected.
 *
 *   console=<name>[,<name>...]     names: com1, com2, vga, none
 */
#ifndef LAMINA_SERIAL_H
#define LAMINA_SERIAL_H

#include <lamina/types.h>

#define SERIAL_BAUD_AUTO	0
#define SERIAL_DEFAULT_BASE_BAUD 115200

#define SERIAL_PARITY_NONE	'n'
#define SERIAL_PARITY_ODD	'o'
#define SERIAL_PARITY_EVEN	'e'
#define SERIAL_PARITY_MARK	'm'
#define SERIAL_PARITY_SPACE	's'

struct serial_cfg {
	uint32_t baud;			/* SERIAL_BAUD_AUTO: leave as is */
	uint32_t base_baud;
	uint8_t data_bits;		/* 5-8 */
	uint8_t parity;			/* SERIAL_PARITY_* */
	uint8_t stop_bits;		/* 1-2 */
	uint16_t io_base;
	uint8_t irq;			/* 0: polled */
};

/* PC defaults for COM1 and COM2 (115200 8n1). */
#define SERIAL_COM1_DEFAULTS { 115200, SERIAL_DEFAULT_BASE_BAUD, 8, \
			       SERIAL_PARITY_NONE, 1, 0x3f8, 4 }
#define SERIAL_COM2_DEFAULTS { 115200, SERIAL_DEFAULT_BASE_BAUD, 8, \
			       SERIAL_PARITY_NONE, 1, 0x2f8, 3 }

/*
 * Parse s over the defaults already in *cfg. On error, returns -EINVAL
 * after a "(lamina) serial: ..." message and leaves *cfg unchanged. The
 * result is checked: a baud rate gives a divisor base_baud / baud in
 * 1..0xffff, and io_base is non-zero.
 */
int serial_parse_spec(const char *s, struct serial_cfg *cfg);

/* Line Control Register value (without DLAB) for cfg. */
uint8_t serial_lcr(const struct serial_cfg *cfg);
/* Divisor latch value for cfg; 0 for SERIAL_BAUD_AUTO. */
uint16_t serial_divisor(const struct serial_cfg *cfg);

#define CONSOLE_COM1		(1u << 0)
#define CONSOLE_COM2		(1u << 1)
#define CONSOLE_VGA		(1u << 2)

/*
 * Parse a console= list into a CONSOLE_* mask ("none" adds nothing).
 * Unknown names are reported and skipped: returns -EINVAL but *mask
 * still holds the known ones. Returns 0 otherwise.
 */
int console_parse_list(const char *s, unsigned int *mask);

#endif /* LAMINA_SERIAL_H */
