// SPDX-License-Identifier: GPL-2.0
/*
 * exits: the corners of the hypervisor's exit path that intercepts does
 * not reach. Instructions it completes on the guest's behalf must behave
 * as the CPU would: prefixes counted, registers preserved, a single-step
 * #DB after them, faults where the CPU would fault; instructions the
 * guest's CPU lacks raise #UD; privilege is checked; string I/O honours
 * address size, segments and page faults half way; and hypercall
 * pointers obey SMAP. "test=NAME" runs one.
 */
#include "guest.h"

/* One PML4 slot for all (the library has four spare table pages). */
#define USER_VA		0x8000000000ULL		/* 512 GiB: image, CPL 3 */
#define STALE_VA	0x8040000000ULL
#define SIO_VA		0x8080000000ULL
#define NOT_RAM		0xf0000000ULL
#define UNUSED_PORT	0x2e0
#define DEBUG_PORT	0xe9
#define CR4_PCE		(1UL << 8)
#define CR4_SMAP	(1UL << 21)
#define CPUID7_EBX_SMAP	(1U << 20)

/* exits.S */
unsigned long hypercall_clobbers(void);
struct prefixed_result {
	uint32_t cpuid_ebx, efer, tsc, tsc_aux, xen_version, done;
};
void prefixed(struct prefixed_result *r);
void tf_cpuid(void *unused);
extern const uint8_t tf_after[];
void user_hypercall(void), user_rdpmc(void), user_cpuid(void);
extern const uint8_t user_rdpmc_insn[], user_done[];
extern uint64_t user_result;
extern uint8_t exits_vmcall, exits_rdtscp, exits_invd;

/* Three 2 MiB frames of RAM for mapping games: A, A + 2 MiB, B. */
static uint8_t frames[3][PAGE_SIZE_2M] __attribute__((aligned(PAGE_SIZE_2M)));
/* The user stack, in the first 2 MiB (the user alias). */
static uint8_t user_stack[4096] __attribute__((aligned(16),
					       section(".data")));

static void write_cr4(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr4" :: "r"(v) : "memory");
}

static uint64_t user_va(const void *p)
{
	return USER_VA + (uint64_t)p;
}

/* Every register but rax (the result) survives a hypercall. */
static void test_registers(void)
{
	CHECK_EQ(hypercall_clobbers(), 0);
}

/* Lengths with prefixes (REX too) in 64-bit code. */
static void test_prefixed(void)
{
	struct prefixed_result r = { 0 };

	/* Without RDTSCP (Xen's reference machine, -cpu max,-rdtscp), the
	 * rest runs without it. */
	exits_rdtscp = !!(cpuid(0x80000001).edx & CPUID81_EDX_RDTSCP);
	if (exits_rdtscp)
		CHECK_EQ(wrmsr_safe(MSR_TSC_AUX, 0x1234), NO_FAULT);
	prefixed(&r);
	CHECK_EQ(r.done, 1);
	CHECK_EQ(r.cpuid_ebx, 0x566e6558);
	CHECK_EQ(r.efer & EFER_LMA, EFER_LMA);
	if (exits_rdtscp)
		CHECK_EQ(r.tsc_aux, 0x1234);
	else
		skip("cs rex.b rdtscp", "CPUID says there is no RDTSCP");
	CHECK_EQ(r.xen_version, 4 << 16 | 17);
}

/* From the command line (guest_main()). */
static bool exits_single_step, exits_nrip;

/* TF set: the emulated CPUID is followed by #DB at the next insn. */
static void test_single_step(void)
{
	if (!exits_single_step) {
		skip("catch_fault(tf_cpuid, NULL) == X86_EXC_DB",
		     "singlestep=no");
		return;
	}
	CHECK_EQ(catch_fault(tf_cpuid, NULL), X86_EXC_DB);
	CHECK(last_fault.rip == (uint64_t)tf_after);
}

/*
 * rAX = 0 (a page-aligned address) and ECX = EDX = 0 (no extensions):
 * operands the CPU checks, with #GP, before any intercept.
 */
#define INSN_FN(name, insn)						\
	static void name(void *arg)					\
	{								\
		__asm__ __volatile__(insn :: "a"(0UL), "c"(0), "d"(0)	\
				     : "memory");			\
	}
INSN_FN(do_vmrun, "vmrun %%rax")
INSN_FN(do_vmload, "vmload %%rax")
INSN_FN(do_vmsave, "vmsave %%rax")
INSN_FN(do_stgi, "stgi")
INSN_FN(do_clgi, "clgi")
INSN_FN(do_skinit, "skinit %%eax")
INSN_FN(do_invlpga, "invlpga %%rax, %%ecx")
INSN_FN(do_monitor, "monitor %%rax, %%ecx, %%edx")
INSN_FN(do_mwait, "mwait %%eax, %%ecx")
INSN_FN(do_rdpru, ".byte 0x0f, 0x01, 0xfd")
INSN_FN(do_invd, "invd")
INSN_FN(do_wbinvd, "wbinvd")

