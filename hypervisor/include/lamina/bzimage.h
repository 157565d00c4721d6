/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux bzImage kernels (common/bzimage.c): the x86 boot protocol's setup
 * header, the compressed payload it points at, and its decompression.
 *
 * A bzImage is real-mode setup code followed by the protected-mode part,
 * whose payload (protocol 2.08+) is the compressed vmlinux ELF image with
 * its uncompressed length appended as 4 little-endian bytes. Only XZ
 * payloads are supported (Debian's kernels); the decoder is Debian's
 * liblzma (common/loader/xz.c).
 */
#ifndef LAMINA_BZIMAGE_H
#define LAMINA_BZIMAGE_H

#include <lamina/types.h>

/* Largest decompressed kernel accepted (the length trailer's bound). */
#define BZIMAGE_MAX_DECOMPRESSED	MiB(256)
/* Memory liblzma may use while decoding (its dictionary, ~32 MiB for
 * Linux's "xz --lzma2=,dict=32MiB", plus small state). */
#define XZ_MEMLIMIT			MiB(128)
/* The payload's last bytes: the decompressed length, little-endian. */
#define BZIMAGE_TRAILER			4

enum bzimage_format {
	BZ_FMT_UNKNOWN, BZ_FMT_XZ, BZ_FMT_GZIP, BZ_FMT_BZIP2, BZ_FMT_LZMA,
	BZ_FMT_LZO, BZ_FMT_LZ4, BZ_FMT_ZSTD,
};

struct bzimage_info {
	uint16_t version;		/* boot protocol, e.g. 0x020f */
	unsigned int setup_sects;	/* real-mode sectors after the boot one */
	const uint8_t *payload;		/* inside the image given to parse */
	size_t payload_len;		/* trailer included */
	enum bzimage_format format;
	uint32_t decompressed_len;	/* from the trailer */
};

/* Heap for the decompressor's state (the hypervisor passes xmalloc_bytes
 * and xfree); blocks must be 16-byte aligned. */
struct loader_heap {
	void *(*alloc)(size_t size);
	void (*free)(void *p);
};

/* True if img looks like a bzImage: long enough and "HdrS" at 0x202. */
bool bzimage_probe(const void *img, size_t len);

/*
 * Validate the setup header and locate the payload. Returns 0, or after a
 * "(lamina) bzImage: ..." message: -ENOEXEC not a bzImage or protocol
 * older than 2.08, -EINVAL header fields outside the image or bad trailer,
 * -EOPNOTSUPP a payload format other than XZ (named in the message),
 * -E2BIG declared length above BZIMAGE_MAX_DECOMPRESSED.
 */
int bzimage_parse(const void *img, size_t len, struct bzimage_info *bi);

/* Name of a payload format, for messages ("gzip", "xz"...). */
const char *bzimage_format_name(enum bzimage_format fmt);

/*
 * Decompress the payload bzimage_parse() found into out, which must hold
 * exactly bi->decompressed_len bytes (common/loader/xz.c). Returns 0 when
 * the stream decoded to exactly that many bytes with a good check; else,
 * after a message,
 * -EINVAL corrupt or truncated stream or length mismatch, -ENOMEM the
 * heap failed, -E2BIG the stream needs more than XZ_MEMLIMIT.
 */
int bzimage_decompress(const struct bzimage_info *bi, void *out,
		       size_t out_len, const struct loader_heap *heap);

/*
 * Decode the single XZ stream [in, in + in_len) into [out, out + out_len)
 * (common/loader/xz.c, liblzma). *written gets the bytes produced. Errors
 * as bzimage_decompress(), except the exact-length check, left to it.
 * Uses SSE registers: see common/loader/README.
 */
int xz_decompress(const void *in, size_t in_len, void *out, size_t out_len,
		  size_t *written, const struct loader_heap *heap);

#endif /* LAMINA_BZIMAGE_H */
