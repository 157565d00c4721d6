// SPDX-License-Identifier: GPL-2.0
/*
 * The vendor-neutral emulation helpers on a simulated vCPU: fetching the
 * intercepted instruction through the guest's page tables
 * (hvm_fetch_insn), string I/O (hvm_string_io) and the guest-virtual
 * copies behind hypercall pointers (copy_from_guest and friends).
 */
#include <string.h>

#include "harness.h"
#include "hvm_env.h"
#include <lamina/errno.h>
#include <lamina/guest_access.h>
#include <asm/hvm/guest_walk.h>

#define NXE		(1ULL << 11)
#define RFLAGS_DF	(1ULL << 10)
#define RFLAGS_AC	(1ULL << 18)
#define CR4_SMAP	(1ULL << 21)
#define CR0_WP		(1ULL << 16)

static struct vcpu *v = &env.vcpu;

static void put(uint64_t gpa, const void *bytes, size_t n)
{
	memcpy(hvm_env_gpa(gpa), bytes, n);
}

static uint8_t byte_at(uint64_t gpa)
{
	return *(uint8_t *)hvm_env_gpa(gpa);
}

static void expect_exc(unsigned int i, unsigned int vec, uint32_t ec,
		       uint64_t cr2)
{
	ck_assert_uint_gt(env.nr_exc, i);
	ck_assert_uint_eq(env.exc[i].vec, vec);
	ck_assert_uint_eq(env.exc[i].ec, ec);
	if (vec == 14)
		ck_assert_uint_eq(env.exc[i].cr2, cr2);
}

/* Long mode; the first 64 KiB identity-mapped. */
static void long_mode(void)
{
	uint64_t a;

	hvm_env_long_mode();
	for (a = 0; a < 0x10000; a += 0x1000)
		hvm_env_map(a, a, PTE_P | PTE_RW);
}

/* ---- instruction fetch ------------------------------------------------ */

START_TEST(fetch_flat)
{
	static const uint8_t cpuid66[] = { 0x66, 0x0f, 0xa2, 0x90 };
	struct insn in;

	put(0x2000, cpuid66, sizeof(cpuid66));
	v->regs.rip = 0x2000;
	ck_assert_int_eq(hvm_fetch_insn(v, &in), 0);
	ck_assert_uint_eq(in.len, 3);
	ck_assert_uint_eq(in.map, INSN_MAP_0F);
	ck_assert_uint_eq(in.opcode, 0xa2);
	ck_assert_uint_eq(env.nr_exc, 0);
}
END_TEST

/* Real mode: CS base 0xffff0, IP 0x10: the bytes at 1 MiB. */
START_TEST(fetch_cs_base)
{
	static const uint8_t vmmcall[] = { 0x2e, 0x0f, 0x01, 0xd9 };
	struct insn in;

	env.cr0 = 0x10;
	env.mode = INSN_MODE_16;
	env.seg_base[INSN_SEG_CS] = 0xffff0;
	put(0x100000, vmmcall, sizeof(vmmcall));
	v->regs.rip = 0x10;
	ck_assert_int_eq(hvm_fetch_insn(v, &in), 0);
	ck_assert_uint_eq(in.len, 4);
	ck_assert_uint_eq(in.modrm, 0xd9);
	/* Outside 64-bit mode the linear address wraps at 4 GiB. */
	env.mode = INSN_MODE_32;
	env.seg_base[INSN_SEG_CS] = 0xfff00000;
	v->regs.rip = 0x200000;
	ck_assert_int_eq(hvm_fetch_insn(v, &in), 0);
	ck_assert_uint_eq(in.len, 4);
}
END_TEST

START_TEST(fetch_paged)
{
	static const uint8_t rdtscp[] = { 0x48, 0x0f, 0x01, 0xf9 };
	uint64_t gva = 0xffff800000001000ULL;
	uint64_t *pte;
	struct insn in;

	long_mode();
	hvm_env_map(gva, 0x3000, PTE_P);
	put(0x3000, rdtscp, sizeof(rdtscp));
	/* the same bytes are not at the gva's low bits: paging is used */
	v->regs.rip = gva;
	ck_assert_int_eq(hvm_fetch_insn(v, &in), 0);
	ck_assert_uint_eq(in.len, 4);
	ck_assert_uint_eq(in.modrm, 0xf9);
	/* The walk set the accessed bits (the leaf's included). */
	pte = hvm_env_gpa(env.cr3);
	ck_assert(pte[256] & 0x20);
	ck_assert(!(pte[0] & 0x20));
}
END_TEST

