// SPDX-License-Identifier: GPL-2.0
/*
 * The shared-ring transport: index arithmetic and wrap-around, untrusted
 * indices, and a guest in another process talking to the real dispatcher
 * through a memfd page with eventfds as event channels.  Also INTRODUCE,
 * RELEASE and the other domain requests, which need a ring.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

static struct tconn *d0;
static struct backend *be;

struct guest {
	struct xenstore_domain_interface *intf;
	int ev_in;	/* guest -> xenstored */
	int ev_out;	/* xenstored -> guest */
};

static struct guest g[3];

static void new_guest(struct guest *gp, uint32_t domid, uint64_t gfn,
		      uint32_t port)
{
	int fd = memfd_create("ring", 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 4096), 0);
	gp->intf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(gp->intf, MAP_FAILED);
	close(fd);
	gp->ev_in = eventfd(0, EFD_NONBLOCK);
	gp->ev_out = eventfd(0, EFD_NONBLOCK);
	memfd_backend_add(be, domid, gfn, gp->intf, port, gp->ev_in,
			  gp->ev_out);
}

static void setup(void)
{
	h_setup();
	be = memfd_backend_new();
	backend_set(be);
	d0 = h_conn(0, true);
	new_guest(&g[0], 7, 0x1234, 11);
	new_guest(&g[1], 8, 0x5678, 12);
	ck_assert_str_eq(h_do(d0, XS_MKDIR, 0, "/local/domain/7"), "OK");
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0, "/local/domain/7\nn7"),
			 "OK");
}

static void teardown(void)
{
	domain_release_all();
	h_teardown();
}

/* ---- guest side ------------------------------------------------------ */

static void g_kick(struct guest *gp)
{
	uint64_t one = 1;

	if (write(gp->ev_in, &one, sizeof(one)) != sizeof(one))
		_exit(90);
}

static void g_wait(struct guest *gp)
{
	struct pollfd p = { gp->ev_out, POLLIN, 0 };
	uint64_t v;

	if (poll(&p, 1, 5000) != 1)
		_exit(91);
	if (read(gp->ev_out, &v, sizeof(v)) < 0)
		return;
}

/* Write into the request ring, waiting for space, in chunks of at most
 * step bytes, each with its own notification. */
static void g_write(struct guest *gp, const void *buf, size_t len,
		    size_t step)
{
	struct xenstore_domain_interface *in = gp->intf;
	const char *p = buf;
	uint32_t prod, space, n, i;

	while (len) {
		prod = in->req_prod;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		space = XENSTORE_RING_SIZE - (prod - in->req_cons);
		if (!space) {
			g_wait(gp);
			continue;
		}
		n = len < space ? (uint32_t)len : space;
		if (n > step)
			n = (uint32_t)step;
		for (i = 0; i < n; i++)
			in->req[MASK_XENSTORE_IDX(prod + i)] = p[i];
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		in->req_prod = prod + n;
		g_kick(gp);
		p += n;
		len -= n;
	}
}

static void g_read(struct guest *gp, void *buf, size_t len)
{
	struct xenstore_domain_interface *in = gp->intf;
	char *p = buf;
	uint32_t cons, avail, n, i;

	while (len) {
		cons = in->rsp_cons;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		avail = in->rsp_prod - cons;
		if (!avail) {
			g_wait(gp);
			continue;
		}
		n = len < avail ? (uint32_t)len : avail;
		for (i = 0; i < n; i++)
			p[i] = in->rsp[MASK_XENSTORE_IDX(cons + i)];
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		in->rsp_cons = cons + n;
		g_kick(gp);
		p += n;
		len -= n;
	}
}

static uint32_t g_req(struct guest *gp, uint32_t type, uint32_t id,
		      const void *body, uint32_t len, char *rep,
		      uint32_t *rlen, size_t step)
{
	struct xsd_sockmsg h = { type, id, 0, len };

	g_write(gp, &h, sizeof(h), step);
	g_write(gp, body, len, step);
	g_read(gp, &h, sizeof(h));
	if (h.req_id != id && h.type != XS_WATCH_EVENT)
		_exit(92);
	g_read(gp, rep, h.len);
	rep[h.len] = '\0';
	*rlen = h.len;
	return h.type;
}

