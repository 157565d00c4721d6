/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_DOMAIN_H
#define LAMINA_DOMAIN_H

#include <lamina/cpumask.h>
#include <lamina/guest_time.h>
#include <lamina/spinlock.h>
#include <lamina/types.h>
#include <xen/xen.h>
#include <asm/domain.h>
#include <asm/hvm/guest_regs.h>
#include <asm/p2m.h>

struct domain;
struct grant_table;
struct domain_console;

/* Why a vCPU cannot run (vcpu.pause_flags, changed atomically). */
#define VPF_blocked	(1UL << 0)	/* SCHEDOP_block or HLT: until an event */
#define VPF_down	(1UL << 1)	/* not started, or taken down */

/*
 * A virtual CPU. The scheduler owns the fields marked (s): they change
 * under the run queue lock of v->processor. regs and the vendor state
 * belong to the CPU running the vCPU.
 */
struct vcpu {
	struct domain *domain;
	unsigned int vcpu_id;
	struct guest_regs regs;		/* valid while handling an exit */
	void *hvm;			/* vendor state (struct svm_vcpu...) */
	struct arch_vcpu arch;		/* x86 state outside the vendor's */

	unsigned int processor;		/* (s) CPU it runs or waits on */
	cpumask_t affinity;		/* (s) CPUs it may run on */
	cpumask_t ran_on;		/* (s) CPUs it has run on */
	unsigned long pause_flags;	/* VPF_*, atomic */
	unsigned int pause_count;	/* vcpu_pause() nesting, atomic */
	bool is_running;		/* (s) loaded on v->processor */
	unsigned int cpu_refs;		/* CPUs holding it (sched_credit.c) */
	bool in_guest;			/* entered, not exited yet, atomic */
	bool event_pending;		/* an event wakes block/HLT, atomic */
	int runstate;			/* (s) RUNSTATE_* of xen/vcpu.h */
	s_time_t runstate_entry;	/* (s) NOW() at the last change */
	uint64_t runstate_time[4];	/* (s) ns spent in each RUNSTATE_* */
	void *sched_priv;		/* the scheduler's per-vCPU data */
	uint32_t tlb_gen;		/* domain tlb_gen at its last entry */
	bool hcall_continue;		/* see hypercall_continue() */

	/*
	 * Where v's vcpu_info lives (common/shared_info.c): its slot in
	 * shared_info, dummy_vcpu_info for ids without one, or the guest
	 * page VCPUOP_register_vcpu_info named (vcpu_info_page, which v
	 * holds a reference to). Never NULL.
	 */
	struct vcpu_info *vcpu_info;
	struct page_info *vcpu_info_page;
	struct vcpu_info dummy_vcpu_info;

	struct vcpu_time time;		/* timers, areas: guest_time.h */
};

/* Guest console output, collected up to a newline (or a full line). */
#define GUEST_LINE_MAX	128
struct guest_line {
	unsigned int len;
	char buf[GUEST_LINE_MAX];
};

#define DOMAIN_MAX_VCPUS	64
#define SCHED_DEFAULT_WEIGHT	256
#define SCHED_MAX_WEIGHT	65535

/* What a domain is made from (boot configuration, later the toolstack). */
struct domain_config {
	domid_t domid;
	bool is_hardware;		/* dom0: privileged, owns the machine */
	unsigned int max_vcpus;		/* 1..DOMAIN_MAX_VCPUS */
	unsigned int weight;		/* 1..SCHED_MAX_WEIGHT; 0: 256 */
	unsigned int cap;		/* % of one CPU; 0: no cap */
};

/*
 * A domain. Lifecycle: created paused -> running (domain_start) ->
 * shut down (guest request) or crashed -> dying -> destroyed once the
 * last reference is gone, after every vCPU has left its CPU.
 */
struct domain {
	domid_t domain_id;
	bool is_hardware;
	unsigned int refcnt;		/* atomic; the domain list holds one */
	bool is_shut_down;		/* shut down or crashed: never runs */
	bool is_crashed;
	unsigned int shutdown_reason;	/* SHUTDOWN_* once shut down */
	bool is_relinquished;		/* dead, its holds on others gone */
	bool is_dying;			/* being destroyed */
	unsigned int pause_count;	/* domain_pause() nesting, atomic */
	s_time_t start_time;		/* NOW() at domain_start() */

	unsigned int max_vcpus;
	struct vcpu **vcpu;		/* [max_vcpus] */
	unsigned int weight, cap;	/* scheduler parameters */
	void *sched_priv;

	spinlock_t page_lock;		/* page_list, tot_pages */
	uint32_t page_list;		/* RAM frames through page_info.next */
	unsigned long tot_pages, max_pages;
	struct p2m p2m;
	uint32_t tlb_gen;		/* bumped by domain_tlb_flush() */