START_TEST(fetch_page_fault)
{
	struct insn in;

	long_mode();
	env.efer |= NXE;
	v->regs.rip = 0x40000000;			/* not mapped */
	ck_assert_int_eq(hvm_fetch_insn(v, &in), -EFAULT);
	expect_exc(0, 14, PFEC_INSN, 0x40000000);
	/* User mode, supervisor page. */
	env.nr_exc = 0;
	env.cpl = 3;
	v->regs.rip = 0x2000;
	ck_assert_int_eq(hvm_fetch_insn(v, &in), -EFAULT);
	expect_exc(0, 14, PFEC_INSN | PFEC_USER | PFEC_PRESENT, 0x2000);
}
END_TEST

/* The last byte of a page, the next page absent: only what fits. */
START_TEST(fetch_straddle)
{
	static const uint8_t cpuid[] = { 0x0f, 0xa2 };
	struct insn in;

	long_mode();
	put(0xfffe, cpuid, 2);
	v->regs.rip = 0xfffe;			/* 0x10000 is not mapped */
	ck_assert_int_eq(hvm_fetch_insn(v, &in), 0);
	ck_assert_uint_eq(in.len, 2);
	ck_assert_uint_eq(env.nr_exc, 0);
	v->regs.rip = 0xffff;			/* 0f here, a2 on the hole */
	ck_assert_int_eq(hvm_fetch_insn(v, &in), -EFAULT);
	expect_exc(0, 14, 0, 0x10000);
}
END_TEST

START_TEST(fetch_noncanonical)
{
	struct insn in;

	long_mode();
	v->regs.rip = 0x0000800000000000ULL;
	ck_assert_int_eq(hvm_fetch_insn(v, &in), -EFAULT);
	expect_exc(0, 13, 0, 0);
}
END_TEST

START_TEST(fetch_not_ram)
{
	struct insn in;

	v->regs.rip = HVM_ENV_NOT_RAM;
	ck_assert_int_eq(hvm_fetch_insn(v, &in), -ENXIO);
	ck_assert_uint_eq(env.crashes, 1);
	ck_assert_uint_eq(env.nr_exc, 0);
	/* Page tables outside RAM. */
	long_mode();
	env.crashes = 0;
	env.cr3 = HVM_ENV_NOT_RAM;
	v->regs.rip = 0x1000;
	ck_assert_int_eq(hvm_fetch_insn(v, &in), -ENXIO);
	ck_assert_uint_eq(env.crashes, 1);
}
END_TEST

/* Bytes that are no instruction (the CPU ran something else): #GP. */
START_TEST(fetch_undecodable)
{
	static const uint8_t ud[] = { 0x0f, 0x04 };
	uint8_t prefixes[16];
	struct insn in;

	put(0x2000, ud, sizeof(ud));
	v->regs.rip = 0x2000;
	ck_assert_int_eq(hvm_fetch_insn(v, &in), -EINVAL);
	expect_exc(0, 13, 0, 0);
	memset(prefixes, 0x66, sizeof(prefixes));
	put(0x3000, prefixes, sizeof(prefixes));
	v->regs.rip = 0x3000;
	ck_assert_int_eq(hvm_fetch_insn(v, &in), -EINVAL);
	expect_exc(1, 13, 0, 0);
}
END_TEST

/* ---- string I/O ------------------------------------------------------- */

static struct insn decode(const char *bytes, size_t n)
{
	struct insn in;

	ck_assert_int_eq(insn_decode(&in, (const uint8_t *)bytes, n,
				     env.mode), 0);
	return in;
}

#define DECODE(s)	decode(s, sizeof(s) - 1)

