// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual local APIC (hvm/vlapic.c) and the power states it drives
 * (hvm/vcpu_power.c), on a simulated domain of four vCPUs: registers
 * through the xAPIC page and the x2APIC MSRs, priorities and EOI, IPIs
 * to every kind of destination, errors, INIT and SIPI, the base MSR.
 */
#include <string.h>

#include "harness.h"
#include "hvm_env.h"
#include <lamina/errno.h>
#include <lamina/sched.h>
#include <asm/apic.h>
#include <asm/hvm/cpuid.h>
#include <asm/hvm/intr.h>
#include <asm/hvm/mmio.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/vcpu_power.h>
#include <asm/hvm/vlapic.h>
#include <xen/sched.h>

#define BASE		APIC_DEFAULT_BASE
#define GP		(-EPERM)

static struct vcpu *vc(unsigned int i)
{
	return env.dom.vcpu[i];
}

static void setup(void)
{
	hvm_env_setup();
	hvm_env_vcpus(4);
	hvm_vcpu_boot_start(vc(0));
}

/* Keep the scheduler's run queue consistent for its checks. */
static void teardown(void)
{
	unsigned int i;

	for (i = 0; i < env.dom.max_vcpus; i++) {
		vc(i)->pause_flags |= VPF_down;
		vcpu_sleep_nosync(vc(i));
	}
	hvm_env_teardown();
}

static uint32_t rd(struct vcpu *v, unsigned int reg)
{
	uint64_t val = 0xdead;

	ck_assert(vlapic_mmio_ops.accepts(v, BASE + reg));
	ck_assert_int_eq(vlapic_mmio_ops.read(v, BASE + reg, 4, &val), 0);
	return val;
}

static void wr(struct vcpu *v, unsigned int reg, uint32_t val)
{
	ck_assert(vlapic_mmio_ops.accepts(v, BASE + reg));
	ck_assert_int_eq(vlapic_mmio_ops.write(v, BASE + reg, 4, val), 0);
}

static void enable(struct vcpu *v)
{
	wr(v, APIC_SVR, APIC_SVR_ENABLE | 0xff);
}

static bool irr_has(struct vcpu *v, unsigned int vec)
{
	return (rd(v, APIC_IRR + (vec / 32) * 0x10) >> (vec % 32)) & 1;
}

/* Send from v: destination field, then the low ICR word. */
static void ipi(struct vcpu *v, uint32_t hi, uint32_t lo)
{
	wr(v, APIC_ICR_HI, hi);
	wr(v, APIC_ICR_LO, lo);
}

static bool down(struct vcpu *v)
{
	return v->pause_flags & VPF_down;
}

/* ---- Registers ------------------------------------------------------- */

START_TEST(reset_state)
{
	ck_assert_uint_eq(rd(vc(0), APIC_ID), 0);
	ck_assert_uint_eq(rd(vc(3), APIC_ID), 6u << 24);
	ck_assert_uint_eq(rd(vc(1), APIC_VERSION), 0x00050014);
	ck_assert_uint_eq(rd(vc(1), APIC_SVR), 0xff);
	ck_assert_uint_eq(rd(vc(1), APIC_DFR), 0xffffffff);
	ck_assert_uint_eq(rd(vc(1), APIC_LDR), 0);
	ck_assert_uint_eq(rd(vc(1), APIC_LVT_LINT0), APIC_LVT_MASKED);
	ck_assert_uint_eq(rd(vc(1), APIC_LVT_ERROR), APIC_LVT_MASKED);
	ck_assert_uint_eq(rd(vc(1), APIC_TPR), 0);
	ck_assert_uint_eq(vlapic_get_base(vc(0)),
			  BASE | APIC_BASE_ENABLE | APIC_BASE_BSP);
	ck_assert_uint_eq(vlapic_get_base(vc(2)), BASE | APIC_BASE_ENABLE);
	ck_assert(!vlapic_enabled(vc(0)));
	ck_assert_int_eq(vlapic_pending_vector(vc(0)), -1);
}
END_TEST

