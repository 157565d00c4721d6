// SPDX-License-Identifier: GPL-2.0
/*
 * Static ACPI tables (see lamina/acpi.h). Each table is mapped with its
 * header first, then with its full, bounded length, and its checksum is
 * verified before any field is read. Fields beyond a table's length read
 * as zero, which is how old, short FADTs lose the fields they predate.
 */
#include <lamina/acpi.h>
#include <lamina/errno.h>
#include <lamina/lib.h>

#define ACPI_ERR(ai, fmt, ...) do {					\
	printk("(lamina) ACPI: " fmt "\n", ##__VA_ARGS__);		\
	(ai)->nr_errors++;						\
} while (0)

#define HDR_LEN		sizeof(struct acpi_table_header)
#define RSDP_V1_LEN	20
#define RSDP_V2_LEN	sizeof(struct acpi_rsdp)
#define BIOS_ROM_START	0xe0000
#define BIOS_ROM_LEN	0x20000
#define EBDA_PTR	0x40e
#define EBDA_SCAN_LEN	1024

/* MADT entry types and flags. */
#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_OVERRIDE		2
#define MADT_LAPIC_ADDR		5
#define MADT_X2APIC		9
#define MADT_PCAT_COMPAT	(1u << 0)
#define MADT_CPU_ENABLED	(1u << 0)
#define MADT_CPU_ONLINE_CAPABLE	(1u << 1)

/* A mapped, validated table. */
struct table {
	const uint8_t *p;
	uint32_t len;
	uint64_t maddr;
};

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

/* Little-endian reads at off; zero if the field is not inside len. */
static uint64_t rd(const struct table *t, uint32_t off, unsigned int size)
{
	uint64_t v = 0;
	unsigned int k;

	if (off > t->len || t->len - off < size)
		return 0;
	for (k = 0; k < size; k++)
		v |= (uint64_t)t->p[off + k] << (8 * k);
	return v;
}

static bool rd_gas(const struct table *t, uint32_t off, struct acpi_gas *g)
{
	if (off > t->len || t->len - off < 12)
		return false;
	g->space = rd(t, off, 1);
	g->bit_width = rd(t, off + 1, 1);
	g->bit_offset = rd(t, off + 2, 1);
	g->access_size = rd(t, off + 3, 1);
	g->address = rd(t, off + 4, 8);
	return true;
}

static const void *map_range(boot_map_fn map, void *ctx, uint64_t maddr,
			     size_t len)
{
	if (len == 0 || maddr > UINT64_MAX - len)
		return NULL;
	return map(maddr, len, ctx);
}

/*
 * Map and validate the table at maddr: length within [header,
 * ACPI_MAX_TABLE_LEN], checksum, and signature if sig is not NULL.
 */
static int map_table(boot_map_fn map, void *ctx, uint64_t maddr,
		     const char *sig, struct acpi_info *ai, struct table *t)
{
	const struct acpi_table_header *h;
	uint32_t len;

	h = map_range(map, ctx, maddr, HDR_LEN);
	if (!h) {
		ACPI_ERR(ai, "table at %#llx not mappable",
			 (unsigned long long)maddr);
		return -EFAULT;
	}
	if (sig && memcmp(h->signature, sig, 4)) {
		ACPI_ERR(ai, "table at %#llx is not a %.4s",
			 (unsigned long long)maddr, sig);
		return -EINVAL;
	}
	len = h->length;
	if (len < HDR_LEN || len > ACPI_MAX_TABLE_LEN) {
		ACPI_ERR(ai, "%.4s at %#llx: bad length %u", h->signature,
			 (unsigned long long)maddr, len);
		return -EINVAL;
	}
	t->p = map_range(map, ctx, maddr, len);
	if (!t->p) {
		ACPI_ERR(ai, "%.4s at %#llx (%u bytes) not mappable",
			 h->signature, (unsigned long long)maddr, len);
		return -EFAULT;
	}
	if (acpi_checksum(t->p, len)) {
		ACPI_ERR(ai, "%.4s at %#llx: bad checksum", h->signature,
			 (unsigned long long)maddr);
		return -EINVAL;
	}
	t->len = len;
	t->maddr = maddr;
	return 0;
}

