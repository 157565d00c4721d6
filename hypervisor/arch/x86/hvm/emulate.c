// SPDX-License-Identifier: GPL-2.0
/*
 * What every back end needs to look at the instruction a guest was
 * executing: its paging state with guest memory behind it, and the
 * instruction fetched through the guest's page tables and decoded.
 * The hardware gives neither under QEMU (no NRIP save, no decode assists).
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/hvm.h>
#include <asm/p2m.h>

static int gpa_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	return copy_from_guest_phys(ctx, buf, gpa, len);
}

static int gpa_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	return copy_to_guest_phys(ctx, gpa, buf, len);
}

/*
 * Accessed and dirty bits, set with a locked compare-and-exchange on the
 * guest's page: another vCPU may be changing the same entry.
 */
static int gpa_update_pte(void *ctx, uint64_t gpa, uint64_t old,
			  uint64_t nval, size_t size)
{
	unsigned long mfn = p2m_lookup_ram(ctx, PFN_DOWN(gpa), true);
	void *p;
	bool ok;

	if (mfn == INVALID_MFN || (gpa & (size - 1)))
		return -ENXIO;
	p = (char *)mfn_to_virt(mfn) + (gpa & (PAGE_SIZE - 1));
	if (size == 8)
		ok = __sync_bool_compare_and_swap((uint64_t *)p, old, nval);
	else
		ok = __sync_bool_compare_and_swap((uint32_t *)p,
						  (uint32_t)old,
						  (uint32_t)nval);
	return ok ? 0 : -EAGAIN;
}

void hvm_guest_paging(struct vcpu *v, struct guest_paging *p)
{
	memset(p, 0, sizeof(*p));
	hvm_ops->vcpu_paging(v, p);
	p->maxphyaddr = cpuid_maxphyaddr(&v->domain->arch.cpuid);
	p->ctx = v->domain;
	p->read_gpa = gpa_read;
	p->write_gpa = gpa_write;
	p->update_pte = gpa_update_pte;
}

/*
 * A guest_walk() failure as the CPU would report it: 0 if an exception
 * was injected, -ENXIO if the domain was crashed (paging structures or
 * the bytes themselves are not RAM: Lamina emulates no MMIO), -EAGAIN if
 * the walk should just be retried by re-executing the instruction.
 */
static int fetch_fault(struct vcpu *v, const struct guest_fault *f)
{
	switch (f->rc) {
	case -EFAULT:
		hvm_ops->vcpu_inject_exception(v, X86_EXC_PF, true, f->pfec,
					       f->addr);
		return 0;
	case -EINVAL:
		hvm_inject_gp0(v);
		return 0;
	case -EAGAIN:
		return -EAGAIN;
	default:
		domain_crash(v->domain, "instruction fetch from non-RAM");
		return -ENXIO;
	}
}

int hvm_fetch_insn(struct vcpu *v, struct insn *in)
{
	enum insn_mode mode = hvm_ops->vcpu_insn_mode(v);
	uint8_t buf[INSN_MAX_LEN];
	struct guest_paging p;
	struct guest_fault f;
	int n, rc;

	hvm_guest_paging(v, &p);
	n = insn_fetch(&p, hvm_ops->vcpu_seg_base(v, INSN_SEG_CS),
		       v->regs.rip, mode, buf, &f);
	if (n < 0) {
		rc = fetch_fault(v, &f);
		return rc ? rc : -EFAULT;
	}
	rc = insn_decode(in, buf, n, mode);
	if (rc == -EFAULT && n < INSN_MAX_LEN) {
		rc = fetch_fault(v, &f);
		return rc ? rc : -EFAULT;
	}
	if (rc) {
		/* The CPU executed something else: the bytes changed. */
		hvm_inject_gp0(v);
		return -EINVAL;
	}
	return 0;
}
