// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include <lamina/bootinfo.h>
#include <lamina/errno.h>
#include <lamina/multiboot.h>

/* Fake machine memory: MEM_SIZE bytes at MEM_BASE; map() bounds-checks. */
#define MEM_BASE	0x10000u
#define MEM_SIZE	0x20000u

static uint8_t mem[MEM_SIZE] __attribute__((aligned(8)));
static struct boot_info bi;

static const void *map(uint64_t maddr, size_t len, void *ctx)
{
	(void)ctx;
	if (maddr < MEM_BASE || maddr - MEM_BASE > MEM_SIZE ||
	    len > MEM_SIZE - (maddr - MEM_BASE))
		return NULL;
	return mem + (maddr - MEM_BASE);
}

static uint32_t ma(const void *p)
{
	return MEM_BASE + (uint32_t)((const uint8_t *)p - mem);
}

static void setup(void)
{
	memset(mem, 0, sizeof(mem));
	harness_log_clear();
}

/* ---- Multiboot 1 builders: info at 0, strings at 0x1000, ... ---- */

static struct mb1_info *info1 = (struct mb1_info *)mem;

static uint32_t put_str(uint32_t off, const char *s)
{
	strcpy((char *)mem + off, s);
	return MEM_BASE + off;
}

static void mb1_mmap_put(unsigned int i, uint32_t size, uint64_t base,
			 uint64_t len, uint32_t type)
{
	struct mb1_mmap_entry e = { size, base, len, type };

	memcpy(mem + 0x3000 + i * 24, &e, sizeof(e));
}

static void mb1_full(void)
{
	struct mb1_module *mods = (struct mb1_module *)(mem + 0x2000);

	info1->flags = MB1_INFO_MEM | MB1_INFO_CMDLINE | MB1_INFO_MODS |
		       MB1_INFO_MMAP | MB1_INFO_LOADER_NAME;
	info1->mem_lower = 639;
	info1->mem_upper = 1047552;
	info1->cmdline = put_str(0x1000, "/boot/lamina console=com1");
	info1->boot_loader_name = put_str(0x1100, "qemu");
	info1->mods_count = 2;
	info1->mods_addr = ma(mods);
	mods[0] = (struct mb1_module){ 0x200000, 0x300000,
				       put_str(0x1200, "dom0 root=xvda"), 0 };
	mods[1] = (struct mb1_module){ 0x300000, 0x300000, 0, 0 };
	/* 24-byte entries (size 20); unsorted, one zero-length. */
	mb1_mmap_put(0, 20, 0x100000, 0x3ff00000, 1);
	mb1_mmap_put(1, 20, 0, 0x9fc00, 1);
	mb1_mmap_put(2, 20, 0x500000, 0, 1);
	mb1_mmap_put(3, 20, 0xf0000, 0x10000, 2);
	info1->mmap_addr = MEM_BASE + 0x3000;
	info1->mmap_length = 4 * 24;
}

START_TEST(mb1_good)
{
	setup();
	mb1_full();
	ck_assert_int_eq(boot_info_parse(MULTIBOOT1_LOADER_MAGIC, MEM_BASE,
					 map, NULL, &bi), 0);
	ck_assert_str_eq(bi.cmdline, "/boot/lamina console=com1");
	ck_assert_str_eq(bi.loader_name, "qemu");
	ck_assert(bi.have_meminfo);
	ck_assert_uint_eq(bi.mem_lower_kib, 639);
	ck_assert_uint_eq(bi.mem_upper_kib, 1047552);
	ck_assert_uint_eq(bi.nr_modules, 2);
	ck_assert(bi.modules[0].start == 0x200000);
	ck_assert(bi.modules[0].end == 0x300000);
	ck_assert_str_eq(bi.modules[0].string, "dom0 root=xvda");
	ck_assert_str_eq(bi.modules[1].string, "");
	ck_assert_uint_eq(bi.nr_mem, 3);
	ck_assert(bi.mem[0].base == 0 && bi.mem[0].len == 0x9fc00);
	ck_assert(bi.mem[1].base == 0xf0000 && bi.mem[1].type == 2);
	ck_assert(bi.mem[2].base == 0x100000 && bi.mem[2].type == 1);
	ck_assert(bi.rsdp == NULL && bi.rsdp_maddr == 0);
	boot_info_print(&bi);
	ck_assert(harness_log_has("(lamina) loader: 'qemu'"));
}
END_TEST

