// SPDX-License-Identifier: GPL-2.0
/*
 * Guest page-table walks over a simulated guest RAM of 16 MiB at guest-
 * physical 0: page tables are built in it for each paging mode.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <asm/hvm/guest_walk.h>

#define MEM_SIZE	(16u << 20)
#define P		(1ULL << 0)
#define RW		(1ULL << 1)
#define US		(1ULL << 2)
#define A		(1ULL << 5)
#define D		(1ULL << 6)
#define PS		(1ULL << 7)
#define NX		(1ULL << 63)
#define ADDR64		0x000ffffffffff000ULL

static uint8_t *mem;
static uint64_t next_free;
static unsigned int updates, race_left;

static int t_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	(void)ctx;
	if (gpa >= MEM_SIZE || len > MEM_SIZE - gpa)
		return -EFAULT;
	memcpy(buf, mem + gpa, len);
	return 0;
}

static int t_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	(void)ctx;
	if (gpa >= MEM_SIZE || len > MEM_SIZE - gpa)
		return -EFAULT;
	memcpy(mem + gpa, buf, len);
	return 0;
}

static uint64_t get(uint64_t gpa, size_t size)
{
	uint64_t v = 0;

	memcpy(&v, mem + gpa, size);
	return v;
}

static void put(uint64_t gpa, uint64_t v, size_t size)
{
	memcpy(mem + gpa, &v, size);
}

/* Compare-and-exchange; race_left > 0 simulates another vCPU's change. */
static int t_update(void *ctx, uint64_t gpa, uint64_t old, uint64_t nval,
		    size_t size)
{
	(void)ctx;
	if (race_left) {
		race_left--;
		put(gpa, old ^ (1ULL << 9), size);	/* an AVL bit */
	}
	if (get(gpa, size) != old)
		return -EAGAIN;
	put(gpa, nval, size);
	updates++;
	return 0;
}

static void setup(void)
{
	mem = calloc(1, MEM_SIZE);
	next_free = 0x10000;
	updates = 0;
	race_left = 0;
}

static void teardown(void)
{
	free(mem);
}

static uint64_t alloc_page(void)
{
	uint64_t pa = next_free;

	next_free += 4096;
	ck_assert_uint_le(next_free, MEM_SIZE / 2);
	return pa;
}

/* The gpa of va's entry at level in 8-byte tables from table (levels). */
static uint64_t slot64(uint64_t table, unsigned int levels, uint64_t va,
		       unsigned int level)
{
	unsigned int l;
	uint64_t e, at;

	for (l = levels;; l--) {
		at = table + ((va >> (12 + 9 * (l - 1))) & 0x1ff) * 8;
		if (l == level)
			return at;
		e = get(at, 8);
		if (!(e & P)) {
			e = alloc_page() | P | RW | US;
			put(at, e, 8);
		}
		table = e & ADDR64;
	}
}

static void map64(uint64_t root, unsigned int levels, uint64_t va,
		  uint64_t leaf, unsigned int level)
{
	put(slot64(root, levels, va, level), leaf, 8);
}

/* PAE: PDPT at cr3 (32-byte aligned), entries only P. */
static uint64_t pae_slot(uint64_t cr3, uint64_t va, unsigned int level)
{
	uint64_t at = cr3 + ((va >> 30) & 3) * 8;

	if (!(get(at, 8) & P))
		put(at, alloc_page() | P, 8);
	return slot64(get(at, 8) & ADDR64, 2, va, level);
}

static uint64_t slot32(uint64_t cr3, uint64_t va, unsigned int level)
{
	uint64_t at = cr3 + ((va >> 22) & 0x3ff) * 4, e;

	if (level == 2)
		return at;
	e = get(at, 4);
	if (!(e & P)) {
		e = alloc_page() | P | RW | US;
		put(at, e, 4);
	}
	return (e & 0xfffff000) + ((va >> 12) & 0x3ff) * 4;
}

