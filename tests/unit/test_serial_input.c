// SPDX-License-Identifier: GPL-2.0
/*
 * Serial input (common/serial_input.c): the focus at boot and its
 * rotation, Ctrl-A held back and three of them switching, 7-bit input,
 * the queue from the UART and dom0's 128-byte buffer overflowing, and
 * CONSOLEIO_read's worker keeping bytes it could not deliver. The
 * domain list and the console rings are simulated here (serial_input.mk
 * renames the functions the file calls, so that they do not clash with
 * other suites' stand-ins).
 */
#include <string.h>

#include "harness.h"
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/serial_input.h>

#define NR_DOMS	4

static struct domain doms[NR_DOMS];
static bool has_ring[NR_DOMS], exists[NR_DOMS];
static char got[NR_DOMS][512];
static size_t got_len[NR_DOMS];
static int refs;

/* Stand-ins (see serial_input.mk). */
struct domain *si_domain_get_by_id(domid_t id);
void si_domain_put(struct domain *d);
void si_domain_for_each(void (*fn)(struct domain *, void *), void *arg);
bool si_domain_has_console(const struct domain *d);
void si_domain_console_input(struct domain *d, const char *buf, size_t n);
void si_domain_console_service(void);

struct domain *si_domain_get_by_id(domid_t id)
{
	unsigned int i;

	for (i = 0; i < NR_DOMS; i++) {
		if (exists[i] && doms[i].domain_id == id) {
			refs++;
			return &doms[i];
		}
	}
	return NULL;
}

void si_domain_put(struct domain *d __unused)
{
	refs--;
}

void si_domain_for_each(void (*fn)(struct domain *, void *), void *arg)
{
	unsigned int i;

	for (i = 0; i < NR_DOMS; i++)
		if (exists[i])
			fn(&doms[i], arg);
}

bool si_domain_has_console(const struct domain *d)
{
	return has_ring[d - doms];
}

void si_domain_console_input(struct domain *d, const char *buf, size_t n)
{
	unsigned int i = d - doms;

	ck_assert_uint_le(got_len[i] + n, sizeof(got[i]));
	memcpy(got[i] + got_len[i], buf, n);
	got_len[i] += n;
}

void si_domain_console_service(void)
{
}

/* The debug keys Lamina got (common/keyhandler.c's entry point). */
static char keys[64];
static size_t nkeys;
void si_handle_keypress(char c);
void si_handle_keypress(char c)
{
	if (nkeys < sizeof(keys))
		keys[nkeys++] = c;
}

static unsigned int virqs;
void si_evtchn_send_global_virq(struct domain *d, unsigned int virq);
void si_evtchn_send_global_virq(struct domain *d, unsigned int virq)
{
	ck_assert(d->is_hardware);
	ck_assert_uint_eq(virq, VIRQ_CONSOLE);
	virqs++;
}

/* Domains 1 and 2 with rings, 3 without (not an input target). */
static void setup(void)
{
	unsigned int i;

	for (i = 0; i < NR_DOMS; i++) {
		doms[i] = (struct domain){ .domain_id = (domid_t)i };
		exists[i] = i > 0;
		has_ring[i] = i == 1 || i == 2;
		got_len[i] = 0;
	}
	refs = 0;
	virqs = 0;
	nkeys = 0;
	harness_log_clear();
}

static void type(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		console_rx_char(s[i]);
	serial_input_process();
	ck_assert_int_eq(refs, 0);
}

#define TYPE(s)		type(s, sizeof(s) - 1)
#define GOT(i, s)	do {						\
	ck_assert_uint_eq(got_len[i], sizeof(s) - 1);			\
	ck_assert_mem_eq(got[i], s, sizeof(s) - 1);			\
} while (0)

static int copy_out(void *ctx, size_t off, const char *buf, size_t n)
{
	memcpy((char *)ctx + off, buf, n);
	return 0;
}

static int fault(void *ctx __unused, size_t off __unused,
		 const char *buf __unused, size_t n __unused)
{
	return -EFAULT;
}

START_TEST(boot_focus_lowest_with_ring)
{
	serial_input_boot_focus();
	ck_assert(harness_log_has("*** Serial input to DOM1 (type 'CTRL-a' "
				  "three times to switch input)"));
	TYPE("ls\r");
	GOT(1, "ls\r");
}
END_TEST

START_TEST(boot_focus_hardware_domain_first)
{
	doms[3].is_hardware = true;
	serial_input_boot_focus();
	ck_assert(harness_log_has("Serial input to DOM3"));
}
END_TEST

START_TEST(no_domain_no_focus)
{
	exists[1] = exists[2] = exists[3] = false;
	serial_input_boot_focus();
	ck_assert(harness_log_has("Serial input to Lamina: debug keys, "
				  "'h' lists them"));
	TYPE("x");
	ck_assert_uint_eq(nkeys, 1);
	ck_assert_int_eq(keys[0], 'x');
}
END_TEST

