// SPDX-License-Identifier: GPL-2.0
/*
 * conring: the console a boot domain gets, and serial input.
 *
 * An unprivileged domain finds its console ring as Linux's hvc_xen does
 * (HVM_PARAM_CONSOLE_PFN and _EVTCHN), writes to it and signals the
 * port, and checks that the hypervisor consumed the bytes and signalled
 * back (an upcall on the port, lib/events.c); it also tries indices a
 * hostile guest would write. The hardware domain has no ring and reads
 * with CONSOLEIO_read instead.
 *
 * Then both read lines typed on the serial line, printing each as
 * "conring: got '...'" (bytes outside printable ASCII as \xNN), until
 * the line "bye"; a domain with a ring first writes a prompt there
 * without a newline, and echoes the line after it. The boot tests
 * (tests/boot/console_cases.py) type them and switch the input between
 * domains with Ctrl-A.
 */
#include "guest.h"
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>

#define CONSOLE_GFN	0xfefffUL	/* Xen's console special page */
#define BAD_POINTER	0x7ff000000000UL
/* Time limits in TSC cycles (a few seconds at least, even under TCG). */
#define WAIT_SHORT	500000000ULL
#define WAIT_LONG	60000000000ULL

static struct xencons_interface *intf;
static evtchn_port_t port;
static bool is_hwdom;

static long param(unsigned int index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	long rc = hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_param,
			     (unsigned long)&p);

	*value = p.value;
	return rc;
}

static long console_read(void *buf, unsigned long len)
{
	return hypercall3(__HYPERVISOR_console_io, CONSOLEIO_read, len,
			  (unsigned long)buf);
}

/* Events the hypervisor sent on the console port (upcalls). */
static unsigned long events_seen;
static bool new_event(void)
{
	return evtchn_count(port) != events_seen;
}

/* Yield until cond() holds or about `cycles` TSC cycles went by;
 * interrupts on meanwhile, so that upcalls come in. */
static bool wait_for(bool (*cond)(void), uint64_t cycles)
{
	uint64_t t0 = rdtsc();
	bool done;

	irq_enable();
	while (!(done = cond()) && rdtsc() - t0 <= cycles)
		sched_yield();
	irq_disable();
	return done;
}

static bool out_drained(void)
{
	return __atomic_load_n(&intf->out_cons, __ATOMIC_ACQUIRE) ==
	       intf->out_prod;
}

/* As hvc_xen: copy what fits, publish, signal; yield while full. */
static bool ring_write(const char *s, size_t n)
{
	while (n) {
		XENCONS_RING_IDX cons, prod = intf->out_prod;
		size_t room, i;

		cons = __atomic_load_n(&intf->out_cons, __ATOMIC_ACQUIRE);
		room = sizeof(intf->out) - (prod - cons);
		for (i = 0; i < n && i < room; i++)
			intf->out[MASK_XENCONS_IDX(prod + i, intf->out)] = s[i];
		__atomic_store_n(&intf->out_prod, prod + i, __ATOMIC_RELEASE);
		if (evtchn_send(port))
			return false;
		s += i;
		n -= i;
		if (n && !wait_for(out_drained, WAIT_SHORT))
			return false;
	}
	return true;
}

static bool ring_puts(const char *s)
{
	return ring_write(s, strlen(s));
}

static bool in_reserved_only(uint64_t addr)
{
	const struct hvm_memmap_table_entry *map =
		(const void *)(uintptr_t)start_info->memmap_paddr;
	bool reserved = false;
	unsigned int i;

	for (i = 0; i < start_info->memmap_entries; i++) {
		if (addr < map[i].addr || addr >= map[i].addr + map[i].size)
			continue;
		if (map[i].type != XEN_HVM_MEMMAP_TYPE_RESERVED)
			return false;
		reserved = true;
	}
	return reserved;
}

static void test_params(void)
{
	uint64_t pfn = 1, evtchn = 1;
	struct xen_hvm_get_mem_type t = { .domid = DOMID_SELF,
					  .pfn = CONSOLE_GFN };

	CHECK_EQ(param(HVM_PARAM_CONSOLE_PFN, &pfn), 0);
	CHECK_EQ(param(HVM_PARAM_CONSOLE_EVTCHN, &evtchn), 0);
	if (is_hwdom) {
		/* Xen's dom0 has no ring either: console_io is its console,
		 * and VIRQ_CONSOLE says when something was typed. */
		CHECK_EQ(pfn, 0);
		CHECK_EQ(evtchn, 0);
		CHECK_EQ(events_init(), 0);
		CHECK_EQ(evtchn_bind_virq(VIRQ_CONSOLE, 0, &port), 0);
		evtchn_set_handler(port, NULL, NULL);
		return;
	}
	CHECK_EQ(pfn, CONSOLE_GFN);
	CHECK(evtchn > 0 && evtchn < 4096);
	CHECK_EQ(hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_mem_type,
			    (unsigned long)&t), 0);
	CHECK_EQ(t.mem_type, HVMMEM_ram_rw);
	CHECK(start_info && in_reserved_only(CONSOLE_GFN << 12));
	intf = (void *)(uintptr_t)(pfn << 12);
	port = (evtchn_port_t)evtchn;
	CHECK_EQ(events_init(), 0);
	evtchn_set_handler(port, NULL, NULL);	/* counted */
}

