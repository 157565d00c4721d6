// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O from guests. Only the 0xE9 debug port does something (guest
 * output as "(dN) line", as Xen prints it); other ports read as all
 * ones and ignore writes, like an empty ISA bus.
 *
 * String I/O (INS/OUTS, REP or not) is emulated here for every back end:
 * the exit tells neither the address size nor the segment, so both come
 * from the decoded instruction (insn_string_addr(): ES:rDI for INS, no
 * override possible; DS or the override:rSI for OUTS). Each iteration
 * translates its address through the guest's page tables first (a #PF
 * or #GP is injected with the registers as they stand, exactly like the
 * CPU leaves them after a fault in the middle of a REP), then makes one
 * port access. Memory that is not RAM behaves as Xen's null handler:
 * reads all ones, writes dropped. Not checked: segment limits and rights
 * (the CPU checked the first iteration's; later ones are the guest's).
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/hvm.h>
#include <asm/p2m.h>

#define DEBUG_PORT	0xe9
#define RFLAGS_DF	(1ULL << 10)
/* Iterations per exit: a huge rCX cannot hold the CPU. */
#define STRING_IO_BATCH	1024

void hvm_portio(struct vcpu *v, uint16_t port, unsigned int size __unused,
		bool in, uint32_t *val)
{
	if (in) {
		*val = ~0U;
		return;
	}
	if (port == DEBUG_PORT)
		guest_line_put(v->domain, &v->domain->line_e9, (char)*val);
}

/* Where one access lands: at most two pieces (a page boundary). */
struct io_pieces {
	unsigned int nr;
	uint64_t gpa[2];
	size_t len[2];
};

static int collect_piece(void *arg, uint64_t gpa, size_t done __unused,
			 size_t len)
{
	struct io_pieces *pc = arg;

	pc->gpa[pc->nr] = gpa;
	pc->len[pc->nr++] = len;
	return 0;
}

/* Guest RAM, or the null device: reads all ones, writes dropped. */
static void pieces_read(struct domain *d, const struct io_pieces *pc,
			uint8_t *buf)
{
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < pc->nr; off += pc->len[i++])
		if (copy_from_guest_phys(d, buf + off, pc->gpa[i], pc->len[i]))
			memset(buf + off, 0xff, pc->len[i]);
}

static void pieces_write(struct domain *d, const struct io_pieces *pc,
			 const uint8_t *buf)
{
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < pc->nr; off += pc->len[i++])
		copy_to_guest_phys(d, pc->gpa[i], buf + off, pc->len[i]);
}

/* A register stepped within the address size, as the CPU does. */
static void reg_add(uint64_t *reg, int64_t delta, unsigned int addr_bytes)
{
	uint64_t nv = *reg + (uint64_t)delta;

	if (addr_bytes == 8)
		*reg = nv;
	else if (addr_bytes == 4)
		*reg = (uint32_t)nv;
	else
		*reg = (*reg & ~0xffffULL) | (nv & 0xffff);
}

/*
 * One iteration. 0 done; otherwise the walk failed and the exception was
 * injected (-EFAULT), or the domain was crashed (-ENXIO), or the walk is
 * to be retried (-EAGAIN).
 */
static int string_io_once(struct vcpu *v, const struct guest_paging *p,
			  uint64_t lin, uint16_t port, unsigned int size,
			  bool is_in)
{
	unsigned int access = is_in ? GW_WRITE : 0;
	struct io_pieces pc = { 0 };
	struct guest_fault f;
	uint32_t val = 0;
	int rc;

	if (p->cpl == 3)
		access |= GW_USER;
	rc = guest_virt_iterate(p, lin, size, access, collect_piece, &pc,
				NULL, &f);
	if (rc == -EFAULT) {
		hvm_ops->vcpu_inject_exception(v, X86_EXC_PF, true, f.pfec,
					       f.addr);
	} else if (rc == -EINVAL) {
		hvm_inject_gp0(v);
		rc = -EFAULT;
	} else if (rc == -ENXIO) {
		domain_crash(v->domain, "string I/O: page tables not in RAM");
	}
	if (rc)
		return rc;
	if (is_in) {
		hvm_portio(v, port, size, true, &val);
		pieces_write(v->domain, &pc, (const uint8_t *)&val);
	} else {
		pieces_read(v->domain, &pc, (uint8_t *)&val);
		hvm_portio(v, port, size, false, &val);
	}
	return 0;
}

bool hvm_string_io(struct vcpu *v, const struct insn *in, uint16_t port,
		   unsigned int size, bool is_in, bool rep)
{
	struct guest_regs *gr = &v->regs;
	uint64_t *index = is_in ? &gr->rdi : &gr->rsi;
	int64_t step = gr->rflags & RFLAGS_DF ? -(int64_t)size : size;
	struct insn_regs r = { 0 };
	struct guest_paging p;
	uint64_t count = 1, n;
	unsigned int s;

	for (s = 0; s < INSN_SEG_NR; s++)
		r.seg_base[s] = hvm_ops->vcpu_seg_base(v, s);
	r.gpr[1] = gr->rcx;
	if (rep) {
		count = insn_rep_count(in, &r);
		if (!count)
			return true;
	}
	hvm_guest_paging(v, &p);
	for (n = 0; n < MIN(count, STRING_IO_BATCH); n++) {
		r.gpr[INSN_REG_SI] = gr->rsi;
		r.gpr[INSN_REG_DI] = gr->rdi;
		if (string_io_once(v, &p, insn_string_addr(in, &r, is_in),
				   port, size, is_in))
			return false;
		reg_add(index, step, in->addr_bytes);
		if (rep)
			reg_add(&gr->rcx, -1, in->addr_bytes);
	}
	return n == count;
}
