/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How much one user may change through the cgroup tree (fs/fs.h,
 * ratelimit_take): a token bucket per fsuid.
 */
#include "fs/fs.h"

#include <errno.h>

/*
 * A cap on what one user can make the daemon do to the tree: each
 * non-root fsuid has a bucket of RATE_BURST changes (mkdir, rmdir,
 * chmod/chown, writes), refilled at RATE_PER_S; an empty bucket gives
 * EAGAIN, so a mkdir storm of one user slows that user only.  Buckets
 * idle for a minute are dropped.
 */
#define RATE_IDLE_US ((gint64)60 * G_USEC_PER_SEC)
#define RATE_MAX_USERS 4096

struct bucket {
	double tokens;
	gint64 at;
};

static GMutex rate_lock; /* a leaf */
static GHashTable *buckets; /* uid (in a gsize) -> struct bucket* */

static void buckets_expire_locked(gint64 now)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, buckets);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (now - ((struct bucket *)v)->at > RATE_IDLE_US)
			g_hash_table_iter_remove(&it);
	}
}

/* 0, or EAGAIN when @uid made too many changes lately. */
int ratelimit_take(uid_t uid, gint64 now)
{
	struct bucket *b;
	int e = 0;

	if (uid == 0)
		return 0;
	g_mutex_lock(&rate_lock);
	if (!buckets)
		buckets = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	b = g_hash_table_lookup(buckets, GSIZE_TO_POINTER(uid));
	if (!b) {
		if (g_hash_table_size(buckets) >= RATE_MAX_USERS)
			buckets_expire_locked(now);
		b = g_new(struct bucket, 1);
		b->tokens = RATE_BURST;
		b->at = now;
		g_hash_table_insert(buckets, GSIZE_TO_POINTER(uid), b);
	}
	b->tokens = MIN(RATE_BURST, b->tokens + (double)(now - b->at) * RATE_PER_S / G_USEC_PER_SEC);
	b->at = now;
	if (b->tokens >= 1.0)
		b->tokens -= 1.0;
	else
		e = EAGAIN;
	g_mutex_unlock(&rate_lock);
	return e;
}


void ratelimit_reset(void)
{
	g_mutex_lock(&rate_lock);
	g_clear_pointer(&buckets, g_hash_table_destroy);
	buckets = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	g_mutex_unlock(&rate_lock);
}
