// SPDX-License-Identifier: GPL-2.0
/*
 * x86 instruction length and operand decoder (see asm/hvm/insn.h).
 *
 * The opcode tables below were written from the opcode maps in the Intel
 * SDM volume 2, appendix A, and the AMD APM volume 3, appendix A. Every
 * opcode byte has one attribute word: whether a ModRM byte follows, what
 * immediate follows, and how the operand size is chosen.
 */
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <asm/hvm/insn.h>

/* Attribute word: low 4 bits are the immediate kind. */
enum {
	I_NONE,
	I_B,		/* 8 bits */
	I_W,		/* 16 bits */
	I_Z,		/* 16 bits with 16-bit operand size, else 32 */
	I_V,		/* the operand size: 16, 32 or 64 bits */
	I_WB,		/* ENTER: 16 bits then 8 bits */
	I_AP,		/* far pointer: offset (16/32 bits) then selector */
	I_MOFFS,	/* memory offset of the address size (A0-A3) */
	I_GRP3,		/* F6/F7: like B/Z, but only for /0 and /1 (TEST) */
};
#define I_MASK		0x000f
#define A_M		0x0010	/* a ModRM byte follows */
#define A_B		0x0020	/* byte operand */
#define A_D64		0x0040	/* 64-bit mode: 64-bit default, 66 gives 16 */
#define A_F64		0x0080	/* 64-bit mode: always 64-bit */
#define A_O32		0x0100	/* at most 32-bit (I/O): REX.W gives 32 */
#define A_I64		0x0200	/* invalid in 64-bit mode */
#define A_UD		0x0400	/* undefined opcode */
#define A_REG		0x0800	/* ModRM.mod ignored, always a register */

#define M		A_M
#define B		A_B

/* One ALU family (ADD, OR, ADC, SBB, AND, SUB, XOR, CMP) at base op. */
#define ALU(op)								\
	[(op) + 0] = M | B, [(op) + 1] = M, [(op) + 2] = M | B,	\
	[(op) + 3] = M, [(op) + 4] = I_B | B, [(op) + 5] = I_Z

/*
 * The one-byte map. Prefix bytes (26 2E 36 3E 64-67 F0 F2 F3), REX
 * (40-4F in 64-bit mode) and the VEX/EVEX/XOP escapes are handled before
 * this table is consulted; 0F selects the two-byte table.
 */
static const uint16_t map1[256] = {
	ALU(0x00), ALU(0x08), ALU(0x10), ALU(0x18),
	ALU(0x20), ALU(0x28), ALU(0x30), ALU(0x38),
	[0x06] = A_I64, [0x07] = A_I64, [0x0e] = A_I64,
	[0x16] = A_I64, [0x17] = A_I64, [0x1e] = A_I64, [0x1f] = A_I64,
	[0x27] = A_I64, [0x2f] = A_I64, [0x37] = A_I64, [0x3f] = A_I64,
	[0x50 ... 0x5f] = A_D64,
	[0x60] = A_I64, [0x61] = A_I64, [0x62] = M | A_I64, [0x63] = M,
	[0x68] = I_Z | A_D64, [0x69] = M | I_Z,
	[0x6a] = I_B | A_D64, [0x6b] = M | I_B,
	[0x6c] = B, [0x6d] = A_O32, [0x6e] = B, [0x6f] = A_O32,
	[0x70 ... 0x7f] = I_B | A_F64,
	[0x80] = M | I_B | B, [0x81] = M | I_Z,
	[0x82] = M | I_B | B | A_I64, [0x83] = M | I_B,
	[0x84] = M | B, [0x85] = M, [0x86] = M | B, [0x87] = M,
	[0x88] = M | B, [0x89] = M, [0x8a] = M | B, [0x8b] = M,
	[0x8c] = M, [0x8d] = M, [0x8e] = M, [0x8f] = M | A_D64,
	[0x9a] = I_AP | A_I64, [0x9c] = A_D64, [0x9d] = A_D64,
	[0xa0] = I_MOFFS | B, [0xa1] = I_MOFFS,
	[0xa2] = I_MOFFS | B, [0xa3] = I_MOFFS,
	[0xa4] = B, [0xa6] = B, [0xa8] = I_B | B, [0xa9] = I_Z,
	[0xaa] = B, [0xac] = B, [0xae] = B,
	[0xb0 ... 0xb7] = I_B | B,
	[0xb8 ... 0xbf] = I_V,
	[0xc0] = M | I_B | B, [0xc1] = M | I_B,
	[0xc2] = I_W | A_F64, [0xc3] = A_F64,
	[0xc4] = M | A_I64, [0xc5] = M | A_I64,
	[0xc6] = M | I_B | B, [0xc7] = M | I_Z,
	[0xc8] = I_WB | A_D64, [0xc9] = A_D64, [0xca] = I_W,
	[0xcd] = I_B, [0xce] = A_I64,
	[0xd0] = M | B, [0xd1] = M, [0xd2] = M | B, [0xd3] = M,
	[0xd4] = I_B | A_I64, [0xd5] = I_B | A_I64, [0xd6] = A_I64,
	[0xd8 ... 0xdf] = M,
	[0xe0 ... 0xe3] = I_B | A_F64,
	[0xe4] = I_B | B, [0xe5] = I_B | A_O32,
	[0xe6] = I_B | B, [0xe7] = I_B | A_O32,
	[0xe8] = I_Z | A_F64, [0xe9] = I_Z | A_F64,
	[0xea] = I_AP | A_I64, [0xeb] = I_B | A_F64,
	[0xec] = B, [0xed] = A_O32, [0xee] = B, [0xef] = A_O32,
	[0xf6] = M | I_GRP3 | B, [0xf7] = M | I_GRP3,
	[0xfe] = M | B, [0xff] = M,
};

