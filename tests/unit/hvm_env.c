// SPDX-License-Identifier: GPL-2.0
/* The simulated vCPU of hvm_env.h. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "hvm_env.h"
#include <lamina/bootinfo.h>
#include <lamina/hypercall.h>
#include <lamina/page_alloc.h>
#include <lamina/sched.h>
#include <lamina/smp.h>
#include <lamina/timer.h>
#include <asm/hvm/mmio.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/vlapic.h>
#include <asm/hvm/guest_walk.h>
#include <asm/p2m.h>
#include <asm/time.h>

#define NR_FRAMES	2048
#define TABLE_FIRST	16
#define RAM_FIRST	1024		/* frames backing guest RAM */
#define PT_BASE		0x100000ULL	/* page tables in guest RAM */

struct hvm_env env;
uint64_t tsc_khz = 2000000;
/* System time's TSC scale (arch/x86/time.c): 2 GHz, ns = ticks / 2. */
struct time_scale tsc_scale = { .mul_frac = 0x80000000u, .shift = 0 };
uint64_t tsc_stime0 = 1000000;
uint64_t boot_wallclock;
s_time_t boot_wallclock_stime;
struct boot_info boot_info;

static struct page_info *ft;
static const struct hvm_ops *saved_ops;
static uint64_t pt_next;

static void env_paging(struct vcpu *v, struct guest_paging *p)
{
	p->cr0 = env.cr0;
	p->cr3 = env.cr3;
	p->cr4 = env.cr4;
	p->efer = env.efer;
	p->rflags = v->regs.rflags;
	p->cpl = env.cpl;
	p->pdptes = NULL;
}

static void env_inject(struct vcpu *v __unused, unsigned int vec, bool has_ec,
		       uint32_t ec, uint64_t cr2)
{
	ck_assert_uint_lt(env.nr_exc, 8);
	env.exc[env.nr_exc].vec = vec;
	env.exc[env.nr_exc].has_ec = has_ec;
	env.exc[env.nr_exc].ec = ec;
	env.exc[env.nr_exc].cr2 = cr2;
	env.nr_exc++;
}

static uint64_t env_seg_base(struct vcpu *v __unused, enum insn_seg seg)
{
	return env.seg_base[seg];
}

static enum insn_mode env_insn_mode(struct vcpu *v __unused)
{
	return env.mode;
}

static void env_set_tsc_offset(struct vcpu *v __unused, int64_t off)
{
	env.tsc_offset = off;
}

static void env_skip_insn(struct vcpu *v, unsigned int len)
{
	env.skips++;
	env.skip_len = len;
	v->regs.rip += len;
}

static void env_load_state(struct vcpu *v, const struct hvm_vcpu_state *st)
{
	env.loads++;
	env.load_vcpu = v;
	env.load_state = *st;
	v->regs = st->regs;
}

static bool env_is_64bit(struct vcpu *v __unused)
{
	return env.mode == INSN_MODE_64;
}

static const struct hvm_ops env_ops = {
	.name = "env",
	.vcpu_paging = env_paging,
	.vcpu_inject_exception = env_inject,
	.vcpu_seg_base = env_seg_base,
	.vcpu_insn_mode = env_insn_mode,
	.vcpu_skip_insn = env_skip_insn,
	.vcpu_load_state = env_load_state,
	.vcpu_set_tsc_offset = env_set_tsc_offset,
	.vcpu_is_64bit = env_is_64bit,
	.hypercall_insn = { 0x0f, 0x01, 0xd9 },
};

/* What the rest of the hypervisor would provide. */
void domain_crash(struct domain *d, const char *why)
{
	ck_assert_ptr_eq(d, &env.dom);
	env.crashes++;
	env.crash_why = why;
}

void vcpu_crash(struct vcpu *v, const char *why)
{
	domain_crash(v->domain, why);
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	ck_assert_ptr_eq(d, &env.dom);
	env.shutdowns++;
	env.shutdown_reason = reason;
}

void guest_line_put(struct domain *d, struct guest_line *l, char c)
{
	if (l == &d->line_e9 && env.e9_len < sizeof(env.e9) - 1)
		env.e9[env.e9_len++] = c;
}

