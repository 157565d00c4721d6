// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <asm/hvm/insn.h>

struct insn_case {
	enum insn_mode mode;
	unsigned int len;
	const char *bytes;
	const char *text;
};

/* Instructions assembled by GNU as with objdump's lengths. */
static const struct insn_case cases[] = {
#include "insn_cases.h"
};

/* Lengths objdump gives each opcode, by mode, prefix, escape and ModRM. */
struct opmap_row {
	enum insn_mode mode;
	uint8_t pfx, esc, modrm;
	const char *len;	/* 256 hex digits, '.' = not compared */
};

static const struct opmap_row opmap[] = {
#include "insn_opmap.h"
};

#define M16 INSN_MODE_16
#define M32 INSN_MODE_32
#define M64 INSN_MODE_64

/* Decode a string literal's bytes from an exact-size heap copy (ASan). */
static int dec(struct insn *in, const char *s, size_t n, enum insn_mode m)
{
	uint8_t *buf = malloc(n ? n : 1);
	int rc;

	memcpy(buf, s, n);
	rc = insn_decode(in, buf, n, m);
	free(buf);
	return rc;
}

#define DEC(in, lit, m)	dec(in, lit, sizeof(lit) - 1, m)

/* Must decode to the given length. */
#define DEC_OK(in, lit, m, l) do {					\
	int rc__ = DEC(in, lit, m);					\
	ck_assert_int_eq(rc__, 0);					\
	ck_assert_uint_eq((in)->len, l);				\
} while (0)

START_TEST(assembled_lengths)
{
	static const char *const modes[] = { "16", "32", "64" };
	struct insn in;
	unsigned int i;
	int rc;

	ck_assert_uint_gt(ARRAY_SIZE(cases), 800);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct insn_case *c = &cases[i];

		rc = dec(&in, c->bytes, c->len, c->mode);
		ck_assert_msg(rc == 0 && in.len == c->len,
			      "%s-bit \"%s\": rc %d len %u, want %u",
			      modes[c->mode], c->text, rc, in.len, c->len);
		/* One byte short: must ask for more, never read past. */
		rc = dec(&in, c->bytes, c->len - 1, c->mode);
		ck_assert_msg(rc == -EFAULT, "%s-bit \"%s\" truncated: rc %d",
			      modes[c->mode], c->text, rc);
	}
}
END_TEST

/* The bytes gen_opmap.py gave objdump: [pfx] [esc] op modrm 11 22 ... */
static size_t opmap_bytes(const struct opmap_row *r, unsigned int op,
			  uint8_t *b)
{
	size_t n = 0, i;

	if (r->pfx)
		b[n++] = r->pfx;
	if (r->esc)
		b[n++] = r->esc;
	b[n++] = op;
	b[n++] = r->modrm;
	for (i = 1; n < INSN_MAX_LEN; i++)
		b[n++] = 0x11 * i;
	return n;
}

START_TEST(opcode_maps)
{
	unsigned int i, op, compared = 0, want;
	uint8_t b[INSN_MAX_LEN];
	struct insn in;
	size_t n;
	int rc;

	for (i = 0; i < ARRAY_SIZE(opmap); i++) {
		const struct opmap_row *r = &opmap[i];

		for (op = 0; op < 256; op++) {
			if (r->len[op] == '.')
				continue;
			want = r->len[op] <= '9' ? r->len[op] - '0' :
			       r->len[op] - 'a' + 10;
			n = opmap_bytes(r, op, b);
			rc = insn_decode(&in, b, n, r->mode);
			ck_assert_msg(rc == 0 && in.len == want,
				      "mode %d pfx %02x esc %02x op %02x "
				      "modrm %02x: rc %d len %u, want %u",
				      r->mode, r->pfx, r->esc, op, r->modrm,
				      rc, in.len, want);
			compared++;
		}
	}
	ck_assert_uint_gt(compared, 16000);
}
END_TEST