START_TEST(mb1_minimal)
{
	setup();
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), 0);
	ck_assert_str_eq(bi.cmdline, "");
	ck_assert_str_eq(bi.loader_name, "");
	ck_assert(!bi.have_meminfo);
	ck_assert_uint_eq(bi.nr_mem + bi.nr_modules, 0);
}
END_TEST

START_TEST(mb1_bad_info)
{
	setup();
	ck_assert_int_eq(multiboot1_parse(0x1000, map, NULL, &bi), -EFAULT);
	ck_assert(harness_log_has("(lamina) multiboot1: info at 0x1000 not mappable"));
	ck_assert_int_eq(multiboot1_parse(MEM_BASE + MEM_SIZE - 8, map, NULL,
					  &bi), -EFAULT);
	ck_assert_str_eq(bi.cmdline, "");
}
END_TEST

START_TEST(mb1_strings)
{
	setup();
	info1->flags = MB1_INFO_CMDLINE;
	/* Short string in the last bytes of memory: still found. */
	info1->cmdline = put_str(MEM_SIZE - 3, "ab");
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), 0);
	ck_assert_str_eq(bi.cmdline, "ab");
	/* No NUL before the end of memory. */
	memset(mem + MEM_SIZE - 3, 'x', 3);
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EFAULT);
	ck_assert_str_eq(bi.cmdline, "");
	/* No NUL within BOOT_MAX_STRING. */
	memset(mem + 0x1000, 'y', BOOT_MAX_STRING + 16);
	info1->cmdline = MEM_BASE + 0x1000;
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EINVAL);
	ck_assert(harness_log_has("not NUL-terminated"));
	/* Exactly BOOT_MAX_STRING - 1 characters is fine. */
	mem[0x1000 + BOOT_MAX_STRING - 1] = 0;
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), 0);
	ck_assert_uint_eq(strlen(bi.cmdline), BOOT_MAX_STRING - 1);
	/* Unmappable cmdline / loader name. */
	info1->cmdline = 0x10;
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EFAULT);
	info1->flags = MB1_INFO_LOADER_NAME;
	info1->boot_loader_name = 0xffffffff;
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EFAULT);
	ck_assert(harness_log_has("loader name"));
}
END_TEST

START_TEST(mb1_mmap_errors)
{
	setup();
	mb1_full();
	mb1_mmap_put(1, 16, 0, 0x9fc00, 1);		/* size too small */
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EINVAL);
	ck_assert(harness_log_has("bad memory map entry size 16"));

	mb1_full();
	mb1_mmap_put(3, 24, 0xf0000, 0x10000, 2);	/* runs off the end */
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EINVAL);

	mb1_full();
	info1->mmap_length = 4 * 24 + 2;		/* truncated size field */
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EINVAL);
	ck_assert(harness_log_has("memory map truncated"));

	mb1_full();
	info1->mmap_length = 3 * 24 + 10;		/* truncated entry */
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EINVAL);

	mb1_full();
	info1->mmap_length = 0xffffffff;		/* oversized */
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EINVAL);
	ck_assert(harness_log_has("too big"));

	mb1_full();
	info1->mmap_addr = MEM_BASE + MEM_SIZE - 8;	/* unmappable */
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EFAULT);

	mb1_full();
	mb1_mmap_put(2, 20, 0xfffffffffffff000ull, 0x2000, 2);	/* wraps */
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EINVAL);
	ck_assert(harness_log_has("wraps"));

	mb1_full();
	mb1_mmap_put(2, 20, 0xfffffffffffff000ull, 0x1000, 2);	/* to 2^64 */
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), 0);
	ck_assert(bi.mem[bi.nr_mem - 1].base == 0xfffffffffffff000ull);
}
END_TEST

START_TEST(mb1_mmap_too_many)
{
	unsigned int i;

	setup();
	info1->flags = MB1_INFO_MMAP;
	info1->mmap_addr = MEM_BASE + 0x3000;
	for (i = 0; i < BOOT_MAX_MEM + 1; i++)
		mb1_mmap_put(i, 20, (uint64_t)(BOOT_MAX_MEM - i) << 20,
			     0x1000, 1);
	info1->mmap_length = BOOT_MAX_MEM * 24;
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), 0);
	ck_assert_uint_eq(bi.nr_mem, BOOT_MAX_MEM);
	for (i = 1; i < bi.nr_mem; i++)
		ck_assert(bi.mem[i - 1].base < bi.mem[i].base);
	info1->mmap_length = (BOOT_MAX_MEM + 1) * 24;
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -ENOSPC);
	ck_assert(harness_log_has("more than 128 memory map entries"));
}
END_TEST