/* Narrow accesses within a register work; the others read 0. */
START_TEST(access_sizes)
{
	uint64_t val;

	ck_assert_int_eq(vlapic_mmio_ops.read(vc(3), BASE + APIC_ID + 3, 1,
					      &val), 0);
	ck_assert_uint_eq(val, 6);
	ck_assert_int_eq(vlapic_mmio_ops.read(vc(1), BASE + APIC_VERSION + 2,
					      2, &val), 0);
	ck_assert_uint_eq(val, 5);
	ck_assert_int_eq(vlapic_mmio_ops.read(vc(1), BASE + APIC_VERSION + 2,
					      4, &val), 0);
	ck_assert_uint_eq(val, 0);
	ck_assert_int_eq(vlapic_mmio_ops.read(vc(1), BASE + APIC_VERSION, 8,
					      &val), 0);
	ck_assert_uint_eq(val, 0);
	/* A byte write merges: SVR's enable bit alone. */
	ck_assert_int_eq(vlapic_mmio_ops.write(vc(1), BASE + APIC_SVR + 1, 1,
					       1), 0);
	ck_assert_uint_eq(rd(vc(1), APIC_SVR), 0x1ff);
	ck_assert(vlapic_enabled(vc(1)));
	/* Registers that do not exist: 0, writes ignored. */
	wr(vc(1), 0x400, 0x1234);
	ck_assert_uint_eq(rd(vc(1), 0x400), 0);
	ck_assert_uint_eq(rd(vc(1), APIC_TMCCT), 0);
}
END_TEST

START_TEST(lvt_and_svr)
{
	/* Software-disabled: LVT writes stay masked. */
	wr(vc(0), APIC_LVT_LINT0, 0x700);
	ck_assert_uint_eq(rd(vc(0), APIC_LVT_LINT0), APIC_LVT_MASKED | 0x700);
	enable(vc(0));
	wr(vc(0), APIC_LVT_LINT0, 0xffffffff);
	ck_assert_uint_eq(rd(vc(0), APIC_LVT_LINT0), 0x1f7ff);
	wr(vc(0), APIC_LVT_ERROR, 0xfe | APIC_LVT_MASKED | 0x700);
	ck_assert_uint_eq(rd(vc(0), APIC_LVT_ERROR), 0x100fe);
	wr(vc(0), APIC_LVT_TIMER, 0x600ef);
	ck_assert_uint_eq(rd(vc(0), APIC_LVT_TIMER), 0x600ef);
	/* Disabling masks every LVT entry. */
	wr(vc(0), APIC_SVR, 0xff);
	ck_assert_uint_eq(rd(vc(0), APIC_LVT_TIMER), 0x700ef);
	ck_assert_uint_eq(rd(vc(0), APIC_SVR), 0xff);
	wr(vc(0), APIC_SVR, 0xfffff);
	ck_assert_uint_eq(rd(vc(0), APIC_SVR), 0x3ff);
	wr(vc(0), APIC_TDCR, 0xff);
	ck_assert_uint_eq(rd(vc(0), APIC_TDCR), 0xb);
	/* LDR, DFR, ID writable in xAPIC mode (as Xen). */
	wr(vc(0), APIC_LDR, 0x12345678);
	ck_assert_uint_eq(rd(vc(0), APIC_LDR), 0x12000000);
	wr(vc(0), APIC_DFR, 0);
	ck_assert_uint_eq(rd(vc(0), APIC_DFR), 0x0fffffff);
}
END_TEST

/* ---- Priorities, acceptance, EOI --------------------------------------- */

