// SPDX-License-Identifier: GPL-2.0
/*
 * What Debian's liblzma.a and libfdt.a need from a C library, beyond the
 * mem and str functions of common/string.c.
 *
 * Both archives are built with -fstack-protector-strong: their functions
 * read the canary at %fs:0x28 and call __stack_chk_fail() when it changed
 * on return. The hypervisor must therefore point MSR_FS_BASE at memory
 * whose bytes 0x28..0x2f stay constant while their code runs (see
 * common/loader/README).
 *
 * liblzma's lzma_alloc()/lzma_free() fall back to malloc(), calloc() and
 * free() when the caller passes no lzma_allocator. The hypervisor always
 * passes one (common/loader/xz.c), so these exist only to satisfy the
 * link: the allocating ones fail (liblzma reports LZMA_MEM_ERROR) and
 * free() accepts only NULL, the sole value they ever return.
 *
 * This file references no library, so it is harmless in an image that
 * links neither archive.
 */
#include <lamina/lib.h>

void __stack_chk_fail(void);
void *malloc(size_t size);
void *calloc(size_t nmemb, size_t size);
void free(void *p);

void __stack_chk_fail(void)
{
	panic("stack protector: canary at %%fs:0x28 changed (library code)");
}

void *malloc(size_t size)
{
	printk("(lamina) malloc(%zu) called: libraries must use an allocator\n",
	       size);
	return NULL;
}

void *calloc(size_t nmemb, size_t size)
{
	return malloc(nmemb * size);
}

void free(void *p)
{
	if (p)
		panic("free(%p): not allocated by malloc()", p);
}