START_TEST(mb1_module_errors)
{
	struct mb1_module *mods = (struct mb1_module *)(mem + 0x2000);

	setup();
	mb1_full();
	info1->mods_count = BOOT_MAX_MODULES + 1;
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -ENOSPC);
	info1->mods_count = 0xffffffff;			/* n * 16 overflows */
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -ENOSPC);

	mb1_full();
	mods[1].mod_end = 0x2fffff;			/* end < start */
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EINVAL);
	ck_assert(harness_log_has("ends (0x2fffff) before it starts"));

	mb1_full();
	info1->mods_addr = MEM_BASE + MEM_SIZE - 16;	/* 2nd not mappable */
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EFAULT);

	mb1_full();
	mods[0].string = 0x20;				/* string unmappable */
	ck_assert_int_eq(multiboot1_parse(MEM_BASE, map, NULL, &bi), -EFAULT);
	ck_assert(harness_log_has("module string"));
}
END_TEST

/* ---- Multiboot2 builder ---- */

#define INFO2	0x100			/* offset of the info block */
static uint32_t off2;

static void mb2_begin(void)
{
	setup();
	off2 = INFO2 + 8;
}

static struct mb2_tag *mb2_add(uint32_t type, const void *payload,
			       uint32_t len)
{
	struct mb2_tag *t = (struct mb2_tag *)(mem + off2);

	t->type = type;
	t->size = 8 + len;
	if (payload)
		memcpy(t + 1, payload, len);
	off2 += (t->size + 7) & ~7u;
	return t;
}

static void mb2_end(void)
{
	mb2_add(MB2_TAG_END, NULL, 0);
	((struct mb2_info_header *)(mem + INFO2))->total_size = off2 - INFO2;
}

static int mb2_parse(void)
{
	harness_log_clear();
	return boot_info_parse(MULTIBOOT2_LOADER_MAGIC, MEM_BASE + INFO2,
			       map, NULL, &bi);
}

static void mb2_module(uint32_t start, uint32_t end, const char *s)
{
	uint8_t buf[128];

	memcpy(buf, &start, 4);
	memcpy(buf + 4, &end, 4);
	strcpy((char *)buf + 8, s);
	mb2_add(MB2_TAG_MODULE, buf, 8 + strlen(s) + 1);
}

static void mb2_mmap(uint32_t esize, const struct mb2_mmap_entry *e,
		     unsigned int n)
{
	uint8_t buf[1024];
	uint32_t hdr[2] = { esize, 0 };
	unsigned int i;

	memset(buf, 0xee, sizeof(buf));
	memcpy(buf, hdr, 8);
	for (i = 0; i < n; i++)
		memcpy(buf + 8 + i * esize, &e[i], sizeof(*e));
	mb2_add(MB2_TAG_MMAP, buf, 8 + n * esize);
}

static const struct mb2_mmap_entry e820[] = {
	{ 0x100000, 0x7fee0000, 1, 0 },
	{ 0, 0x9fc00, 1, 0 },
	{ 0x9fc00, 0x400, 2, 0 },
	{ 0x7ffe0000, 0, 2, 0 },
	{ 0xfeffc000, 0x4000, 2, 0 },
};

static void mb2_full(void)
{
	uint32_t meminfo[2] = { 639, 2096000 };
	uint8_t rsdp1[20] = "RSD PTR ", rsdp2[36] = "RSD PTR 2";

	mb2_begin();
	mb2_add(MB2_TAG_CMDLINE, "console=com1 x=\"a b\"", 21);
	mb2_add(MB2_TAG_LOADER_NAME, "GRUB 2.06", 10);
	mb2_add(21, "odd-size", 5);		/* unknown, unaligned size */
	mb2_module(0x1000000, 0x1200000, "vmlinuz root=/dev/xvda");
	mb2_module(0x1200000, 0x1300000, "");
	mb2_add(MB2_TAG_MEMINFO, meminfo, 8);
	mb2_mmap(24, e820, ARRAY_SIZE(e820));
	mb2_add(MB2_TAG_ACPI_NEW, rsdp2, 36);
	mb2_add(MB2_TAG_ACPI_OLD, rsdp1, 20);
	mb2_end();
}

