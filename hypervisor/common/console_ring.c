// SPDX-License-Identifier: GPL-2.0
/*
 * The backend's side of a console page's rings (lamina/console_ring.h).
 *
 * Ordering, with the guest on another CPU: the backend reads a producer
 * index, then the bytes it covers (acquire: no byte is read before the
 * index that publishes it); it writes bytes, then the producer index
 * (release); it reads bytes, then writes the consumer index (release: the
 * guest may reuse the slots once it sees the new consumer). The guest's
 * side (Linux's hvc_xen) pairs these with its own barriers.
 */
#include <lamina/console_ring.h>
#include <lamina/errno.h>

int cons_ring_take_out(struct xencons_interface *intf, char *buf,
		       size_t len)
{
	const volatile char *ring = intf->out;
	XENCONS_RING_IDX cons, prod, used, n;

	cons = __atomic_load_n(&intf->out_cons, __ATOMIC_RELAXED);
	prod = __atomic_load_n(&intf->out_prod, __ATOMIC_ACQUIRE);
	used = prod - cons;
	if (used > sizeof(intf->out))
		return -EINVAL;
	n = used < len ? used : (XENCONS_RING_IDX)len;
	for (used = 0; used < n; used++)
		buf[used] = ring[MASK_XENCONS_IDX(cons + used, intf->out)];
	__atomic_store_n(&intf->out_cons, cons + n, __ATOMIC_RELEASE);
	return (int)n;
}

int cons_ring_put_in(struct xencons_interface *intf, const char *buf,
		     size_t len)
{
	volatile char *ring = intf->in;
	XENCONS_RING_IDX cons, prod, room, n, i;

	cons = __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE);
	prod = __atomic_load_n(&intf->in_prod, __ATOMIC_RELAXED);
	if (prod - cons > sizeof(intf->in))
		return -EINVAL;
	room = sizeof(intf->in) - (prod - cons);
	n = room < len ? room : (XENCONS_RING_IDX)len;
	for (i = 0; i < n; i++)
		ring[MASK_XENCONS_IDX(prod + i, intf->in)] = buf[i];
	__atomic_store_n(&intf->in_prod, prod + n, __ATOMIC_RELEASE);
	return (int)n;
}
