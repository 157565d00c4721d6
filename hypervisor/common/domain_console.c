// SPDX-License-Identifier: GPL-2.0
/*
 * Console rings of unprivileged domains (lamina/domain_console.h).
 *
 * The page is a frame of the domain, mapped at PVH_CONSOLE_GFN; the
 * hypervisor holds a reference to it besides the domain's own, so that
 * the guest giving the gfn back (decrease_reservation, add_to_physmap
 * over it) never frees a page the backend still writes: it only stops
 * seeing the ring.
 *
 * When the guest signals its console port (EVTCHNOP_send), the event
 * channel code calls console_notify() on the sending vCPU. That only
 * marks the domain in `kicked` and raises the console softirq on the
 * boot CPU, which does the work: so the printing, at serial speed, never
 * runs inside a guest's hypercall, and everything that touches a ring
 * (output, input, the line buffer) runs on one CPU, one thing at a time.
 * The softirq holds a reference to each domain it serves, so the
 * structure cannot go away under it.
 *
 * Output goes out line by line as "(dN) line", as guest_line_put()
 * does for console_io. The domain that has the serial input focus is
 * being typed at: its unfinished line (a shell prompt, the echo of what
 * is typed) is shown at once, after the same prefix, and the rest of
 * the line follows it when it comes, unless another domain's line came
 * in between (then it starts again on a new line with its prefix). Xen
 * prints its focus domain's output unbuffered for the same reason.
 */
#include <lamina/console.h>
#include <lamina/console_ring.h>
#include <lamina/domain.h>
#include <lamina/domain_console.h>
#include <lamina/errno.h>
#include <lamina/event.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/pvh_start_info.h>
#include <lamina/serial_input.h>
#include <lamina/smp.h>
#include <lamina/softirq.h>
#include <lamina/xmalloc.h>
#include <asm/p2m.h>
#include <xen/hvm/params.h>

#define BITS_PER_LONG	64

struct domain_console {
	struct page_info *page;		/* the ring; one reference is ours */
	struct xencons_interface *intf;
	evtchn_port_t port;		/* bound to the hypervisor */
	struct guest_line line;		/* output not yet printed */
	enum { TEXT, ESC, CSI } esc;	/* where in an escape sequence */
	bool bad_reported;		/* bad indices said once */
	bool drop_reported;		/* input dropped said once */
};

/*
 * Whose partial line ends the console output, or DOMID_INVALID, and the
 * console's byte count just after it: if anything else was printed
 * since (another CPU's printk), the line is no longer open. Console
 * softirq only.
 */
static domid_t open_line = DOMID_INVALID;
static uint64_t open_line_end;

/* Domains that signalled their console port, by domid. */
static unsigned long kicked[DIV_ROUND_UP(DOMID_FIRST_RESERVED,
					 BITS_PER_LONG)];

/* Called on the vCPU that sent the event: keep it short. */
static void console_notify(struct domain *d, evtchn_port_t port)
{
	unsigned int id = d->domain_id;

	__atomic_fetch_or(&kicked[id / BITS_PER_LONG],
			  1UL << (id % BITS_PER_LONG), __ATOMIC_SEQ_CST);
	cpu_raise_softirq(0, CONSOLE_SOFTIRQ);
}

int domain_console_create(struct domain *d)
{
	struct domain_console *con = xzalloc(struct domain_console);
	struct page_info *pg;
	int rc = -ENOMEM;

	if (!con)
		goto fail;
	pg = domain_alloc_frames(d, 0);
	if (!pg)
		goto free_con;
	BUG_ON(!get_page(pg, d));
	con->page = pg;
	con->intf = page_to_virt(pg);
	rc = p2m_map(d, PVH_CONSOLE_GFN, page_to_mfn(pg), P2M_ORDER_4K,
		     P2M_RAM);
	if (rc)
		goto release;
	rc = evtchn_alloc_xen_port(d, console_notify, &con->port);
	if (rc)
		goto unmap;
	d->arch.hvm_params[HVM_PARAM_CONSOLE_PFN] = PVH_CONSOLE_GFN;
	d->arch.hvm_params[HVM_PARAM_CONSOLE_EVTCHN] = con->port;
	d->console = con;
	return 0;

unmap:
	p2m_unmap(d, PVH_CONSOLE_GFN, P2M_ORDER_4K);
release:
	domain_release_frame(d, pg);
	put_page(pg);
free_con:
	xfree(con);
fail:
	printk("(lamina) d%u: no console ring (%d)\n", d->domain_id, rc);
	return rc;
}