/* The two-byte map (0F xx); 0F 38 and 0F 3A are escapes to the next. */
static const uint16_t map0f[256] = {
	[0x00 ... 0x03] = M, [0x04] = A_UD, [0x0a] = A_UD, [0x0c] = A_UD,
	[0x0d] = M, [0x0f] = M | I_B,		/* 3DNow!: suffix opcode */
	[0x10 ... 0x1f] = M,
	[0x20 ... 0x23] = M | A_REG | A_F64,	/* MOV CR/DR */
	[0x24 ... 0x27] = A_UD,
	[0x28 ... 0x2f] = M,
	[0x36] = A_UD, [0x39] = A_UD, [0x3b ... 0x3f] = A_UD,
	[0x40 ... 0x6f] = M,
	[0x70 ... 0x73] = M | I_B, [0x74 ... 0x76] = M,
	[0x78 ... 0x79] = M | A_F64,		/* VMREAD/VMWRITE */
	[0x7a ... 0x7b] = A_UD, [0x7c ... 0x7f] = M,
	[0x80 ... 0x8f] = I_Z | A_F64,
	[0x90 ... 0x9f] = M | B,
	[0xa0] = A_D64, [0xa1] = A_D64, [0xa3] = M, [0xa4] = M | I_B,
	[0xa5] = M, [0xa6 ... 0xa7] = A_UD, [0xa8] = A_D64, [0xa9] = A_D64,
	[0xab] = M, [0xac] = M | I_B, [0xad ... 0xaf] = M,
	[0xb0] = M | B, [0xb1 ... 0xb9] = M, [0xba] = M | I_B,
	[0xbb ... 0xbf] = M,
	[0xc0] = M | B, [0xc1] = M, [0xc2] = M | I_B, [0xc3] = M,
	[0xc4 ... 0xc6] = M | I_B, [0xc7] = M,
	[0xd0 ... 0xff] = M,
};

#undef M
#undef B

/* Decoding cursor over the caller's bytes. */
struct cursor {
	const uint8_t *bytes;
	size_t avail;
	unsigned int pos;
};

/* The byte at pos + ahead, without consuming it. */
static int peek(const struct cursor *c, unsigned int ahead, uint8_t *v)
{
	unsigned int at = c->pos + ahead;

	if (at >= INSN_MAX_LEN)
		return -EINVAL;
	if (at >= c->avail)
		return -EFAULT;
	*v = c->bytes[at];
	return 0;
}

