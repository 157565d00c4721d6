// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU-mode test guest: what a kernel does to its control registers
 * on the way from the PVH start state (32-bit, paging off) to long mode,
 * checked against what a real CPU does. Under VMX the hypervisor owns
 * some CR0/CR4 bits (CR0.NE, CR4.VMXE...) and emulates a write that
 * changes one of them; a write changing only guest-owned bits runs on
 * the hardware. The tests take both ways on purpose (CR0.NE flips or
 * not), so each hypervisor path is compared with the hardware's:
 *
 *   - CR4.VMXE cannot be set (#GP): the guest sees no VMX (Intel);
 *   - CR0 with NW but not CD, or PG without PE, raises #GP (Intel);
 *   - VMXOFF raises #UD;
 *   - WRMSR EFER with a reserved bit raises #GP; EFER.LME reads back;
 *   - XSETBV (it always exits under VMX) refuses a bad XCR0 or XCR1
 *     (#GP) and sets a good XCR0;
 *   - PAE paging by an emulated CR0 write (NE and PG together): the
 *     PDPTEs come from the guest's table; an alias mapping proves it;
 *   - a PDPTE with a reserved bit makes the paging CR0 write #GP (Intel);
 *   - long mode by an emulated CR0 write (EFER.LMA set in 64-bit code),
 *     out through compatibility mode with CR0.PG alone (LMA clear), and
 *     back in with CR0.PG alone (head.S), then SCHEDOP_shutdown.
 *
 * Output: "cpumodes: NAME: ok" lines, "FAIL: ..." for any mismatch, and
 * "cpumodes: PASS" (or FAIL) from 64-bit code before powering off.
 * Under SVM no CR write exits: the same tests then check the hardware
 * (the emulator's) paths and the EFER MSR handling.
 */
#include <stdint.h>
#include <xen/xen.h>

#define CR0_PE		0x00000001u
#define CR0_ET		0x00000010u
#define CR0_NE		0x00000020u
#define CR0_NW		0x20000000u
#define CR0_CD		0x40000000u
#define CR0_PG		0x80000000u
#define CR4_PAE		0x00000020u
#define CR4_VMXE	0x00002000u
#define CR4_OSXSAVE	0x00040000u
#define CPUID1_XSAVE	(1u << 26)
#define MSR_EFER	0xc0000080u
#define EFER_LME	0x00000100u
#define EFER_LMA	0x00000400u
#define PTE_P		1u
#define PTE_RW		2u
#define PTE_PS		0x80u
#define ALIAS		0x40000000u	/* 1 GiB: an alias of 0 - 1 GiB */
#define TRAP_UD		6
#define TRAP_GP		13

int on_intel;
int failures;

int try_mov_cr0(uint32_t val);
int try_mov_cr4(uint32_t val);
int try_vmxoff(void);
int try_wrmsr(uint32_t msr, uint32_t lo, uint32_t hi);
int try_xsetbv(uint32_t xcr, uint32_t lo, uint32_t hi);
void enter_long(uint32_t cr0) __attribute__((noreturn));
void guest_main(void);
void back_in_32(void);

/* 2 MiB pages over the first GiB, shared by every table below. */
static uint64_t pd[512] __attribute__((aligned(4096)));
static uint64_t pdpt[4] __attribute__((aligned(32)));
static uint64_t bad_pdpt[4] __attribute__((aligned(32)));
static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t pdpt64[512] __attribute__((aligned(4096)));

static long hypercall3(unsigned int nr, unsigned long a1, unsigned long a2,
		       unsigned long a3)
{
	long ret = nr;

	if (on_intel)
		__asm__ __volatile__("vmcall"
				     : "+a"(ret), "+b"(a1), "+c"(a2), "+d"(a3)
				     : : "memory");
	else
		__asm__ __volatile__("vmmcall"
				     : "+a"(ret), "+b"(a1), "+c"(a2), "+d"(a3)
				     : : "memory");
	return ret;
}

static void print(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, n,
		   (unsigned long)s);
}

static void check(int ok, const char *what)
{
	print(ok ? "cpumodes: " : "FAIL: ");
	print(what);
	print(ok ? ": ok\n" : "\n");
	failures += !ok;
}

static uint32_t read_cr0(void)
{
	uint32_t v;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}

static uint32_t read_cr4(void)
{
	uint32_t v;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void write_cr3(uint32_t v)
{
	__asm__ __volatile__("mov %0, %%cr3" :: "r"(v) : "memory");
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t xgetbv(uint32_t xcr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return ((uint64_t)hi << 32) | lo;
}

static int cpu_is_intel(void)
{
	uint32_t a = 0, b, c, d;

	__asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e;
}

static void build_tables(void)
{
	unsigned int i;

	for (i = 0; i < 512; i++)
		pd[i] = ((uint64_t)i << 21) | PTE_PS | PTE_RW | PTE_P;
	/* PAE PDPTEs have no RW bit: bit 1 is reserved there. */
	pdpt[0] = pdpt[1] = (uint32_t)pd | PTE_P;
	bad_pdpt[0] = (uint32_t)pd | PTE_P | PTE_RW;
	pdpt64[0] = (uint32_t)pd | PTE_RW | PTE_P;
	pml4[0] = (uint32_t)pdpt64 | PTE_RW | PTE_P;
}

/*
 * Control-register writes that must fault. The VMX back end emulates
 * these when they change a host-owned bit (CR0.NE flips in each, for
 * that). The SVM back end intercepts no CR write, so under SVM they
 * would only test QEMU 7.2's TCG, which gets them wrong: a reserved CR4
 * bit (VMXE on AMD) gives VMEXIT_INVALID instead of #GP, CR0.NW without
 * CD is accepted and the next VMRUN fails. Intel CPUs only, then.
 */
static void test_cr_faults(void)
{
	uint32_t cr0 = read_cr0(), cr4 = read_cr4();

	check(try_mov_cr4(cr4 | CR4_VMXE) == TRAP_GP &&
	      !(read_cr4() & CR4_VMXE), "CR4.VMXE refused (#GP)");
	check(try_mov_cr0((cr0 ^ CR0_NE) | CR0_NW) == TRAP_GP &&
	      read_cr0() == cr0, "CR0.NW without CD refused (#GP)");
	check(try_mov_cr0(((cr0 ^ CR0_NE) & ~CR0_PE) | CR0_PG) == TRAP_GP &&
	      read_cr0() == cr0, "CR0.PG without PE refused (#GP)");
}

/* XSETBV (it always exits under VMX): a CPU's checks, then XCR0 set. */
static void test_xsetbv(void)
{
	uint32_t a = 1, b, c, d = 0;

	__asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "=c"(c), "+d"(d));
	if (!(c & CPUID1_XSAVE)) {
		print("cpumodes: no XSAVE: XSETBV not tested\n");
		return;
	}
	try_mov_cr4(read_cr4() | CR4_OSXSAVE);
	check(try_xsetbv(0, 2, 0) == TRAP_GP && xgetbv(0) == 1,
	      "XSETBV of XCR0 without x87 refused (#GP)");
	check(try_xsetbv(1, 1, 0) == TRAP_GP, "XSETBV of XCR1 refused (#GP)");
	check(try_xsetbv(0, 3, 0) == 0 && xgetbv(0) == 3,
	      "XSETBV of XCR0 = x87 | SSE");
	try_xsetbv(0, 1, 0);
	try_mov_cr4(read_cr4() & ~CR4_OSXSAVE);
}

static void test_pae(void)
{
	static volatile uint32_t probe = 0x12345678;
	volatile uint32_t *alias = (volatile uint32_t *)((uint32_t)&probe +
							 ALIAS);
	uint32_t cr0 = read_cr0();

	try_mov_cr4(read_cr4() | CR4_PAE);
	write_cr3((uint32_t)pdpt);
	/* NE and PG together: emulated under VMX, PDPTEs from pdpt. */
	check(try_mov_cr0(cr0 | CR0_NE | CR0_PG) == 0 &&
	      (read_cr0() & (CR0_NE | CR0_PG)) == (CR0_NE | CR0_PG),
	      "PAE paging through an emulated CR0 write");
	*alias = 0xcafef00d;
	check(probe == 0xcafef00d, "PAE alias mapping");
	/* PG alone: the hardware's own write under VMX too. */
	check(try_mov_cr0(read_cr0() & ~CR0_PG) == 0 &&
	      !(read_cr0() & CR0_PG), "paging off again");
	if (!on_intel)
		return;
	write_cr3((uint32_t)bad_pdpt);
	check(try_mov_cr0((read_cr0() ^ CR0_NE) | CR0_PG) == TRAP_GP &&
	      !(read_cr0() & CR0_PG), "reserved PDPTE bit refused (#GP)");
}

void guest_main(void)
{
	on_intel = cpu_is_intel();
	print("cpumodes: started\n");
	build_tables();
	if (on_intel)
		test_cr_faults();
	check(try_vmxoff() == TRAP_UD, "VMXOFF raises #UD");
	check(try_wrmsr(MSR_EFER, 2, 0) == TRAP_GP && rdmsr(MSR_EFER) == 0,
	      "EFER reserved bit refused (#GP)");
	test_xsetbv();
	test_pae();
	check(try_wrmsr(MSR_EFER, EFER_LME, 0) == 0 &&
	      rdmsr(MSR_EFER) == EFER_LME, "EFER.LME set");
	write_cr3((uint32_t)pml4);
	/*
	 * NE is set now: clearing it with PG makes the long-mode write an
	 * emulated one under VMX (EFER.LMA and the IA-32e entry control set
	 * by the hypervisor).
	 */
	enter_long((read_cr0() & ~CR0_NE) | CR0_PG);
}

/* From compatibility mode with paging turned off again (head.S). */
void back_in_32(void)
{
	check((rdmsr(MSR_EFER) & (EFER_LME | EFER_LMA)) == EFER_LME,
	      "left long mode, CR0.PG alone (EFER.LMA clear)");
}
