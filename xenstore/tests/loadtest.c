// SPDX-License-Identifier: GPL-2.0
/*
 * Load test: N clients (threads, one socket each) for S seconds write and
 * remove nodes under their own subtree, and increment a shared counter in
 * transactions (retrying on EAGAIN).  Every client watches its subtree
 * and the counter.  At the end: no watch event may be missing, the
 * counter must equal the number of committed transactions, the tree must
 * pass CONTROL check, and the daemon's memory must stay bounded.
 * Usage: loadtest SOCKET DAEMON_PID [CLIENTS] [SECONDS]
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

static const char *sock_path;
static int nclients = 64, seconds = 30;
static pthread_barrier_t bar;
static unsigned long commits, conflicts_seen;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int passed, failed;

struct client {
	int id, fd;
	unsigned long own_ops, own_events, shared_events, ops;
	unsigned long commits, eagain;
	int done_seen;
	int error;
	char own_tok[16], shared_tok[16];
};

static void check(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", ok ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (ok)
		passed++;
	else
		failed++;
}

static int xs_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strncpy(sa.sun_path, sock_path, sizeof(sa.sun_path) - 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	return fd;
}

static int xread(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t n;

	while (len) {
		n = read(fd, p, len);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void on_event(struct client *c, const char *path, const char *tok)
{
	if (!strcmp(tok, c->shared_tok)) {
		c->shared_events++;
	} else if (!strcmp(tok, c->own_tok)) {
		if (strstr(path, "/done"))
			c->done_seen = 1;
		else
			c->own_events++;
	}
}

/* Send a request, handle events until its reply arrives. */
static int req(struct client *c, uint32_t type, uint32_t tx,
	       const char *body, uint32_t len, char *rep)
{
	struct xsd_sockmsg h = { type, (uint32_t)c->ops++, tx, len };
	char buf[XENSTORE_PAYLOAD_MAX + 1];

	if (write(c->fd, &h, sizeof(h)) != sizeof(h) ||
	    write(c->fd, body, len) != (ssize_t)len)
		return -1;
	for (;;) {
		if (xread(c->fd, &h, sizeof(h)) ||
		    h.len > XENSTORE_PAYLOAD_MAX ||
		    xread(c->fd, buf, h.len))
			return -1;
		buf[h.len] = '\0';
		if (h.type == XS_WATCH_EVENT) {
			on_event(c, buf, buf + strlen(buf) + 1);
			continue;
		}
		if (rep)
			memcpy(rep, buf, h.len + 1);
		return (int)h.type;
	}
}

static int req_str(struct client *c, uint32_t type, uint32_t tx,
		   const char *a, const char *b, char *rep)
{
	char body[512];
	size_t la = strlen(a) + 1, lb = b ? strlen(b) + 1 : 0;

	memcpy(body, a, la);
	if (b)
		memcpy(body + la, b, lb - (type == XS_WRITE));
	return req(c, type, tx, body,
		   (uint32_t)(la + (lb ? lb - (type == XS_WRITE) : 0)), rep);
}

static void increment(struct client *c)
{
	char rep[XENSTORE_PAYLOAD_MAX + 1], val[32];
	uint32_t tx;

	for (;;) {
		if (req_str(c, XS_TRANSACTION_START, 0, "", NULL, rep) !=
		    XS_TRANSACTION_START) {
			c->error = 1;
			return;
		}
		tx = (uint32_t)strtoul(rep, NULL, 10);
		if (req_str(c, XS_READ, tx, "/load/shared/counter", NULL,
			    rep) != XS_READ) {
			c->error = 2;
			return;
		}
		snprintf(val, sizeof(val), "%lu", strtoul(rep, NULL, 10) + 1);
		req_str(c, XS_WRITE, tx, "/load/shared/counter", val, rep);
		if (req_str(c, XS_TRANSACTION_END, tx, "T", NULL, rep) ==
		    XS_TRANSACTION_END) {
			c->commits++;
			return;
		}
		if (strcmp(rep, "EAGAIN")) {
			c->error = 3;
			return;
		}
		c->eagain++;
	}
}