/* ---- RSDP ------------------------------------------------------------- */

static bool rsdp_v1_valid(const struct acpi_rsdp *r)
{
	return !memcmp(r->signature, "RSD PTR ", 8) &&
	       !acpi_checksum(r, RSDP_V1_LEN);
}

/* Validate an RSDP of which avail bytes are readable at r. */
static bool rsdp_valid(const struct acpi_rsdp *r, size_t avail)
{
	if (avail < RSDP_V1_LEN || !rsdp_v1_valid(r))
		return false;
	if (r->revision < 2)
		return true;
	return avail >= RSDP_V2_LEN && r->length >= RSDP_V2_LEN &&
	       r->length <= avail && r->length <= ACPI_MAX_RSDP_LEN &&
	       !acpi_checksum(r, r->length);
}

static size_t rsdp_len(const struct acpi_rsdp *r)
{
	return r->revision < 2 ? RSDP_V1_LEN : r->length;
}

/* Check the RSDP in memory at maddr, mapping as much as it claims. */
static const struct acpi_rsdp *rsdp_at(boot_map_fn map, void *ctx,
				       uint64_t maddr)
{
	const struct acpi_rsdp *r = map_range(map, ctx, maddr, RSDP_V1_LEN);
	size_t len;

	if (!r || !rsdp_v1_valid(r))
		return NULL;
	if (r->revision < 2)
		return r;
	r = map_range(map, ctx, maddr, RSDP_V2_LEN);
	if (!r)
		return NULL;
	len = r->length;
	if (len < RSDP_V2_LEN || len > ACPI_MAX_RSDP_LEN)
		return NULL;
	r = map_range(map, ctx, maddr, len);
	return r && rsdp_valid(r, len) ? r : NULL;
}

static const struct acpi_rsdp *rsdp_scan(boot_map_fn map, void *ctx,
					 uint64_t start, size_t len,
					 uint64_t *found)
{
	const uint8_t *area = map_range(map, ctx, start, len);
	const struct acpi_rsdp *r;
	size_t off;

	if (!area)
		return NULL;
	for (off = 0; off + RSDP_V1_LEN <= len; off += 16) {
		if (memcmp(area + off, "RSD PTR ", 8))
			continue;
		r = rsdp_at(map, ctx, start + off);
		if (r) {
			*found = start + off;
			return r;
		}
	}
	return NULL;
}

static const struct acpi_rsdp *rsdp_search(boot_map_fn map, void *ctx,
					   uint64_t *found)
{
	const uint8_t *seg = map_range(map, ctx, EBDA_PTR, 2);
	const struct acpi_rsdp *r = NULL;
	uint64_t ebda = seg ? (uint64_t)(seg[0] | seg[1] << 8) << 4 : 0;

	/* Only an EBDA between the IVT/BDA and the VGA hole is plausible. */
	if (ebda >= 0x500 && ebda + EBDA_SCAN_LEN <= 0xa0000)
		r = rsdp_scan(map, ctx, ebda, EBDA_SCAN_LEN, found);
	if (!r)
		r = rsdp_scan(map, ctx, BIOS_ROM_START, BIOS_ROM_LEN, found);
	return r;
}

/*
 * The RSDP from the loader's copy, else from maddr_hint, else by search.
 * *maddr is where it was found in memory, 0 for the copy.
 */
static const struct acpi_rsdp *find_rsdp(boot_map_fn map, void *ctx,
					 const void *copy, size_t copy_len,
					 uint64_t maddr_hint, uint64_t *maddr)
{
	const struct acpi_rsdp *r;

	*maddr = 0;
	if (copy) {
		if (rsdp_valid(copy, copy_len))
			return copy;
		printk("(lamina) ACPI: the boot loader's RSDP copy is invalid\n");
	}
	if (maddr_hint) {
		r = rsdp_at(map, ctx, maddr_hint);
		if (r) {
			*maddr = maddr_hint;
			return r;
		}
		printk("(lamina) ACPI: no valid RSDP at %#llx\n",
		       (unsigned long long)maddr_hint);
	}
	r = rsdp_search(map, ctx, maddr);
	if (!r)
		printk("(lamina) ACPI: no RSDP found\n");
	return r;
}