/* No nested virtualization, and MONITOR/MWAIT are not in CPUID: #UD. */
static void test_missing_insns(void)
{
	static const struct { const char *name; void (*fn)(void *); } ud[] = {
		{ "vmrun", do_vmrun }, { "vmload", do_vmload },
		{ "vmsave", do_vmsave }, { "stgi", do_stgi },
		{ "clgi", do_clgi }, { "skinit", do_skinit },
		{ "invlpga", do_invlpga }, { "monitor", do_monitor },
		{ "mwait", do_mwait }, { "rdpru", do_rdpru },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ud); i++) {
		int vec = catch_fault(ud[i].fn, NULL);

		check_eq(ud[i].name, vec, X86_EXC_UD);
	}
	if (exits_invd)
		CHECK_EQ(catch_fault(do_invd, NULL), NO_FAULT);
	else
		skip("catch_fault(do_invd, NULL) == NO_FAULT", "invd=no");
	CHECK_EQ(catch_fault(do_wbinvd, NULL), NO_FAULT);
}

/* CPL 3: hypercalls fail with -EPERM, CPUID works, RDPMC is #UD. */
static void test_user_mode(void)
{
	uint64_t stack = user_va(user_stack + sizeof(user_stack));

	CHECK_EQ(map_2m_user(USER_VA, 0), 0);
	user_result = 0;
	CHECK_EQ(run_user((void (*)(void))user_va(user_hypercall), stack),
		 X86_EXC_UD);
	CHECK(last_fault.rip == user_va(user_done));
	CHECK_EQ(last_fault.cs & 3, 3);
	CHECK_EQ((long)user_result, -XEN_EPERM);
	CHECK_EQ(run_user((void (*)(void))user_va(user_cpuid), stack),
		 X86_EXC_UD);
	CHECK_EQ(user_result, 0x566e6558);
	/* CR4.PCE lets CPL 3 reach the intercept (else #GP first). */
	write_cr4(read_cr4() | CR4_PCE);
	CHECK_EQ(run_user((void (*)(void))user_va(user_rdpmc), stack),
		 X86_EXC_UD);
	CHECK(last_fault.rip == user_va(user_rdpmc_insn));
	write_cr4(read_cr4() & ~CR4_PCE);
	unmap_2m(USER_VA);
}

static const char smap_text[] = "exits: console_io buffer on a user page, "
				"RFLAGS.AC set\n";

/* Hypercall buffers are read as the guest kernel would: SMAP applies. */
static void test_smap(void)
{
	const char *user = (const char *)user_va(smap_text);

	if (!(cpuid_count(7, 0).ebx & CPUID7_EBX_SMAP)) {
		skip("smap", "no SMAP in CPUID");
		return;
	}
	CHECK_EQ(map_2m_user(USER_VA, 0), 0);
	write_cr4(read_cr4() | CR4_SMAP);
	CHECK_EQ(console_io_write(user, sizeof(smap_text) - 1), -XEN_EFAULT);
	__asm__ __volatile__("stac" ::: "memory");
	CHECK_EQ(console_io_write(user, sizeof(smap_text) - 1), 0);
	__asm__ __volatile__("clac" ::: "memory");
	write_cr4(read_cr4() & ~CR4_SMAP);
	unmap_2m(USER_VA);
}

/* 67: ESI and ECX in 64-bit code; the upper halves do not count. */
static void test_outs_addr32(void)
{
	static const char line[] = "exits: addr32 rep outsb\n";
	uint64_t rsi = 0xdead000000000000ULL | (uint32_t)(uintptr_t)line;
	uint64_t rcx = 0xffffffff00000000ULL | (sizeof(line) - 1);

	__asm__ __volatile__("addr32 rep outsb"
			     : "+S"(rsi), "+c"(rcx) : "d"(DEBUG_PORT)
			     : "memory");
	CHECK_EQ(rcx, 0);
	CHECK_EQ(rsi, (uint32_t)(uintptr_t)line + sizeof(line) - 1);
}

/* A segment override: FS's base is added (64-bit mode: FS and GS only). */
static void test_outs_fs(void)
{
	static const char line[] = "exits: rep outsb from fs\n";
	uint64_t rsi = 0x1000, rcx = sizeof(line) - 1;

	CHECK_EQ(wrmsr_safe(MSR_FS_BASE, (uint64_t)line - 0x1000), NO_FAULT);
	__asm__ __volatile__("rep outsb %%fs:(%%rsi), %%dx"
			     : "+S"(rsi), "+c"(rcx) : "d"(DEBUG_PORT)
			     : "memory");
	CHECK_EQ(wrmsr_safe(MSR_FS_BASE, 0), NO_FAULT);
	CHECK_EQ(rcx, 0);
	CHECK_EQ(rsi, 0x1000 + sizeof(line) - 1);
}

