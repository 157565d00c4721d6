// SPDX-License-Identifier: GPL-2.0
/* Watches: matching, the initial event, removal, relative paths,
 * permissions, errors. */
#include <string.h>
#include "harness.h"

static struct tconn *w, *d0;

static void setup(void)
{
	h_setup();
	d0 = h_conn(0, true);
	w = h_conn(0, true);
}

START_TEST(matching)
{
	struct watch wa = { .path = "/a" };
	struct watch ws = { .path = "@releaseDomain" };
	struct watch wr = { .path = "/" };

	ck_assert(watch_matches(&wa, "/a", false));
	ck_assert(watch_matches(&wa, "/a/b/c", false));
	ck_assert(!watch_matches(&wa, "/ab", false));
	ck_assert(!watch_matches(&wa, "/", false));
	ck_assert(!watch_matches(&wa, "/a/b", true));
	ck_assert(watch_matches(&wa, "/a", true));
	ck_assert(watch_matches(&wr, "/x/y", false));
	ck_assert(watch_matches(&ws, "@releaseDomain", false));
	ck_assert(!watch_matches(&ws, "@introduceDomain", false));
	ck_assert(!watch_matches(&wr, "@releaseDomain", false));
}
END_TEST

START_TEST(initial_and_changes)
{
	char rep[64];
	size_t len;

	/* the acknowledgement comes first, then the initial event */
	ck_assert_uint_eq(h_req_args(w, XS_WATCH, 0, "/a\ntok", rep, &len),
			  XS_WATCH);
	ck_assert_str_eq(rep, "OK");
	ck_assert_str_eq(h_event(w), "/a tok");
	ck_assert_ptr_null(h_event(w));
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "/a/b/c\n1"), "OK");
	ck_assert_str_eq(h_event(w), "/a/b/c tok");
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "/ab\n1"), "OK");
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "/b\n1"), "OK");
	ck_assert_ptr_null(h_event(w));
	ck_assert_str_eq(h_do(d0, XS_MKDIR, 0, "/a/b"), "OK");
	ck_assert_ptr_null(h_event(w));
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0, "/a/b\nn0\nr3"), "OK");
	ck_assert_str_eq(h_event(w), "/a/b tok");
	ck_assert_ptr_null(h_event(w));
}
END_TEST

START_TEST(removal)
{
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "/a/b/c\n1"), "OK");
	ck_assert_str_eq(h_do(w, XS_WATCH, 0, "/a/b/c\ndeep"), "OK");
	ck_assert_str_eq(h_do(w, XS_WATCH, 0, "/a\ntop"), "OK");
	ck_assert_str_eq(h_do(w, XS_WATCH, 0, "/\nroot"), "OK");
	ck_assert_str_eq(h_event(w), "/a/b/c deep");
	ck_assert_str_eq(h_event(w), "/a top");
	ck_assert_str_eq(h_event(w), "/ root");
	ck_assert_str_eq(h_do(d0, XS_RM, 0, "/a"), "OK");
	/* each watch once: ancestors see the removed node, watches below
	 * see their own node go */
	ck_assert_str_eq(h_event(w), "/a top");
	ck_assert_str_eq(h_event(w), "/a root");
	ck_assert_str_eq(h_event(w), "/a/b/c deep");
	ck_assert_ptr_null(h_event(w));
	/* removing nothing fires nothing */
	ck_assert_str_eq(h_do(d0, XS_RM, 0, "/a"), "OK");
	ck_assert_ptr_null(h_event(w));
}
END_TEST

START_TEST(relative)
{
	ck_assert_str_eq(h_do(w, XS_WATCH, 0, "dev\nrel"), "OK");
	ck_assert_str_eq(h_event(w), "dev rel");
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "/local/domain/0/dev/x\n1"),
			 "OK");
	ck_assert_str_eq(h_event(w), "dev/x rel");
	ck_assert_str_eq(h_do(w, XS_UNWATCH, 0, "dev\nrel"), "OK");
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "dev/y\n1"), "OK");
	ck_assert_ptr_null(h_event(w));
}
END_TEST