int acpi_find_rsdp(boot_map_fn map, void *ctx, struct boot_info *bi)
{
	const struct acpi_rsdp *r;
	uint64_t maddr;

	r = find_rsdp(map, ctx, bi->rsdp, bi->rsdp_len, bi->rsdp_maddr,
		      &maddr);
	if (!r) {
		bi->rsdp = NULL;
		bi->rsdp_len = 0;
		bi->rsdp_maddr = 0;
		return -ENOENT;
	}
	if (r != bi->rsdp) {
		bi->rsdp = r;
		bi->rsdp_len = rsdp_len(r);
		bi->rsdp_maddr = maddr;
	}
	return 0;
}

/* ---- MADT ------------------------------------------------------------- */

static void madt_add_cpu(struct acpi_info *ai, uint32_t acpi_id,
			 uint32_t apic_id, uint32_t flags)
{
	struct acpi_cpu *c;

	if (ai->nr_cpus >= ACPI_MAX_CPUS) {
		ACPI_ERR(ai, "MADT: more than %u CPUs, ignoring APIC ID %#x",
			 ACPI_MAX_CPUS, apic_id);
		return;
	}
	c = &ai->cpus[ai->nr_cpus++];
	c->acpi_id = acpi_id;
	c->apic_id = apic_id;
	c->enabled = flags & MADT_CPU_ENABLED;
	c->online_capable = flags & MADT_CPU_ONLINE_CAPABLE;
}

static void madt_add_ioapic(struct acpi_info *ai, const struct table *e)
{
	struct acpi_ioapic *io;

	if (ai->nr_ioapics >= ACPI_MAX_IOAPICS) {
		ACPI_ERR(ai, "MADT: more than %u I/O APICs, ignoring ID %u",
			 ACPI_MAX_IOAPICS, (unsigned int)rd(e, 2, 1));
		return;
	}
	io = &ai->ioapics[ai->nr_ioapics++];
	io->id = rd(e, 2, 1);
	io->maddr = rd(e, 4, 4);
	io->gsi_base = rd(e, 8, 4);
}

static void madt_add_override(struct acpi_info *ai, const struct table *e)
{
	struct acpi_override *o;

	if (ai->nr_overrides >= ACPI_MAX_OVERRIDES) {
		ACPI_ERR(ai, "MADT: more than %u overrides, ignoring IRQ %u",
			 ACPI_MAX_OVERRIDES, (unsigned int)rd(e, 3, 1));
		return;
	}
	o = &ai->overrides[ai->nr_overrides++];
	o->bus = rd(e, 2, 1);
	o->source = rd(e, 3, 1);
	o->gsi = rd(e, 4, 4);
	o->flags = rd(e, 8, 2);
}

/* One entry, e covering exactly its length. -EINVAL if too short. */
static int madt_entry(struct acpi_info *ai, const struct table *e)
{
	static const uint8_t min_len[] = {
		[MADT_LAPIC] = 8, [MADT_IOAPIC] = 12, [MADT_OVERRIDE] = 10,
		[MADT_LAPIC_ADDR] = 12, [MADT_X2APIC] = 16,
	};
	uint8_t type = e->p[0];

	if (type < ARRAY_SIZE(min_len) && e->len < min_len[type])
		return -EINVAL;
	switch (type) {
	case MADT_LAPIC:
		madt_add_cpu(ai, rd(e, 2, 1), rd(e, 3, 1), rd(e, 4, 4));
		break;
	case MADT_X2APIC:
		madt_add_cpu(ai, rd(e, 12, 4), rd(e, 4, 4), rd(e, 8, 4));
		break;
	case MADT_IOAPIC:
		madt_add_ioapic(ai, e);
		break;
	case MADT_OVERRIDE:
		madt_add_override(ai, e);
		break;
	case MADT_LAPIC_ADDR:
		ai->lapic_maddr = rd(e, 4, 8);
		break;
	}
	return 0;			/* other types: not needed */
}