struct sio {
	uint64_t ptr, count;
};

static void do_rep_insb(void *arg)
{
	struct sio *s = arg;

	__asm__ __volatile__("rep insb"
			     : "+D"(s->ptr), "+c"(s->count)
			     : "d"(UNUSED_PORT) : "memory");
}

static void do_rep_outsb(void *arg)
{
	struct sio *s = arg;

	__asm__ __volatile__("rep outsb"
			     : "+S"(s->ptr), "+c"(s->count)
			     : "d"(UNUSED_PORT) : "memory");
}

/*
 * A page fault in the middle of REP INS: the iterations before it are
 * done, rCX and rDI say so, CR2 is the first byte not mapped.
 */
static void test_rep_ins_fault(void)
{
	uint64_t end = SIO_VA + PAGE_SIZE_2M;
	struct sio s = { end - 2, 4 };

	CHECK_EQ(map_2m(SIO_VA, (uint64_t)frames[0]), 0);
	unmap_2m(end);
	frames[0][PAGE_SIZE_2M - 3] = 0;
	CHECK_EQ(catch_fault(do_rep_insb, &s), X86_EXC_PF);
	CHECK(last_fault.cr2 == end);
	CHECK_EQ(last_fault.error_code & 3, 2);	/* not present, write */
	CHECK_EQ(last_fault.rcx, 2);
	CHECK(last_fault.rdi == end);
	CHECK_EQ(frames[0][PAGE_SIZE_2M - 1], 0xff);
	CHECK_EQ(frames[0][PAGE_SIZE_2M - 2], 0xff);
	CHECK_EQ(frames[0][PAGE_SIZE_2M - 3], 0);
	/* OUTS from the hole: nothing done. */
	s = (struct sio){ end, 4 };
	CHECK_EQ(catch_fault(do_rep_outsb, &s), X86_EXC_PF);
	CHECK(last_fault.cr2 == end);
	CHECK_EQ(last_fault.rcx, 4);
	CHECK(last_fault.rsi == end);
	unmap_2m(SIO_VA);
}

/* Guest-physical memory that is not RAM: reads all ones, writes go. */
static void test_rep_not_ram(void)
{
	struct sio s = { SIO_VA, 16 };

	CHECK_EQ(map_2m(SIO_VA, NOT_RAM), 0);
	CHECK_EQ(catch_fault(do_rep_insb, &s), NO_FAULT);
	CHECK(s.ptr == SIO_VA + 16);
	s = (struct sio){ SIO_VA, 16 };
	CHECK_EQ(catch_fault(do_rep_outsb, &s), NO_FAULT);
	CHECK_EQ(s.count, 0);
	unmap_2m(SIO_VA);
}

/* A count larger than the hypervisor does in one exit. */
static void test_rep_long(void)
{
	static uint8_t buf[5001];
	struct sio s = { (uint64_t)buf, 5000 };
	unsigned long i, ones = 0;

	CHECK_EQ(catch_fault(do_rep_insb, &s), NO_FAULT);
	for (i = 0; i < 5000; i++)
		ones += buf[i] == 0xff;
	CHECK_EQ(ones, 5000);
	CHECK_EQ(buf[5000], 0);
	CHECK_EQ(s.count, 0);
}

static void call_at(uint64_t va)
{
	((void (*)(void))va)();
}

static void run_at(void *va)
{
	call_at((uint64_t)va);
}

/*
 * At a + 0x80: mov $byte, %esi; mov $UNUSED_PORT, %dx; outsb; ret. At
 * b + 0x89, where the OUTSB is: ud2.
 */
static void stale_outs(uint8_t *a, uint8_t *b)
{
	uint32_t src = (uint32_t)(uintptr_t)(b + 0x100);

	a[0x80] = 0xbe;
	memcpy(a + 0x81, &src, 4);
	memcpy(a + 0x85, "\x66\xba\xe0\x02\x6e\xc3", 6);
	memcpy(b + 0x89, "\x0f\x0b", 2);
}

/*
 * The CPU executes an instruction through a TLB entry the page tables
 * no longer back (changed without INVLPG): the hypervisor, fetching the
 * intercepted instruction through the page tables, finds other bytes
 * (#GP, as Xen), or nothing (#PF). Under QEMU every exit flushes the
 * TLB, so a host interrupt between the two steps makes the CPU itself
 * fault (#UD from the other bytes, the same #PF): those tries repeat.
 * Under VMX, and under SVM with NRIP save ("nrip=yes": the guest cannot
 * tell), the CPU reports each exit with the instruction's length, so
 * the hypervisor (Lamina as Xen) fetches only what it emulates from
 * memory, string I/O: a stale CPUID just runs, and only the OUTSB half
 * applies.
 */
