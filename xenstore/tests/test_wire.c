// SPDX-License-Identifier: GPL-2.0
/* Framing and robustness: split and batched input, error replies, and
 * random input from privileged and unprivileged clients. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static struct tconn *t;

static void setup(void)
{
	h_setup();
	t = h_conn(0, true);
}

static size_t msg(char *buf, uint32_t type, uint32_t id, uint32_t tx,
		  const char *body, uint32_t len)
{
	struct xsd_sockmsg h = { type, id, tx, len };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), body, len);
	return sizeof(h) + len;
}

START_TEST(byte_by_byte)
{
	char buf[64], rep[64];
	size_t n = msg(buf, XS_WRITE, 9, 0, "/x\0val", 6), i;
	struct xsd_sockmsg h;

	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(t->out_len, 0);
		ck_assert_int_eq(conn_feed(t->c, buf + i, 1), 1);
		conn_handle_output(t->c);
	}
	ck_assert_uint_eq(t->out_len, sizeof(h) + 3);
	memcpy(&h, t->out, sizeof(h));
	ck_assert_uint_eq(h.type, XS_WRITE);
	ck_assert_uint_eq(h.req_id, 9);
	t->out_len = 0;
	ck_assert_str_eq(h_do(t, XS_READ, 0, "/x"), "val");
	(void)rep;
}
END_TEST

START_TEST(batched_and_echo)
{
	char buf[256];
	size_t n = 0, off = 0;
	struct xsd_sockmsg h;
	uint32_t expect[] = { XS_WRITE, XS_ERROR, XS_READ, XS_ERROR };

	n += msg(buf + n, XS_WRITE, 1, 0, "/b\0v", 4);
	n += msg(buf + n, XS_READ, 2, 55, "/b", 3);
	n += msg(buf + n, XS_READ, 3, 0, "/b", 3);
	n += msg(buf + n, 4242, 4, 0, "", 0);
	ck_assert_int_eq(conn_feed(t->c, buf, n), (long)n);
	conn_handle_output(t->c);
	for (uint32_t i = 0; i < 4; i++) {
		memcpy(&h, t->out + off, sizeof(h));
		ck_assert_uint_eq(h.type, expect[i]);
		ck_assert_uint_eq(h.req_id, i + 1);
		if (i == 1) {
			/* errors echo the ids and carry the errno name */
			ck_assert_uint_eq(h.tx_id, 55);
			ck_assert_str_eq(t->out + off + sizeof(h), "ENOENT");
		}
		off += sizeof(h) + h.len;
	}
	ck_assert_uint_eq(off, t->out_len);
	t->out_len = 0;
}
END_TEST

START_TEST(error_names)
{
	ck_assert_str_eq(errno_name(EINVAL), "EINVAL");
	ck_assert_str_eq(errno_name(EACCES), "EACCES");
	ck_assert_str_eq(errno_name(E2BIG), "E2BIG");
	ck_assert_str_eq(errno_name(EPERM), "EPERM");
	ck_assert_str_eq(errno_name(EISCONN), "EISCONN");
	ck_assert_str_eq(errno_name(ENOTEMPTY), "ENOTEMPTY");
	/* not in Xen's list: reported as EINVAL, as Xen does */
	ck_assert_str_eq(errno_name(EPIPE), "EINVAL");
	ck_assert_str_eq(msg_type_name(XS_DIRECTORY_PART), "DIRECTORY_PART");
	ck_assert_str_eq(msg_type_name(20), "UNKNOWN");
}
END_TEST

START_TEST(truncated_then_closed)
{
	char buf[64];
	size_t n = msg(buf, XS_WRITE, 1, 0, "/trunc\0v", 8);

	ck_assert_int_eq(conn_feed(t->c, buf, n - 3), (long)(n - 3));
	ck_assert_uint_eq(t->out_len, 0);
	conn_free(t->c);
	ck_assert_ptr_null(tree_lookup("/trunc"));
	h_check_tree();
}
END_TEST

/* Random messages with plausible types and lengths, mixed with
 * plausible bodies: nothing may crash, the tree stays sound. */
START_TEST(random_input)
{
	static const char *const words[] = {
		"/a", "/a/b", "b", "@releaseDomain", "T", "F", "1", "r5",
		"n0", "tok", "", "/local/domain/5/x", "check", "0", "7",
	};
	struct tconn *c[2];
	char buf[8192], body[XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg h;
	size_t len, w;
	int i, k;

	srandom(42);
	for (i = 0; i < 50000; i++) {
		if (i % 5000 == 0) {
			while (conns)
				conn_free(conns);
			c[0] = h_conn(0, true);
			c[1] = h_conn(5, false);
		}
		k = (int)(random() % 2);
		if (c[k]->c->dead) {
			c[k] = h_conn(k ? 5 : 0, !k);
		}
		len = 0;
		while (len < 64 && random() % 4) {
			w = (size_t)random() % ARRAY_SIZE(words);
			memcpy(body + len, words[w], strlen(words[w]) + 1);
			len += strlen(words[w]) + (random() % 8 ? 1 : 0);
		}
		h.type = (uint32_t)(random() % (XS_TYPE_COUNT + 2));
		h.req_id = (uint32_t)random();
		h.tx_id = random() % 3 ? 0 : (uint32_t)(random() % 4);
		h.len = (uint32_t)len;
		if (random() % 1000 == 0)
			h.len = (uint32_t)random();
		memcpy(buf, &h, sizeof(h));
		memcpy(buf + sizeof(h), body, len);
		conn_feed(c[k]->c, buf, sizeof(h) + len);
		conn_handle_output(c[k]->c);
		c[k]->out_len = 0;
		c[k]->nev = c[k]->evpos = 0;
	}
	h_check_tree();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("wire");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, byte_by_byte);
	tcase_add_test(tc, batched_and_echo);
	tcase_add_test(tc, error_names);
	tcase_add_test(tc, truncated_then_closed);
	tcase_add_test(tc, random_input);
	suite_add_tcase(s, tc);
	return h_run(s);
}
