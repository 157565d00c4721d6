// SPDX-License-Identifier: GPL-2.0
/*
 * Local APICs (xAPIC, memory mapped), IO-APICs and the legacy PICs.
 *
 * The hypervisor owns every local APIC. QEMU TCG offers neither x2APIC nor
 * the TSC-deadline timer, so the timer is the LAPIC's own one-shot mode.
 * All interrupt sources are masked at boot; dom0 will later be given
 * virtual IO-APICs.
 */
#include <lamina/acpi.h>
#include <lamina/errno.h>
#include <lamina/smp.h>
#include <lamina/lib.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/irq.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/time.h>
#include <asm/traps.h>

#define APIC_BASE_ENABLE	(1ULL << 11)
#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_VER		0x01
#define IOAPIC_RTE(n)		(0x10 + 2 * (n))
#define IOAPIC_RTE_ACTIVE_LOW	(1u << 13)
#define IOAPIC_RTE_LEVEL	(1u << 15)

static volatile uint8_t *lapic;
static volatile uint8_t *ioapic[ACPI_MAX_IOAPICS];	/* by acpi.ioapics[] */

static uint32_t lapic_read(unsigned int reg)
{
	return mmio_read32(lapic + reg);
}

static void lapic_write(unsigned int reg, uint32_t v)
{
	mmio_write32(lapic + reg, v);
}

void apic_map(paddr_t lapic_maddr)
{
	lapic = ioremap(lapic_maddr, 4096);
}

uint32_t lapic_id(void)
{
	return lapic_read(APIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

static void apic_error_interrupt(struct cpu_regs *regs)
{
	uint32_t esr;

	lapic_write(APIC_ESR, 0);
	esr = lapic_read(APIC_ESR);
	printk("(lamina) APIC error on CPU %u: ESR %#x\n",
	       smp_processor_id(), esr);
}

void lapic_init_cpu(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic_write(APIC_SVR, 0x100 | VECTOR_SPURIOUS);
	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | VECTOR_TIMER);
	lapic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	/* LINT1 is wired to NMI on PCs: keep it as NMI, edge. */
	lapic_write(APIC_LVT_LINT1, APIC_ICR_NMI);
	lapic_write(APIC_LVT_ERROR, VECTOR_APIC_ERROR);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_TDCR, 0xb);		/* divide by 1 */
	set_irq_handler(VECTOR_APIC_ERROR, apic_error_interrupt);
	lapic_eoi();
}

static void icr_wait(void)
{
	unsigned int spins;

	for (spins = 0; lapic_read(APIC_ICR_LO) & APIC_ICR_BUSY; spins++) {
		if (spins == 10000000)
			panic("local APIC: IPI never delivered");
		cpu_relax();
	}
}

void lapic_send_ipi(uint32_t apic_id, uint32_t icr_lo)
{
	unsigned long flags = local_irq_save();

	icr_wait();
	lapic_write(APIC_ICR_HI, apic_id << 24);
	lapic_write(APIC_ICR_LO, icr_lo);
	icr_wait();
	local_irq_restore(flags);
}

void lapic_send_ipi_allbutself(uint32_t icr_lo)
{
	unsigned long flags = local_irq_save();

	icr_wait();
	lapic_write(APIC_ICR_LO, icr_lo | APIC_ICR_ALL_BUT_SELF);
	icr_wait();
	local_irq_restore(flags);
}

void lapic_timer_oneshot(uint32_t ticks)
{
	lapic_write(APIC_LVT_TIMER, VECTOR_TIMER);	/* one-shot mode */
	lapic_write(APIC_TMICT, ticks);
}

uint32_t lapic_timer_calibrate(void)
{
	uint64_t t0, per_ms = tsc_khz;
	uint32_t left;

	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | VECTOR_TIMER);
	lapic_write(APIC_TMICT, 0xffffffff);
	t0 = rdtsc();
	while (rdtsc() - t0 < 10 * per_ms)
		cpu_relax();
	left = lapic_read(APIC_TMCCT);
	lapic_write(APIC_TMICT, 0);
	return (0xffffffffu - left) / 10;
}

static uint32_t ioapic_read(volatile uint8_t *io, unsigned int reg)
{
	mmio_write32(io + IOAPIC_REGSEL, reg);
	return mmio_read32(io + IOAPIC_WINDOW);
}

static void ioapic_write(volatile uint8_t *io, unsigned int reg, uint32_t v)
{
	mmio_write32(io + IOAPIC_REGSEL, reg);
	mmio_write32(io + IOAPIC_WINDOW, v);
}

static unsigned int ioapic_pins(volatile uint8_t *io)
{
	return ((ioapic_read(io, IOAPIC_VER) >> 16) & 0xff) + 1;
}

void ioapic_mask_all(void)
{
	unsigned int i, pin, pins;

	for (i = 0; i < acpi.nr_ioapics; i++) {
		volatile uint8_t *io = ioremap(acpi.ioapics[i].maddr, 4096);

		ioapic[i] = io;
		pins = ioapic_pins(io);
		for (pin = 0; pin < pins; pin++) {
			ioapic_write(io, IOAPIC_RTE(pin) + 1, 0);
			ioapic_write(io, IOAPIC_RTE(pin), APIC_LVT_MASKED);
		}
		printk("(lamina) IO-APIC %u at %#x: GSIs %u-%u, all masked\n",
		       acpi.ioapics[i].id, acpi.ioapics[i].maddr,
		       acpi.ioapics[i].gsi_base,
		       acpi.ioapics[i].gsi_base + pins - 1);
	}
}

/*
 * An ISA IRQ's GSI and its trigger and polarity: the MADT's override if
 * there is one, else the ISA default (GSI = IRQ, edge, active high).
 */
static uint32_t isa_irq_rte(unsigned int irq, unsigned int *gsi)
{
	unsigned int i;
	uint32_t rte = 0;

	*gsi = irq;
	for (i = 0; i < acpi.nr_overrides; i++) {
		const struct acpi_override *o = &acpi.overrides[i];

		if (o->bus != 0 || o->source != irq)
			continue;
		*gsi = o->gsi;
		if (ACPI_MADT_POLARITY(o->flags) == 3)
			rte |= IOAPIC_RTE_ACTIVE_LOW;
		if (ACPI_MADT_TRIGGER(o->flags) == 3)
			rte |= IOAPIC_RTE_LEVEL;
	}
	return rte;
}

int ioapic_route_isa_irq(unsigned int irq, uint8_t vector, uint32_t apic_id)
{
	unsigned int i, gsi;
	uint32_t rte = isa_irq_rte(irq, &gsi) | vector;

	for (i = 0; i < acpi.nr_ioapics; i++) {
		volatile uint8_t *io = ioapic[i];
		unsigned int base = acpi.ioapics[i].gsi_base;

		if (!io || gsi < base || gsi - base >= ioapic_pins(io))
			continue;
		ioapic_write(io, IOAPIC_RTE(gsi - base) + 1, apic_id << 24);
		ioapic_write(io, IOAPIC_RTE(gsi - base), rte);
		return (int)gsi;
	}
	return -ENODEV;
}

/* Remap the 8259s away from the exception vectors, then mask them. */
void pic_disable(void)
{
	outb(0x11, 0x20);
	outb(0x11, 0xa0);
	outb(0x20, 0x21);	/* master: vectors 0x20-0x27 */
	outb(0x28, 0xa1);	/* slave: vectors 0x28-0x2f */
	outb(0x04, 0x21);
	outb(0x02, 0xa1);
	outb(0x01, 0x21);
	outb(0x01, 0xa1);
	outb(0xff, 0xa1);
	outb(0xff, 0x21);
}