START_TEST(self_ipi_and_eoi)
{
	struct vcpu *v = vc(0);

	enable(v);
	ipi(v, 0, APIC_ICR_SELF | 0x40);
	ck_assert(irr_has(v, 0x40));
	ck_assert_uint_eq(rd(v, APIC_ICR_LO), APIC_ICR_SELF | 0x40);
	ck_assert_int_eq(vlapic_pending_vector(v), 0x40);
	vlapic_ack_vector(v, 0x40);
	ck_assert(!irr_has(v, 0x40));
	ck_assert_uint_eq(rd(v, APIC_ISR + 0x20), 1);
	ck_assert_uint_eq(rd(v, APIC_PPR), 0x40);
	ck_assert_int_eq(vlapic_pending_vector(v), -1);
	/* Same class waits; a higher class preempts. */
	vlapic_set_irq(v, 0x45);
	ck_assert_int_eq(vlapic_pending_vector(v), -1);
	vlapic_set_irq(v, 0x51);
	ck_assert_int_eq(vlapic_pending_vector(v), 0x51);
	vlapic_ack_vector(v, 0x51);
	wr(v, APIC_EOI, 0);		/* 0x51 done */
	ck_assert_uint_eq(rd(v, APIC_PPR), 0x40);
	wr(v, APIC_EOI, 0);		/* 0x40 done */
	ck_assert_uint_eq(rd(v, APIC_ISR + 0x20), 0);
	ck_assert_int_eq(vlapic_pending_vector(v), 0x45);
	/* An EOI with nothing in service does nothing. */
	wr(v, APIC_EOI, 0);
	wr(v, APIC_EOI, 0);
	ck_assert_int_eq(vlapic_pending_vector(v), 0x45);
}
END_TEST

START_TEST(tpr_masks)
{
	struct vcpu *v = vc(0);

	enable(v);
	wr(v, APIC_TPR, 0x1ff);
	ck_assert_uint_eq(rd(v, APIC_TPR), 0xff);
	wr(v, APIC_TPR, 0x50);
	ck_assert_uint_eq(rd(v, APIC_PPR), 0x50);
	vlapic_set_irq(v, 0x5f);
	ck_assert_int_eq(vlapic_pending_vector(v), -1);
	vlapic_set_irq(v, 0x60);
	ck_assert_int_eq(vlapic_pending_vector(v), 0x60);
	wr(v, APIC_TPR, 0x60);
	ck_assert_int_eq(vlapic_pending_vector(v), -1);
	wr(v, APIC_TPR, 0);
	ck_assert_int_eq(vlapic_pending_vector(v), 0x60);
}
END_TEST

/* A disabled APIC keeps what IRR holds but delivers nothing; IPIs to
 * it are dropped. */
START_TEST(disabled_apic)
{
	vlapic_set_irq(vc(0), 0x30);
	ck_assert_int_eq(vlapic_pending_vector(vc(0)), -1);
	enable(vc(0));
	ck_assert_int_eq(vlapic_pending_vector(vc(0)), 0x30);
	ipi(vc(0), 2u << 24, 0x31);		/* vCPU 1: ID 2, disabled */
	ck_assert(!irr_has(vc(1), 0x31));
	enable(vc(1));
	ipi(vc(0), 2u << 24, 0x31);
	ck_assert(irr_has(vc(1), 0x31));
	/* Hardware-disabled: the page is not claimed at all. */
	ck_assert_int_eq(vlapic_set_base(vc(1), BASE), 0);
	ck_assert(!vlapic_mmio_ops.accepts(vc(1), BASE));
	ck_assert_int_eq(vlapic_pending_vector(vc(1)), -1);
	ck_assert_int_eq(vlapic_set_base(vc(1), BASE | APIC_BASE_ENABLE), 0);
	ck_assert(!irr_has(vc(1), 0x31));	/* re-enabling reset it */
	ck_assert_uint_eq(rd(vc(1), APIC_ID), 2u << 24);
}
END_TEST

