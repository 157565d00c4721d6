// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include <lamina/acpi.h>
#include <lamina/errno.h>

/*
 * Fake machine memory: LOW covers 0-1 MiB (BDA, EBDA, BIOS area), HIGH
 * covers 128 KiB at 0x7fe0000, where QEMU put its tables. map() refuses
 * anything not entirely inside one region.
 */
#define LOW_SIZE	0x100000u
#define HIGH_BASE	0x7fe0000u
#define HIGH_SIZE	0x20000u

static uint8_t low[LOW_SIZE], high[HIGH_SIZE];
static struct acpi_info ai;
static struct boot_info bi;

static const void *map(uint64_t maddr, size_t len, void *ctx)
{
	(void)ctx;
	if (maddr < LOW_SIZE && len <= LOW_SIZE - maddr)
		return low + maddr;
	if (maddr >= HIGH_BASE && maddr - HIGH_BASE < HIGH_SIZE &&
	    len <= HIGH_SIZE - (maddr - HIGH_BASE))
		return high + (maddr - HIGH_BASE);
	return NULL;
}

static uint8_t *mp(uint64_t maddr)
{
	return (uint8_t *)map(maddr, 1, NULL);
}

#define BLOB(name)							\
	extern const uint8_t _binary_##name##_start[];			\
	extern const uint8_t _binary_##name##_end[]
BLOB(madt_aml); BLOB(fadt_aml); BLOB(hpet_aml); BLOB(mcfg_aml);
BLOB(dsdt_aml);
BLOB(qemu_q35_rsdp_bin); BLOB(qemu_q35_tables_bin);
BLOB(qemu_pc_rsdp_bin); BLOB(qemu_pc_tables_bin);
#define BLOB_LEN(name)	((size_t)(_binary_##name##_end - _binary_##name##_start))
#define PUT(maddr, name) \
	memcpy(mp(maddr), _binary_##name##_start, BLOB_LEN(name))

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint32_t len_of(const uint8_t *t)
{
	uint32_t v;

	memcpy(&v, t + 4, 4);
	return v;
}

static void fix_csum(uint8_t *t)
{
	t[9] = 0;
	t[9] = -acpi_checksum(t, len_of(t));
}

static void set_len(uint8_t *t, uint32_t len)
{
	put32(t + 4, len);
	fix_csum(t);
}

static uint8_t *new_table(uint64_t maddr, const char *sig, uint32_t len)
{
	uint8_t *t = mp(maddr);

	memset(t, 0, len);
	memcpy(t, sig, 4);
	t[8] = 1;
	memcpy(t + 10, "LAMINA", 6);
	set_len(t, len);
	return t;
}

static void reset_memory(void)
{
	memset(low, 0, sizeof(low));
	memset(high, 0, sizeof(high));
	memset(&bi, 0, sizeof(bi));
	harness_log_clear();
}

/* ---- synthetic layout ---- */
#define SYN		(HIGH_BASE + 0x10000)
#define XSDT_AT		(SYN + 0x000)
#define RSDT_AT		(SYN + 0x100)
#define FADT_AT		(SYN + 0x200)
#define MADT_AT		(SYN + 0x400)
#define HPET_AT		(SYN + 0x600)
#define MCFG_AT		(SYN + 0x700)
#define DSDT_AT		(SYN + 0x800)
#define BIG_AT		(SYN + 0x1000)		/* room for built tables */
#define RSDP_AT		0xf0010

static void write_rsdp(uint64_t at, uint8_t rev, uint32_t rsdt,
		       uint64_t xsdt)
{
	uint8_t *r = mp(at);

	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "LAMINA", 6);
	r[15] = rev;
	put32(r + 16, rsdt);
	if (rev >= 2) {
		put32(r + 20, 36);
		put64(r + 24, xsdt);
	}
	r[8] = -acpi_checksum(r, 20);
	if (rev >= 2)
		r[32] = -acpi_checksum(r, 36);
}

static const uint32_t syn_tables[] = { FADT_AT, MADT_AT, HPET_AT, MCFG_AT };

