/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 instruction decoder for intercepted guest instructions.
 *
 * Without NRIP save or decode assists (QEMU's SVM model has neither) the
 * hypervisor must find the length of every instruction it skips and the
 * operands of every instruction it emulates (MMIO after a nested page
 * fault, string I/O). insn_decode() does that for the one-byte, 0F, 0F38
 * and 0F3A maps and for VEX (C4/C5); it does not execute anything.
 *
 * Return values of insn_decode():
 *   0            decoded; every field below is valid.
 *   -EFAULT      the bytes ran out (avail too small) before the
 *                instruction ended. If avail < INSN_MAX_LEN the caller
 *                should fetch more (or inject the fault that stopped the
 *                fetch); in->len is meaningless.
 *   -EINVAL      the instruction is longer than 15 bytes (#GP on
 *                hardware) or cannot be executed (#UD): an opcode that
 *                is undefined or invalid in this mode, LOCK/66/F2/F3/REX
 *                before VEX, a bad VEX map.
 *   -EOPNOTSUPP  EVEX (62) and AMD XOP (8F) encodings: valid on some
 *                CPUs, not decoded here.
 * Length errors take priority: a 16-byte run of prefixes is -EINVAL
 * even when fewer than 16 bytes are available but 15 are.
 *
 * Choices where CPUs differ (Intel's behaviour is taken):
 *   - In 64-bit mode near branches (Jcc, JMP, CALL, RET, LOOP) ignore 66:
 *     their displacement is always 8 or 32 bits (AMD honours 66).
 *   - 0F FF (UD0) has a ModRM byte (AMD: none).
 *   - AMD's EXTRQ/INSERTQ immediate forms (66/F2 0F 78) are not decoded
 *     as such: 0F 78/79 are VMREAD/VMWRITE (ModRM, no immediate).
 */
#ifndef ASM_X86_HVM_INSN_H
#define ASM_X86_HVM_INSN_H

#include <lamina/types.h>

#define INSN_MAX_LEN	15

/* Default operand/address size of the code segment. */
enum insn_mode {
	INSN_MODE_16,	/* real, virtual-8086, 16-bit protected (CS.D=0) */
	INSN_MODE_32,	/* 32-bit protected or compatibility mode (CS.D=1) */
	INSN_MODE_64,	/* 64-bit mode (EFER.LMA=1, CS.L=1) */
};

/* The mode from the guest state: CS.L only counts with EFER.LMA. */
static inline enum insn_mode insn_mode_of(bool efer_lma, bool cs_l, bool cs_d)
{
	if (efer_lma && cs_l)
		return INSN_MODE_64;
	return cs_d ? INSN_MODE_32 : INSN_MODE_16;
}

enum insn_map {
	INSN_MAP_1BYTE,
	INSN_MAP_0F,
	INSN_MAP_0F38,
	INSN_MAP_0F3A,
};

/* Legacy prefixes seen (in->prefixes). */
#define INSN_PFX_OPSIZE	(1u << 0)	/* 66 */
#define INSN_PFX_ADSIZE	(1u << 1)	/* 67 */
#define INSN_PFX_LOCK	(1u << 2)	/* F0 */
#define INSN_PFX_REPNE	(1u << 3)	/* F2 */
#define INSN_PFX_REP	(1u << 4)	/* F3 (REP/REPE) */
#define INSN_PFX_VEX	(1u << 5)	/* C4/C5: see in->vex_* */

/* Segment registers, in the encoding order of MOV Sreg. */
enum insn_seg {
	INSN_SEG_ES, INSN_SEG_CS, INSN_SEG_SS, INSN_SEG_DS,
	INSN_SEG_FS, INSN_SEG_GS,
	INSN_SEG_NR,
	INSN_SEG_NONE = 0xff,
};

/* General registers in encoding order (0 = rAX ... 15 = R15). */
#define INSN_REG_NONE	0xff
#define INSN_REG_SP	4
#define INSN_REG_BP	5
#define INSN_REG_SI	6
#define INSN_REG_DI	7
#define INSN_REG_RIP	0xfe		/* mem.base of a RIP-relative operand */

/* REX bits (in->rex, 0 when there is no REX prefix). */
#define INSN_REX_B	0x1
#define INSN_REX_X	0x2
#define INSN_REX_R	0x4
#define INSN_REX_W	0x8

struct insn_mem {
	uint8_t base;		/* register, INSN_REG_RIP or INSN_REG_NONE */
	uint8_t index;		/* register or INSN_REG_NONE */
	uint8_t scale;		/* 1, 2, 4 or 8 */
	uint8_t seg;		/* effective segment (override or default) */
	int64_t disp;		/* sign-extended; moffs: the full offset */
};

struct insn {
	uint8_t len;		/* total length in bytes */
	uint8_t mode;		/* enum insn_mode it was decoded in */
	uint8_t prefixes;	/* INSN_PFX_* */
	uint8_t nr_prefixes;	/* legacy prefix bytes, REX and VEX excluded */
	uint8_t seg_override;	/* last segment prefix or INSN_SEG_NONE */
	uint8_t rex;		/* REX byte low bits (effective REX only) */
	bool has_rex;		/* a REX byte was in effect (byte regs!) */
	uint8_t map;		/* enum insn_map */
	uint8_t opcode;
	uint8_t opcode_off;	/* first byte after the prefixes (0F, C4...) */

	bool has_modrm;
	uint8_t modrm;
	uint8_t mod;		/* 0..3 (3 = register operand) */
	uint8_t reg;		/* ModRM.reg with REX.R (0..15) */
	uint8_t rm;		/* ModRM.rm with REX.B when mod == 3 */
	bool has_sib;
	uint8_t sib;

	uint8_t disp_bytes;	/* 0, 1, 2 or 4 (8 for 64-bit moffs) */
	uint8_t disp_off;
	uint8_t imm_bytes;	/* 0, 1, 2, 4 or 8 */
	uint8_t imm_off;
	uint64_t imm;		/* raw, zero-extended */
	uint64_t imm2;		/* ENTER's Ib, far pointer's selector */

	uint8_t op_bytes;	/* effective operand size: 1, 2, 4 or 8 */
	uint8_t addr_bytes;	/* effective address size: 2, 4 or 8 */

	bool has_mem;		/* ModRM memory operand or moffs */
	bool rip_rel;		/* RIP- (or EIP-) relative memory operand */
	struct insn_mem mem;

	/* VEX fields, valid when prefixes & INSN_PFX_VEX. */
	uint8_t vex_vvvv;	/* the extra register, un-inverted */
	uint8_t vex_l;
	uint8_t vex_pp;		/* implied prefix: 0 none, 1 66, 2 F3, 3 F2 */
};

int insn_decode(struct insn *in, const uint8_t *bytes, size_t avail,
		enum insn_mode mode);

/* The immediate sign-extended from its size (0 if none). */
static inline int64_t insn_imm_sext(const struct insn *in)
{
	unsigned int shift = 64 - 8 * in->imm_bytes;

	if (!in->imm_bytes || in->imm_bytes == 8)
		return (int64_t)in->imm;
	return (int64_t)(in->imm << shift) >> shift;
}

/* Guest state needed to compute effective addresses. */
struct insn_regs {
	uint64_t gpr[16];		/* encoding order: rAX, rCX, ... R15 */
	uint64_t rip;			/* address of the first byte */
	uint64_t seg_base[INSN_SEG_NR];
};

/*
 * The memory operand's offset within its segment (*off, truncated to the
 * address size) and its linear address (*linear: segment base added; in
 * 64-bit mode only FS and GS have a base, elsewhere it wraps at 4 GiB).
 * Segment limits and rights are not checked. -EINVAL if the instruction
 * has no ModRM/moffs memory operand. Either pointer may be NULL.
 */
int insn_mem_addr(const struct insn *in, const struct insn_regs *r,
		  uint64_t *off, uint64_t *linear);

/*
 * The implicit string operand of MOVS/CMPS/STOS/LODS/SCAS/INS/OUTS:
 * source (dst false) is seg:rSI (DS unless overridden), destination is
 * ES:rDI (no override possible). Registers are truncated to the address
 * size. Returns the linear address as insn_mem_addr() does.
 */
uint64_t insn_string_addr(const struct insn *in, const struct insn_regs *r,
			  bool dst);

/* rCX truncated to the address size: the REP count. */
uint64_t insn_rep_count(const struct insn *in, const struct insn_regs *r);

#endif /* ASM_X86_HVM_INSN_H */
