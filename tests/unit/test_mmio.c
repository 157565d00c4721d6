// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO emulation (hvm/mmio.c) on the simulated vCPU: each instruction
 * form is fetched from guest RAM, its operand translated through the
 * guest's page tables to a test device (a 4 KiB register file at
 * DEV_GPA), and the result checked in the device, the registers (with
 * the CPU's merge and zero-extension rules) and the flags; then the
 * null device, faults, and what is not emulated.
 */
#include <string.h>

#include "harness.h"
#include "hvm_env.h"
#include <lamina/errno.h>
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/mmio.h>

#define DEV_GPA		0xfed00000ULL	/* the test device */
#define HOLE_GPA	0xfec00000ULL	/* claimed by nobody */
#define DEV_VA		0x40000000ULL	/* linear addresses in long mode */
#define HOLE_VA		0x40200000ULL
#define CODE		0x2000ULL	/* instructions at this gpa/gva */

#define CF	(1ULL << 0)
#define PF	(1ULL << 2)
#define ZF	(1ULL << 6)
#define SF	(1ULL << 7)
#define OF	(1ULL << 11)

static struct vcpu *v = &env.vcpu;

/* The test device: memory-like registers, with a log of accesses. */
static struct {
	uint8_t mem[4096];
	unsigned int reads, writes;
	uint64_t last_gpa;
	unsigned int last_len;
	int fail;		/* returned by read and write */
} dev;

static bool dev_accepts(struct vcpu *vc __unused, uint64_t gpa)
{
	return gpa >= DEV_GPA && gpa < DEV_GPA + 4096;
}

static int dev_read(struct vcpu *vc __unused, uint64_t gpa, unsigned int len,
		    uint64_t *val)
{
	ck_assert_uint_le(gpa - DEV_GPA + len, 4096);
	dev.reads++;
	dev.last_gpa = gpa;
	dev.last_len = len;
	memcpy(val, dev.mem + (gpa - DEV_GPA), len);
	return dev.fail;
}

static int dev_write(struct vcpu *vc __unused, uint64_t gpa, unsigned int len,
		     uint64_t val)
{
	ck_assert_uint_le(gpa - DEV_GPA + len, 4096);
	dev.writes++;
	dev.last_gpa = gpa;
	dev.last_len = len;
	if (!dev.fail)
		memcpy(dev.mem + (gpa - DEV_GPA), &val, len);
	return dev.fail;
}

static const struct hvm_mmio_ops dev_ops = {
	.name = "test",
	.accepts = dev_accepts,
	.read = dev_read,
	.write = dev_write,
};

static void setup(void)
{
	hvm_env_setup();
	memset(&dev, 0, sizeof(dev));
	ck_assert_int_eq(hvm_mmio_register(&env.dom, &dev_ops), 0);
}

/* Long mode, code identity-mapped, the device and the hole mapped. */
static void long_mode(void)
{
	hvm_env_long_mode();
	hvm_env_map(CODE, CODE, PTE_P | PTE_RW);
	hvm_env_map(DEV_VA, DEV_GPA, PTE_P | PTE_RW);
	hvm_env_map(HOLE_VA, HOLE_GPA, PTE_P | PTE_RW);
}

/* Put the instruction at CODE and run the fault it causes at gpa. */
static void run(const uint8_t *bytes, size_t n, uint64_t gpa, bool write)
{
	memcpy(hvm_env_gpa(CODE), bytes, n);
	v->regs.rip = CODE;
	hvm_npf(v, gpa, write ? HVM_NPF_WRITE : 0);
}

#define RUN(gpa, write, ...) do {					\
	static const uint8_t b__[] = { __VA_ARGS__ };			\
	run(b__, sizeof(b__), gpa, write);				\
} while (0)

static uint32_t dev32(unsigned int off)
{
	uint32_t x;

	memcpy(&x, dev.mem + off, 4);
	return x;
}

static void expect_done(unsigned int len)
{
	ck_assert_uint_eq(env.nr_exc, 0);
	ck_assert_uint_eq(env.crashes, 0);
	ck_assert_uint_eq(env.skips, 1);
	ck_assert_uint_eq(env.skip_len, len);
	ck_assert_uint_eq(v->regs.rip, CODE + len);
}

/* ---- MOV ------------------------------------------------------------- */