static struct guest_paging gp(uint64_t cr0, uint64_t cr3, uint64_t cr4,
			      uint64_t efer)
{
	struct guest_paging p = {
		.cr0 = cr0 | 1, .cr3 = cr3, .cr4 = cr4, .efer = efer,
		.read_gpa = t_read, .write_gpa = t_write,
	};
	return p;
}

#define PG	GW_CR0_PG
#define WP	GW_CR0_WP
#define LMA	(GW_EFER_LMA | (1ULL << 8))
#define NXE	GW_EFER_NXE

/* The walk must succeed with this gpa. */
#define WALK_OK(p, va, acc, want) do {					\
	uint64_t g__ = 0; uint32_t e__ = 0xdead;			\
	ck_assert_int_eq(guest_walk(p, va, acc, &g__, &e__), 0);	\
	ck_assert_uint_eq(g__, want);					\
	ck_assert_uint_eq(e__, 0);					\
} while (0)

/* The walk must raise #PF with this error code. */
#define WALK_PF(p, va, acc, want) do {					\
	uint64_t g__ = 0; uint32_t e__ = 0xdead;			\
	ck_assert_int_eq(guest_walk(p, va, acc, &g__, &e__), -EFAULT);	\
	ck_assert_uint_eq(e__, want);					\
} while (0)

START_TEST(no_paging)
{
	struct guest_paging p = gp(0, 0, 0, 0);

	p.cr0 = 1;
	ck_assert_uint_eq(guest_paging_mode(&p), GPM_NONE);
	WALK_OK(&p, 0x12345678, GW_WRITE, 0x12345678);
	WALK_OK(&p, 0x100001000ULL, 0, 0x1000);
}
END_TEST

START_TEST(paging_32)
{
	uint64_t cr3 = alloc_page();
	struct guest_paging p = gp(PG | WP, cr3, 0, 0);

	ck_assert_uint_eq(guest_paging_mode(&p), GPM_32);
	put(slot32(cr3, 0x00401000, 1), 0x200000 | P | RW, 4);
	WALK_OK(&p, 0x00401abc, GW_WRITE, 0x200abc);
	WALK_OK(&p, 0x100401abcULL, 0, 0x200abc);	/* truncated */
	WALK_PF(&p, 0x00402000, GW_WRITE, PFEC_WRITE);
	/* A 4 MiB PDE: only a page with CR4.PSE. */
	put(slot32(cr3, 0x80000000, 2), 0x00c00000 | P | PS, 4);
	WALK_PF(&p, 0x80123456, 0, 0);		/* PS ignored: empty PT */
	p.cr4 = GW_CR4_PSE;
	WALK_OK(&p, 0x80123456, 0, 0xd23456);
	WALK_PF(&p, 0x80123456, GW_WRITE, PFEC_PRESENT | PFEC_WRITE);
	/* PSE-36: bits 20:13 are address bits 39:32. */
	put(slot32(cr3, 0x80000000, 2), 0x00c00000 | (0x5 << 13) | P | PS, 4);
	WALK_OK(&p, 0x80123456, 0, 0x500d23456ULL);
	p.maxphyaddr = 34;			/* bits 20:15 reserved */
	WALK_PF(&p, 0x80123456, 0, PFEC_PRESENT | PFEC_RSVD);
	p.maxphyaddr = 36;
	WALK_OK(&p, 0x80123456, 0, 0x500d23456ULL);
	put(slot32(cr3, 0x80000000, 2), 0x00c00000 | (1 << 21) | P | PS, 4);
	WALK_PF(&p, 0x80000000, GW_USER, PFEC_PRESENT | PFEC_RSVD | PFEC_USER);
	/* No NX in 32-bit paging: no I/D bit without SMEP, even with NXE. */
	p.efer = NXE;
	WALK_PF(&p, 0x00402000, GW_FETCH, 0);
	p.cr4 |= GW_CR4_SMEP;
	WALK_PF(&p, 0x00402000, GW_FETCH, PFEC_INSN);
}
END_TEST

