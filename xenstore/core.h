/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lamina xenstored: shared declarations.
 *
 * Conventions: functions return 0 or a negative errno; on the wire errors
 * travel as errno names (see wire.c).  Paths handed between modules are
 * canonical absolute paths ("/a/b") or special names ("@releaseDomain").
 */
#ifndef LAMINA_XS_CORE_H
#define LAMINA_XS_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <xen/xen.h>
#include <xen/io/xs_wire.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- util.c ---------------------------------------------------------- */

/* Chained hash table keyed by NUL-terminated strings owned by the caller. */
struct hentry {
	const char *key;
	void *val;
	struct hentry *next;
};

struct htab {
	struct hentry **b;
	size_t nb;
	size_t n;
};

int htab_init(struct htab *h, size_t nb);
void htab_free(struct htab *h);
void *htab_get(const struct htab *h, const char *key);
/* Insert or replace; returns the old value (or NULL). -ENOMEM on failure. */
int htab_put(struct htab *h, const char *key, void *val, void **old);
void *htab_del(struct htab *h, const char *key);
/* Iterate: callback returns non-zero to stop. Table must not change. */
int htab_each(const struct htab *h, int (*fn)(const char *, void *, void *),
	      void *arg);

void *xmalloc(size_t n);
void *xzalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* Strict decimal parse: digits only, no sign, no overflow past max. */
int parse_uint(const char *s, unsigned long max, unsigned long *out);
void xlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool verbose;

/* ---- perms.c --------------------------------------------------------- */

#define PERM_NONE  0
#define PERM_READ  1
#define PERM_WRITE 2
#define PERM_BOTH  (PERM_READ | PERM_WRITE)
#define PERM_OWNER 4

struct perm {
	uint32_t id;
	uint32_t mode;		/* PERM_NONE..PERM_BOTH */
};

struct perms {
	uint32_t num;		/* >= 1; p[0] is owner and default */
	struct perm *p;
};

struct conn;
int perms_parse(const char *strs, size_t len, struct perms *out);
/* Writes "n0\0r5\0..." into a malloc'd buffer. */
char *perms_format(const struct perms *ps, size_t *len);
int perms_copy(struct perms *dst, const struct perms *src);
void perms_free(struct perms *ps);
unsigned int perm_for_conn(const struct conn *c, const struct perms *ps);

/* ---- path.c ---------------------------------------------------------- */

bool path_valid(const char *path);
bool path_valid_special(const char *name);
bool path_is_under(const char *path, const char *top);
/* Canonical absolute path for a request path; malloc'd.  *rel tells if
 * the request path was relative. */
int path_canonical(struct conn *c, const char *in, char **out, bool *rel);
char *path_parent(const char *path);
const char *path_base(const char *path);

/* ---- tree.c ---------------------------------------------------------- */

struct node {
	char *path;
	char *value;
	uint32_t vlen;
	struct perms perms;
	char *children;		/* NUL separated names, insertion order */
	uint32_t clen;
	uint32_t ccap;
	uint64_t gen;		/* store generation of the last change */
	bool deleted;		/* transaction tombstone */
	bool in_main;		/* owned by the main store */
};

struct txn;

/* Main store */
int tree_init(void);
void tree_destroy(void);
struct node *tree_lookup(const char *path);
size_t tree_count(void);
uint64_t tree_next_gen(void);
uint64_t tree_current_gen(void);
/* Put a node into the main store, replacing any old node of that path;
 * takes ownership.  Keeps per-owner accounting. */
void tree_put(struct node *n);
void tree_remove(const char *path);
/* Re-account after a change of n's owner/size while in the main store. */
void tree_account(struct node *n, int sign);
int tree_check(char *msg, size_t len);
int tree_each(int (*fn)(const char *, void *, void *), void *arg);

struct node *node_new(const char *path);
struct node *node_dup(const struct node *n);
void node_free(struct node *n);
int node_set_value(struct node *n, const void *v, uint32_t len);
int node_add_child(struct node *n, const char *name);
bool node_del_child(struct node *n, const char *name);
bool node_has_child(const struct node *n, const char *name);
size_t node_size(const struct node *n);

/* View of the store seen by one request (transaction or direct). */
struct node *view_get(struct conn *c, const char *path);
struct node *view_modify(struct conn *c, const char *path);
void view_done(struct conn *c, struct node *n);
int view_create(struct conn *c, const char *path, const void *val,
		uint32_t vlen, struct node **out);
struct eventlist;
int view_delete(struct conn *c, const char *path, struct eventlist *ev);

/* ---- quota.c --------------------------------------------------------- */

struct quota {
	unsigned long nodes;		/* -E */
	unsigned long watches;		/* -W */
	unsigned long node_size;	/* -S */
	unsigned long transactions;	/* -t */
	unsigned long perms;		/* -A */
	unsigned long path_max;		/* -M */
	unsigned long outstanding;	/* -Q outstanding= */
	unsigned long trans_nodes;	/* -Q transaction-nodes= */
	unsigned long memory;		/* -Q memory= */
};