static void madt_reset(struct acpi_info *ai)
{
	ai->have_madt = false;
	ai->lapic_maddr = 0;
	ai->pic_present = false;
	ai->nr_cpus = ai->nr_ioapics = ai->nr_overrides = 0;
}

static void parse_madt(const struct table *t, struct acpi_info *ai)
{
	struct table e;
	uint32_t off;

	if (t->len < HDR_LEN + 8) {
		ACPI_ERR(ai, "MADT too short (%u bytes)", t->len);
		return;
	}
	ai->have_madt = true;
	ai->lapic_maddr = rd(t, 36, 4);
	ai->pic_present = rd(t, 40, 4) & MADT_PCAT_COMPAT;
	for (off = HDR_LEN + 8; off < t->len; off += e.len) {
		e.p = t->p + off;
		e.len = t->len - off >= 2 ? e.p[1] : 0;
		if (e.len < 2 || e.len > t->len - off ||
		    madt_entry(ai, &e)) {
			ACPI_ERR(ai, "MADT: bad entry (type %u, length %u) at offset %u; ignoring the MADT",
				 e.p[0], e.len, off);
			madt_reset(ai);
			return;
		}
	}
}

/* ---- FADT, DSDT ------------------------------------------------------- */

/* An X_ block address usable as an I/O port, or 0. */
static uint32_t fadt_x_port(const struct table *t, uint32_t off)
{
	struct acpi_gas g;

	if (!rd_gas(t, off, &g) || g.space != ACPI_GAS_IO ||
	    g.address == 0 || g.address > 0xffff)
		return 0;
	return g.address;
}

static uint32_t fadt_port(const struct table *t, uint32_t x_off,
			  uint32_t off)
{
	uint32_t port = fadt_x_port(t, x_off);

	return port ? port : rd(t, off, 4);
}

static void parse_fadt(const struct table *t, struct acpi_info *ai)
{
	/* Must at least reach the DSDT pointer. */
	if (t->len < 44) {
		ACPI_ERR(ai, "FADT too short (%u bytes)", t->len);
		return;
	}
	ai->have_fadt = true;
	ai->fadt_revision = rd(t, 8, 1);
	ai->pm1a_cnt = fadt_port(t, 172, 64);
	ai->pm1b_cnt = fadt_port(t, 184, 68);
	ai->pm_tmr_blk = fadt_port(t, 208, 76);
	ai->century_reg = rd(t, 108, 1);
	ai->iapc_boot_arch = rd(t, 109, 2);
	ai->fadt_flags = rd(t, 112, 4);
	ai->pm_tmr_32bit = ai->fadt_flags & ACPI_FADT_TMR_VAL_EXT;
	/* RESET_REG and RESET_VALUE arrived together (ACPI 2.0). */
	if (t->len >= 129 && rd_gas(t, 116, &ai->reset_reg)) {
		ai->reset_value = rd(t, 128, 1);
		ai->reset_supported =
			(ai->fadt_flags & ACPI_FADT_RESET_REG_SUP) &&
			ai->reset_reg.address != 0;
	}
	ai->dsdt_maddr = rd(t, 140, 8);
	if (!ai->dsdt_maddr)
		ai->dsdt_maddr = rd(t, 40, 4);
}

static void parse_dsdt(boot_map_fn map, void *ctx, struct acpi_info *ai)
{
	struct table t;
	int rc;

	if (!ai->dsdt_maddr)
		return;
	if (map_table(map, ctx, ai->dsdt_maddr, "DSDT", ai, &t))
		return;
	rc = acpi_aml_find_s5(t.p + HDR_LEN, t.len - HDR_LEN,
			      &ai->s5_slp_typa, &ai->s5_slp_typb);
	ai->have_s5 = rc == 0;
	if (rc == -EINVAL)
		ACPI_ERR(ai, "DSDT: malformed \\_S5 package");
}

/* ---- HPET, MCFG ------------------------------------------------------- */

