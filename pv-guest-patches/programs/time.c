// SPDX-License-Identifier: GPL-2.0
/*
 * time: guest time as a PVH kernel sees it. pvclock (vcpu_time_info)
 * read with Linux's formula straight after shared_info is mapped, checked
 * against CPUID's time leaf, for monotonicity, and against the TSC and
 * HVMOP_get_time over a two-second wait; the wallclock (today's date:
 * the test harness passes today=YYYY-MM-DD); the registered time and
 * runstate areas; vm_assist; and every error return of those calls.
 */
#include "guest.h"
#include <xen/hvm/hvm_op.h>
#include <xen/memory.h>
#include <xen/vcpu.h>

#define PFN(p)		((unsigned long)(uintptr_t)(p) >> 12)
#define BAD_POINTER	0x7ff000000000UL	/* not mapped */
#define NS_PER_SEC	1000000000ULL

static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));
static uint8_t vcpu_info_page[4096] __attribute__((aligned(4096)));
static struct vcpu_time_info time_area __attribute__((aligned(64)));
static struct vcpu_runstate_info runstate_area __attribute__((aligned(64)));

static volatile struct shared_info *shinfo;
static volatile struct vcpu_time_info *pvti;	/* vCPU 0's */

static long vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg)
{
	return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu,
			  (unsigned long)arg);
}

static long vm_assist(unsigned long cmd, unsigned long type)
{
	return hypercall2(__HYPERVISOR_vm_assist, cmd, type);
}

static inline uint64_t rdtsc_ordered(void)
{
	__asm__ __volatile__("lfence" ::: "memory");
	return rdtsc();
}

/* Linux's pvclock_scale_delta() and __pvclock_read_cycles(). */
static uint64_t scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

/* A consistent reading: retried while the version is odd or changed. */
static uint64_t pvclock_read(volatile struct vcpu_time_info *t,
			     uint8_t *flags)
{
	uint32_t ver;
	uint64_t ns;

	do {
		ver = t->version;
		barrier();
		ns = t->system_time +
		     scale_delta(rdtsc_ordered() - t->tsc_timestamp,
				 t->tsc_to_system_mul, t->tsc_shift);
		if (flags)
			*flags = t->flags;
		barrier();
	} while ((ver & 1) || ver != t->version);
	return ns;
}

static uint64_t now_ns(void)
{
	return pvclock_read(pvti, NULL);
}

/* Linux's pvclock_tsc_khz(). */
static uint64_t pvclock_khz(volatile struct vcpu_time_info *t)
{
	uint64_t khz = (1000000ULL << 32) / t->tsc_to_system_mul;

	return t->tsc_shift < 0 ? khz << -t->tsc_shift : khz >> t->tsc_shift;
}

/* What vCPU 0's time said the moment shared_info was mapped. */
static struct vcpu_time_info at_map;
static uint64_t at_map_ns;

static void map_shared_info(void)
{
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_shared_info,
		.idx = 0, .gpfn = PFN(shinfo_page),
	};

	CHECK_EQ(memory_op(XENMEM_add_to_physmap, &x), 0);
	shinfo = (volatile struct shared_info *)shinfo_page;
	pvti = &shinfo->vcpu_info[0].time;
	at_map = *(struct vcpu_time_info *)pvti;
	at_map_ns = pvclock_read(pvti, NULL);
}

/* Valid as soon as shared_info is there (Linux divides by the mul). */
static void test_pvclock_at_map(void)
{
	uint32_t base = xen_cpuid_base(NULL);
	struct cpuid_regs leaf = cpuid_count(base + 3, 0);
	uint64_t khz;

	CHECK(at_map.version && !(at_map.version & 1));
	CHECK(at_map.tsc_to_system_mul != 0);
	CHECK(at_map_ns > 0);
	khz = pvclock_khz(&at_map);
	printf("pvclock: mul %#x shift %d flags %#x, %lu kHz, %lu ns at "
	       "mapping\n", at_map.tsc_to_system_mul, at_map.tsc_shift,
	       at_map.flags, khz, at_map_ns);
	/* CPUID's time leaf (TSC kHz in ECX) names the same rate. */
	CHECK(leaf.ecx > 0);
	CHECK(khz > leaf.ecx - leaf.ecx / 200 &&
	      khz < leaf.ecx + leaf.ecx / 200);
	leaf = cpuid_count(base + 3, 1);
	printf("pvclock: CPUID time leaf: mul %#x shift %d\n", leaf.ecx,
	       (int)leaf.edx);
}

/* Readings in a row never go backwards and follow the TSC. */
static void test_monotonic(void)
{
	uint64_t last = now_ns(), first = last, tsc0 = rdtsc(), ns;
	unsigned int i, backwards = 0;

	for (i = 0; i < 5000; i++) {
		ns = now_ns();
		backwards += ns < last;
		last = ns;
	}
	CHECK_EQ(backwards, 0);
	ns = scale_delta(rdtsc() - tsc0, pvti->tsc_to_system_mul,
			 pvti->tsc_shift);
	CHECK(last - first <= ns + 1000);
}

