/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Log lines: stderr in the foreground, syslog when daemonized. */
#include "fs/fs.h"

#include <stdio.h>
#include <syslog.h>
#include <time.h>

static bool log_syslog;
static bool log_debug_on;
static GMutex ratelimit_lock;
static GHashTable *ratelimit_seen; /* key -> last time (monotonic us) */

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

static bool ratelimit_pass(const char *key)
{
	gint64 now = g_get_monotonic_time();
	bool pass = true;

	g_mutex_lock(&ratelimit_lock);
	if (!ratelimit_seen)
		ratelimit_seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	gpointer last = g_hash_table_lookup(ratelimit_seen, key);
	if (last && now - (gint64)GPOINTER_TO_SIZE(last) < (gint64)60 * G_USEC_PER_SEC)
		pass = false;
	else if (g_hash_table_size(ratelimit_seen) < 4096)
		g_hash_table_insert(ratelimit_seen, g_strdup(key), GSIZE_TO_POINTER(now));
	g_mutex_unlock(&ratelimit_lock);
	return pass;
}

void log_warn_ratelimited(const char *key, const char *fmt, ...)
{
	va_list ap;

	if (!ratelimit_pass(key))
		return;
	va_start(ap, fmt);
	log_vmsg(LOG_LVL_WARN, fmt, ap);
	va_end(ap);
}