static int next_byte(struct cursor *c, uint8_t *v)
{
	int rc = peek(c, 0, v);

	if (!rc)
		c->pos++;
	return rc;
}

/* n little-endian bytes, zero-extended. */
static int next_bytes(struct cursor *c, unsigned int n, uint64_t *v)
{
	uint64_t val = 0;
	unsigned int i;
	uint8_t b;
	int rc;

	for (i = 0; i < n; i++) {
		rc = next_byte(c, &b);
		if (rc)
			return rc;
		val |= (uint64_t)b << (8 * i);
	}
	*v = val;
	return 0;
}

/* Record b if it is a legacy prefix; false if it is not one. */
static bool legacy_prefix(struct insn *in, uint8_t b)
{
	static const uint8_t seg_of[4] = {
		INSN_SEG_ES, INSN_SEG_CS, INSN_SEG_SS, INSN_SEG_DS,
	};

	if ((b & 0xe7) == 0x26) {		/* 26 2E 36 3E */
		in->seg_override = seg_of[(b >> 3) & 3];
	} else if (b == 0x64 || b == 0x65) {
		in->seg_override = INSN_SEG_FS + (b - 0x64);
	} else if (b == 0x66) {
		in->prefixes |= INSN_PFX_OPSIZE;
	} else if (b == 0x67) {
		in->prefixes |= INSN_PFX_ADSIZE;
	} else if (b == 0xf0) {
		in->prefixes |= INSN_PFX_LOCK;
	} else if (b == 0xf2) {
		in->prefixes = (in->prefixes & ~INSN_PFX_REP) | INSN_PFX_REPNE;
	} else if (b == 0xf3) {
		in->prefixes = (in->prefixes & ~INSN_PFX_REPNE) | INSN_PFX_REP;
	} else {
		return false;
	}
	return true;
}

/*
 * Legacy prefixes and REX. A REX byte only counts when the opcode (or
 * another REX) follows it: a legacy prefix after it cancels it. Of F2
 * and F3 the last one wins, as for the mandatory-prefix rule.
 */
static int decode_prefixes(struct insn *in, struct cursor *c)
{
	uint8_t b;
	int rc;

	for (;;) {
		rc = peek(c, 0, &b);
		if (rc)
			return rc;
		if (legacy_prefix(in, b)) {
			in->nr_prefixes++;
			in->rex = 0;
			in->has_rex = false;
		} else if (in->mode == INSN_MODE_64 && (b & 0xf0) == 0x40) {
			in->rex = b & 0xf;
			in->has_rex = true;
		} else {
			return 0;
		}
		c->pos++;
	}
}

/* VEX immediates: every 0F3A opcode, and a few in the 0F map. */
static bool vex_has_imm8(uint8_t map, uint8_t op)
{
	if (map == INSN_MAP_0F3A)
		return true;
	return map == INSN_MAP_0F &&
	       ((op >= 0x70 && op <= 0x73) || op == 0xc2 ||
		(op >= 0xc4 && op <= 0xc6));
}

/*
 * A two- (C5) or three-byte (C4) VEX prefix, then the opcode. Returns the
 * attribute word for the opcode. The inverted R/X/B bits only exist in
 * 64-bit mode; elsewhere they are 1 and ignored, as is vvvv's top bit.
 */
static int decode_vex(struct insn *in, struct cursor *c, uint8_t esc,
		      uint16_t *attr)
{
	static const uint8_t vex_map[4] = {
		0, INSN_MAP_0F, INSN_MAP_0F38, INSN_MAP_0F3A,
	};
	uint8_t p1, p2, rxb, mmmmm;
	int rc;

	if ((in->prefixes & (INSN_PFX_OPSIZE | INSN_PFX_LOCK |
			     INSN_PFX_REP | INSN_PFX_REPNE)) || in->has_rex)
		return -EINVAL;
	rc = next_byte(c, &p1);
	if (rc)
		return rc;
	if (esc == 0xc5) {
		rxb = (~p1 >> 5) & 4;
		mmmmm = 1;
		p2 = p1 & 0x7f;
	} else {
		rxb = (~p1 >> 5) & 7;
		mmmmm = p1 & 0x1f;
		rc = next_byte(c, &p2);
		if (rc)
			return rc;
	}
	if (mmmmm < 1 || mmmmm > 3)
		return -EINVAL;
	in->prefixes |= INSN_PFX_VEX;
	in->map = vex_map[mmmmm];
	in->vex_vvvv = (~p2 >> 3) & 0xf;
	in->vex_l = (p2 >> 2) & 1;
	in->vex_pp = p2 & 3;
	if (in->mode == INSN_MODE_64)
		in->rex = rxb | (p2 & 0x80 ? INSN_REX_W : 0);
	else
		in->vex_vvvv &= 7;
	rc = next_byte(c, &in->opcode);
	if (rc)
		return rc;
	*attr = 0;
	if (in->map != INSN_MAP_0F || in->opcode != 0x77)
		*attr |= A_M;
	if (vex_has_imm8(in->map, in->opcode))
		*attr |= I_B;
	return 0;
}

