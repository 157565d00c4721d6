// SPDX-License-Identifier: GPL-2.0
/*
 * __start_lamina: the boot CPU's path from head.S to the idle loop.
 *
 *   descriptor tables -> boot info -> command line -> serial console ->
 *   boot allocator -> page tables -> page allocator -> ACPI -> APICs ->
 *   time and timers -> HVM back end, scheduler -> secondary CPUs ->
 *   boot domains built, then started -> the idle loop
 */
#include <lamina/boot_domains.h>
#include <lamina/bootmem.h>
#include <lamina/console.h>
#include <lamina/debug.h>
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/page_alloc.h>
#include <lamina/param.h>
#include <lamina/sched.h>
#include <lamina/serial.h>
#include <lamina/serial_input.h>
#include <lamina/smp.h>
#include <lamina/time.h>
#include <lamina/timer.h>
#include <asm/apic.h>
#include <asm/hvm/hvm.h>
#include <asm/irq.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/time.h>
#include <asm/traps.h>

struct boot_info boot_info;
struct acpi_info acpi;

static struct percpu bsp_percpu;
static char string_pool[16384];
static size_t string_pool_used;
static uint8_t rsdp_copy[64];

extern char __image_start[], __image_end_phys[];

void serial_set_defaults(void);
void serial_init(void);
void serial_rx_start(void);
void smp_reserve_trampoline(void);
void smp_init_vectors(void);
void hwtimer_init(void);
void hwtimer_init_cpu(void);
int timer_check(void);

/* Before paging_init: the boot page tables identity-map the low 4 GiB. */
static const void *map_identity(uint64_t maddr, size_t len, void *ctx)
{
	if (maddr + len < maddr || maddr + len > GiB(4))
		return NULL;
	return (const void *)(uintptr_t)maddr;
}

/* After paging_init: the direct map covers every memory-map region. */
static const void *map_direct(uint64_t maddr, size_t len, void *ctx)
{
	if (maddr + len < maddr || maddr + len > DIRECTMAP_VIRT_SIZE)
		return NULL;
	return maddr_to_virt(maddr);
}

static const char *pool_strdup(const char *s)
{
	size_t len = strlen(s) + 1;
	char *d = string_pool + string_pool_used;

	if (len > sizeof(string_pool) - string_pool_used) {
		printk("(lamina) boot strings too long: one truncated to \"\"\n");
		return "";
	}
	memcpy(d, s, len);
	string_pool_used += len;
	return d;
}

/*
 * Make boot_info self-contained: its strings and RSDP copy pointed into
 * the loader's memory, which the allocators are about to hand out.
 */
static void boot_info_take(struct boot_info *bi)
{
	unsigned int i;

	bi->cmdline = pool_strdup(bi->cmdline);
	bi->loader_name = pool_strdup(bi->loader_name);
	for (i = 0; i < bi->nr_modules; i++)
		bi->modules[i].string = pool_strdup(bi->modules[i].string);
	if (bi->rsdp && bi->rsdp_len <= sizeof(rsdp_copy)) {
		memcpy(rsdp_copy, bi->rsdp, bi->rsdp_len);
		bi->rsdp = rsdp_copy;
	} else {
		bi->rsdp = NULL;
		bi->rsdp_len = 0;
	}
}

/* Constructors of the linked static libraries (liblzma picks its CRC64
 * routine with CPUID in one). They need nothing but the CPU. */
static void run_constructors(void)
{
	extern void (*const __init_array_start[])(void);
	extern void (*const __init_array_end[])(void);
	void (*const *fn)(void);

	for (fn = __init_array_start; fn < __init_array_end; fn++)
		(*fn)();
}

static void add_free_range(paddr_t start, paddr_t end, void *ctx)
{
	page_alloc_add_free(PFN_DOWN(start), PFN_DOWN(end - start));
}