/* Days since 1970-01-01 to a date (proleptic Gregorian). */
static void civil(uint64_t days, unsigned int *y, unsigned int *m,
		  unsigned int *d)
{
	static const uint8_t mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
					   30, 31, 30, 31 };
	unsigned int year = 1970, mon = 0;

	for (;;) {
		unsigned int len = (year % 4 == 0 &&
				    (year % 100 || year % 400 == 0)) ? 366 : 365;

		if (days < len)
			break;
		days -= len;
		year++;
	}
	for (;;) {
		unsigned int len = mdays[mon] + (mon == 1 && year % 4 == 0 &&
					       (year % 100 || year % 400 == 0));

		if (days < len)
			break;
		days -= len;
		mon++;
	}
	*y = year;
	*m = mon + 1;
	*d = (unsigned int)days + 1;
}

/* "YYYY-MM-DD" to days since 1970-01-01, or -1. */
static long days_of(const char *s)
{
	unsigned int y = 0, m = 0, d = 0, i;
	long days = 0;

	for (i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' :
		    (s[i] < '0' || s[i] > '9'))
			return -1;
	for (i = 0; i < 4; i++)
		y = y * 10 + (s[i] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	for (i = 1970; i < y; i++)
		days += (i % 4 == 0 && (i % 100 || i % 400 == 0)) ? 366 : 365;
	for (i = 1; i < m; i++) {
		static const uint8_t mdays[12] = { 31, 28, 31, 30, 31, 30, 31,
						   31, 30, 31, 30, 31 };

		days += mdays[i - 1] + (i == 2 && y % 4 == 0 &&
					(y % 100 || y % 400 == 0));
	}
	return days + d - 1;
}

/* UTC now: the wallclock (UTC at system time 0) plus pvclock. */
static void test_wallclock(void)
{
	uint32_t ver, sec, nsec, hi;
	uint64_t now, secs;
	unsigned int y, m, d;
	char today[16];
	long want;

	do {
		ver = shinfo->wc_version;
		barrier();
		sec = shinfo->wc_sec;
		nsec = shinfo->wc_nsec;
		hi = shinfo->xen_wc_sec_hi;
		now = now_ns();
		barrier();
	} while ((ver & 1) || ver != shinfo->wc_version);
	CHECK(nsec < NS_PER_SEC);
	secs = ((uint64_t)hi << 32 | sec) + (now + nsec) / NS_PER_SEC;
	civil(secs / 86400, &y, &m, &d);
	printf("wallclock: %04u-%02u-%02u %02lu:%02lu:%02lu UTC\n", y, m, d,
	       secs % 86400 / 3600, secs % 3600 / 60, secs % 60);
	if (!cmdline_arg("today", today, sizeof(today))) {
		skip("wallclock is today", "no today=YYYY-MM-DD given");
		return;
	}
	want = days_of(today);
	CHECK(want > 0);
	/* The harness's date, give or take midnight. */
	CHECK((long)(secs / 86400) >= want - 1 &&
	      (long)(secs / 86400) <= want + 1);
}

static long get_time(uint64_t *ns)
{
	struct xen_hvm_get_time t = { 0 };
	long rc = hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_time,
			     (unsigned long)&t);

	*ns = t.now;
	return rc;
}

/*
 * Two seconds of pvclock, against the TSC at CPUID's rate and against
 * HVMOP_get_time. The harness times the two lines against host time.
 */
static void test_elapsed(void)
{
	uint32_t khz = cpuid_count(xen_cpuid_base(NULL) + 3, 0).ecx;
	uint64_t t0, t1, tsc0, tsc1, h0, h1, by_tsc;

	CHECK_EQ(get_time(&h0), 0);
	printf("elapsed: waiting 2 s\n");
	t0 = now_ns();
	tsc0 = rdtsc();
	while (now_ns() - t0 < 2 * NS_PER_SEC)
		cpu_relax();
	t1 = now_ns();
	tsc1 = rdtsc();
	CHECK_EQ(get_time(&h1), 0);
	printf("elapsed: done\n");
	by_tsc = (tsc1 - tsc0) * 1000000 / khz;
	printf("elapsed: %lu ns by pvclock, %lu ns by the TSC at %u kHz, "
	       "%lu ns by HVMOP_get_time\n", t1 - t0, by_tsc, khz, h1 - h0);
	CHECK(by_tsc > (t1 - t0) - (t1 - t0) / 100 &&
	      by_tsc < (t1 - t0) + (t1 - t0) / 100);
	/* get_time is system time: what pvclock says, give or take. */
	CHECK(h1 - h0 >= t1 - t0 && h1 - h0 < t1 - t0 + 50000000);
	CHECK(h0 > t0 - 50000000 && h0 <= t0);
	CHECK_EQ(hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_time, BAD_POINTER),
		 -XEN_EFAULT);
}