/* 1 -> 2 -> Lamina (3 takes no input) -> 1, and a shut-down 2 skipped. */
START_TEST(ctrl_a_three_times_rotates)
{
	serial_input_boot_focus();
	TYPE("a\x01\x01\x01" "b");
	GOT(1, "a");
	GOT(2, "b");
	ck_assert(harness_log_has("Serial input to DOM2"));
	harness_log_clear();
	TYPE("\x01\x01\x01" "lost");
	ck_assert(harness_log_has("Serial input to Lamina"));
	GOT(1, "a");
	GOT(2, "b");
	/* Lamina's bytes are debug keys, the switch's Ctrl-As none. */
	ck_assert_uint_eq(nkeys, 4);
	ck_assert(!memcmp(keys, "lost", 4));
	doms[2].is_shut_down = true;
	TYPE("\x01\x01\x01" "c\x01\x01\x01" "d");
	GOT(1, "ac");
	ck_assert(harness_log_has("Serial input to DOM1"));
	ck_assert(harness_log_has("Serial input to Lamina"));
	GOT(2, "b");
}
END_TEST

/* Fewer than three Ctrl-As reach the focus before the next byte, even
 * across separate interrupts; a switch eats all three. */
START_TEST(ctrl_a_held_back)
{
	serial_input_boot_focus();
	TYPE("\x01");
	ck_assert_uint_eq(got_len[1], 0);
	TYPE("\x01");
	ck_assert_uint_eq(got_len[1], 0);
	TYPE("x");
	GOT(1, "\x01\x01x");
	TYPE("\x01y\x01\x01\x01");
	GOT(1, "\x01\x01x\x01y");
	GOT(2, "");
}
END_TEST

START_TEST(input_is_7bit)
{
	serial_input_boot_focus();
	TYPE("\xe9\x81");	/* 0x81 & 0x7f is Ctrl-A: held back */
	GOT(1, "i");
	TYPE("z");
	GOT(1, "i\x01z");
}
END_TEST

/* The UART's queue holds 256 bytes until the softirq runs. */
START_TEST(queue_full_drops)
{
	unsigned int i;

	serial_input_boot_focus();
	for (i = 0; i < 300; i++)
		console_rx_char('q');
	serial_input_process();
	ck_assert_uint_eq(got_len[1], 256);
	TYPE("r");
	ck_assert_uint_eq(got_len[1], 257);
}
END_TEST

/* dom0 keeps 128 bytes; reads come in one or two pieces (wrap); a read
 * that cannot deliver leaves the bytes for the next. */
START_TEST(hwdom_buffer)
{
	char buf[256], typed[200];
	unsigned int i;

	doms[0].is_hardware = true;
	exists[0] = true;
	serial_input_boot_focus();
	ck_assert(harness_log_has("Serial input to DOM0"));
	ck_assert_int_eq(serial_input_hwdom_read(10, fault, NULL), 0);
	for (i = 0; i < sizeof(typed); i++)
		typed[i] = 'A' + i % 26;
	type(typed, sizeof(typed));
	ck_assert_uint_eq(virqs, 1);	/* one per batch, even if it overflowed */
	ck_assert_int_eq(serial_input_hwdom_read(10, fault, NULL), -EFAULT);
	ck_assert_int_eq(serial_input_hwdom_read(0, copy_out, buf), 0);
	ck_assert_int_eq(serial_input_hwdom_read(100, copy_out, buf), 100);
	ck_assert_mem_eq(buf, typed, 100);
	type(typed, 60);	/* 28 left + 60: wraps, 100 fit */
	ck_assert_uint_eq(virqs, 2);
	ck_assert_int_eq(serial_input_hwdom_read(sizeof(buf), copy_out, buf),
			 88);
	ck_assert_mem_eq(buf, typed + 100, 28);
	ck_assert_mem_eq(buf + 28, typed, 60);
	ck_assert_int_eq(serial_input_hwdom_read(sizeof(buf), copy_out, buf),
			 0);
}
END_TEST

SUITE(serial_input)
{
	Suite *s = suite_create("serial_input");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, boot_focus_lowest_with_ring);
	tcase_add_test(tc, boot_focus_hardware_domain_first);
	tcase_add_test(tc, no_domain_no_focus);
	tcase_add_test(tc, ctrl_a_three_times_rotates);
	tcase_add_test(tc, ctrl_a_held_back);
	tcase_add_test(tc, input_is_7bit);
	tcase_add_test(tc, queue_full_drops);
	tcase_add_test(tc, hwdom_buffer);
	suite_add_tcase(s, tc);
	return s;
}
