// SPDX-License-Identifier: GPL-2.0
/*
 * evtlink: event channels between two domains, each running this
 * program on one vCPU: "role=a peer=B" in the domain with the lower id,
 * "role=b peer=A" in the other (a hyperlaunch device tree's bootargs).
 *
 *   a: alloc_unbound twice for b (a_ping, a_data: the lowest free ports,
 *      on Xen as well; after the console port a boot domain starts with,
 *      and both domains start alike), then waits;
 *   b: bind_interdomain to a_ping until a has made it, then to a_data;
 *   ping-pong on a_ping (a lost event would hang both; every message
 *   waits for the answer to the one before, since two events sent on a
 *   port before it is taken are one), a flood of events from b on
 *   a_data (coalesced: a takes at least one, at most as many as sent,
 *   and nothing stays pending), b blocked in
 *   SCHEDOP_poll on its masked data port until a sends; a's refusals
 *   (another domain's ports are not a domU's: -EPERM); then a powers
 *   off, and b sees its ends become unbound when a is destroyed.
 */
#include "guest.h"

#define ROUNDS		200
#define FLOOD		2000
#define PATIENCE	1000000UL

static domid_t peer;
static evtchn_port_t a_ping, a_data;	/* a's; b's are whatever it gets */

/* The lowest port this domain has not used: where its first
 * alloc_unbound lands, and, both domains being built alike, a's too. */
static evtchn_port_t first_free_port(void)
{
	struct evtchn_status st;
	evtchn_port_t p = 1;

	while (!evtchn_status(DOMID_SELF, p, &st) &&
	       st.status != EVTCHNSTAT_closed)
		p++;
	return p;
}

/* Sleep (HLT, interrupts on) until port has been taken n times. */
static void wait_count(evtchn_port_t port, unsigned long n)
{
	while (evtchn_count(port) < n)
		safe_halt();
	irq_disable();
}

static void spin(unsigned long n)
{
	while (n--)
		cpu_relax();
}

static void role_a(void)
{
	struct evtchn_status st;
	evtchn_port_t p = 0;
	unsigned long data;
	unsigned int i, failed;

	CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, peer, &p), 0);
	CHECK_EQ(p, a_ping);
	CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, peer, &p), 0);
	CHECK_EQ(p, a_data);
	/* b's hello: it is connected. */
	wait_count(a_ping, 1);
	CHECK_EQ(evtchn_status(DOMID_SELF, a_ping, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(st.u.interdomain.dom, peer);
	/* Ping-pong. */
	for (i = 0, failed = 0; i < ROUNDS; i++) {
		failed += evtchn_send(a_ping) != 0;
		wait_count(a_ping, i + 2);
	}
	CHECK_EQ(failed, 0);
	printf("evtlink: %u round trips\n", ROUNDS);
	/* The flood: "go", then b says "done" on PING afterwards. */
	CHECK_EQ(evtchn_send(a_ping), 0);
	wait_count(a_ping, ROUNDS + 2);
	data = evtchn_count(a_data);
	printf("evtlink: %lu of %u flooded events taken\n", data, FLOOD);
	CHECK(data >= 1 && data <= FLOOD);
	CHECK(!evtchn_pending(a_data));
	/* b polls its masked DATA port after "ready". */
	CHECK_EQ(evtchn_send(a_ping), 0);
	wait_count(a_ping, ROUNDS + 3);
	spin(PATIENCE);
	CHECK_EQ(evtchn_send(a_data), 0);
	wait_count(a_ping, ROUNDS + 4);		/* "woken" */
	/* Not ours to touch. */
	CHECK_EQ(evtchn_alloc_unbound(peer, DOMID_SELF, &p), -XEN_EPERM);
	CHECK_EQ(evtchn_status(peer, 1, &st), -XEN_EPERM);
	CHECK_EQ(evtchn_status(peer, 4095, &st), -XEN_EINVAL);
	CHECK_EQ(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
			    (unsigned long)&(struct sched_remote_shutdown){
				    .domain_id = peer }), -XEN_EPERM);
	CHECK_EQ(event_channel_op(EVTCHNOP_reset,
				  &(struct evtchn_reset){ .dom = peer }),
		 -XEN_EPERM);
	printf("evtlink: a done, powering off\n");
}

/* Connect to a's port rport, retrying until a has made it. */
static evtchn_port_t connect(evtchn_port_t rport)
{
	evtchn_port_t p = 0;
	unsigned long tries;
	long rc = -1;

	for (tries = 0; tries < PATIENCE && rc; tries++) {
		rc = evtchn_bind_interdomain(peer, rport, &p);
		if (rc)
			sched_yield();
	}
	CHECK_EQ(rc, 0);
	return p;
}

static void role_b(void)
{
	evtchn_port_t ping = connect(a_ping), data = connect(a_data);
	struct evtchn_status st;
	unsigned long tries;
	unsigned int i, failed;

	/* The binds raised our ends once; take that first. */
	wait_count(ping, 1);
	wait_count(data, 1);
	CHECK_EQ(evtchn_send(ping), 0);		/* hello */
	for (i = 0, failed = 0; i < ROUNDS; i++) {
		wait_count(ping, i + 2);
		failed += evtchn_send(ping) != 0;
	}
	wait_count(ping, ROUNDS + 2);		/* go */
	for (i = 0; i < FLOOD; i++)
		failed += evtchn_send(data) != 0;
	CHECK_EQ(failed, 0);
	CHECK_EQ(evtchn_send(ping), 0);		/* done */
	/* Blocked until a sends on DATA, even masked. */
	wait_count(ping, ROUNDS + 3);
	evtchn_mask(data);
	evtchn_clear(data);
	CHECK_EQ(evtchn_send(ping), 0);		/* ready */
	CHECK_EQ(sched_poll(&data, 1, 0), 0);
	CHECK(evtchn_pending(data));
	CHECK_EQ(evtchn_send(ping), 0);		/* woken */
	/* a's destruction leaves our ends waiting for a. */
	for (tries = 0; tries < PATIENCE; tries++) {
		if (evtchn_status(DOMID_SELF, ping, &st) ||
		    st.status == EVTCHNSTAT_unbound)
			break;
		sched_yield();
	}
	CHECK_EQ(st.status, EVTCHNSTAT_unbound);
	CHECK_EQ(st.u.unbound.dom, peer);
	CHECK_EQ(evtchn_status(DOMID_SELF, data, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_unbound);
	CHECK_EQ(evtchn_send(ping), 0);		/* nobody: dropped */
	CHECK_EQ(evtchn_close(ping), 0);
	CHECK_EQ(evtchn_close(data), 0);
	/* Its ports are closed before it leaves the domain list (Xen's
	 * order too): -EPERM until then. */
	for (tries = 0; tries < PATIENCE; tries++) {
		if (evtchn_status(peer, 1, &st) != -XEN_EPERM)
			break;
		sched_yield();
	}
	CHECK_EQ(evtchn_status(peer, 1, &st), -XEN_ESRCH);
	printf("evtlink: b saw a's ports go\n");
}

void guest_main(void)
{
	char role[4] = "";

	peer = cmdline_num("peer", DOMID_INVALID);
	if (!cmdline_arg("role", role, sizeof(role)) || peer == DOMID_INVALID ||
	    (strcmp(role, "a") && strcmp(role, "b"))) {
		CHECK(!"command line: role=a|b peer=DOMID");
		return;
	}
	CHECK_EQ(events_init(), 0);
	a_ping = first_free_port();
	a_data = a_ping + 1;
	if (!strcmp(role, "a"))
		role_a();
	else
		role_b();
}