/* After the prefixes: the opcode (through 0F, 0F38, 0F3A or VEX). */
static int decode_opcode(struct insn *in, struct cursor *c, uint16_t *attr)
{
	uint8_t b, nx;
	int rc;

	rc = next_byte(c, &b);
	if (rc)
		return rc;
	in->opcode_off = c->pos - 1;
	if (b == 0xc4 || b == 0xc5 || b == 0x62 || b == 0x8f) {
		rc = peek(c, 0, &nx);
		if (rc)
			return rc;
		/* Outside 64-bit mode LES/LDS/BOUND need a memory operand. */
		if (b != 0x8f && (in->mode == INSN_MODE_64 || nx >= 0xc0)) {
			if (b == 0x62)
				return -EOPNOTSUPP;	/* EVEX */
			return decode_vex(in, c, b, attr);
		}
		if (b == 0x8f && (nx & 0x1f) >= 8)
			return -EOPNOTSUPP;		/* XOP */
	}
	in->map = INSN_MAP_1BYTE;
	in->opcode = b;
	*attr = map1[b];
	if (b != 0x0f)
		return 0;
	rc = next_byte(c, &b);
	if (rc)
		return rc;
	in->map = INSN_MAP_0F;
	in->opcode = b;
	*attr = map0f[b];
	if (b != 0x38 && b != 0x3a)
		return 0;
	in->map = b == 0x38 ? INSN_MAP_0F38 : INSN_MAP_0F3A;
	*attr = b == 0x38 ? A_M : A_M | I_B;
	return next_byte(c, &in->opcode);
}

/* Effective operand and address sizes from mode, prefixes and attr. */
static void set_sizes(struct insn *in, uint16_t attr)
{
	bool o16 = in->prefixes & INSN_PFX_OPSIZE;
	bool a67 = in->prefixes & INSN_PFX_ADSIZE;

	switch (in->mode) {
	case INSN_MODE_16:
		in->addr_bytes = a67 ? 4 : 2;
		in->op_bytes = o16 ? 4 : 2;
		break;
	case INSN_MODE_32:
		in->addr_bytes = a67 ? 2 : 4;
		in->op_bytes = o16 ? 2 : 4;
		break;
	default:
		in->addr_bytes = a67 ? 4 : 8;
		if (attr & A_F64)
			in->op_bytes = 8;
		else if (in->rex & INSN_REX_W)	/* beats 66, even for I/O */
			in->op_bytes = attr & A_O32 ? 4 : 8;
		else if (o16)
			in->op_bytes = 2;
		else
			in->op_bytes = attr & A_D64 ? 8 : 4;
		break;
	}
	if (attr & A_B)
		in->op_bytes = 1;
}

static int read_disp(struct insn *in, struct cursor *c, unsigned int n)
{
	uint64_t v;
	int rc;

	in->disp_off = c->pos;
	in->disp_bytes = n;
	rc = next_bytes(c, n, &v);
	if (rc)
		return rc;
	if (n == 1)
		in->mem.disp = (int8_t)v;
	else if (n == 2)
		in->mem.disp = (int16_t)v;
	else
		in->mem.disp = (int32_t)v;
	return 0;
}