START_TEST(paging_pae)
{
	uint64_t cr3 = alloc_page() + 0x20;		/* 32-byte aligned */
	struct guest_paging p = gp(PG, cr3, GW_CR4_PAE, NXE);
	uint64_t pdptes[4];

	ck_assert_uint_eq(guest_paging_mode(&p), GPM_PAE);
	put(pae_slot(cr3, 0xc0001000, 1), 0x300000 | P | RW | NX, 8);
	WALK_OK(&p, 0xc0001234, GW_WRITE, 0x300234);
	WALK_PF(&p, 0xc0001234, GW_FETCH, PFEC_PRESENT | PFEC_INSN);
	WALK_PF(&p, 0xc0002000, GW_FETCH, PFEC_INSN);
	/* 2 MiB page; a high physical address within MAXPHYADDR. */
	put(pae_slot(cr3, 0x40200000, 2), 0x7f00200000ULL | P | PS, 8);
	WALK_OK(&p, 0x40312345, 0, 0x7f00312345ULL);
	put(pae_slot(cr3, 0x40200000, 2),
	    0x7f00200000ULL | P | PS | 1 << 13, 8);
	WALK_PF(&p, 0x40312345, 0, PFEC_PRESENT | PFEC_RSVD);
	/* NX without EFER.NXE is a reserved bit. */
	put(pae_slot(cr3, 0x40200000, 2), 0x7f00200000ULL | P | PS, 8);
	p.efer = 0;
	WALK_PF(&p, 0xc0001234, 0, PFEC_PRESENT | PFEC_RSVD);
	p.efer = NXE;
	/* PDPTEs have no R/W: a set bit 1 is reserved; so is bit 7. An A
	 * bit (which QEMU sets) is not. */
	put(cr3 + 3 * 8, get(cr3 + 3 * 8, 8) | A, 8);
	WALK_OK(&p, 0xc0001234, GW_WRITE, 0x300234);
	put(cr3 + 3 * 8, get(cr3 + 3 * 8, 8) | PS, 8);
	WALK_PF(&p, 0xc0001234, 0, PFEC_PRESENT | PFEC_RSVD);
	put(cr3 + 3 * 8, (get(cr3 + 3 * 8, 8) & ~PS) | RW, 8);
	WALK_PF(&p, 0xc0001234, 0, PFEC_PRESENT | PFEC_RSVD);
	put(cr3 + 3 * 8, 0, 8);
	WALK_PF(&p, 0xc0001234, GW_WRITE, PFEC_WRITE);
	/* PDPTEs cached by the CPU take precedence over memory. */
	memcpy(pdptes, mem + cr3, sizeof(pdptes));
	pdptes[3] = get(cr3 + 1 * 8, 8);		/* 0x40000000's PD */
	p.pdptes = pdptes;
	WALK_OK(&p, 0xc0312345, 0, 0x7f00312345ULL);
}
END_TEST

START_TEST(paging_long)
{
	uint64_t cr3 = alloc_page();
	struct guest_paging p = gp(PG | WP, cr3 | 0x18, GW_CR4_PAE, LMA | NXE);
	uint64_t va = 0xffff800000201000ULL;

	ck_assert_uint_eq(guest_paging_mode(&p), GPM_LONG4);
	map64(cr3, 4, va, 0x123000 | P | RW, 1);
	WALK_OK(&p, va + 0x567, GW_WRITE, 0x123567);
	/* 2 MiB and 1 GiB pages. */
	map64(cr3, 4, 0x40000000, 0x600000 | P | PS, 2);
	WALK_OK(&p, 0x400abcde, 0, 0x6abcde);
	map64(cr3, 4, 0x7fc0000000ULL, 0x80000000ULL | P | PS, 3);
	WALK_OK(&p, 0x7fc1234567ULL, 0, 0x81234567ULL);
	map64(cr3, 4, 0x7fc0000000ULL, 0x80000000ULL | P | PS | 1 << 20, 3);
	WALK_PF(&p, 0x7fc1234567ULL, 0, PFEC_PRESENT | PFEC_RSVD);
	/* PS in a PML4E is reserved. */
	put(slot64(cr3, 4, 0xffff808000000000ULL, 4), 0x100000 | P | PS, 8);
	WALK_PF(&p, 0xffff808000000000ULL, 0, PFEC_PRESENT | PFEC_RSVD);
	/* Address bits above MAXPHYADDR are reserved. */
	p.maxphyaddr = 40;
	WALK_OK(&p, va, 0, 0x123000);
	map64(cr3, 4, va, 0x123000 | 1ULL << 45 | P, 1);
	WALK_PF(&p, va, GW_WRITE | GW_USER,
		PFEC_PRESENT | PFEC_RSVD | PFEC_WRITE | PFEC_USER);
	p.maxphyaddr = 0;
	WALK_OK(&p, va, 0, 0x123000 | 1ULL << 45);
	/* Non-canonical: #GP, not #PF. */
	{
		uint64_t g;
		uint32_t e = 1;

		ck_assert_int_eq(guest_walk(&p, 0x0000800000000000ULL, 0,
					    &g, &e), -EINVAL);
		ck_assert_uint_eq(e, 0);
		ck_assert_int_eq(guest_walk(&p, 0xfff0800000000000ULL, 0,
					    &g, &e), -EINVAL);
	}
	WALK_PF(&p, 0xffffff8000000000ULL, 0, 0);
}
END_TEST