START_TEST(errors)
{
	struct vcpu *v = vc(0);

	enable(v);
	ipi(v, 0, APIC_ICR_SELF | 0x05);
	ck_assert_int_eq(vlapic_pending_vector(v), -1);
	ck_assert_uint_eq(rd(v, APIC_ESR), 0);		/* not latched yet */
	wr(v, APIC_ESR, 0);
	ck_assert_uint_eq(rd(v, APIC_ESR), APIC_ESR_SEND_ILLEGAL);
	wr(v, APIC_ESR, 0);
	ck_assert_uint_eq(rd(v, APIC_ESR), 0);
	/* Receive error, with the error LVT unmasked: its interrupt. */
	wr(v, APIC_LVT_ERROR, 0xfe);
	vlapic_set_irq(v, 3);
	ck_assert_int_eq(vlapic_pending_vector(v), 0xfe);
	wr(v, APIC_ESR, 0);
	ck_assert_uint_eq(rd(v, APIC_ESR), APIC_ESR_RECV_ILLEGAL);
	/* Lowest priority with a low vector is a send error too. */
	ipi(v, 0, APIC_ICR_SELF | 0x100 | 0x0f);
	wr(v, APIC_ESR, 0);
	ck_assert_uint_eq(rd(v, APIC_ESR), APIC_ESR_SEND_ILLEGAL);
}
END_TEST

/* The vLAPIC as a source of the injection framework: after an NMI and
 * the callback vector, before nothing. */
START_TEST(intr_source)
{
	struct vcpu *v = vc(0);
	struct hvm_intr i;

	enable(v);
	vlapic_set_irq(v, 0x40);
	i = hvm_pending_intr(v);
	ck_assert_int_eq(i.src, HVM_INTR_LAPIC);
	ck_assert_uint_eq(i.vector, 0x40);
	hvm_vcpu_nmi(v);
	ck_assert_int_eq(hvm_pending_intr(v).src, HVM_INTR_NMI);
	hvm_intr_ack(v, hvm_pending_intr(v));
	i = hvm_pending_intr(v);
	hvm_intr_ack(v, i);
	ck_assert_uint_eq(rd(v, APIC_ISR + 0x20), 1);
	ck_assert_int_eq(hvm_pending_intr(v).src, HVM_INTR_NONE);
}
END_TEST

/* ---- Destinations ------------------------------------------------------ */

static void enable_all(void)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		enable(vc(i));
}

static unsigned int who_has(unsigned int vec)
{
	unsigned int i, mask = 0;

	for (i = 0; i < 4; i++)
		if (irr_has(vc(i), vec))
			mask |= 1u << i;
	return mask;
}

START_TEST(physical_and_shorthands)
{
	enable_all();
	ipi(vc(0), 4u << 24, 0x40);			/* ID 4: vCPU 2 */
	ck_assert_uint_eq(who_has(0x40), 0x4);
	ipi(vc(0), 3u << 24, 0x41);			/* ID 3: nobody */
	ck_assert_uint_eq(who_has(0x41), 0);
	ipi(vc(1), 0xffu << 24, 0x42);			/* broadcast */
	ck_assert_uint_eq(who_has(0x42), 0xf);
	ipi(vc(1), 0, APIC_ICR_ALL_BUT_SELF | 0x43);
	ck_assert_uint_eq(who_has(0x43), 0xd);
	ipi(vc(1), 0, APIC_ICR_ALL | 0x44);
	ck_assert_uint_eq(who_has(0x44), 0xf);
	ipi(vc(2), 0, APIC_ICR_SELF | 0x45);
	ck_assert_uint_eq(who_has(0x45), 0x4);
	/* Delivery status always reads 0. */
	wr(vc(0), APIC_ICR_LO, 0x1046);
	ck_assert_uint_eq(rd(vc(0), APIC_ICR_LO) & APIC_ICR_BUSY, 0);
}
END_TEST