static void build_synthetic(void)
{
	uint8_t *x, *r, *f;
	unsigned int i, n = ARRAY_SIZE(syn_tables);

	reset_memory();
	PUT(FADT_AT, fadt_aml);
	PUT(MADT_AT, madt_aml);
	PUT(HPET_AT, hpet_aml);
	PUT(MCFG_AT, mcfg_aml);
	PUT(DSDT_AT, dsdt_aml);
	f = mp(FADT_AT);
	put32(f + 40, 0xdead0000);		/* 32-bit DSDT: X_ wins */
	put64(f + 140, DSDT_AT);
	fix_csum(f);
	x = new_table(XSDT_AT, "XSDT", 36 + 8 * n);
	r = new_table(RSDT_AT, "RSDT", 36 + 4 * n);
	for (i = 0; i < n; i++) {
		put64(x + 36 + 8 * i, syn_tables[i]);
		put32(r + 36 + 4 * i, syn_tables[i]);
	}
	fix_csum(x);
	fix_csum(r);
	write_rsdp(RSDP_AT, 2, RSDT_AT, XSDT_AT);
}

static int parse(void)
{
	harness_log_clear();
	return acpi_parse(map, NULL, &bi, &ai);
}

/* ---- QEMU's real tables ---- */

static void load_qemu(bool q35)
{
	reset_memory();
	if (q35) {
		PUT(0xf59e0, qemu_q35_rsdp_bin);
		PUT(HIGH_BASE, qemu_q35_tables_bin);
	} else {
		PUT(0xf59d0, qemu_pc_rsdp_bin);
		PUT(HIGH_BASE, qemu_pc_tables_bin);
	}
}

static void check_qemu_madt(void)
{
	static const uint8_t src[] = { 0, 5, 9, 10, 11 };
	static const uint8_t gsi[] = { 2, 5, 9, 10, 11 };
	unsigned int i;

	ck_assert(ai.have_madt && ai.pic_present);
	ck_assert(ai.lapic_maddr == 0xfee00000);
	ck_assert_uint_eq(ai.nr_cpus, 2);
	for (i = 0; i < 2; i++) {
		ck_assert_uint_eq(ai.cpus[i].acpi_id, i);
		ck_assert_uint_eq(ai.cpus[i].apic_id, i);
		ck_assert(ai.cpus[i].enabled);
	}
	ck_assert_uint_eq(ai.nr_ioapics, 1);
	ck_assert_uint_eq(ai.ioapics[0].id, 0);
	ck_assert_uint_eq(ai.ioapics[0].maddr, 0xfec00000);
	ck_assert_uint_eq(ai.ioapics[0].gsi_base, 0);
	ck_assert_uint_eq(ai.nr_overrides, 5);
	for (i = 0; i < 5; i++) {
		ck_assert_uint_eq(ai.overrides[i].source, src[i]);
		ck_assert_uint_eq(ai.overrides[i].gsi, gsi[i]);
		ck_assert_uint_eq(ai.overrides[i].flags, i ? 0xd : 0);
	}
}

START_TEST(qemu_q35)
{
	load_qemu(true);
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(ai.nr_errors, 0);
	ck_assert(ai.rsdp_maddr == 0xf59e0);
	ck_assert_uint_eq(ai.rsdp_revision, 0);
	ck_assert_str_eq(ai.oem_id, "BOCHS ");
	ck_assert(!ai.used_xsdt);
	check_qemu_madt();
	ck_assert(ai.have_fadt);
	ck_assert_uint_eq(ai.fadt_revision, 3);
	ck_assert_uint_eq(ai.pm1a_cnt, 0x604);
	ck_assert_uint_eq(ai.pm1b_cnt, 0);
	ck_assert_uint_eq(ai.pm_tmr_blk, 0x608);
	ck_assert(!ai.pm_tmr_32bit);
	ck_assert_uint_eq(ai.century_reg, 0x32);
	ck_assert_uint_eq(ai.iapc_boot_arch, ACPI_BOOT_8042);
	ck_assert(ai.reset_supported);
	ck_assert_uint_eq(ai.reset_reg.space, ACPI_GAS_IO);
	ck_assert(ai.reset_reg.address == 0xcf9);
	ck_assert_uint_eq(ai.reset_value, 0x0f);
	ck_assert(ai.dsdt_maddr == 0x7fe0040);
	ck_assert(ai.have_s5);
	ck_assert_uint_eq(ai.s5_slp_typa, 0);
	ck_assert_uint_eq(ai.s5_slp_typb, 0);
	ck_assert(ai.have_hpet && ai.hpet_maddr == 0xfed00000);
	ck_assert_uint_eq(ai.nr_mcfg, 1);
	ck_assert(ai.mcfg[0].base == 0xb0000000);
	ck_assert_uint_eq(ai.mcfg[0].segment, 0);
	ck_assert_uint_eq(ai.mcfg[0].bus_start, 0);
	ck_assert_uint_eq(ai.mcfg[0].bus_end, 255);
	acpi_info_print(&ai);
	ck_assert(harness_log_has("(lamina) ACPI: HPET at 0xfed00000"));
}
END_TEST