START_TEST(mb2_good)
{
	mb2_full();
	ck_assert_int_eq(mb2_parse(), 0);
	ck_assert_str_eq(bi.cmdline, "console=com1 x=\"a b\"");
	ck_assert_str_eq(bi.loader_name, "GRUB 2.06");
	ck_assert_uint_eq(bi.nr_modules, 2);
	ck_assert(bi.modules[0].start == 0x1000000);
	ck_assert(bi.modules[0].end == 0x1200000);
	ck_assert_str_eq(bi.modules[0].string, "vmlinuz root=/dev/xvda");
	ck_assert_str_eq(bi.modules[1].string, "");
	ck_assert(bi.have_meminfo && bi.mem_upper_kib == 2096000);
	ck_assert_uint_eq(bi.nr_mem, 4);
	ck_assert(bi.mem[0].base == 0 && bi.mem[1].base == 0x9fc00);
	ck_assert(bi.mem[1].type == 2 && bi.mem[2].base == 0x100000);
	ck_assert(bi.mem[3].base == 0xfeffc000);
	ck_assert_uint_eq(bi.rsdp_len, 36);		/* new preferred */
	ck_assert(!memcmp(bi.rsdp, "RSD PTR 2", 9));
	ck_assert(bi.rsdp_maddr == 0);
	/* Strings point into the info block. */
	ck_assert((const uint8_t *)bi.cmdline > mem &&
		  (const uint8_t *)bi.cmdline < mem + off2);
}
END_TEST

START_TEST(mb2_minimal_and_acpi_old)
{
	uint8_t rsdp1[24] = "RSD PTR 1";

	mb2_begin();
	mb2_end();
	ck_assert_int_eq(mb2_parse(), 0);
	ck_assert_str_eq(bi.cmdline, "");
	ck_assert(bi.rsdp == NULL);

	mb2_begin();
	mb2_add(MB2_TAG_ACPI_OLD, rsdp1, 24);
	mb2_end();
	ck_assert_int_eq(mb2_parse(), 0);
	ck_assert_uint_eq(bi.rsdp_len, 24);
	ck_assert(!memcmp(bi.rsdp, "RSD PTR 1", 9));
}
END_TEST

START_TEST(mb2_bad_header)
{
	mb2_full();
	ck_assert_int_eq(multiboot2_parse(MEM_BASE + INFO2 + 4, map, NULL, &bi),
			 -EINVAL);
	ck_assert(harness_log_has("not 8-byte aligned"));
	ck_assert_int_eq(multiboot2_parse(0x8, map, NULL, &bi), -EFAULT);
	*(uint32_t *)(mem + INFO2) = 8;			/* no room for a tag */
	ck_assert_int_eq(mb2_parse(), -EINVAL);
	ck_assert(harness_log_has("bad total_size 8"));
	*(uint32_t *)(mem + INFO2) = 0xfffffff8;	/* oversized */
	ck_assert_int_eq(mb2_parse(), -EINVAL);
	*(uint32_t *)(mem + INFO2) = MEM_SIZE;		/* past memory */
	ck_assert_int_eq(mb2_parse(), -EFAULT);
}
END_TEST

START_TEST(mb2_bad_tags)
{
	struct mb2_tag *t;

	mb2_full();					/* drop the end tag */
	*(uint32_t *)(mem + INFO2) = off2 - INFO2 - 8;
	ck_assert_int_eq(mb2_parse(), -EINVAL);
	ck_assert(harness_log_has("no end tag"));

	mb2_begin();
	t = mb2_add(77, NULL, 0);
	mb2_end();
	t->size = 4;					/* below header size */
	ck_assert_int_eq(mb2_parse(), -EINVAL);
	ck_assert(harness_log_has("bad size 4"));
	t->size = 0;		/* would loop forever if accepted */
	ck_assert_int_eq(mb2_parse(), -EINVAL);
	t->size = 17;					/* runs past total */
	ck_assert_int_eq(mb2_parse(), -EINVAL);

	mb2_begin();			/* total_size ends mid-tag-header */
	mb2_add(77, "abcdefgh", 8);
	mb2_end();
	*(uint32_t *)(mem + INFO2) = 8 + 16 + 4;
	ck_assert_int_eq(mb2_parse(), -EINVAL);
}
END_TEST

START_TEST(mb2_bad_strings)
{
	mb2_begin();
	mb2_add(MB2_TAG_CMDLINE, "abc", 3);		/* no NUL */
	mb2_end();
	ck_assert_int_eq(mb2_parse(), -EINVAL);
	ck_assert(harness_log_has("tag 1: string not NUL-terminated"));
	ck_assert_str_eq(bi.cmdline, "");

	mb2_begin();
	mb2_add(MB2_TAG_LOADER_NAME, NULL, 0);		/* empty tag */
	mb2_end();
	ck_assert_int_eq(mb2_parse(), -EINVAL);

	mb2_begin();
	mb2_add(MB2_TAG_MODULE, "\0\0\0\0\0\0\0\0", 8);	/* no string */
	mb2_end();
	ck_assert_int_eq(mb2_parse(), -EINVAL);

	mb2_begin();
	mb2_module(0x2000, 0x1000, "x");		/* end < start */
	mb2_end();
	ck_assert_int_eq(mb2_parse(), -EINVAL);
}
END_TEST