static void gfail(int code, const char *rep)
{
	fprintf(stderr, "guest step %d: got '%s'\n", code, rep);
	_exit(code);
}

/* The guest's whole conversation; exit status says where it failed. */
static void guest_main(struct guest *gp)
{
	static char big[2100], rep[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h = { XS_READ, 0, 0, 5 };
	uint32_t len, i;

	memcpy(big, "data", 5);
	for (i = 5; i < 2005; i++)
		big[i] = (char)('a' + i % 26);
	/* larger than the ring: wraps, arrives in pieces */
	if (g_req(gp, XS_WRITE, 1, big, 2005, rep, &len, 300) != XS_WRITE ||
	    strcmp(rep, "OK"))
		gfail(10, rep);
	if (g_req(gp, XS_READ, 2, "data", 5, rep, &len, 1) != XS_READ ||
	    len != 2000 || memcmp(rep, big + 5, 2000))
		gfail(11, rep);
	if (g_req(gp, XS_WRITE, 3, "/tool/x\0v", 9, rep, &len, 7) !=
	    XS_ERROR || strcmp(rep, "EACCES"))
		gfail(12, rep);
	if (g_req(gp, XS_GET_DOMAIN_PATH, 4, "7", 2, rep, &len, 64) !=
	    XS_GET_DOMAIN_PATH || strcmp(rep, "/local/domain/7"))
		gfail(13, rep);
	/* pipelined requests, replies in order */
	for (i = 0; i < 15; i++) {
		h.req_id = 100 + i;
		g_write(gp, &h, sizeof(h), 16);
		g_write(gp, "data", 5, 16);
	}
	for (i = 0; i < 15; i++) {
		g_read(gp, &h, sizeof(h));
		if (h.req_id != 100 + i || h.type != XS_READ || h.len != 2000)
			gfail(14, rep);
		g_read(gp, rep, h.len);
	}
	if (g_req(gp, XS_WATCH, 5, "data\0tok", 9, rep, &len, 64) !=
	    XS_WATCH || strcmp(rep, "OK"))
		gfail(15, rep);
	g_read(gp, &h, sizeof(h));
	g_read(gp, rep, h.len);
	if (h.type != XS_WATCH_EVENT || memcmp(rep, "data\0tok\0", 9))
		gfail(16, rep);
	_exit(0);
}

static void introduce(const char *args)
{
	ck_assert_str_eq(h_do(d0, XS_INTRODUCE, 0, args), "OK");
}

START_TEST(cross_process_guest)
{
	struct pollfd p = { g[0].ev_in, POLLIN, 0 };
	int status = -1, i;
	pid_t pid;

	introduce("7\n4660\n11");
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid)
		guest_main(&g[0]);
	for (i = 0; i < 2000; i++) {
		poll(&p, 1, 10);
		ring_service_all();
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
	}
	if (i == 2000) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "guest failed with status %d", status);
	ck_assert_uint_eq(strlen(h_do(d0, XS_READ, 0,
				      "/local/domain/7/data")), 2000);
	ck_assert_str_eq(h_do(d0, XS_GET_PERMS, 0, "/local/domain/7/data"),
			 "n7");
	h_check_tree();
}
END_TEST

