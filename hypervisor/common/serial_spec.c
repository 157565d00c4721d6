// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of Xen's com1=/com2= and console= options (lamina/serial.h).
 * Values come from the command line: every field is checked, and
 * nothing is written to the caller's configuration unless all of it is
 * valid.
 */
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/serial.h>

#define SERIAL_ERR(fmt, ...) ({						\
	printk("(lamina) serial: " fmt "\n", ##__VA_ARGS__);		\
	-EINVAL;							\
})

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/*
 * An unsigned number (decimal, or hex after 0x) no larger than max.
 * Returns the number of characters used, 0 if none or too large.
 */
static size_t parse_num(const char *s, uint32_t max, uint32_t *out)
{
	const char *p = s;
	unsigned int base = 10, d;
	uint64_t v = 0;

	if (p[0] == '0' && lower(p[1]) == 'x' && p[2]) {
		base = 16;
		p += 2;
	}
	for (;; p++) {
		char c = lower(*p);

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			break;
		v = v * base + d;
		if (v > max)
			return 0;
	}
	if (p == s || (base == 16 && p == s + 2))
		return 0;
	*out = v;
	return p - s;
}

/* Length of the field at s (up to ',' or the end). */
static size_t field_len(const char *s)
{
	const char *c = strchr(s, ',');

	return c ? (size_t)(c - s) : strlen(s);
}

/* "<baud>[/<base-baud>]" or "auto[/<base-baud>]" in s[0..len). */
static int parse_baud(const char *s, size_t len, struct serial_cfg *c)
{
	size_t n = 0;
	uint32_t v;

	if (len >= 4 && !strncmp(s, "auto", 4)) {
		c->baud = SERIAL_BAUD_AUTO;
		n = 4;
	} else if (len && *s != '/') {
		n = parse_num(s, UINT32_MAX, &v);
		if (!n || v == 0)
			return -EINVAL;
		c->baud = v;
	}
	if (n < len && s[n] == '/') {
		n++;
		v = 0;
		if (n == len)
			return -EINVAL;
		n += parse_num(s + n, UINT32_MAX, &v);
		if (v == 0)
			return -EINVAL;
		c->base_baud = v;
	}
	return n == len ? 0 : -EINVAL;
}

/* "8n1": data bits, parity, stop bits. */
static int parse_dps(const char *s, size_t len, struct serial_cfg *c)
{
	char p;

	if (len != 3 || s[0] < '5' || s[0] > '8' || s[2] < '1' || s[2] > '2')
		return -EINVAL;
	p = lower(s[1]);
	if (p != 'n' && p != 'o' && p != 'e' && p != 'm' && p != 's')
		return -EINVAL;
	c->data_bits = s[0] - '0';
	c->parity = p;
	c->stop_bits = s[2] - '0';
	return 0;
}

static int check_cfg(const struct serial_cfg *c, const char *s)
{
	if (c->baud != SERIAL_BAUD_AUTO &&
	    (c->base_baud < c->baud || c->base_baud / c->baud > 0xffff))
		return SERIAL_ERR("baud rate %u impossible with base %u in '%s'",
				  c->baud, c->base_baud, s);
	if (c->io_base == 0)
		return SERIAL_ERR("no I/O port in '%s'", s);
	return 0;
}

/* Field number idx (0: baud, 1: DPS, 2: I/O port, 3: IRQ), non-empty. */
static int parse_field(unsigned int idx, const char *p, size_t len,
		       struct serial_cfg *c, const char *s)
{
	uint32_t v;

	switch (idx) {
	case 0:
		if (parse_baud(p, len, c))
			return SERIAL_ERR("bad baud rate in '%s'", s);
		return 0;
	case 1:
		if (parse_dps(p, len, c))
			return SERIAL_ERR("bad data/parity/stop bits in '%s'",
					  s);
		return 0;
	case 2:
		if (parse_num(p, 0xffff, &v) != len || v == 0)
			return SERIAL_ERR("bad I/O port in '%s' (only port I/O UARTs are supported)",
					  s);
		c->io_base = v;
		return 0;
	case 3:
		if (parse_num(p, 0xff, &v) != len)
			return SERIAL_ERR("bad IRQ in '%s'", s);
		c->irq = v;
		return 0;
	}
	return SERIAL_ERR("unsupported options after the IRQ in '%s'", s);
}

int serial_parse_spec(const char *s, struct serial_cfg *cfg)
{
	struct serial_cfg c = *cfg;
	const char *p = s;
	unsigned int idx;
	size_t len;

	for (idx = 0;; idx++, p += len + 1) {
		len = field_len(p);
		/* An empty field keeps the default, as on Xen. */
		if (len && parse_field(idx, p, len, &c, s))
			return -EINVAL;
		if (!p[len])
			break;
	}
	if (check_cfg(&c, s))
		return -EINVAL;
	*cfg = c;
	return 0;
}

uint8_t serial_lcr(const struct serial_cfg *cfg)
{
	uint8_t parity;

	switch (cfg->parity) {
	case SERIAL_PARITY_ODD:	parity = 0x08; break;
	case SERIAL_PARITY_EVEN: parity = 0x18; break;
	case SERIAL_PARITY_MARK: parity = 0x28; break;
	case SERIAL_PARITY_SPACE: parity = 0x38; break;
	default:		parity = 0; break;
	}
	return (cfg->data_bits - 5) | ((cfg->stop_bits - 1) << 2) | parity;
}

uint16_t serial_divisor(const struct serial_cfg *cfg)
{
	if (cfg->baud == SERIAL_BAUD_AUTO)
		return 0;
	return cfg->base_baud / cfg->baud;
}

/* Does s[0..len) name the console word (case-insensitive)? */
static bool word_is(const char *s, size_t len, const char *word)
{
	size_t i;

	if (strlen(word) != len)
		return false;
	for (i = 0; i < len; i++)
		if (lower(s[i]) != word[i])
			return false;
	return true;
}

int console_parse_list(const char *s, unsigned int *mask)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} names[] = {
		{ "com1", CONSOLE_COM1 }, { "com2", CONSOLE_COM2 },
		{ "vga", CONSOLE_VGA }, { "none", 0 },
	};
	unsigned int i, m = 0;
	int rc = 0;
	size_t len;

	for (; *s; s += len + (s[len] == ',')) {
		len = field_len(s);
		if (!len)
			continue;
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (word_is(s, len, names[i].name))
				break;
		if (i == ARRAY_SIZE(names)) {
			printk("(lamina) console: unknown console '%.*s'\n",
			       (int)len, s);
			rc = -EINVAL;
			continue;
		}
		m |= names[i].bit;
	}
	*mask = m;
	return rc;
}