bool hypercall_64bit(struct vcpu *v __unused)
{
	return env.mode == INSN_MODE_64;
}

void hvm_env_setup(void)
{
	unsigned long i;

	harness_machine_memory(0, (size_t)NR_FRAMES * PAGE_SIZE);
	ft = calloc(NR_FRAMES, sizeof(*ft));
	ck_assert_ptr_nonnull(ft);
	page_alloc_init(ft, NR_FRAMES);
	page_alloc_add_free(TABLE_FIRST, RAM_FIRST - TABLE_FIRST);
	memset(&env, 0, sizeof(env));
	saved_ops = hvm_ops;
	hvm_ops = &env_ops;
	env.dom.domain_id = 1;
	env.vcpu.domain = &env.dom;
	env.vcpu.vcpu_info = &env.vinfo[0];	/* never NULL in Lamina */
	env.vcpus[0] = &env.vcpu;
	env.dom.vcpu = env.vcpus;
	env.dom.max_vcpus = 1;
	ck_assert_int_eq(p2m_init(&env.dom, P2M_FORMAT_NPT), 0);
	for (i = 0; i < HVM_ENV_RAM_PAGES; i++)
		ck_assert_int_eq(p2m_map(&env.dom, i, RAM_FIRST + i,
					 P2M_ORDER_4K, P2M_RAM), 0);
	env.cr0 = 0x11;			/* PE, ET */
	env.mode = INSN_MODE_32;
	env.vcpu.regs.rflags = 0x2;
	pt_next = PT_BASE;
	boot_info.cmdline = "/boot/lamina console=com1 marker=42";
}

void hvm_env_vcpus(unsigned int n)
{
	unsigned int i;

	ck_assert_uint_le(n, HVM_ENV_MAX_VCPUS);
	nr_cpus_online = 1;
	timers_init();
	sched_init();
	env.dom.max_vcpus = n;
	ck_assert_int_eq(hvm_mmio_register(&env.dom, &vlapic_mmio_ops), 0);
	for (i = 0; i < n; i++) {
		struct vcpu *v = i ? &env.more[i - 1] : &env.vcpu;

		v->domain = &env.dom;
		v->vcpu_id = i;
		v->pause_flags = VPF_down;
		v->vcpu_info = &env.vinfo[i];
		cpumask_fill(&v->affinity);
		env.vcpus[i] = v;
		hvm_msrs_init(v);
		vlapic_init(v);
		hvm_vcpu_power_init(v);
		ck_assert_int_eq(sched_init_vcpu(v, 0), 0);
	}
}

void hvm_env_teardown(void)
{
	hvm_ops = saved_ops;
	free(ft);
	ft = NULL;
	harness_machine_memory_free();
}

void *hvm_env_gpa(uint64_t gpa)
{
	ck_assert_uint_lt(gpa, (uint64_t)HVM_ENV_RAM_PAGES * PAGE_SIZE);
	return maddr_to_virt((RAM_FIRST << PAGE_SHIFT) + gpa);
}

static uint64_t *pt_entry(uint64_t table, unsigned int idx)
{
	return (uint64_t *)hvm_env_gpa(table) + idx;
}

/* The next-level table under *e, made if absent. */
static uint64_t pt_next_table(uint64_t *e)
{
	if (!(*e & PTE_P)) {
		*e = pt_next | PTE_P | PTE_RW | PTE_US;
		pt_next += PAGE_SIZE;
	}
	return *e & 0x000ffffffffff000ULL;
}

void hvm_env_long_mode(void)
{
	env.cr3 = pt_next;
	pt_next += PAGE_SIZE;
	env.cr4 |= GW_CR4_PAE;
	env.efer |= (1ULL << 8) | GW_EFER_LMA;
	env.cr0 |= GW_CR0_PG;
	env.mode = INSN_MODE_64;
}

void hvm_env_map(uint64_t gva, uint64_t gpa, uint64_t flags)
{
	uint64_t t = env.cr3;
	int level;

	for (level = 3; level >= 1; level--)
		t = pt_next_table(pt_entry(t, (gva >> (12 + 9 * level)) & 511));
	*pt_entry(t, (gva >> 12) & 511) = gpa | flags;
}