START_TEST(intercepted)
{
	struct insn in;

	DEC_OK(&in, "\x0f\xa2", M64, 2);
	ck_assert_uint_eq(in.map, INSN_MAP_0F);
	ck_assert_uint_eq(in.opcode, 0xa2);
	ck_assert(!in.has_modrm);
	DEC_OK(&in, "\x0f\x01\xd9", M32, 3);		/* VMMCALL */
	ck_assert(in.has_modrm && !in.has_mem);
	ck_assert_uint_eq(in.mod, 3);
	ck_assert_uint_eq(in.reg, 3);
	ck_assert_uint_eq(in.rm, 1);
	DEC_OK(&in, "\xf4", M16, 1);
	ck_assert_uint_eq(in.map, INSN_MAP_1BYTE);
	ck_assert_uint_eq(in.opcode, 0xf4);
	DEC_OK(&in, "\x0f\x01\xf9", M16, 3);		/* RDTSCP */
}
END_TEST

START_TEST(in_out_sizes)
{
	struct insn in;

	DEC_OK(&in, "\xe5\x71", M32, 2);
	ck_assert_uint_eq(in.op_bytes, 4);
	ck_assert_uint_eq(in.imm, 0x71);
	DEC_OK(&in, "\x66\xe5\x71", M32, 3);
	ck_assert_uint_eq(in.op_bytes, 2);
	DEC_OK(&in, "\xe5\x71", M16, 2);
	ck_assert_uint_eq(in.op_bytes, 2);
	DEC_OK(&in, "\xee", M64, 1);
	ck_assert_uint_eq(in.op_bytes, 1);
	DEC_OK(&in, "\x48\xed", M64, 2);		/* REX.W ignored */
	ck_assert_uint_eq(in.op_bytes, 4);
	DEC_OK(&in, "\x66\x48\xed", M64, 3);		/* and beats 66 */
	ck_assert_uint_eq(in.op_bytes, 4);
	DEC_OK(&in, "\x66\xed", M64, 2);
	ck_assert_uint_eq(in.op_bytes, 2);
}
END_TEST

START_TEST(string_io)
{
	struct insn_regs r = { .gpr = { [1] = 0x100000003ULL,
				       [6] = 0x1234567890ULL,
				       [7] = 0xffffffff00001000ULL } };
	struct insn in;

	r.seg_base[INSN_SEG_ES] = 0x10000;
	r.seg_base[INSN_SEG_DS] = 0x20000;
	r.seg_base[INSN_SEG_FS] = 0x30000;
	DEC_OK(&in, "\xf3\x67\x6d", M64, 3);	/* rep insl (%dx),(%edi) */
	ck_assert(in.prefixes & INSN_PFX_REP);
	ck_assert_uint_eq(in.addr_bytes, 4);
	ck_assert_uint_eq(in.op_bytes, 4);
	ck_assert_uint_eq(insn_rep_count(&in, &r), 3);
	ck_assert_uint_eq(insn_string_addr(&in, &r, true), 0x1000);
	DEC_OK(&in, "\xf3\x6e", M64, 2);		/* rep outsb */
	ck_assert_uint_eq(in.op_bytes, 1);
	ck_assert_uint_eq(insn_rep_count(&in, &r), 0x100000003ULL);
	ck_assert_uint_eq(insn_string_addr(&in, &r, false), 0x1234567890ULL);
	DEC_OK(&in, "\x64\xf3\x6e", M64, 3);		/* fs: source */
	ck_assert_uint_eq(insn_string_addr(&in, &r, false),
			  0x1234567890ULL + 0x30000);
	DEC_OK(&in, "\xf3\x66\x6f", M16, 3);		/* rep outsl, 16-bit */
	ck_assert_uint_eq(in.op_bytes, 4);
	ck_assert_uint_eq(in.addr_bytes, 2);
	ck_assert_uint_eq(insn_rep_count(&in, &r), 3);
	ck_assert_uint_eq(insn_string_addr(&in, &r, false), 0x20000 + 0x7890);
	ck_assert_uint_eq(insn_string_addr(&in, &r, true), 0x10000 + 0x1000);
	DEC_OK(&in, "\xf2\xf3\xa4", M32, 3);		/* last of F2/F3 wins */
	ck_assert_uint_eq(in.prefixes & (INSN_PFX_REP | INSN_PFX_REPNE),
			  INSN_PFX_REP);
}
END_TEST

