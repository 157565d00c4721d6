// SPDX-License-Identifier: GPL-2.0
/*
 * A PVH guest's ACPI tables (lamina/guest_acpi.h, docs/guest-acpi.md).
 * Only what Linux needs to find its vCPUs and start its Xen timer: the
 * MADT. The FADT exists so that ACPI stays on and says what the platform
 * lacks: it is hardware-reduced (no PM1 blocks, SCI, PM timer, FACS, and
 * for Linux no 8259 and no PIT), and its boot flags say no VGA, no CMOS
 * RTC and no 8042. The DSDT is an empty definition block: no \_S5, so
 * poweroff ends in HLT with interrupts off on every vCPU, which powers
 * the domain off (Xen's rule, and Xen's PVH DSDT has no \_S5 either).
 */
#include <lamina/acpi.h>
#include <lamina/errno.h>
#include <lamina/guest_acpi.h>
#include <lamina/lib.h>

#define HDR_LEN		sizeof(struct acpi_table_header)
#define RSDP_V1_LEN	20

/* ACPI 6.0: FADT 6.0, MADT 4; XSDT and RSDT 1; DSDT 2 (64-bit AML). */
#define FADT_REVISION		6
#define FADT_MINOR		0
#define MADT_REVISION		4
#define XSDT_REVISION		1
#define RSDT_REVISION		1
#define DSDT_REVISION		2
#define CREATOR_ID		"LMNA"
#define CREATOR_REVISION	1
#define OEM_REVISION		1

/* FADT flags (ACPI 6.0 table 5-35). */
#define FADT_WBINVD		(1u << 0)
#define FADT_PROC_C1		(1u << 2)
#define FADT_PWR_BUTTON		(1u << 4)	/* none as a fixed feature */
#define FADT_SLP_BUTTON		(1u << 5)
/* P_LVLx_LAT above these: C2 and C3 not supported. */
#define FADT_NO_C2_LAT		101
#define FADT_NO_C3_LAT		1001

#define MADT_TYPE_LAPIC		0
#define MADT_LAPIC_ENABLED	(1u << 0)

struct gas {
	uint8_t space, bit_width, bit_offset, access_size;
	uint64_t address;
} __packed;

struct fadt {
	struct acpi_table_header h;
	uint32_t firmware_ctrl, dsdt;
	uint8_t reserved0, pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
	uint32_t pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl, x_dsdt;
	struct gas x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk;
	struct gas x_pm1b_cnt_blk, x_pm2_cnt_blk, x_pm_tmr_blk;
	struct gas x_gpe0_blk, x_gpe1_blk, sleep_control, sleep_status;
	char hypervisor_id[8];
} __packed;

struct madt {
	struct acpi_table_header h;
	uint32_t lapic_addr, flags;
} __packed;

struct madt_lapic {
	uint8_t type, length, uid, apic_id;
	uint32_t flags;
} __packed;

/* The block: each table 16-byte aligned, the MADT last (it grows). */
#define OFF_RSDP	0
#define OFF_XSDT	ALIGN_UP(OFF_RSDP + sizeof(struct acpi_rsdp), 16)
#define XSDT_LEN	(HDR_LEN + 2 * 8)	/* FADT, MADT */
#define OFF_RSDT	ALIGN_UP(OFF_XSDT + XSDT_LEN, 16)
#define RSDT_LEN	(HDR_LEN + 2 * 4)
#define OFF_FADT	ALIGN_UP(OFF_RSDT + RSDT_LEN, 16)
#define OFF_DSDT	ALIGN_UP(OFF_FADT + sizeof(struct fadt), 16)
#define DSDT_LEN	HDR_LEN			/* no AML */
#define OFF_MADT	ALIGN_UP(OFF_DSDT + DSDT_LEN, 16)

static void layout_checks(void)
{
	BUILD_BUG_ON(sizeof(struct acpi_rsdp) != 36);
	BUILD_BUG_ON(sizeof(struct gas) != 12);
	BUILD_BUG_ON(offsetof(struct fadt, dsdt) != 40);
	BUILD_BUG_ON(offsetof(struct fadt, iapc_boot_arch) != 109);
	BUILD_BUG_ON(offsetof(struct fadt, flags) != 112);
	BUILD_BUG_ON(offsetof(struct fadt, minor_version) != 131);
	BUILD_BUG_ON(offsetof(struct fadt, x_dsdt) != 140);
	BUILD_BUG_ON(offsetof(struct fadt, sleep_control) != 244);
	BUILD_BUG_ON(sizeof(struct fadt) != 276);
	BUILD_BUG_ON(sizeof(struct madt) != 44);
	BUILD_BUG_ON(sizeof(struct madt_lapic) != 8);
	BUILD_BUG_ON(GUEST_ACPI_FIXED_SIZE != OFF_MADT + sizeof(struct madt));
	BUILD_BUG_ON(GUEST_ACPI_SIZE(1) - GUEST_ACPI_SIZE(0) !=
		     sizeof(struct madt_lapic));
}

static void header(void *table, const char *sig, uint32_t len, uint8_t rev)
{
	struct acpi_table_header *h = table;

	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, GUEST_ACPI_OEM_ID, 6);
	memcpy(h->oem_table_id, GUEST_ACPI_OEM_TABLE_ID, 8);
	h->oem_revision = OEM_REVISION;
	memcpy(&h->creator_id, CREATOR_ID, 4);
	h->creator_revision = CREATOR_REVISION;
}

