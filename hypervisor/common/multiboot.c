// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot 1 and Multiboot2 boot information, normalized into a struct
 * boot_info (lamina/bootinfo.h). The info block is written by the boot
 * loader and is not trusted: every structure is mapped with its full
 * length before it is read, every string must be NUL-terminated inside
 * what was mapped, and every count and size is checked against the
 * bytes that contain it.
 */
#include <lamina/bootinfo.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/multiboot.h>

#define MB_ERR(rc, fmt, ...) ({						\
	printk("(lamina) " fmt "\n", ##__VA_ARGS__);			\
	(rc);								\
})

static const void *map_range(boot_map_fn map, void *ctx, uint64_t maddr,
			     size_t len)
{
	if (len == 0 || maddr > UINT64_MAX - len)
		return NULL;
	return map(maddr, len, ctx);
}

/*
 * Map the string at maddr: first up to the end of its page, then the
 * whole BOOT_MAX_STRING, so that a short string at the very end of
 * mappable memory is still found. Returns 0 or -EFAULT / -EINVAL.
 */
static int map_string(boot_map_fn map, void *ctx, uint64_t maddr,
		      const char **out)
{
	size_t len = 4096 - (maddr & 4095);
	const char *s;

	for (;;) {
		s = map_range(map, ctx, maddr, len);
		if (s && memchr(s, '\0', len)) {
			*out = s;
			return 0;
		}
		if (len >= BOOT_MAX_STRING)
			break;
		len = BOOT_MAX_STRING;
	}
	if (!s)
		return -EFAULT;
	return -EINVAL;
}

static int add_mem(struct boot_info *bi, uint64_t base, uint64_t len,
		   uint32_t type)
{
	if (len == 0)
		return 0;
	if (base > UINT64_MAX - (len - 1))
		return MB_ERR(-EINVAL, "memory map entry %#llx+%#llx wraps",
			      (unsigned long long)base,
			      (unsigned long long)len);
	if (bi->nr_mem >= BOOT_MAX_MEM)
		return MB_ERR(-ENOSPC, "more than %u memory map entries",
			      BOOT_MAX_MEM);
	bi->mem[bi->nr_mem].base = base;
	bi->mem[bi->nr_mem].len = len;
	bi->mem[bi->nr_mem].type = type;
	bi->nr_mem++;
	return 0;
}

/* Insertion sort: at most BOOT_MAX_MEM entries, usually sorted already. */
static void sort_mem(struct boot_info *bi)
{
	unsigned int i, j;

	for (i = 1; i < bi->nr_mem; i++) {
		struct boot_mem_region r = bi->mem[i];

		for (j = i; j > 0 && bi->mem[j - 1].base > r.base; j--)
			bi->mem[j] = bi->mem[j - 1];
		bi->mem[j] = r;
	}
}

static int add_module(struct boot_info *bi, uint32_t start, uint32_t end,
		      const char *string)
{
	if (start > end)
		return MB_ERR(-EINVAL, "module %u ends (%#x) before it starts (%#x)",
			      bi->nr_modules, end, start);
	if (bi->nr_modules >= BOOT_MAX_MODULES)
		return MB_ERR(-ENOSPC, "more than %u boot modules",
			      BOOT_MAX_MODULES);
	bi->modules[bi->nr_modules].start = start;
	bi->modules[bi->nr_modules].end = end;
	bi->modules[bi->nr_modules].string = string;
	bi->nr_modules++;
	return 0;
}

static void boot_info_init(struct boot_info *bi)
{
	memset(bi, 0, sizeof(*bi));
	bi->cmdline = "";
	bi->loader_name = "";
}

/* ---- Multiboot 1 ------------------------------------------------------ */

static int mb1_string(boot_map_fn map, void *ctx, uint32_t maddr,
		      const char *what, const char **out)
{
	int rc = map_string(map, ctx, maddr, out);

	if (rc == -EFAULT)
		return MB_ERR(rc, "multiboot1: %s at %#x not mappable",
			      what, maddr);
	if (rc)
		return MB_ERR(rc, "multiboot1: %s at %#x not NUL-terminated",
			      what, maddr);
	return 0;
}

static int mb1_modules(const struct mb1_info *info, boot_map_fn map,
		       void *ctx, struct boot_info *bi)
{
	const struct mb1_module *mods;
	uint32_t i, n = info->mods_count;
	const char *str;
	int rc;

	if (n == 0)
		return 0;
	if (n > BOOT_MAX_MODULES)
		return MB_ERR(-ENOSPC, "multiboot1: %u modules (max %u)",
			      n, BOOT_MAX_MODULES);
	mods = map_range(map, ctx, info->mods_addr, n * sizeof(*mods));
	if (!mods)
		return MB_ERR(-EFAULT, "multiboot1: module list at %#x not mappable",
			      info->mods_addr);
	for (i = 0; i < n; i++) {
		str = "";
		if (mods[i].string) {
			rc = mb1_string(map, ctx, mods[i].string,
					"module string", &str);
			if (rc)
				return rc;
		}
		rc = add_module(bi, mods[i].mod_start, mods[i].mod_end, str);
		if (rc)
			return rc;
	}
	return 0;
}

