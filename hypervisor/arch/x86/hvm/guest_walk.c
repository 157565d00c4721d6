// SPDX-License-Identifier: GPL-2.0
/*
 * Guest page-table walker and guest-virtual copies (asm/hvm/guest_walk.h).
 * Written from the Intel SDM volume 3 chapter 4 (paging) and the AMD APM
 * volume 2 chapter 5 (page translation and protection).
 */
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <asm/hvm/guest_walk.h>

#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_US		(1ULL << 2)
#define PTE_A		(1ULL << 5)
#define PTE_D		(1ULL << 6)
#define PTE_PS		(1ULL << 7)
#define PTE_NX		(1ULL << 63)

#define GPAGE_SIZE	4096ULL
#define MAX_LEVELS	5
/* A/D updates racing with other vCPUs: give up after this many walks. */
#define MAX_WALKS	8

/* Bits hi..lo set (none if hi < lo). */
static uint64_t bits(unsigned int hi, unsigned int lo)
{
	if (hi < lo)
		return 0;
	return (~0ULL >> (63 - hi)) & ~((1ULL << lo) - 1);
}

enum guest_paging_mode guest_paging_mode(const struct guest_paging *p)
{
	if (!(p->cr0 & GW_CR0_PG))
		return GPM_NONE;
	if (p->efer & GW_EFER_LMA)
		return p->cr4 & GW_CR4_LA57 ? GPM_LONG5 : GPM_LONG4;
	return p->cr4 & GW_CR4_PAE ? GPM_PAE : GPM_32;
}

/* One walk in progress. */
struct walk {
	const struct guest_paging *p;
	enum guest_paging_mode mode;
	uint64_t gva;
	unsigned int access;
	unsigned int maxphy;
	/* Entries used, top level first, for the A/D update. */
	unsigned int nr;
	uint64_t ent[MAX_LEVELS];
	uint64_t ent_gpa[MAX_LEVELS];
	unsigned int ent_size;
	/* Rights combined over all levels. */
	bool writable, user, nx;
	uint64_t gpa;
	uint32_t pfec;
};

/* Physical address bits of an entry: 51..12 limited by MAXPHYADDR. */
static uint64_t addr_bits(const struct walk *w)
{
	return bits(w->maxphy - 1, 12);
}

/*
 * Fail with a #PF. I/D is reported for fetches only when NX or SMEP can
 * make a fetch fault (SDM 4.7), whatever the reason of this fault.
 */
static int fault(struct walk *w, uint32_t why)
{
	const struct guest_paging *p = w->p;
	bool id = (p->cr4 & GW_CR4_SMEP) ||
		  ((p->efer & GW_EFER_NXE) && w->mode != GPM_32);

	w->pfec = why | (w->access & (PFEC_WRITE | PFEC_USER));
	if (id && (w->access & GW_FETCH))
		w->pfec |= PFEC_INSN;
	return -EFAULT;
}

/* Read a paging entry; it is remembered for the A/D update. */
static int read_entry(struct walk *w, uint64_t gpa, uint64_t *e)
{
	uint64_t v = 0;	/* little-endian: a 4-byte read fills the low half */

	if (w->p->read_gpa(w->p->ctx, gpa, &v, w->ent_size))
		return -ENXIO;
	w->ent[w->nr] = v;
	w->ent_gpa[w->nr++] = gpa;
	*e = v;
	return 0;
}

static void combine(struct walk *w, uint64_t e)
{
	w->writable = w->writable && (e & PTE_RW);
	w->user = w->user && (e & PTE_US);
	if (w->p->efer & GW_EFER_NXE)
		w->nx = w->nx || (e & PTE_NX);
}

/*
 * 32-bit paging: a page directory of 1024 4-byte entries at CR3, then a
 * page table or, with PS and CR4.PSE, a 4 MiB page whose address bits
 * 39:32 sit in PDE bits 20:13 (PSE-36) as far as MAXPHYADDR allows.
 */
static int walk_32(struct walk *w)
{
	uint64_t pde, pte, gpa;
	unsigned int hi_bits = MIN(MAX(w->maxphy, 32u), 40u) - 32;
	int rc;

	w->ent_size = 4;
	gpa = (w->p->cr3 & 0xfffff000ULL) + ((w->gva >> 22) & 0x3ff) * 4;
	rc = read_entry(w, gpa, &pde);
	if (rc)
		return rc;
	if (!(pde & PTE_P))
		return fault(w, 0);
	combine(w, pde);
	if ((pde & PTE_PS) && (w->p->cr4 & GW_CR4_PSE)) {
		if (pde & bits(21, 13 + hi_bits))
			return fault(w, PFEC_PRESENT | PFEC_RSVD);
		w->gpa = (pde & 0xffc00000ULL) |
			 (((pde >> 13) & 0xff) << 32) |
			 (w->gva & 0x3fffff);
		return 0;
	}
	gpa = (pde & 0xfffff000ULL) + ((w->gva >> 12) & 0x3ff) * 4;
	rc = read_entry(w, gpa, &pte);
	if (rc)
		return rc;
	if (!(pte & PTE_P))
		return fault(w, 0);
	combine(w, pte);
	w->gpa = (pte & 0xfffff000ULL) | (w->gva & 0xfff);
	return 0;
}