/* Last, once the table's bytes are final. */
static void seal(void *table)
{
	struct acpi_table_header *h = table;

	h->checksum = 0;
	h->checksum = (uint8_t)-acpi_checksum(h, h->length);
}

static void build_rsdp(uint8_t *b, uint64_t gpa)
{
	struct acpi_rsdp *r = (void *)(b + OFF_RSDP);

	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, GUEST_ACPI_OEM_ID, 6);
	r->revision = 2;
	r->rsdt_address = (uint32_t)(gpa + OFF_RSDT);
	r->length = sizeof(*r);
	r->xsdt_address = gpa + OFF_XSDT;
	r->checksum = (uint8_t)-acpi_checksum(r, RSDP_V1_LEN);
	r->extended_checksum = (uint8_t)-acpi_checksum(r, sizeof(*r));
}

/* XSDT and RSDT list the same tables: the FADT, then the MADT. */
static void build_roots(uint8_t *b, uint64_t gpa)
{
	uint64_t xsdt[2] = { gpa + OFF_FADT, gpa + OFF_MADT };
	uint32_t rsdt[2] = { (uint32_t)xsdt[0], (uint32_t)xsdt[1] };

	header(b + OFF_XSDT, "XSDT", XSDT_LEN, XSDT_REVISION);
	memcpy(b + OFF_XSDT + HDR_LEN, xsdt, sizeof(xsdt));
	seal(b + OFF_XSDT);
	header(b + OFF_RSDT, "RSDT", RSDT_LEN, RSDT_REVISION);
	memcpy(b + OFF_RSDT + HDR_LEN, rsdt, sizeof(rsdt));
	seal(b + OFF_RSDT);
}

/*
 * Hardware-reduced: every fixed-hardware field is zero, and so are the
 * FACS (not used in this mode), the SCI, the reset register (reboot is
 * SCHEDOP_shutdown on PVH) and the sleep registers (no S5).
 */
static void build_fadt(uint8_t *b, uint64_t gpa)
{
	struct fadt *f = (void *)(b + OFF_FADT);

	header(f, "FACP", sizeof(*f), FADT_REVISION);
	f->minor_version = FADT_MINOR;
	f->dsdt = (uint32_t)(gpa + OFF_DSDT);
	f->x_dsdt = gpa + OFF_DSDT;
	f->p_lvl2_lat = FADT_NO_C2_LAT;
	f->p_lvl3_lat = FADT_NO_C3_LAT;
	f->iapc_boot_arch = ACPI_BOOT_NO_VGA | ACPI_BOOT_NO_CMOS_RTC;
	f->flags = FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON |
		   FADT_SLP_BUTTON | ACPI_FADT_HW_REDUCED;
	memcpy(f->hypervisor_id, "Lamina", 6);
	seal(f);

	header(b + OFF_DSDT, "DSDT", DSDT_LEN, DSDT_REVISION);
	seal(b + OFF_DSDT);
}

/* MADT flags 0: no 8259s (PCAT_COMPAT clear); no I/O APIC, no NMI entry. */
static void build_madt(uint8_t *b, const uint32_t *apic_ids, unsigned int nr)
{
	struct madt *m = (void *)(b + OFF_MADT);
	struct madt_lapic *e = (void *)(m + 1);
	unsigned int i;

	header(m, "APIC", sizeof(*m) + nr * sizeof(*e), MADT_REVISION);
	m->lapic_addr = GUEST_ACPI_LAPIC_ADDR;
	m->flags = 0;
	for (i = 0; i < nr; i++, e++) {
		e->type = MADT_TYPE_LAPIC;
		e->length = sizeof(*e);
		e->uid = (uint8_t)i;
		e->apic_id = (uint8_t)apic_ids[i];
		e->flags = MADT_LAPIC_ENABLED;
	}
	seal(m);
}

static int check_ids(const uint32_t *apic_ids, unsigned int nr)
{
	unsigned int i, j;

	for (i = 0; i < nr; i++) {
		if (apic_ids[i] > GUEST_ACPI_MAX_APIC_ID)
			return -ERANGE;
		for (j = 0; j < i; j++)
			if (apic_ids[j] == apic_ids[i])
				return -EINVAL;
	}
	return 0;
}

int guest_acpi_build(uint64_t gpa, const uint32_t *apic_ids, unsigned int nr,
		     void *buf, size_t size)
{
	int rc;

	layout_checks();
	if (!nr)
		return -EINVAL;
	if (nr > GUEST_ACPI_MAX_CPUS)
		return -E2BIG;
	if (!IS_ALIGNED(gpa, 16) || gpa >= GiB(4) ||
	    GUEST_ACPI_SIZE(nr) > GiB(4) - gpa)
		return -EINVAL;
	if (size < GUEST_ACPI_SIZE(nr))
		return -ENOSPC;
	rc = check_ids(apic_ids, nr);
	if (rc)
		return rc;
	memset(buf, 0, GUEST_ACPI_SIZE(nr));
	build_rsdp(buf, gpa);
	build_roots(buf, gpa);
	build_fadt(buf, gpa);
	build_madt(buf, apic_ids, nr);
	return 0;
}
