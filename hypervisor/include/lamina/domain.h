/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_DOMAIN_H
#define LAMINA_DOMAIN_H

#include <lamina/types.h>
#include <xen/xen.h>
#include <asm/hvm/guest_regs.h>
#include <asm/p2m.h>

struct domain;

/*
 * A virtual CPU. For now every domain has one, run by the CPU that
 * built the domain; no field is shared with another CPU, so no lock.
 */
struct vcpu {
	struct domain *domain;
	unsigned int vcpu_id;
	struct guest_regs regs;		/* valid while handling an exit */
	void *hvm;			/* vendor state (struct svm_vcpu) */
};

/* Guest console output, collected up to a newline (or a full line). */
#define GUEST_LINE_MAX	128
struct guest_line {
	unsigned int len;
	char buf[GUEST_LINE_MAX];
};

/*
 * A domain. Created, run and destroyed by one CPU for now (no
 * scheduler, no domain list yet), so no lock.
 */
struct domain {
	domid_t domain_id;
	bool is_hardware;		/* dom0: unprefixed console_io */
	bool is_dying;			/* shut down or crashed: stop running */
	unsigned int shutdown_reason;	/* SHUTDOWN_* once dying */
	struct vcpu *vcpu0;
	struct p2m p2m;
	/* Guest RAM: frames chained through page_info.next (mfns). */
	uint32_t page_list;
	unsigned long tot_pages;
	struct guest_line line_e9;	/* port 0xE9 output */
	struct guest_line line_con;	/* console_io from domUs */
};

/* A domain with one vCPU, its p2m and no memory; NULL on failure. */
struct domain *domain_create(domid_t domid, bool is_hardware);
/* Give it nr_pages of zeroed RAM at guest-physical 0; 0 or -ENOMEM. */
int domain_populate(struct domain *d, unsigned long nr_pages);
/* Free everything: RAM, p2m, vCPU, the domain itself. */
void domain_destroy(struct domain *d);

/* Stop the domain for a SHUTDOWN_* reason (from the guest). */
void domain_shutdown(struct domain *d, unsigned int reason);
/* Guest misbehaviour: dump the vCPU, then stop the domain. */
void domain_crash(struct domain *d, const char *why);

/* Run vCPU 0 on the calling CPU until the domain is dying. */
void domain_run(struct domain *d);

/* Append guest output to a line buffer, printing "(dN) line" lines. */
void guest_line_put(struct domain *d, struct guest_line *l, char c);

struct boot_module;
/* Build dom0 from a PVH kernel module and run it until it is gone. */
void dom0_run(const struct boot_module *mod);

#endif /* LAMINA_DOMAIN_H */