START_TEST(errors)
{
	char rep[32];
	size_t len;

	ck_assert_str_eq(h_do(w, XS_WATCH, 0, "/a\nt"), "OK");
	ck_assert_str_eq(h_do(w, XS_WATCH, 0, "/a\nt"), "EEXIST");
	ck_assert_str_eq(h_do(w, XS_WATCH, 0, "/a\nt2"), "OK");
	ck_assert_str_eq(h_do(w, XS_UNWATCH, 0, "/a\nnone"), "ENOENT");
	ck_assert_str_eq(h_do(w, XS_UNWATCH, 0, "/b\nt"), "ENOENT");
	ck_assert_str_eq(h_do(w, XS_WATCH, 0, "/a"), "EINVAL");
	ck_assert_str_eq(h_do(w, XS_WATCH, 0, "/a\nt\nx"), "EINVAL");
	ck_assert_str_eq(h_do(w, XS_WATCH, 0, "/a/\nt"), "EINVAL");
	ck_assert_str_eq(h_do(w, XS_WATCH, 0, "@\nt"), "EINVAL");
	ck_assert_str_eq(h_do(w, XS_WATCH, 0, "@a/b\nt"), "EINVAL");
	ck_assert_str_eq(h_do(w, XS_UNWATCH, 0, "/a"), "EINVAL");
	/* token without NUL */
	ck_assert_uint_eq(h_req(w, XS_WATCH, 0, "/a\0tok", 6, rep, &len),
			  XS_ERROR);
	ck_assert_str_eq(rep, "EINVAL");
	ck_assert_str_eq(h_do(w, XS_RESET_WATCHES, 0, ""), "OK");
	ck_assert_str_eq(h_do(w, XS_UNWATCH, 0, "/a\nt"), "ENOENT");
}
END_TEST

START_TEST(permissions)
{
	struct tconn *d5 = h_conn(5, false);

	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "/s/open\n1"), "OK");
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0, "/s\nr0"), "OK");
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0, "/s/open\nr0"), "OK");
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "/s/hidden\n1"), "OK");
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0, "/s/hidden\nn0"), "OK");
	ck_assert_str_eq(h_do(d5, XS_WATCH, 0, "/s\ntok"), "OK");
	ck_assert_str_eq(h_event(d5), "/s tok");
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "/s/hidden\n2"), "OK");
	ck_assert_ptr_null(h_event(d5));
	ck_assert_str_eq(h_do(d0, XS_WRITE, 0, "/s/open\n2"), "OK");
	ck_assert_str_eq(h_event(d5), "/s/open tok");
	/* special events need read access to the special node */
	ck_assert_str_eq(h_do(d5, XS_WATCH, 0, "@releaseDomain\nrel"), "OK");
	ck_assert_str_eq(h_event(d5), "@releaseDomain rel");
	watch_fire_special("@releaseDomain");
	ck_assert_ptr_null(h_event(d5));
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0, "@releaseDomain\nr0"), "OK");
	watch_fire_special("@releaseDomain");
	ck_assert_str_eq(h_event(d5), "@releaseDomain rel");
}
END_TEST

START_TEST(slow_reader_is_dropped)
{
	struct tconn *d5 = h_conn(5, false);
	char body[3000];
	int i;

	/* The watcher's output is never collected: when its queue passes
	 * the limit the connection is dropped, the writer is unaffected. */
	ck_assert_str_eq(h_do(d0, XS_MKDIR, 0, "/f"), "OK");
	ck_assert_str_eq(h_do(d0, XS_SET_PERMS, 0, "/f\nr0"), "OK");
	ck_assert_int_eq(conn_feed(d5->c, "\x04\0\0\0\0\0\0\0\0\0\0\0"
				   "\x07\0\0\0/f\0tok\0", 23), 23);
	memset(body, 't', sizeof(body));
	body[sizeof(body) - 1] = '\0';
	for (i = 0; i < 5000 && !d5->c->dead; i++) {
		char p[sizeof(body) + 8];

		strcpy(p, "/f/");
		strcat(p, body + 2000);
		ck_assert_str_eq(h_do(d0, XS_WRITE, 0, p), "OK");
	}
	ck_assert(d5->c->dead);
	ck_assert_uint_gt(dropped_events, 0);
	h_check_tree();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("watch");
	TCase *tc = tcase_create("watch");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_add_test(tc, matching);
	tcase_add_test(tc, initial_and_changes);
	tcase_add_test(tc, removal);
	tcase_add_test(tc, relative);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, permissions);
	tcase_add_test(tc, slow_reader_is_dropped);
	suite_add_tcase(s, tc);
	return h_run(s);
}