START_TEST(prefix_limit)
{
	uint8_t b[20];
	struct insn in;

	memset(b, 0x66, sizeof(b));
	b[14] = 0x90;
	ck_assert_int_eq(insn_decode(&in, b, 15, M32), 0);
	ck_assert_uint_eq(in.len, 15);
	ck_assert_uint_eq(in.nr_prefixes, 14);
	b[14] = 0x66;
	b[15] = 0x90;
	ck_assert_int_eq(insn_decode(&in, b, 16, M32), -EINVAL);
	ck_assert_int_eq(insn_decode(&in, b, 15, M32), -EINVAL);
	ck_assert_int_eq(insn_decode(&in, b, 20, M64), -EINVAL);
	ck_assert_int_eq(insn_decode(&in, b, 10, M64), -EFAULT);
	/* 11 prefixes + a 4-byte MOV = 15; a 12th prefix makes it 16. */
	memcpy(b + 11, "\x89\x44\x24\x08", 4);
	ck_assert_int_eq(insn_decode(&in, b, 15, M32), 0);
	ck_assert_uint_eq(in.len, 15);
	ck_assert_uint_eq(in.op_bytes, 2);
	ck_assert_int_eq(insn_decode(&in, b + 1, 14, M32), 0);
	memcpy(b + 12, "\x89\x44\x24\x08", 4);
	ck_assert_int_eq(insn_decode(&in, b, 16, M32), -EINVAL);
	/* Limit hit inside the immediate. */
	memset(b, 0x2e, 10);
	memcpy(b + 10, "\xc7\x00\x01\x02\x03\x04", 6);
	ck_assert_int_eq(insn_decode(&in, b, 16, M32), -EINVAL);
	ck_assert_int_eq(insn_decode(&in, b + 1, 15, M32), 0);
	ck_assert_uint_eq(in.seg_override, INSN_SEG_CS);
}
END_TEST

START_TEST(truncated)
{
	struct insn in;

	ck_assert_int_eq(insn_decode(&in, NULL, 0, M64), -EFAULT);
	ck_assert_int_eq(DEC(&in, "\x0f", M64), -EFAULT);
	ck_assert_int_eq(DEC(&in, "\x0f\x38", M64), -EFAULT);
	ck_assert_int_eq(DEC(&in, "\x66\x48", M64), -EFAULT);
	ck_assert_int_eq(DEC(&in, "\x8b", M32), -EFAULT);
	ck_assert_int_eq(DEC(&in, "\x8b\x04", M32), -EFAULT);
	ck_assert_int_eq(DEC(&in, "\x8b\x80\x00\x00\x00", M32), -EFAULT);
	ck_assert_int_eq(DEC(&in, "\xc4\xe2", M64), -EFAULT);
	ck_assert_int_eq(DEC(&in, "\xc5", M64), -EFAULT);
}
END_TEST