void domain_console_destroy(struct domain *d)
{
	struct domain_console *con = d->console;

	if (!con)
		return;
	d->console = NULL;
	put_page(con->page);
	xfree(con);
}

bool domain_has_console(const struct domain *d)
{
	return d->console != NULL;
}

/* Once per run of bad indices, so a hostile guest cannot flood the log. */
static void report_bad(struct domain *d, struct domain_console *con,
		       const char *ring)
{
	if (con->bad_reported)
		return;
	con->bad_reported = true;
	printk("(lamina) d%u: console %s ring indices out of range: ignored "
	       "until they are right\n", d->domain_id, ring);
}

void domain_console_input(struct domain *d, const char *buf, size_t n)
{
	struct domain_console *con = d->console;
	int put;

	if (!con)
		return;
	put = cons_ring_put_in(con->intf, buf, n);
	if (put < 0) {
		report_bad(d, con, "input");
		return;
	}
	if ((size_t)put < n && !con->drop_reported)
		printk("(lamina) d%u: console input ring full: input dropped\n",
		       d->domain_id);
	con->drop_reported = (size_t)put < n;
	if (put)
		evtchn_notify_xen_port(d, con->port);
}

/*
 * Printable ASCII and tabs reach the console, as on Xen; other bytes are
 * dropped, and so are whole escape sequences (ESC and the byte after it;
 * for ESC [, up to the final byte 0x40-0x7e), where Xen would print
 * their printable tail ("[6n" of a shell's cursor query).
 */
static bool printable(struct domain_console *con, char c)
{
	switch (con->esc) {
	case ESC:
		con->esc = c == '[' ? CSI : TEXT;
		return false;
	case CSI:
		if (c >= 0x40 && c <= 0x7e)
			con->esc = TEXT;
		return false;
	default:
		if (c == 0x1b)
			con->esc = ESC;
		return (c >= 0x20 && c < 0x7f) || c == '\t';
	}
}

/* Print the buffered part of d's line; eol: and end the line. */
static void emit(struct domain *d, struct domain_console *con, bool eol)
{
	struct guest_line *l = &con->line;
	const char *end = eol ? "\n" : "";

	if (open_line != DOMID_INVALID &&
	    console_output_count() != open_line_end)
		open_line = DOMID_INVALID;	/* something came after it */
	/* One printk each: other CPUs print whole lines in between. */
	if (open_line == d->domain_id)
		printk("%.*s%s", (int)l->len, l->buf, end);
	else
		printk("%s(d%u) %.*s%s", open_line != DOMID_INVALID ? "\n" : "",
		       d->domain_id, (int)l->len, l->buf, end);
	l->len = 0;
	open_line = eol ? DOMID_INVALID : d->domain_id;
	open_line_end = console_output_count();
}

/* Print what the guest wrote; at most one ring's worth per call. */
static void drain(struct domain *d, struct domain_console *con)
{
	static char buf[sizeof(con->intf->out)];	/* boot CPU only */
	struct guest_line *l = &con->line;
	int n, i;

	n = cons_ring_take_out(con->intf, buf, sizeof(buf));
	if (n < 0) {
		report_bad(d, con, "output");
		return;
	}
	con->bad_reported = false;
	for (i = 0; i < n; i++) {
		if (printable(con, buf[i]))
			l->buf[l->len++] = buf[i];
		if (buf[i] == '\n' || l->len == GUEST_LINE_MAX - 1)
			emit(d, con, true);
	}
	if (l->len && serial_input_focus() == d->domain_id)
		emit(d, con, false);
	if (n)
		evtchn_notify_xen_port(d, con->port);
}

void domain_console_service(void)
{
	unsigned int i;

	ASSERT(smp_processor_id() == 0);
	for (i = 0; i < ARRAY_SIZE(kicked); i++) {
		unsigned long bits = __atomic_exchange_n(&kicked[i], 0,
							 __ATOMIC_SEQ_CST);

		while (bits) {
			unsigned int id = i * BITS_PER_LONG +
					  __builtin_ctzl(bits);
			struct domain *d = domain_get_by_id((domid_t)id);

			bits &= bits - 1;
			if (!d)
				continue;
			if (d->console)
				drain(d, d->console);
			domain_put(d);
		}
	}
}
