// SPDX-License-Identifier: GPL-2.0
/*
 * acpi: the ACPI tables the hypervisor gives a PVH guest, read the way
 * Linux reads them: from hvm_start_info.rsdp_paddr, RSDP -> XSDT -> FADT
 * (-> DSDT) and MADT, every signature, length and checksum checked. The
 * MADT must list one enabled processor per vCPU (vcpus=N on the command
 * line, default 1), ACPI UID i with APIC ID 2i (Xen's numbering, which
 * Linux's vCPU numbering relies on); CPUID's APIC IDs on this vCPU (leaf
 * 1, leaf 0xB) and its vCPU ID (Xen's leaf 4) must name the same entry;
 * and no table may lie in RAM of the start info's memory map, which the
 * guest is free to reuse. Only what any Xen-ABI hypervisor must give is
 * checked, so the program passes on Xen too (dom0 there has x2APIC
 * entries and the host's FADT); the rest is printed.
 */
#include "guest.h"

#include <xen/arch-x86/cpuid.h>
#include <xen/hvm/e820.h>

#define HDR_LEN		36
#define FOUR_GIB	(1ULL << 32)
#define LAPIC_ADDR	0xfee00000U
#define MADT_LAPIC	0
#define MADT_X2APIC	9
#define MAX_TABLES	32