START_TEST(paging_la57)
{
	uint64_t cr3 = alloc_page();
	struct guest_paging p = gp(PG, cr3, GW_CR4_PAE | GW_CR4_LA57, LMA);
	uint64_t va = 0x00ff000000001000ULL, g;
	uint32_t e;

	ck_assert_uint_eq(guest_paging_mode(&p), GPM_LONG5);
	map64(cr3, 5, va, 0x45000 | P, 1);
	WALK_OK(&p, va + 8, 0, 0x45008);
	ck_assert_int_eq(guest_walk(&p, 0x0100000000000000ULL, 0, &g, &e),
			 -EINVAL);
	WALK_PF(&p, 0xff00000000000000ULL, 0, 0);
}
END_TEST

START_TEST(bad_tables)
{
	struct guest_paging p = gp(PG, 0x40000000, GW_CR4_PAE, LMA);
	uint64_t cr3 = alloc_page(), g = 7;
	uint32_t e = 7;

	ck_assert_int_eq(guest_walk(&p, 0x1000, 0, &g, &e), -ENXIO);
	ck_assert_uint_eq(e, 0);
	ck_assert_uint_eq(g, 7);
	/* A PDE pointing outside RAM. */
	p.cr3 = cr3;
	put(slot64(cr3, 4, 0x1000, 2), 0x80000000ULL | P | RW, 8);
	ck_assert_int_eq(guest_walk(&p, 0x1000, 0, &g, &e), -ENXIO);
	/* PAE with the PDPT outside RAM, and 32-bit paging. */
	p = gp(PG, 0xfffffe0, GW_CR4_PAE, 0);
	ck_assert_int_eq(guest_walk(&p, 0x1000, 0, &g, &e), -ENXIO);
	p = gp(PG, 0xfffff000, 0, 0);
	ck_assert_int_eq(guest_walk(&p, 0x1000, 0, &g, &e), -ENXIO);
}
END_TEST

/* Long mode with one PTE of the given flags at 0x1000 (all upper US|RW). */
static struct guest_paging perm_setup(uint64_t leaf)
{
	uint64_t cr3 = alloc_page();

	map64(cr3, 4, 0x1000, 0x5000 | leaf, 1);
	return gp(PG | WP, cr3, GW_CR4_PAE, LMA | NXE);
}