START_TEST(mov_store_load32)
{
	long_mode();
	v->regs.rdx = DEV_VA + 0x10;
	v->regs.rax = 0xaaaaaaaa12345678ULL;
	RUN(DEV_GPA + 0x10, true, 0x89, 0x02);		/* mov %eax,(%rdx) */
	expect_done(2);
	ck_assert_uint_eq(dev32(0x10), 0x12345678);
	ck_assert_uint_eq(dev.last_len, 4);
	ck_assert_uint_eq(dev.last_gpa, DEV_GPA + 0x10);

	/* A 32-bit load zero-extends into the 64-bit register. */
	env.skips = 0;
	v->regs.rcx = ~0ULL;
	RUN(DEV_GPA + 0x10, false, 0x8b, 0x0a);		/* mov (%rdx),%ecx */
	expect_done(2);
	ck_assert_uint_eq(v->regs.rcx, 0x12345678);
}
END_TEST

START_TEST(mov_byte_and_word_regs)
{
	long_mode();
	memcpy(dev.mem + 0x20, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	v->regs.rdx = DEV_VA + 0x20;
	v->regs.rax = 0xffffffffffffffffULL;
	RUN(DEV_GPA + 0x20, false, 0x8a, 0x22);		/* mov (%rdx),%ah */
	expect_done(2);
	ck_assert_uint_eq(v->regs.rax, 0xffffffffffff11ffULL);

	/* With a REX prefix, register 4 is SPL, not AH. */
	env.skips = 0;
	v->regs.rsp = 0x1234567812345678ULL;
	RUN(DEV_GPA + 0x20, false, 0x40, 0x8a, 0x22);	/* mov (%rdx),%spl */
	expect_done(3);
	ck_assert_uint_eq(v->regs.rsp, 0x1234567812345611ULL);

	/* 16 bits merge. */
	env.skips = 0;
	v->regs.rcx = 0xffffffffffffffffULL;
	RUN(DEV_GPA + 0x20, false, 0x66, 0x8b, 0x0a);	/* mov (%rdx),%cx */
	expect_done(3);
	ck_assert_uint_eq(v->regs.rcx, 0xffffffffffff2211ULL);
	ck_assert_uint_eq(dev.last_len, 2);

	/* 64 bits, into R9. */
	env.skips = 0;
	RUN(DEV_GPA + 0x20, false, 0x4c, 0x8b, 0x0a);	/* mov (%rdx),%r9 */
	expect_done(3);
	ck_assert_uint_eq(v->regs.r9, 0x8877665544332211ULL);

	/* A byte store from BH (no REX). */
	env.skips = 0;
	v->regs.rbx = 0x9a00;
	RUN(DEV_GPA + 0x20, true, 0x88, 0x3a);		/* mov %bh,(%rdx) */
	expect_done(2);
	ck_assert_uint_eq(dev.mem[0x20], 0x9a);
	ck_assert_uint_eq(dev.mem[0x21], 0x22);
}
END_TEST

START_TEST(mov_immediates)
{
	long_mode();
	v->regs.rdx = DEV_VA;
	RUN(DEV_GPA + 0x30, true, 0xc7, 0x42, 0x30,	/* movl $x,0x30(%rdx) */
	    0x78, 0x56, 0x34, 0x12);
	expect_done(7);
	ck_assert_uint_eq(dev32(0x30), 0x12345678);
	ck_assert_uint_eq(dev.last_len, 4);

	/* REX.W: imm32 sign-extended to 64 bits. */
	env.skips = 0;
	RUN(DEV_GPA + 0x40, true, 0x48, 0xc7, 0x42, 0x40,
	    0xfe, 0xff, 0xff, 0xff);		/* movq $-2,0x40(%rdx) */
	expect_done(8);
	ck_assert_uint_eq(dev.last_len, 8);
	ck_assert_uint_eq(dev32(0x40), 0xfffffffe);
	ck_assert_uint_eq(dev32(0x44), 0xffffffff);

	env.skips = 0;
	RUN(DEV_GPA + 0x50, true, 0xc6, 0x42, 0x50, 0x5a);	/* movb $0x5a */
	expect_done(4);
	ck_assert_uint_eq(dev.mem[0x50], 0x5a);
	ck_assert_uint_eq(dev.last_len, 1);

	env.skips = 0;
	RUN(DEV_GPA + 0x60, true, 0x66, 0xc7, 0x42, 0x60, 0x34, 0x12);
	expect_done(6);
	ck_assert_uint_eq(dev.last_len, 2);
	ck_assert_uint_eq(dev32(0x60), 0x1234);
}
END_TEST

/* A0-A3: the address is in the instruction (8 bytes in 64-bit mode). */
START_TEST(mov_moffs)
{
	long_mode();
	memcpy(dev.mem + 0x70, "\xef\xbe\xad\xde", 4);
	v->regs.rax = ~0ULL;
	RUN(DEV_GPA + 0x70, false, 0xa1,		/* mov moffs,%eax */
	    0x70, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00);
	expect_done(9);
	ck_assert_uint_eq(v->regs.rax, 0xdeadbeef);

	env.skips = 0;
	v->regs.rax = 0x77;
	RUN(DEV_GPA + 0x74, true, 0xa2,			/* mov %al,moffs */
	    0x74, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00);
	expect_done(9);
	ck_assert_uint_eq(dev.mem[0x74], 0x77);
}
END_TEST

START_TEST(movzx_movsx)
{
	long_mode();
	memcpy(dev.mem + 0x80, "\x80\xff", 2);
	v->regs.rdx = DEV_VA + 0x80;
	v->regs.rax = ~0ULL;
	RUN(DEV_GPA + 0x80, false, 0x0f, 0xb6, 0x02);	/* movzbl (%rdx),%eax */
	expect_done(3);
	ck_assert_uint_eq(v->regs.rax, 0x80);
	ck_assert_uint_eq(dev.last_len, 1);

	env.skips = 0;
	RUN(DEV_GPA + 0x80, false, 0x48, 0x0f, 0xbf, 0x02); /* movswq */
	expect_done(4);
	ck_assert_uint_eq(v->regs.rax, 0xffffffffffffff80ULL);
	ck_assert_uint_eq(dev.last_len, 2);

	env.skips = 0;
	v->regs.rcx = ~0ULL;
	RUN(DEV_GPA + 0x80, false, 0x66, 0x0f, 0xbe, 0x0a); /* movsbw %cx */
	expect_done(4);
	ck_assert_uint_eq(v->regs.rcx, 0xffffffffffffff80ULL);
}
END_TEST

/* ---- Read-modify-write ----------------------------------------------- */

START_TEST(xchg)
{
	long_mode();
	memcpy(dev.mem + 0x90, "\x01\x02\x03\x04", 4);
	v->regs.rdx = DEV_VA + 0x90;
	v->regs.rax = 0xffffffffa0b0c0d0ULL;
	RUN(DEV_GPA + 0x90, true, 0x87, 0x02);		/* xchg %eax,(%rdx) */
	expect_done(2);
	ck_assert_uint_eq(v->regs.rax, 0x04030201);
	ck_assert_uint_eq(dev32(0x90), 0xa0b0c0d0);
	ck_assert_uint_eq(dev.reads, 1);
	ck_assert_uint_eq(dev.writes, 1);
}
END_TEST

START_TEST(logic_ops_and_flags)
{
	long_mode();
	v->regs.rdx = DEV_VA + 0xa0;
	memcpy(dev.mem + 0xa0, "\x0f\x00\x00\x00", 4);
	v->regs.rflags = 0x2 | CF | OF;
	RUN(DEV_GPA + 0xa0, true, 0x81, 0x0a,		/* orl $0x80000000 */
	    0x00, 0x00, 0x00, 0x80);
	expect_done(6);
	ck_assert_uint_eq(dev32(0xa0), 0x8000000f);
	ck_assert_uint_eq(v->regs.rflags, 0x2 | SF | PF);

	/* AND with a register, into memory; a zero result. */
	env.skips = 0;
	v->regs.rax = 0x70000000;
	RUN(DEV_GPA + 0xa0, true, 0x21, 0x02);		/* and %eax,(%rdx) */
	expect_done(2);
	ck_assert_uint_eq(dev32(0xa0), 0);
	ck_assert_uint_eq(v->regs.rflags, 0x2 | ZF | PF);

	/* XOR from memory into a register: memory stays. */
	env.skips = 0;
	memcpy(dev.mem + 0xa0, "\x01\x00\x00\x00", 4);
	v->regs.rcx = 0xffffffff00000003ULL;
	RUN(DEV_GPA + 0xa0, false, 0x33, 0x0a);		/* xor (%rdx),%ecx */
	expect_done(2);
	ck_assert_uint_eq(v->regs.rcx, 2);
	ck_assert_uint_eq(dev32(0xa0), 1);
	ck_assert_uint_eq(v->regs.rflags, 0x2);

	/* 83 /1: an imm8 sign-extended; byte op 80 /6. */
	env.skips = 0;
	RUN(DEV_GPA + 0xa0, true, 0x83, 0x0a, 0xf0);	/* orl $-16 */
	expect_done(3);
	ck_assert_uint_eq(dev32(0xa0), 0xfffffff1);
	env.skips = 0;
	RUN(DEV_GPA + 0xa0, true, 0x80, 0x32, 0xf1);	/* xorb $0xf1 */
	expect_done(3);
	ck_assert_uint_eq(dev32(0xa0), 0xffffff00);
	ck_assert_uint_eq(v->regs.rflags, 0x2 | ZF | PF);
}
END_TEST

#define AF	(1ULL << 4)

START_TEST(arithmetic)
{
	long_mode();
	v->regs.rdx = DEV_VA + 0xc0;
	memcpy(dev.mem + 0xc0, "\xff\xff\xff\x7f", 4);
	v->regs.rflags = 0x2;
	RUN(DEV_GPA + 0xc0, true, 0x83, 0x02, 0x01);	/* addl $1,(%rdx) */
	expect_done(3);
	ck_assert_uint_eq(dev32(0xc0), 0x80000000);
	ck_assert_uint_eq(v->regs.rflags, 0x2 | OF | SF | AF | PF);

	/* sub %ecx,(%rdx): 0x80000000 - 1 */
	env.skips = 0;
	v->regs.rcx = 1;
	RUN(DEV_GPA + 0xc0, true, 0x29, 0x0a);
	expect_done(2);
	ck_assert_uint_eq(dev32(0xc0), 0x7fffffff);
	ck_assert_uint_eq(v->regs.rflags, 0x2 | OF | AF | PF);

	/* cmp (%rdx),%ecx: 1 - 0x7fffffff borrows; nothing written */
	env.skips = 0;
	RUN(DEV_GPA + 0xc0, false, 0x3b, 0x0a);
	expect_done(2);
	ck_assert_uint_eq(v->regs.rcx, 1);
	ck_assert_uint_eq(v->regs.rflags, 0x2 | CF | SF | AF);
	ck_assert_uint_eq(dev32(0xc0), 0x7fffffff);

	/* adc with CF set, 64-bit, carrying out: 0xff..ff + 0 + 1 */
	env.skips = 0;
	memset(dev.mem + 0xc8, 0xff, 8);
	v->regs.rflags = 0x2 | CF;
	v->regs.rax = 0;
	RUN(DEV_GPA + 0xc8, true, 0x48, 0x11, 0x42, 0x08); /* adc %rax,8() */
	expect_done(4);
	ck_assert_uint_eq(dev32(0xc8), 0);
	ck_assert_uint_eq(dev32(0xcc), 0);
	ck_assert_uint_eq(v->regs.rflags, 0x2 | CF | ZF | PF | AF);

	/* sbb (%rdx),%al with CF: 0x00 - 0xff - 1 (byte) */
	env.skips = 0;
	v->regs.rax = 0x1200;
	RUN(DEV_GPA + 0xc0, false, 0x1a, 0x02);		/* sbb (%rdx),%al */
	expect_done(2);
	ck_assert_uint_eq(v->regs.rax, 0x1200);		/* 0 - 0xff - 1 */
	ck_assert_uint_eq(v->regs.rflags & (CF | ZF), CF | ZF);
}
END_TEST

START_TEST(test_insn)
{
	long_mode();
	v->regs.rdx = DEV_VA + 0xb0;
	memcpy(dev.mem + 0xb0, "\x00\x10\x00\x00", 4);
	RUN(DEV_GPA + 0xb0, false, 0xf7, 0x02,		/* testl $0x1000 */
	    0x00, 0x10, 0x00, 0x00);
	expect_done(6);
	ck_assert_uint_eq(v->regs.rflags & ZF, 0);
	ck_assert_uint_eq(dev.writes, 0);

	env.skips = 0;
	v->regs.rbx = 0x1;
	RUN(DEV_GPA + 0xb0, false, 0x85, 0x1a);		/* test %ebx,(%rdx) */
	expect_done(2);
	ck_assert_uint_eq(v->regs.rflags & (ZF | PF), ZF | PF);
}
END_TEST

/* ---- Other modes ----------------------------------------------------- */

/* 32-bit protected mode, paging off: linear = physical (DS base 0). */
START_TEST(protected_mode_flat)
{
	v->regs.rdx = DEV_GPA + 0xc0;
	v->regs.rax = 0xcafe;
	RUN(DEV_GPA + 0xc0, true, 0x66, 0x89, 0x02);	/* mov %ax,(%edx) */
	expect_done(3);
	ck_assert_uint_eq(dev32(0xc0), 0xcafe);

	env.skips = 0;
	v->regs.rbx = 0xffffffff00000000ULL;
	RUN(DEV_GPA + 0xc0, false, 0x8b, 0x1a);		/* mov (%edx),%ebx */
	expect_done(2);
	ck_assert_uint_eq(v->regs.rbx, 0xcafe);

	/* A segment base applies outside 64-bit mode. */
	env.skips = 0;
	env.seg_base[INSN_SEG_ES] = DEV_GPA;
	v->regs.rdx = 0xc4;
	v->regs.rax = 0x11223344;
	RUN(DEV_GPA + 0xc4, true, 0x26, 0x89, 0x02); /* mov %eax,%es:(%edx) */
	expect_done(3);
	ck_assert_uint_eq(dev32(0xc4), 0x11223344);
}
END_TEST

/* ---- The null device, faults, what is not emulated --------------------- */

START_TEST(unclaimed_reads_ones)
{
	long_mode();
	v->regs.rdx = HOLE_VA + 0x8;
	v->regs.rax = 0x1234;
	RUN(HOLE_GPA + 8, false, 0x8b, 0x02);		/* mov (%rdx),%eax */
	expect_done(2);
	ck_assert_uint_eq(v->regs.rax, 0xffffffff);
	env.skips = 0;
	RUN(HOLE_GPA + 8, true, 0x89, 0x02);		/* dropped */
	expect_done(2);
	ck_assert_uint_eq(dev.reads + dev.writes, 0);
}
END_TEST

/* An access across a page boundary: RAM on one side, the device on the
 * other. */
START_TEST(split_ram_and_device)
{
	long_mode();
	hvm_env_map(0x50000000, 0x8000, PTE_P | PTE_RW);
	hvm_env_map(0x50001000, DEV_GPA, PTE_P | PTE_RW);
	v->regs.rdx = 0x50000ffc;
	v->regs.rax = 0x8877665544332211ULL;
	RUN(DEV_GPA, true, 0x48, 0x89, 0x02);		/* mov %rax,(%rdx) */
	expect_done(3);
	ck_assert_uint_eq(*(uint32_t *)hvm_env_gpa(0x8ffc), 0x44332211);
	ck_assert_uint_eq(dev32(0), 0x88776655);
	ck_assert_uint_eq(dev.last_len, 4);

	env.skips = 0;
	v->regs.rcx = 0;
	RUN(DEV_GPA, false, 0x48, 0x8b, 0x0a);		/* mov (%rdx),%rcx */
	expect_done(3);
	ck_assert_uint_eq(v->regs.rcx, 0x8877665544332211ULL);
}
END_TEST

START_TEST(page_fault)
{
	long_mode();
	v->regs.rdx = 0x60000000;			/* not mapped */
	RUN(DEV_GPA, true, 0x89, 0x02);
	ck_assert_uint_eq(env.nr_exc, 1);
	ck_assert_uint_eq(env.exc[0].vec, X86_EXC_PF);
	ck_assert_uint_eq(env.exc[0].ec, PFEC_WRITE);
	ck_assert_uint_eq(env.exc[0].cr2, 0x60000000);
	ck_assert_uint_eq(env.skips, 0);
	ck_assert_uint_eq(v->regs.rip, CODE);

	/* CPL 3 on a supervisor page: a user write fault. */
	env.nr_exc = 0;
	env.cpl = 3;
	hvm_env_map(CODE, CODE, PTE_P | PTE_US);
	v->regs.rdx = DEV_VA;
	RUN(DEV_GPA, true, 0x89, 0x02);
	ck_assert_uint_eq(env.nr_exc, 1);
	ck_assert_uint_eq(env.exc[0].ec, PFEC_PRESENT | PFEC_WRITE |
			  PFEC_USER);
	ck_assert_uint_eq(dev.writes, 0);
}
END_TEST

START_TEST(noncanonical)
{
	long_mode();
	v->regs.rdx = 0x8000000000000000ULL;
	RUN(DEV_GPA, false, 0x8b, 0x02);
	ck_assert_uint_eq(env.nr_exc, 1);
	ck_assert_uint_eq(env.exc[0].vec, X86_EXC_GP);
	ck_assert_uint_eq(env.skips, 0);
}
END_TEST

/* INC, MOVS and instructions without a memory operand are not
 * emulated: #GP, nothing touched. */
START_TEST(not_emulated)
{
	long_mode();
	v->regs.rdx = DEV_VA;
	RUN(DEV_GPA, true, 0xff, 0x02);			/* incl (%rdx) */
	ck_assert_uint_eq(env.nr_exc, 1);
	ck_assert_uint_eq(env.exc[0].vec, X86_EXC_GP);
	ck_assert_uint_eq(env.skips, 0);
	RUN(DEV_GPA, true, 0xa5);			/* movsl */
	RUN(DEV_GPA, true, 0x89, 0xc2);			/* mov %eax,%edx */
	RUN(DEV_GPA, true, 0xc7, 0x0a, 0, 0, 0, 0);	/* c7 /1 */
	ck_assert_uint_eq(env.nr_exc, 4);
	ck_assert_uint_eq(dev.reads + dev.writes, 0);
	ck_assert_uint_eq(env.crashes, 0);
}
END_TEST

/* A handler that refuses (it injected or crashed): RIP stays. */
START_TEST(handler_failure)
{
	long_mode();
	v->regs.rdx = DEV_VA;
	dev.fail = -EFAULT;
	RUN(DEV_GPA, true, 0x89, 0x02);
	ck_assert_uint_eq(env.skips, 0);
	RUN(DEV_GPA, false, 0x8b, 0x02);
	ck_assert_uint_eq(env.skips, 0);
	ck_assert_uint_eq(v->regs.rip, CODE);
}
END_TEST

/* The fault's GPA is RAM by now (the p2m changed): just run it again. */
START_TEST(spurious_fault)
{
	long_mode();
	v->regs.rdx = DEV_VA;
	RUN(0x3000, true, 0x89, 0x02);
	ck_assert_uint_eq(env.skips + env.nr_exc + env.crashes, 0);
	ck_assert_uint_eq(dev.writes, 0);
}
END_TEST

/* Fetches, page walks and event delivery outside RAM crash. */
START_TEST(fatal_faults)
{
	long_mode();
	hvm_npf(v, DEV_GPA, HVM_NPF_FETCH);
	ck_assert_uint_eq(env.crashes, 1);
	hvm_npf(v, DEV_GPA, HVM_NPF_WALK);
	ck_assert_uint_eq(env.crashes, 2);
	hvm_npf(v, DEV_GPA, HVM_NPF_DELIVERY | HVM_NPF_WRITE);
	ck_assert_uint_eq(env.crashes, 3);
	ck_assert_uint_eq(env.skips, 0);
	/* A fetch from RAM that faulted (p2m changed) is retried. */
	hvm_npf(v, CODE, HVM_NPF_FETCH);
	ck_assert_uint_eq(env.crashes, 3);
}
END_TEST

START_TEST(register_limit)
{
	unsigned int i;

	for (i = 1; i < HVM_MMIO_MAX_HANDLERS; i++)
		ck_assert_int_eq(hvm_mmio_register(&env.dom, &dev_ops), 0);
	ck_assert_int_eq(hvm_mmio_register(&env.dom, &dev_ops), -ENOSPC);
}
END_TEST

SUITE(mmio)
{
	Suite *s = suite_create("mmio");
	TCase *mov = tcase_create("mov");
	TCase *rmw = tcase_create("rmw");
	TCase *err = tcase_create("errors");

	tcase_add_checked_fixture(mov, setup, hvm_env_teardown);
	tcase_add_test(mov, mov_store_load32);
	tcase_add_test(mov, mov_byte_and_word_regs);
	tcase_add_test(mov, mov_immediates);
	tcase_add_test(mov, mov_moffs);
	tcase_add_test(mov, movzx_movsx);
	tcase_add_test(mov, protected_mode_flat);
	suite_add_tcase(s, mov);
	tcase_add_checked_fixture(rmw, setup, hvm_env_teardown);
	tcase_add_test(rmw, xchg);
	tcase_add_test(rmw, logic_ops_and_flags);
	tcase_add_test(rmw, test_insn);
	tcase_add_test(rmw, arithmetic);
	suite_add_tcase(s, rmw);
	tcase_add_checked_fixture(err, setup, hvm_env_teardown);
	tcase_add_test(err, unclaimed_reads_ones);
	tcase_add_test(err, split_ram_and_device);
	tcase_add_test(err, page_fault);
	tcase_add_test(err, noncanonical);
	tcase_add_test(err, not_emulated);
	tcase_add_test(err, handler_failure);
	tcase_add_test(err, spurious_fault);
	tcase_add_test(err, fatal_faults);
	tcase_add_test(err, register_limit);
	suite_add_tcase(s, err);
	return s;
}
