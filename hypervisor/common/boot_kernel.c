// SPDX-License-Identifier: GPL-2.0
/*
 * Boot domains' kernel images: plain PVH ELF, or bzImage with an XZ
 * payload decompressed into scratch pages. See lamina/boot_kernel.h.
 */
#include <lamina/boot_kernel.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/xmalloc.h>

/* The large blocks handed to liblzma, to free them by address. */
static struct {
	void *va;
	unsigned long nr;
} big[BOOT_HEAP_BIG];

static void *heap_alloc(size_t size)
{
	struct page_info *pg;
	unsigned int i;

	if (size <= XMALLOC_MAX_SMALL)
		return xmalloc_bytes(size);
	for (i = 0; i < ARRAY_SIZE(big) && big[i].va; i++)
		;
	if (i == ARRAY_SIZE(big))
		return NULL;
	pg = alloc_pages_exact(PFN_UP(size), 0);
	if (!pg)
		return NULL;
	big[i].va = page_to_virt(pg);
	big[i].nr = PFN_UP(size);
	return big[i].va;
}

static void heap_free(void *p)
{
	unsigned int i;

	if (!p)
		return;
	for (i = 0; i < ARRAY_SIZE(big); i++) {
		if (big[i].va == p) {
			free_pages_exact(virt_to_page(p), big[i].nr);
			big[i].va = NULL;
			return;
		}
	}
	xfree(p);
}

const struct loader_heap boot_loader_heap = {
	.alloc = heap_alloc, .free = heap_free,
};

static int decompress(const void *img, size_t len, struct boot_kernel *k)
{
	struct bzimage_info bi;
	int rc;

	rc = bzimage_parse(img, len, &bi);
	if (rc)
		return rc;
	k->is_bzimage = true;
	k->xz_len = bi.payload_len - BZIMAGE_TRAILER;
	k->elf_len = bi.decompressed_len;
	k->scratch_pages = PFN_UP(bi.decompressed_len);
	k->scratch = alloc_pages_exact(k->scratch_pages, 0);
	if (!k->scratch) {
		printk("(lamina) bzImage: no %lu contiguous MiB free for the "
		       "decompressed kernel (%lu MiB free in all)\n",
		       (k->scratch_pages + 255) >> 8,
		       page_alloc_free_pages() >> 8);
		return -ENOMEM;
	}
	return bzimage_decompress(&bi, page_to_virt(k->scratch),
				  bi.decompressed_len, &boot_loader_heap);
}

int boot_kernel_prepare(const void *img, size_t len, struct boot_kernel *k)
{
	int rc;

	memset(k, 0, sizeof(*k));
	if (bzimage_probe(img, len)) {
		rc = decompress(img, len, k);
		if (!rc)
			rc = elf_parse(page_to_virt(k->scratch), k->elf_len,
				       &k->plan);
	} else {
		k->elf_len = len;
		rc = elf_parse(img, len, &k->plan);
	}
	if (rc)
		boot_kernel_release(k);
	return rc;
}

void boot_kernel_release(struct boot_kernel *k)
{
	if (k->scratch)
		free_pages_exact(k->scratch, k->scratch_pages);
	k->scratch = NULL;
	k->scratch_pages = 0;
}
