// SPDX-License-Identifier: GPL-2.0
/*
 * console_io: guest output on the hypervisor console. As in Xen, the
 * hardware domain's text is printed as it is; every other domain's is
 * collected into lines printed as "(dN) line". The hardware domain reads
 * what is typed on the serial line for it (lamina/serial_input.h).
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/serial_input.h>
#include <xen/xen.h>

#define CONSOLE_CHUNK	128
/*
 * Longest single write. Output is polled and there is no hypercall
 * preemption yet, so an unbounded count would let a guest hold a CPU for
 * minutes (16 MiB at 115200 baud). Xen preempts instead; Linux writes far
 * less than this at a time.
 */
#define CONSOLE_WRITE_MAX	(16 * 1024)

/* Worker: text already copied into hypervisor memory. */
static void console_write(struct domain *d, const char *buf, size_t len)
{
	size_t i;

	if (d->is_hardware) {
		printk("%.*s", (int)len, buf);
		return;
	}
	for (i = 0; i < len; i++)
		guest_line_put(d, &d->line_con, buf[i]);
}

/*
 * CONSOLEIO_write(count, buf), buf guest-virtual. Whole writes happen in
 * one go (no preemption yet); a fault part way through leaves the prefix
 * written and returns -EFAULT.
 */
static long console_io_write(struct vcpu *v, unsigned long count,
			     uint64_t gva)
{
	char buf[CONSOLE_CHUNK];

	if (count > CONSOLE_WRITE_MAX)
		return -EINVAL;
	while (count) {
		size_t n = MIN(count, sizeof(buf));

		if (copy_from_guest(v, buf, gva, n))
			return -EFAULT;
		console_write(v->domain, buf, n);
		gva += n;
		count -= n;
	}
	return 0;
}

struct read_dest {
	struct vcpu *v;
	uint64_t gva;
};

static int read_deliver(void *ctx, size_t off, const char *buf, size_t n)
{
	struct read_dest *dst = ctx;

	return copy_to_guest(dst->v, dst->gva + off, buf, n) ? -EFAULT : 0;
}

/*
 * CONSOLEIO_read(count, buf): the bytes typed for the hardware domain,
 * at most count; returns how many (0: none waiting). Bytes that could
 * not be copied (-EFAULT) stay for the next read. Other domains: -EPERM
 * (Xen's XSM default: reading needs privilege).
 */
static long console_io_read(struct vcpu *v, unsigned int count, uint64_t gva)
{
	struct read_dest dst = { v, gva };

	if (!v->domain->is_hardware)
		return -EPERM;
	if (count > INT32_MAX)
		return -E2BIG;	/* the result could not tell it from errors */
	return serial_input_hwdom_read(count, read_deliver, &dst);
}

/* Xen's prototype: (unsigned int cmd, unsigned int count, buffer). */
long do_console_io(struct vcpu *v, unsigned long *args)
{
	switch ((unsigned int)args[0]) {
	case CONSOLEIO_write:
		return console_io_write(v, args[1], args[2]);
	case CONSOLEIO_read:
		return console_io_read(v, (unsigned int)args[1], args[2]);
	default:
		return -ENOSYS;
	}
}