START_TEST(qemu_pc_short_fadt)
{
	load_qemu(false);
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(ai.nr_errors, 0);
	check_qemu_madt();
	/* 116-byte ACPI 1.0 FADT: no RESET_REG, no X_ fields. */
	ck_assert(ai.have_fadt);
	ck_assert_uint_eq(ai.fadt_revision, 1);
	ck_assert_uint_eq(ai.pm1a_cnt, 0x604);
	ck_assert_uint_eq(ai.pm_tmr_blk, 0x608);
	ck_assert_uint_eq(ai.century_reg, 0x32);
	ck_assert(!ai.reset_supported);
	ck_assert(ai.reset_reg.address == 0);
	ck_assert(ai.dsdt_maddr == 0x7fe0040);
	ck_assert(ai.have_s5);
	ck_assert(ai.have_hpet);
	ck_assert_uint_eq(ai.nr_mcfg, 0);
}
END_TEST

START_TEST(rsdp_in_ebda)
{
	uint8_t rsdp[20];

	load_qemu(true);
	memcpy(rsdp, mp(0xf59e0), 20);
	memset(mp(0xf59e0), 0, 20);
	low[0x40e] = 0xc0;			/* EBDA segment 0x9fc0 */
	low[0x40f] = 0x9f;
	memcpy(mp(0x9fc00 + 0x40), rsdp, 20);
	ck_assert_int_eq(acpi_find_rsdp(map, NULL, &bi), 0);
	ck_assert(bi.rsdp_maddr == 0x9fc40);
	ck_assert_uint_eq(bi.rsdp_len, 20);
	ck_assert_ptr_eq(bi.rsdp, mp(0x9fc40));
	/* Not on a 16-byte boundary: not found. */
	memset(mp(0x9fc40), 0, 20);
	memcpy(mp(0x9fc48), rsdp, 20);
	memset(&bi, 0, sizeof(bi));
	ck_assert_int_eq(acpi_find_rsdp(map, NULL, &bi), -ENOENT);
	ck_assert(harness_log_has("(lamina) ACPI: no RSDP found"));
	ck_assert_int_eq(parse(), -ENOENT);
}
END_TEST

START_TEST(rsdp_copy_and_hint)
{
	uint8_t copy[36];

	build_synthetic();
	memcpy(copy, mp(RSDP_AT), 36);
	memset(mp(RSDP_AT), 0, 36);
	bi.rsdp = copy;
	bi.rsdp_len = 36;
	ck_assert_int_eq(parse(), 0);
	ck_assert(ai.used_xsdt && ai.rsdp_maddr == 0);
	ck_assert_uint_eq(ai.rsdp_revision, 2);
	/* A copy shorter than its length field is invalid; no fallback. */
	bi.rsdp_len = 30;
	ck_assert_int_eq(parse(), -ENOENT);
	ck_assert(harness_log_has("RSDP copy is invalid"));
	/* The hint is used next. */
	memcpy(mp(0x80000), copy, 36);
	bi.rsdp_maddr = 0x80000;
	ck_assert_int_eq(parse(), 0);
	ck_assert(ai.rsdp_maddr == 0x80000);
	ck_assert_int_eq(acpi_find_rsdp(map, NULL, &bi), 0);
	ck_assert_ptr_eq(bi.rsdp, mp(0x80000));
	ck_assert_uint_eq(bi.rsdp_len, 36);
	/* A bad hint falls back to the search. */
	memset(&bi, 0, sizeof(bi));
	bi.rsdp_maddr = 0x80010;
	memcpy(mp(0xe0000), copy, 36);
	ck_assert_int_eq(parse(), 0);
	ck_assert(harness_log_has("no valid RSDP at 0x80010"));
	ck_assert(ai.rsdp_maddr == 0xe0000);
}
END_TEST

