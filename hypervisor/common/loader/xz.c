// SPDX-License-Identifier: GPL-2.0
/*
 * XZ decompression with Debian's liblzma (liblzma-dev's liblzma.a in the
 * hypervisor, the shared library in the unit tests).
 *
 * Requirements on the caller in the hypervisor (common/loader/README):
 * SSE enabled (liblzma is ordinary x86-64 code and uses XMM registers),
 * a 16-byte aligned stack, and MSR_FS_BASE pointing at a stable stack
 * protector canary at offset 0x28.
 */
#include <lamina/types.h>
#include <lamina/lib.h>
#include <lamina/errno.h>
#include <lamina/bzimage.h>

/*
 * lzma.h would include <inttypes.h> and <limits.h>, which the hypervisor's
 * -nostdinc build lacks: it accepts the fixed-width types and their limit
 * macros from <stdint.h> (via lamina/types.h) instead.
 */
#define LZMA_MANUAL_HEADERS 1
#include <lzma.h>

static void *xz_alloc(void *opaque, size_t nmemb, size_t size)
{
	const struct loader_heap *heap = opaque;

	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	return heap->alloc(nmemb * size);
}

static void xz_free(void *opaque, void *p)
{
	const struct loader_heap *heap = opaque;

	if (p)
		heap->free(p);
}

static int xz_errno(lzma_ret ret)
{
	switch (ret) {
	case LZMA_OK:
	case LZMA_STREAM_END:
		return 0;
	case LZMA_MEM_ERROR:
		printk("(lamina) xz: out of memory\n");
		return -ENOMEM;
	case LZMA_MEMLIMIT_ERROR:
		printk("(lamina) xz: stream needs more than %llu MiB\n",
		       (unsigned long long)(XZ_MEMLIMIT >> 20));
		return -E2BIG;
	case LZMA_BUF_ERROR:
		printk("(lamina) xz: stream truncated or output larger than "
		       "declared\n");
		return -EINVAL;
	default:
		printk("(lamina) xz: corrupt stream (liblzma error %d)\n",
		       (int)ret);
		return -EINVAL;
	}
}

int xz_decompress(const void *in, size_t in_len, void *out, size_t out_len,
		  size_t *written, const struct loader_heap *heap)
{
	lzma_allocator alloc = {
		.alloc = xz_alloc, .free = xz_free, .opaque = (void *)heap,
	};
	uint64_t memlimit = XZ_MEMLIMIT;
	size_t in_pos = 0, out_pos = 0;
	lzma_ret ret;

	ret = lzma_stream_buffer_decode(&memlimit, 0, &alloc, in, &in_pos,
					in_len, out, &out_pos, out_len);
	*written = out_pos;
	return xz_errno(ret);
}

int bzimage_decompress(const struct bzimage_info *bi, void *out,
		       size_t out_len, const struct loader_heap *heap)
{
	size_t written = 0;
	int rc;

	if (out_len != bi->decompressed_len) {
		printk("(lamina) bzImage: output buffer of %zu bytes, payload "
		       "declares %u\n", out_len, bi->decompressed_len);
		return -EINVAL;
	}
	rc = xz_decompress(bi->payload, bi->payload_len - BZIMAGE_TRAILER, out,
			   out_len, &written, heap);
	if (rc)
		return rc;
	if (written != out_len) {
		printk("(lamina) bzImage: payload decompressed to %zu bytes, "
		       "trailer says %zu\n", written, out_len);
		return -EINVAL;
	}
	return 0;
}