START_TEST(permissions)
{
	struct guest_paging p = perm_setup(P);		/* supervisor RO */

	WALK_OK(&p, 0x1000, 0, 0x5000);
	WALK_PF(&p, 0x1000, GW_USER, PFEC_PRESENT | PFEC_USER);
	WALK_PF(&p, 0x1000, GW_WRITE, PFEC_PRESENT | PFEC_WRITE);
	p.cr0 &= ~WP;					/* WP=0: allowed */
	WALK_OK(&p, 0x1000, GW_WRITE, 0x5000);
	WALK_PF(&p, 0x1000, GW_WRITE | GW_USER,
		PFEC_PRESENT | PFEC_WRITE | PFEC_USER);
	WALK_OK(&p, 0x1000, GW_FETCH, 0x5000);
	WALK_PF(&p, 0x2000, GW_WRITE | GW_USER, PFEC_WRITE | PFEC_USER);
	WALK_PF(&p, 0x2000, GW_FETCH | GW_USER, PFEC_INSN | PFEC_USER);

	p = perm_setup(P | RW | US | NX);
	WALK_OK(&p, 0x1000, GW_WRITE | GW_USER, 0x5000);
	WALK_PF(&p, 0x1000, GW_FETCH | GW_USER,
		PFEC_PRESENT | PFEC_INSN | PFEC_USER);
	WALK_PF(&p, 0x1000, GW_FETCH, PFEC_PRESENT | PFEC_INSN);
	/* U/S and R/W clear in an upper level count too. */
	p = perm_setup(P | RW | US);
	put(slot64(p.cr3, 4, 0x1000, 3),
	    get(slot64(p.cr3, 4, 0x1000, 3), 8) & ~(US | RW), 8);
	WALK_PF(&p, 0x1000, GW_USER, PFEC_PRESENT | PFEC_USER);
	WALK_PF(&p, 0x1000, GW_WRITE, PFEC_PRESENT | PFEC_WRITE);
	/* NX in the PML4E. */
	p = perm_setup(P | RW | US);
	put(p.cr3, get(p.cr3, 8) | NX, 8);
	WALK_PF(&p, 0x1000, GW_FETCH, PFEC_PRESENT | PFEC_INSN);
}
END_TEST

START_TEST(smep_smap)
{
	struct guest_paging p = perm_setup(P | RW | US);

	/* Without SMEP/SMAP the supervisor may use user pages. */
	WALK_OK(&p, 0x1000, GW_FETCH, 0x5000);
	WALK_OK(&p, 0x1000, GW_WRITE, 0x5000);
	p.cr4 |= GW_CR4_SMEP;
	WALK_PF(&p, 0x1000, GW_FETCH, PFEC_PRESENT | PFEC_INSN);
	WALK_OK(&p, 0x1000, GW_FETCH | GW_USER, 0x5000);
	WALK_OK(&p, 0x1000, GW_WRITE, 0x5000);
	p.cr4 |= GW_CR4_SMAP;
	WALK_PF(&p, 0x1000, 0, PFEC_PRESENT);
	WALK_PF(&p, 0x1000, GW_WRITE, PFEC_PRESENT | PFEC_WRITE);
	WALK_OK(&p, 0x1000, GW_USER, 0x5000);
	p.rflags = GW_RFLAGS_AC;			/* STAC */
	WALK_OK(&p, 0x1000, GW_WRITE, 0x5000);
	WALK_PF(&p, 0x1000, GW_IMPLICIT, PFEC_PRESENT);
	/* Supervisor pages are not affected. */
	p = perm_setup(P | RW);
	p.cr4 |= GW_CR4_SMEP | GW_CR4_SMAP;
	WALK_OK(&p, 0x1000, GW_FETCH, 0x5000);
	WALK_OK(&p, 0x1000, GW_WRITE | GW_IMPLICIT, 0x5000);
}
END_TEST