START_TEST(outs_rep)
{
	struct insn in = DECODE("\xf3\x6e");

	put(0x4000, "hello\n", 6);
	v->regs.rsi = 0x4000;
	v->regs.rcx = 6;
	ck_assert(hvm_string_io(v, &in, 0xe9, 1, false, true));
	ck_assert_str_eq(env.e9, "hello\n");
	ck_assert_uint_eq(v->regs.rsi, 0x4006);
	ck_assert_uint_eq(v->regs.rcx, 0);
	/* Backwards (DF), and a count of zero. */
	put(0x5000, "\ncba", 4);
	v->regs.rsi = 0x5003;
	v->regs.rcx = 4;
	v->regs.rflags |= RFLAGS_DF;
	ck_assert(hvm_string_io(v, &in, 0xe9, 1, false, true));
	ck_assert_str_eq(env.e9, "hello\nabc\n");
	ck_assert_uint_eq(v->regs.rsi, 0x4fff);
	v->regs.rcx = 0;
	ck_assert(hvm_string_io(v, &in, 0xe9, 1, false, true));
	ck_assert_uint_eq(v->regs.rsi, 0x4fff);
	ck_assert_uint_eq(env.e9_len, 10);
}
END_TEST

/* Without REP: one iteration, rCX untouched. */
START_TEST(outs_single)
{
	struct insn in = DECODE("\x6e");

	put(0x4000, "xy", 2);
	v->regs.rsi = 0x4000;
	v->regs.rcx = 5;
	ck_assert(hvm_string_io(v, &in, 0xe9, 1, false, false));
	ck_assert_str_eq(env.e9, "x");
	ck_assert_uint_eq(v->regs.rcx, 5);
	ck_assert_uint_eq(v->regs.rsi, 0x4001);
}
END_TEST

/* 16-bit addressing: SI and CX wrap in their low 16 bits only. */
START_TEST(outs_16bit)
{
	struct insn in;

	env.mode = INSN_MODE_16;
	in = DECODE("\xf3\x6e");
	env.seg_base[INSN_SEG_DS] = 0x3000;
	put(0x3000 + 0xfffe, "ab", 2);
	put(0x3000, "c", 1);
	v->regs.rsi = 0xabcd0000fffeULL;
	v->regs.rcx = 0x12340003;
	ck_assert(hvm_string_io(v, &in, 0xe9, 1, false, true));
	ck_assert_str_eq(env.e9, "abc");
	ck_assert_uint_eq(v->regs.rsi, 0xabcd00000001ULL);
	ck_assert_uint_eq(v->regs.rcx, 0x12340000);
	/* 67: 32-bit addressing from 16-bit code. */
	in = DECODE("\x67\xf3\x6e");
	put(0x3000 + 0x10000, "d", 1);
	v->regs.rsi = 0x10000;
	v->regs.rcx = 1;
	ck_assert(hvm_string_io(v, &in, 0xe9, 1, false, true));
	ck_assert_str_eq(env.e9, "abcd");
}
END_TEST

/* 64-bit code with 67: ESI and ECX, written back zero-extended. */
START_TEST(outs_addr32_long)
{
	struct insn in;

	long_mode();
	in = DECODE("\x67\xf3\x6e");
	put(0x4000, "ok", 2);
	v->regs.rsi = 0xdead000000004000ULL;
	v->regs.rcx = 0xffffffff00000002ULL;
	ck_assert(hvm_string_io(v, &in, 0xe9, 1, false, true));
	ck_assert_str_eq(env.e9, "ok");
	ck_assert_uint_eq(v->regs.rsi, 0x4002);
	ck_assert_uint_eq(v->regs.rcx, 0);
}
END_TEST

