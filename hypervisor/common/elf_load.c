// SPDX-License-Identifier: GPL-2.0
/*
 * ELF images for PVH domains: validation, the load plan, and the Xen
 * notes. See lamina/elf.h for the contract.
 *
 * The image is untrusted input of arbitrary alignment: every header is
 * memcpy()d into a local, class-independent form before use, and every
 * offset and size is checked against the image length with arithmetic
 * that cannot wrap.
 */
#include <lamina/types.h>
#include <lamina/lib.h>
#include <lamina/errno.h>
#include <lamina/elf.h>

#include <xen/elfnote.h>

#define EI_NIDENT	16
#define ELFCLASS32	1
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define ET_DYN		3
#define EM_386		3
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_NOTE		4
#define SHT_NOTE	7
#define PN_XNUM		0xffff

/* On-disk layouts, little-endian (the only byte order accepted). */
struct elf32_ehdr {
	uint8_t ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_ehdr {
	uint8_t ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct elf32_shdr {
	uint32_t name, type, flags, addr, offset, size, link, info;
	uint32_t addralign, entsize;
};

struct elf64_shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};

/* The fields used here, widened to 64 bits whatever the class. */
struct ehdr {
	bool is64;
	uint16_t type, machine, phentsize, phnum, shentsize, shnum;
	uint64_t entry, phoff, shoff;
};

struct phdr {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz, align;
};

/* True if [off, off + size) lies within [0, len). */
static bool in_image(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static int read_ehdr(const uint8_t *img, size_t len, struct ehdr *eh)
{
	struct elf32_ehdr e32;
	struct elf64_ehdr e64;

	if (len < EI_NIDENT || memcmp(img, "\177ELF", 4)) {
		printk("(lamina) elf: no ELF magic\n");
		return -ENOEXEC;
	}
	if (img[4] != ELFCLASS32 && img[4] != ELFCLASS64) {
		printk("(lamina) elf: bad class %u\n", img[4]);
		return -ENOEXEC;
	}
	if (img[5] != ELFDATA2LSB || img[6] != EV_CURRENT) {
		printk("(lamina) elf: not little-endian version-1 ELF\n");
		return -ENOEXEC;
	}
	eh->is64 = img[4] == ELFCLASS64;
	if (len < (eh->is64 ? sizeof(e64) : sizeof(e32))) {
		printk("(lamina) elf: truncated ELF header\n");
		return -EINVAL;
	}
	if (eh->is64) {
		memcpy(&e64, img, sizeof(e64));
		*eh = (struct ehdr){ true, e64.type, e64.machine,
			e64.phentsize, e64.phnum, e64.shentsize, e64.shnum,
			e64.entry, e64.phoff, e64.shoff };
	} else {
		memcpy(&e32, img, sizeof(e32));
		*eh = (struct ehdr){ false, e32.type, e32.machine,
			e32.phentsize, e32.phnum, e32.shentsize, e32.shnum,
			e32.entry, e32.phoff, e32.shoff };
	}
	return 0;
}

static int check_ehdr(const struct ehdr *eh, size_t len)
{
	size_t phsz = eh->is64 ? sizeof(struct elf64_phdr) :
				 sizeof(struct elf32_phdr);

	if (eh->type != ET_EXEC && eh->type != ET_DYN) {
		printk("(lamina) elf: type %u is not an executable\n",
		       eh->type);
		return -ENOEXEC;
	}
	if (eh->machine != (eh->is64 ? EM_X86_64 : EM_386)) {
		printk("(lamina) elf: machine %u is not x86 (ELF%d)\n",
		       eh->machine, eh->is64 ? 64 : 32);
		return -ENOEXEC;
	}
	if (eh->phnum == 0 || eh->phnum == PN_XNUM) {
		printk("(lamina) elf: %u program headers\n", eh->phnum);
		return -EINVAL;
	}
	if (eh->phnum > ELF_MAX_PHDRS) {
		printk("(lamina) elf: %u program headers (limit %d)\n",
		       eh->phnum, ELF_MAX_PHDRS);
		return -E2BIG;
	}
	if (eh->phentsize != phsz) {
		printk("(lamina) elf: program header size %u, expected %zu\n",
		       eh->phentsize, phsz);
		return -EINVAL;
	}
	if (!in_image(eh->phoff, (uint64_t)eh->phnum * phsz, len)) {
		printk("(lamina) elf: program headers outside the image\n");
		return -EINVAL;
	}
	return 0;
}

static void read_phdr(const uint8_t *img, const struct ehdr *eh,
		      unsigned int i, struct phdr *ph)
{
	struct elf32_phdr p32;
	struct elf64_phdr p64;

	if (eh->is64) {
		memcpy(&p64, img + eh->phoff + i * sizeof(p64), sizeof(p64));
		*ph = (struct phdr){ p64.type, p64.offset, p64.paddr,
				     p64.filesz, p64.memsz, p64.align };
	} else {
		memcpy(&p32, img + eh->phoff + i * sizeof(p32), sizeof(p32));
		*ph = (struct phdr){ p32.type, p32.offset, p32.paddr,
				     p32.filesz, p32.memsz, p32.align };
	}
}

/* Check one PT_LOAD against the image and the address space. */
static int check_load(const struct phdr *ph, unsigned int i, bool is64,
		      size_t len)
{
	/* The end must be representable: below 2^64, or 4 GiB for ELF32. */
	uint64_t limit = is64 ? UINT64_MAX : GiB(4);

	if (!in_image(ph->offset, ph->filesz, len)) {
		printk("(lamina) elf: segment %u data [%#llx, +%#llx) outside "
		       "the %zu-byte image\n", i,
		       (unsigned long long)ph->offset,
		       (unsigned long long)ph->filesz, len);
		return -EINVAL;
	}
	if (ph->filesz > ph->memsz) {
		printk("(lamina) elf: segment %u file size above memory size\n",
		       i);
		return -EINVAL;
	}
	if (ph->memsz > ELF_MAX_MEM) {
		printk("(lamina) elf: segment %u is %llu bytes (limit %llu)\n",
		       i, (unsigned long long)ph->memsz,
		       (unsigned long long)ELF_MAX_MEM);
		return -E2BIG;
	}
	if (ph->paddr > limit - ph->memsz) {
		printk("(lamina) elf: segment %u wraps the address space\n", i);
		return -EINVAL;
	}
	return 0;
}

static bool segs_overlap(const struct elf_segment *a,
			 const struct elf_segment *b)
{
	return a->paddr < b->paddr + b->memsz && b->paddr < a->paddr + a->memsz;
}

/* Add a checked PT_LOAD to the plan, refusing overlaps and excess. */
static int add_segment(struct elf_plan *plan, const uint8_t *img,
		       const struct phdr *ph, uint64_t *total)
{
	struct elf_segment *s = &plan->segs[plan->nr_segs];
	unsigned int i;

	if (plan->nr_segs == ELF_MAX_SEGMENTS) {
		printk("(lamina) elf: more than %d loadable segments\n",
		       ELF_MAX_SEGMENTS);
		return -E2BIG;
	}
	*total += ph->memsz;
	if (*total > ELF_MAX_MEM) {
		printk("(lamina) elf: segments need more than %llu bytes\n",
		       (unsigned long long)ELF_MAX_MEM);
		return -E2BIG;
	}
	*s = (struct elf_segment){ ph->paddr, img + ph->offset, ph->filesz,
				   ph->memsz };
	for (i = 0; i < plan->nr_segs; i++) {
		if (segs_overlap(s, &plan->segs[i])) {
			printk("(lamina) elf: segments overlap at %#llx\n",
			       (unsigned long long)MAX(s->paddr,
						       plan->segs[i].paddr));
			return -EINVAL;
		}
	}
	plan->paddr_start = MIN(plan->paddr_start, s->paddr);
	plan->paddr_end = MAX(plan->paddr_end, s->paddr + s->memsz);
	plan->nr_segs++;
	return 0;
}

static int collect_segments(const uint8_t *img, size_t len,
			    const struct ehdr *eh, struct elf_plan *plan)
{
	uint64_t total = 0;
	struct phdr ph;
	unsigned int i;
	int rc;

	plan->paddr_start = UINT64_MAX;
	for (i = 0; i < eh->phnum; i++) {
		read_phdr(img, eh, i, &ph);
		if (ph.type != PT_LOAD)
			continue;
		rc = check_load(&ph, i, eh->is64, len);
		if (rc)
			return rc;
		if (ph.memsz == 0)
			continue;
		rc = add_segment(plan, img, &ph, &total);
		if (rc)
			return rc;
	}
	if (plan->nr_segs == 0) {
		printk("(lamina) elf: no loadable segment\n");
		return -ENOEXEC;
	}
	return 0;
}

/* Copy a string note into a fixed buffer, truncating; "" if empty. */
static void note_string(char *dst, size_t size, const uint8_t *desc,
			uint32_t descsz)
{
	size_t n = strnlen((const char *)desc, MIN((size_t)descsz, size - 1));

	memcpy(dst, desc, n);
	dst[n] = '\0';
}

/* A numeric note: 4 or 8 little-endian bytes (Linux uses its pointer
 * size for PHYS32_ENTRY). */
static int note_number(const uint8_t *desc, uint32_t descsz, uint64_t *val)
{
	uint32_t v32;

	if (descsz == 4) {
		memcpy(&v32, desc, 4);
		*val = v32;
		return 0;
	}
	if (descsz == 8) {
		memcpy(val, desc, 8);
		return 0;
	}
	return -EINVAL;
}

static int xen_note(struct elf_xen_notes *n, uint32_t type,
		    const uint8_t *desc, uint32_t descsz)
{
	uint64_t v;

	switch (type) {
	case XEN_ELFNOTE_PHYS32_ENTRY:
		if (note_number(desc, descsz, &v) || v > UINT32_MAX) {
			printk("(lamina) elf: bad PHYS32_ENTRY note (%u bytes)\n",
			       descsz);
			return -EINVAL;
		}
		if (!n->has_phys32_entry)
			n->phys32_entry = v;
		n->has_phys32_entry = true;
		break;
	case XEN_ELFNOTE_SUPPORTED_FEATURES:
		if (note_number(desc, descsz, &v) || v > UINT32_MAX) {
			printk("(lamina) elf: bad SUPPORTED_FEATURES note\n");
			return -EINVAL;
		}
		n->supported_features = v;
		n->has_supported_features = true;
		break;
	case XEN_ELFNOTE_GUEST_OS:
		note_string(n->guest_os, sizeof(n->guest_os), desc, descsz);
		break;
	case XEN_ELFNOTE_FEATURES:
		note_string(n->features, sizeof(n->features), desc, descsz);
		break;
	}
	return 0;
}

/*
 * Walk the notes in [p, p + size): each is namesz, descsz, type (32-bit),
 * the name, then the descriptor; the descriptor and the next note start
 * at offsets aligned to align (4, or 8 for the 8-aligned note areas of
 * newer toolchains), counted from the area's start. Notes named "Xen" are
 * handed to xen_note(). Sets *found if there was one.
 */
static int scan_notes(const uint8_t *p, uint64_t size, uint64_t align,
		      struct elf_xen_notes *n, bool *found)
{
	uint64_t a = align == 8 ? 8 : 4, off = 0, desc;
	uint32_t hdr[3];	/* namesz, descsz, type */
	int rc;

	while (size - off >= sizeof(hdr)) {
		memcpy(hdr, p + off, sizeof(hdr));
		desc = ALIGN_UP(off + sizeof(hdr) + hdr[0], a);
		/* The last descriptor's padding may be missing. */
		if (desc > size || hdr[1] > size - desc) {
			printk("(lamina) elf: note runs past its segment\n");
			return -EINVAL;
		}
		if (hdr[0] == 4 && !memcmp(p + off + sizeof(hdr), "Xen", 4)) {
			*found = true;
			rc = xen_note(n, hdr[2], p + desc, hdr[1]);
			if (rc)
				return rc;
		}
		off = MIN(ALIGN_UP(desc + hdr[1], a), size);
	}
	return 0;
}

static int notes_from_phdrs(const uint8_t *img, size_t len,
			    const struct ehdr *eh, struct elf_plan *plan,
			    bool *found)
{
	struct phdr ph;
	unsigned int i;
	int rc;

	for (i = 0; i < eh->phnum; i++) {
		read_phdr(img, eh, i, &ph);
		if (ph.type != PT_NOTE)
			continue;
		if (!in_image(ph.offset, ph.filesz, len)) {
			printk("(lamina) elf: note segment %u outside the "
			       "image\n", i);
			return -EINVAL;
		}
		rc = scan_notes(img + ph.offset, ph.filesz, ph.align,
				&plan->notes, found);
		if (rc)
			return rc;
	}
	return 0;
}

static void read_shdr(const uint8_t *img, const struct ehdr *eh,
		      unsigned int i, uint32_t *type, uint64_t *off,
		      uint64_t *size, uint64_t *align)
{
	struct elf32_shdr s32;
	struct elf64_shdr s64;

	if (eh->is64) {
		memcpy(&s64, img + eh->shoff + i * sizeof(s64), sizeof(s64));
		*type = s64.type;
		*off = s64.offset;
		*size = s64.size;
		*align = s64.addralign;
	} else {
		memcpy(&s32, img + eh->shoff + i * sizeof(s32), sizeof(s32));
		*type = s32.type;
		*off = s32.offset;
		*size = s32.size;
		*align = s32.addralign;
	}
}

/* The fallback for images whose notes are in no PT_NOTE: SHT_NOTE. */
static int notes_from_shdrs(const uint8_t *img, size_t len,
			    const struct ehdr *eh, struct elf_plan *plan,
			    bool *found)
{
	size_t shsz = eh->is64 ? sizeof(struct elf64_shdr) :
				 sizeof(struct elf32_shdr);
	uint64_t off, size, align;
	unsigned int i;
	uint32_t type;
	int rc;

	if (eh->shoff == 0 || eh->shnum == 0)
		return 0;
	if (eh->shentsize != shsz || eh->shnum > ELF_MAX_SHDRS ||
	    !in_image(eh->shoff, (uint64_t)eh->shnum * shsz, len)) {
		printk("(lamina) elf: bad section header table\n");
		return -EINVAL;
	}
	for (i = 0; i < eh->shnum; i++) {
		read_shdr(img, eh, i, &type, &off, &size, &align);
		if (type != SHT_NOTE)
			continue;
		if (!in_image(off, size, len)) {
			printk("(lamina) elf: note section %u outside the "
			       "image\n", i);
			return -EINVAL;
		}
		rc = scan_notes(img + off, size, align, &plan->notes, found);
		if (rc)
			return rc;
	}
	return 0;
}

/* True if the PVH entry is file-backed data of some segment. */
static bool entry_loaded(const struct elf_plan *plan)
{
	const struct elf_segment *s;
	unsigned int i;

	for (i = 0; i < plan->nr_segs; i++) {
		s = &plan->segs[i];
		if (plan->entry >= s->paddr &&
		    plan->entry - s->paddr < s->filesz)
			return true;
	}
	return false;
}

int elf_parse(const void *image, size_t len, struct elf_plan *plan)
{
	const uint8_t *img = image;
	bool found = false;
	struct ehdr eh;
	int rc;

	memset(plan, 0, sizeof(*plan));
	rc = read_ehdr(img, len, &eh);
	if (!rc)
		rc = check_ehdr(&eh, len);
	if (!rc)
		rc = collect_segments(img, len, &eh, plan);
	if (!rc)
		rc = notes_from_phdrs(img, len, &eh, plan, &found);
	if (!rc && !found)
		rc = notes_from_shdrs(img, len, &eh, plan, &found);
	if (rc)
		return rc;
	plan->is64 = eh.is64;
	plan->e_entry = eh.entry;
	if (!plan->notes.has_phys32_entry) {
		printk("(lamina) elf: not a PVH kernel (no Xen "
		       "PHYS32_ENTRY note)\n");
		return -ENOEXEC;
	}
	plan->entry = plan->notes.phys32_entry;
	if (!entry_loaded(plan)) {
		printk("(lamina) elf: PVH entry %#llx is outside the loaded "
		       "segments\n", (unsigned long long)plan->entry);
		return -ENOEXEC;
	}
	return 0;
}

int elf_load_into(const struct elf_plan *plan, elf_write_fn write_gpa,
		  elf_zero_fn zero_gpa, void *ctx)
{
	const struct elf_segment *s;
	unsigned int i;
	int rc;

	for (i = 0; i < plan->nr_segs; i++) {
		s = &plan->segs[i];
		if (s->filesz) {
			rc = write_gpa(ctx, s->paddr, s->src, s->filesz);
			if (rc)
				return rc;
		}
		if (s->memsz > s->filesz) {
			rc = zero_gpa(ctx, s->paddr + s->filesz,
				      s->memsz - s->filesz);
			if (rc)
				return rc;
		}
	}
	return 0;
}