START_TEST(rex_rules)
{
	struct insn in;

	DEC_OK(&in, "\x48\x66\x89\x03", M64, 4);	/* REX then 66 */
	ck_assert(!in.has_rex);
	ck_assert_uint_eq(in.op_bytes, 2);
	DEC_OK(&in, "\x66\x48\x89\x03", M64, 4);	/* REX.W beats 66 */
	ck_assert(in.has_rex);
	ck_assert_uint_eq(in.op_bytes, 8);
	DEC_OK(&in, "\x48\x40\x89\x03", M64, 4);	/* last REX counts */
	ck_assert_uint_eq(in.rex, 0);
	ck_assert_uint_eq(in.op_bytes, 4);
	DEC_OK(&in, "\x40\x88\x30", M64, 3);		/* %sil, not %dh */
	ck_assert(in.has_rex);
	ck_assert_uint_eq(in.reg, 6);
	DEC_OK(&in, "\x4c\x89\x03", M64, 3);		/* mov %r8,(%rbx) */
	ck_assert_uint_eq(in.reg, 8);
	ck_assert_uint_eq(in.mem.base, 3);
	DEC_OK(&in, "\x41\x89\x45\x00", M64, 4);	/* 0(%r13): disp8 */
	ck_assert_uint_eq(in.mem.base, 13);
	ck_assert_uint_eq(in.mem.seg, INSN_SEG_DS);
	ck_assert_uint_eq(in.disp_bytes, 1);
	DEC_OK(&in, "\x41\x89\x04\x24", M64, 4);	/* (%r12): SIB */
	ck_assert(in.has_sib);
	ck_assert_uint_eq(in.mem.base, 12);
	ck_assert_uint_eq(in.mem.index, INSN_REG_NONE);
	ck_assert_uint_eq(in.mem.seg, INSN_SEG_DS);
	DEC_OK(&in, "\x42\x8b\x04\x20", M64, 4);	/* (%rax,%r12,1) */
	ck_assert_uint_eq(in.mem.index, 12);
	DEC_OK(&in, "\x41\x0f\x20\xc0", M64, 4);	/* mov %cr0,%r8 */
	ck_assert_uint_eq(in.rm, 8);
	DEC_OK(&in, "\x48", M32, 1);			/* dec %eax */
	ck_assert(!in.has_rex);
	DEC_OK(&in, "\x41\xb8\x01\x00\x00\x00", M64, 6);
	DEC_OK(&in, "\x49\xb8\x01\x00\x00\x00\x00\x00\x00\x00", M64, 10);
	ck_assert_uint_eq(in.imm_bytes, 8);
}
END_TEST

START_TEST(mov_cr_dr)
{
	struct insn in;

	DEC_OK(&in, "\x0f\x22\xd8", M32, 3);		/* mov %eax,%cr3 */
	ck_assert_uint_eq(in.reg, 3);
	ck_assert_uint_eq(in.rm, 0);
	ck_assert_uint_eq(in.op_bytes, 4);
	DEC_OK(&in, "\x0f\x22\x18", M32, 3);		/* mod ignored */
	ck_assert_uint_eq(in.mod, 3);
	ck_assert(!in.has_mem);
	DEC_OK(&in, "\x0f\x20\x80", M64, 3);		/* no disp32 */
	ck_assert_uint_eq(in.op_bytes, 8);
	DEC_OK(&in, "\x44\x0f\x20\xc0", M64, 4);	/* mov %cr8,%rax */
	ck_assert_uint_eq(in.reg, 8);
	DEC_OK(&in, "\x0f\x23\xf8", M16, 3);		/* mov %eax,%dr7 */
	ck_assert_uint_eq(in.reg, 7);
}
END_TEST

START_TEST(rip_relative)
{
	struct insn_regs r = { .rip = 0xffffffff80001000ULL };
	struct insn in;
	uint64_t off, lin;

	DEC_OK(&in, "\x8b\x05\x78\x56\x34\x12", M64, 6);
	ck_assert(in.rip_rel && in.has_mem);
	ck_assert_uint_eq(in.mem.base, INSN_REG_RIP);
	ck_assert_int_eq(in.mem.disp, 0x12345678);
	ck_assert_int_eq(insn_mem_addr(&in, &r, &off, &lin), 0);
	ck_assert_uint_eq(lin, 0xffffffff80001000ULL + 6 + 0x12345678);
	/* The address is relative to the end, immediate included. */
	DEC_OK(&in, "\xc7\x05\xf0\xff\xff\xff\x01\x00\x00\x00", M64, 10);
	ck_assert_int_eq(in.mem.disp, -16);
	ck_assert_uint_eq(in.imm_off, 6);
	ck_assert_uint_eq(in.disp_off, 2);
	ck_assert_int_eq(insn_mem_addr(&in, &r, NULL, &lin), 0);
	ck_assert_uint_eq(lin, 0xffffffff80001000ULL + 10 - 16);
	/* 67: EIP-relative, truncated to 32 bits. */
	DEC_OK(&in, "\x67\x8b\x05\x00\x01\x00\x00", M64, 7);
	ck_assert(in.rip_rel);
	ck_assert_int_eq(insn_mem_addr(&in, &r, &off, NULL), 0);
	ck_assert_uint_eq(off, 0x80001000ULL + 7 + 0x100);
	/* Outside 64-bit mode, and with a SIB, it is an absolute disp32. */
	DEC_OK(&in, "\x8b\x05\x78\x56\x34\x12", M32, 6);
	ck_assert(!in.rip_rel);
	ck_assert_uint_eq(in.mem.base, INSN_REG_NONE);
	DEC_OK(&in, "\x8b\x04\x25\x00\x10\x00\x00", M64, 7);
	ck_assert(!in.rip_rel);
	ck_assert_uint_eq(in.mem.base, INSN_REG_NONE);
	ck_assert_uint_eq(in.mem.index, INSN_REG_NONE);
	ck_assert_int_eq(insn_mem_addr(&in, &r, &off, NULL), 0);
	ck_assert_uint_eq(off, 0x1000);
}
END_TEST

