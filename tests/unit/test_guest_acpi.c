// SPDX-License-Identifier: GPL-2.0
/*
 * A PVH guest's ACPI tables (common/guest_acpi.c), placed by the PVH
 * layout (common/pvh_start_info.c) in simulated guest memory: a host
 * buffer standing for guest RAM [0, size). Each test builds a domain as
 * boot_domains.c does, then reads it back the way a guest does, from the
 * start info: RSDP -> XSDT/RSDT -> FADT -> DSDT, MADT, with every length,
 * checksum and pointer checked by hand and again by the hypervisor's own
 * parser of firmware tables (acpi_parse()), and the tables' place
 * checked against the memory map, the kernel and the boot data.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <lamina/acpi.h>
#include <lamina/errno.h>
#include <lamina/guest_acpi.h>
#include <lamina/mm.h>
#include <lamina/pvh_start_info.h>
#include <xen/hvm/e820.h>
#include <xen/xen.h>

static uint8_t *gmem;
static size_t gmem_size;

static int gwrite(void *ctx, uint64_t gpa, const void *src, size_t len)
{
	(void)ctx;
	if (gpa > gmem_size || len > gmem_size - gpa)
		return -EFAULT;
	memcpy(gmem + gpa, src, len);
	return 0;
}

/* For acpi_parse(): guest memory as if it were machine memory. */
static const void *gmap(uint64_t gpa, size_t len, void *ctx)
{
	(void)ctx;
	if (gpa > gmem_size || len > gmem_size - gpa)
		return NULL;
	return gmem + gpa;
}

static void teardown(void)
{
	free(gmem);
	gmem = NULL;
	gmem_size = 0;
}

static uint32_t rd32(uint64_t gpa)
{
	uint32_t v;

	ck_assert_uint_le(gpa + 4, gmem_size);
	memcpy(&v, gmem + gpa, 4);
	return v;
}

static uint64_t rd64(uint64_t gpa)
{
	uint64_t v;

	ck_assert_uint_le(gpa + 8, gmem_size);
	memcpy(&v, gmem + gpa, 8);
	return v;
}

/* APIC IDs as hvm_vcpu_apic_id() gives them: twice the vCPU id. */
static uint32_t ids[GUEST_ACPI_MAX_CPUS];

static void xen_ids(unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		ids[i] = 2 * i;
}

/* A Linux-like domain of 64 MiB with nr vCPUs, built as boot_domains.c
 * builds it: layout, start info, then the tables where the layout says. */
static struct pvh_guest domain(unsigned int nr)
{
	static uint8_t initrd[5000];

	memset(initrd, 0x5a, sizeof(initrd));
	return (struct pvh_guest){
		.domid = 4, .mem = MiB(64), .kernel_start = MiB(16),
		.kernel_end = MiB(16) + 0x123456, .cmdline = "console=hvc0",
		.initrd = initrd, .initrd_len = sizeof(initrd),
		.initrd_cmdline = "x", .acpi_size = GUEST_ACPI_SIZE(nr),
	};
}

static const struct hvm_start_info *build(const struct pvh_guest *g,
					  struct pvh_layout *l,
					  unsigned int nr)
{
	static uint8_t buf[GUEST_ACPI_SIZE(GUEST_ACPI_MAX_CPUS)];

	free(gmem);
	gmem_size = g->mem;
	gmem = calloc(1, gmem_size);
	ck_assert_ptr_nonnull(gmem);
	memset(gmem + g->kernel_start, 0xcc, g->kernel_end - g->kernel_start);
	harness_log_clear();
	ck_assert_int_eq(pvh_layout(g, l), 0);
	ck_assert_int_eq(pvh_write(g, l, gwrite, NULL), 0);
	memset(buf, 0xee, sizeof(buf));
	ck_assert_int_eq(guest_acpi_build(l->acpi, ids, nr, buf, sizeof(buf)),
			 0);
	ck_assert_int_eq(gwrite(NULL, l->acpi, buf, GUEST_ACPI_SIZE(nr)), 0);
	return (const void *)(gmem + l->start_info);
}

/*
 * The table at gpa: signature, length within [min, block end), checksum,
 * revision, OEM fields. Returns its length.
 */