static void *client_main(void *arg)
{
	struct client *c = arg;
	char rep[XENSTORE_PAYLOAD_MAX + 1], path[64], val[32], w[64];
	time_t end;
	unsigned long i = 0;

	snprintf(w, sizeof(w), "/load/c%d", c->id);
	req_str(c, XS_WATCH, 0, w, c->own_tok, rep);
	req_str(c, XS_WATCH, 0, "/load/shared/counter", c->shared_tok, rep);
	pthread_barrier_wait(&bar);
	end = time(NULL) + seconds;
	while (time(NULL) < end && !c->error) {
		snprintf(path, sizeof(path), "/load/c%d/k%lu", c->id, i % 32);
		snprintf(val, sizeof(val), "%lu", i);
		if (i % 5 == 4) {
			/* removing a missing node changes nothing */
			if (req_str(c, XS_READ, 0, path, NULL, rep) == XS_READ)
				c->own_ops++;
			req_str(c, XS_RM, 0, path, NULL, rep);
		} else if (i % 4 == 3) {
			increment(c);
		} else {
			if (req_str(c, XS_WRITE, 0, path, val, rep) != XS_WRITE)
				c->error = 4;
			c->own_ops++;
		}
		i++;
	}
	pthread_mutex_lock(&lock);
	commits += c->commits;
	conflicts_seen += c->eagain;
	pthread_mutex_unlock(&lock);
	pthread_barrier_wait(&bar);
	/* Everything before the barrier is queued ahead of this event. */
	snprintf(path, sizeof(path), "/load/c%d/done", c->id);
	req_str(c, XS_WRITE, 0, path, "1", rep);
	while (!c->done_seen && !c->error)
		if (req_str(c, XS_READ, 0, path, NULL, rep) != XS_READ)
			c->error = 5;
	return NULL;
}

static long rss_kb(int pid, const char *field)
{
	char file[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(file, sizeof(file), "/proc/%d/status", pid);
	f = fopen(file, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)))
			v = strtol(line + strlen(field) + 1, NULL, 10);
	fclose(f);
	return v;
}

/* Compare what every client saw with what happened. */
static void report(struct client *ctl, struct client *cl, long rss0,
		   long rss1, long hwm)
{
	char rep[XENSTORE_PAYLOAD_MAX + 1];
	unsigned long lost_own = 0, lost_shared = 0, ops = 0;
	int i, errors = 0;

	for (i = 0; i < nclients; i++) {
		/* initial event + one per change of the own subtree */
		lost_own += cl[i].own_ops + 1 - cl[i].own_events;
		/* initial event + one per committed increment */
		lost_shared += commits + 1 - cl[i].shared_events;
		ops += cl[i].ops;
		errors += cl[i].error != 0;
	}
	req_str(ctl, XS_READ, 0, "/load/shared/counter", NULL, rep);
	printf("clients %d, seconds %d, requests %lu (%.0f/s), commits %lu, "
	       "EAGAIN retries %lu\n", nclients, seconds, ops,
	       (double)ops / seconds, commits, conflicts_seen);
	printf("daemon RSS: %ld kB before, %ld kB after, peak %ld kB\n", rss0,
	       rss1, hwm);
	check(errors == 0, "no client errors (%d)", errors);
	check(lost_own == 0, "no lost events on own subtrees (%lu)", lost_own);
	check(lost_shared == 0, "no lost events on the counter (%lu)",
	      lost_shared);
	check(strtoul(rep, NULL, 10) == commits,
	      "counter %s equals committed transactions %lu", rep, commits);
	check(commits > 0 && conflicts_seen > 0,
	      "transactions committed and conflicted");
	check(req_str(ctl, XS_CONTROL, 0, "check", NULL, rep) == XS_CONTROL &&
	      !strcmp(rep, "OK"), "CONTROL check: %s", rep);
	check(hwm > 0 && hwm < 64 * 1024, "peak RSS below 64 MiB (%ld kB)",
	      hwm);
	req_str(ctl, XS_RM, 0, "/load", NULL, rep);
}

int main(int argc, char **argv)
{
	struct client *cl;
	struct client ctl = { .id = -1 };
	pthread_t *th;
	char rep[XENSTORE_PAYLOAD_MAX + 1];
	long rss0;
	int i, pid;

	if (argc < 3) {
		fprintf(stderr,
			"usage: loadtest SOCKET PID [CLIENTS] [SECS]\n");
		return 2;
	}
	sock_path = argv[1];
	pid = atoi(argv[2]);
	if (argc > 3)
		nclients = atoi(argv[3]);
	if (argc > 4)
		seconds = atoi(argv[4]);
	ctl.fd = xs_connect();
	if (ctl.fd < 0)
		return 2;
	req_str(&ctl, XS_WRITE, 0, "/load/shared/counter", "0", rep);
	rss0 = rss_kb(pid, "VmRSS:");
	cl = calloc((size_t)nclients, sizeof(*cl));
	th = calloc((size_t)nclients, sizeof(*th));
	pthread_barrier_init(&bar, NULL, (unsigned)nclients);
	for (i = 0; i < nclients; i++) {
		cl[i].id = i;
		cl[i].fd = xs_connect();
		snprintf(cl[i].own_tok, sizeof(cl[i].own_tok), "o%d", i);
		snprintf(cl[i].shared_tok, sizeof(cl[i].shared_tok), "s%d", i);
		if (cl[i].fd < 0)
			return 2;
		pthread_create(&th[i], NULL, client_main, &cl[i]);
	}
	for (i = 0; i < nclients; i++)
		pthread_join(th[i], NULL);
	report(&ctl, cl, rss0, rss_kb(pid, "VmRSS:"), rss_kb(pid, "VmHWM:"));
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