static int mb1_mmap(const struct mb1_info *info, boot_map_fn map, void *ctx,
		    struct boot_info *bi)
{
	uint32_t len = info->mmap_length, off, size;
	const struct mb1_mmap_entry *e;
	const uint8_t *buf;
	int rc;

	if (len == 0)
		return 0;
	if (len > BOOT_MAX_INFO_SIZE)
		return MB_ERR(-EINVAL, "multiboot1: memory map length %u too big",
			      len);
	buf = map_range(map, ctx, info->mmap_addr, len);
	if (!buf)
		return MB_ERR(-EFAULT, "multiboot1: memory map at %#x not mappable",
			      info->mmap_addr);
	for (off = 0; off < len; off += size + 4) {
		if (len - off < 4)
			return MB_ERR(-EINVAL, "multiboot1: memory map truncated at %u",
				      off);
		e = (const void *)(buf + off);
		size = e->size;
		if (size < sizeof(*e) - 4 || size > len - off - 4)
			return MB_ERR(-EINVAL, "multiboot1: bad memory map entry size %u at %u",
				      size, off);
		rc = add_mem(bi, e->base_addr, e->length, e->type);
		if (rc)
			return rc;
	}
	return 0;
}

int multiboot1_parse(uint32_t info_maddr, boot_map_fn map, void *ctx,
		     struct boot_info *bi)
{
	const struct mb1_info *info;
	int rc = 0;

	boot_info_init(bi);
	info = map_range(map, ctx, info_maddr, sizeof(*info));
	if (!info)
		return MB_ERR(-EFAULT, "multiboot1: info at %#x not mappable",
			      info_maddr);
	if (info->flags & MB1_INFO_MEM) {
		bi->mem_lower_kib = info->mem_lower;
		bi->mem_upper_kib = info->mem_upper;
		bi->have_meminfo = true;
	}
	if (info->flags & MB1_INFO_CMDLINE)
		rc = mb1_string(map, ctx, info->cmdline, "command line",
				&bi->cmdline);
	if (!rc && (info->flags & MB1_INFO_LOADER_NAME))
		rc = mb1_string(map, ctx, info->boot_loader_name,
				"loader name", &bi->loader_name);
	if (!rc && (info->flags & MB1_INFO_MODS))
		rc = mb1_modules(info, map, ctx, bi);
	if (!rc && (info->flags & MB1_INFO_MMAP))
		rc = mb1_mmap(info, map, ctx, bi);
	sort_mem(bi);
	return rc;
}

/* ---- Multiboot2 ------------------------------------------------------- */

/* A string of len bytes inside a tag: must hold its NUL. */
static int mb2_string(const struct mb2_tag *tag, size_t off,
		      const char **out)
{
	const char *s = (const char *)tag + off;

	if (tag->size <= off || !memchr(s, '\0', tag->size - off))
		return MB_ERR(-EINVAL, "multiboot2: tag %u: string not NUL-terminated",
			      tag->type);
	*out = s;
	return 0;
}

static int mb2_mmap(const struct mb2_tag *tag, struct boot_info *bi)
{
	const struct mb2_tag_mmap *m = (const void *)tag;
	const struct mb2_mmap_entry *e;
	uint32_t esize, off;
	int rc;

	if (tag->size < sizeof(*m))
		return MB_ERR(-EINVAL, "multiboot2: memory map tag too short");
	esize = m->entry_size;
	if (esize < sizeof(*e) || !IS_ALIGNED(esize, 8) ||
	    (tag->size - sizeof(*m)) % esize)
		return MB_ERR(-EINVAL, "multiboot2: bad memory map entry size %u (tag size %u)",
			      esize, tag->size);
	/* entry_version: newer versions only append fields (spec 3.6.8). */
	for (off = sizeof(*m); off < tag->size; off += esize) {
		e = (const void *)((const uint8_t *)tag + off);
		rc = add_mem(bi, e->base_addr, e->length, e->type);
		if (rc)
			return rc;
	}
	return 0;
}

