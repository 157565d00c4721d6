// SPDX-License-Identifier: GPL-2.0
/*
 * The PVH boot memory layout and struct hvm_start_info v1 (Xen's
 * docs/misc/pvh.pandoc, public/arch-x86/hvm/start_info.h). See
 * lamina/pvh_start_info.h for the layout and the contracts.
 */
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/pvh_start_info.h>

#include <xen/hvm/e820.h>
#include <xen/xen.h>

#define GPA_4G		GiB(4)

/* Bytes a string takes in the block (NUL included), 0 if none. */
static size_t str_size(const char *s)
{
	return s && *s ? strlen(s) + 1 : 0;
}

static void map_add(struct pvh_layout *l, uint64_t addr, uint64_t end,
		    uint32_t type)
{
	struct hvm_memmap_table_entry *e;

	BUG_ON(l->nr_memmap >= PVH_MEMMAP_MAX);
	e = &l->map[l->nr_memmap++];
	e->addr = addr;
	e->size = end - addr;
	e->type = type;
	e->reserved = 0;
}

static int layout_ram(const struct pvh_guest *g, struct pvh_layout *l)
{
	if (!IS_ALIGNED(g->mem, PAGE_SIZE)) {
		printk("(lamina) d%u: memory of %llu bytes is not a whole "
		       "number of pages\n", g->domid,
		       (unsigned long long)g->mem);
		return -EINVAL;
	}
	if (g->mem < PVH_MIN_MEM) {
		printk("(lamina) d%u: memory of %llu KiB, at least %llu MiB "
		       "needed\n", g->domid, (unsigned long long)g->mem >> 10,
		       (unsigned long long)PVH_MIN_MEM >> 20);
		return -ENOMEM;
	}
	if (g->mem > PVH_MAX_MEM) {
		printk("(lamina) d%u: memory of %llu KiB, at most %llu MiB "
		       "supported\n", g->domid,
		       (unsigned long long)g->mem >> 10,
		       (unsigned long long)PVH_MAX_MEM >> 20);
		return -E2BIG;
	}
	l->ram_low_end = MIN(g->mem, (uint64_t)HVM_BELOW_4G_RAM_END);
	l->ram_high_end = g->mem > l->ram_low_end ?
			  GPA_4G + (g->mem - l->ram_low_end) : 0;
	map_add(l, 0, PVH_LEGACY_START, XEN_HVM_MEMMAP_TYPE_RAM);
	map_add(l, PVH_LEGACY_START, PVH_LEGACY_END,
		XEN_HVM_MEMMAP_TYPE_RESERVED);
	map_add(l, PVH_LEGACY_END, l->ram_low_end, XEN_HVM_MEMMAP_TYPE_RAM);
	if (!(g->flags & SIF_INITDOMAIN))
		map_add(l, PVH_SPECIAL_START, PVH_SPECIAL_END,
			XEN_HVM_MEMMAP_TYPE_RESERVED);
	if (l->ram_high_end)
		map_add(l, GPA_4G, l->ram_high_end, XEN_HVM_MEMMAP_TYPE_RAM);
	return 0;
}

static int check_kernel(const struct pvh_guest *g, const struct pvh_layout *l)
{
	if (g->kernel_start >= g->kernel_end) {
		printk("(lamina) d%u: empty kernel span [%#llx, %#llx)\n",
		       g->domid, (unsigned long long)g->kernel_start,
		       (unsigned long long)g->kernel_end);
		return -EINVAL;
	}
	if (g->kernel_end > l->ram_low_end) {
		printk("(lamina) d%u: memory too small for the kernel: it "
		       "ends at %#llx, RAM below 4 GiB ends at %#llx\n",
		       g->domid, (unsigned long long)g->kernel_end,
		       (unsigned long long)l->ram_low_end);
		return -ENOMEM;
	}
	return 0;
}

