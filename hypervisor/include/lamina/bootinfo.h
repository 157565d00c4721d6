/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the boot loader told us, normalized from Multiboot 1 or 2
 * (common/multiboot.c).
 */
#ifndef LAMINA_BOOTINFO_H
#define LAMINA_BOOTINFO_H

#include <lamina/types.h>

#define BOOT_MAX_MEM		128
#define BOOT_MAX_MODULES	64
/* Longest boot-loader string (command line, name) accepted, with NUL. */
#define BOOT_MAX_STRING		4096
/* Largest Multiboot2 info block and Multiboot 1 memory map accepted. */
#define BOOT_MAX_INFO_SIZE	(1u << 20)

/* E820 types; other values are kept as given and mean "not RAM". */
#define E820_RAM		1
#define E820_RESERVED		2
#define E820_ACPI		3
#define E820_NVS		4
#define E820_UNUSABLE		5

struct boot_mem_region {
	uint64_t base, len;
	uint32_t type;
};

struct boot_module {
	uint64_t start, end;		/* [start, end) machine addresses */
	const char *string;		/* never NULL ("" if none) */
};

struct boot_info {
	const char *cmdline;		/* never NULL; path not stripped */
	const char *loader_name;	/* never NULL */
	/* Sorted by base, zero-length entries dropped, never merged. */
	unsigned int nr_mem;
	struct boot_mem_region mem[BOOT_MAX_MEM];
	unsigned int nr_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
	const void *rsdp;		/* RSDP copy from an mb2 ACPI tag */
	size_t rsdp_len;
	uint64_t rsdp_maddr;		/* the RSDP itself, 0 if unknown */
	uint32_t mem_lower_kib, mem_upper_kib;
	bool have_meminfo;
};

/*
 * Maps [maddr, maddr + len) readable and returns its address, or NULL if
 * that is not possible. Mappings must stay valid for as long as the
 * boot_info is used: every pointer in it points into one of them (in the
 * hypervisor the callback returns a direct-map address).
 */
typedef const void *(*boot_map_fn)(uint64_t maddr, size_t len, void *ctx);

/*
 * Fill *bi from the info block at info_maddr. Returns 0, or a negative
 * errno after printing a "(lamina) ..." message: -EINVAL malformed,
 * -EFAULT not mappable, -ENOSPC too many memory regions or modules.
 * On error *bi is still consistent (strings "" and counts valid) but may
 * be partial.
 */
int multiboot1_parse(uint32_t info_maddr, boot_map_fn map, void *ctx,
		     struct boot_info *bi);
int multiboot2_parse(uint32_t info_maddr, boot_map_fn map, void *ctx,
		     struct boot_info *bi);
/* Dispatch on the loader magic from EAX; -EINVAL for any other value. */
int boot_info_parse(uint32_t magic, uint32_t info_maddr, boot_map_fn map,
		    void *ctx, struct boot_info *bi);

/* Print *bi with printk, one "(lamina) " line per item. */
void boot_info_print(const struct boot_info *bi);

#endif /* LAMINA_BOOTINFO_H */
