// SPDX-License-Identifier: GPL-2.0
/*
 * xenstored: options, start-up, trace file and the poll loop.
 */
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "conn_socket.h"

#define DEFAULT_SOCKET "/run/xenstored/socket"

static int trace_fd = -1;
static const char *trace_file;
static volatile sig_atomic_t got_hup, got_term;

void trace_open(const char *file)
{
	if (trace_fd >= 0)
		close(trace_fd);
	trace_fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (trace_fd < 0)
		perror(file);
}

void trace_msg(const struct conn *c, bool out, const struct xsd_sockmsg *h,
	       const char *body)
{
	char buf[XENSTORE_PAYLOAD_MAX + 160];
	size_t off, i;
	time_t now;
	struct tm tm;

	if (trace_fd < 0)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	off = strftime(buf, 64, "%Y%m%d %H:%M:%S", &tm);
	off += (size_t)snprintf(buf + off, 96, " %s %p %s (",
				out ? "OUT" : "IN",
				(const void *)c, msg_type_name(h->type));
	for (i = 0; i < h->len && i < XENSTORE_PAYLOAD_MAX; i++)
		buf[off++] = body[i] ? body[i] : ' ';
	buf[off++] = ')';
	buf[off++] = '\n';
	if (write(trace_fd, buf, off) < 0)
		return;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: xenstored [options]\n"
"\n"
"  -N, --no-fork             stay in the foreground\n"
"  -F, --pid-file <file>     write the daemon's pid to <file>\n"
"  -P, --output-pid          print the daemon's pid on stdout\n"
"  -T, --trace-file <file>   log every message to <file> (SIGHUP reopens)\n"
"  -V, --verbose             log diagnostics to stderr\n"
"  -D, --no-domain-init      set up no dom0 ring: every socket client is\n"
"                            domain 0 with full privilege and relative\n"
"                            paths resolve under /local/domain/0\n"
"  -s, --socket <path>       listen on <path> (default $XENSTORED_PATH,\n"
"                            else $XENSTORED_RUNDIR/socket, else\n"
"                            " DEFAULT_SOCKET ")\n"
"  -E, --entry-nb <n>        nodes owned per domain (default 1000)\n"
"  -S, --entry-size <n>      bytes per node record (default 2048)\n"
"  -W, --watch-nb <n>        watches per domain (default 128)\n"
"  -t, --transaction <n>     open transactions per domain (default 10)\n"
"  -A, --perm-nb <n>         permission entries per node (default 5)\n"
"  -M, --path-max <n>        path length below a domain's home, or of\n"
"                            other paths (2048), for every client\n"
"  -Q, --quota <what>=<n>    set a quota: outstanding (20), transaction-\n"
"                            nodes (1024), memory (2621440), nodes,\n"
"                            node-size, watches, transactions,\n"
"                            node-permissions, path-length\n"
"  -I, --internal-db         accepted for compatibility (always in memory)\n"
"  -R, --no-recovery         accepted for compatibility (no database)\n"
"  -H, -h, --help            this text\n"
"\n"
"Quotas other than -M apply to unprivileged domains only.\n"
"See xenstored(8).\n");
}

static const struct option long_opts[] = {
	{ "no-fork", no_argument, NULL, 'N' },
	{ "pid-file", required_argument, NULL, 'F' },
	{ "output-pid", no_argument, NULL, 'P' },
	{ "trace-file", required_argument, NULL, 'T' },
	{ "verbose", no_argument, NULL, 'V' },
	{ "no-domain-init", no_argument, NULL, 'D' },
	{ "socket", required_argument, NULL, 's' },
	{ "entry-nb", required_argument, NULL, 'E' },
	{ "entry-size", required_argument, NULL, 'S' },
	{ "watch-nb", required_argument, NULL, 'W' },
	{ "transaction", required_argument, NULL, 't' },
	{ "perm-nb", required_argument, NULL, 'A' },
	{ "path-max", required_argument, NULL, 'M' },
	{ "quota", required_argument, NULL, 'Q' },
	{ "internal-db", optional_argument, NULL, 'I' },
	{ "no-recovery", no_argument, NULL, 'R' },
	{ "help", no_argument, NULL, 'H' },
	{ NULL, 0, NULL, 0 }
};

struct opts {
	bool fork;
	bool output_pid;
	const char *pid_file;
	const char *socket;
};

static void set_num(unsigned long *dst, const char *arg, const char *opt)
{
	if (parse_uint(arg, 0x7fffffff, dst)) {
		fprintf(stderr, "xenstored: bad value '%s' for %s\n", arg, opt);
		exit(1);
	}
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	while ((c = getopt_long(argc, argv, "NF:PT:VDs:E:S:W:t:A:M:Q:I::RHh",
				long_opts, NULL)) != -1) {
		switch (c) {
		case 'N': o->fork = false; break;
		case 'F': o->pid_file = optarg; break;
		case 'P': o->output_pid = true; break;
		case 'T': trace_file = optarg; break;
		case 'V': verbose = true; break;
		case 'D': no_domain_init = true; break;
		case 's': o->socket = optarg; break;
		case 'E': set_num(&quota.nodes, optarg, "-E"); break;
		case 'S': set_num(&quota.node_size, optarg, "-S"); break;
		case 'W': set_num(&quota.watches, optarg, "-W"); break;
		case 't': set_num(&quota.transactions, optarg, "-t"); break;
		case 'A': set_num(&quota.perms, optarg, "-A"); break;
		case 'M': set_num(&quota.path_max, optarg, "-M"); break;
		case 'Q':
			if (quota_set(optarg)) {
				fprintf(stderr, "xenstored: bad quota '%s'\n",
					optarg);
				exit(1);
			}
			break;
		case 'I': case 'R': break;
		case 'H': case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(1);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "xenstored: unexpected argument '%s'\n",
			argv[optind]);
		exit(1);
	}
}

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