START_TEST(accessed_dirty)
{
	uint64_t cr3 = alloc_page(), pte_at;
	struct guest_paging p = gp(PG, cr3, GW_CR4_PAE, LMA);
	unsigned int l;

	map64(cr3, 4, 0x1000, 0x5000 | P | RW, 1);
	pte_at = slot64(cr3, 4, 0x1000, 1);
	WALK_OK(&p, 0x1000, GW_WRITE, 0x5000);	/* no callback: no change */
	ck_assert_uint_eq(get(pte_at, 8), 0x5000 | P | RW);
	p.update_pte = t_update;
	WALK_OK(&p, 0x1000, 0, 0x5000);
	ck_assert_uint_eq(updates, 4);
	for (l = 1; l <= 4; l++)
		ck_assert(get(slot64(cr3, 4, 0x1000, l), 8) & A);
	ck_assert(!(get(pte_at, 8) & D));
	WALK_OK(&p, 0x1000, GW_WRITE, 0x5000);
	ck_assert_uint_eq(updates, 5);
	ck_assert(get(pte_at, 8) & D);
	/* Dirty only in the leaf (here a 2 MiB page). */
	map64(cr3, 4, 0x40000000, 0x600000 | P | RW | PS, 2);
	WALK_OK(&p, 0x40000000, GW_WRITE, 0x600000);
	ck_assert_uint_eq(get(slot64(cr3, 4, 0x40000000, 2), 8),
			  0x600000 | P | RW | PS | A | D);
	ck_assert(!(get(slot64(cr3, 4, 0x40000000, 3), 8) & D));
	/* Faulting walks set nothing. */
	map64(cr3, 4, 0x2000, 0x7000 | P, 1);
	p.cr0 |= WP;
	WALK_PF(&p, 0x2000, GW_WRITE, PFEC_PRESENT | PFEC_WRITE);
	ck_assert_uint_eq(get(slot64(cr3, 4, 0x2000, 1), 8), 0x7000 | P);
}
END_TEST

START_TEST(accessed_race)
{
	uint64_t cr3 = alloc_page();
	struct guest_paging p = gp(PG, cr3, 0, 0);
	uint64_t g;
	uint32_t e;

	p.update_pte = t_update;
	put(slot32(cr3, 0x1000, 1), 0x5000 | P | RW, 4);
	race_left = 1;				/* first update loses */
	WALK_OK(&p, 0x1000, GW_WRITE, 0x5000);
	ck_assert_uint_eq(get(slot32(cr3, 0x1000, 1), 4),
			  0x5000 | P | RW | A | D);
	ck_assert_uint_eq(get(slot32(cr3, 0x1000, 2), 4) & (A | 1 << 9),
			  A | 1 << 9);
	race_left = 100;			/* always loses */
	put(slot32(cr3, 0x1000, 1), 0x5000 | P | RW, 4);
	ck_assert_int_eq(guest_walk(&p, 0x1000, GW_WRITE, &g, &e), -EAGAIN);
	ck_assert_uint_eq(e, 0);
}
END_TEST

/* Long mode: virtual pages 0x10000.. map to scattered physical pages. */
static struct guest_paging copy_setup(void)
{
	uint64_t cr3 = alloc_page();
	struct guest_paging p = gp(PG | WP, cr3, GW_CR4_PAE, LMA | NXE);

	map64(cr3, 4, 0x10000, 0x300000 | P | RW, 1);
	map64(cr3, 4, 0x11000, 0x250000 | P | RW, 1);
	map64(cr3, 4, 0x12000, 0x380000 | P, 1);	/* read-only */
	map64(cr3, 4, 0x13000, 0x7000000 | P | RW, 1);	/* not RAM */
	return p;
}

