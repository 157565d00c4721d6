// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "harness.h"
#include <lamina/errno.h>
#include <lamina/serial.h>

static const struct serial_cfg com1 = SERIAL_COM1_DEFAULTS;
static struct serial_cfg c;

static int parse(const char *s)
{
	c = com1;
	harness_log_clear();
	return serial_parse_spec(s, &c);
}

START_TEST(full_spec)
{
	ck_assert_int_eq(parse("9600/1843200,7e2,0x2e8,5"), 0);
	ck_assert_uint_eq(c.baud, 9600);
	ck_assert_uint_eq(c.base_baud, 1843200);
	ck_assert_uint_eq(c.data_bits, 7);
	ck_assert_uint_eq(c.parity, SERIAL_PARITY_EVEN);
	ck_assert_uint_eq(c.stop_bits, 2);
	ck_assert_uint_eq(c.io_base, 0x2e8);
	ck_assert_uint_eq(c.irq, 5);
	ck_assert_uint_eq(serial_divisor(&c), 192);
	ck_assert_uint_eq(serial_lcr(&c), 0x02 | 0x04 | 0x18);
}
END_TEST

START_TEST(partial_specs)
{
	ck_assert_int_eq(parse("115200,8n1"), 0);
	ck_assert(!memcmp(&c, &com1, sizeof(c)));
	ck_assert_uint_eq(serial_lcr(&c), 0x03);
	ck_assert_uint_eq(serial_divisor(&c), 1);
	ck_assert_int_eq(parse("38400"), 0);
	ck_assert_uint_eq(c.baud, 38400);
	ck_assert_uint_eq(c.io_base, 0x3f8);
	ck_assert_int_eq(parse("auto"), 0);
	ck_assert_uint_eq(c.baud, SERIAL_BAUD_AUTO);
	ck_assert_uint_eq(serial_divisor(&c), 0);
	ck_assert_int_eq(parse("auto/921600,8o1"), 0);
	ck_assert_uint_eq(c.base_baud, 921600);
	ck_assert_uint_eq(c.parity, SERIAL_PARITY_ODD);
	ck_assert_int_eq(parse("115200,,0x2f8,3"), 0);	/* empty DPS */
	ck_assert_uint_eq(c.io_base, 0x2f8);
	ck_assert_uint_eq(c.irq, 3);
	ck_assert_uint_eq(c.data_bits, 8);
	ck_assert_int_eq(parse(",5m1"), 0);		/* empty baud */
	ck_assert_uint_eq(c.baud, 115200);
	ck_assert_uint_eq(serial_lcr(&c), 0x28);
	ck_assert_int_eq(parse("115200,8s1,760,0"), 0);	/* decimal, polled */
	ck_assert_uint_eq(c.io_base, 760);
	ck_assert_uint_eq(c.irq, 0);
	ck_assert_uint_eq(serial_lcr(&c), 0x3b);
	ck_assert_int_eq(parse("/1843200"), 0);
	ck_assert_uint_eq(serial_divisor(&c), 16);
	ck_assert_int_eq(parse(""), 0);
	ck_assert(!memcmp(&c, &com1, sizeof(c)));
	ck_assert_int_eq(parse("115200,8N1,"), 0);
}
END_TEST

START_TEST(errors)
{
	static const char *const bad[] = {
		"fast", "0", "-9600", "9600x", "auto2", "9600/", "9600/0",
		"9600/x", "99999999999", "115201",	/* > base baud */
		"1",					/* divisor > 0xffff */
		"115200,9n1", "115200,4n1", "115200,8x1", "115200,8n3",
		"115200,8n", "115200,8n11", "115200,n81",
		"115200,8n1,0", "115200,8n1,0x10000", "115200,8n1,pci",
		"115200,8n1,amt", "115200,8n1,0x", "115200,8n1,0x3f8z",
		"115200,8n1,0x3f8,256", "115200,8n1,0x3f8,-1",
		"115200,8n1,0x3f8,4x", "115200,8n1,0x3f8,4,0:1f.0",
	};
	struct serial_cfg keep;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_msg(parse(bad[i]) == -EINVAL, "'%s'", bad[i]);
		ck_assert_msg(!memcmp(&c, &com1, sizeof(c)), "'%s'", bad[i]);
		ck_assert_msg(harness_log_has("(lamina) serial: "), "'%s'",
			      bad[i]);
	}
	ck_assert_int_eq(parse("115200,8n1,pci"), -EINVAL);
	ck_assert(harness_log_has("bad I/O port in '115200,8n1,pci'"));
	/* No default port and none given. */
	keep = com1;
	keep.io_base = 0;
	ck_assert_int_eq(serial_parse_spec("9600", &keep), -EINVAL);
	ck_assert(harness_log_has("no I/O port"));
	ck_assert_uint_eq(keep.baud, 115200);
}
END_TEST

START_TEST(console_list)
{
	unsigned int m = 99;

	ck_assert_int_eq(console_parse_list("com1", &m), 0);
	ck_assert_uint_eq(m, CONSOLE_COM1);
	ck_assert_int_eq(console_parse_list("vga,com2", &m), 0);
	ck_assert_uint_eq(m, CONSOLE_VGA | CONSOLE_COM2);
	ck_assert_int_eq(console_parse_list("COM1,,Vga,", &m), 0);
	ck_assert_uint_eq(m, CONSOLE_VGA | CONSOLE_COM1);
	ck_assert_int_eq(console_parse_list("none", &m), 0);
	ck_assert_uint_eq(m, 0);
	ck_assert_int_eq(console_parse_list("", &m), 0);
	ck_assert_uint_eq(m, 0);
	harness_log_clear();
	ck_assert_int_eq(console_parse_list("com1,dbgp,com3", &m), -EINVAL);
	ck_assert_uint_eq(m, CONSOLE_COM1);
	ck_assert(harness_log_has("(lamina) console: unknown console 'dbgp'"));
	ck_assert(harness_log_has("unknown console 'com3'"));
	ck_assert_int_eq(console_parse_list("com", &m), -EINVAL);
	ck_assert_int_eq(console_parse_list("com1x", &m), -EINVAL);
	ck_assert_uint_eq(m, 0);
}
END_TEST

SUITE(serial)
{
	Suite *s = suite_create("serial");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, full_spec);
	tcase_add_test(tc, partial_specs);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, console_list);
	suite_add_tcase(s, tc);
	return s;
}