/* 16-bit addressing: BX+SI, BX+DI, BP+SI, BP+DI, SI, DI, BP, BX. */
static int decode_ea16(struct insn *in, struct cursor *c)
{
	static const uint8_t base[8] = { 3, 3, 5, 5, 6, 7, 5, 3 };
	static const uint8_t index[8] = {
		6, 7, 6, 7, INSN_REG_NONE, INSN_REG_NONE,
		INSN_REG_NONE, INSN_REG_NONE,
	};
	unsigned int rm = in->modrm & 7;

	if (in->mod == 0 && rm == 6)
		return read_disp(in, c, 2);	/* disp16 alone */
	in->mem.base = base[rm];
	in->mem.index = index[rm];
	return in->mod ? read_disp(in, c, in->mod == 1 ? 1 : 2) : 0;
}

/*
 * 32/64-bit addressing. The special encodings (SIB for rm=100, disp32 or
 * RIP-relative for mod=00 rm=101, no base for SIB base=101 with mod=00,
 * no index for index=100) look at the 3-bit fields before REX extends
 * them; an index of 100 with REX.X is R12 and does count.
 */
static int decode_ea32(struct insn *in, struct cursor *c)
{
	unsigned int rm = in->modrm & 7;
	unsigned int rex_b = in->rex & INSN_REX_B ? 8 : 0;
	unsigned int idx;
	int rc;

	if (rm == 4) {
		rc = next_byte(c, &in->sib);
		if (rc)
			return rc;
		in->has_sib = true;
		in->mem.scale = 1 << (in->sib >> 6);
		idx = ((in->sib >> 3) & 7) | (in->rex & INSN_REX_X ? 8 : 0);
		if (idx != 4)
			in->mem.index = idx;
		if ((in->sib & 7) == 5 && in->mod == 0)
			return read_disp(in, c, 4);
		in->mem.base = (in->sib & 7) | rex_b;
	} else if (rm == 5 && in->mod == 0) {
		if (in->mode == INSN_MODE_64) {
			in->mem.base = INSN_REG_RIP;
			in->rip_rel = true;
		}
		return read_disp(in, c, 4);
	} else {
		in->mem.base = rm | rex_b;
	}
	if (in->mod)
		return read_disp(in, c, in->mod == 1 ? 1 : 4);
	return 0;
}

static int decode_modrm(struct insn *in, struct cursor *c, uint16_t attr)
{
	int rc;

	rc = next_byte(c, &in->modrm);
	if (rc)
		return rc;
	in->has_modrm = true;
	in->mod = attr & A_REG ? 3 : in->modrm >> 6;
	in->reg = ((in->modrm >> 3) & 7) | (in->rex & INSN_REX_R ? 8 : 0);
	in->rm = in->modrm & 7;
	if (in->mod == 3) {
		in->rm |= in->rex & INSN_REX_B ? 8 : 0;
		return 0;
	}
	in->has_mem = true;
	in->mem.scale = 1;
	rc = in->addr_bytes == 2 ? decode_ea16(in, c) : decode_ea32(in, c);
	if (rc)
		return rc;
	if (in->mem.base == INSN_REG_SP || in->mem.base == INSN_REG_BP)
		in->mem.seg = INSN_SEG_SS;
	return 0;
}

/* Bytes of the immediate of this kind (0 for none or moffs). */
static unsigned int imm_size(const struct insn *in, unsigned int kind)
{
	unsigned int z = in->op_bytes == 2 ? 2 : 4;

	switch (kind) {
	case I_B:
		return 1;
	case I_W:
		return 2;
	case I_Z:
		return z;
	case I_V:
		return in->op_bytes;
	case I_GRP3:
		if ((in->reg & 7) > 1)
			return 0;
		return in->op_bytes == 1 ? 1 : z;
	default:
		return 0;
	}
}

static int decode_imm(struct insn *in, struct cursor *c, uint16_t attr)
{
	unsigned int kind = attr & I_MASK;
	int rc;

	if (kind == I_MOFFS) {
		in->has_mem = true;
		in->mem.scale = 1;
		in->disp_off = c->pos;
		in->disp_bytes = in->addr_bytes;
		return next_bytes(c, in->addr_bytes, (uint64_t *)&in->mem.disp);
	}
	in->imm_off = c->pos;
	if (kind == I_WB || kind == I_AP) {
		in->imm_bytes = kind == I_WB || in->op_bytes == 2 ? 2 : 4;
		rc = next_bytes(c, in->imm_bytes, &in->imm);
		if (rc)
			return rc;
		return next_bytes(c, kind == I_WB ? 1 : 2, &in->imm2);
	}
	in->imm_bytes = imm_size(in, kind);
	return next_bytes(c, in->imm_bytes, &in->imm);
}