extern struct quota quota;
void quota_defaults(void);
int quota_set(const char *arg);
char *quota_report(void);
/* Per-domain accounting of owned nodes (count and bytes). */
void quota_nodes_add(uint32_t domid, long count, long bytes);
long quota_nodes_count(uint32_t domid);
long quota_nodes_bytes(uint32_t domid);
void quota_reset(void);
const long *quota_nodes_table(void);

/* ---- conn.c ---------------------------------------------------------- */

struct conn_ops {
	/* >= 0 bytes moved (0: would block), < 0: connection is dead. */
	long (*read)(struct conn *c, void *buf, size_t len);
	long (*write)(struct conn *c, const void *buf, size_t len);
	void (*destroy)(struct conn *c);
};

struct outbuf {
	struct outbuf *next;
	size_t len;
	size_t used;
	bool is_event;
	char data[];		/* header followed by payload */
};

struct watch;
struct domain;

struct conn {
	struct conn *next;
	const struct conn_ops *ops;
	void *tdata;			/* transport private */
	uint32_t id;			/* domid */
	bool priv;			/* dom0-like privilege */
	struct domain *dom;		/* NULL for sockets */
	uint32_t target;		/* SET_TARGET domain, or ~0 */
	char *dom_path;			/* "/local/domain/<id>" */

	/* Input assembly. */
	struct xsd_sockmsg hdr;
	size_t hdr_used;
	char body[XENSTORE_PAYLOAD_MAX + 1];
	size_t body_used;
	bool in_body;

	/* Output queue. */
	struct outbuf *out_head, *out_tail;
	size_t out_bytes;
	unsigned int out_replies;
	unsigned int out_events;

	struct watch *watches;
	unsigned int nr_watches;
	struct txn *txns;
	unsigned int nr_txns;
	uint32_t next_txid;
	struct txn *cur_tx;		/* during one request */
	bool dead;
	bool stalled;			/* input paused by backpressure */
};

extern struct conn *conns;
extern unsigned long dropped_events;
extern size_t conn_out_limit;

struct conn *conn_new(const struct conn_ops *ops, void *tdata,
		      uint32_t domid, bool priv);
void conn_free(struct conn *c);
/* Free dead socket connections; returns how many. */
int conn_reap(void);
/* Pull and dispatch what the transport has; returns <0 when dead. */
int conn_handle_input(struct conn *c);
int conn_handle_output(struct conn *c);
bool conn_wants_output(const struct conn *c);
bool conn_can_take_input(const struct conn *c);
/* Feed raw bytes (used by transports that hand over memory, and fuzzing).
 * Returns bytes consumed or <0 if the connection must be dropped. */
long conn_feed(struct conn *c, const char *buf, size_t len);
int conn_queue(struct conn *c, uint32_t type, uint32_t req_id,
	       uint32_t tx_id, const void *data, size_t len, bool event);

/* ---- wire.c ---------------------------------------------------------- */

struct request {
	struct conn *c;
	struct xsd_sockmsg hdr;
	char *body;		/* NUL terminated after hdr.len bytes */
	uint32_t len;
	bool replied;
};

void wire_process(struct conn *c, const struct xsd_sockmsg *hdr,
		  char *body);
int reply(struct request *r, const void *data, size_t len);
int reply_str(struct request *r, const char *s);
int reply_ok(struct request *r);
const char *errno_name(int err);
const char *msg_type_name(uint32_t type);
/* Split body into NUL-terminated strings; returns count, -EINVAL if the
 * body does not end with NUL. */
int wire_strings(const struct request *r, const char **v, int max);
extern unsigned long msg_count[XS_TYPE_COUNT + 1];
extern unsigned long msg_errors;

/* ---- handlers (ops_node.c, ops_domain.c, control.c) ------------------ */

int op_read(struct request *r);
int op_write(struct request *r);
int op_mkdir(struct request *r);
int op_rm(struct request *r);
int op_directory(struct request *r);
int op_directory_part(struct request *r);
int op_get_perms(struct request *r);
int op_set_perms(struct request *r);
int op_watch(struct request *r);
int op_unwatch(struct request *r);
int op_reset_watches(struct request *r);
int op_transaction_start(struct request *r);
int op_transaction_end(struct request *r);
int op_introduce(struct request *r);
int op_release(struct request *r);
int op_get_domain_path(struct request *r);
int op_is_domain_introduced(struct request *r);
int op_resume(struct request *r);
int op_set_target(struct request *r);
int op_control(struct request *r);

/* ---- watch.c --------------------------------------------------------- */

