// SPDX-License-Identifier: GPL-2.0
/*
 * Just enough AML to read \_S5 without an interpreter: the object is
 * almost always a static "Name(_S5_, Package(){...})" whose first two
 * elements are integer constants. Everything is bounds-checked against
 * the package's own PkgLength and the end of the table.
 */
#include <lamina/acpi.h>
#include <lamina/errno.h>
#include <lamina/lib.h>

#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_NAME_OP		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_DWORD_PREFIX	0x0c
#define AML_QWORD_PREFIX	0x0e
#define AML_PACKAGE_OP		0x12
#define AML_ONES_OP		0xff
#define AML_ROOT_CHAR		'\\'
#define AML_PARENT_CHAR		'^'

/* SLP_TYPx is a 3-bit field of PM1x_CNT. */
#define SLP_TYP_MAX		7

/*
 * PkgLength: the lead byte's bits 7:6 give the number of extra bytes;
 * with none, bits 5:0 are the length, else bits 3:0 are its low nibble
 * (bits 5:4 must be 0) and each extra byte adds 8 more bits. The length
 * counts from the lead byte. Returns the number of PkgLength bytes, or 0.
 */
static size_t aml_pkglen(const uint8_t *p, size_t n, size_t *pkglen)
{
	size_t extra, k;
	uint32_t v;

	if (n < 1)
		return 0;
	extra = p[0] >> 6;
	if (extra == 0) {
		*pkglen = p[0] & 0x3f;
		return 1;
	}
	if ((p[0] & 0x30) || n < extra + 1)
		return 0;
	v = p[0] & 0x0f;
	for (k = 1; k <= extra; k++)
		v |= (uint32_t)p[k] << (4 + 8 * (k - 1));
	*pkglen = v;
	return extra + 1;
}

/* One integer constant at p[*pos], not reading at or past end. */
static int aml_integer(const uint8_t *p, size_t *pos, size_t end,
		       uint64_t *val)
{
	static const uint8_t size_of[] = {
		[AML_BYTE_PREFIX] = 1, [AML_WORD_PREFIX] = 2,
		[AML_DWORD_PREFIX] = 4, [AML_QWORD_PREFIX] = 8,
	};
	uint8_t op;
	size_t k, sz;

	if (*pos >= end)
		return -EINVAL;
	op = p[(*pos)++];
	switch (op) {
	case AML_ZERO_OP:
	case AML_ONE_OP:
		*val = op;
		return 0;
	case AML_ONES_OP:
		*val = ~0ULL;
		return 0;
	case AML_BYTE_PREFIX:
	case AML_WORD_PREFIX:
	case AML_DWORD_PREFIX:
	case AML_QWORD_PREFIX:
		sz = size_of[op];
		if (end - *pos < sz)
			return -EINVAL;
		for (*val = 0, k = 0; k < sz; k++)
			*val |= (uint64_t)p[*pos + k] << (8 * k);
		*pos += sz;
		return 0;
	}
	return -EINVAL;			/* not a constant integer */
}

/* p points at the PackageOp that follows the name. */
static int s5_package(const uint8_t *p, size_t n, uint8_t *a, uint8_t *b)
{
	size_t pos = 1, pkglen, lenbytes, end;
	uint64_t va, vb;
	uint8_t count;

	if (n < 1 || p[0] != AML_PACKAGE_OP)
		return -EINVAL;
	lenbytes = aml_pkglen(p + pos, n - pos, &pkglen);
	if (!lenbytes || pkglen < lenbytes + 1 || pkglen > n - pos)
		return -EINVAL;
	end = pos + pkglen;
	pos += lenbytes;
	count = p[pos++];
	if (count == 0 || aml_integer(p, &pos, end, &va))
		return -EINVAL;
	/*
	 * A one-element package is an old encoding with both values in the
	 * one integer (SLP_TYPa in bits 7:0, SLP_TYPb in 15:8), as ACPICA
	 * accepts.
	 */
	if (count == 1) {
		vb = (va >> 8) & 0xff;
		va &= 0xff;
	} else if (aml_integer(p, &pos, end, &vb)) {
		return -EINVAL;
	}
	if (va > SLP_TYP_MAX || vb > SLP_TYP_MAX)
		return -EINVAL;
	*a = va;
	*b = vb;
	return 0;
}

/* Is the NameSeg at aml[i] the name of a NameOp (after any prefixes)? */
static bool named_by_name_op(const uint8_t *aml, size_t i)
{
	while (i > 0 && aml[i - 1] == AML_PARENT_CHAR)
		i--;
	if (i > 0 && aml[i - 1] == AML_ROOT_CHAR)
		i--;
	return i > 0 && aml[i - 1] == AML_NAME_OP;
}

int acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa,
		     uint8_t *slp_typb)
{
	bool malformed = false;
	size_t i;

	for (i = 1; len >= 4 && i <= len - 4; i++) {
		if (memcmp(aml + i, "_S5_", 4) || !named_by_name_op(aml, i))
			continue;
		if (!s5_package(aml + i + 4, len - i - 4, slp_typa, slp_typb))
			return 0;
		malformed = true;	/* keep looking: maybe a decoy */
	}
	return malformed ? -EINVAL : -ENOENT;
}