/* CONSOLEIO_read: dom0's, with Xen's argument checks; others' -EPERM. */
static void test_read_args(void)
{
	char buf[4];

	if (!is_hwdom) {
		CHECK_EQ(console_read(buf, sizeof(buf)), -XEN_EPERM);
		return;
	}
	CHECK_EQ(console_read(buf, 0), 0);
	CHECK_EQ(console_read(buf, 0x80000000UL), -XEN_E2BIG);
	/* Nothing typed yet: nothing copied, so no fault either. */
	CHECK_EQ(console_read((void *)BAD_POINTER, 16), 0);
}

static void test_output(void)
{
	char line[96];
	unsigned int i;
	bool ok = true;

	if (!intf)
		return;
	events_seen = evtchn_count(port);
	CHECK(ring_puts("conring: hello through the ring\n"));
	/* The hypervisor consumed it all, then signalled the port. */
	CHECK(wait_for(new_event, WAIT_SHORT));
	CHECK(out_drained());
	/* More than the ring holds: its indices wrap, the writer waits. */
	for (i = 0; i < 40; i++) {
		snprintf(line, sizeof(line), "conring: line %02u of 40, "
			 "padding padding padding padding padding\n", i);
		ok &= ring_puts(line);
	}
	CHECK(ok);
	CHECK(wait_for(out_drained, WAIT_SHORT));
	/* Escapes, bell and carriage return are not printed. */
	CHECK(ring_puts("conring: \x1b[1mpla\x1b" "7in\x1b[0m\a\r\n"));
	CHECK(wait_for(out_drained, WAIT_SHORT));
}

static bool never(void)
{
	return false;
}

/* A producer more than a ring ahead, then one behind: ignored (and
 * reported once), and the ring works again once the indices are sane. */
static void test_hostile_indices(void)
{
	XENCONS_RING_IDX cons;

	if (!intf)
		return;
	cons = intf->out_cons;
	intf->out_prod = cons + 3000;
	CHECK_EQ(evtchn_send(port), 0);
	wait_for(never, WAIT_SHORT);
	CHECK_EQ(intf->out_cons, cons);
	intf->out_prod = cons - 1;
	CHECK_EQ(evtchn_send(port), 0);
	wait_for(never, WAIT_SHORT);
	CHECK_EQ(intf->out_cons, cons);
	intf->out_prod = cons;
	CHECK(ring_puts("conring: ring usable again\n"));
	CHECK(wait_for(out_drained, WAIT_SHORT));
}

static bool in_ready(void)
{
	return __atomic_load_n(&intf->in_prod, __ATOMIC_ACQUIRE) !=
	       intf->in_cons;
}

/* One byte typed for this domain, or -1 after a long wait. */
static int ring_getc(void)
{
	XENCONS_RING_IDX cons = intf->in_cons;
	char c;

	if (!in_ready()) {
		events_seen = evtchn_count(port);
		if (!wait_for(in_ready, WAIT_LONG))
			return -1;
		/* The hypervisor signals after publishing the bytes. */
		CHECK(wait_for(new_event, WAIT_SHORT));
	}
	c = intf->in[MASK_XENCONS_IDX(cons, intf->in)];
	__atomic_store_n(&intf->in_cons, cons + 1, __ATOMIC_RELEASE);
	evtchn_send(port);		/* as hvc_xen after reading */
	return (unsigned char)c;
}

static char typed[64];
static long typed_len, typed_pos;
static bool typed_ready(void)
{
	long n;

	if (typed_pos < typed_len)
		return true;
	n = console_read((void *)BAD_POINTER, sizeof(typed));
	if (n == 0)
		return false;
	/* Bytes are waiting (the bad buffer faulted): they are still there. */
	CHECK_EQ(n, -XEN_EFAULT);
	typed_len = console_read(typed, sizeof(typed));
	typed_pos = 0;
	CHECK(typed_len > 0);
	return typed_len > 0;
}

static int hwdom_getc(void)
{
	if (!wait_for(typed_ready, WAIT_LONG))
		return -1;
	return (unsigned char)typed[typed_pos++];
}

/* A line up to CR or LF, printable; false on timeout. */
static bool read_line(char *out, size_t size)
{
	size_t n = 0;
	int c;

	for (;;) {
		c = intf ? ring_getc() : hwdom_getc();
		if (c < 0)
			return false;
		if (c == '\r' || c == '\n')
			break;
		if (n + 5 >= size)
			continue;
		if (c >= 0x20 && c < 0x7f)
			out[n++] = (char)c;
		else
			n += snprintf(out + n, size - n, "\\x%02x", c);
	}
	out[n] = 0;
	return true;
}

static void test_input(void)
{
	char line[80];
	unsigned int lines = 0;

	if (!intf && !is_hwdom)
		return;
	printf("conring: waiting for input\n");
	/* A prompt without a newline, as a shell's: the hypervisor shows it
	 * while this domain has the input focus; then the line's echo. */
	while ((!intf || ring_puts("conring: type> ")) &&
	       read_line(line, sizeof(line))) {
		if (intf) {
			ring_puts(line);
			ring_puts("\n");
			wait_for(out_drained, WAIT_SHORT);
		}
		lines++;
		printf("conring: got '%s'\n", line);
		if (!strcmp(line, "bye"))
			break;
	}
	CHECK(lines > 0 && !strcmp(line, "bye"));
	if (is_hwdom)
		CHECK(evtchn_count(port) > 0);	/* VIRQ_CONSOLE came */
}

static const struct test tests[] = {
	TEST(params), TEST(read_args), TEST(output), TEST(hostile_indices),
	TEST(input),
};

void guest_main(void)
{
	is_hwdom = start_info && (start_info->flags & SIF_INITDOMAIN);
	RUN_TESTS(tests);
}