START_TEST(logical_flat_cluster)
{
	unsigned int i;

	enable_all();
	for (i = 0; i < 4; i++)
		wr(vc(i), APIC_LDR, (1u << i) << 24);
	ipi(vc(0), 0x0au << 24, APIC_ICR_LOGICAL | 0x50);
	ck_assert_uint_eq(who_has(0x50), 0xa);
	/* Cluster model: high nibble cluster, low nibble members. */
	for (i = 0; i < 4; i++) {
		wr(vc(i), APIC_DFR, 0x0fffffff);
		wr(vc(i), APIC_LDR, ((i / 2) << 4 | (1u << (i % 2))) << 24);
	}
	ipi(vc(0), 0x13u << 24, APIC_ICR_LOGICAL | 0x51);
	ck_assert_uint_eq(who_has(0x51), 0xc);
	ipi(vc(0), 0x02u << 24, APIC_ICR_LOGICAL | 0x52);
	ck_assert_uint_eq(who_has(0x52), 0x2);
	ipi(vc(0), 0xffu << 24, APIC_ICR_LOGICAL | 0x53);
	ck_assert_uint_eq(who_has(0x53), 0xf);
}
END_TEST

START_TEST(lowest_priority_first)
{
	enable_all();
	ipi(vc(0), 0, APIC_ICR_ALL_BUT_SELF | 0x100 | 0x60);
	ck_assert_uint_eq(who_has(0x60), 0x2);
	wr(vc(1), APIC_SVR, 0xff);			/* vCPU 1 off */
	ipi(vc(0), 0, APIC_ICR_ALL_BUT_SELF | 0x100 | 0x61);
	ck_assert_uint_eq(who_has(0x61), 0x4);
}
END_TEST

START_TEST(nmi_smi_extint)
{
	enable_all();
	ipi(vc(0), 2u << 24, APIC_ICR_NMI);
	ck_assert(vc(1)->arch.nmi_pending);
	ck_assert(!vc(0)->arch.nmi_pending);
	ipi(vc(0), 0, APIC_ICR_ALL_BUT_SELF | 0x200);	/* SMI: ignored */
	ck_assert_uint_eq(env.crashes, 0);
	ipi(vc(0), 0, APIC_ICR_ALL_BUT_SELF | 0x700);	/* ExtINT */
	ck_assert_uint_eq(env.crashes, 1);
}
END_TEST

/* ---- INIT, SIPI, power ------------------------------------------------- */

START_TEST(init_sipi_sipi)
{
	struct vcpu *ap = vc(1);

	ck_assert(down(ap));
	/* INIT assert, de-assert (level), then two SIPIs. */
	ipi(vc(0), 2u << 24, APIC_ICR_INIT | APIC_ICR_ASSERT | APIC_ICR_LEVEL);
	ipi(vc(0), 2u << 24, APIC_ICR_INIT | APIC_ICR_LEVEL);
	ck_assert(down(ap));
	ipi(vc(0), 2u << 24, APIC_ICR_STARTUP | 0x9a);
	ck_assert(!down(ap));
	ipi(vc(0), 2u << 24, APIC_ICR_STARTUP | 0x12);	/* ignored */
	hvm_vcpu_load_pending(ap);
	ck_assert_uint_eq(env.loads, 1);
	ck_assert_ptr_eq(env.load_vcpu, ap);
	ck_assert_uint_eq(env.load_state.cs.sel, 0x9a00);
	ck_assert_uint_eq(env.load_state.cs.base, 0x9a000);
	ck_assert_uint_eq(env.load_state.cs.limit, 0xffff);
	ck_assert_uint_eq(env.load_state.cs.attr, 0x9b);
	ck_assert_uint_eq(env.load_state.ss.attr, 0x93);
	ck_assert_uint_eq(env.load_state.cr0, 0x10);
	ck_assert_uint_eq(env.load_state.efer, 0);
	ck_assert_uint_eq(ap->regs.rip, 0);
	ck_assert_uint_eq(ap->regs.rflags, 2);
	hvm_vcpu_load_pending(ap);			/* once only */
	ck_assert_uint_eq(env.loads, 1);
	ck_assert_uint_eq(env.shutdowns, 0);
}
END_TEST

/* INIT takes a running vCPU down and resets its APIC when it restarts;
 * a vCPU down by HLT (still initialised) ignores SIPIs until INIT. */
