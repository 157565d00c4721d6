// SPDX-License-Identifier: GPL-2.0
/*
 * evtsmp: 2-level event channels used by two vCPUs of one domain at
 * once. vCPU 0 starts vCPU 1 (VCPUOP_initialise, VCPUOP_up: smp.h),
 * each takes its upcalls through its own vcpu_info, and three stresses
 * run, vCPU 1 doing its part while vCPU 0 does its own and checks:
 *
 * - ping-pong: an IPI port bound to each vCPU; each side sends to the
 *   other only after taking the other's event, ROUNDS times: with
 *   nothing coalesced, each port is taken exactly ROUNDS times, each on
 *   its own vCPU (a lost event stops the game: a bounded wait fails);
 * - flood: vCPU 1 sends FLOOD events on a port bound to vCPU 0, which
 *   masks it, waits a little for it to become pending, and unmasks it
 *   (EVTCHNOP_unmask), over and over: events coalesce, so it is taken
 *   at least once and at most FLOOD times, and nothing is left pending;
 * - moves: a channel between two ports of this domain; the vCPU the
 *   receiving port is bound to takes TAKES events, then moves it to the
 *   other (mask, take what this vCPU has, EVTCHNOP_bind_vcpu, unmask),
 *   while the other sends on it without pause, until the port has
 *   moved MOVES times. Every event must be taken on the vCPU the port
 *   was bound to when it was delivered.
 *
 * Events coalesce (two sends before the receiver takes the port count
 * once): "no lost event" means the receiver takes the port after the
 * last send, "no duplicate" that it never takes it more often than it
 * was sent. Only vCPU 0 prints.
 */
#include "guest.h"

#define ROUNDS		200
#define FLOOD		2000
#define MOVES		40
#define TAKES		3		/* events per binding, moves */
#define WAIT_CYCLES	3000000000ULL	/* a bounded wait: ~1 s or more */
#define WORD		64		/* ports per selector bit */

enum stage { IDLE, PINGPONG, FLOODING, MOVING, DOWN };

/* vCPU 0 sets stage; vCPU 1 runs its part and sets ap_done to it. */
static volatile enum stage stage, ap_done;
static uint8_t ap_stack[16384] __attribute__((aligned(16)));

/* Events taken per port, by vCPU. */
struct taken {
	unsigned long on[2];
};

static void count(evtchn_port_t port, void *arg)
{
	struct taken *t = arg;

	__atomic_add_fetch(&t->on[this_vcpu() & 1], 1, __ATOMIC_SEQ_CST);
}

static unsigned long total(const struct taken *t)
{
	return __atomic_load_n(&t->on[0], __ATOMIC_SEQ_CST) +
	       __atomic_load_n(&t->on[1], __ATOMIC_SEQ_CST);
}

/* With interrupts on, until cond holds or WAIT_CYCLES pass: cond. */
#define WAIT_FOR(cond) ({						\
	uint64_t end_ = rdtsc() + WAIT_CYCLES;				\
	bool ok_;							\
	irq_enable();							\
	while (!(ok_ = (cond)) && rdtsc() < end_)			\
		cpu_relax();						\
	ok_;								\
})

/* ---- ping-pong ------------------------------------------------------- */

static evtchn_port_t ping[2];		/* IPI ports, bound to vCPU i */
static struct taken pinged[2];
static volatile unsigned int ap_rounds;
static volatile long ap_send_errors;

static void ap_pingpong(void)
{
	unsigned int i;

	for (i = 0; i < ROUNDS; i++) {
		if (!WAIT_FOR(total(&pinged[1]) > i))
			break;
		if (evtchn_send(ping[0]))
			ap_send_errors++;
	}
	ap_rounds = i;
}