START_TEST(rsdp_bad)
{
	uint8_t *r;

	build_synthetic();
	r = mp(RSDP_AT);
	r[8]++;					/* v1 checksum */
	ck_assert_int_eq(parse(), -ENOENT);
	build_synthetic();
	r = mp(RSDP_AT);
	r[32]++;				/* extended checksum */
	ck_assert_int_eq(parse(), -ENOENT);
	build_synthetic();
	r = mp(RSDP_AT);
	put32(r + 20, 20);			/* length < 36 */
	r[8] = 0; r[8] = -acpi_checksum(r, 20);
	ck_assert_int_eq(parse(), -ENOENT);
	put32(r + 20, 0x7fffffff);		/* absurd length */
	r[8] = 0; r[8] = -acpi_checksum(r, 20);
	ck_assert_int_eq(parse(), -ENOENT);
	/* Right signature but RSDP runs past the end of mapped memory. */
	reset_memory();
	write_rsdp(0xf0000, 2, 0, 0);
	memmove(mp(LOW_SIZE - 32), mp(0xf0000), 32);
	memset(mp(0xf0000), 0, 36);
	ck_assert_int_eq(acpi_find_rsdp(map, NULL, &bi), -ENOENT);
	bi.rsdp_maddr = LOW_SIZE - 32;
	ck_assert_int_eq(parse(), -ENOENT);
	ck_assert(harness_log_has("no valid RSDP at 0xfffe0"));
}
END_TEST

START_TEST(synthetic)
{
	build_synthetic();
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(ai.nr_errors, 0);
	ck_assert(ai.used_xsdt);
	ck_assert(ai.rsdp_maddr == RSDP_AT);
	ck_assert_str_eq(ai.oem_id, "LAMINA");
	/* MADT */
	ck_assert(ai.pic_present);
	ck_assert(ai.lapic_maddr == 0x1fee00000ull);	/* type 5 */
	ck_assert_uint_eq(ai.nr_cpus, 4);
	ck_assert(ai.cpus[0].enabled && !ai.cpus[0].online_capable);
	ck_assert(!ai.cpus[1].enabled && !ai.cpus[1].online_capable);
	ck_assert_uint_eq(ai.cpus[1].apic_id, 2);
	ck_assert(!ai.cpus[2].enabled && ai.cpus[2].online_capable);
	ck_assert_uint_eq(ai.cpus[3].apic_id, 0x100);	/* x2APIC */
	ck_assert_uint_eq(ai.cpus[3].acpi_id, 0x103);
	ck_assert(ai.cpus[3].enabled);
	ck_assert_uint_eq(ai.nr_ioapics, 2);
	ck_assert_uint_eq(ai.ioapics[1].id, 9);
	ck_assert_uint_eq(ai.ioapics[1].maddr, 0xfec01000);
	ck_assert_uint_eq(ai.ioapics[1].gsi_base, 24);
	ck_assert_uint_eq(ai.nr_overrides, 2);
	ck_assert_uint_eq(ACPI_MADT_TRIGGER(ai.overrides[1].flags), 3);
	ck_assert_uint_eq(ACPI_MADT_POLARITY(ai.overrides[1].flags), 1);
	/* FADT: X_PM1a_CNT preferred; X_PM_TMR zero so 32-bit used */
	ck_assert_uint_eq(ai.fadt_revision, 6);
	ck_assert_uint_eq(ai.pm1a_cnt, 0x1804);
	ck_assert_uint_eq(ai.pm_tmr_blk, 0x408);
	ck_assert(ai.pm_tmr_32bit);
	ck_assert(ai.reset_supported && ai.reset_reg.address == 0xcf9);
	ck_assert_uint_eq(ai.reset_value, 6);
	ck_assert_uint_eq(ai.iapc_boot_arch, 3);
	ck_assert(ai.dsdt_maddr == DSDT_AT);
	ck_assert(ai.have_s5);
	ck_assert_uint_eq(ai.s5_slp_typa, 5);
	ck_assert_uint_eq(ai.s5_slp_typb, 7);
	ck_assert(ai.have_hpet && ai.hpet_maddr == 0xfed00000);
	ck_assert_uint_eq(ai.nr_mcfg, 2);
	ck_assert(ai.mcfg[1].base == 0x4000000000ull);
	ck_assert_uint_eq(ai.mcfg[1].segment, 1);
	ck_assert_uint_eq(ai.mcfg[1].bus_start, 0x10);
	ck_assert_uint_eq(ai.mcfg[1].bus_end, 0x1f);
}
END_TEST