static int mb2_tag(const struct mb2_tag *tag, struct boot_info *bi)
{
	const struct mb2_tag_module *mod = (const void *)tag;
	const struct mb2_tag_meminfo *mi = (const void *)tag;
	const char *str;
	int rc;

	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		return mb2_string(tag, sizeof(*tag), &bi->cmdline);
	case MB2_TAG_LOADER_NAME:
		return mb2_string(tag, sizeof(*tag), &bi->loader_name);
	case MB2_TAG_MODULE:
		rc = mb2_string(tag, sizeof(*mod), &str);
		return rc ? rc : add_module(bi, mod->mod_start, mod->mod_end,
					    str);
	case MB2_TAG_MEMINFO:
		if (tag->size < sizeof(*mi))
			return MB_ERR(-EINVAL, "multiboot2: meminfo tag too short");
		bi->mem_lower_kib = mi->mem_lower;
		bi->mem_upper_kib = mi->mem_upper;
		bi->have_meminfo = true;
		return 0;
	case MB2_TAG_MMAP:
		return mb2_mmap(tag, bi);
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		if (tag->size < sizeof(*tag) +
		    (tag->type == MB2_TAG_ACPI_OLD ? 20 : 36))
			return MB_ERR(-EINVAL, "multiboot2: ACPI tag %u too short",
				      tag->type);
		/* Prefer the ACPI 2.0+ copy whatever the tag order. */
		if (tag->type == MB2_TAG_ACPI_OLD && bi->rsdp_len >= 36)
			return 0;
		bi->rsdp = tag + 1;
		bi->rsdp_len = tag->size - sizeof(*tag);
		return 0;
	}
	return 0;			/* unknown tags are skipped */
}

int multiboot2_parse(uint32_t info_maddr, boot_map_fn map, void *ctx,
		     struct boot_info *bi)
{
	const struct mb2_info_header *hdr;
	const struct mb2_tag *tag;
	const uint8_t *buf;
	uint32_t total, off;
	int rc;

	boot_info_init(bi);
	if (!IS_ALIGNED(info_maddr, MB2_TAG_ALIGN))
		return MB_ERR(-EINVAL, "multiboot2: info at %#x not 8-byte aligned",
			      info_maddr);
	hdr = map_range(map, ctx, info_maddr, sizeof(*hdr));
	if (!hdr)
		return MB_ERR(-EFAULT, "multiboot2: info at %#x not mappable",
			      info_maddr);
	total = hdr->total_size;
	if (total < sizeof(*hdr) + sizeof(*tag) || total > BOOT_MAX_INFO_SIZE)
		return MB_ERR(-EINVAL, "multiboot2: bad total_size %u", total);
	buf = map_range(map, ctx, info_maddr, total);
	if (!buf)
		return MB_ERR(-EFAULT, "multiboot2: info at %#x (%u bytes) not mappable",
			      info_maddr, total);
	for (off = sizeof(*hdr);; off += ALIGN_UP(tag->size, MB2_TAG_ALIGN)) {
		if (off > total || total - off < sizeof(*tag)) {
			rc = MB_ERR(-EINVAL, "multiboot2: no end tag");
			break;
		}
		tag = (const void *)(buf + off);
		if (tag->size < sizeof(*tag) || tag->size > total - off) {
			rc = MB_ERR(-EINVAL, "multiboot2: tag %u at %u: bad size %u",
				    tag->type, off, tag->size);
			break;
		}
		if (tag->type == MB2_TAG_END) {
			rc = 0;
			break;
		}
		rc = mb2_tag(tag, bi);
		if (rc)
			break;
	}
	sort_mem(bi);
	return rc;
}

int boot_info_parse(uint32_t magic, uint32_t info_maddr, boot_map_fn map,
		    void *ctx, struct boot_info *bi)
{
	if (magic == MULTIBOOT1_LOADER_MAGIC)
		return multiboot1_parse(info_maddr, map, ctx, bi);
	if (magic == MULTIBOOT2_LOADER_MAGIC)
		return multiboot2_parse(info_maddr, map, ctx, bi);
	boot_info_init(bi);
	return MB_ERR(-EINVAL, "not booted by a Multiboot loader (magic %#x)",
		      magic);
}

void boot_info_print(const struct boot_info *bi)
{
	unsigned int i;

	printk("(lamina) loader: '%s'\n", bi->loader_name);
	printk("(lamina) command line: '%s'\n", bi->cmdline);
	if (bi->have_meminfo)
		printk("(lamina) memory: %u KiB low, %u KiB high\n",
		       bi->mem_lower_kib, bi->mem_upper_kib);
	for (i = 0; i < bi->nr_mem; i++)
		printk("(lamina)  %016llx - %016llx type %u\n",
		       (unsigned long long)bi->mem[i].base,
		       (unsigned long long)(bi->mem[i].base +
					    bi->mem[i].len - 1),
		       bi->mem[i].type);
	for (i = 0; i < bi->nr_modules; i++)
		printk("(lamina) module %u: %#llx - %#llx '%s'\n", i,
		       (unsigned long long)bi->modules[i].start,
		       (unsigned long long)bi->modules[i].end,
		       bi->modules[i].string);
	if (bi->rsdp)
		printk("(lamina) RSDP copy from the loader, %zu bytes\n",
		       bi->rsdp_len);
}
