/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Log lines: stderr in the foreground, syslog when daemonized. */
#include "fs/fs.h"
#include "fs/testing.h"

#include <stdio.h>
#include <syslog.h>
#include <time.h>

static bool log_syslog;
static bool log_debug_on;
/* The rate limit of warnings: one entry per key (a call site), at most
 * LOG_LIMIT_KEYS of them, each expiring after LOG_LIMIT_PERIOD_US.  All
 * under ratelimit_lock, a leaf lock (no I/O under it). */
#define LOG_LIMIT_KEYS 256
#define LOG_LIMIT_PERIOD_US ((gint64)60 * G_USEC_PER_SEC)
static GMutex ratelimit_lock;
static GHashTable *ratelimit_seen;   /* key -> struct limit */
static unsigned ratelimit_untracked; /* left out, not counted by an entry */
static gint64 ratelimit_offset;      /* test hook: log_test_advance */

void log_init(bool use_syslog, bool debug)
{
	log_syslog = use_syslog;
	log_debug_on = debug;
	if (use_syslog)
		openlog("corralfs", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static int syslog_priority(enum log_level lvl)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	return prio[lvl];
}

static void log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };

	if (lvl == LOG_LVL_DEBUG && !log_debug_on)
		return;
	if (log_syslog) {
		vsyslog(syslog_priority(lvl), fmt, ap);
		return;
	}
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	fprintf(stderr, "corralfs: %s: %s\n", names[lvl], text);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}

/* An entry per key: when it last passed, how many were left out since. */
struct limit {
	gint64 last;
	unsigned left_out;
};

static struct limit *limit_lookup(const char *key)
{
	if (!ratelimit_seen)
		ratelimit_seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return g_hash_table_lookup(ratelimit_seen, key);
}

/* Drop the entries older than the period; their left-out counts move to
 * ratelimit_untracked.  With ratelimit_lock. */
static void limit_expire(gint64 now)
{
	GHashTableIter it;
	gpointer k, val;

	g_hash_table_iter_init(&it, ratelimit_seen);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		struct limit *e = val;

		if (now - e->last >= LOG_LIMIT_PERIOD_US) {
			ratelimit_untracked += e->left_out;
			g_hash_table_iter_remove(&it);
		}
	}
}

/* May a warning for @key pass now?  Sets *left_out to the warnings left out
 * that the caller reports with it. */
static bool ratelimit_pass(const char *key, unsigned *left_out)
{
	gint64 now = g_get_monotonic_time() + ratelimit_offset;
	struct limit *e;
	bool pass = true;

	g_mutex_lock(&ratelimit_lock);
	e = limit_lookup(key);
	if (!e && g_hash_table_size(ratelimit_seen) >= LOG_LIMIT_KEYS)
		limit_expire(now);
	if (e && now - e->last < LOG_LIMIT_PERIOD_US) {
		e->left_out++;
		pass = false;
	} else if (!e && g_hash_table_size(ratelimit_seen) >= LOG_LIMIT_KEYS) {
		ratelimit_untracked++;
		pass = false;
	} else {
		if (!e) {
			e = g_new0(struct limit, 1);
			g_hash_table_insert(ratelimit_seen, g_strdup(key), e);
		}
		*left_out = e->left_out + ratelimit_untracked;
		e->left_out = 0;
		ratelimit_untracked = 0;
		e->last = now;
	}
	g_mutex_unlock(&ratelimit_lock);
	return pass;
}

void log_warn_ratelimited(const char *key, const char *fmt, ...)
{
	unsigned left_out = 0;
	va_list ap;

	if (!ratelimit_pass(key, &left_out))
		return;
	va_start(ap, fmt);
	log_vmsg(LOG_LVL_WARN, fmt, ap);
	va_end(ap);
	if (left_out)
		log_msg(LOG_LVL_WARN, "%u more warnings left out", left_out);
}

void log_test_advance(gint64 us)
{
	g_mutex_lock(&ratelimit_lock);
	ratelimit_offset += us;
	g_mutex_unlock(&ratelimit_lock);
}