START_TEST(root_fallback)
{
	uint8_t *x;

	build_synthetic();
	mp(XSDT_AT)[20]++;			/* XSDT checksum */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.used_xsdt && ai.have_madt && ai.have_fadt);
	ck_assert(harness_log_has("XSDT at 0x7ff0000: bad checksum"));
	ck_assert(harness_log_has("trying the RSDT"));

	build_synthetic();
	x = mp(XSDT_AT);
	set_len(x, len_of(x) - 4);		/* not whole entries */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.used_xsdt);

	build_synthetic();
	write_rsdp(RSDP_AT, 2, RSDT_AT, 0x90000000);	/* unmappable */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.used_xsdt && ai.have_fadt);

	build_synthetic();
	memcpy(mp(XSDT_AT), "YSDT", 4);		/* wrong signature */
	fix_csum(mp(XSDT_AT));
	mp(RSDT_AT)[20]++;			/* and a bad RSDT */
	ck_assert_int_eq(parse(), -EINVAL);
	ck_assert(harness_log_has("no usable RSDT or XSDT"));

	build_synthetic();
	write_rsdp(RSDP_AT, 0, RSDT_AT + 0x10000, 0);	/* off the end */
	ck_assert_int_eq(parse(), -EINVAL);
}
END_TEST

START_TEST(root_entry_errors)
{
	uint8_t *x;

	build_synthetic();
	x = mp(XSDT_AT);
	put64(x + 36, 0xffffffffffffffc0ull);	/* FADT ptr: wraps */
	put64(x + 44, 0x90000000);		/* MADT ptr: not mapped */
	fix_csum(x);
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(ai.nr_errors, 2);
	ck_assert(!ai.have_fadt && !ai.have_madt);
	ck_assert(ai.have_hpet && ai.nr_mcfg == 2);
	ck_assert(harness_log_has("table at 0x90000000 not mappable"));
	/* A duplicate table: the first one wins. */
	build_synthetic();
	x = mp(XSDT_AT);
	put64(x + 52, MADT_AT);			/* HPET slot -> MADT again */
	fix_csum(x);
	ck_assert_int_eq(parse(), 0);
	ck_assert(harness_log_has("ignoring a second APIC"));
	ck_assert(ai.have_madt && !ai.have_hpet);
}
END_TEST

START_TEST(table_header_errors)
{
	uint8_t *t;

	build_synthetic();
	mp(FADT_AT)[50]++;			/* FADT checksum */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_fadt && !ai.have_s5);
	ck_assert_uint_eq(ai.nr_errors, 1);
	ck_assert(harness_log_has("FACP at 0x7ff0200: bad checksum"));

	build_synthetic();
	t = mp(MADT_AT);
	put32(t + 4, 20);			/* length < header */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_madt);
	ck_assert(harness_log_has("APIC at 0x7ff0400: bad length 20"));

	build_synthetic();
	put32(mp(MADT_AT) + 4, ACPI_MAX_TABLE_LEN + 1);	/* oversized */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_madt && ai.nr_errors == 1);

	build_synthetic();
	put32(mp(MADT_AT) + 4, HIGH_SIZE);	/* runs past memory */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_madt);
	ck_assert(harness_log_has("not mappable"));
}
END_TEST

START_TEST(madt_errors)
{
	uint8_t *t;

	build_synthetic();
	t = mp(MADT_AT);
	set_len(t, len_of(t) - 3);		/* last entry runs off */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_madt && ai.nr_cpus == 0 && ai.nr_ioapics == 0);
	ck_assert(ai.lapic_maddr == 0 && !ai.pic_present);
	ck_assert(harness_log_has("MADT: bad entry (type 9, length 16) at offset 130"));
	ck_assert(ai.have_fadt);		/* other tables unaffected */

	build_synthetic();
	t = mp(MADT_AT);
	t[44 + 8 + 1] = 0;			/* 2nd entry length 0 */
	fix_csum(t);
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_madt && ai.nr_cpus == 0);
	ck_assert(harness_log_has("length 0"));

	build_synthetic();
	t = mp(MADT_AT);
	t[44 + 1] = 6;				/* LAPIC entry too short */
	fix_csum(t);
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_madt);

	build_synthetic();
	t = mp(MADT_AT);
	set_len(t, 43);				/* no room for flags */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_madt);
	ck_assert(harness_log_has("MADT too short"));

	build_synthetic();
	t = mp(MADT_AT);
	set_len(t, 45);				/* 1 byte of an entry */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_madt);
}
END_TEST

