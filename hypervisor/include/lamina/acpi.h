/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static ACPI tables: RSDP, RSDT/XSDT, MADT, FADT, HPET, MCFG and the
 * DSDT's \_S5 object (common/acpi_tables.c, common/acpi_aml.c). Firmware
 * tables are not trusted: lengths and checksums are checked before any
 * field is used, and a malformed table is skipped whole, never half-used.
 */
#ifndef LAMINA_ACPI_H
#define LAMINA_ACPI_H

#include <lamina/bootinfo.h>
#include <lamina/types.h>

#define ACPI_MAX_CPUS		256
#define ACPI_MAX_IOAPICS	8
#define ACPI_MAX_OVERRIDES	16
#define ACPI_MAX_MCFG		8
/* Largest table accepted; anything bigger is taken to be garbage. */
#define ACPI_MAX_TABLE_LEN	(16u << 20)
#define ACPI_MAX_RSDP_LEN	4096

/* Generic Address Structure address spaces. */
#define ACPI_GAS_MEMORY		0
#define ACPI_GAS_IO		1

/* FADT flags and IA-PC boot architecture flags. */
#define ACPI_FADT_TMR_VAL_EXT	(1u << 8)	/* 32-bit PM timer */
#define ACPI_FADT_RESET_REG_SUP	(1u << 10)
#define ACPI_FADT_HW_REDUCED	(1u << 20)
#define ACPI_BOOT_LEGACY_DEVICES (1u << 0)
#define ACPI_BOOT_8042		(1u << 1)
#define ACPI_BOOT_NO_VGA	(1u << 2)
#define ACPI_BOOT_NO_CMOS_RTC	(1u << 5)

/* MADT interrupt source override flags: polarity bits 1:0, trigger 3:2. */
#define ACPI_MADT_POLARITY(f)	((f) & 3)
#define ACPI_MADT_TRIGGER(f)	(((f) >> 2) & 3)

struct acpi_table_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __packed;

struct acpi_rsdp {
	char signature[8];		/* "RSD PTR " */
	uint8_t checksum;		/* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;		/* 0: ACPI 1.0, 2: ACPI 2.0+ */
	uint32_t rsdt_address;
	/* revision >= 2 */
	uint32_t length;		/* of the whole RSDP */
	uint64_t xsdt_address;
	uint8_t extended_checksum;	/* over length bytes */
	uint8_t reserved[3];
} __packed;

struct acpi_gas {
	uint8_t space, bit_width, bit_offset, access_size;
	uint64_t address;
};

struct acpi_cpu {
	uint32_t acpi_id, apic_id;	/* x2APIC entries: UID and x2APIC ID */
	bool enabled, online_capable;
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t maddr, gsi_base;
};

struct acpi_override {
	uint8_t bus, source;		/* ISA IRQ source */
	uint32_t gsi;
	uint16_t flags;			/* ACPI_MADT_POLARITY/TRIGGER */
};

struct acpi_mcfg {
	uint64_t base;
	uint16_t segment;
	uint8_t bus_start, bus_end;
};

struct acpi_info {
	uint64_t rsdp_maddr;		/* 0 when only the loader's copy */
	uint8_t rsdp_revision;
	char oem_id[7];
	bool used_xsdt;			/* else the RSDT */
	unsigned int nr_errors;		/* tables/entries skipped, reported */

	/* MADT; lapic_maddr includes a type-5 override */
	bool have_madt;
	uint64_t lapic_maddr;
	bool pic_present;		/* PCAT_COMPAT: 8259s to mask */
	unsigned int nr_cpus;
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	unsigned int nr_ioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned int nr_overrides;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];

	/*
	 * FADT. I/O ports come from the X_ GAS when it exists (by FADT
	 * length), is in I/O space and is non-zero, else from the 32-bit
	 * field; 0 means absent.
	 */
	bool have_fadt;
	uint8_t fadt_revision;
	uint32_t pm1a_cnt, pm1b_cnt, pm_tmr_blk;
	bool pm_tmr_32bit;
	uint8_t century_reg;		/* CMOS index, 0 if none */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	bool reset_supported;		/* flag set and register present */
	uint64_t dsdt_maddr;		/* X_DSDT if non-zero, else DSDT */
	uint32_t fadt_flags;
	uint16_t iapc_boot_arch;

	/* \_S5 from the DSDT: PM1x_CNT.SLP_TYP values for soft-off */
	bool have_s5;
	uint8_t s5_slp_typa, s5_slp_typb;

	bool have_hpet;
	uint64_t hpet_maddr;

	unsigned int nr_mcfg;
	struct acpi_mcfg mcfg[ACPI_MAX_MCFG];
};

/* Sum of len bytes; a valid table sums to 0. */
uint8_t acpi_checksum(const void *p, size_t len);

/*
 * Make bi->rsdp point at a valid RSDP: the loader's copy if it checks
 * out, else the one at bi->rsdp_maddr, else the first found on a 16-byte
 * boundary in the EBDA's first KiB or in 0xE0000-0xFFFFF. Sets rsdp,
 * rsdp_len and (when found in memory) rsdp_maddr. Returns 0 or -ENOENT.
 */
int acpi_find_rsdp(boot_map_fn map, void *ctx, struct boot_info *bi);

/*
 * Fill *ai from the tables. Returns 0 when a valid root table was found
 * (individual bad tables are then skipped, counted in ai->nr_errors and
 * reported), -ENOENT without an RSDP, -EINVAL if neither XSDT nor RSDT is
 * valid. bi is not modified (the RSDP search works on a copy).
 */
int acpi_parse(boot_map_fn map, void *ctx, const struct boot_info *bi,
	       struct acpi_info *ai);

/* Print *ai with printk, "(lamina) ACPI: ..." lines. */
void acpi_info_print(const struct acpi_info *ai);

/*
 * Find "Name(_S5_, Package() {a, b, ...})" in an AML byte stream (DSDT
 * body, after the header). Returns 0 with the two SLP_TYP values, -ENOENT
 * if there is no such object, -EINVAL if the only candidates are
 * malformed (truncated package, non-integer or out-of-range values).
 */
int acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa,
		     uint8_t *slp_typb);

#endif /* LAMINA_ACPI_H */
