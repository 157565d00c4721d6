// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels under concurrency: threads are CPUs (harness_cpu is
 * per thread), each running one vCPU of a domain that sends events and
 * takes its own upcalls the way Linux's 2-level code does, or a vCPU of
 * another domain sending through interdomain channels; meanwhile ports
 * are masked and unmasked. In the end no event may be lost (every send
 * was seen by the vCPU the port is bound to) and none made up (a port
 * is never taken more often than it was sent).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "event_env.h"
#include "hvm_env.h"
#include "../../hypervisor/common/event_channel.h"
#include <lamina/errno.h>

#define A_VCPUS		3		/* the receiving domain, id 3 */
#define B_VCPUS		1		/* d2, sending interdomain */
#define IPIS_PER_VCPU	24
#define LINKS_PER_VCPU	24
#define SENDS		10000

struct port_stats {
	unsigned long sent;	/* atomic: incremented before each send */
	unsigned long seen;	/* the bound vCPU's thread only */
	unsigned long taken;	/* the bound vCPU's thread only */
};

static struct domain *a;
static struct port_stats stats[EVTCHN_2L_NR_CHANNELS];
static uint8_t owner[EVTCHN_2L_NR_CHANNELS];	/* A's vCPU, 0xff: none */
static evtchn_port_t ipis[A_VCPUS * IPIS_PER_VCPU];
static evtchn_port_t b_ends[A_VCPUS * LINKS_PER_VCPU];	/* d2's ports */
static evtchn_port_t a_ends[A_VCPUS * LINKS_PER_VCPU];
static pthread_barrier_t start;

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Linux's upcall (events_2l.c): clear upcall_pending, take the
 * selector, and for each word, the pending, unmasked ports bound to
 * this vCPU; acknowledge each (clear its pending bit) before handling.
 */
static void upcall(unsigned int vcpu)
{
	struct vcpu_info *vi = a->vcpu[vcpu]->vcpu_info;
	struct shared_info *s = a->shared_info;
	unsigned long sel, bits;

	if (!__atomic_exchange_n(&vi->evtchn_upcall_pending, 0,
				 __ATOMIC_SEQ_CST))
		return;
	sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	while (sel) {
		unsigned int w = __builtin_ctzl(sel);

		sel &= sel - 1;
		bits = __atomic_load_n(&s->evtchn_pending[w],
				       __ATOMIC_SEQ_CST) &
		       ~__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_SEQ_CST);
		while (bits) {
			unsigned int p = w * 64 + __builtin_ctzl(bits);
			unsigned long m = 1UL << (p % 64);

			bits &= bits - 1;
			if (owner[p] != vcpu)
				continue;
			if (!(__atomic_fetch_and(&s->evtchn_pending[w], ~m,
						 __ATOMIC_SEQ_CST) & m))
				continue;
			stats[p].taken++;
			stats[p].seen = __atomic_load_n(&stats[p].sent,
							__ATOMIC_SEQ_CST);
		}
	}
}

static void send_counted(struct domain *d, evtchn_port_t port,
			 evtchn_port_t counted)
{
	__atomic_add_fetch(&stats[counted].sent, 1, __ATOMIC_SEQ_CST);
	ck_assert_int_eq(evtchn_send(d, port), 0);
}

struct thread {
	pthread_t t;
	unsigned int cpu;
	unsigned int vcpu;	/* of A, or of d2 (cpu >= A_VCPUS) */
};

/* One of A's vCPUs: IPIs to any vCPU, its own upcalls, and masking and
 * unmasking (by hypercall) one of its own ports now and then. */