/* Segments: OUTS honours an override; INS always uses ES. */
START_TEST(segments)
{
	struct insn in;

	env.seg_base[INSN_SEG_ES] = 0x6000;
	env.seg_base[INSN_SEG_FS] = 0x7000;
	put(0x7000 + 0x10, "f", 1);
	in = DECODE("\x64\x6e");
	v->regs.rsi = 0x10;
	ck_assert(hvm_string_io(v, &in, 0xe9, 1, false, false));
	ck_assert_str_eq(env.e9, "f");
	in = DECODE("\x64\x6c");
	v->regs.rdi = 0x20;
	ck_assert(hvm_string_io(v, &in, 0x80, 1, true, false));
	ck_assert_uint_eq(byte_at(0x6020), 0xff);
	ck_assert_uint_eq(byte_at(0x7020), 0);
	ck_assert_uint_eq(v->regs.rdi, 0x21);
	/* In 64-bit mode only FS and GS have a base. */
	long_mode();
	in = DECODE("\x6c");
	v->regs.rdi = 0x30;
	ck_assert(hvm_string_io(v, &in, 0x80, 1, true, false));
	ck_assert_uint_eq(byte_at(0x30), 0xff);
	ck_assert_uint_eq(byte_at(0x6030), 0);
	in = DECODE("\x64\x6e");
	v->regs.rsi = 0x10;
	ck_assert(hvm_string_io(v, &in, 0xe9, 1, false, false));
	ck_assert_str_eq(env.e9, "ff");
}
END_TEST

START_TEST(ins_sizes)
{
	struct insn in = DECODE("\x66\xf3\x6d");	/* rep insw */

	v->regs.rdi = 0x8000;
	v->regs.rcx = 2;
	v->regs.rflags |= RFLAGS_DF;
	ck_assert(hvm_string_io(v, &in, 0x80, 2, true, true));
	ck_assert_uint_eq(byte_at(0x7ffe) & byte_at(0x7fff) &
			  byte_at(0x8000) & byte_at(0x8001), 0xff);
	ck_assert_uint_eq(byte_at(0x8002), 0);
	ck_assert_uint_eq(v->regs.rdi, 0x7ffc);
}
END_TEST

/* A page fault in the middle: registers as the CPU leaves them. */
START_TEST(ins_fault_midway)
{
	struct insn in;

	long_mode();
	in = DECODE("\xf3\x6c");
	v->regs.rdi = 0xfffe;			/* 0x10000 is not mapped */
	v->regs.rcx = 4;
	ck_assert(!hvm_string_io(v, &in, 0x80, 1, true, true));
	expect_exc(0, 14, PFEC_WRITE, 0x10000);
	ck_assert_uint_eq(v->regs.rcx, 2);
	ck_assert_uint_eq(v->regs.rdi, 0x10000);
	ck_assert_uint_eq(byte_at(0xfffe), 0xff);
	ck_assert_uint_eq(byte_at(0xffff), 0xff);
	/* OUTS reads: no W; user mode on a supervisor page. */
	in = DECODE("\x6e");
	env.cpl = 3;
	v->regs.rsi = 0x2000;
	ck_assert(!hvm_string_io(v, &in, 0xe9, 1, false, false));
	expect_exc(1, 14, PFEC_USER | PFEC_PRESENT, 0x2000);
	ck_assert_uint_eq(v->regs.rsi, 0x2000);
	ck_assert_uint_eq(env.e9_len, 0);
}
END_TEST

/* A write-protected page: INS faults before reading the port. */
START_TEST(ins_read_only)
{
	struct insn in;

	long_mode();
	env.cr0 |= CR0_WP;
	hvm_env_map(0x20000, 0x20000, PTE_P);
	in = DECODE("\x6c");
	v->regs.rdi = 0x20000;
	ck_assert(!hvm_string_io(v, &in, 0x80, 1, true, false));
	expect_exc(0, 14, PFEC_WRITE | PFEC_PRESENT, 0x20000);
	ck_assert_uint_eq(byte_at(0x20000), 0);
}
END_TEST

/* INSD over two pages mapped to frames that are not adjacent. */
START_TEST(ins_split_pages)
{
	struct insn in;

	long_mode();
	hvm_env_map(0x40000, 0x29000, PTE_P | PTE_RW);
	hvm_env_map(0x41000, 0x2b000, PTE_P | PTE_RW);
	in = DECODE("\x6d");
	v->regs.rdi = 0x40ffe;
	ck_assert(hvm_string_io(v, &in, 0x80, 4, true, false));
	ck_assert_uint_eq(byte_at(0x29ffe) & byte_at(0x29fff), 0xff);
	ck_assert_uint_eq(byte_at(0x2b000) & byte_at(0x2b001), 0xff);
	ck_assert_uint_eq(byte_at(0x2a000), 0);
	ck_assert_uint_eq(byte_at(0x2b002), 0);
}
END_TEST