/* A MADT of n entries of one type at BIG_AT, replacing the MADT. */
static void big_madt(uint8_t type, uint8_t elen, unsigned int n)
{
	uint8_t *t = new_table(BIG_AT, "APIC", 44 + elen * n), *x;
	unsigned int i;

	put32(t + 36, 0xfee00000);
	for (i = 0; i < n; i++) {
		uint8_t *e = t + 44 + elen * i;

		e[0] = type;
		e[1] = elen;
		e[2] = i;
		e[3] = i;
		e[4] = 1;
	}
	fix_csum(t);
	x = mp(XSDT_AT);
	put64(x + 44, BIG_AT);
	fix_csum(x);
}

START_TEST(madt_overflow)
{
	build_synthetic();
	big_madt(0, 8, ACPI_MAX_CPUS + 44);
	ck_assert_int_eq(parse(), 0);
	ck_assert(ai.have_madt);
	ck_assert_uint_eq(ai.nr_cpus, ACPI_MAX_CPUS);
	ck_assert_uint_eq(ai.nr_errors, 44);
	ck_assert(harness_log_has("more than 256 CPUs"));

	build_synthetic();
	big_madt(1, 12, ACPI_MAX_IOAPICS + 1);
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(ai.nr_ioapics, ACPI_MAX_IOAPICS);
	ck_assert_uint_eq(ai.nr_errors, 1);

	build_synthetic();
	big_madt(2, 10, ACPI_MAX_OVERRIDES + 2);
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(ai.nr_overrides, ACPI_MAX_OVERRIDES);
	ck_assert_uint_eq(ai.nr_errors, 2);
}
END_TEST

START_TEST(fadt_short)
{
	uint8_t *f;

	build_synthetic();
	f = mp(FADT_AT);
	put32(f + 40, DSDT_AT);
	set_len(f, 116);			/* ACPI 1.0 size */
	ck_assert_int_eq(parse(), 0);
	ck_assert(ai.have_fadt);
	ck_assert_uint_eq(ai.pm1a_cnt, 0x404);	/* no X_ field any more */
	ck_assert(!ai.reset_supported);
	ck_assert(ai.dsdt_maddr == DSDT_AT);
	ck_assert(ai.have_s5);

	set_len(f, 128);			/* RESET_REG but no value */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.reset_supported);

	set_len(f, 44);				/* just the DSDT pointer */
	ck_assert_int_eq(parse(), 0);
	ck_assert(ai.have_fadt && ai.have_s5);
	ck_assert_uint_eq(ai.pm1a_cnt, 0);
	ck_assert_uint_eq(ai.century_reg, 0);

	set_len(f, 43);
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_fadt && !ai.have_s5);
	ck_assert(harness_log_has("FADT too short (43 bytes)"));
}
END_TEST

START_TEST(fadt_x_fields)
{
	uint8_t *f;

	build_synthetic();
	f = mp(FADT_AT);
	f[172] = ACPI_GAS_MEMORY;		/* X_PM1a_CNT in MMIO: unusable */
	fix_csum(f);
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(ai.pm1a_cnt, 0x404);

	put64(f + 140, 0);			/* no X_DSDT: 32-bit one used */
	put32(f + 40, DSDT_AT);
	fix_csum(f);
	ck_assert_int_eq(parse(), 0);
	ck_assert(ai.dsdt_maddr == DSDT_AT && ai.have_s5);

	put32(f + 40, 0);			/* no DSDT at all */
	fix_csum(f);
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_s5 && ai.nr_errors == 0);
}
END_TEST

START_TEST(dsdt_errors)
{
	uint8_t *d, *f;

	build_synthetic();
	mp(DSDT_AT)[40]++;			/* checksum */
	ck_assert_int_eq(parse(), 0);
	ck_assert(ai.have_fadt && !ai.have_s5);
	ck_assert(harness_log_has("DSDT at 0x7ff0800: bad checksum"));

	build_synthetic();
	f = mp(FADT_AT);
	put64(f + 140, MADT_AT);		/* not a DSDT */
	fix_csum(f);
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_s5);
	ck_assert(harness_log_has("is not a DSDT"));

	build_synthetic();
	d = mp(DSDT_AT);
	set_len(d, len_of(d) - 3);		/* _S5 package cut short */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_s5);
	ck_assert(harness_log_has("DSDT: malformed \\_S5 package"));

	build_synthetic();
	d = mp(DSDT_AT);
	set_len(d, 60);				/* no _S5 at all: fine */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_s5 && ai.nr_errors == 0);
}
END_TEST

