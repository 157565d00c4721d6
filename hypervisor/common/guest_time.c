// SPDX-License-Identifier: GPL-2.0
/*
 * Guest time: pvclock and the wallclock, and the work a vCPU's time
 * needs when it is switched in and out.
 *
 * pvclock. A guest computes system time from its TSC with the
 * parameters in its vcpu_info's vcpu_time_info (Linux's
 * pvclock_clocksource_read()):
 *
 *   ns = system_time + (((tsc - tsc_timestamp) << tsc_shift)
 *                       * tsc_to_system_mul >> 32)
 *
 * Lamina's system time is itself one linear function of the TSC, the
 * same on every CPU, computed with that very formula and scale
 * (arch/x86/time.c), and a vCPU's TSC is the host's plus its offset. So
 * one set of parameters per vCPU, anchored at system time 0 (the host
 * TSC then, plus the offset), gives the guest exactly NOW() from any TSC
 * value it reads, on any CPU, at any time: nothing needs refreshing
 * while the vCPU runs or moves between CPUs, two vCPUs never disagree,
 * and time never goes backwards between them. The parameters change only
 * when the vCPU's TSC offset does (the guest writes its TSC MSR) or its
 * vcpu_info moves. XEN_PVCLOCK_TSC_STABLE_BIT is set while every vCPU of
 * the domain has the same offset: the guest may then read one vCPU's
 * parameters with another vCPU's TSC (Linux's vDSO does).
 *
 * Xen re-anchors the parameters at each calibration (about once a
 * second) and context switch, so its tsc_timestamp and system_time are
 * recent; here they are the boot's. Linux's formula takes a 64-bit TSC
 * delta with a 128-bit product: the same result, for centuries.
 *
 * Version protocol (both copies): the version is made odd, the fields
 * written, then the version made even again; x86 keeps stores in order,
 * so compiler barriers suffice.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/guest_access.h>
#include <lamina/guest_time.h>
#include <lamina/smp.h>
#include <lamina/time.h>
#include <asm/time.h>
#include <xen/xen.h>

#define NS_PER_SEC	1000000000ULL

void pvclock_params(int64_t tsc_offset, bool stable,
		    struct vcpu_time_info *t)
{
	t->tsc_timestamp = tsc_stime0 + (uint64_t)tsc_offset;
	t->system_time = 0;
	t->tsc_to_system_mul = tsc_scale.mul_frac;
	t->tsc_shift = tsc_scale.shift;
	t->flags = stable ? XEN_PVCLOCK_TSC_STABLE_BIT : 0;
	t->pad0 = 0;
	t->pad1[0] = t->pad1[1] = 0;
}

static uint32_t version_begin(uint32_t ver)
{
	return (ver + 1) | 1;
}

static uint32_t version_end(uint32_t odd)
{
	return odd + 1;
}

void wallclock_init(struct domain *d)
{
	struct shared_info *s = d->shared_info;
	s_time_t at0 = (s_time_t)(boot_wallclock * NS_PER_SEC) -
		       boot_wallclock_stime;
	uint64_t sec = at0 > 0 ? (uint64_t)at0 / NS_PER_SEC : 0;
	uint32_t ver = version_begin(s->wc_version);

	s->wc_version = ver;
	barrier();
	s->wc_sec = (uint32_t)sec;
	s->xen_wc_sec_hi = (uint32_t)(sec >> 32);
	s->wc_nsec = at0 > 0 ? (uint32_t)((uint64_t)at0 % NS_PER_SEC) : 0;
	barrier();
	s->wc_version = version_end(ver);
}

static int64_t tsc_offset_of(const struct vcpu *v)
{
	return __atomic_load_n(&v->arch.msrs.tsc_offset, __ATOMIC_SEQ_CST);
}

/* Do all v's domain's vCPUs (those created so far) share v's TSC? */
static bool tsc_stable(const struct vcpu *v)
{
	const struct domain *d = v->domain;
	int64_t off = tsc_offset_of(v);
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i] && tsc_offset_of(d->vcpu[i]) != off)
			return false;
	return true;
}