static void test_stale_tlb(void)
{
	bool cpu_lengths = exits_vmcall || exits_nrip;
	uint8_t *a = frames[0], *a2 = frames[1], *b = frames[2];
	uint64_t x = STALE_VA;
	int vec = NO_FAULT, tries;

	a[0] = 0xc3;					/* ret */
	memcpy(a + 0x40, "\x0f\xa2\xc3", 3);		/* cpuid; ret */
	b[0] = 0xc3;
	memcpy(b + 0x40, "\x0f\x0b", 2);		/* ud2 */
	for (tries = 0; !cpu_lengths && tries < 5; tries++) {
		CHECK_EQ(map_2m(x, (uint64_t)a), 0);
		call_at(x);
		remap_2m_stale(x, (uint64_t)b);
		vec = catch_fault(run_at, (void *)(x + 0x40));
		if (vec != X86_EXC_UD)
			break;
	}
	if (!cpu_lengths) {
		CHECK_EQ(vec, X86_EXC_GP);
		CHECK(last_fault.rip == x + 0x40);
	}
	/* The same with OUTSB, whose operands come from the decoding. */
	stale_outs(a, b);
	for (tries = 0; tries < 5; tries++) {
		CHECK_EQ(map_2m(x, (uint64_t)a), 0);
		call_at(x);
		remap_2m_stale(x, (uint64_t)b);
		vec = catch_fault(run_at, (void *)(x + 0x80));
		if (vec != X86_EXC_UD)
			break;
	}
	check_eq("stale outsb: vec == X86_EXC_GP", vec, X86_EXC_GP);
	check(last_fault.rip == x + 0x89,
	      "stale outsb: last_fault.rip == x + 0x89");
	if (cpu_lengths)
		goto out;
	/* Not present any more: #PF at the instruction. */
	CHECK_EQ(map_2m(x, (uint64_t)a), 0);
	call_at(x);
	remap_2m_stale(x, 0);
	CHECK_EQ(catch_fault(run_at, (void *)(x + 0x40)), X86_EXC_PF);
	CHECK(last_fault.cr2 == x + 0x40);
	/* CPUID across two pages, the second gone: #PF on the second. */
	a[PAGE_SIZE_2M - 0x10] = 0xc3;
	a[PAGE_SIZE_2M - 1] = 0x0f;
	memcpy(a2, "\xa2\xc3", 2);
	a2[0x10] = 0xc3;
	CHECK_EQ(map_2m(x, (uint64_t)a), 0);
	CHECK_EQ(map_2m(x + PAGE_SIZE_2M, (uint64_t)a2), 0);
	call_at(x + PAGE_SIZE_2M - 0x10);
	call_at(x + PAGE_SIZE_2M + 0x10);
	remap_2m_stale(x + PAGE_SIZE_2M, 0);
	CHECK_EQ(catch_fault(run_at, (void *)(x + PAGE_SIZE_2M - 1)),
		 X86_EXC_PF);
	CHECK(last_fault.cr2 == x + PAGE_SIZE_2M);
out:
	unmap_2m(x);
	unmap_2m(x + PAGE_SIZE_2M);
}

static const struct test tests[] = {
	TEST(registers),
	TEST(prefixed),
	TEST(single_step),
	TEST(missing_insns),
	TEST(user_mode),
	TEST(smap),
	TEST(outs_addr32),
	TEST(outs_fs),
	TEST(rep_ins_fault),
	TEST(rep_not_ram),
	TEST(rep_long),
	TEST(stale_tlb),
};

static bool arg_is(const char *name, const char *val)
{
	char v[4];

	return cmdline_arg(name, v, sizeof(v)) && !strcmp(v, val);
}

/*
 * NAME=no leaves a test out. invd=no: QEMU 7.2 reports INVD's exit as
 * WBINVD's, and Xen 4.17, which without NRIP save checks the
 * instruction against the exit, then fails the guest (make xen-compare
 * runs both sides so). singlestep=no: Bochs 2.7's SVM keeps the
 * single-step trap of an intercepted instruction pending across the
 * #VMEXIT and delivers it to the host (tests/boot/bochs.py). nrip=yes:
 * the SVM CPU has NRIP save (test_stale_tlb()).
 */

void guest_main(void)
{
	exits_vmcall = strcmp(hypercall_insn_name(), "vmmcall") != 0;
	exits_invd = !arg_is("invd", "no");
	exits_single_step = !arg_is("singlestep", "no");
	exits_nrip = arg_is("nrip", "yes");
	RUN_TESTS(tests);
}