START_TEST(hpet_mcfg_errors)
{
	uint8_t *t;

	build_synthetic();
	t = mp(HPET_AT);
	t[40] = ACPI_GAS_IO;
	fix_csum(t);
	set_len(mp(MCFG_AT), 44 + 16 + 8);	/* partial entry */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_hpet && ai.nr_mcfg == 0);
	ck_assert_uint_eq(ai.nr_errors, 2);
	ck_assert(harness_log_has("HPET: no usable base address"));
	ck_assert(harness_log_has("MCFG: bad length 68"));

	build_synthetic();
	set_len(mp(HPET_AT), 50);		/* GAS cut short */
	t = mp(MCFG_AT);
	t[44 + 10] = 0x20;			/* start bus > end bus */
	t[44 + 11] = 0x10;
	fix_csum(t);
	ck_assert_int_eq(parse(), 0);
	ck_assert(!ai.have_hpet);
	ck_assert_uint_eq(ai.nr_mcfg, 1);
	ck_assert(harness_log_has("bus range 32-16 reversed"));
}
END_TEST

START_TEST(mcfg_overflow)
{
	uint8_t *t, *x;
	unsigned int i, n = ACPI_MAX_MCFG + 3;

	build_synthetic();
	t = new_table(BIG_AT, "MCFG", 44 + 16 * n);
	for (i = 0; i < n; i++) {
		put64(t + 44 + 16 * i, 0xe0000000ull + (i << 28));
		t[44 + 16 * i + 8] = i;
		t[44 + 16 * i + 11] = 0xff;
	}
	fix_csum(t);
	x = mp(XSDT_AT);
	put64(x + 60, BIG_AT);
	fix_csum(x);
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(ai.nr_mcfg, ACPI_MAX_MCFG);
	ck_assert_uint_eq(ai.mcfg[7].segment, 7);
	ck_assert_uint_eq(ai.nr_errors, 1);
}
END_TEST

/* ---- \_S5 AML scanning ---- */

static int s5(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b)
{
	*a = *b = 0xee;
	return acpi_aml_find_s5(aml, len, a, b);
}

#define S5(...) ((const uint8_t[]){ __VA_ARGS__ })
#define N5	0x08, '_', 'S', '5', '_'

START_TEST(aml_encodings)
{
	const struct {
		const uint8_t *aml;
		size_t len;
		uint8_t a, b;
	} ok[] = {
#define OK(a, b, ...) { S5(__VA_ARGS__), sizeof(S5(__VA_ARGS__)), a, b }
		OK(0, 1, N5, 0x12, 0x04, 0x02, 0x00, 0x01),
		OK(5, 7, N5, 0x12, 0x06, 0x02, 0x0a, 5, 0x0a, 7),
		OK(3, 4, N5, 0x12, 0x0a, 0x02, 0x0b, 3, 0, 0x0c, 4, 0, 0, 0),
		OK(6, 2, N5, 0x12, 0x0d, 0x02, 0x0e, 6, 0, 0, 0, 0, 0, 0, 0,
		   0x0a, 2),
		/* 2-, 3- and 4-byte PkgLength */
		OK(1, 2, N5, 0x12, 0x47, 0x00, 0x02, 0x0a, 1, 0x0a, 2),
		OK(1, 0, N5, 0x12, 0x86, 0x00, 0x00, 0x02, 0x01, 0x00),
		OK(1, 1, N5, 0x12, 0xc7, 0x00, 0x00, 0x00, 0x02, 0x01, 0x01),
		/* root and parent prefixes */
		OK(2, 3, 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x06, 0x02,
		   0x0a, 2, 0x0a, 3),
		OK(2, 3, 0x08, '^', '^', '_', 'S', '5', '_', 0x12, 0x06, 0x02,
		   0x0a, 2, 0x0a, 3),
		/* one packed element: a in bits 7:0, b in 15:8 */
		OK(5, 6, N5, 0x12, 0x05, 0x01, 0x0b, 0x05, 0x06),
		/* a decoy string, then the real one */
		OK(7, 7, 0x0d, '_', 'S', '5', '_', 0x00, N5, 0x12, 0x06,
		   0x04, 0x0a, 7, 0x0a, 7),
		/* a malformed candidate, then a good one */
		OK(1, 1, N5, 0x12, 0x40, N5, 0x12, 0x04, 0x02, 0x01, 0x01),
#undef OK
	};
	uint8_t a, b;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		ck_assert_msg(s5(ok[i].aml, ok[i].len, &a, &b) == 0,
			      "case %u", i);
		ck_assert_msg(a == ok[i].a && b == ok[i].b,
			      "case %u: %u %u", i, a, b);
	}
}
END_TEST