static void *a_vcpu(void *arg)
{
	struct thread *th = arg;
	uint64_t rnd = 0x9e3779b97f4a7c15ULL * (th->cpu + 1);
	evtchn_port_t masked = 0;
	unsigned int i;

	harness_cpu = th->cpu;
	pthread_barrier_wait(&start);
	for (i = 0; i < SENDS; i++) {
		evtchn_port_t p = ipis[xorshift(&rnd) % ARRAY_SIZE(ipis)];

		send_counted(a, p, p);
		upcall(th->vcpu);
		if (i == SENDS - 500 && !masked) {
			/* Masked until the end: unmasking it then is all
			 * that raises it. */
			masked = ipis[th->vcpu * IPIS_PER_VCPU +
				      xorshift(&rnd) % IPIS_PER_VCPU];
			ev_mask(a, masked);
		} else if (i % 97 == 0 && i < SENDS - 500) {
			if (masked) {
				ck_assert_int_eq(evtchn_unmask(a, masked), 0);
				masked = 0;
			} else {
				masked = ipis[th->vcpu * IPIS_PER_VCPU +
					      xorshift(&rnd) % IPIS_PER_VCPU];
				ev_mask(a, masked);
			}
		}
	}
	/* Every send is done. Take what is there, then unmask: that
	 * alone must raise the masked port if it is pending. */
	pthread_barrier_wait(&start);
	upcall(th->vcpu);
	pthread_barrier_wait(&start);
	if (masked)
		ck_assert_int_eq(evtchn_unmask(a, masked), 0);
	pthread_barrier_wait(&start);
	upcall(th->vcpu);
	return NULL;
}

/* One of d2's vCPUs: sends through the interdomain channels. */
static void *b_vcpu(void *arg)
{
	struct thread *th = arg;
	uint64_t rnd = 0x2545f4914f6cdd1dULL * (th->cpu + 1);
	unsigned int i;

	harness_cpu = th->cpu;
	pthread_barrier_wait(&start);
	for (i = 0; i < SENDS; i++) {
		unsigned int k = xorshift(&rnd) % ARRAY_SIZE(b_ends);

		send_counted(d2, b_ends[k], a_ends[k]);
	}
	pthread_barrier_wait(&start);
	pthread_barrier_wait(&start);
	pthread_barrier_wait(&start);
	return NULL;
}

static void setup(void)
{
	unsigned int v, i;

	event_env_setup();
	a = ev_domain(3, A_VCPUS, false, true);
	memset(stats, 0, sizeof(stats));
	memset(owner, 0xff, sizeof(owner));
	for (v = 0; v < A_VCPUS; v++) {
		for (i = 0; i < IPIS_PER_VCPU; i++) {
			struct evtchn_bind_ipi b = { .vcpu = v };

			ck_assert_int_eq(evtchn_bind_ipi(a->vcpu[0], &b), 0);
			ipis[v * IPIS_PER_VCPU + i] = b.port;
			owner[b.port] = v;
		}
		for (i = 0; i < LINKS_PER_VCPU; i++) {
			struct evtchn_alloc_unbound u = { .dom = DOMID_SELF,
							  .remote_dom = 3 };
			struct evtchn_bind_interdomain b = { .remote_dom = 2 };
			unsigned int k = v * LINKS_PER_VCPU + i;

			ck_assert_int_eq(evtchn_alloc_unbound(d2->vcpu[0], &u),
					 0);
			b.remote_port = u.port;
			ck_assert_int_eq(evtchn_bind_interdomain(a->vcpu[0],
								 &b), 0);
			ck_assert_int_eq(evtchn_bind_vcpu(a, b.local_port, v),
					 0);
			ev_clear(a, b.local_port);	/* the bind's event */
			b_ends[k] = u.port;
			a_ends[k] = b.local_port;
			owner[b.local_port] = v;
		}
	}
	ev_ack_all(a);
}

static void teardown(void)
{
	event_env_teardown();
}

/* Every port of A: nothing left pending, everything sent was seen by
 * its vCPU, nothing taken twice for one send. */
static void check_stats(void)
{
	unsigned long sent = 0, taken = 0;
	unsigned int p;

	for (p = 1; p < a->evtchn->nr_ports; p++) {
		if (owner[p] == 0xff)
			continue;
		ck_assert_msg(!ev_pending(a, p), "port %u still pending", p);
		ck_assert_msg(stats[p].seen == stats[p].sent,
			      "port %u: sent %lu, last seen %lu", p,
			      stats[p].sent, stats[p].seen);
		ck_assert_msg(stats[p].taken <= stats[p].sent,
			      "port %u: sent %lu, taken %lu", p,
			      stats[p].sent, stats[p].taken);
		sent += stats[p].sent;
		taken += stats[p].taken;
	}
	ck_assert_uint_eq(sent, (A_VCPUS + B_VCPUS) * SENDS);
	ck_assert_uint_gt(taken, 0);
}

