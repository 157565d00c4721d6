// SPDX-License-Identifier: GPL-2.0
/* Tree operations through the dispatcher: read, write, mkdir, rm,
 * directory, directory_part, path validation. */
#include <stdio.h>
#include <string.h>
#include "harness.h"

static struct tconn *t;

static void setup(void)
{
	h_setup();
	t = h_conn(0, true);
}

START_TEST(write_read)
{
	ck_assert_str_eq(h_do(t, XS_WRITE, 0, "/a/b/c\nhello"), "OK");
	ck_assert_str_eq(h_do(t, XS_READ, 0, "/a/b/c"), "hello");
	ck_assert_str_eq(h_do(t, XS_READ, 0, "/a/b"), "");
	ck_assert_str_eq(h_do(t, XS_DIRECTORY, 0, "/a"), "b");
	ck_assert_str_eq(h_do(t, XS_READ, 0, "/nope"), "ENOENT");
	h_check_tree();
}
END_TEST

START_TEST(binary_value)
{
	char rep[64];
	size_t len;
	static const char msg[] = "/bin\0a\0b\0c";

	ck_assert_uint_eq(h_req(t, XS_WRITE, 0, msg, sizeof(msg) - 1, rep,
				&len), XS_WRITE);
	ck_assert_uint_eq(h_req(t, XS_READ, 0, "/bin", 5, rep, &len), XS_READ);
	ck_assert_uint_eq(len, 5);
	ck_assert(!memcmp(rep, "a\0b\0c", 5));
}
END_TEST

START_TEST(relative_paths)
{
	ck_assert_str_eq(h_do(t, XS_WRITE, 0, "rel/x\n1"), "OK");
	ck_assert_str_eq(h_do(t, XS_READ, 0, "/local/domain/0/rel/x"), "1");
	ck_assert_str_eq(h_do(t, XS_READ, 0, "rel/x"), "1");
	/* -D: the home comes back on demand, without its old contents */
	ck_assert_str_eq(h_do(t, XS_RM, 0, "/local/domain/0"), "OK");
	ck_assert_str_eq(h_do(t, XS_READ, 0, "rel/x"), "ENOENT");
	ck_assert_str_eq(h_do(t, XS_READ, 0, "/local/domain/0"), "");
	ck_assert_str_eq(h_do(t, XS_GET_PERMS, 0, "/local/domain/0"), "n0");
	/* an unprivileged domain has no such fallback */
	ck_assert_str_eq(h_do(h_conn(5, false), XS_READ, 0, "x"), "EACCES");
	ck_assert_ptr_null(tree_lookup("/local/domain/5"));
	h_check_tree();
}
END_TEST

START_TEST(bad_paths)
{
	static const char *const bad[] = {
		"/a/", "//a", "/a//b", "/a b", "/a\xff", "/a.b", "@x", "",
	};
	char big[XENSTORE_ABS_PATH_MAX + 8];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_str_eq(h_do(t, XS_READ, 0, bad[i]), "EINVAL");
	/* 2048 characters (-M) below a domain's home, or in all */
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	big[XENSTORE_REL_PATH_MAX + 1] = '\0';
	ck_assert_str_eq(h_do(t, XS_WRITE, 0, big), "EINVAL");
	big[XENSTORE_REL_PATH_MAX] = '\0';
	ck_assert_str_eq(h_do(t, XS_WRITE, 0, big), "OK");
	memset(big, 'a', sizeof(big));
	memcpy(big, "/local/domain/0/", 16);
	big[16 + XENSTORE_REL_PATH_MAX] = '\0';
	ck_assert_str_eq(h_do(t, XS_WRITE, 0, big), "OK");
	big[16 + XENSTORE_REL_PATH_MAX] = 'a';
	big[17 + XENSTORE_REL_PATH_MAX] = '\0';
	ck_assert_str_eq(h_do(t, XS_WRITE, 0, big), "EINVAL");
	/* raising -M stops at XENSTORE_ABS_PATH_MAX */
	quota.path_max = 100000;
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	big[XENSTORE_ABS_PATH_MAX + 1] = '\0';
	ck_assert_str_eq(h_do(t, XS_WRITE, 0, big), "EINVAL");
	big[XENSTORE_ABS_PATH_MAX] = '\0';
	ck_assert_str_eq(h_do(t, XS_WRITE, 0, big), "OK");
	h_check_tree();
}
END_TEST