static void daemonize(void)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid > 0)
		_exit(0);
	setsid();
	if (chdir("/"))
		exit(1);
}

static void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

static void write_pid(const char *file)
{
	FILE *f = fopen(file, "w");

	if (!f) {
		perror(file);
		exit(1);
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

static const char *socket_path(const struct opts *o)
{
	const char *dir = getenv("XENSTORED_RUNDIR");
	const char *env = getenv("XENSTORED_PATH");

	if (o->socket)
		return o->socket;
	/* The same variables Xen's clients and daemon look at. */
	if (env && *env)
		return env;
	if (dir)
		return xasprintf("%s/socket", dir);
	mkdir("/run/xenstored", 0755);
	return DEFAULT_SOCKET;
}

struct pollset {
	struct pollfd *fds;
	struct conn **who;
	size_t n, cap;
};

static void ps_add(struct pollset *ps, int fd, short ev, struct conn *c)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 64;
		ps->fds = xrealloc(ps->fds, ps->cap * sizeof(*ps->fds));
		ps->who = xrealloc(ps->who, ps->cap * sizeof(*ps->who));
	}
	ps->fds[ps->n].fd = fd;
	ps->fds[ps->n].events = ev;
	ps->fds[ps->n].revents = 0;
	ps->who[ps->n++] = c;
}

/* Out of file descriptors: stop accepting until a connection goes. */
static bool accept_paused;

static void build_pollset(struct pollset *ps, int lfd)
{
	struct conn *c;
	struct domain *d;
	short ev;

	ps->n = 0;
	ps_add(ps, lfd, accept_paused ? 0 : POLLIN, NULL);
	for (c = conns; c; c = c->next) {
		if (c->dom || c->dead)
			continue;
		ev = conn_can_take_input(c) ? POLLIN : 0;
		if (c->out_head)
			ev |= POLLOUT;
		ps_add(ps, socket_fd(c), ev, c);
	}
	for (d = domains; d; d = d->next)
		ps_add(ps, backend->ev->fd(backend->ctx, d->lport), POLLIN,
		       NULL);
}

static void handle_sockets(struct pollset *ps)
{
	struct conn *c;
	size_t i;

	for (i = 1; i < ps->n; i++) {
		c = ps->who[i];
		if (!c || !ps->fds[i].revents)
			continue;
		if (ps->fds[i].revents & POLLIN)
			conn_handle_input(c);
		else if (ps->fds[i].revents & (POLLERR | POLLHUP | POLLNVAL))
			c->dead = true;
	}
	/* Replies and events go out now rather than after another poll. */
	for (c = conns; c; c = c->next)
		if (!c->dom && c->out_head)
			conn_handle_output(c);
}

static void main_loop(int lfd)
{
	struct pollset ps = { NULL, NULL, 0, 0 };
	int i, rc;

	while (!got_term) {
		if (got_hup) {
			got_hup = 0;
			if (trace_file)
				trace_open(trace_file);
		}
		rc = 0;
		build_pollset(&ps, lfd);
		if (poll(ps.fds, ps.n, ring_busy() ? 0 : -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("poll");
			exit(1);
		}
		if (ps.fds[0].revents & POLLIN)
			for (i = 0, rc = 0; i < 16 && !rc; i++)
				rc = socket_accept(lfd);
		if (rc == -EMFILE || rc == -ENFILE || rc == -ENOBUFS ||
		    rc == -ENOMEM)
			accept_paused = true;
		handle_sockets(&ps);
		if (backend)
			ring_service_all();
		if (conn_reap())
			accept_paused = false;
	}
	free(ps.fds);
	free(ps.who);
}

int main(int argc, char **argv)
{
	struct opts o = { .fork = true };
	struct sigaction sa = { .sa_handler = on_signal };
	const char *sock;
	int lfd;

	quota_defaults();
	parse_opts(argc, argv, &o);
	if (!no_domain_init) {
		fprintf(stderr, "xenstored: setting up the dom0 ring needs "
			"/dev/xen/xenbus_backend support, which this build "
			"lacks; run with -D (--no-domain-init)\n");
		return 1;
	}
	tree_init();
	domain_init_special();
	domain_home0_ensure();
	if (trace_file)
		trace_open(trace_file);
	sock = socket_path(&o);
	lfd = socket_listen(sock);
	if (lfd < 0) {
		fprintf(stderr, "xenstored: cannot listen on %s: %s\n", sock,
			strerror(-lfd));
		return 1;
	}
	if (o.fork)
		daemonize();
	if (o.pid_file)
		write_pid(o.pid_file);
	if (o.output_pid) {
		printf("%ld\n", (long)getpid());
		fflush(stdout);
	}
	if (o.fork)
		detach_stdio();
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	main_loop(lfd);
	close(lfd);
	unlink(sock);
	return 0;
}