START_TEST(mb2_too_many_modules)
{
	unsigned int i;

	mb2_begin();
	for (i = 0; i <= BOOT_MAX_MODULES; i++)
		mb2_module(i << 12, (i + 1) << 12, "m");
	mb2_end();
	ck_assert_int_eq(mb2_parse(), -ENOSPC);
	ck_assert_uint_eq(bi.nr_modules, BOOT_MAX_MODULES);
}
END_TEST

START_TEST(mb2_bad_mmap)
{
	static const uint32_t short_hdr[1] = { 24 };

	mb2_begin();
	mb2_mmap(20, e820, 2);				/* entry too small */
	mb2_end();
	ck_assert_int_eq(mb2_parse(), -EINVAL);
	ck_assert(harness_log_has("bad memory map entry size 20"));

	mb2_begin();
	mb2_mmap(28, e820, 2);				/* not 8-aligned */
	mb2_end();
	ck_assert_int_eq(mb2_parse(), -EINVAL);

	mb2_begin();
	mb2_mmap(0, e820, 0);				/* division by 0? */
	mb2_end();
	ck_assert_int_eq(mb2_parse(), -EINVAL);

	mb2_begin();
	mb2_mmap(24, e820, 2);
	mb2_end();
	((struct mb2_tag *)(mem + INFO2 + 8))->size -= 8;	/* partial */
	ck_assert_int_eq(mb2_parse(), -EINVAL);

	mb2_begin();
	mb2_add(MB2_TAG_MMAP, short_hdr, 4);		/* tag too short */
	mb2_end();
	ck_assert_int_eq(mb2_parse(), -EINVAL);

	mb2_begin();					/* bigger entries ok */
	mb2_mmap(32, e820, ARRAY_SIZE(e820));
	mb2_end();
	ck_assert_int_eq(mb2_parse(), 0);
	ck_assert_uint_eq(bi.nr_mem, 4);
}
END_TEST

START_TEST(mb2_short_fixed_tags)
{
	mb2_begin();
	mb2_add(MB2_TAG_MEMINFO, "1234", 4);
	mb2_end();
	ck_assert_int_eq(mb2_parse(), -EINVAL);
	ck_assert(harness_log_has("meminfo tag too short"));

	mb2_begin();
	mb2_add(MB2_TAG_ACPI_OLD, "RSD PTR ", 8);
	mb2_end();
	ck_assert_int_eq(mb2_parse(), -EINVAL);

	mb2_begin();
	mb2_add(MB2_TAG_ACPI_NEW, "RSD PTR 0123456789012345678", 28);
	mb2_end();
	ck_assert_int_eq(mb2_parse(), -EINVAL);
	ck_assert(harness_log_has("ACPI tag 15 too short"));
}
END_TEST

START_TEST(bad_magic)
{
	mb2_full();
	ck_assert_int_eq(boot_info_parse(0x12345678, MEM_BASE + INFO2, map,
					 NULL, &bi), -EINVAL);
	ck_assert(harness_log_has("(lamina) not booted by a Multiboot loader (magic 0x12345678)"));
	ck_assert_str_eq(bi.cmdline, "");
	ck_assert_str_eq(bi.loader_name, "");
}
END_TEST

SUITE(multiboot)
{
	Suite *s = suite_create("multiboot");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, mb1_good);
	tcase_add_test(tc, mb1_minimal);
	tcase_add_test(tc, mb1_bad_info);
	tcase_add_test(tc, mb1_strings);
	tcase_add_test(tc, mb1_mmap_errors);
	tcase_add_test(tc, mb1_mmap_too_many);
	tcase_add_test(tc, mb1_module_errors);
	tcase_add_test(tc, mb2_good);
	tcase_add_test(tc, mb2_minimal_and_acpi_old);
	tcase_add_test(tc, mb2_bad_header);
	tcase_add_test(tc, mb2_bad_tags);
	tcase_add_test(tc, mb2_bad_strings);
	tcase_add_test(tc, mb2_too_many_modules);
	tcase_add_test(tc, mb2_bad_mmap);
	tcase_add_test(tc, mb2_short_fixed_tags);
	tcase_add_test(tc, bad_magic);
	suite_add_tcase(s, tc);
	return s;
}