/* Boot allocator, page tables, then the page allocator over what is left. */
static void memory_init(struct boot_info *bi)
{
	paddr_t image = (uintptr_t)__image_start, top = 0, ft;
	unsigned long nr_frames, ft_size;
	unsigned int i;

	bootmem_init();
	for (i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_region *m = &bi->mem[i];

		if (m->type != E820_RAM)
			continue;
		bootmem_add(m->base, m->base + m->len);
		top = MAX(top, m->base + m->len);
	}
	bootmem_reserve(0, PAGE_SIZE);		/* real-mode IVT, BDA */
	bootmem_reserve(image, (uintptr_t)__image_end_phys);
	for (i = 0; i < bi->nr_modules; i++)
		bootmem_reserve(bi->modules[i].start, bi->modules[i].end);
	smp_reserve_trampoline();
	paging_init(bi);

	nr_frames = PFN_UP(top);
	ft_size = ALIGN_UP(nr_frames * sizeof(struct page_info), PAGE_SIZE);
	ft = bootmem_alloc(ft_size, PAGE_SIZE, BOOTMEM_NO_LIMIT);
	if (!ft)
		panic("no memory for the frame table (%lu frames)", nr_frames);
	page_alloc_init(maddr_to_virt(ft), nr_frames);
	bootmem_handover(add_free_range, NULL);
	paging_use_page_alloc();
}

/* RAM, what is free, and what the image, modules and tables took. */
static void print_memory(const struct boot_info *bi)
{
	uint64_t ram = 0, free = page_alloc_free_pages() * PAGE_SIZE;
	unsigned int i;

	for (i = 0; i < bi->nr_mem; i++)
		if (bi->mem[i].type == E820_RAM)
			ram += bi->mem[i].len;
	printk("(lamina) memory: %lu MiB RAM, %lu MiB free, %lu KiB reserved\n",
	       ram >> 20, free >> 20, (ram - free) >> 10);
}

static void print_date(uint64_t t)
{
	uint64_t days = t / 86400, rem = t % 86400;
	unsigned int y = 1970, m = 0;
	static const uint8_t mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
					   30, 31, 30, 31 };

	for (;;) {
		unsigned int ylen = (y % 4 == 0 && (y % 100 || y % 400 == 0)) ?
				    366 : 365;

		if (days < ylen)
			break;
		days -= ylen;
		y++;
	}
	for (; m < 12; m++) {
		unsigned int ml = mdays[m] + (m == 1 && ((y % 4 == 0 &&
				  (y % 100 || y % 400 == 0))));

		if (days < ml)
			break;
		days -= ml;
	}
	printk("(lamina) date: %04u-%02u-%02lu %02lu:%02lu:%02lu UTC (from the "
	       "RTC)\n", y, m + 1, days + 1, rem / 3600, rem / 60 % 60,
	       rem % 60);
}

static void platform_init(void)
{
	int rc = acpi_parse(map_direct, NULL, &boot_info, &acpi);

	if (rc)
		printk("(lamina) ACPI unusable (%d): one CPU, no power-off\n",
		       rc);
	acpi_info_print(&acpi);
	pic_disable();
	apic_map(acpi.lapic_maddr ? acpi.lapic_maddr : 0xfee00000);
	lapic_init_cpu();
	bsp_percpu.apic_id = lapic_id();
	ioapic_mask_all();
	time_init();
	hwtimer_init();
	hwtimer_init_cpu();
	timers_init();
	smp_init_vectors();
	boot_wallclock = rtc_read_unix();
	boot_wallclock_stime = NOW();
	if (boot_wallclock)
		print_date(boot_wallclock);
}

void __noreturn __start_lamina(uint32_t magic, uint32_t info);
void __noreturn __start_lamina(uint32_t magic, uint32_t info)
{
	int rc;

	idt_init();
	cpu_tables_init(&bsp_percpu);
	nr_cpus_online = 1;
	run_constructors();
	serial_set_defaults();
	rc = boot_info_parse(magic, info, map_identity, NULL, &boot_info);
	boot_info_take(&boot_info);
	cmdline_parse(cmdline_strip_path(boot_info.cmdline), __param_start,
		      __param_end);
	serial_init();
	printk("(lamina) Lamina " LAMINA_VERSION " (x86-64, %s build)\n",
	       IS_DEBUG ? "debug" : "release");
	if (rc)
		panic("no usable multiboot information (magic %#x): cannot "
		      "boot", magic);
	boot_info_print(&boot_info);
	memory_init(&boot_info);
	print_memory(&boot_info);
	platform_init();
	serial_input_init();
	serial_rx_start();

	hvm_init();
	sched_init();

	local_irq_enable();
	smp_boot_cpus();
	if (timer_check())
		panic("timers do not work on every CPU");
	printk("(lamina) %u CPUs online, %lu MiB free\n", nr_cpus_online,
	       (page_alloc_free_pages() * PAGE_SIZE) >> 20);
	debug_crash_test();

	domains_init();
	if (!boot_domains_create(&boot_info)) {
		printk("(lamina) no domains left\n");
		machine_power_off();
	}
	sched_idle_loop();
}