START_TEST(wrap_and_partial)
{
	struct xenstore_domain_interface *in = g[0].intf;
	char out[200], buf[200];
	uint32_t start = 0xFFFFFFF0u, i;

	for (i = 0; i < sizeof(out); i++)
		out[i] = (char)i;
	in->req_cons = in->req_prod = start;
	for (i = 0; i < 100; i++)
		in->req[MASK_XENSTORE_IDX(start + i)] = out[i];
	in->req_prod = start + 100;
	ck_assert(ring_has_input(in));
	ck_assert_int_eq(ring_read(in, buf, 30), 30);
	ck_assert_int_eq(ring_read(in, buf + 30, 200), 70);
	ck_assert_int_eq(ring_read(in, buf, 10), 0);
	ck_assert(!memcmp(buf, out, 100));
	ck_assert_uint_eq(in->req_cons, start + 100);
	/* responses: fill the ring completely, across the wrap */
	in->rsp_cons = in->rsp_prod = start;
	for (i = 0; i < XENSTORE_RING_SIZE / 100; i++)
		ck_assert_int_eq(ring_write(in, out, 100), 100);
	ck_assert_int_eq(ring_write(in, out, 100), XENSTORE_RING_SIZE % 100);
	ck_assert(!ring_has_space(in));
	ck_assert_int_eq(ring_write(in, out, 1), 0);
	ck_assert_uint_eq(in->rsp[MASK_XENSTORE_IDX(start + 100 + 15)], 15);
}
END_TEST

START_TEST(bad_indices)
{
	struct xenstore_domain_interface *in = g[0].intf;
	char buf[16];

	in->req_cons = 10;
	in->req_prod = 10 + XENSTORE_RING_SIZE + 1;
	ck_assert_int_eq(ring_read(in, buf, sizeof(buf)), -EIO);
	in->req_prod = 5;	/* producer behind consumer */
	ck_assert_int_eq(ring_read(in, buf, sizeof(buf)), -EIO);
	in->rsp_cons = 100;
	in->rsp_prod = 99;
	ck_assert_int_eq(ring_write(in, buf, 1), -EIO);
	in->rsp_prod = 100 + XENSTORE_RING_SIZE;	/* full is fine */
	ck_assert_int_eq(ring_write(in, buf, 1), 0);
}
END_TEST

START_TEST(hostile_guest_is_stopped)
{
	struct xenstore_domain_interface *in = g[0].intf;

	introduce("7\n4660\n11");
	ck_assert_uint_eq(in->server_features,
			  XENSTORE_SERVER_FEATURE_RECONNECTION |
				  XENSTORE_SERVER_FEATURE_ERROR);
	in->req_prod = in->req_cons + 4000;
	g_kick(&g[0]);
	ring_service_all();
	ck_assert_uint_eq(in->error, XENSTORE_ERROR_RINGIDX);
	ck_assert(domain_find(7)->conn->dead);
	/* everyone else carries on */
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "/ok\n1"), "OK");
	/* a reconnect request gives the guest a clean ring */
	in->connection = XENSTORE_RECONNECT;
	ring_service_all();
	ck_assert_uint_eq(in->connection, XENSTORE_CONNECTED);
	ck_assert_uint_eq(in->error, XENSTORE_ERROR_NONE);
	ck_assert_uint_eq(in->req_prod, 0);
	ck_assert(!domain_find(7)->conn->dead);
}
END_TEST

START_TEST(oversized_message)
{
	struct xenstore_domain_interface *in = g[0].intf;
	struct xsd_sockmsg h = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };

	introduce("7\n4660\n11");
	memcpy(in->req, &h, sizeof(h));
	in->req_prod = sizeof(h);
	ring_service_all();
	ck_assert_uint_eq(in->error, XENSTORE_ERROR_PROTO);
	ck_assert(domain_find(7)->conn->dead);
}
END_TEST