START_TEST(effective_addr)
{
	struct insn_regs r = { .gpr = { 0x10, 0xfffffff0, 0, 0x1000,
				       0x7ff0, 0xfffe, 4, 8 } };
	struct insn in;
	uint64_t off, lin;

	r.seg_base[INSN_SEG_SS] = 0x50000;
	r.seg_base[INSN_SEG_DS] = 0x60000;
	r.seg_base[INSN_SEG_FS] = 0x7000000000ULL;
	/* mov 2(%bp,%si),%ax: SS, wraps at 64 KiB. */
	DEC_OK(&in, "\x8b\x42\x02", M16, 3);
	ck_assert_uint_eq(in.mem.base, INSN_REG_BP);
	ck_assert_uint_eq(in.mem.index, INSN_REG_SI);
	ck_assert_uint_eq(in.mem.seg, INSN_SEG_SS);
	ck_assert_int_eq(insn_mem_addr(&in, &r, &off, &lin), 0);
	ck_assert_uint_eq(off, 4);
	ck_assert_uint_eq(lin, 0x50004);
	/* mov 0x1234,%ax (16-bit disp alone), ES override. */
	DEC_OK(&in, "\x26\x8b\x1e\x34\x12", M16, 5);
	ck_assert_uint_eq(in.mem.seg, INSN_SEG_ES);
	ck_assert_int_eq(insn_mem_addr(&in, &r, &off, &lin), 0);
	ck_assert_uint_eq(lin, 0x1234);
	/* mov 0x10(%ebx,%ecx,4),%eax: wraps at 4 GiB. */
	DEC_OK(&in, "\x8b\x44\x8b\x10", M32, 4);
	ck_assert_uint_eq(in.mem.scale, 4);
	ck_assert_int_eq(insn_mem_addr(&in, &r, &off, &lin), 0);
	ck_assert_uint_eq(off, (0x1000 + 0x3ffffffc0ULL + 0x10) & 0xffffffff);
	ck_assert_uint_eq(lin, (off + 0x60000) & 0xffffffff);
	/* (%esp) defaults to SS, -8(%ebp) too. */
	DEC_OK(&in, "\x8b\x04\x24", M32, 3);
	ck_assert_uint_eq(in.mem.seg, INSN_SEG_SS);
	DEC_OK(&in, "\x8b\x45\xf8", M32, 3);
	ck_assert_uint_eq(in.mem.seg, INSN_SEG_SS);
	ck_assert_int_eq(in.mem.disp, -8);
	/* 64-bit: DS base ignored, FS base used. */
	DEC_OK(&in, "\x3e\x48\x8b\x00", M64, 4);
	ck_assert_int_eq(insn_mem_addr(&in, &r, NULL, &lin), 0);
	ck_assert_uint_eq(lin, 0x10);
	DEC_OK(&in, "\x64\x48\x8b\x00", M64, 4);
	ck_assert_uint_eq(in.mem.seg, INSN_SEG_FS);
	ck_assert_int_eq(insn_mem_addr(&in, &r, NULL, &lin), 0);
	ck_assert_uint_eq(lin, 0x7000000010ULL);
	/* Register operand / no operand: no address. */
	DEC_OK(&in, "\x89\xc0", M32, 2);
	ck_assert_int_eq(insn_mem_addr(&in, &r, &off, &lin), -EINVAL);
	DEC_OK(&in, "\x90", M32, 1);
	ck_assert_int_eq(insn_mem_addr(&in, &r, &off, &lin), -EINVAL);
}
END_TEST

