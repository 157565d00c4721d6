// SPDX-License-Identifier: GPL-2.0
/*
 * Linux bzImage kernels: the boot protocol's setup header and the
 * compressed payload. See lamina/bzimage.h for the contract.
 *
 * Setup header facts used (x86 boot protocol, all fields little-endian):
 * setup_sects (u8) at 0x1f1, 0 meaning 4; "HdrS" at 0x202; the protocol
 * version (u16) at 0x206; payload_offset and payload_length (u32) at
 * 0x248 and 0x24c since version 2.08. The payload starts payload_offset
 * bytes into the protected-mode code, which follows the boot sector and
 * the setup sectors. Its last 4 bytes are the decompressed length.
 */
#include <lamina/types.h>
#include <lamina/lib.h>
#include <lamina/errno.h>
#include <lamina/bzimage.h>

#define HDR_SETUP_SECTS		0x1f1
#define HDR_MAGIC		0x202
#define HDR_VERSION		0x206
#define HDR_PAYLOAD_OFFSET	0x248
#define HDR_PAYLOAD_LENGTH	0x24c
#define HDR_END			0x250	/* end of the fields read here */
#define SECTOR			512
#define MIN_VERSION		0x0208	/* first with payload_offset/length */

static uint32_t get_le(const uint8_t *p, unsigned int n)
{
	uint32_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

bool bzimage_probe(const void *img, size_t len)
{
	return len >= HDR_MAGIC + 4 &&
	       !memcmp((const uint8_t *)img + HDR_MAGIC, "HdrS", 4);
}

static const struct {
	enum bzimage_format fmt;
	const char *name;
	uint8_t len;
	uint8_t magic[6];
} formats[] = {
	{ BZ_FMT_XZ, "xz", 6, { 0xfd, '7', 'z', 'X', 'Z', 0 } },
	{ BZ_FMT_GZIP, "gzip", 2, { 0x1f, 0x8b } },
	{ BZ_FMT_BZIP2, "bzip2", 3, { 'B', 'Z', 'h' } },
	{ BZ_FMT_LZMA, "lzma", 3, { 0x5d, 0, 0 } },
	{ BZ_FMT_LZO, "lzo", 4, { 0x89, 'L', 'Z', 'O' } },
	{ BZ_FMT_LZ4, "lz4", 4, { 0x02, 0x21, 0x4c, 0x18 } },
	{ BZ_FMT_ZSTD, "zstd", 4, { 0x28, 0xb5, 0x2f, 0xfd } },
};

const char *bzimage_format_name(enum bzimage_format fmt)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(formats); i++)
		if (formats[i].fmt == fmt)
			return formats[i].name;
	return "unknown";
}

static enum bzimage_format detect_format(const uint8_t *p, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(formats); i++)
		if (len >= formats[i].len &&
		    !memcmp(p, formats[i].magic, formats[i].len))
			return formats[i].fmt;
	return BZ_FMT_UNKNOWN;
}

/* Locate the payload from the header; bounds checked against len. */
static int find_payload(const uint8_t *img, size_t len,
			struct bzimage_info *bi)
{
	uint64_t pm_start, off, plen;

	bi->setup_sects = img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4;
	pm_start = (uint64_t)(bi->setup_sects + 1) * SECTOR;
	off = pm_start + get_le(img + HDR_PAYLOAD_OFFSET, 4);
	plen = get_le(img + HDR_PAYLOAD_LENGTH, 4);
	if (off > len || plen > len - off) {
		printk("(lamina) bzImage: payload [%#llx, +%#llx) outside the "
		       "%zu-byte image\n", (unsigned long long)off,
		       (unsigned long long)plen, len);
		return -EINVAL;
	}
	if (plen <= BZIMAGE_TRAILER) {
		printk("(lamina) bzImage: payload of %llu bytes is too short\n",
		       (unsigned long long)plen);
		return -EINVAL;
	}
	bi->payload = img + off;
	bi->payload_len = plen;
	return 0;
}

int bzimage_parse(const void *image, size_t len, struct bzimage_info *bi)
{
	const uint8_t *img = image;
	int rc;

	memset(bi, 0, sizeof(*bi));
	if (!bzimage_probe(img, len)) {
		printk("(lamina) bzImage: no HdrS setup header\n");
		return -ENOEXEC;
	}
	if (len < HDR_END) {
		printk("(lamina) bzImage: setup header truncated (%zu bytes)\n",
		       len);
		return -EINVAL;
	}
	bi->version = get_le(img + HDR_VERSION, 2);
	if (bi->version < MIN_VERSION) {
		printk("(lamina) bzImage: boot protocol %u.%02u, need 2.08\n",
		       bi->version >> 8, bi->version & 0xff);
		return -ENOEXEC;
	}
	rc = find_payload(img, len, bi);
	if (rc)
		return rc;
	bi->format = detect_format(bi->payload,
				   bi->payload_len - BZIMAGE_TRAILER);
	if (bi->format != BZ_FMT_XZ) {
		printk("(lamina) bzImage: %s-compressed payload not supported "
		       "(only xz)\n", bzimage_format_name(bi->format));
		return -EOPNOTSUPP;
	}
	bi->decompressed_len = get_le(bi->payload + bi->payload_len -
				      BZIMAGE_TRAILER, BZIMAGE_TRAILER);
	if (bi->decompressed_len == 0) {
		printk("(lamina) bzImage: length trailer is 0\n");
		return -EINVAL;
	}
	if (bi->decompressed_len > BZIMAGE_MAX_DECOMPRESSED) {
		printk("(lamina) bzImage: declared size %u above the %llu MiB "
		       "limit\n", bi->decompressed_len,
		       (unsigned long long)(BZIMAGE_MAX_DECOMPRESSED >> 20));
		return -E2BIG;
	}
	return 0;
}
