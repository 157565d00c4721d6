/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host harness for unit tests: the real hypervisor sources are compiled
 * for the host and linked against Check and this file, which supplies the
 * few services they expect from the rest of the hypervisor (printk, panic,
 * the CPU number, the direct map).
 */
#ifndef TESTS_UNIT_HARNESS_H
#define TESTS_UNIT_HARNESS_H

#include <check.h>
#include <setjmp.h>
#include <stddef.h>

/* Everything printk() wrote since the last harness_log_clear(). */
extern char harness_log[65536];
void harness_log_clear(void);
/* True if the log contains this text. */
int harness_log_has(const char *text);

/* The message of the last panic(). */
extern char harness_panic_msg[512];
extern jmp_buf *harness_panic_jmp;

/*
 * EXPECT_PANIC(stmt): run stmt, which must call panic(); the test goes on
 * after it. A panic outside EXPECT_PANIC fails the test.
 */
#define EXPECT_PANIC(stmt) do {						\
	jmp_buf jb__;							\
	harness_panic_msg[0] = 0;					\
	harness_panic_jmp = &jb__;					\
	if (setjmp(jb__) == 0) {					\
		stmt;							\
		harness_panic_jmp = NULL;				\
		ck_abort_msg("expected a panic from: %s", #stmt);	\
	}								\
	harness_panic_jmp = NULL;					\
} while (0)

/*
 * A block of host memory standing in for machine memory from machine
 * address base: sets directmap_base so that maddr_to_virt(base) is the
 * block's first byte. Returns the block (page aligned, zeroed).
 */
void *harness_machine_memory(unsigned long long base, size_t size);
void harness_machine_memory_free(void);

/* What smp_processor_id() returns (0 unless a test simulates CPUs); per
 * thread, so that threads of a test are different CPUs. */
extern __thread unsigned int harness_cpu;

/* What NOW() returns: system time, which tests advance by hand. */
extern long long harness_now;

/* Each suite is a function returning a Check suite (listed in suites.h). */
#define SUITE(name) Suite *name##_suite(void)

#endif /* TESTS_UNIT_HARNESS_H */