START_TEST(no_lost_or_made_up_events)
{
	struct thread th[A_VCPUS + B_VCPUS];
	unsigned int i;

	pthread_barrier_init(&start, NULL, A_VCPUS + B_VCPUS);
	for (i = 0; i < A_VCPUS + B_VCPUS; i++) {
		th[i].cpu = i;
		th[i].vcpu = i < A_VCPUS ? i : i - A_VCPUS;
		ck_assert_int_eq(pthread_create(&th[i].t, NULL,
						i < A_VCPUS ? a_vcpu : b_vcpu,
						&th[i]), 0);
	}
	for (i = 0; i < A_VCPUS + B_VCPUS; i++)
		pthread_join(th[i].t, NULL);
	pthread_barrier_destroy(&start);
	check_stats();
}
END_TEST

/*
 * Channels closed and connected again from both ends (so the two
 * domains' locks are taken in both orders) while others send on them:
 * no deadlock, no broken channel, every send returns 0 or -EINVAL (a
 * port closed at that moment), and what remains is consistent.
 */
static void *churn_a(void *arg)
{
	struct thread *th = arg;
	unsigned int i, k;

	harness_cpu = th->cpu;
	pthread_barrier_wait(&start);
	for (i = 0; i < 2000; i++) {
		k = i % LINKS_PER_VCPU;		/* vCPU 0's links */
		if (evtchn_close(a, a_ends[k]) == 0) {
			struct evtchn_bind_interdomain b = {
				.remote_dom = 2, .remote_port = b_ends[k] };

			/* d2's end is unbound now, waiting for A. */
			ck_assert_int_eq(evtchn_bind_interdomain(a->vcpu[0],
								 &b), 0);
			__atomic_store_n(&a_ends[k], b.local_port,
					 __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

static void *churn_b(void *arg)
{
	struct thread *th = arg;
	uint64_t rnd = 77 + th->cpu;
	unsigned int i;

	harness_cpu = th->cpu;
	pthread_barrier_wait(&start);
	for (i = 0; i < 20000; i++) {
		unsigned int k = xorshift(&rnd) % ARRAY_SIZE(b_ends);
		int rc = evtchn_send(d2, b_ends[k]);
		struct evtchn_status s = {
			.dom = 3,
			.port = __atomic_load_n(&a_ends[k], __ATOMIC_RELAXED) };

		ck_assert(rc == 0);	/* unbound or connected: never free */
		if (th->cpu == A_VCPUS)
			evtchn_status(d0->vcpu[0], &s);
	}
	return NULL;
}

START_TEST(close_and_connect_while_sending)
{
	struct thread th[3] = { { .cpu = 0 }, { .cpu = A_VCPUS },
				{ .cpu = A_VCPUS + 1 } };
	unsigned int k;

	pthread_barrier_init(&start, NULL, 3);
	ck_assert_int_eq(pthread_create(&th[0].t, NULL, churn_a, &th[0]), 0);
	ck_assert_int_eq(pthread_create(&th[1].t, NULL, churn_b, &th[1]), 0);
	ck_assert_int_eq(pthread_create(&th[2].t, NULL, churn_b, &th[2]), 0);
	for (k = 0; k < 3; k++)
		pthread_join(th[k].t, NULL);
	pthread_barrier_destroy(&start);
	for (k = 0; k < ARRAY_SIZE(b_ends); k++) {
		struct evtchn_status s = { .dom = 2, .port = b_ends[k] };

		ck_assert_int_eq(evtchn_status(d0->vcpu[0], &s), 0);
		ck_assert_uint_eq(s.status, EVTCHNSTAT_interdomain);
		ck_assert_uint_eq(s.u.interdomain.dom, 3);
		ck_assert_uint_eq(s.u.interdomain.port, a_ends[k]);
	}
}
END_TEST

SUITE(event_smp)
{
	Suite *s = suite_create("event_smp");
	TCase *tc = tcase_create("threads");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, no_lost_or_made_up_events);
	tcase_add_test(tc, close_and_connect_while_sending);
	suite_add_tcase(s, tc);
	return s;
}