struct watch {
	struct watch *next;
	char *path;		/* absolute or special */
	char *token;
	bool relative;
	uint64_t fired_op;	/* de-duplication within one operation */
};

/* Collected changes of one operation (or a committed transaction). */
struct event {
	struct event *next;
	char *path;
	struct perms perms;	/* permissions at change time */
	bool exact;		/* only watches on exactly this path */
};

struct eventlist {
	struct event *head, *tail;
};

int watch_add(struct conn *c, const char *path, const char *token,
	      bool relative);
int watch_del(struct conn *c, const char *path, const char *token);
void watch_del_all(struct conn *c);
int event_add(struct eventlist *l, const char *path, const struct perms *p,
	      bool exact);
void event_list_free(struct eventlist *l);
/* Deliver and free the events of one operation. */
void events_fire(struct eventlist *l);
void watch_fire_special(const char *name);
void watch_fire_initial(struct conn *c, const char *path, const char *token);
bool watch_matches(const struct watch *w, const char *path, bool exact);
/* Record a change: directly fired later, or queued on the transaction. */
int note_change(struct conn *c, struct eventlist *l, const char *path,
		const struct perms *p, bool exact);

/* ---- transaction.c --------------------------------------------------- */

struct txn {
	struct txn *next;
	uint32_t id;
	struct htab access;	/* path -> struct access */
	struct htab overlay;	/* path -> struct node (maybe tombstone) */
	struct eventlist events;
	long entry_delta;	/* nodes created minus deleted (conn's dom) */
	bool failed;
};

int txn_start(struct conn *c, uint32_t *id);
struct txn *txn_find(struct conn *c, uint32_t id);
int txn_end(struct conn *c, struct txn *t, bool commit);
void txn_free_all(struct conn *c);
/* Record that the transaction observed path in state n (NULL: absent). */
int txn_note_access(struct txn *t, const char *path, const struct node *n);
extern unsigned long txn_conflicts;
int txn_check_size(struct conn *c);
struct node *txn_seen(struct txn *t, const char *path, bool *seen);

/* ---- domain.c -------------------------------------------------------- */

struct evtchn_ops;
struct gnt_ops;

struct domain {
	struct domain *next;
	uint32_t domid;
	uint64_t gfn;
	uint32_t rport;
	unsigned int lport;
	struct xenstore_domain_interface *intf;
	struct conn *conn;
	bool introduced;
	bool shutdown;
};

extern struct domain *domains;
extern bool no_domain_init;
struct domain *domain_find(uint32_t domid);
int domain_special_perms(const char *name, struct perms **out);
void domain_init_special(void);
void domain_release_all(void);
void domain_home0_ensure(void);
int parse_domid(const char *s, uint32_t *out);

/* ---- ring.c / backend.c ---------------------------------------------- */

int ring_read(struct xenstore_domain_interface *intf, void *buf, size_t len);
int ring_write(struct xenstore_domain_interface *intf, const void *buf,
	       size_t len);
bool ring_has_input(const struct xenstore_domain_interface *intf);
bool ring_has_space(const struct xenstore_domain_interface *intf);
void ring_init_server(struct xenstore_domain_interface *intf);

/*
 * How domain rings are reached.  A later issue plugs /dev/xen/evtchn and
 * /dev/xen/gntdev in here; tests plug in memfd pages and eventfds.
 */
struct evtchn_ops {
	int (*bind)(void *ctx, uint32_t domid, uint32_t rport,
		    unsigned int *lport);
	void (*unbind)(void *ctx, unsigned int lport);
	int (*notify)(void *ctx, unsigned int lport);
	/* Pollable fd becoming readable when lport fires (may be shared). */
	int (*fd)(void *ctx, unsigned int lport);
	/* Consume a pending notification. */
	void (*ack)(void *ctx, unsigned int lport);
};

struct gnt_ops {
	void *(*map)(void *ctx, uint32_t domid, uint64_t gfn);
	void (*unmap)(void *ctx, void *addr);
};

struct backend {
	const char *name;
	const struct evtchn_ops *ev;
	const struct gnt_ops *gnt;
	void *ctx;
};

extern struct backend *backend;
void backend_set(struct backend *b);
struct conn *ring_conn_new(struct domain *d);
/* Service every domain connection: input, output, reconnect requests. */
void ring_service_all(void);
void ring_kick(struct conn *c);
bool ring_busy(void);
void ring_conn_reset(struct domain *d);

/* memfd/eventfd backend (tests and fuzzing). */
struct backend *memfd_backend_new(void);
int memfd_backend_add(struct backend *b, uint32_t domid, uint64_t gfn,
		      void *page, uint32_t port, int ev_in, int ev_out);

/* ---- trace (main.c) -------------------------------------------------- */

void trace_msg(const struct conn *c, bool out, const struct xsd_sockmsg *h,
	       const char *body);
void trace_open(const char *file);

#endif