static void test_pingpong(void)
{
	unsigned int i, v;

	for (v = 0; v < 2; v++) {
		CHECK_EQ(evtchn_bind_ipi(v, &ping[v]), 0);
		evtchn_set_handler(ping[v], count, &pinged[v]);
	}
	stage = PINGPONG;
	for (i = 0; i < ROUNDS; i++) {
		if (evtchn_send(ping[1]))
			ap_send_errors++;
		if (!WAIT_FOR(total(&pinged[0]) > i))
			break;
	}
	CHECK_EQ(i, ROUNDS);
	CHECK(WAIT_FOR(ap_done == PINGPONG));
	CHECK_EQ(ap_rounds, ROUNDS);
	CHECK_EQ(ap_send_errors, 0);
	CHECK_EQ(pinged[0].on[0], ROUNDS);
	CHECK_EQ(pinged[0].on[1], 0);
	CHECK_EQ(pinged[1].on[1], ROUNDS);
	CHECK_EQ(pinged[1].on[0], 0);
	printf("evtsmp: %u round trips\n", i);
	for (v = 0; v < 2; v++) {
		CHECK(!evtchn_pending(ping[v]));
		CHECK_EQ(evtchn_close(ping[v]), 0);
	}
}

/* ---- flood ----------------------------------------------------------- */

static evtchn_port_t flood;		/* IPI port, bound to vCPU 0 */
static struct taken flooded;
static volatile unsigned int ap_sent;

static void ap_flood(void)
{
	for (; ap_sent < FLOOD; ap_sent++)
		if (evtchn_send(flood))
			ap_send_errors++;
}

static void test_flood(void)
{
	unsigned long masks = 0, unmask_errors = 0;
	uint64_t start = rdtsc(), end = start + WAIT_CYCLES;
	unsigned int spin, sent = 0;

	CHECK_EQ(evtchn_bind_ipi(0, &flood), 0);
	evtchn_set_handler(flood, count, &flooded);
	ap_send_errors = 0;
	irq_enable();
	stage = FLOODING;
	/* Bounded by vCPU 1's progress: TCG on a busy host is slow. */
	while (ap_done != FLOODING && rdtsc() < end) {
		if (sent != ap_sent) {
			sent = ap_sent;
			end = rdtsc() + WAIT_CYCLES;
		}
		evtchn_mask(flood);
		for (spin = 0; spin < 200 && !evtchn_pending(flood); spin++)
			cpu_relax();
		if (evtchn_unmask(flood))
			unmask_errors++;
		masks++;
	}
	CHECK_EQ(ap_sent, FLOOD);
	CHECK(WAIT_FOR(!evtchn_pending(flood)));
	CHECK_EQ(unmask_errors, 0);
	CHECK_EQ(ap_send_errors, 0);
	CHECK(flooded.on[0] >= 1);
	CHECK(flooded.on[0] <= FLOOD);
	CHECK_EQ(flooded.on[1], 0);
	CHECK(!evtchn_masked(flood));
	printf("evtsmp: %lu of %u flooded events taken, %lu masks, "
	       "%lu Mcycles\n", flooded.on[0], FLOOD, masks,
	       (unsigned long)((rdtsc() - start) >> 20));
	CHECK_EQ(evtchn_close(flood), 0);
}

/* ---- moves ----------------------------------------------------------- */

/*
 * send_port -> recv_port, both in a selector word of their own, so a
 * vCPU scans that word only when an event was delivered to it there.
 * The vCPU recv_port is bound to ("the owner") changes bound, only
 * itself, and with recv_port masked; every event it takes counts in
 * since_bind. The other sends.
 */
static evtchn_port_t send_port, recv_port;
static struct taken moved;
static volatile unsigned int bound, moves;
static volatile unsigned long since_bind, sends[2], wrong[2], move_errors;
static volatile bool move_stop, move_stuck;

static void take_moving(evtchn_port_t port, void *arg)
{
	unsigned int me = this_vcpu() & 1;

	count(port, arg);
	if (bound != me)
		__atomic_add_fetch(&wrong[me], 1, __ATOMIC_SEQ_CST);
	since_bind++;
}

/*
 * The owner, interrupts off: nothing of recv_port's may be left on this
 * vCPU once the other owns it. The upcall clears this vCPU's selector
 * (recv_port, masked, stays pending); an event pending now was delivered
 * here, while bound here: this vCPU takes it. Then the move, and the
 * unmask, which delivers a pending event to the new owner.
 */
