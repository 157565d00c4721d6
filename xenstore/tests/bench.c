// SPDX-License-Identifier: GPL-2.0
/*
 * Throughput over the Unix socket, one client, one request in flight:
 * READ, WRITE, and transactions (start + read + write + commit).  Then
 * the daemon's RSS growth for 10,000 new nodes.
 * Usage: bench SOCKET DAEMON_PID [SECONDS_PER_TEST]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

static int fd;

static int xread(void *buf, size_t len)
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

static uint32_t req(uint32_t type, uint32_t tx, const char *body,
		    uint32_t len, char *rep)
{
	struct xsd_sockmsg h = { type, 1, tx, len };
	char buf[XENSTORE_PAYLOAD_MAX + 1];

	if (write(fd, &h, sizeof(h)) != sizeof(h) ||
	    write(fd, body, len) != (ssize_t)len)
		exit(1);
	if (xread(&h, sizeof(h)) || h.len > XENSTORE_PAYLOAD_MAX ||
	    xread(buf, h.len))
		exit(1);
	buf[h.len] = '\0';
	if (rep)
		strcpy(rep, buf);
	return h.type;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(int pid)
{
	char file[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(file, sizeof(file), "/proc/%d/status", pid);
	f = fopen(file, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			v = strtol(line + 6, NULL, 10);
	fclose(f);
	return v;
}

static void run(const char *name, double secs, int kind)
{
	char rep[XENSTORE_PAYLOAD_MAX + 1];
	double t0 = now(), t;
	unsigned long n = 0, tx;

	do {
		switch (kind) {
		case 0:
			req(XS_READ, 0, "/bench/node", 12, NULL);
			break;
		case 1:
			req(XS_WRITE, 0, "/bench/node\0value", 17, NULL);
			break;
		default:
			req(XS_TRANSACTION_START, 0, "", 1, rep);
			tx = strtoul(rep, NULL, 10);
			req(XS_READ, (uint32_t)tx, "/bench/node", 12, NULL);
			req(XS_WRITE, (uint32_t)tx, "/bench/node\0v2", 14,
			    NULL);
			if (req(XS_TRANSACTION_END, (uint32_t)tx, "T", 2,
				rep) != XS_TRANSACTION_END)
				exit(1);
			break;
		}
		n++;
		t = now() - t0;
	} while (t < secs);
	printf("%-13s %8.0f ops/s (%lu in %.1f s)\n", name, n / t, n, t);
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	double secs = argc > 3 ? atof(argv[3]) : 3;
	char path[64];
	long before, after;
	int pid, i;

	if (argc < 3) {
		fprintf(stderr, "usage: bench SOCKET PID [SECONDS]\n");
		return 2;
	}
	pid = atoi(argv[2]);
	strncpy(sa.sun_path, argv[1], sizeof(sa.sun_path) - 1);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return 2;
	req(XS_WRITE, 0, "/bench/node\0value", 17, NULL);
	run("read", secs, 0);
	run("write", secs, 1);
	run("transaction", secs, 2);
	before = rss_kb(pid);
	for (i = 0; i < 10000; i++) {
		int n = snprintf(path, sizeof(path), "/bench/m/%d/node%d",
				 i / 100, i);

		memcpy(path + n + 1, "v", 1);
		req(XS_WRITE, 0, path, (uint32_t)n + 2, NULL);
	}
	after = rss_kb(pid);
	printf("RSS for 10,000 nodes (+100 parents, value 1 byte): %ld kB "
	       "(%ld kB -> %ld kB)\n", after - before, before, after);
	return 0;
}