/* The tables' place is fixed: only their size and the kernel can clash. */
static int layout_acpi(const struct pvh_guest *g, struct pvh_layout *l)
{
	if (!g->acpi_size)
		return 0;
	if (g->acpi_size > PVH_ACPI_END - PVH_ACPI_START) {
		printk("(lamina) d%u: ACPI tables of %llu bytes, at most %llu "
		       "fit in [%#x, %#llx)\n", g->domid,
		       (unsigned long long)g->acpi_size,
		       (unsigned long long)(PVH_ACPI_END - PVH_ACPI_START),
		       PVH_ACPI_START, (unsigned long long)PVH_ACPI_END);
		return -E2BIG;
	}
	if (g->kernel_start < PVH_ACPI_START + g->acpi_size &&
	    g->kernel_end > PVH_ACPI_START) {
		printk("(lamina) d%u: the kernel [%#llx, %#llx) overlaps the "
		       "ACPI tables at %#x\n", g->domid,
		       (unsigned long long)g->kernel_start,
		       (unsigned long long)g->kernel_end, PVH_ACPI_START);
		return -EINVAL;
	}
	l->acpi = PVH_ACPI_START;
	return 0;
}

static int check_string(const struct pvh_guest *g, const char *what,
			const char *s)
{
	size_t n = s ? strnlen(s, PVH_CMDLINE_MAX) : 0;

	if (n < PVH_CMDLINE_MAX)
		return 0;
	printk("(lamina) d%u: %s too long (%u bytes or more, at most %u)\n",
	       g->domid, what, PVH_CMDLINE_MAX, PVH_CMDLINE_MAX - 1);
	return -E2BIG;
}

/* Offsets of each part inside the block; returns the block's size. */
static uint64_t block_offsets(const struct pvh_guest *g, struct pvh_layout *l)
{
	uint64_t off = 0;

	l->initrd = off;
	off = ALIGN_UP(off + g->initrd_len, 8);
	l->initrd_cmdline = off;
	off = ALIGN_UP(off + str_size(g->initrd_cmdline), 8);
	l->cmdline = off;
	off = ALIGN_UP(off + str_size(g->cmdline), 8);
	l->modlist = off;
	off += g->initrd ? sizeof(struct hvm_modlist_entry) : 0;
	l->memmap = off;
	off += l->nr_memmap * sizeof(struct hvm_memmap_table_entry);
	l->start_info = off;
	return off + sizeof(struct hvm_start_info);
}

/*
 * The lowest page-aligned start for size bytes in RAM [1 MiB, limit)
 * that does not overlap the kernel; 0 if there is none. The kernel
 * splits the range in two at most: below it, then above it.
 */
static uint64_t find_space(const struct pvh_guest *g, uint64_t limit,
			   uint64_t size)
{
	uint64_t kstart = ALIGN_DOWN(g->kernel_start, PAGE_SIZE);
	uint64_t kend = ALIGN_UP(g->kernel_end, PAGE_SIZE);
	uint64_t start = PVH_LEGACY_END;

	if (limit <= start || size > limit - start)
		return 0;
	if (kend <= start || kstart >= limit)	/* kernel outside */
		return start;
	if (kstart > start && kstart - start >= size)
		return start;
	start = MAX(start, kend);
	return start < limit && limit - start >= size ? start : 0;
}

/* Turn the block's offsets into addresses from base; absent parts 0. */
static void block_place(const struct pvh_guest *g, struct pvh_layout *l,
			uint64_t base, uint64_t size)
{
	l->data_start = base;
	l->data_end = base + size;
	l->initrd = g->initrd ? base + l->initrd : 0;
	l->initrd_cmdline = g->initrd && str_size(g->initrd_cmdline) ?
			    base + l->initrd_cmdline : 0;
	l->cmdline = str_size(g->cmdline) ? base + l->cmdline : 0;
	l->modlist = g->initrd ? base + l->modlist : 0;
	l->memmap += base;
	l->start_info += base;
}