static void parse_hpet(const struct table *t, struct acpi_info *ai)
{
	struct acpi_gas g;

	if (!rd_gas(t, 40, &g) || g.space != ACPI_GAS_MEMORY ||
	    g.address == 0) {
		ACPI_ERR(ai, "HPET: no usable base address");
		return;
	}
	ai->have_hpet = true;
	ai->hpet_maddr = g.address;
}

static void parse_mcfg(const struct table *t, struct acpi_info *ai)
{
	struct acpi_mcfg *m;
	uint32_t off;

	if (t->len < HDR_LEN + 8 || (t->len - HDR_LEN - 8) % 16) {
		ACPI_ERR(ai, "MCFG: bad length %u", t->len);
		return;
	}
	for (off = HDR_LEN + 8; off < t->len; off += 16) {
		if (rd(t, off + 10, 1) > rd(t, off + 11, 1)) {
			ACPI_ERR(ai, "MCFG: bus range %u-%u reversed",
				 (unsigned int)rd(t, off + 10, 1),
				 (unsigned int)rd(t, off + 11, 1));
			continue;
		}
		if (ai->nr_mcfg >= ACPI_MAX_MCFG) {
			ACPI_ERR(ai, "MCFG: more than %u regions", ACPI_MAX_MCFG);
			return;
		}
		m = &ai->mcfg[ai->nr_mcfg++];
		m->base = rd(t, off, 8);
		m->segment = rd(t, off + 8, 2);
		m->bus_start = rd(t, off + 10, 1);
		m->bus_end = rd(t, off + 11, 1);
	}
}

/* ---- root tables ------------------------------------------------------ */

static const struct {
	char sig[5];
	void (*parse)(const struct table *t, struct acpi_info *ai);
} known_tables[] = {
	{ "APIC", parse_madt },
	{ "FACP", parse_fadt },
	{ "HPET", parse_hpet },
	{ "MCFG", parse_mcfg },
};

/* Look at the table at maddr; parse it if it is one we use. */
static void visit_table(boot_map_fn map, void *ctx, uint64_t maddr,
			unsigned int *seen, struct acpi_info *ai)
{
	const struct acpi_table_header *h;
	struct table t;
	unsigned int i;

	h = map_range(map, ctx, maddr, HDR_LEN);
	if (!h) {
		ACPI_ERR(ai, "table at %#llx not mappable",
			 (unsigned long long)maddr);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(known_tables); i++)
		if (!memcmp(h->signature, known_tables[i].sig, 4))
			break;
	if (i == ARRAY_SIZE(known_tables))
		return;
	if (*seen & (1u << i)) {
		printk("(lamina) ACPI: ignoring a second %s at %#llx\n",
		       known_tables[i].sig, (unsigned long long)maddr);
		return;
	}
	if (map_table(map, ctx, maddr, known_tables[i].sig, ai, &t))
		return;
	*seen |= 1u << i;
	known_tables[i].parse(&t, ai);
}

/* entry_size 8 for the XSDT, 4 for the RSDT. */
static int parse_root(boot_map_fn map, void *ctx, uint64_t maddr,
		      unsigned int entry_size, struct acpi_info *ai)
{
	const char *sig = entry_size == 8 ? "XSDT" : "RSDT";
	unsigned int seen = 0;
	struct table root;
	uint64_t addr;
	uint32_t off;

	if (map_table(map, ctx, maddr, sig, ai, &root))
		return -EINVAL;
	if ((root.len - HDR_LEN) % entry_size) {
		ACPI_ERR(ai, "%s: length %u is not a whole number of entries",
			 sig, root.len);
		return -EINVAL;
	}
	for (off = HDR_LEN; off < root.len; off += entry_size) {
		addr = rd(&root, off, entry_size);
		if (addr)
			visit_table(map, ctx, addr, &seen, ai);
	}
	return 0;
}

int acpi_parse(boot_map_fn map, void *ctx, const struct boot_info *bi,
	       struct acpi_info *ai)
{
	const struct acpi_rsdp *r;
	int rc = -EINVAL;

