// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO emulation after a nested page fault (asm/hvm/mmio.h).
 *
 * The instruction is fetched and decoded again (there are no decode
 * assists), its memory operand is translated from its linear address
 * through the guest's page tables (the exit's GPA only tells that the
 * access left RAM: another vCPU may have changed the mapping since), and
 * each piece of the access (two where it crosses a page) goes to RAM, to
 * the handler that claims it, or to the null device (reads all ones,
 * writes dropped).
 *
 * Emulated, in every mode and with any prefixes the CPU accepts:
 *   88 89 8A 8B A0-A3 C6/0 C7/0   MOV between memory and a register or
 *                                 an immediate
 *   0F B6 B7 BE BF                MOVZX, MOVSX from memory
 *   86 87                         XCHG (atomic per handler call)
 *   00-3B (low bits 0-3), 80 81   ADD OR ADC SBB AND SUB XOR CMP with a
 *   83                            register (either way round) or an
 *                                 immediate, flags as the CPU sets them
 *   84 85, F6 F7 /0               TEST
 * That covers what Linux compiles readl/writel, apic_read/apic_write and
 * their byte and word forms to, and the read-modify-write forms a
 * compiler may choose. Anything else touching MMIO (string instructions,
 * INC/DEC/NOT/NEG, BT*, SSE moves...) gets #GP, which is what Xen does
 * with an instruction its emulator gives up on; Xen's emulator knows
 * far more of them.
 * Segment limits and rights are not checked (the CPU checked them before
 * the access left RAM).
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/mmio.h>
#include <asm/p2m.h>

#define RFLAGS_CF	(1ULL << 0)
#define RFLAGS_PF	(1ULL << 2)
#define RFLAGS_AF	(1ULL << 4)
#define RFLAGS_ZF	(1ULL << 6)
#define RFLAGS_SF	(1ULL << 7)
#define RFLAGS_OF	(1ULL << 11)
#define RFLAGS_ARITH	(RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | \
			 RFLAGS_SF | RFLAGS_OF)

int hvm_mmio_register(struct domain *d, const struct hvm_mmio_ops *ops)
{
	struct arch_domain *a = &d->arch;

	if (a->nr_mmio >= HVM_MMIO_MAX_HANDLERS)
		return -ENOSPC;
	a->mmio[a->nr_mmio++] = ops;
	return 0;
}

static const struct hvm_mmio_ops *mmio_find(struct vcpu *v, uint64_t gpa)
{
	const struct arch_domain *a = &v->domain->arch;
	unsigned int i;

	for (i = 0; i < a->nr_mmio; i++)
		if (a->mmio[i]->accepts(v, gpa))
			return a->mmio[i];
	return NULL;
}

/* ---- Decoding ---------------------------------------------------------- */

enum mmio_kind {
	MMIO_LOAD,		/* reg = mem */
	MMIO_LOAD_ZX,		/* reg = zero-extended mem */
	MMIO_LOAD_SX,		/* reg = sign-extended mem */
	MMIO_STORE,		/* mem = reg or imm */
	MMIO_XCHG,		/* mem <-> reg */
	MMIO_ALU,		/* dst = dst op src (alu), flags */
	MMIO_TEST,		/* flags of mem & src */
};

/* The ALU group in encoding order (opcode bits 3-5, or ModRM.reg). */
enum mmio_alu { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB,
		ALU_XOR, ALU_CMP };

/* What the instruction does, in terms of its memory operand. */
struct mmio_op {
	enum mmio_kind kind;
	enum mmio_alu alu;
	unsigned int size;	/* bytes of the memory operand */
	unsigned int reg_size;	/* bytes of the register operand */
	unsigned int reg;	/* register operand, or INSN_REG_NONE */
	bool to_reg;		/* ALU: the register is the destination */
	uint64_t imm;		/* the immediate when reg is NONE */
};

static uint64_t size_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

static void set_imm(const struct insn *in, struct mmio_op *op)
{
	op->reg = INSN_REG_NONE;
	op->imm = (uint64_t)insn_imm_sext(in) & size_mask(op->size);
}

static int decode_0f(const struct insn *in, struct mmio_op *op)
{
	switch (in->opcode) {
	case 0xb6:
	case 0xb7:
		op->kind = MMIO_LOAD_ZX;
		break;
	case 0xbe:
	case 0xbf:
		op->kind = MMIO_LOAD_SX;
		break;
	default:
		return -EOPNOTSUPP;
	}
	op->size = in->opcode & 1 ? 2 : 1;
	return 0;
}