static uint32_t table(uint64_t gpa, const char *sig, uint8_t rev,
		      uint32_t len, uint64_t block, uint64_t block_end)
{
	const struct acpi_table_header *h = (const void *)(gmem + gpa);

	ck_assert_uint_ge(gpa, block);
	ck_assert_uint_le(gpa + sizeof(*h), block_end);
	ck_assert_mem_eq(h->signature, sig, 4);
	ck_assert_uint_eq(h->length, len);
	ck_assert_uint_le(gpa + h->length, block_end);
	ck_assert_uint_eq(acpi_checksum(h, h->length), 0);
	ck_assert_uint_eq(h->revision, rev);
	ck_assert_mem_eq(h->oem_id, "LAMINA", 6);
	ck_assert_mem_eq(h->oem_table_id, "PVHGUEST", 8);
	ck_assert_mem_eq(&h->creator_id, "LMNA", 4);
	return h->length;
}

static void check_madt(uint64_t madt, unsigned int nr, uint64_t block,
		       uint64_t end)
{
	unsigned int i;

	table(madt, "APIC", 4, 44 + 8 * nr, block, end);
	ck_assert_uint_eq(rd32(madt + 36), 0xfee00000);
	ck_assert_uint_eq(rd32(madt + 40), 0);		/* no PCAT_COMPAT */
	for (i = 0; i < nr; i++) {
		const uint8_t *e = gmem + madt + 44 + 8 * i;

		ck_assert_uint_eq(e[0], 0);		/* Local APIC */
		ck_assert_uint_eq(e[1], 8);
		ck_assert_uint_eq(e[2], i);		/* UID = vCPU id */
		ck_assert_uint_eq(e[3], ids[i]);
		ck_assert_uint_eq(rd32(madt + 44 + 8 * i + 4), 1); /* enabled */
	}
}

static void check_fadt(uint64_t fadt, uint64_t block, uint64_t end)
{
	uint64_t dsdt = rd64(fadt + 140);
	unsigned int off;

	table(fadt, "FACP", 6, 276, block, end);
	ck_assert_uint_eq(gmem[fadt + 131], 0);		/* minor version */
	ck_assert_uint_eq(rd32(fadt + 40), dsdt);
	table(dsdt, "DSDT", 2, 36, block, end);		/* no AML */
	/* WBINVD, PROC_C1, no fixed power/sleep button, HW_REDUCED. */
	ck_assert_uint_eq(rd32(fadt + 112), 0x1 | 0x4 | 0x10 | 0x20 |
					    (1u << 20));
	/* Boot flags: NO_VGA, NO_CMOS_RTC; no 8042, no legacy devices. */
	ck_assert_uint_eq(gmem[fadt + 109] | gmem[fadt + 110] << 8,
			  (1u << 2) | (1u << 5));
	ck_assert_uint_eq(rd32(fadt + 36), 0);		/* no FACS */
	ck_assert_uint_eq(rd64(fadt + 132), 0);
	ck_assert_uint_eq(gmem[fadt + 46] | gmem[fadt + 47] << 8, 0); /* SCI */
	/* Every fixed-hardware block, 32-bit and X_, the reset register and
	 * the sleep registers are zero. */
	for (off = 48; off < 96; off++)
		ck_assert_uint_eq(gmem[fadt + off], 0);
	for (off = 116; off < 131; off++)
		ck_assert_uint_eq(gmem[fadt + off], 0);
	for (off = 148; off < 268; off++)
		ck_assert_uint_eq(gmem[fadt + off], 0);
	ck_assert_mem_eq(gmem + fadt + 268, "Lamina\0\0", 8);
}