/* Memory that is not RAM: reads all ones, writes dropped, no crash. */
START_TEST(null_memory)
{
	struct insn in = DECODE("\x6e");

	v->regs.rsi = HVM_ENV_NOT_RAM + 0x10;
	ck_assert(hvm_string_io(v, &in, 0xe9, 1, false, false));
	ck_assert_uint_eq((uint8_t)env.e9[0], 0xff);
	in = DECODE("\x6c");
	v->regs.rdi = HVM_ENV_NOT_RAM;
	ck_assert(hvm_string_io(v, &in, 0x80, 1, true, false));
	ck_assert_uint_eq(v->regs.rdi, HVM_ENV_NOT_RAM + 1);
	ck_assert_uint_eq(env.crashes, 0);
	ck_assert_uint_eq(env.nr_exc, 0);
}
END_TEST

START_TEST(walk_errors)
{
	struct insn in;

	long_mode();
	in = DECODE("\x6e");
	v->regs.rsi = 0x8000000000000000ULL;
	ck_assert(!hvm_string_io(v, &in, 0xe9, 1, false, false));
	expect_exc(0, 13, 0, 0);
	env.cr3 = HVM_ENV_NOT_RAM;
	v->regs.rsi = 0x1000;
	ck_assert(!hvm_string_io(v, &in, 0xe9, 1, false, false));
	ck_assert_uint_eq(env.crashes, 1);
}
END_TEST

/* A long REP goes in batches: the guest re-executes it in between. */
START_TEST(rep_batches)
{
	struct insn in = DECODE("\xf3\x6c");
	unsigned int calls = 0;

	v->regs.rdi = 0x10000;
	v->regs.rcx = 3000;
	while (!hvm_string_io(v, &in, 0x80, 1, true, true)) {
		ck_assert_uint_eq(env.nr_exc, 0);
		calls++;
		ck_assert_uint_lt(calls, 3);
	}
	ck_assert_uint_eq(calls, 2);
	ck_assert_uint_eq(v->regs.rcx, 0);
	ck_assert_uint_eq(v->regs.rdi, 0x10000 + 3000);
	ck_assert_uint_eq(byte_at(0x10000 + 2999), 0xff);
	ck_assert_uint_eq(byte_at(0x10000 + 3000), 0);
}
END_TEST

/* ---- guest-virtual copies --------------------------------------------- */

START_TEST(copy_flat)
{
	char buf[8];

	put(0x4000, "abcdefg", 8);
	ck_assert_int_eq(copy_from_guest(v, buf, 0x4000, 8), 0);
	ck_assert_str_eq(buf, "abcdefg");
	ck_assert_int_eq(copy_to_guest(v, 0x4100, "xyz", 4), 0);
	ck_assert_str_eq(hvm_env_gpa(0x4100), "xyz");
	ck_assert_int_eq(copy_from_guest(v, buf, HVM_ENV_NOT_RAM, 1), -EFAULT);
	ck_assert_int_eq(copy_from_guest(v, buf, HVM_ENV_NOT_RAM - 4, 8),
			 -EFAULT);
	ck_assert_int_eq(env.nr_exc, 0);
}
END_TEST