START_TEST(copies)
{
	struct guest_paging p = copy_setup();
	struct guest_fault f = { 0 };
	uint8_t buf[8192], out[8192];
	unsigned int i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i * 7 + 1;
	ck_assert_int_eq(copy_to_guest_virt(&p, 0x10ff0, buf, 0x20, 0, &f),
			 0);
	ck_assert_int_eq(memcmp(mem + 0x300ff0, buf, 0x10), 0);
	ck_assert_int_eq(memcmp(mem + 0x250000, buf + 0x10, 0x10), 0);
	memset(out, 0, sizeof(out));
	ck_assert_int_eq(copy_from_guest_virt(&p, out, 0x10ff0, 0x20, 0, &f),
			 0);
	ck_assert_int_eq(memcmp(out, buf, 0x20), 0);
	/* A write reaching the read-only page: #PF at its start. */
	ck_assert_int_eq(copy_to_guest_virt(&p, 0x11800, buf, 0x1000, 0, &f),
			 -EFAULT);
	ck_assert_uint_eq(f.addr, 0x12000);
	ck_assert_uint_eq(f.pfec, PFEC_PRESENT | PFEC_WRITE);
	ck_assert_int_eq(memcmp(mem + 0x250800, buf, 0x800), 0);
	/* Reading is fine there; user mode is not. */
	ck_assert_int_eq(copy_from_guest_virt(&p, out, 0x11800, 0x1000, 0,
					      &f), 0);
	p.cpl = 3;
	ck_assert_int_eq(copy_from_guest_virt(&p, out, 0x11800, 0x10, 0, &f),
			 -EFAULT);
	ck_assert_uint_eq(f.pfec, PFEC_PRESENT | PFEC_USER);
	ck_assert_int_eq(copy_from_guest_virt(&p, out, 0x11800, 0x10,
					      GW_IMPLICIT, &f), 0);
	p.cpl = 0;
	/* MMIO behind the last page. */
	ck_assert_int_eq(copy_from_guest_virt(&p, out, 0x12ffc, 8, 0, &f),
			 -ENXIO);
	ck_assert_uint_eq(f.addr, 0x13000);
	ck_assert_uint_eq(f.pfec, 0);
	/* Not present. */
	ck_assert_int_eq(copy_from_guest_virt(&p, out, 0x14000, 1, 0, &f),
			 -EFAULT);
	ck_assert_uint_eq(f.pfec, 0);
	ck_assert_int_eq(copy_from_guest_virt(&p, out, 0x10000, 0, 0, &f), 0);
}
END_TEST

struct chunk_log {
	unsigned int n;
	uint64_t gpa[8];
	size_t done[8], len[8];
};

static int log_chunk(void *arg, uint64_t gpa, size_t done, size_t len)
{
	struct chunk_log *l = arg;

	ck_assert_uint_lt(l->n, 8);
	l->gpa[l->n] = gpa;
	l->done[l->n] = done;
	l->len[l->n++] = len;
	return 0;
}

