/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit-test harness: an in-memory connection whose replies are captured,
 * so tests drive the real dispatcher with real messages.
 */
#ifndef LAMINA_XS_HARNESS_H
#define LAMINA_XS_HARNESS_H

#include <check.h>
#include "core.h"

#define H_MAX_EVENTS 256

struct tconn {
	struct conn *c;
	char out[64 * 1024];
	size_t out_len;
	char *events[H_MAX_EVENTS];
	unsigned int nev, evpos;
};

void h_setup(void);
void h_teardown(void);
struct tconn *h_conn(uint32_t domid, bool priv);
/* Send one request; returns the reply type and copies the payload. */
uint32_t h_req(struct tconn *t, uint32_t type, uint32_t tx, const void *body,
	       size_t len, char *rep, size_t *rlen);
/* Request with NUL-separated args given as one string with '\n'. */
uint32_t h_req_args(struct tconn *t, uint32_t type, uint32_t tx,
		    const char *args, char *rep, size_t *rlen);
/* Convenience: returns "OK", the error name, or the reply payload. */
const char *h_do(struct tconn *t, uint32_t type, uint32_t tx,
		 const char *args);
/* Pop the next queued watch event: "path token", or NULL. */
const char *h_event(struct tconn *t);
void h_check_tree(void);
int h_run(Suite *s);

#endif