START_TEST(copy_paged)
{
	char buf[8] = "";

	long_mode();
	hvm_env_map(0x40000, 0x29000, PTE_P | PTE_RW);
	hvm_env_map(0x41000, 0x2b000, PTE_P | PTE_RW);
	put(0x29ffe, "ab", 2);
	put(0x2b000, "cd", 3);
	ck_assert_int_eq(copy_from_guest(v, buf, 0x40ffe, 5), 0);
	ck_assert_str_eq(buf, "abcd");
	ck_assert_int_eq(copy_to_guest(v, 0x40fff, "XY", 2), 0);
	ck_assert_uint_eq(byte_at(0x29fff), 'X');
	ck_assert_uint_eq(byte_at(0x2b000), 'Y');
	ck_assert_int_eq(clear_guest(v, 0x40f00, 600), 0);
	ck_assert_uint_eq(byte_at(0x29fff), 0);
	ck_assert_uint_eq(byte_at(0x2b000 + 599 - 256), 0);
	/* Failures: not mapped, not canonical, mapped to no RAM. */
	ck_assert_int_eq(copy_from_guest(v, buf, 0x50000, 1), -EFAULT);
	ck_assert_int_eq(copy_from_guest(v, buf, 0x41ffe, 4), -EFAULT);
	ck_assert_int_eq(copy_to_guest(v, 0x41fff, buf, 2), -EFAULT);
	ck_assert_int_eq(clear_guest(v, 0x41f00, 512), -EFAULT);
	ck_assert_int_eq(copy_from_guest(v, buf, 1ULL << 63, 1), -EFAULT);
	hvm_env_map(0x60000, HVM_ENV_NOT_RAM, PTE_P | PTE_RW);
	ck_assert_int_eq(copy_from_guest(v, buf, 0x60000, 1), -EFAULT);
	ck_assert_int_eq(env.nr_exc, 0);
	ck_assert_int_eq(env.crashes, 0);
}
END_TEST

/* Write protection (CR0.WP) and SMAP apply to hypercall buffers. */
START_TEST(copy_protection)
{
	char buf[4];

	long_mode();
	hvm_env_map(0x70000, 0x30000, PTE_P);
	hvm_env_map(0x71000, 0x31000, PTE_P | PTE_RW | PTE_US);
	ck_assert_int_eq(copy_to_guest(v, 0x70000, "a", 1), 0);
	env.cr0 |= CR0_WP;
	ck_assert_int_eq(copy_to_guest(v, 0x70000, "b", 1), -EFAULT);
	ck_assert_uint_eq(byte_at(0x30000), 'a');
	ck_assert_int_eq(copy_from_guest(v, buf, 0x70000, 1), 0);
	ck_assert_int_eq(copy_from_guest(v, buf, 0x71000, 1), 0);
	env.cr4 |= CR4_SMAP;
	ck_assert_int_eq(copy_from_guest(v, buf, 0x71000, 1), -EFAULT);
	v->regs.rflags |= RFLAGS_AC;
	ck_assert_int_eq(copy_from_guest(v, buf, 0x71000, 1), 0);
	ck_assert_int_eq(env.nr_exc, 0);
}
END_TEST

SUITE(hvm_emulate)
{
	Suite *s = suite_create("hvm_emulate");
	TCase *fetch = tcase_create("fetch");
	TCase *sio = tcase_create("string_io");
	TCase *copy = tcase_create("guest_access");

	tcase_add_checked_fixture(fetch, hvm_env_setup, hvm_env_teardown);
	tcase_add_test(fetch, fetch_flat);
	tcase_add_test(fetch, fetch_cs_base);
	tcase_add_test(fetch, fetch_paged);
	tcase_add_test(fetch, fetch_page_fault);
	tcase_add_test(fetch, fetch_straddle);
	tcase_add_test(fetch, fetch_noncanonical);
	tcase_add_test(fetch, fetch_not_ram);
	tcase_add_test(fetch, fetch_undecodable);
	suite_add_tcase(s, fetch);
	tcase_add_checked_fixture(sio, hvm_env_setup, hvm_env_teardown);
	tcase_add_test(sio, outs_rep);
	tcase_add_test(sio, outs_single);
	tcase_add_test(sio, outs_16bit);
	tcase_add_test(sio, outs_addr32_long);
	tcase_add_test(sio, segments);
	tcase_add_test(sio, ins_sizes);
	tcase_add_test(sio, ins_fault_midway);
	tcase_add_test(sio, ins_read_only);
	tcase_add_test(sio, ins_split_pages);
	tcase_add_test(sio, null_memory);
	tcase_add_test(sio, walk_errors);
	tcase_add_test(sio, rep_batches);
	suite_add_tcase(s, sio);
	tcase_add_checked_fixture(copy, hvm_env_setup, hvm_env_teardown);
	tcase_add_test(copy, copy_flat);
	tcase_add_test(copy, copy_paged);
	tcase_add_test(copy, copy_protection);
	suite_add_tcase(s, copy);
	return s;
}