/* What the hypervisor's own parser of firmware tables makes of them. */
static void check_parsed(uint64_t rsdp, unsigned int nr)
{
	static struct acpi_info ai;
	struct boot_info bi = { .rsdp_maddr = rsdp };
	unsigned int i;

	harness_log_clear();
	ck_assert_int_eq(acpi_parse(gmap, NULL, &bi, &ai), 0);
	ck_assert_uint_eq(ai.nr_errors, 0);
	ck_assert_uint_eq(ai.rsdp_maddr, rsdp);
	ck_assert_uint_eq(ai.rsdp_revision, 2);
	ck_assert_str_eq(ai.oem_id, "LAMINA");
	ck_assert(ai.used_xsdt);
	ck_assert(ai.have_madt);
	ck_assert_uint_eq(ai.lapic_maddr, 0xfee00000);
	ck_assert(!ai.pic_present);
	ck_assert_uint_eq(ai.nr_ioapics, 0);
	ck_assert_uint_eq(ai.nr_overrides, 0);
	ck_assert_uint_eq(ai.nr_cpus, nr);
	for (i = 0; i < nr; i++) {
		ck_assert_uint_eq(ai.cpus[i].acpi_id, i);
		ck_assert_uint_eq(ai.cpus[i].apic_id, ids[i]);
		ck_assert(ai.cpus[i].enabled);
	}
	ck_assert(ai.have_fadt);
	ck_assert_uint_eq(ai.fadt_revision, 6);
	ck_assert_uint_eq(ai.pm1a_cnt | ai.pm1b_cnt | ai.pm_tmr_blk, 0);
	ck_assert(!ai.reset_supported);
	ck_assert(ai.fadt_flags & ACPI_FADT_HW_REDUCED);
	ck_assert(!(ai.iapc_boot_arch & ACPI_BOOT_8042));
	ck_assert(!ai.have_s5);
	ck_assert(!ai.have_hpet);
	ck_assert_uint_eq(ai.nr_mcfg, 0);
}

/* [a, a_end) inside one memory-map entry of the given type. */
static bool in_map(const struct hvm_start_info *si, uint64_t a,
		   uint64_t a_end, uint32_t type)
{
	const struct hvm_memmap_table_entry *m =
		(const void *)(gmem + si->memmap_paddr);
	unsigned int i;

	for (i = 0; i < si->memmap_entries; i++)
		if (m[i].type == type && m[i].addr <= a &&
		    a_end <= m[i].addr + m[i].size)
			return true;
	return false;
}

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

/*
 * The tables stay clear of RAM (Linux never reuses them), of the kernel
 * (whose bytes are intact), of the boot data and of each other.
 */