START_TEST(init_resets)
{
	struct vcpu *ap = vc(2);

	hvm_vcpu_sipi(ap, 0x10);
	hvm_vcpu_load_pending(ap);
	enable(ap);
	wr(ap, APIC_TPR, 0x20);
	hvm_vcpu_down(ap);				/* HLT with IF=0 */
	hvm_vcpu_sipi(ap, 0x20);
	ck_assert(down(ap));
	ipi(vc(0), 4u << 24, APIC_ICR_INIT | APIC_ICR_ASSERT);
	ck_assert(down(ap));
	ck_assert_int_eq(hvm_vcpu_up(ap), -EINVAL);
	hvm_vcpu_sipi(ap, 0x20);
	ck_assert(!down(ap));
	hvm_vcpu_load_pending(ap);
	ck_assert_uint_eq(env.load_state.cs.sel, 0x2000);
	ck_assert_uint_eq(rd(ap, APIC_TPR), 0);
	ck_assert_uint_eq(rd(ap, APIC_SVR), 0xff);
	ck_assert_uint_eq(rd(ap, APIC_ID), 4u << 24);
	/* INIT ends a HLT: the vCPU starts again unblocked. */
	vcpu_block(ap);
	ck_assert(ap->pause_flags & VPF_blocked);
	hvm_vcpu_init_signal(ap);
	ck_assert_uint_eq(ap->pause_flags, VPF_down);
	hvm_vcpu_sipi(ap, 0x30);
	ck_assert_uint_eq(ap->pause_flags, 0);
	/* INIT to a vCPU that never started does nothing. */
	hvm_vcpu_init_signal(vc(3));
	ck_assert(down(vc(3)));
	ck_assert_uint_eq(env.shutdowns, 0);
}
END_TEST

/* The last vCPU to go down powers the domain off, INIT to self too. */
START_TEST(last_down_powers_off)
{
	enable(vc(0));
	ipi(vc(0), 0, APIC_ICR_SELF | APIC_ICR_INIT | APIC_ICR_ASSERT);
	ck_assert(down(vc(0)));
	ck_assert_uint_eq(env.shutdowns, 1);
	ck_assert_uint_eq(env.shutdown_reason, SHUTDOWN_poweroff);
}
END_TEST

/* An NMI wakes an initialised vCPU that is down, not a reset one. */
START_TEST(nmi_wakes)
{
	hvm_vcpu_sipi(vc(1), 0x10);
	hvm_vcpu_down(vc(1));
	hvm_vcpu_nmi(vc(1));
	ck_assert(!down(vc(1)));
	hvm_vcpu_nmi(vc(3));
	ck_assert(down(vc(3)));
	ck_assert(vc(3)->arch.nmi_pending);
}
END_TEST

/* ---- The base MSR and x2APIC ------------------------------------------ */

static void offer_x2apic(void)
{
	env.dom.arch.cpuid.basic[1].c |= 1u << 21;
}

START_TEST(base_msr)
{
	struct vcpu *v = vc(1);
	uint64_t b = BASE | APIC_BASE_ENABLE;

	ck_assert_int_eq(vlapic_set_base(v, b + 0x1000), GP);	/* moved */
	ck_assert_int_eq(vlapic_set_base(v, b | APIC_BASE_EXTD), GP);
	ck_assert_int_eq(vlapic_set_base(v, b | 1), GP);
	ck_assert_int_eq(vlapic_set_base(v, b | APIC_BASE_BSP), 0);
	ck_assert_int_eq(vlapic_set_base(v, b), 0);
	/* Disabled, the window may be anywhere (it is not decoded). */
	ck_assert_int_eq(vlapic_set_base(v, 0xfec00000), 0);
	ck_assert_int_eq(vlapic_set_base(v, 0xfec00000 | APIC_BASE_ENABLE),
			 GP);
	ck_assert_int_eq(vlapic_set_base(v, b), 0);
	ck_assert_uint_eq(vlapic_get_base(v), b);
}
END_TEST