int pvh_layout(const struct pvh_guest *g, struct pvh_layout *l)
{
	uint64_t size, base, limit;
	int rc;

	memset(l, 0, sizeof(*l));
	rc = layout_ram(g, l);
	if (!rc)
		rc = check_kernel(g, l);
	if (!rc)
		rc = layout_acpi(g, l);
	if (!rc)
		rc = check_string(g, "command line", g->cmdline);
	if (!rc)
		rc = check_string(g, "initrd string", g->initrd_cmdline);
	if (rc)
		return rc;
	if (g->initrd_len > PVH_DATA_LIMIT)
		goto no_space;
	size = block_offsets(g, l);
	limit = MIN(l->ram_low_end, PVH_DATA_LIMIT);
	base = find_space(g, limit, size);
	if (!base)
		goto no_space;
	block_place(g, l, base, size);
	return 0;

no_space:
	if (g->initrd)
		printk("(lamina) d%u: no room for the start info and a %llu "
		       "KiB initrd", g->domid,
		       (unsigned long long)g->initrd_len >> 10);
	else
		printk("(lamina) d%u: no room for the start info", g->domid);
	printk(" beside the kernel [%#llx, %#llx) in RAM from 1 MiB to "
	       "%#llx\n", (unsigned long long)g->kernel_start,
	       (unsigned long long)g->kernel_end,
	       (unsigned long long)MIN(l->ram_low_end, PVH_DATA_LIMIT));
	return -ENOSPC;
}

static void fill_start_info(const struct pvh_guest *g,
			    const struct pvh_layout *l,
			    struct hvm_start_info *si,
			    struct hvm_modlist_entry *mod)
{
	BUILD_BUG_ON(sizeof(struct hvm_start_info) != 56);
	BUILD_BUG_ON(sizeof(struct hvm_modlist_entry) != 32);
	BUILD_BUG_ON(sizeof(struct hvm_memmap_table_entry) != 24);

	memset(mod, 0, sizeof(*mod));
	mod->paddr = l->initrd;
	mod->size = g->initrd ? g->initrd_len : 0;
	mod->cmdline_paddr = l->initrd_cmdline;

	memset(si, 0, sizeof(*si));
	si->magic = XEN_HVM_START_MAGIC_VALUE;
	si->version = 1;
	si->flags = g->flags;
	si->nr_modules = g->initrd ? 1 : 0;
	si->modlist_paddr = l->modlist;
	si->cmdline_paddr = l->cmdline;
	si->rsdp_paddr = l->acpi;
	si->memmap_paddr = l->memmap;
	si->memmap_entries = l->nr_memmap;
}

/* Write one part if present; remembers the first error. */
static int put(pvh_write_fn write, void *ctx, int rc, uint64_t gpa,
	       const void *src, size_t len)
{
	if (rc || !gpa || !len)
		return rc;
	return write(ctx, gpa, src, len);
}

int pvh_write(const struct pvh_guest *g, const struct pvh_layout *l,
	      pvh_write_fn write, void *ctx)
{
	struct hvm_start_info si;
	struct hvm_modlist_entry mod;
	int rc = 0;

	fill_start_info(g, l, &si, &mod);
	rc = put(write, ctx, rc, l->initrd, g->initrd, g->initrd_len);
	rc = put(write, ctx, rc, l->initrd_cmdline, g->initrd_cmdline,
		 str_size(g->initrd_cmdline));
	rc = put(write, ctx, rc, l->cmdline, g->cmdline, str_size(g->cmdline));
	rc = put(write, ctx, rc, l->modlist, &mod, sizeof(mod));
	rc = put(write, ctx, rc, l->memmap, l->map,
		 l->nr_memmap * sizeof(l->map[0]));
	rc = put(write, ctx, rc, l->start_info, &si, sizeof(si));
	if (rc)
		printk("(lamina) d%u: cannot write the boot data at %#llx "
		       "(%d)\n", g->domid, (unsigned long long)l->data_start,
		       rc);
	return rc;
}