/* Fields, then version, as the protocol says; dst is guest memory. */
static void time_info_write(struct vcpu_time_info *dst,
			    const struct vcpu_time_info *src)
{
	uint32_t ver = version_begin(READ_ONCE(dst->version));

	*(volatile uint32_t *)&dst->version = ver;
	barrier();
	dst->pad0 = 0;
	dst->tsc_timestamp = src->tsc_timestamp;
	dst->system_time = src->system_time;
	dst->tsc_to_system_mul = src->tsc_to_system_mul;
	dst->tsc_shift = src->tsc_shift;
	dst->flags = src->flags;
	dst->pad1[0] = dst->pad1[1] = 0;
	barrier();
	*(volatile uint32_t *)&dst->version = version_end(ver);
}

/* Ask v's CPU for work at v's next entry (now, if v is in the guest). */
static void request_work(struct vcpu *v, unsigned int work)
{
	__atomic_or_fetch(&v->time.work, work, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&v->in_guest, __ATOMIC_SEQ_CST) &&
	    v->processor != smp_processor_id())
		arch_kick_cpu(v->processor);
}

void vcpu_time_update(struct vcpu *v)
{
	struct vcpu_time_info t;

	spin_lock(&v->time.lock);
	pvclock_params(tsc_offset_of(v), tsc_stable(v), &t);
	time_info_write(&__atomic_load_n(&v->vcpu_info, __ATOMIC_SEQ_CST)->time,
			&t);
	spin_unlock(&v->time.lock);
	if (__atomic_load_n(&v->time.time_area, __ATOMIC_SEQ_CST))
		request_work(v, VT_TIME_AREA);
}

void guest_time_tsc_changed(struct vcpu *v)
{
	struct domain *d = v->domain;
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		vcpu_time_update(d->vcpu[i]);
}

void vcpu_time_init(struct vcpu *v)
{
	spin_lock_init(&v->time.lock, LOCK_LEVEL_VCPU_TIME, "vcpu_time");
	vcpu_timers_init(v);
	vcpu_time_update(v);
}

void vcpu_time_destroy(struct vcpu *v)
{
	vcpu_timers_kill(v);
}

/*
 * The second copy, through ctx's page tables, in Xen's order: the odd
 * version alone, the whole structure, the even version. An unmapped
 * address is not an error (Xen ignores it too): the guest finds nothing.
 */
static void time_area_write(struct vcpu *v, struct vcpu *ctx)
{
	uint64_t gva = __atomic_load_n(&v->time.time_area, __ATOMIC_SEQ_CST);
	struct vcpu_time_info t;
	uint32_t odd;

	if (!gva)
		return;
	spin_lock(&v->time.lock);
	pvclock_params(tsc_offset_of(v), tsc_stable(v), &t);
	odd = version_begin(v->time.time_area_version);
	v->time.time_area_version = version_end(odd);
	spin_unlock(&v->time.lock);
	t.version = odd;
	if (copy_to_guest_kernel(ctx, gva, &t.version, sizeof(t.version)))
		return;
	barrier();
	copy_to_guest_kernel(ctx, gva, &t, sizeof(t));
	barrier();
	t.version = version_end(odd);
	copy_to_guest_kernel(ctx, gva, &t.version, sizeof(t.version));
}

int vcpu_time_area_register(struct vcpu *caller, struct vcpu *v,
			    uint64_t gva)
{
	__atomic_store_n(&v->time.time_area, gva, __ATOMIC_SEQ_CST);
	time_area_write(v, caller);
	return 0;
}

void vcpu_time_sched_out(struct vcpu *v)
{
	vcpu_periodic_sched_out(v);
	if (v->time.in_context)
		vcpu_runstate_area_write(v, v);
	v->time.in_context = false;
}

void vcpu_time_sched_in(struct vcpu *v)
{
	__atomic_or_fetch(&v->time.work, VT_SCHED_IN, __ATOMIC_SEQ_CST);
}

void vcpu_time_enter(struct vcpu *v)
{
	unsigned int work;

	if (!__atomic_load_n(&v->time.work, __ATOMIC_RELAXED))
		return;
	work = __atomic_exchange_n(&v->time.work, 0, __ATOMIC_SEQ_CST);
	if (work & VT_SCHED_IN) {
		v->time.in_context = true;
		vcpu_runstate_area_write(v, v);
		vcpu_periodic_sched_in(v);
	}
	if (work & VT_TIME_AREA)
		time_area_write(v, v);
}