START_TEST(moffs)
{
	struct insn_regs r = { .gpr = { 0 } };
	struct insn in;
	uint64_t lin;

	r.seg_base[INSN_SEG_DS] = 0x100;
	DEC_OK(&in, "\xa1\x00\x10\x00\x00", M32, 5);
	ck_assert(in.has_mem && !in.has_modrm);
	ck_assert_uint_eq(in.disp_bytes, 4);
	ck_assert_uint_eq(in.imm_bytes, 0);
	ck_assert_int_eq(insn_mem_addr(&in, &r, NULL, &lin), 0);
	ck_assert_uint_eq(lin, 0x1100);
	DEC_OK(&in, "\x67\xa2\x00\x10", M32, 4);	/* 16-bit offset */
	ck_assert_uint_eq(in.op_bytes, 1);
	DEC_OK(&in, "\x66\xa3\x00\x10", M16, 4);
	ck_assert_uint_eq(in.op_bytes, 4);
	DEC_OK(&in, "\xa0\x88\x77\x66\x55\x44\x33\x22\x91", M64, 9);
	ck_assert_uint_eq((uint64_t)in.mem.disp, 0x9122334455667788ULL);
	ck_assert_int_eq(insn_mem_addr(&in, &r, NULL, &lin), 0);
	ck_assert_uint_eq(lin, 0x9122334455667788ULL);
	DEC_OK(&in, "\x67\xa1\x44\x33\x22\x11", M64, 6);
}
END_TEST

START_TEST(immediates)
{
	struct insn in;

	DEC_OK(&in, "\x66\x81\x00\x34\x12", M32, 5);
	ck_assert_uint_eq(in.imm_bytes, 2);
	ck_assert_uint_eq(in.imm, 0x1234);
	DEC_OK(&in, "\x81\x00\x34\x12", M16, 4);
	DEC_OK(&in, "\x66\xc7\x00\x78\x56\x34\x12", M16, 7);
	ck_assert_uint_eq(in.imm, 0x12345678);
	DEC_OK(&in, "\x48\x83\x00\xff", M64, 4);
	ck_assert_int_eq(insn_imm_sext(&in), -1);
	ck_assert_uint_eq(in.op_bytes, 8);
	DEC_OK(&in, "\x48\xc7\x00\x00\x00\x00\x80", M64, 7);
	ck_assert_int_eq(insn_imm_sext(&in), -0x80000000LL);
	DEC_OK(&in, "\xf6\x00\x01", M32, 3);		/* test $1,(%eax) */
	DEC_OK(&in, "\xf6\x18", M32, 2);		/* negb (%eax) */
	DEC_OK(&in, "\xf7\x08\x01\x00\x00\x00", M32, 6);	/* test /1 */
	DEC_OK(&in, "\x66\xf7\x00\x01\x00", M32, 5);
	DEC_OK(&in, "\xf7\x20", M32, 2);		/* mull */
	DEC_OK(&in, "\xc8\x10\x00\x02", M32, 4);	/* enter */
	ck_assert_uint_eq(in.imm, 0x10);
	ck_assert_uint_eq(in.imm2, 2);
	DEC_OK(&in, "\xea\x78\x56\x34\x12\x08\x00", M32, 7);
	ck_assert_uint_eq(in.imm, 0x12345678);
	ck_assert_uint_eq(in.imm2, 8);
	DEC_OK(&in, "\xea\x34\x12\x08\x00", M16, 5);
	/* Near branches ignore 66 in 64-bit mode (Intel). */
	DEC_OK(&in, "\x66\xe8\x00\x00\x00\x00", M64, 6);
	DEC_OK(&in, "\x66\xe8\x00\x00", M32, 4);
	DEC_OK(&in, "\x66\x68\x34\x12", M64, 4);	/* pushw $imm16 */
	ck_assert_uint_eq(in.op_bytes, 2);
	DEC_OK(&in, "\x68\x34\x12\x00\x00", M64, 5);
	ck_assert_uint_eq(in.op_bytes, 8);
	DEC_OK(&in, "\xff\x30", M64, 2);		/* push (%rax) */
	ck_assert_uint_eq(in.op_bytes, 8);
	DEC_OK(&in, "\x66\xff\x30", M64, 3);
	ck_assert_uint_eq(in.op_bytes, 2);
	DEC_OK(&in, "\xff\x00", M64, 2);		/* incl (%rax) */
	ck_assert_uint_eq(in.op_bytes, 4);
}
END_TEST