struct rsdp {
	char sig[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum, reserved[3];
} __attribute__((packed));

/* What the walk found, for the tests and the placement check. */
static const struct rsdp *rsdp;
static uint64_t table_addr[MAX_TABLES + 2];	/* and the XSDT, DSDT */
static uint32_t table_len[MAX_TABLES + 2];
static unsigned int nr_tables;
static const uint8_t *fadt, *madt;
static unsigned int nr_vcpus;

static uint8_t sum(const void *p, uint32_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (len--)
		s += *b++;
	return s;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* n characters of a table field as a string (printf has no %.4s). */
static const char *field(const void *p, unsigned int n)
{
	static char buf[4][9];
	static unsigned int next;
	char *b = buf[next++ % 4];

	memcpy(b, p, n);
	b[n] = 0;
	return b;
}

/* Below 4 GiB (what head.S maps) and not wrapping. */
static bool reachable(uint64_t addr, uint64_t len)
{
	return addr && addr < FOUR_GIB && len <= FOUR_GIB - addr;
}

/* The table at addr if its header, length and checksum are sound. */
static const uint8_t *table_at(uint64_t addr, const char *what)
{
	const uint8_t *t;
	uint32_t len;

	if (!reachable(addr, HDR_LEN)) {
		printf("%s at %#lx: not below 4 GiB\n", what, addr);
		return NULL;
	}
	t = (const uint8_t *)(uintptr_t)addr;
	len = rd32(t + 4);
	if (len < HDR_LEN || !reachable(addr, len) || sum(t, len)) {
		printf("%s at %#lx: bad length %u or checksum\n", what, addr,
		       len);
		return NULL;
	}
	if (nr_tables < ARRAY_SIZE(table_addr)) {
		table_addr[nr_tables] = addr;
		table_len[nr_tables++] = len;
	}
	printf("ACPI: %s %#lx %u bytes rev %u OEM '%s' '%s'\n", field(t, 4),
	       addr, len, t[8], field(t + 10, 6), field(t + 16, 8));
	return t;
}

static void test_rsdp(void)
{
	uint64_t pa = start_info ? start_info->rsdp_paddr : 0;

	CHECK(start_info != NULL);
	CHECK(pa != 0);
	CHECK(reachable(pa, sizeof(*rsdp)));
	if (!reachable(pa, sizeof(*rsdp)))
		return;
	CHECK_EQ(pa % 16, 0);
	rsdp = (const struct rsdp *)(uintptr_t)pa;
	CHECK(!memcmp(rsdp->sig, "RSD PTR ", 8));
	CHECK_EQ(sum(rsdp, 20), 0);
	CHECK(rsdp->revision >= 2);
	CHECK(rsdp->length >= sizeof(*rsdp));
	CHECK_EQ(sum(rsdp, rsdp->length), 0);
	CHECK(rsdp->xsdt != 0);
	printf("ACPI: RSDP %#lx rev %u OEM '%s'\n", pa, rsdp->revision,
	       field(rsdp->oem_id, 6));
	if (rsdp->revision < 2 || sum(rsdp, 20) ||
	    rsdp->length < sizeof(*rsdp) || sum(rsdp, rsdp->length))
		rsdp = NULL;
}

/* The XSDT lists each of the FADT and the MADT once. */
static void test_xsdt(void)
{
	const uint8_t *x, *t;
	unsigned int i, n, nr_fadt = 0, nr_madt = 0;

	if (!rsdp) {
		CHECK(!"no RSDP to start from");
		return;
	}
	x = table_at(rsdp->xsdt, "XSDT");
	CHECK(x && !memcmp(x, "XSDT", 4));
	if (!x)
		return;
	CHECK_EQ((rd32(x + 4) - HDR_LEN) % 8, 0);
	n = (rd32(x + 4) - HDR_LEN) / 8;
	for (i = 0; i < n; i++) {
		t = table_at(rd64(x + HDR_LEN + 8 * i), "XSDT entry");
		CHECK(t != NULL);
		if (t && !memcmp(t, "FACP", 4)) {
			fadt = t;
			nr_fadt++;
		} else if (t && !memcmp(t, "APIC", 4)) {
			madt = t;
			nr_madt++;
		}
	}
	CHECK_EQ(nr_fadt, 1);
	CHECK_EQ(nr_madt, 1);
}

/* The FADT leads to a DSDT; what it says of the platform is printed. */
static void test_fadt(void)
{
	uint32_t len;
	uint64_t dsdt;
	const uint8_t *d;

	if (!fadt) {
		CHECK(!"no FADT");
		return;
	}
	len = rd32(fadt + 4);
	CHECK(len >= 116);		/* up to the flags */
	if (len < 116)
		return;
	dsdt = len >= 148 ? rd64(fadt + 140) : 0;
	if (!dsdt)
		dsdt = rd32(fadt + 40);
	d = table_at(dsdt, "DSDT");
	CHECK(d && !memcmp(d, "DSDT", 4));
	printf("ACPI: FADT rev %u flags %#x boot flags %#x%s\n", fadt[8],
	       rd32(fadt + 112), fadt[109] | fadt[110] << 8,
	       rd32(fadt + 112) & (1U << 20) ? ", hardware-reduced" : "");
}

/* One MADT processor entry: Local APIC (type 0) or x2APIC (type 9). */
static bool processor(const uint8_t *e, uint32_t *uid, uint32_t *apic_id,
		      uint32_t *flags)
{
	if (e[0] == MADT_LAPIC && e[1] >= 8) {
		*uid = e[2];
		*apic_id = e[3];
		*flags = rd32(e + 4);
		return true;
	}
	if (e[0] == MADT_X2APIC && e[1] >= 16) {
		*apic_id = rd32(e + 4);
		*flags = rd32(e + 8);
		*uid = rd32(e + 12);
		return true;
	}
	return false;
}

/* The entry of the processor with this APIC ID, or NULL. */
static const uint8_t *madt_find(uint32_t want_apic_id, uint32_t *uid)
{
	uint32_t len = rd32(madt + 4), off, apic_id, flags;

	for (off = 44; off + 2 <= len && madt[off + 1] >= 2;
	     off += madt[off + 1])
		if (processor(madt + off, uid, &apic_id, &flags) &&
		    apic_id == want_apic_id)
			return madt + off;
	return NULL;
}

static void test_madt(void)
{
	uint32_t len, off, uid, apic_id, flags;
	uint64_t seen = 0;
	unsigned int enabled = 0, bad = 0;

	if (!madt) {
		CHECK(!"no MADT");
		return;
	}
	len = rd32(madt + 4);
	CHECK(len >= 44);
	CHECK_EQ(rd32(madt + 36), LAPIC_ADDR);
	printf("ACPI: MADT flags %#x\n", len >= 44 ? rd32(madt + 40) : 0);
	for (off = 44; off < len; off += madt[off + 1]) {
		if (off + 2 > len || madt[off + 1] < 2 ||
		    madt[off + 1] > len - off) {
			CHECK(!"MADT entry overruns the table");
			return;
		}
		if (!processor(madt + off, &uid, &apic_id, &flags) ||
		    !(flags & 1))
			continue;
		printf("ACPI: processor UID %u APIC ID %u\n", uid, apic_id);
		enabled++;
		if (uid >= nr_vcpus || uid >= 64 || (seen >> uid & 1) ||
		    apic_id != 2 * uid)
			bad++;
		else
			seen |= 1ULL << uid;
	}
	CHECK_EQ(enabled, nr_vcpus);
	CHECK_EQ(bad, 0);
}

/* CPUID names this vCPU's MADT entry: APIC ID in leaf 1 and leaf 0xB. */
static void test_cpuid(void)
{
	uint32_t apic_id = cpuid(1).ebx >> 24, uid = ~0U;
	struct cpuid_regs b, x;

	if (!madt) {
		CHECK(!"no MADT");
		return;
	}
	CHECK(madt_find(apic_id, &uid) != NULL);
	b = cpuid(0).eax >= 0xb ? cpuid_count(0xb, 0) : (struct cpuid_regs){ 0 };
	if (b.ebx & 0xffff) {			/* leaf 0xB is there */
		CHECK_EQ(b.edx, apic_id);
		CHECK_EQ(cpuid_count(0xb, 1).edx, apic_id);
	}
	x = cpuid_count(XEN_CPUID_FIRST_LEAF + 4, 0);
	if (x.eax & XEN_HVM_CPUID_VCPU_ID_PRESENT)
		CHECK_EQ(uid, x.ebx);
	printf("CPUID: APIC ID %u (leaf 0xB %s), MADT UID %u\n", apic_id,
	       b.ebx & 0xffff ? "agrees" : "absent", uid);
}

/* No table in RAM: the guest may reuse every page of RAM. */
static void test_placement(void)
{
	const struct hvm_memmap_table_entry *m;
	unsigned int i, j, in_ram = 0;

	CHECK(start_info && start_info->version >= 1 &&
	      start_info->memmap_entries);
	if (!start_info || start_info->version < 1 ||
	    !reachable(start_info->memmap_paddr, start_info->memmap_entries *
		       sizeof(*m)))
		return;
	m = (const void *)(uintptr_t)start_info->memmap_paddr;
	if (rsdp) {
		table_addr[nr_tables] = (uintptr_t)rsdp;
		table_len[nr_tables++] = rsdp->length;
	}
	for (i = 0; i < nr_tables; i++)
		for (j = 0; j < start_info->memmap_entries; j++)
			if (m[j].type == XEN_HVM_MEMMAP_TYPE_RAM &&
			    table_addr[i] < m[j].addr + m[j].size &&
			    m[j].addr < table_addr[i] + table_len[i]) {
				printf("table at %#lx is in RAM [%#lx, %#lx)\n",
				       table_addr[i], m[j].addr,
				       m[j].addr + m[j].size);
				in_ram++;
			}
	CHECK(nr_tables >= 5);		/* RSDP XSDT FADT DSDT MADT */
	CHECK_EQ(in_ram, 0);
}

/* In this order: each step uses what the ones before it found. */
void guest_main(void)
{
	nr_vcpus = cmdline_num("vcpus", 1);
	printf("acpi: expecting %u vCPUs\n", nr_vcpus);
	test_rsdp();
	test_xsdt();
	test_fadt();
	test_madt();
	test_cpuid();
	test_placement();
}