START_TEST(bad_args)
{
	char rep[64];
	size_t len;

	/* READ without NUL, with two strings, empty body. */
	ck_assert_uint_eq(h_req(t, XS_READ, 0, "/tool", 5, rep, &len),
			  XS_ERROR);
	ck_assert_str_eq(rep, "EINVAL");
	ck_assert_uint_eq(h_req(t, XS_READ, 0, "/tool\0x", 8, rep, &len),
			  XS_ERROR);
	ck_assert_uint_eq(h_req(t, XS_READ, 0, "", 0, rep, &len), XS_ERROR);
	ck_assert_uint_eq(h_req(t, XS_WRITE, 0, "/x", 2, rep, &len),
			  XS_ERROR);
	ck_assert_str_eq(rep, "EINVAL");
}
END_TEST

START_TEST(unknown_types)
{
	char rep[64];
	size_t len;

	ck_assert_uint_eq(h_req(t, XS_WATCH_EVENT, 0, "", 0, rep, &len),
			  XS_ERROR);
	ck_assert_str_eq(rep, "ENOSYS");
	ck_assert_uint_eq(h_req(t, XS_ERROR, 0, "", 0, rep, &len), XS_ERROR);
	ck_assert_uint_eq(h_req(t, 20, 0, "", 0, rep, &len), XS_ERROR);
	ck_assert_str_eq(rep, "ENOSYS");
	ck_assert_uint_eq(h_req(t, 999, 0, "", 0, rep, &len), XS_ERROR);
	ck_assert_str_eq(rep, "ENOSYS");
}
END_TEST

START_TEST(mkdir_rm)
{
	ck_assert_str_eq(h_do(t, XS_MKDIR, 0, "/m/n"), "OK");
	ck_assert_str_eq(h_do(t, XS_WRITE, 0, "/m/n\nv"), "OK");
	ck_assert_str_eq(h_do(t, XS_MKDIR, 0, "/m/n"), "OK");
	ck_assert_str_eq(h_do(t, XS_READ, 0, "/m/n"), "v");
	ck_assert_str_eq(h_do(t, XS_WRITE, 0, "/m/n/o/p\n1"), "OK");
	ck_assert_str_eq(h_do(t, XS_RM, 0, "/m"), "OK");
	ck_assert_str_eq(h_do(t, XS_READ, 0, "/m/n/o/p"), "ENOENT");
	ck_assert_str_eq(h_do(t, XS_RM, 0, "/m"), "OK");
	ck_assert_str_eq(h_do(t, XS_RM, 0, "/m/x/y"), "ENOENT");
	ck_assert_str_eq(h_do(t, XS_RM, 0, "/"), "EINVAL");
	ck_assert_uint_eq(tree_count(), 3);
	h_check_tree();
}
END_TEST

START_TEST(directory_order_and_part)
{
	char rep[XENSTORE_PAYLOAD_MAX + 1], name[64];
	size_t len, off = 0, total = 0;
	int i;

	ck_assert_str_eq(h_do(t, XS_WRITE, 0, "/d/b\n"), "OK");
	ck_assert_str_eq(h_do(t, XS_WRITE, 0, "/d/a\n"), "OK");
	ck_assert_str_eq(h_do(t, XS_DIRECTORY, 0, "/d"), "b\na");
	for (i = 0; i < 400; i++) {
		snprintf(name, sizeof(name), "/big/child-number-%04d\n", i);
		ck_assert_str_eq(h_do(t, XS_WRITE, 0, name), "OK");
	}
	ck_assert_str_eq(h_do(t, XS_DIRECTORY, 0, "/big"), "E2BIG");
	for (;;) {
		snprintf(name, sizeof(name), "/big\n%zu", off);
		ck_assert_uint_eq(h_req_args(t, XS_DIRECTORY_PART, 0, name,
					     rep, &len), XS_DIRECTORY_PART);
		ck_assert_uint_le(len, XENSTORE_PAYLOAD_MAX);
		/* generation, then children; a final empty string ends it */
		size_t g = strlen(rep) + 1, p = g;
		while (p < len && rep[p]) {
			total++;
			p += strlen(rep + p) + 1;
		}
		off += p - g;
		if (p < len && !rep[p])
			break;
	}
	ck_assert_uint_eq(total, 400);
	ck_assert_str_eq(h_do(t, XS_DIRECTORY_PART, 0, "/big\nx"), "EINVAL");
	ck_assert_str_eq(h_do(t, XS_DIRECTORY_PART, 0, "/big"), "EINVAL");
}
END_TEST