/*
 * Reserved bits of an 8-byte entry at level (1 = PTE ... 5 = PML5E):
 * address bits above MAXPHYADDR, NX without EFER.NXE, PS in PML4E and
 * PML5E, and the bits between the PAT bit and a large page's address.
 */
static uint64_t rsvd_bits(const struct walk *w, unsigned int level,
			  bool large)
{
	uint64_t m = bits(51, w->maxphy);

	if (!(w->p->efer & GW_EFER_NXE))
		m |= PTE_NX;
	if (level >= 4)
		m |= PTE_PS;
	if (large)
		m |= bits(12 + 9 * (level - 1) - 1, 13);
	return m;
}

/* PAE: the PDPTE for gva, cached or read from the table at CR3. */
static int pae_pdpte(struct walk *w, uint64_t *e)
{
	unsigned int i = (w->gva >> 30) & 3;
	uint64_t gpa = (w->p->cr3 & 0xffffffe0ULL) + i * 8;

	if (w->p->pdptes) {
		*e = w->p->pdptes[i];
	} else if (w->p->read_gpa(w->p->ctx, gpa, e, 8)) {
		return -ENXIO;
	}
	if (!(*e & PTE_P))
		return fault(w, 0);
	/*
	 * No R/W, U/S or NX here: bits 2:1, 8:6 and 63 are reserved. Bit 5
	 * (A) is reserved on Intel, but QEMU's AMD model sets it in the
	 * entries it walks; the CPU already accepted an entry the walker is
	 * asked about, so bit 5 is not checked.
	 */
	if (*e & (bits(63, w->maxphy) | bits(8, 6) | bits(2, 1)))
		return fault(w, PFEC_PRESENT | PFEC_RSVD);
	return 0;
}

/* PAE and long-mode paging: 512 8-byte entries per table. */
static int walk_64(struct walk *w)
{
	unsigned int level, shift;
	uint64_t table, e, mask;
	bool large;
	int rc;

	w->ent_size = 8;
	if (w->mode == GPM_PAE) {
		rc = pae_pdpte(w, &e);
		if (rc)
			return rc;
		table = e & addr_bits(w);
		level = 2;
	} else {
		table = w->p->cr3 & addr_bits(w);
		level = w->mode == GPM_LONG5 ? 5 : 4;
	}
	for (;; level--) {
		shift = 12 + 9 * (level - 1);
		rc = read_entry(w, table + ((w->gva >> shift) & 0x1ff) * 8, &e);
		if (rc)
			return rc;
		if (!(e & PTE_P))
			return fault(w, 0);
		large = (level == 2 || level == 3) && (e & PTE_PS);
		if (e & rsvd_bits(w, level, large))
			return fault(w, PFEC_PRESENT | PFEC_RSVD);
		combine(w, e);
		if (level == 1 || large)
			break;
		table = e & addr_bits(w);
	}
	mask = bits(shift - 1, 0);
	w->gpa = (e & addr_bits(w) & ~mask) | (w->gva & mask);
	return 0;
}

/* The rights the walk found against the access (SDM 4.6). */
static int check_access(struct walk *w)
{
	const struct guest_paging *p = w->p;
	bool user = w->access & GW_USER;
	bool fetch = w->access & GW_FETCH;

	if (user && !w->user)
		return fault(w, PFEC_PRESENT);
	if ((w->access & GW_WRITE) && !w->writable &&
	    (user || (p->cr0 & GW_CR0_WP)))
		return fault(w, PFEC_PRESENT);
	if (fetch && w->nx)
		return fault(w, PFEC_PRESENT);
	if (user || !w->user)
		return 0;
	/* Supervisor access to a user page. */
	if (fetch && (p->cr4 & GW_CR4_SMEP))
		return fault(w, PFEC_PRESENT);
	if (!fetch && (p->cr4 & GW_CR4_SMAP) &&
	    ((w->access & GW_IMPLICIT) || !(p->rflags & GW_RFLAGS_AC)))
		return fault(w, PFEC_PRESENT);
	return 0;
}

/* Accessed in every entry used, dirty in the leaf for a write. */
static int set_ad(struct walk *w)
{
	uint64_t nval;
	unsigned int i;
	int rc;

	if (!w->p->update_pte)
		return 0;
	for (i = 0; i < w->nr; i++) {
		nval = w->ent[i] | PTE_A;
		if (i == w->nr - 1 && (w->access & GW_WRITE))
			nval |= PTE_D;
		if (nval == w->ent[i])
			continue;
		rc = w->p->update_pte(w->p->ctx, w->ent_gpa[i], w->ent[i],
				      nval, w->ent_size);
		if (rc)
			return rc == -EAGAIN ? rc : -ENXIO;
	}
	return 0;
}

static bool canonical(uint64_t va, unsigned int va_bits)
{
	unsigned int s = 64 - va_bits;

	return (uint64_t)((int64_t)(va << s) >> s) == va;
}

