/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two rings of a console page (struct xencons_interface, Xen's
 * <xen/io/console.h>), from the backend's side: it consumes `out` (what
 * the guest wrote) and produces `in` (what was typed for the guest).
 *
 * The page is shared with the guest, which may change any byte of it at
 * any time. Each index is read once per call; a ring whose producer is
 * more than the ring's size ahead of its consumer is refused whole
 * (-EINVAL, nothing moves), as Xen's xenconsoled does, so a hostile
 * guest can make the backend do at most one ring's worth of work per
 * call and never makes it touch memory outside the page. Indices are
 * free-running 32-bit counters; a position is the index masked to the
 * ring's size.
 */
#ifndef LAMINA_CONSOLE_RING_H
#define LAMINA_CONSOLE_RING_H

#include <lamina/types.h>
#include <xen/xen.h>
#include <xen/io/console.h>

/*
 * Take up to len bytes from the out ring into buf and advance out_cons
 * past them. Returns the number taken (0: ring empty), or -EINVAL if
 * out_prod - out_cons exceeds the ring's size.
 */
int cons_ring_take_out(struct xencons_interface *intf, char *buf,
		       size_t len);

/*
 * Put up to len bytes of buf into the in ring and advance in_prod past
 * them. Returns the number put (0: ring full), or -EINVAL if in_prod -
 * in_cons exceeds the ring's size.
 */
int cons_ring_put_in(struct xencons_interface *intf, const char *buf,
		     size_t len);

#endif /* LAMINA_CONSOLE_RING_H */