START_TEST(aml_errors)
{
	const struct {
		const uint8_t *aml;
		size_t len;
		int rc;
	} bad[] = {
#define BAD(rc, ...) { S5(__VA_ARGS__), sizeof(S5(__VA_ARGS__)), rc }
		BAD(-ENOENT, 0x00),
		BAD(-ENOENT, '_', 'S', '5', '_'),		/* no NameOp */
		BAD(-ENOENT, 0x10, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0, 0),
		BAD(-EINVAL, N5),				/* ends */
		BAD(-EINVAL, N5, 0x0a, 0x05),			/* not a pkg */
		BAD(-EINVAL, N5, 0x12),				/* no PkgLength */
		BAD(-EINVAL, N5, 0x12, 0x08, 0x02, 0x00, 0x00),	/* too long */
		BAD(-EINVAL, N5, 0x12, 0x01, 0x02, 0x00, 0x00),	/* too short */
		BAD(-EINVAL, N5, 0x12, 0x46),			/* 2-byte cut */
		BAD(-EINVAL, N5, 0x12, 0x76, 0x00, 0x02, 0x00, 0x00), /* bits 5:4 */
		BAD(-EINVAL, N5, 0x12, 0x02, 0x00),		/* 0 elements */
		BAD(-EINVAL, N5, 0x12, 0x04, 0x02, 0x00, 0x0a),	/* byte cut */
		BAD(-EINVAL, N5, 0x12, 0x05, 0x02, 0x00, 0x0b, 0x01), /* word */
		BAD(-EINVAL, N5, 0x12, 0x03, 0x02, 0x00),	/* 1 of 2 */
		BAD(-EINVAL, N5, 0x12, 0x05, 0x02, 0x0a, 0x08, 0x00), /* > 7 */
		BAD(-EINVAL, N5, 0x12, 0x04, 0x02, 0xff, 0x00),	/* Ones */
		BAD(-EINVAL, N5, 0x12, 0x07, 0x02, 0x0d, 'a', 0, 0x00), /* str */
		BAD(-EINVAL, N5, 0x12, 0x04, 0x01, 0x0b, 0x00),	/* packed cut */
#undef BAD
	};
	uint8_t a, b;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(s5(bad[i].aml, bad[i].len, &a, &b) == bad[i].rc,
			      "case %u", i);
	ck_assert_int_eq(s5(S5(0), 0, &a, &b), -ENOENT);
	ck_assert_int_eq(s5(S5(0x08, '_', 'S', '5'), 4, &a, &b), -ENOENT);
}
END_TEST

SUITE(acpi)
{
	Suite *s = suite_create("acpi");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, qemu_q35);
	tcase_add_test(tc, qemu_pc_short_fadt);
	tcase_add_test(tc, rsdp_in_ebda);
	tcase_add_test(tc, rsdp_copy_and_hint);
	tcase_add_test(tc, rsdp_bad);
	tcase_add_test(tc, synthetic);
	tcase_add_test(tc, root_fallback);
	tcase_add_test(tc, root_entry_errors);
	tcase_add_test(tc, table_header_errors);
	tcase_add_test(tc, madt_errors);
	tcase_add_test(tc, madt_overflow);
	tcase_add_test(tc, fadt_short);
	tcase_add_test(tc, fadt_x_fields);
	tcase_add_test(tc, dsdt_errors);
	tcase_add_test(tc, hpet_mcfg_errors);
	tcase_add_test(tc, mcfg_overflow);
	tcase_add_test(tc, aml_encodings);
	tcase_add_test(tc, aml_errors);
	suite_add_tcase(s, tc);
	return s;
}
