/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot 1 (spec 0.6.96) and Multiboot2 (spec 2.0) structures, as far
 * as Lamina uses them. Written from the specifications. Everything is
 * packed: the loader only promises 4-byte alignment for Multiboot 1 and
 * its memory-map entries put a 64-bit field at offset 4.
 */
#ifndef LAMINA_MULTIBOOT_H
#define LAMINA_MULTIBOOT_H

/* Header (in the image) and loader (in EAX) magic numbers. */
#define MULTIBOOT1_HEADER_MAGIC		0x1BADB002
#define MULTIBOOT1_LOADER_MAGIC		0x2BADB002
#define MULTIBOOT2_HEADER_MAGIC		0xE85250D6
#define MULTIBOOT2_LOADER_MAGIC		0x36d76289

/* Multiboot 1 info flags. */
#define MB1_INFO_MEM		(1u << 0)
#define MB1_INFO_BOOTDEV	(1u << 1)
#define MB1_INFO_CMDLINE	(1u << 2)
#define MB1_INFO_MODS		(1u << 3)
#define MB1_INFO_MMAP		(1u << 6)
#define MB1_INFO_LOADER_NAME	(1u << 9)

/* Multiboot2 tag types. */
#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_MEMINFO		4
#define MB2_TAG_BOOTDEV		5
#define MB2_TAG_MMAP		6
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15
#define MB2_TAG_ALIGN		8

#ifndef __ASSEMBLY__
#include <lamina/types.h>

struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;		/* KiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __packed;

struct mb1_module {
	uint32_t mod_start, mod_end;		/* [start, end) */
	uint32_t string;
	uint32_t reserved;
} __packed;

/* 'size' counts the bytes after itself; the next entry is size + 4 on. */
struct mb1_mmap_entry {
	uint32_t size;
	uint64_t base_addr, length;
	uint32_t type;
} __packed;

struct mb2_info_header {
	uint32_t total_size;
	uint32_t reserved;
} __packed;

/* 'size' includes this header; tags start 8-byte aligned. */
struct mb2_tag {
	uint32_t type;
	uint32_t size;
} __packed;

struct mb2_tag_module {
	struct mb2_tag tag;
	uint32_t mod_start, mod_end;
	char string[];
} __packed;

struct mb2_tag_meminfo {
	struct mb2_tag tag;
	uint32_t mem_lower, mem_upper;
} __packed;

struct mb2_tag_mmap {
	struct mb2_tag tag;
	uint32_t entry_size, entry_version;
} __packed;

struct mb2_mmap_entry {
	uint64_t base_addr, length;
	uint32_t type;
	uint32_t reserved;
} __packed;

#endif /* __ASSEMBLY__ */
#endif /* LAMINA_MULTIBOOT_H */