START_TEST(oversized_message_drops_conn)
{
	struct xsd_sockmsg h = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };

	ck_assert_int_lt(conn_feed(t->c, (char *)&h, sizeof(h)), 0);
	ck_assert(t->c->dead);
}
END_TEST

START_TEST(payload_max_write)
{
	static char body[XENSTORE_PAYLOAD_MAX];
	char rep[16];
	size_t len;

	memcpy(body, "/p", 3);
	memset(body + 3, 'x', sizeof(body) - 3);
	ck_assert_uint_eq(h_req(t, XS_WRITE, 0, body, sizeof(body), rep, &len),
			  XS_WRITE);
	ck_assert_uint_eq(h_req(t, XS_READ, 0, "/p", 3, NULL, &len), XS_READ);
	ck_assert_uint_eq(len, sizeof(body) - 3);
}
END_TEST

START_TEST(control)
{
	ck_assert_str_eq(h_do(t, XS_CONTROL, 0, "check"), "OK");
	ck_assert_str_eq(h_do(t, XS_CONTROL, 0, "bogus"), "EINVAL");
	ck_assert(strstr(h_do(t, XS_CONTROL, 0, "stats"), "CONTROL 3"));
	ck_assert(strstr(h_do(t, XS_CONTROL, 0, "quota"), "nodes"));
	ck_assert_str_eq(h_do(t, XS_CONTROL, 0, "quota\nnodes=7"), "OK");
	ck_assert_uint_eq(quota.nodes, 7);
	ck_assert_str_eq(h_do(t, XS_CONTROL, 0, "quota\nnodes=x"), "EINVAL");
	ck_assert_str_eq(h_do(t, XS_CONTROL, 0, "log\nmaybe"), "EINVAL");
}
END_TEST

START_TEST(check_detects_damage)
{
	char msg[256];

	ck_assert_int_eq(tree_check(msg, sizeof(msg)), 0);
	quota_nodes_add(3, 1, 10);
	ck_assert_int_ne(tree_check(msg, sizeof(msg)), 0);
	ck_assert(strstr(msg, "domain 3"));
	quota_nodes_add(3, -1, -10);
	ck_assert_int_eq(tree_check(msg, sizeof(msg)), 0);
	node_add_child(tree_lookup("/tool"), "ghost");
	ck_assert_int_ne(tree_check(msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "bad node /tool/ghost");
	ck_assert(strstr(h_do(t, XS_CONTROL, 0, "check"), "ghost"));
	node_del_child(tree_lookup("/tool"), "ghost");
	struct node *o = node_new("/orphan");

	perms_copy(&o->perms, &tree_lookup("/")->perms);
	tree_put(o);
	ck_assert_int_ne(tree_check(msg, sizeof(msg)), 0);
	ck_assert(strstr(msg, "reachable"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tree");
	TCase *tc = tcase_create("tree");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_add_test(tc, write_read);
	tcase_add_test(tc, binary_value);
	tcase_add_test(tc, relative_paths);
	tcase_add_test(tc, bad_paths);
	tcase_add_test(tc, bad_args);
	tcase_add_test(tc, unknown_types);
	tcase_add_test(tc, mkdir_rm);
	tcase_add_test(tc, directory_order_and_part);
	tcase_add_test(tc, oversized_message_drops_conn);
	tcase_add_test(tc, payload_max_write);
	tcase_add_test(tc, control);
	tcase_add_test(tc, check_detects_damage);
	suite_add_tcase(s, tc);
	return h_run(s);
}