START_TEST(invalid_and_vex)
{
	struct insn in;

	ck_assert_int_eq(DEC(&in, "\x06", M64), -EINVAL);	/* push %es */
	DEC_OK(&in, "\x06", M32, 1);
	ck_assert_int_eq(DEC(&in, "\xd4\x0a", M64), -EINVAL);
	ck_assert_int_eq(DEC(&in, "\x0f\x04", M32), -EINVAL);
	ck_assert_int_eq(DEC(&in, "\x0f\x0b", M32), 0);		/* ud2 */
	DEC_OK(&in, "\xc5\x00", M32, 2);		/* lds (%eax),%eax */
	ck_assert_uint_eq(in.map, INSN_MAP_1BYTE);
	DEC_OK(&in, "\xc5\xf8\x77", M32, 3);		/* vzeroupper */
	ck_assert(in.prefixes & INSN_PFX_VEX);
	ck_assert_uint_eq(in.map, INSN_MAP_0F);
	ck_assert_uint_eq(in.opcode, 0x77);
	DEC_OK(&in, "\xc4\x43\x7d\x18\x00\x01", M64, 6);
	ck_assert_uint_eq(in.map, INSN_MAP_0F3A);
	ck_assert_uint_eq(in.rex & (INSN_REX_R | INSN_REX_B),
			  INSN_REX_R | INSN_REX_B);
	ck_assert_uint_eq(in.vex_l, 1);
	ck_assert_uint_eq(in.vex_pp, 1);
	ck_assert_int_eq(DEC(&in, "\x66\xc5\xf8\x77", M64), -EINVAL);
	ck_assert_int_eq(DEC(&in, "\x40\xc5\xf8\x77", M64), -EINVAL);
	ck_assert_int_eq(DEC(&in, "\xc4\xe0\x7d\x18\x00", M64), -EINVAL);
	ck_assert_int_eq(DEC(&in, "\x62\xf1\x7c\x48\x10\x00", M64),
			 -EOPNOTSUPP);
	ck_assert_int_eq(DEC(&in, "\x62\xf1\x7c\x48\x10\x00", M32),
			 -EOPNOTSUPP);
	DEC_OK(&in, "\x62\x03", M32, 2);		/* bound */
	ck_assert_int_eq(DEC(&in, "\x62\x03", M64), -EOPNOTSUPP);
	ck_assert_int_eq(DEC(&in, "\x8f\xe9\x78\xc1\xc0", M64), -EOPNOTSUPP);
	DEC_OK(&in, "\x8f\x00", M64, 2);		/* pop (%rax) */
}
END_TEST

SUITE(insn)
{
	Suite *s = suite_create("insn");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, assembled_lengths);
	tcase_add_test(tc, opcode_maps);
	tcase_add_test(tc, intercepted);
	tcase_add_test(tc, in_out_sizes);
	tcase_add_test(tc, string_io);
	tcase_add_test(tc, prefix_limit);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, rex_rules);
	tcase_add_test(tc, mov_cr_dr);
	tcase_add_test(tc, rip_relative);
	tcase_add_test(tc, effective_addr);
	tcase_add_test(tc, moffs);
	tcase_add_test(tc, immediates);
	tcase_add_test(tc, invalid_and_vex);
	suite_add_tcase(s, tc);
	return s;
}
