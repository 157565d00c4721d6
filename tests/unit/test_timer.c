// SPDX-License-Identifier: GPL-2.0
/*
 * kill_timer() (common/timer.c): a timer whose function is running on
 * its CPU (a thread here) is waited for, so that its memory can go.
 */
#include <pthread.h>
#include <unistd.h>

#include "harness.h"
#include <lamina/softirq.h>
#include <lamina/timer.h>

static struct timer t;
static int started, release, finished, killed;

static void slow(void *data __unused)
{
	__atomic_store_n(&started, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&release, __ATOMIC_SEQ_CST))
		usleep(100);
	__atomic_store_n(&finished, 1, __ATOMIC_SEQ_CST);
}

/* CPU 1: its softirqs, which run the timer. */
static void *cpu1(void *arg __unused)
{
	harness_cpu = 1;
	do_softirq();
	return NULL;
}

/* CPU 2: kill_timer() while the function runs. */
static void *cpu2(void *arg __unused)
{
	harness_cpu = 2;
	kill_timer(&t);
	ck_assert(__atomic_load_n(&finished, __ATOMIC_SEQ_CST));
	__atomic_store_n(&killed, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

START_TEST(kill_waits_for_running_function)
{
	pthread_t c1, c2;

	timers_init();
	timer_init(&t, slow, NULL, 1);
	set_timer(&t, 0);		/* due now: runs at CPU 1's softirq */
	ck_assert_int_eq(pthread_create(&c1, NULL, cpu1, NULL), 0);
	while (!__atomic_load_n(&started, __ATOMIC_SEQ_CST))
		usleep(100);
	ck_assert_int_eq(pthread_create(&c2, NULL, cpu2, NULL), 0);
	usleep(20000);
	ck_assert(!__atomic_load_n(&killed, __ATOMIC_SEQ_CST));
	__atomic_store_n(&release, 1, __ATOMIC_SEQ_CST);
	pthread_join(c2, NULL);
	pthread_join(c1, NULL);
	ck_assert(killed);
}
END_TEST

static int fired;

static void count(void *data __unused)
{
	fired++;
}

/* A queued timer is taken off its queue: it never fires. */
START_TEST(kill_dequeues)
{
	timers_init();
	timer_init(&t, count, NULL, 0);
	set_timer(&t, 0);
	ck_assert(t.active);
	kill_timer(&t);
	ck_assert(!t.active);
	do_softirq();
	ck_assert_int_eq(fired, 0);
	kill_timer(&t);			/* idle: returns at once */
}
END_TEST

SUITE(timer)
{
	Suite *s = suite_create("timer");
	TCase *tc = tcase_create("kill");

	tcase_add_test(tc, kill_waits_for_running_function);
	tcase_add_test(tc, kill_dequeues);
	suite_add_tcase(s, tc);
	return s;
}
