// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness.h"
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/smp.h>
#include <lamina/time.h>

char harness_log[65536];
static size_t log_len;
char harness_panic_msg[512];
jmp_buf *harness_panic_jmp;
uintptr_t directmap_base;
unsigned int nr_cpus_online = 1;
bool harness_irq_enabled = true;

static void *mem_block;
static size_t mem_size;

void harness_log_clear(void)
{
	log_len = 0;
	harness_log[0] = 0;
}

int harness_log_has(const char *text)
{
	return strstr(harness_log, text) != NULL;
}

void vprintk(const char *fmt, va_list ap)
{
	int n = vsnprintf(harness_log + log_len, sizeof(harness_log) - log_len,
			  fmt, ap);

	if (n > 0)
		log_len = strnlen(harness_log, sizeof(harness_log) - 1);
	if (getenv("UNIT_VERBOSE"))
		fputs(harness_log + (log_len - (n > 0 ? (size_t)n : 0)), stderr);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(harness_panic_msg, sizeof(harness_panic_msg), fmt, ap);
	va_end(ap);
	if (harness_panic_jmp)
		longjmp(*harness_panic_jmp, 1);
	ck_abort_msg("unexpected panic: %s", harness_panic_msg);
	abort();
}

__thread unsigned int harness_cpu;

unsigned int smp_processor_id(void)
{
	return harness_cpu;
}

long long harness_now;

s_time_t NOW(void)
{
	return harness_now;
}

void *harness_machine_memory(unsigned long long base, size_t size)
{
	harness_machine_memory_free();
	mem_block = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ck_assert_ptr_ne(mem_block, MAP_FAILED);
	mem_size = size;
	directmap_base = (uintptr_t)mem_block - (uintptr_t)base;
	return mem_block;
}

void harness_machine_memory_free(void)
{
	if (mem_block)
		munmap(mem_block, mem_size);
	mem_block = NULL;
}
