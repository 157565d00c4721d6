/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Console rings of unprivileged domains, served by the hypervisor
 * (common/domain_console.c): what xenconsoled does for Xen's domUs.
 *
 * The ring is a page of the domain (struct xencons_interface) at Xen's
 * console special page, gfn PVH_CONSOLE_GFN, outside its e820 RAM, with
 * an event channel bound to the hypervisor. HVM_PARAM_CONSOLE_PFN and
 * HVM_PARAM_CONSOLE_EVTCHN name them, which is how Linux's hvc_xen finds
 * its console (console=hvc0). The guest's output is printed line by line
 * as "(dN) line"; bytes typed while the domain has the serial input
 * focus (lamina/serial_input.h) go into its in ring. Both happen in the
 * console softirq on the boot CPU, never in the guest's own hypercall.
 */
#ifndef LAMINA_DOMAIN_CONSOLE_H
#define LAMINA_DOMAIN_CONSOLE_H

#include <lamina/types.h>

struct domain;

/*
 * Boot: give d its console page (one more frame of its memory), its
 * port and the two parameters. 0, -ENOMEM, or the p2m's or event
 * channel code's error (after a message); nothing is left behind.
 */
int domain_console_create(struct domain *d);
/* Destruction: drop the hypervisor's hold on the page. */
void domain_console_destroy(struct domain *d);
bool domain_has_console(const struct domain *d);

/*
 * The console softirq: put typed bytes into d's in ring (what does not
 * fit is dropped), and serve every domain that signalled its port since
 * the last run (print its output, then signal it back).
 */
void domain_console_input(struct domain *d, const char *buf, size_t n);
void domain_console_service(void);

#endif /* LAMINA_DOMAIN_CONSOLE_H */