	memset(ai, 0, sizeof(*ai));
	r = find_rsdp(map, ctx, bi->rsdp, bi->rsdp_len, bi->rsdp_maddr,
		      &ai->rsdp_maddr);
	if (!r)
		return -ENOENT;
	ai->rsdp_revision = r->revision;
	memcpy(ai->oem_id, r->oem_id, sizeof(r->oem_id));
	if (r->revision >= 2 && r->xsdt_address) {
		rc = parse_root(map, ctx, r->xsdt_address, 8, ai);
		ai->used_xsdt = rc == 0;
		if (rc)
			printk("(lamina) ACPI: XSDT unusable, trying the RSDT\n");
	}
	if (rc && r->rsdt_address)
		rc = parse_root(map, ctx, r->rsdt_address, 4, ai);
	if (rc) {
		printk("(lamina) ACPI: no usable RSDT or XSDT\n");
		return -EINVAL;
	}
	if (ai->have_fadt)
		parse_dsdt(map, ctx, ai);
	return 0;
}

void acpi_info_print(const struct acpi_info *ai)
{
	unsigned int i;

	printk("(lamina) ACPI: RSDP rev %u at %#llx, OEM '%s', %s\n",
	       ai->rsdp_revision, (unsigned long long)ai->rsdp_maddr,
	       ai->oem_id, ai->used_xsdt ? "XSDT" : "RSDT");
	if (ai->have_madt)
		printk("(lamina) ACPI: LAPIC %#llx, %u CPUs, %u I/O APICs, %u overrides%s\n",
		       (unsigned long long)ai->lapic_maddr, ai->nr_cpus,
		       ai->nr_ioapics, ai->nr_overrides,
		       ai->pic_present ? ", 8259 PIC" : "");
	for (i = 0; i < ai->nr_cpus; i++)
		printk("(lamina) ACPI:  CPU acpi_id %u apic_id %#x%s%s\n",
		       ai->cpus[i].acpi_id, ai->cpus[i].apic_id,
		       ai->cpus[i].enabled ? " enabled" : "",
		       ai->cpus[i].online_capable ? " online-capable" : "");
	for (i = 0; i < ai->nr_ioapics; i++)
		printk("(lamina) ACPI:  IOAPIC id %u at %#x GSI base %u\n",
		       ai->ioapics[i].id, ai->ioapics[i].maddr,
		       ai->ioapics[i].gsi_base);
	for (i = 0; i < ai->nr_overrides; i++)
		printk("(lamina) ACPI:  IRQ %u -> GSI %u flags %#x\n",
		       ai->overrides[i].source, ai->overrides[i].gsi,
		       ai->overrides[i].flags);
	if (ai->have_fadt)
		printk("(lamina) ACPI: FADT rev %u PM1a_CNT %#x PM1b_CNT %#x PM_TMR %#x (%u-bit) century %#x reset %s%#llx=%#x\n",
		       ai->fadt_revision, ai->pm1a_cnt, ai->pm1b_cnt,
		       ai->pm_tmr_blk, ai->pm_tmr_32bit ? 32 : 24,
		       ai->century_reg, ai->reset_supported ? "" : "(no) ",
		       (unsigned long long)ai->reset_reg.address,
		       ai->reset_value);
	if (ai->have_s5)
		printk("(lamina) ACPI: S5 SLP_TYPa %u SLP_TYPb %u\n",
		       ai->s5_slp_typa, ai->s5_slp_typb);
	if (ai->have_hpet)
		printk("(lamina) ACPI: HPET at %#llx\n",
		       (unsigned long long)ai->hpet_maddr);
	for (i = 0; i < ai->nr_mcfg; i++)
		printk("(lamina) ACPI: MCFG segment %u buses %u-%u at %#llx\n",
		       ai->mcfg[i].segment, ai->mcfg[i].bus_start,
		       ai->mcfg[i].bus_end,
		       (unsigned long long)ai->mcfg[i].base);
	if (ai->nr_errors)
		printk("(lamina) ACPI: %u problems, see above\n",
		       ai->nr_errors);
}