static void check_placement(const struct pvh_guest *g,
			    const struct pvh_layout *l,
			    const struct hvm_start_info *si, uint64_t end)
{
	const struct hvm_memmap_table_entry *m =
		(const void *)(gmem + si->memmap_paddr);
	const struct hvm_modlist_entry *mod =
		(const void *)(gmem + si->modlist_paddr);
	uint64_t a = si->rsdp_paddr;
	unsigned int i;

	ck_assert(in_map(si, a, end, XEN_HVM_MEMMAP_TYPE_RESERVED));
	for (i = 0; i < si->memmap_entries; i++)
		if (m[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
			ck_assert(!overlaps(a, end, m[i].addr,
					    m[i].addr + m[i].size));
	ck_assert(!overlaps(a, end, g->kernel_start, g->kernel_end));
	ck_assert_uint_eq(gmem[g->kernel_start], 0xcc);
	ck_assert_uint_eq(gmem[g->kernel_end - 1], 0xcc);
	ck_assert(!overlaps(a, end, l->data_start, l->data_end));
	ck_assert(!overlaps(a, end, l->start_info,
			    l->start_info + sizeof(*si)));
	ck_assert_uint_eq(si->nr_modules, 1);
	ck_assert(!overlaps(a, end, mod->paddr, mod->paddr + mod->size));
	ck_assert_uint_eq(gmem[mod->paddr], 0x5a);
	ck_assert(!overlaps(a, end, si->cmdline_paddr,
			    si->cmdline_paddr + strlen(g->cmdline) + 1));
	ck_assert_str_eq((const char *)gmem + si->cmdline_paddr, g->cmdline);
}

/* The MADT's address: the XSDT's second entry. */
static uint64_t madt_of(uint64_t rsdp)
{
	const struct acpi_rsdp *r = (const void *)(gmem + rsdp);

	return rd64(r->xsdt_address + 36 + 8);
}

/* Everything a guest reads, from the start info. */
static void check_domain(unsigned int nr)
{
	struct pvh_guest g = domain(nr);
	const struct hvm_start_info *si;
	struct pvh_layout l;
	uint64_t rsdp, end, xsdt, rsdt;
	const struct acpi_rsdp *r;

	xen_ids(nr);
	si = build(&g, &l, nr);
	rsdp = si->rsdp_paddr;
	ck_assert_uint_eq(rsdp, 0xe0000);
	ck_assert_uint_eq(rsdp, l.acpi);
	end = rsdp + GUEST_ACPI_SIZE(nr);

	r = (const void *)(gmem + rsdp);
	ck_assert_mem_eq(r->signature, "RSD PTR ", 8);
	ck_assert_uint_eq(acpi_checksum(r, 20), 0);
	ck_assert_uint_eq(r->revision, 2);
	ck_assert_uint_eq(r->length, 36);
	ck_assert_uint_eq(acpi_checksum(r, 36), 0);
	ck_assert_mem_eq(r->oem_id, "LAMINA", 6);
	xsdt = r->xsdt_address;
	rsdt = r->rsdt_address;
	table(xsdt, "XSDT", 1, 36 + 2 * 8, rsdp, end);
	table(rsdt, "RSDT", 1, 36 + 2 * 4, rsdp, end);
	/* Both list the FADT, then the MADT. */
	ck_assert_uint_eq(rd32(rsdt + 36), rd64(xsdt + 36));
	ck_assert_uint_eq(rd32(rsdt + 40), rd64(xsdt + 44));
	check_fadt(rd64(xsdt + 36), rsdp, end);
	check_madt(madt_of(rsdp), nr, rsdp, end);
	/* The MADT is last: nothing of the block is left unused. */
	ck_assert_uint_eq(madt_of(rsdp) + 44 + 8 * nr, end);
	check_parsed(rsdp, nr);
	check_placement(&g, &l, si, end);
}

START_TEST(one_vcpu)
{
	check_domain(1);
}
END_TEST

START_TEST(two_vcpus)
{
	check_domain(2);
}
END_TEST

START_TEST(max_vcpus)
{
	check_domain(64);
}
END_TEST

/* The largest MADT of Local APIC entries: UIDs 0-254, IDs up to 254. */
START_TEST(largest)
{
	struct pvh_guest g = domain(GUEST_ACPI_MAX_CPUS);
	struct pvh_layout l;
	unsigned int i;

	for (i = 0; i < GUEST_ACPI_MAX_CPUS; i++)
		ids[i] = GUEST_ACPI_MAX_APIC_ID - i;
	build(&g, &l, GUEST_ACPI_MAX_CPUS);
	check_madt(madt_of(l.acpi), GUEST_ACPI_MAX_CPUS, l.acpi,
		   l.acpi + GUEST_ACPI_SIZE(GUEST_ACPI_MAX_CPUS));
	check_parsed(l.acpi, GUEST_ACPI_MAX_CPUS);
}
END_TEST

/* A domain with RAM above 4 GiB: the tables stay below 1 MiB. */
START_TEST(memory_above_4g)
{
	struct pvh_guest g = domain(2);
	struct pvh_layout l;

	g.mem = GiB(6);
	ck_assert_int_eq(pvh_layout(&g, &l), 0);
	ck_assert_uint_eq(l.acpi, 0xe0000);
	ck_assert_uint_eq(l.nr_memmap, 5);	/* with Xen's special pages */
	ck_assert_uint_eq(l.map[1].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	ck_assert_uint_le(l.map[1].addr, l.acpi);
	ck_assert_uint_ge(l.map[1].addr + l.map[1].size,
			  l.acpi + g.acpi_size);
}
END_TEST

START_TEST(build_errors)
{
	static uint8_t buf[GUEST_ACPI_SIZE(GUEST_ACPI_MAX_CPUS + 1)];
	uint32_t two[2] = { 0, 2 };

	xen_ids(GUEST_ACPI_MAX_CPUS);
	ck_assert_int_eq(guest_acpi_build(0xe0000, ids, 0, buf, sizeof(buf)),
			 -EINVAL);
	ck_assert_int_eq(guest_acpi_build(0xe0000, ids,
					  GUEST_ACPI_MAX_CPUS + 1, buf,
					  sizeof(buf)), -E2BIG);
	ck_assert_int_eq(guest_acpi_build(0xe0008, two, 2, buf, sizeof(buf)),
			 -EINVAL);			/* not 16-aligned */
	ck_assert_int_eq(guest_acpi_build(GiB(4), two, 2, buf, sizeof(buf)),
			 -EINVAL);			/* RSDT cannot reach */
	/* The highest place that fits below 4 GiB, and the next one. */
	ck_assert_int_eq(guest_acpi_build(0xfffffdd0, two, 2, buf,
					  sizeof(buf)), 0);
	ck_assert_int_eq(guest_acpi_build(0xfffffde0, two, 2, buf,
					  sizeof(buf)), -EINVAL);
	ck_assert_int_eq(guest_acpi_build(~0ULL & ~15ULL, two, 2, buf,
					  sizeof(buf)), -EINVAL);
	ck_assert_int_eq(guest_acpi_build(0xe0000, two, 2, buf,
					  GUEST_ACPI_SIZE(2) - 1), -ENOSPC);
	ck_assert_int_eq(guest_acpi_build(0xe0000, two, 2, buf,
					  GUEST_ACPI_SIZE(2)), 0);
	two[1] = GUEST_ACPI_MAX_APIC_ID + 1;		/* 0xFF: broadcast */
	ck_assert_int_eq(guest_acpi_build(0xe0000, two, 2, buf, sizeof(buf)),
			 -ERANGE);
	two[1] = 1U << 31;
	ck_assert_int_eq(guest_acpi_build(0xe0000, two, 2, buf, sizeof(buf)),
			 -ERANGE);
	two[1] = 0;					/* twice APIC ID 0 */
	ck_assert_int_eq(guest_acpi_build(0xe0000, two, 2, buf, sizeof(buf)),
			 -EINVAL);
}
END_TEST

/* The layout refuses tables too big for their place, or a kernel there. */
START_TEST(layout_errors)
{
	struct pvh_guest g = domain(2);
	struct pvh_layout l;

	g.acpi_size = 0x20000;				/* exactly fits */
	ck_assert_int_eq(pvh_layout(&g, &l), 0);
	g.acpi_size = 0x20001;
	harness_log_clear();
	ck_assert_int_eq(pvh_layout(&g, &l), -E2BIG);
	ck_assert(harness_log_has("d4: ACPI tables of 131073 bytes, at most "
				  "131072 fit in [0xe0000, 0x100000)"));
	g.acpi_size = GUEST_ACPI_SIZE(2);
	g.kernel_start = 0xe0000 + GUEST_ACPI_SIZE(2) - 1;
	g.kernel_end = 0xf0000;
	harness_log_clear();
	ck_assert_int_eq(pvh_layout(&g, &l), -EINVAL);
	ck_assert(harness_log_has("d4: the kernel [0xe022b, 0xf0000) overlaps "
				  "the ACPI tables at 0xe0000"));
	g.kernel_start = 0xd0000;
	g.kernel_end = 0xe0001;
	ck_assert_int_eq(pvh_layout(&g, &l), -EINVAL);
	g.kernel_end = 0xe0000;				/* just below */
	ck_assert_int_eq(pvh_layout(&g, &l), 0);
	g.kernel_start = 0xe0000 + GUEST_ACPI_SIZE(2);	/* just above */
	g.kernel_end = 0xf0000;
	ck_assert_int_eq(pvh_layout(&g, &l), 0);
	g.acpi_size = 0;				/* no tables: no RSDP */
	g.kernel_start = 0xe0000;
	ck_assert_int_eq(pvh_layout(&g, &l), 0);
	ck_assert_uint_eq(l.acpi, 0);
}
END_TEST

SUITE(guest_acpi)
{
	Suite *s = suite_create("guest_acpi");
	TCase *tc = tcase_create("tables");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, one_vcpu);
	tcase_add_test(tc, two_vcpus);
	tcase_add_test(tc, max_vcpus);
	tcase_add_test(tc, largest);
	tcase_add_test(tc, memory_above_4g);
	tcase_add_test(tc, build_errors);
	tcase_add_test(tc, layout_errors);
	suite_add_tcase(s, tc);
	return s;
}