/* The second copy is written at once, and unregistered with 0. */
static void test_time_area(void)
{
	struct vcpu_register_time_memory_area a = { .addr.v = &time_area };
	uint64_t t0, t1;

	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0,
			 (void *)BAD_POINTER), -XEN_EFAULT);
	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_time_memory_area, 1, &a),
		 -XEN_ENOENT);
	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &a), 0);
	CHECK(time_area.version && !(time_area.version & 1));
	CHECK_EQ(time_area.tsc_to_system_mul, pvti->tsc_to_system_mul);
	CHECK_EQ(time_area.tsc_shift, pvti->tsc_shift);
	CHECK_EQ(time_area.flags, pvti->flags);
	/* Same clock, whichever copy is read. */
	t0 = pvclock_read(&time_area, NULL);
	t1 = now_ns();
	CHECK(t1 >= t0 && t1 - t0 < 1000000);
	a.addr.v = NULL;
	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &a), 0);
	/* An unmapped area is accepted, as Xen does for HVM guests. */
	a.addr.p = BAD_POINTER;
	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &a), 0);
	a.addr.v = NULL;
	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &a), 0);
}

static uint64_t runstate_total(const volatile struct vcpu_runstate_info *r)
{
	return r->time[0] + r->time[1] + r->time[2] + r->time[3];
}

static void test_runstate(void)
{
	struct vcpu_register_runstate_memory_area a = {
		.addr.v = &runstate_area };
	struct vcpu_runstate_info info;
	uint64_t now;

	CHECK_EQ(vcpu_op(VCPUOP_get_runstate_info, 0, (void *)BAD_POINTER),
		 -XEN_EFAULT);
	CHECK_EQ(vcpu_op(VCPUOP_get_runstate_info, 1, &info), -XEN_ENOENT);
	CHECK_EQ(vcpu_op(VCPUOP_get_runstate_info, 0, &info), 0);
	now = now_ns();
	CHECK_EQ(info.state, RUNSTATE_running);
	CHECK(info.state_entry_time <= now);
	CHECK(info.time[RUNSTATE_running] > 0);
	/* Up to the call, each state's time adds up to the vCPU's life. */
	CHECK(runstate_total(&info) <= now);
	printf("runstate: running %lu ns, runnable %lu, blocked %lu, "
	       "offline %lu\n", info.time[0], info.time[1], info.time[2],
	       info.time[3]);

	CHECK_EQ(vcpu_op(VCPUOP_register_runstate_memory_area, 0,
			 (void *)BAD_POINTER), -XEN_EFAULT);
	CHECK_EQ(vcpu_op(VCPUOP_register_runstate_memory_area, 1, &a),
		 -XEN_ENOENT);
	CHECK_EQ(vm_assist(VMASST_CMD_enable,
			   VMASST_TYPE_runstate_update_flag), 0);
	CHECK_EQ(vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a), 0);
	CHECK_EQ(runstate_area.state, RUNSTATE_running);
	CHECK_EQ(runstate_area.state_entry_time & XEN_RUNSTATE_UPDATE, 0);
	/* As the accounting stands (Xen: not counted up to now). */
	CHECK_EQ(runstate_area.state_entry_time, info.state_entry_time);
	CHECK(runstate_area.time[RUNSTATE_running] <=
	      info.time[RUNSTATE_running]);
	CHECK_EQ(vm_assist(VMASST_CMD_disable,
			   VMASST_TYPE_runstate_update_flag), 0);
	/* Unmapped: accepted (Xen), nothing to see. */
	a.addr.p = BAD_POINTER;
	CHECK_EQ(vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a), 0);
	a.addr.v = NULL;
	CHECK_EQ(vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a), 0);
}

static void test_vm_assist(void)
{
	unsigned int type;

	for (type = 0; type < 64; type++)
		if (type != VMASST_TYPE_runstate_update_flag)
			CHECK_EQ(vm_assist(VMASST_CMD_enable, type),
				 -XEN_EINVAL);
	CHECK_EQ(vm_assist(VMASST_CMD_enable, 64), -XEN_EINVAL);
	CHECK_EQ(vm_assist(7, VMASST_TYPE_runstate_update_flag),
		 -XEN_ENOSYS);
	CHECK_EQ(vm_assist(VMASST_CMD_disable,
			   VMASST_TYPE_runstate_update_flag), 0);
}

/* The vcpu_info moves; its time is valid there at once. */
static void test_moved_vcpu_info(void)
{
	struct vcpu_register_vcpu_info r = { .mfn = PFN(vcpu_info_page),
					     .offset = 128 };
	volatile struct vcpu_info *vi = (void *)(vcpu_info_page + 128);
	uint64_t before = now_ns();

	CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0, &r), 0);
	CHECK(vi->time.version && !(vi->time.version & 1));
	CHECK_EQ(vi->time.tsc_to_system_mul, pvti->tsc_to_system_mul);
	pvti = &vi->time;
	CHECK(now_ns() >= before);
}

static const struct test tests[] = {
	TEST(pvclock_at_map),
	TEST(monotonic),
	TEST(wallclock),
	TEST(elapsed),
	TEST(time_area),
	TEST(runstate),
	TEST(vm_assist),
	TEST(moved_vcpu_info),
};

void guest_main(void)
{
	map_shared_info();
	RUN_TESTS(tests);
}