/* FF /2 and /4 (near CALL/JMP) are 64-bit, /6 (PUSH) defaults to it. */
static uint16_t group5_attr(const struct insn *in, uint16_t attr)
{
	unsigned int r = in->reg & 7;

	if (in->map != INSN_MAP_1BYTE || in->opcode != 0xff)
		return attr;
	if (r == 2 || r == 4)
		return attr | A_F64;
	return r == 6 ? attr | A_D64 : attr;
}

int insn_decode(struct insn *in, const uint8_t *bytes, size_t avail,
		enum insn_mode mode)
{
	struct cursor c = { .bytes = bytes, .avail = avail };
	uint16_t attr;
	int rc;

	memset(in, 0, sizeof(*in));
	in->mode = mode;
	in->seg_override = INSN_SEG_NONE;
	in->mem.base = INSN_REG_NONE;
	in->mem.index = INSN_REG_NONE;
	in->mem.seg = INSN_SEG_DS;
	rc = decode_prefixes(in, &c);
	if (!rc)
		rc = decode_opcode(in, &c, &attr);
	if (rc)
		return rc;
	if ((attr & A_UD) || (mode == INSN_MODE_64 && (attr & A_I64)))
		return -EINVAL;
	set_sizes(in, attr);
	if (attr & A_M) {
		rc = decode_modrm(in, &c, attr);
		if (rc)
			return rc;
		attr = group5_attr(in, attr);
		set_sizes(in, attr);
	}
	rc = decode_imm(in, &c, attr);
	if (rc)
		return rc;
	if (in->has_mem && in->seg_override != INSN_SEG_NONE)
		in->mem.seg = in->seg_override;
	in->len = c.pos;
	return 0;
}

static uint64_t addr_mask(const struct insn *in)
{
	return in->addr_bytes == 8 ? ~0ULL : (1ULL << (8 * in->addr_bytes)) - 1;
}

/* Segment base + offset, with 64-bit mode's flat segments. */
static uint64_t linear_of(const struct insn *in, const struct insn_regs *r,
			  unsigned int seg, uint64_t off)
{
	if (in->mode == INSN_MODE_64)
		return seg >= INSN_SEG_FS ? r->seg_base[seg] + off : off;
	return (r->seg_base[seg] + off) & 0xffffffffULL;
}

int insn_mem_addr(const struct insn *in, const struct insn_regs *r,
		  uint64_t *off, uint64_t *linear)
{
	uint64_t ea;

	if (!in->has_mem)
		return -EINVAL;
	ea = (uint64_t)in->mem.disp;
	if (in->mem.base == INSN_REG_RIP)
		ea += r->rip + in->len;
	else if (in->mem.base != INSN_REG_NONE)
		ea += r->gpr[in->mem.base];
	if (in->mem.index != INSN_REG_NONE)
		ea += r->gpr[in->mem.index] * in->mem.scale;
	ea &= addr_mask(in);
	if (off)
		*off = ea;
	if (linear)
		*linear = linear_of(in, r, in->mem.seg, ea);
	return 0;
}

uint64_t insn_string_addr(const struct insn *in, const struct insn_regs *r,
			  bool dst)
{
	unsigned int seg = INSN_SEG_DS;
	uint64_t off;

	if (dst) {
		seg = INSN_SEG_ES;
		off = r->gpr[INSN_REG_DI];
	} else {
		if (in->seg_override != INSN_SEG_NONE)
			seg = in->seg_override;
		off = r->gpr[INSN_REG_SI];
	}
	return linear_of(in, r, seg, off & addr_mask(in));
}

uint64_t insn_rep_count(const struct insn *in, const struct insn_regs *r)
{
	return r->gpr[1] & addr_mask(in);
}