/* The one-byte opcodes; in->op_bytes is already 1 for the byte forms. */
static int decode_1byte(const struct insn *in, struct mmio_op *op)
{
	uint8_t o = in->opcode;

	switch (o) {
	case 0x88: case 0x89:
		op->kind = MMIO_STORE;
		return 0;
	case 0x8a: case 0x8b:
		op->kind = MMIO_LOAD;
		return 0;
	case 0xa0: case 0xa1:		/* moffs: the register is rAX */
		op->kind = MMIO_LOAD;
		op->reg = 0;
		return 0;
	case 0xa2: case 0xa3:
		op->kind = MMIO_STORE;
		op->reg = 0;
		return 0;
	case 0xc6: case 0xc7:
		if (in->reg & 7)
			return -EOPNOTSUPP;
		op->kind = MMIO_STORE;
		set_imm(in, op);
		return 0;
	case 0x86: case 0x87:
		op->kind = MMIO_XCHG;
		return 0;
	case 0x00 ... 0x3f:
		if ((o & 7) > 3)
			return -EOPNOTSUPP;	/* no ModRM operand */
		op->kind = MMIO_ALU;
		op->alu = o >> 3;
		op->to_reg = o & 2;
		return 0;
	case 0x80: case 0x81: case 0x83:
		op->kind = MMIO_ALU;
		op->alu = in->reg & 7;
		set_imm(in, op);
		return 0;
	case 0x84: case 0x85:
		op->kind = MMIO_TEST;
		return 0;
	case 0xf6: case 0xf7:
		if ((in->reg & 7) > 1)	/* /1 is an alias of /0 */
			return -EOPNOTSUPP;
		op->kind = MMIO_TEST;
		set_imm(in, op);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static int mmio_decode(const struct insn *in, struct mmio_op *op)
{
	memset(op, 0, sizeof(*op));
	if (!in->has_mem || (in->prefixes & INSN_PFX_VEX))
		return -EOPNOTSUPP;
	op->size = op->reg_size = in->op_bytes;
	op->reg = in->reg;
	if (in->map == INSN_MAP_0F)
		return decode_0f(in, op);
	if (in->map == INSN_MAP_1BYTE)
		return decode_1byte(in, op);
	return -EOPNOTSUPP;
}

/* ---- Registers and flags ----------------------------------------------- */

/* Without REX, byte registers 4-7 are AH, CH, DH, BH. */
static bool high_byte_reg(const struct insn *in, unsigned int n,
			  unsigned int size)
{
	return size == 1 && !in->has_rex && n >= 4 && n < 8;
}

static uint64_t reg_read(struct vcpu *v, const struct insn *in,
			 unsigned int n, unsigned int size)
{
	if (high_byte_reg(in, n, size))
		return (*guest_gpr(&v->regs, n - 4) >> 8) & 0xff;
	return *guest_gpr(&v->regs, n) & size_mask(size);
}

/*
 * As the CPU writes a register: 8- and 16-bit results merge into it,
 * 32-bit ones zero-extend (outside 64-bit mode the upper half is
 * undefined, and zero is what the CPUs leave), 64-bit ones replace it.
 */
static void reg_write(struct vcpu *v, const struct insn *in, unsigned int n,
		      unsigned int size, uint64_t val)
{
	uint64_t *r;

	if (high_byte_reg(in, n, size)) {
		r = guest_gpr(&v->regs, n - 4);
		*r = (*r & ~0xff00ULL) | ((val & 0xff) << 8);
		return;
	}
	r = guest_gpr(&v->regs, n);
	if (size == 4)
		*r = (uint32_t)val;
	else if (size == 8)
		*r = val;
	else
		*r = (*r & ~size_mask(size)) | (val & size_mask(size));
}

/* ZF, SF and PF of a result, the other arithmetic flags given. */
static void set_flags(struct vcpu *v, uint64_t res, unsigned int size,
		      uint64_t others)
{
	uint64_t f = (v->regs.rflags & ~RFLAGS_ARITH) | others;

	res &= size_mask(size);
	if (!res)
		f |= RFLAGS_ZF;
	if ((res >> (8 * size - 1)) & 1)
		f |= RFLAGS_SF;
	if (!__builtin_parity((unsigned int)(res & 0xff)))
		f |= RFLAGS_PF;
	v->regs.rflags = f;
}

/*
 * dst op src at size bytes, as the CPU computes it and its flags: CF
 * the carry (borrow) out, OF the signed overflow, AF the carry out of
 * bit 3; logic ops clear CF and OF (AF, undefined there, cleared too).
 */
static uint64_t alu(struct vcpu *v, enum mmio_alu op, uint64_t a, uint64_t b,
		    unsigned int size)
{
	unsigned int bits = 8 * size;
	uint64_t m = size_mask(size), res, f = 0;
	unsigned int cin = (op == ALU_ADC || op == ALU_SBB) &&
			   (v->regs.rflags & RFLAGS_CF);
	unsigned __int128 wide;

	a &= m;
	b &= m;
	switch (op) {
	case ALU_ADD:
	case ALU_ADC:
		wide = (unsigned __int128)a + b + cin;
		res = (uint64_t)wide & m;
		if ((wide >> bits) & 1)
			f |= RFLAGS_CF;
		if ((((a ^ res) & (b ^ res)) >> (bits - 1)) & 1)
			f |= RFLAGS_OF;
		break;
	case ALU_SBB:
	case ALU_SUB:
	case ALU_CMP:
		res = (a - b - cin) & m;
		if ((unsigned __int128)a < (unsigned __int128)b + cin)
			f |= RFLAGS_CF;
		if ((((a ^ b) & (a ^ res)) >> (bits - 1)) & 1)
			f |= RFLAGS_OF;
		break;
	case ALU_OR:
		res = a | b;
		break;
	case ALU_XOR:
		res = a ^ b;
		break;
	default:
		res = a & b;
		break;
	}
	if (op != ALU_OR && op != ALU_AND && op != ALU_XOR &&
	    (((a ^ b ^ res) >> 4) & 1))
		f |= RFLAGS_AF;
	set_flags(v, res, size, f);
	return res;
}

/* ---- The access -------------------------------------------------------- */

/* Where the operand lands: at most two pieces (a page boundary). */
struct mmio_pieces {
	unsigned int nr;
	uint64_t gpa[2];
	unsigned int len[2];
};

static int collect_piece(void *arg, uint64_t gpa, size_t done __unused,
			 size_t len)
{
	struct mmio_pieces *pc = arg;

	pc->gpa[pc->nr] = gpa;
	pc->len[pc->nr++] = len;
	return 0;
}

/*
 * The operand's guest-physical pieces. 0, or the walk failed and the
 * exception is injected or the domain crashed (nothing else to do).
 */
static int mmio_translate(struct vcpu *v, const struct insn *in,
			  const struct mmio_op *op, struct mmio_pieces *pc)
{
	bool alu_to_mem = op->kind == MMIO_ALU && !op->to_reg &&
			  op->alu != ALU_CMP;
	unsigned int access = op->kind == MMIO_STORE ||
			      op->kind == MMIO_XCHG || alu_to_mem ?
			      GW_WRITE : 0;
	struct insn_regs r;
	struct guest_paging p;
	struct guest_fault f;
	uint64_t lin;
	unsigned int i;
	int rc;

	for (i = 0; i < 16; i++)
		r.gpr[i] = *guest_gpr(&v->regs, i);
	for (i = 0; i < INSN_SEG_NR; i++)
		r.seg_base[i] = hvm_ops->vcpu_seg_base(v, i);
	r.rip = v->regs.rip;
	insn_mem_addr(in, &r, NULL, &lin);
	hvm_guest_paging(v, &p);
	if (p.cpl == 3)
		access |= GW_USER;
	pc->nr = 0;
	rc = guest_virt_iterate(&p, lin, op->size, access, collect_piece, pc,
				NULL, &f);
	switch (rc) {
	case 0:
		return 0;
	case -EFAULT:
		hvm_ops->vcpu_inject_exception(v, X86_EXC_PF, true, f.pfec,
					       f.addr);
		return rc;
	case -EINVAL:
		hvm_inject_gp0(v);
		return rc;
	case -EAGAIN:
		return rc;	/* the page tables changed: run it again */
	default:
		vcpu_crash(v, "MMIO emulation: page tables not in RAM");
		return rc;
	}
}

static int piece_read(struct vcpu *v, uint64_t gpa, unsigned int len,
		      uint8_t *buf)
{
	const struct hvm_mmio_ops *h;
	uint64_t val = ~0ULL;
	int rc;

	if (!copy_from_guest_phys(v->domain, buf, gpa, len))
		return 0;
	h = mmio_find(v, gpa);
	if (h) {
		val = 0;
		rc = h->read(v, gpa, len, &val);
		if (rc)
			return rc;
	}
	memcpy(buf, &val, len);		/* little-endian */
	return 0;
}

static int piece_write(struct vcpu *v, uint64_t gpa, unsigned int len,
		       const uint8_t *buf)
{
	const struct hvm_mmio_ops *h;
	uint64_t val = 0;

	if (!copy_to_guest_phys(v->domain, gpa, buf, len))
		return 0;
	h = mmio_find(v, gpa);
	if (!h)
		return 0;
	memcpy(&val, buf, len);
	return h->write(v, gpa, len, val);
}

static int mmio_read(struct vcpu *v, const struct mmio_pieces *pc,
		     uint64_t *val)
{
	uint8_t buf[8];
	unsigned int i, off = 0;
	int rc;

	for (i = 0; i < pc->nr; off += pc->len[i++]) {
		rc = piece_read(v, pc->gpa[i], pc->len[i], buf + off);
		if (rc)
			return rc;
	}
	*val = 0;
	memcpy(val, buf, off);
	return 0;
}

static int mmio_write(struct vcpu *v, const struct mmio_pieces *pc,
		      uint64_t val)
{
	const uint8_t *buf = (const uint8_t *)&val;
	unsigned int i, off = 0;
	int rc;

	for (i = 0; i < pc->nr; off += pc->len[i++]) {
		rc = piece_write(v, pc->gpa[i], pc->len[i], buf + off);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- Execution --------------------------------------------------------- */

static uint64_t sign_extend(uint64_t val, unsigned int size)
{
	unsigned int shift = 64 - 8 * size;

	return (uint64_t)((int64_t)(val << shift) >> shift);
}

/* The source operand of a store or an ALU op: register or immediate. */
static uint64_t src_of(struct vcpu *v, const struct insn *in,
		       const struct mmio_op *op)
{
	if (op->reg == INSN_REG_NONE)
		return op->imm;
	return reg_read(v, in, op->reg, op->reg_size);
}

/* 0, or an exception was injected / the domain crashed by a handler. */
static int mmio_execute(struct vcpu *v, const struct insn *in,
			const struct mmio_op *op,
			const struct mmio_pieces *pc)
{
	uint64_t mem = 0, res, flags = v->regs.rflags;
	int rc = 0;

	if (op->kind != MMIO_STORE) {
		rc = mmio_read(v, pc, &mem);
		if (rc)
			return rc;
	}
	switch (op->kind) {
	case MMIO_LOAD:
	case MMIO_LOAD_ZX:
		reg_write(v, in, op->reg, op->reg_size, mem);
		break;
	case MMIO_LOAD_SX:
		reg_write(v, in, op->reg, op->reg_size,
			  sign_extend(mem, op->size));
		break;
	case MMIO_STORE:
		rc = mmio_write(v, pc, src_of(v, in, op));
		break;
	case MMIO_XCHG:
		rc = mmio_write(v, pc, src_of(v, in, op));
		if (!rc)
			reg_write(v, in, op->reg, op->reg_size, mem);
		break;
	case MMIO_TEST:
		alu(v, ALU_AND, mem, src_of(v, in, op), op->size);
		break;
	case MMIO_ALU:
		if (op->to_reg) {
			res = alu(v, op->alu, reg_read(v, in, op->reg,
						       op->reg_size),
				  mem, op->size);
			if (op->alu != ALU_CMP)
				reg_write(v, in, op->reg, op->reg_size, res);
		} else {
			res = alu(v, op->alu, mem, src_of(v, in, op),
				  op->size);
			if (op->alu != ALU_CMP)
				rc = mmio_write(v, pc, res);
		}
		break;
	}
	if (rc)
		v->regs.rflags = flags;	/* the instruction did not happen */
	return rc;
}

static void mmio_emulate(struct vcpu *v, uint64_t gpa)
{
	struct mmio_pieces pc;
	struct mmio_op op;
	struct insn in;

	if (hvm_fetch_insn(v, &in))
		return;
	if (mmio_decode(&in, &op)) {
		printk("(lamina) d%uv%u: MMIO at %#lx: instruction %s%02x "
		       "at %#lx not emulated: #GP\n", v->domain->domain_id,
		       v->vcpu_id, gpa, in.map == INSN_MAP_0F ? "0f " : "",
		       in.opcode, v->regs.rip);
		hvm_inject_gp0(v);
		return;
	}
	if (mmio_translate(v, &in, &op, &pc) ||
	    mmio_execute(v, &in, &op, &pc))
		return;
	hvm_ops->vcpu_skip_insn(v, in.len);
}

/* May the access the fault reports go to this frame as memory now? */
static bool frame_ok(struct domain *d, uint64_t gpa, unsigned int flags)
{
	enum p2m_type t;

	p2m_lookup(d, PFN_DOWN(gpa), &t, NULL);
	if (flags & HVM_NPF_FETCH)
		return t == P2M_RAM;
	return p2m_lookup_ram(d, PFN_DOWN(gpa), flags & HVM_NPF_WRITE) !=
	       INVALID_MFN;
}

void hvm_npf(struct vcpu *v, uint64_t gpa, unsigned int flags)
{
	struct domain *d = v->domain;

	if (frame_ok(d, gpa, flags))
		return;
	if (flags & (HVM_NPF_FETCH | HVM_NPF_WALK | HVM_NPF_DELIVERY)) {
		printk("(lamina) d%uv%u: %s at GPA %#lx outside RAM\n",
		       d->domain_id, v->vcpu_id,
		       flags & HVM_NPF_FETCH ? "instruction fetch" :
		       flags & HVM_NPF_WALK ? "guest page-table access" :
		       "event delivery", gpa);
		vcpu_crash(v, "access outside guest RAM");
		return;
	}
	mmio_emulate(v, gpa);
}
