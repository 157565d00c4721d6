/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PVH guest's boot memory layout and its struct hvm_start_info
 * (common/pvh_start_info.c). Pure computation over numbers plus writes
 * through a callback, so the unit tests run it over simulated guest
 * memory.
 *
 * Guest-physical layout (as libxl gives a PVH guest, and with the same
 * placement of the boot data as Xen's PVH dom0 builder):
 *
 *   [0, 0xA0000)            RAM
 *   [0xA0000, 1 MiB)        reserved (populated, zeroed: the legacy VGA
 *                           and BIOS area, which Linux scans); the ACPI
 *                           tables (lamina/guest_acpi.h) at 0xE0000
 *   [1 MiB, low_end)        RAM: kernel at its p_paddr; the boot data
 *                           block at the lowest place at or above 1 MiB
 *                           where it fits beside the kernel, below 1 GiB
 *   [low_end, 4 GiB)        hole (Xen's HVM_BELOW_4G_MMIO_START, 0xF0000000)
 *     [0xFEFF8000, 0xFF000000)  reserved in an unprivileged domain's map:
 *                           Xen's special pages (libxl does the same for
 *                           PVH guests), the console ring in the last
 *   [4 GiB, 4 GiB + rest)   RAM, when the domain has more than low_end
 *
 * low_end = min(memory, 0xF0000000). The boot data block holds, in
 * order: the initrd (page aligned), the initrd's string, the command
 * line, the module list, the memory map and the start info itself (each
 * 8-byte aligned). Like Xen, the block stays e820 RAM: Linux copies or
 * reads the start info, command line, module list and memory map in its
 * first instructions, before it allocates anything, and reserves the
 * initrd (memblock) until it has unpacked it.
 */
#ifndef LAMINA_PVH_START_INFO_H
#define LAMINA_PVH_START_INFO_H

#include <lamina/types.h>
#include <xen/arch-x86/hvm/start_info.h>

#define PVH_LEGACY_START	0xA0000
#define PVH_LEGACY_END		MiB(1)
/*
 * The ACPI tables go where a PC's BIOS keeps them, in the reserved
 * legacy area: outside RAM, so Linux never reuses the pages, already
 * populated, and the RSDP at 0xE0000 is also where Linux's legacy scan
 * looks when a loader loses rsdp_paddr.
 */
#define PVH_ACPI_START		0xE0000
#define PVH_ACPI_END		PVH_LEGACY_END
/*
 * Xen's special pages: the 8 pages below X86_HVM_END_SPECIAL_REGION
 * (0xff000), where its toolstack puts the console ring (the last one,
 * SPECIALPAGE_CONSOLE) and the xenstore ring (0xfeffc).
 */
#define PVH_SPECIAL_START	0xFEFF8000ULL
#define PVH_SPECIAL_END		0xFF000000ULL
#define PVH_CONSOLE_GFN		0xFEFFFUL
#define PVH_MIN_MEM		MiB(2)
#define PVH_MAX_MEM		(GiB(1) << 10)	/* 1 TiB */
/* Everything but the kernel stays below this: Linux reads the start info,
 * module list and memory map through its first 1 GiB mapping. */
#define PVH_DATA_LIMIT		GiB(1)
/* Longest command line (the domain's, or the initrd's), NUL included. */
#define PVH_CMDLINE_MAX		4096
#define PVH_MEMMAP_MAX		8

/* What a domain boots with. Strings may be NULL (none). */
struct pvh_guest {
	unsigned int domid;		/* for messages */
	uint64_t mem;			/* bytes of RAM, page multiple */
	uint64_t kernel_start;		/* [start, end): loaded kernel */
	uint64_t kernel_end;
	const void *initrd;		/* NULL: no initrd */
	uint64_t initrd_len;
	const char *initrd_cmdline;	/* the initrd module's string */
	const char *cmdline;
	uint32_t flags;			/* SIF_* (xen.h) */
	uint64_t acpi_size;		/* bytes of ACPI tables, 0: none */
};

/* Where everything goes: guest-physical addresses, 0 when absent. */
struct pvh_layout {
	uint64_t ram_low_end;		/* RAM gfns [0, ram_low_end) */
	uint64_t ram_high_end;		/* and [4 GiB, high_end), or 0 */
	uint64_t data_start, data_end;	/* the boot data block */
	uint64_t initrd, initrd_cmdline, cmdline, modlist, memmap;
	uint64_t start_info;		/* EBX at the PVH entry */
	uint64_t acpi;			/* the ACPI tables, RSDP first */
	unsigned int nr_memmap;
	struct hvm_memmap_table_entry map[PVH_MEMMAP_MAX];
};

/*
 * Compute the layout for g. Returns 0, or after a "(lamina) dN: ..."
 * message: -EINVAL memory not a page multiple, or an empty or inverted
 * kernel span, or a kernel overlapping the ACPI tables; -ENOMEM memory
 * below PVH_MIN_MEM or too small for the kernel; -E2BIG memory above
 * PVH_MAX_MEM, a command line of PVH_CMDLINE_MAX bytes or more, or ACPI
 * tables larger than [PVH_ACPI_START, PVH_ACPI_END); -ENOSPC the boot
 * data block fits nowhere in RAM between 1 MiB and PVH_DATA_LIMIT beside
 * the kernel.
 */
int pvh_layout(const struct pvh_guest *g, struct pvh_layout *l);

/* Copy len bytes to guest-physical gpa: 0 or a negative errno. */
typedef int (*pvh_write_fn)(void *ctx, uint64_t gpa, const void *src,
			    size_t len);

/*
 * Write the boot data block of layout l (from pvh_layout(g, l)) through
 * write: initrd, strings, module list, memory map, start info (its
 * rsdp_paddr is l->acpi; the caller writes the tables there). Stops at
 * and returns the first callback error (after a message); 0 when done.
 */
int pvh_write(const struct pvh_guest *g, const struct pvh_layout *l,
	      pvh_write_fn write, void *ctx);

#endif /* LAMINA_PVH_START_INFO_H */