START_TEST(iterate_split)
{
	struct guest_paging p = copy_setup();
	struct chunk_log l = { 0 };
	size_t done;

	ck_assert_int_eq(guest_virt_iterate(&p, 0x10100, 0x2000, 0,
					    log_chunk, &l, &done, NULL), 0);
	ck_assert_uint_eq(done, 0x2000);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_uint_eq(l.gpa[0], 0x300100);
	ck_assert_uint_eq(l.len[0], 0xf00);
	ck_assert_uint_eq(l.gpa[1], 0x250000);
	ck_assert_uint_eq(l.done[1], 0xf00);
	ck_assert_uint_eq(l.len[1], 0x1000);
	ck_assert_uint_eq(l.gpa[2], 0x380000);
	ck_assert_uint_eq(l.len[2], 0x100);
	/* Outside long mode the range wraps at 4 GiB. */
	p = gp(0, 0, 0, 0);
	p.cr0 = 1;
	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(guest_virt_iterate(&p, 0xfffffff0, 0x20, 0,
					    log_chunk, &l, &done, NULL), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_uint_eq(l.gpa[1], 0);
	ck_assert_uint_eq(l.len[1], 0x10);
}
END_TEST

START_TEST(fetch)
{
	struct guest_paging p = copy_setup();
	struct guest_fault f = { 0 };
	uint8_t b[INSN_MAX_LEN];
	struct insn in;
	int n;

	/* VMMCALL in the last 3 bytes of a page, next page present. */
	memcpy(mem + 0x250ffd, "\x0f\x01\xd9", 3);
	memcpy(mem + 0x380000, "\x90\x90", 2);
	n = insn_fetch(&p, 0, 0x11ffd, INSN_MODE_64, b, &f);
	ck_assert_int_eq(n, INSN_MAX_LEN);
	ck_assert_int_eq(memcmp(b, "\x0f\x01\xd9\x90\x90", 5), 0);
	/* Next page absent: 3 bytes suffice for VMMCALL... */
	memcpy(mem + 0x380ffd, "\x0f\x01\xd9", 3);
	n = insn_fetch(&p, 0, 0x12ffd, INSN_MODE_64, b, &f);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(f.rc, -ENXIO);
	ck_assert_uint_eq(f.addr, 0x13000);
	memcpy(mem + 0x300ffd, "\x0f\x01\xd9", 3);
	map64(p.cr3, 4, 0x11000, 0, 1);
	n = insn_fetch(&p, 0, 0x10ffd, INSN_MODE_64, b, &f);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(f.rc, -EFAULT);
	ck_assert_uint_eq(f.addr, 0x11000);
	ck_assert_uint_eq(f.pfec, PFEC_INSN);
	ck_assert_int_eq(insn_decode(&in, b, n, INSN_MODE_64), 0);
	ck_assert_uint_eq(in.len, 3);
	/* ...but not for a MOV with an imm32: inject f. */
	memcpy(mem + 0x300ffd, "\xb8\x01\x02", 3);
	n = insn_fetch(&p, 0, 0x10ffd, INSN_MODE_64, b, &f);
	ck_assert_int_eq(insn_decode(&in, b, n, INSN_MODE_64), -EFAULT);
	/* First byte absent or NX. */
	n = insn_fetch(&p, 0, 0x11000, INSN_MODE_64, b, &f);
	ck_assert_int_eq(n, -EFAULT);
	ck_assert_uint_eq(f.addr, 0x11000);
	map64(p.cr3, 4, 0x11000, 0x250000 | P | NX, 1);
	n = insn_fetch(&p, 0, 0x11000, INSN_MODE_64, b, &f);
	ck_assert_int_eq(n, -EFAULT);
	ck_assert_uint_eq(f.pfec, PFEC_PRESENT | PFEC_INSN);
	/* User fetch from a supervisor page. */
	p.cpl = 3;
	n = insn_fetch(&p, 0, 0x10000, INSN_MODE_64, b, &f);
	ck_assert_int_eq(n, -EFAULT);
	ck_assert_uint_eq(f.pfec, PFEC_PRESENT | PFEC_USER | PFEC_INSN);
}
END_TEST

START_TEST(fetch_segmented)
{
	struct guest_paging p = gp(0, 0, 0, 0);
	struct guest_fault f;
	uint8_t b[INSN_MAX_LEN];

	p.cr0 = 1;
	memcpy(mem + 0x1234, "\xf4", 1);
	/* Real mode: CS base 0x1000 + IP 0x234. */
	ck_assert_int_eq(insn_fetch(&p, 0x1000, 0x234, INSN_MODE_16, b, &f),
			 INSN_MAX_LEN);
	ck_assert_uint_eq(b[0], 0xf4);
	/* 32-bit: base + EIP wraps at 4 GiB; 64-bit: base ignored. */
	ck_assert_int_eq(insn_fetch(&p, 0xfffff000, 0x2234, INSN_MODE_32, b,
				    &f), INSN_MAX_LEN);
	ck_assert_uint_eq(b[0], 0xf4);
	ck_assert_int_eq(insn_fetch(&p, 0x1000, 0x1234, INSN_MODE_64, b, &f),
			 INSN_MAX_LEN);
	ck_assert_uint_eq(b[0], 0xf4);
	/* Fetching from outside RAM. */
	ck_assert_int_eq(insn_fetch(&p, 0, 0x7000000, INSN_MODE_32, b, &f),
			 -ENXIO);
	ck_assert_int_eq(insn_fetch(&p, 0, MEM_SIZE - 4, INSN_MODE_32, b, &f),
			 4);
	ck_assert_uint_eq(f.addr, MEM_SIZE);
}
END_TEST

SUITE(guest_walk)
{
	Suite *s = suite_create("guest_walk");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, no_paging);
	tcase_add_test(tc, paging_32);
	tcase_add_test(tc, paging_pae);
	tcase_add_test(tc, paging_long);
	tcase_add_test(tc, paging_la57);
	tcase_add_test(tc, bad_tables);
	tcase_add_test(tc, permissions);
	tcase_add_test(tc, smep_smap);
	tcase_add_test(tc, accessed_dirty);
	tcase_add_test(tc, accessed_race);
	tcase_add_test(tc, copies);
	tcase_add_test(tc, iterate_split);
	tcase_add_test(tc, fetch);
	tcase_add_test(tc, fetch_segmented);
	suite_add_tcase(s, tc);
	return s;
}
