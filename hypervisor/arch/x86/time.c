// SPDX-License-Identifier: GPL-2.0
/*
 * Time: the TSC, calibrated once at boot against the ACPI PM timer (a
 * fixed 3.579545 MHz) or the PIT, gives system time in ns on every CPU;
 * the CMOS RTC gives the wall-clock date at boot.
 *
 * TSC rate and offset are global: CPUs are assumed to share one invariant,
 * synchronised TSC (true under QEMU and on the machines Lamina targets).
 * System time is computed with the same scale and formula as a guest's
 * pvclock, so that guests' time and the hypervisor's agree to the ns.
 */
#include <lamina/lib.h>
#include <lamina/rtc.h>
#include <lamina/time.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/time.h>

#define PM_TIMER_HZ	3579545
#define PIT_HZ		1193182
#define CALIBRATE_MS	20

uint64_t tsc_khz;
uint64_t boot_wallclock;
s_time_t boot_wallclock_stime;
struct time_scale tsc_scale;
uint64_t tsc_stime0;

s_time_t NOW(void)
{
	return (s_time_t)scale_delta(rdtsc() - tsc_stime0, &tsc_scale);
}

void udelay(unsigned int us)
{
	uint64_t start = rdtsc(), ticks = (uint64_t)us * tsc_khz / 1000;

	while (rdtsc() - start < ticks)
		cpu_relax();
}

void mdelay(unsigned int ms)
{
	while (ms--)
		udelay(1000);
}

/*
 * A PM timer reading and the TSC when it was taken: the TSC is read just
 * before and just after, and of a few tries the one with the two closest
 * together wins. A port read that stalls (an emulator's vCPU thread
 * preempted, an SMI) would otherwise put the TSC and the PM timer
 * milliseconds apart and the rate off by percents.
 */
static uint32_t pm_timer_read_at(uint32_t mask, uint64_t *tsc)
{
	uint64_t best = ~0ULL;
	uint32_t pm = 0;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		uint64_t before = rdtsc();
		uint32_t v = inl(acpi.pm_tmr_blk) & mask;
		uint64_t after = rdtsc();

		if (after - before < best) {
			best = after - before;
			pm = v;
			*tsc = before + best / 2;
		}
	}
	return pm;
}

/* TSC kHz over about CALIBRATE_MS of the PM timer, to its tick. */
static uint64_t tsc_khz_pm_timer(void)
{
	uint32_t mask = acpi.pm_tmr_32bit ? 0xffffffff : 0xffffff;
	uint32_t want = PM_TIMER_HZ / 1000 * CALIBRATE_MS, start, end;
	uint64_t t0 = 0, t1 = 0;

	start = pm_timer_read_at(mask, &t0);
	while (((inl(acpi.pm_tmr_blk) - start) & mask) < want)
		cpu_relax();
	end = pm_timer_read_at(mask, &t1);
	return (t1 - t0) * PM_TIMER_HZ / ((end - start) & mask) / 1000;
}

/* TSC kHz over PIT channel 2 counting down once (gate via port 0x61). */
static uint64_t tsc_khz_pit(void)
{
	uint16_t count = PIT_HZ / 1000 * CALIBRATE_MS;
	uint64_t t0;

	outb((inb(0x61) & ~0x02) | 0x01, 0x61);	/* gate on, speaker off */
	outb(0xb0, 0x43);			/* ch2, lo/hi, mode 0 */
	outb(count & 0xff, 0x42);
	outb(count >> 8, 0x42);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		cpu_relax();
	return (rdtsc() - t0) / CALIBRATE_MS;
}

void time_init(void)
{
	bool pm = acpi.pm_tmr_blk != 0;

	tsc_khz = pm ? tsc_khz_pm_timer() : tsc_khz_pit();
	if (!tsc_khz)
		panic("TSC calibration failed");
	time_scale_of_khz(tsc_khz, &tsc_scale);
	tsc_stime0 = rdtsc();
	printk("(lamina) TSC: %lu.%03lu MHz (calibrated against the %s)\n",
	       tsc_khz / 1000, tsc_khz % 1000, pm ? "ACPI PM timer" : "PIT");
}

static uint8_t cmos_read(uint8_t reg)
{
	outb(reg, 0x70);	/* bit 7 clear: NMIs stay enabled */
	return inb(0x71);
}

static void cmos_snapshot(struct rtc_regs *r, uint8_t century_reg)
{
	unsigned int spins = 0;

	/* Wait out an update in progress (at most ~2 ms once a second). */
	while ((cmos_read(0x0a) & 0x80) && spins++ < 100000)
		cpu_relax();
	r->sec = cmos_read(0x00);
	r->min = cmos_read(0x02);
	r->hour = cmos_read(0x04);
	r->wday = cmos_read(0x06);
	r->mday = cmos_read(0x07);
	r->mon = cmos_read(0x08);
	r->year = cmos_read(0x09);
	r->century = century_reg ? cmos_read(century_reg) : 0;
	r->reg_b = cmos_read(0x0b);
}

/* Two identical snapshots in a row are a consistent reading. */
uint64_t rtc_read_unix(void)
{
	struct rtc_regs a, b;
	uint64_t secs;
	unsigned int tries;

	cmos_snapshot(&a, acpi.century_reg);
	for (tries = 0; tries < 10; tries++) {
		cmos_snapshot(&b, acpi.century_reg);
		if (!memcmp(&a, &b, sizeof(a)))
			break;
		a = b;
	}
	if (rtc_to_unix(&b, &secs)) {
		printk("(lamina) RTC: unreadable values, wall clock unknown\n");
		return 0;
	}
	return secs;
}