START_TEST(x2apic_mode)
{
	struct vcpu *v = vc(1);
	uint64_t b = BASE | APIC_BASE_ENABLE, val;

	ck_assert_int_eq(vlapic_x2apic_read(v, 0x802, &val), GP);
	offer_x2apic();
	ck_assert_int_eq(vlapic_x2apic_read(v, 0x802, &val), GP);
	/* disabled -> x2APIC directly is refused */
	ck_assert_int_eq(vlapic_set_base(v, BASE), 0);
	ck_assert_int_eq(vlapic_set_base(v, b | APIC_BASE_EXTD), GP);
	ck_assert_int_eq(vlapic_set_base(v, b), 0);
	ck_assert_int_eq(vlapic_set_base(v, b | APIC_BASE_EXTD), 0);
	ck_assert(!vlapic_mmio_ops.accepts(v, BASE));
	ck_assert_int_eq(vlapic_x2apic_read(v, 0x802, &val), 0);
	ck_assert_uint_eq(val, 2);
	ck_assert_int_eq(vlapic_x2apic_read(v, 0x80d, &val), 0);
	ck_assert_uint_eq(val, 1u << 2);			/* LDR */
	ck_assert_int_eq(vlapic_x2apic_read(v, 0x803, &val), 0);
	ck_assert_uint_eq(val, 0x00050014);
	/* Read-only, absent and reserved. */
	ck_assert_int_eq(vlapic_x2apic_write(v, 0x802, 0), GP);
	ck_assert_int_eq(vlapic_x2apic_write(v, 0x80d, 0), GP);
	ck_assert_int_eq(vlapic_x2apic_read(v, 0x80e, &val), GP);  /* DFR */
	ck_assert_int_eq(vlapic_x2apic_read(v, 0x831, &val), GP);  /* ICR2 */
	ck_assert_int_eq(vlapic_x2apic_read(v, 0x83f, &val), GP);
	ck_assert_int_eq(vlapic_x2apic_write(v, 0x808, 0x100), GP);
	ck_assert_int_eq(vlapic_x2apic_write(v, 0x80b, 1), GP);    /* EOI */
	ck_assert_int_eq(vlapic_x2apic_write(v, 0x828, 1), GP);    /* ESR */
	ck_assert_int_eq(vlapic_x2apic_write(v, 0x830, 0x1000), GP);
	ck_assert_int_eq(vlapic_x2apic_write(v, 0x83f, 0x100), GP);
	ck_assert_int_eq(vlapic_x2apic_write(v, 0x8ff, 0), GP);
	/* x2APIC -> xAPIC is refused; -> disabled is fine. */
	ck_assert_int_eq(vlapic_set_base(v, b), GP);
	ck_assert_int_eq(vlapic_set_base(v, BASE), 0);
	ck_assert_int_eq(vlapic_x2apic_read(v, 0x802, &val), GP);
}
END_TEST

static void x2apic_all(void)
{
	unsigned int i;

	offer_x2apic();
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(vlapic_set_base(vc(i), vlapic_get_base(vc(i)) |
						 APIC_BASE_EXTD), 0);
		ck_assert_int_eq(vlapic_x2apic_write(vc(i), 0x80f, 0x1ff), 0);
	}
}