	struct shared_info *shared_info;	/* a hypervisor page */
	unsigned long shared_info_gfn;	/* where it is mapped; or ~0 */
	struct grant_table *grant_table;	/* lamina/grant_table.h */
	struct evtchn_domain *evtchn;	/* ports (common/event_channel.c) */
	unsigned long vm_assist;	/* VMASST_TYPE_* enabled, atomic */

	struct arch_domain arch;	/* x86: CPUID/MSR policy... */
	struct guest_line line_e9;	/* port 0xE9 output */
	struct guest_line line_con;	/* console_io from domUs */
	struct domain_console *console;	/* its console ring, or NULL */
	struct domain *next_in_list;	/* domain list, by domid */
};

/* A paused domain with its vCPUs (all down) and p2m, no memory. */
struct domain *domain_create(const struct domain_config *cfg, int *err);
/* Give it nr_pages of zeroed RAM from gfn; 0 or -ENOMEM (or p2m's). */
int domain_populate(struct domain *d, unsigned long gfn,
		    unsigned long nr_pages);
/* Bring vCPU 0 up and drop the creation pause: it starts running. */
void domain_start(struct domain *d);

/*
 * Frame ownership (common/domain_page.c). 2^order zeroed frames owned
 * by d, each on its page list with one reference (the list's); NULL
 * when memory runs out.
 */
struct page_info;
struct page_info *domain_alloc_frames(struct domain *d, unsigned int order);
/* One more reference to a frame d owns; false if d does not own it. */
bool get_page(struct page_info *pg, struct domain *d);
/* Drop a reference; the last one frees the frame. */
void put_page(struct page_info *pg);
/* Take a frame off d's list (drops the list's reference): -EINVAL if d
 * does not own it. The caller has unmapped it from d's p2m. */
int domain_release_frame(struct domain *d, struct page_info *pg);
/* Destruction: release every frame d still owns. */
void domain_relinquish_frames(struct domain *d);

/* References keep the structure (not the domain's life) alive. */
struct domain *domain_get_by_id(domid_t domid);	/* NULL or a reference */
void domain_get(struct domain *d);
void domain_put(struct domain *d);

/* Stop the domain for a SHUTDOWN_* reason (from the guest). */
void domain_shutdown(struct domain *d, unsigned int reason);
/* Guest misbehaviour: dump the vCPU, then stop the domain. */
void domain_crash(struct domain *d, const char *why);
/* The vCPU that misbehaved is v; its registers go in the dump. */
void vcpu_crash(struct vcpu *v, const char *why);

/* Pause counts: a paused domain's vCPUs are off their CPUs on return. */
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);

/*
 * Every guest TLB entry of d derived from its p2m is stale: each vCPU
 * flushes before it next enters, and CPUs running one are made to exit
 * first. Returns once no CPU can use an old translation.
 */
void domain_tlb_flush(struct domain *d);

/* Number of domains that exist (not yet destroyed). */
unsigned int domain_count(void);
/* Call fn on every domain, under the domain list lock (fn must not
 * sleep or take a lock at or below LOCK_LEVEL_DOMLIST). */
void domain_for_each(void (*fn)(struct domain *d, void *arg), void *arg);
/* Boot: remember the free page count, reported when the last domain is
 * gone (and every page it took must be back). */
void domains_init(void);
/* Pages freed since then that were never the domains' (boot modules). */
void domains_baseline_add(unsigned long pages);

/* Make room at gfn for a page the hypervisor maps there: RAM is freed,
 * shared_info or a grant frame unhooked, a hole is fine; -EINVAL for
 * grant and foreign mappings (common/memory.c). */
int physmap_make_room(struct domain *d, unsigned long gfn);

/* The memory map d was built with, for XENMEM_memory_map (a copy). */
struct hvm_memmap_table_entry;
int domain_set_memmap(struct domain *d,
		      const struct hvm_memmap_table_entry *map,
		      unsigned int nr);

/* shared_info and vcpu_info (common/shared_info.c). */
int shared_info_init(struct domain *d);
void shared_info_free(struct domain *d);
void vcpu_info_init(struct vcpu *v);
void vcpu_info_release(struct vcpu *v);
/* VCPUOP_register_vcpu_info: 0, or -EINVAL (Xen's code for all). */
int vcpu_register_info(struct vcpu *v, uint64_t gfn, uint32_t offset);
/* Set v's evtchn_upcall_pending; kick v if it was clear. */
void vcpu_mark_events_pending(struct vcpu *v);

/*
 * Append guest output to a line buffer, printing "(dN) line" lines.
 * Characters other than printable ASCII, tab and newline are dropped.
 */
void guest_line_put(struct domain *d, struct guest_line *l, char c);


#endif /* LAMINA_DOMAIN_H */