static void move_away(unsigned int me)
{
	irq_disable();
	evtchn_mask(recv_port);
	evtchn_do_upcall();
	if (evtchn_pending(recv_port)) {
		evtchn_clear(recv_port);
		__atomic_add_fetch(&moved.on[me], 1, __ATOMIC_SEQ_CST);
	}
	if (evtchn_bind_vcpu(recv_port, !me))
		move_errors++;
	since_bind = 0;
	moves++;
	bound = !me;
	if (evtchn_unmask(recv_port))
		move_errors++;
	irq_enable();
}

static void move_loop(unsigned int me)
{
	uint64_t end = rdtsc() + WAIT_CYCLES;

	irq_enable();
	while (!move_stop) {
		if (bound != me) {
			if (evtchn_send(send_port))
				move_errors++;
			sends[me]++;
		} else if (since_bind >= TAKES) {
			if (moves == MOVES) {
				move_stop = true;
				break;
			}
			move_away(me);
			end = rdtsc() + WAIT_CYCLES;
		} else if (rdtsc() > end) {
			move_stuck = true;	/* sends not taken */
			move_stop = true;
		} else {
			cpu_relax();
		}
	}
}

/* A channel whose two ports are in a word no other port uses. */
static bool own_word_channel(void)
{
	evtchn_port_t filler[WORD], p = 0;
	unsigned int n = 0, i;
	bool ok;

	while (n < WORD && !evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &p) &&
	       p < WORD)
		filler[n++] = p;
	ok = p >= WORD && p % WORD < WORD - 1 &&
	     !evtchn_bind_interdomain(DOMID_SELF, p, &recv_port) &&
	     recv_port / WORD == p / WORD;
	send_port = p;
	for (i = 0; i < n; i++)
		evtchn_close(filler[i]);
	return ok;
}

static void test_moves(void)
{
	struct evtchn_status st;
	unsigned long sum;

	if (!own_word_channel()) {
		check(false, "a channel in a word of its own");
		return;
	}
	evtchn_set_handler(recv_port, take_moving, &moved);
	stage = MOVING;
	move_loop(0);
	CHECK(WAIT_FOR(ap_done == MOVING));
	/* Whoever owns it now takes what is left (vCPU 1 idles with
	 * interrupts on). */
	CHECK(WAIT_FOR(!evtchn_pending(recv_port)));
	CHECK(!move_stuck);
	CHECK_EQ(moves, MOVES);
	CHECK_EQ(move_errors, 0);
	CHECK_EQ(wrong[0], 0);
	CHECK_EQ(wrong[1], 0);
	CHECK(moved.on[0] >= 1);
	CHECK(moved.on[1] >= 1);
	sum = total(&moved);
	CHECK(sum >= 1 && sum <= sends[0] + sends[1]);
	CHECK_EQ(evtchn_status(DOMID_SELF, recv_port, &st), 0);
	CHECK_EQ(st.vcpu, bound);
	printf("evtsmp: %u moves, %lu + %lu events taken of %lu + %lu sent\n",
	       moves, moved.on[0], moved.on[1], sends[1], sends[0]);
	CHECK_EQ(evtchn_close(recv_port), 0);
	CHECK_EQ(evtchn_close(send_port), 0);
}

/* ---- vCPU 1 ---------------------------------------------------------- */

static void ap_main(void)
{
	enum stage s = IDLE;

	irq_enable();
	while (s != DOWN) {
		while (stage == s)
			cpu_relax();
		s = stage;
		if (s == PINGPONG)
			ap_pingpong();
		else if (s == FLOODING)
			ap_flood();
		else if (s == MOVING)
			move_loop(1);
		ap_done = s;
	}
	irq_disable();
}

void guest_main(void)
{
	long up = vcpu_is_up(1);

	printf("evtsmp: %s\n", up < 0 ? "1 vCPU" : "2 or more vCPUs");
	if (events_init())
		return;
	if (up < 0) {
		skip("evtsmp", "one vCPU");
		return;
	}
	CHECK_EQ(vcpu_start(1, ap_main, ap_stack, sizeof(ap_stack)), 0);
	CHECK(WAIT_FOR(vcpu_is_up(1) == 1));
	test_pingpong();
	test_flood();
	test_moves();
	stage = DOWN;
	CHECK(WAIT_FOR(vcpu_is_up(1) == 0));	/* down first */
	irq_disable();
}