START_TEST(x2apic_ipis)
{
	uint64_t val;

	x2apic_all();
	/* 64-bit ICR, physical destination 4: vCPU 2. */
	ck_assert_int_eq(vlapic_x2apic_write(vc(0), 0x830, 4ULL << 32 | 0x70),
			 0);
	ck_assert_int_eq(vlapic_x2apic_read(vc(2), 0x800 + (APIC_IRR >> 4) +
					    3, &val), 0);
	ck_assert_uint_eq(val, 1u << (0x70 % 32));
	ck_assert_int_eq(vlapic_x2apic_read(vc(0), 0x830, &val), 0);
	ck_assert_uint_eq(val, 4ULL << 32 | 0x70);
	/* Logical cluster 0, members with IDs 2 and 6 (bits 2, 6). */
	ck_assert_int_eq(vlapic_x2apic_write(vc(0), 0x830, 0x44ULL << 32 |
					     APIC_ICR_LOGICAL | 0x71), 0);
	ck_assert_int_eq(vlapic_pending_vector(vc(1)), 0x71);
	ck_assert_int_eq(vlapic_pending_vector(vc(3)), 0x71);
	ck_assert_int_eq(vlapic_pending_vector(vc(0)), -1);
	/* SELF_IPI, then EOI by MSR. */
	ck_assert_int_eq(vlapic_x2apic_write(vc(0), 0x83f, 0x72), 0);
	ck_assert_int_eq(vlapic_pending_vector(vc(0)), 0x72);
	vlapic_ack_vector(vc(0), 0x72);
	ck_assert_int_eq(vlapic_x2apic_read(vc(0), 0x80a, &val), 0);
	ck_assert_uint_eq(val, 0x70);				/* PPR */
	ck_assert_int_eq(vlapic_x2apic_write(vc(0), 0x80b, 0), 0);
	ck_assert_int_eq(vlapic_x2apic_read(vc(0), 0x80a, &val), 0);
	ck_assert_uint_eq(val, 0);
	/* Broadcast. */
	ck_assert_int_eq(vlapic_x2apic_write(vc(0), 0x830,
					     0xffffffffULL << 32 | 0x73), 0);
	ck_assert_int_eq(vlapic_pending_vector(vc(2)), 0x73);
}
END_TEST

/* End to end: an xAPIC register read emulated from the instruction. */
START_TEST(through_mmio_emulation)
{
	static const uint8_t mov[] = { 0x8b, 0x42, 0x20 }; /* 0x20(%edx) */
	struct vcpu *v = vc(3);

	memcpy(hvm_env_gpa(0x2000), mov, sizeof(mov));
	v->regs.rip = 0x2000;
	v->regs.rdx = BASE;
	v->regs.rax = ~0ULL;
	hvm_npf(v, BASE + APIC_ID, 0);
	ck_assert_uint_eq(v->regs.rax, 6u << 24);
	ck_assert_uint_eq(v->regs.rip, 0x2003);
}
END_TEST

SUITE(vlapic)
{
	Suite *s = suite_create("vlapic");
	TCase *regs = tcase_create("registers");
	TCase *prio = tcase_create("priority");
	TCase *dest = tcase_create("destinations");
	TCase *power = tcase_create("init_sipi");
	TCase *x2 = tcase_create("x2apic");

	tcase_add_checked_fixture(regs, setup, teardown);
	tcase_add_test(regs, reset_state);
	tcase_add_test(regs, access_sizes);
	tcase_add_test(regs, lvt_and_svr);
	tcase_add_test(regs, through_mmio_emulation);
	suite_add_tcase(s, regs);
	tcase_add_checked_fixture(prio, setup, teardown);
	tcase_add_test(prio, self_ipi_and_eoi);
	tcase_add_test(prio, tpr_masks);
	tcase_add_test(prio, disabled_apic);
	tcase_add_test(prio, errors);
	tcase_add_test(prio, intr_source);
	suite_add_tcase(s, prio);
	tcase_add_checked_fixture(dest, setup, teardown);
	tcase_add_test(dest, physical_and_shorthands);
	tcase_add_test(dest, logical_flat_cluster);
	tcase_add_test(dest, lowest_priority_first);
	tcase_add_test(dest, nmi_smi_extint);
	suite_add_tcase(s, dest);
	tcase_add_checked_fixture(power, setup, teardown);
	tcase_add_test(power, init_sipi_sipi);
	tcase_add_test(power, init_resets);
	tcase_add_test(power, last_down_powers_off);
	tcase_add_test(power, nmi_wakes);
	suite_add_tcase(s, power);
	tcase_add_checked_fixture(x2, setup, teardown);
	tcase_add_test(x2, base_msr);
	tcase_add_test(x2, x2apic_mode);
	tcase_add_test(x2, x2apic_ipis);
	suite_add_tcase(s, x2);
	return s;
}