START_TEST(introduce_release)
{
	ck_assert_str_eq(h_do(d0, XS_WATCH, 0, "@introduceDomain\ni"), "OK");
	ck_assert_str_eq(h_do(d0, XS_WATCH, 0, "@releaseDomain\nr"), "OK");
	ck_assert_str_eq(h_event(d0), "@introduceDomain i");
	ck_assert_str_eq(h_event(d0), "@releaseDomain r");
	ck_assert_str_eq(h_do(d0, XS_IS_DOMAIN_INTRODUCED, 0, "7"), "F");
	introduce("7\n4660\n11");
	ck_assert_str_eq(h_event(d0), "@introduceDomain i");
	ck_assert_str_eq(h_do(d0, XS_IS_DOMAIN_INTRODUCED, 0, "7"), "T");
	ck_assert_str_eq(h_do(d0, XS_IS_DOMAIN_INTRODUCED, 0, "0"), "T");
	/* introducing again is accepted, fires nothing, and gives the
	 * domain a fresh connection; another page is refused */
	domain_find(7)->conn->dead = true;
	introduce("7\n4660\n11");
	ck_assert_ptr_null(h_event(d0));
	ck_assert(!domain_find(7)->conn->dead);
	ck_assert_str_eq(h_do(d0, XS_INTRODUCE, 0, "7\n4661\n11"), "EINVAL");
	ck_assert_str_eq(h_do(d0, XS_RESUME, 0, "7"), "OK");
	ck_assert_str_eq(h_do(d0, XS_RESUME, 0, "9"), "ENOENT");
	introduce("8\n22136\n12");
	ck_assert_str_eq(h_event(d0), "@introduceDomain i");
	ck_assert_str_eq(h_do(d0, XS_SET_TARGET, 0, "8\n7"), "OK");
	ck_assert_uint_eq(domain_find(8)->conn->target, 7);
	ck_assert_str_eq(h_do(d0, XS_SET_TARGET, 0, "8\n9"), "ENOENT");
	ck_assert_str_eq(h_do(d0, XS_SET_TARGET, 0, "8"), "EINVAL");
	ck_assert_str_eq(h_do(d0, XS_RELEASE, 0, "7"), "OK");
	ck_assert_str_eq(h_event(d0), "@releaseDomain r");
	ck_assert_str_eq(h_do(d0, XS_IS_DOMAIN_INTRODUCED, 0, "7"), "F");
	ck_assert_str_eq(h_do(d0, XS_RELEASE, 0, "7"), "ENOENT");
	ck_assert_str_eq(h_do(d0, XS_RELEASE, 0, "0"), "EINVAL");
	/* the released domain's nodes now belong to dom0 */
	ck_assert_str_eq(h_do(d0, XS_GET_PERMS, 0, "/local/domain/7"), "n0");
	ck_assert_int_eq(quota_nodes_count(7), 0);
	h_check_tree();
}
END_TEST

START_TEST(introduce_errors)
{
	static const char *const bad[] = {
		"7\n4660", "x\n4660\n11", "0\n4660\n11", "7\n4660\n0",
		"7\n-1\n11", "7\n4660\n4294967296", "32752\n4660\n11",
		"7\n999\n11", "7\n4660\n99",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!strcmp(h_do(d0, XS_INTRODUCE, 0, bad[i]),
				      "EINVAL"), "accepted %s", bad[i]);
	ck_assert_ptr_null(domain_find(7));
	ck_assert_str_eq(h_do(d0, XS_GET_DOMAIN_PATH, 0, "x"), "EINVAL");
	ck_assert_str_eq(h_do(d0, XS_IS_DOMAIN_INTRODUCED, 0, ""), "EINVAL");
	ck_assert_str_eq(h_do(d0, XS_RESUME, 0, "7\n8"), "EINVAL");
}
END_TEST

START_TEST(no_backend)
{
	backend_set(NULL);
	ck_assert_str_eq(h_do(d0, XS_INTRODUCE, 0, "7\n4660\n11"), "ENOSYS");
	backend_set(be);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ring");
	TCase *tc = tcase_create("ring");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, cross_process_guest);
	tcase_add_test(tc, wrap_and_partial);
	tcase_add_test(tc, bad_indices);
	tcase_add_test(tc, hostile_guest_is_stopped);
	tcase_add_test(tc, oversized_message);
	tcase_add_test(tc, introduce_release);
	tcase_add_test(tc, introduce_errors);
	tcase_add_test(tc, no_backend);
	suite_add_tcase(s, tc);
	return h_run(s);
}
