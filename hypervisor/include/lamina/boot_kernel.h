/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A boot domain's kernel image, ready to load (common/boot_kernel.c):
 * a PVH ELF taken as it is, or a bzImage whose XZ payload (the vmlinux
 * ELF) is decompressed into scratch pages first.
 *
 * Memory: the scratch output (~66 MB for Debian's 6.1) and liblzma's
 * dictionary (32 MiB) are too big for the heap's power-of-two blocks;
 * both come straight from the page allocator as exact page counts
 * (alloc_pages_exact()), so they need contiguous machine memory, which
 * the direct map makes usable without any further mapping. Boot CPU
 * only, before guests run: no lock.
 */
#ifndef LAMINA_BOOT_KERNEL_H
#define LAMINA_BOOT_KERNEL_H

#include <lamina/types.h>
#include <lamina/bzimage.h>
#include <lamina/elf.h>

struct page_info;

struct boot_kernel {
	bool is_bzimage;
	size_t xz_len;			/* bzImage: XZ stream bytes */
	size_t elf_len;			/* the ELF image's size */
	struct page_info *scratch;	/* bzImage: the decompressed ELF */
	unsigned long scratch_pages;
	struct elf_plan plan;		/* into the module or scratch */
};

/*
 * Make img[0, len) loadable: elf_parse() it, or for a bzImage (setup
 * header magic) decompress its payload into scratch pages and
 * elf_parse() that. Returns 0 with *k filled, or after a message:
 * -ENOMEM no contiguous memory for the output or for liblzma;
 * bzimage_parse(), bzimage_decompress() and elf_parse() errors (-ENOEXEC
 * neither a PVH ELF nor a bzImage holding one). On error nothing stays
 * allocated. liblzma uses SSE: call only where no guest FPU state is
 * live (at boot, before any vCPU runs).
 */
int boot_kernel_prepare(const void *img, size_t len, struct boot_kernel *k);

/* Free the scratch pages (if any). k->plan is invalid afterwards. */
void boot_kernel_release(struct boot_kernel *k);

/*
 * liblzma's heap: blocks up to XMALLOC_MAX_SMALL from xmalloc, larger
 * ones as exact page runs, at most BOOT_HEAP_BIG of them at once.
 */
#define BOOT_HEAP_BIG	8
extern const struct loader_heap boot_loader_heap;

#endif /* LAMINA_BOOT_KERNEL_H */