static int walk_once(struct walk *w)
{
	int rc;

	rc = w->mode == GPM_32 ? walk_32(w) : walk_64(w);
	if (!rc)
		rc = check_access(w);
	if (!rc)
		rc = set_ad(w);
	return rc;
}

int guest_walk(const struct guest_paging *p, uint64_t gva,
	       unsigned int access, uint64_t *gpa, uint32_t *pfec)
{
	struct walk w;
	unsigned int n;
	int rc = -EAGAIN;

	*pfec = 0;
	switch (guest_paging_mode(p)) {
	case GPM_NONE:
		*gpa = gva & 0xffffffffULL;
		return 0;
	case GPM_LONG4:
	case GPM_LONG5:
		if (!canonical(gva, p->cr4 & GW_CR4_LA57 ? 57 : 48))
			return -EINVAL;
		break;
	default:
		gva &= 0xffffffffULL;
		break;
	}
	for (n = 0; n < MAX_WALKS && rc == -EAGAIN; n++) {
		memset(&w, 0, sizeof(w));
		w.p = p;
		w.mode = guest_paging_mode(p);
		w.gva = gva;
		w.access = access;
		w.maxphy = p->maxphyaddr ? MIN(p->maxphyaddr, 52u) : 52;
		w.writable = w.user = true;
		rc = walk_once(&w);
	}
	*pfec = rc == -EFAULT ? w.pfec : 0;
	if (!rc)
		*gpa = w.gpa;
	return rc;
}

int guest_virt_iterate(const struct guest_paging *p, uint64_t gva,
		       size_t len, unsigned int access, guest_chunk_fn fn,
		       void *arg, size_t *done, struct guest_fault *f)
{
	bool wrap32 = !(p->efer & GW_EFER_LMA);
	struct guest_fault dummy;
	uint64_t va, gpa;
	size_t pos = 0, chunk;
	uint32_t pfec;
	int rc = 0;

	if (!f)
		f = &dummy;
	while (pos < len) {
		va = wrap32 ? (gva + pos) & 0xffffffffULL : gva + pos;
		chunk = MIN(len - pos, GPAGE_SIZE - (va & (GPAGE_SIZE - 1)));
		rc = guest_walk(p, va, access, &gpa, &pfec);
		if (!rc)
			rc = fn(arg, gpa, pos, chunk);
		if (rc) {
			f->rc = rc;
			f->addr = va;
			f->pfec = rc == -EFAULT ? pfec : 0;
			break;
		}
		pos += chunk;
	}
	if (done)
		*done = pos;
	return rc;
}

struct copy_arg {
	const struct guest_paging *p;
	uint8_t *buf;
	const uint8_t *src;
};

/* Guest memory that is not RAM is -ENXIO: -EFAULT means a #PF here. */
static int read_chunk(void *arg, uint64_t gpa, size_t done, size_t len)
{
	struct copy_arg *a = arg;

	if (a->p->read_gpa(a->p->ctx, gpa, a->buf + done, len))
		return -ENXIO;
	return 0;
}

static int write_chunk(void *arg, uint64_t gpa, size_t done, size_t len)
{
	struct copy_arg *a = arg;

	if (a->p->write_gpa(a->p->ctx, gpa, a->src + done, len))
		return -ENXIO;
	return 0;
}

/* Access flags for a copy: user if CPL 3, unless implicit supervisor. */
static unsigned int copy_access(const struct guest_paging *p,
				unsigned int flags)
{
	unsigned int a = flags & (GW_WRITE | GW_FETCH | GW_IMPLICIT);

	if (p->cpl == 3 && !(flags & GW_IMPLICIT))
		a |= GW_USER;
	return a;
}

int copy_from_guest_virt(const struct guest_paging *p, void *dst,
			 uint64_t gva, size_t len, unsigned int flags,
			 struct guest_fault *f)
{
	struct copy_arg a = { .p = p, .buf = dst };

	return guest_virt_iterate(p, gva, len, copy_access(p, flags),
				  read_chunk, &a, NULL, f);
}

int copy_to_guest_virt(const struct guest_paging *p, uint64_t gva,
		       const void *src, size_t len, unsigned int flags,
		       struct guest_fault *f)
{
	struct copy_arg a = { .p = p, .src = src };

	if (!p->write_gpa)
		return -EOPNOTSUPP;
	return guest_virt_iterate(p, gva, len,
				  copy_access(p, flags | GW_WRITE),
				  write_chunk, &a, NULL, f);
}

int insn_fetch(const struct guest_paging *p, uint64_t cs_base, uint64_t rip,
	       enum insn_mode mode, uint8_t buf[INSN_MAX_LEN],
	       struct guest_fault *f)
{
	struct copy_arg a = { .p = p, .buf = buf };
	uint64_t lin = rip;
	size_t done;
	int rc;

	if (mode != INSN_MODE_64)
		lin = (cs_base + rip) & 0xffffffffULL;
	rc = guest_virt_iterate(p, lin, INSN_MAX_LEN,
				copy_access(p, GW_FETCH), read_chunk, &a,
				&done, f);
	if (!rc)
		return INSN_MAX_LEN;
	return done ? (int)done : rc;
}
