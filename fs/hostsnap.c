/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The host's own files.  They are read at most once per refresh period and
 * only when a reader asks (an idle daemon reads nothing).
 *
 * Ownership and locks: the parsed files are an immutable, reference-counted
 * snapshot (struct host_data).  `current` owns one reference.  host_snap_get()
 * returns a reference of its own, which the caller may use for as long as
 * it likes and drops with host_snap_unref(); nobody ever writes to a
 * published snapshot.  One thread at a time (the `refreshing` flag, taken
 * with a compare-and-swap, never waited for) builds a new snapshot with no
 * lock held, then swaps `current` under `snap_lock`.  snap_lock guards only
 * the pointer and the reference taken on it: no I/O, no other lock and no
 * allocation is done while holding it (a leaf lock).  The cpuinfo part has
 * its own longer period and is shared between snapshots by reference.
 */
#include "fs/fs.h"
#include "fs/testing.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOST_TTL_US ((gint64)1 * G_USEC_PER_SEC)
#define CPUINFO_TTL_US ((gint64)10 * G_USEC_PER_SEC)

static gint64 host_ttl_us = HOST_TTL_US; /* test hook: host_test_set_ttl */
static GMutex snap_lock;      /* `current` and taking a reference on it */
static struct host_data *current;
static gint refreshing;       /* 1 while one thread builds a snapshot */
static gint64 host_stamp;     /* monotonic us of the last refresh (atomic) */
static gint64 cpuinfo_stamp;  /* only the refreshing thread touches it */
static unsigned refreshes;    /* snapshots built (atomic), for tests */

char *host_read_file(const char *path, GError **err)
{
	return cg_read_file(path, NULL, err); /* until read(2) returns 0 */
}

double host_uptime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char **read_dir_names(const char *path, GError **err)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	DIR *d = opendir(path);

	if (!d) {
		g_set_error(err, CG_ERROR, CG_ERROR_IO, "listing %s: %s", path, g_strerror(errno));
		return NULL;
	}
	for (struct dirent *de; (de = readdir(d));) {
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			g_ptr_array_add(names, g_strdup(de->d_name));
	}
	closedir(d);
	g_ptr_array_add(names, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}

/* The error of a parser that refused what @file holds. */
static bool parse_failed(GError **err, const char *file)
{
	g_set_error(err, CG_ERROR, CG_ERROR_PARSE, "parsing %s", file);
	return false;
}

/* A parse step: the file, its parser, the target. */
static bool load_mem(struct host_data *h, GError **err)
{
	g_autofree char *text = host_read_file("/proc/meminfo", err);
	g_autofree char *ratio = NULL;

	if (!text)
		return false;
	if (!host_mem_parse(text, &h->mem))
		return parse_failed(err, "/proc/meminfo");
	ratio = host_read_file("/proc/sys/vm/overcommit_ratio", NULL);
	if (ratio)
		h->mem.overcommit_ratio = (unsigned)g_ascii_strtoull(ratio, NULL, 10);
	return true;
}

static bool load_cpuinfo(struct host_data *h, GError **err)
{
	g_autofree char *text = host_read_file("/proc/cpuinfo", err);

	if (!text)
		return false;
	h->cpuinfo = g_new0(struct host_cpuinfo_shared, 1);
	h->cpuinfo->refs = 1;
	if (!host_cpuinfo_parse(text, &h->cpuinfo->ci))
		return parse_failed(err, "/proc/cpuinfo");
	return true;
}

static bool load_cpus(struct host_data *h, GError **err)
{
	g_autofree char *text = host_read_file("/sys/devices/system/cpu/online", err);

	if (!text)
		return false;
	if (!host_cpus_parse(text, &h->cpus)) {
		g_set_error(err, CG_ERROR, CG_ERROR_PARSE, "parsing /sys/devices/system/cpu/online: '%s'", text);
		return false;
	}
	h->cpudir = read_dir_names("/sys/devices/system/cpu", err);
	return h->cpudir != NULL;
}

static bool load_stat(struct host_data *h, GError **err)
{
	g_autofree char *text = host_read_file("/proc/stat", err);

	if (!text)
		return false;
	return host_stat_parse(text, &h->stat) || parse_failed(err, "/proc/stat");
}

static bool load_disks(struct host_data *h, GError **err)
{
	g_autofree char *text = host_read_file("/proc/diskstats", err);

	if (!text)
		return false;
	return host_disks_parse(text, &h->disks) || parse_failed(err, "/proc/diskstats");
}

static void cpuinfo_unref(struct host_cpuinfo_shared *c)
{
	if (!c || !g_atomic_int_dec_and_test(&c->refs))
		return;
	host_cpuinfo_clear(&c->ci);
	g_free(c);
}

static void host_data_free(struct host_data *h)
{
	cpuinfo_unref(h->cpuinfo);
	host_stat_clear(&h->stat);
	host_disks_clear(&h->disks);
	g_strfreev(h->cpudir);
	g_free(h);
}

void host_snap_unref(const struct host_data *h)
{
	struct host_data *mut = (struct host_data *)h;

	if (mut && g_atomic_int_dec_and_test(&mut->refs))
		host_data_free(mut);
}

/* Everything but cpuinfo, which has its own (longer) period. */
static bool host_load(struct host_data *h, GError **err)
{
	h->clk_tck = sysconf(_SC_CLK_TCK);
	return load_mem(h, err) && load_cpus(h, err) && load_stat(h, err) &&
	       load_disks(h, err);
}

/* A new snapshot, read with no lock held; @prev_cpuinfo is shared when
 * cpuinfo is not due.  NULL + err when a file could not be read. */
static struct host_data *host_build(struct host_cpuinfo_shared *prev_cpuinfo,
				    bool cpuinfo_due, GError **err)
{
	struct host_data *h = g_new0(struct host_data, 1);

	h->refs = 1;
	if (!cpuinfo_due && prev_cpuinfo) {
		g_atomic_int_inc(&prev_cpuinfo->refs);
		h->cpuinfo = prev_cpuinfo;
	}
	if (!host_load(h, err) || (cpuinfo_due && !load_cpuinfo(h, err))) {
		host_data_free(h);
		return NULL;
	}
	return h;
}

/* Publish @fresh as the current snapshot; drops the old one's reference. */
static void host_swap(struct host_data *fresh)
{
	struct host_data *old;

	g_mutex_lock(&snap_lock);
	old = current;
	current = fresh;
	g_mutex_unlock(&snap_lock);
	host_snap_unref(old);
}

/* Called by the one thread that set `refreshing`. */
static void host_refresh(gint64 now)
{
	bool cpuinfo_due = now - cpuinfo_stamp >= CPUINFO_TTL_US;
	g_autoptr(GError) err = NULL;
	const struct host_data *prev = host_snap_get_current();
	struct host_data *fresh = host_build(prev ? prev->cpuinfo : NULL, cpuinfo_due, &err);

	host_snap_unref(prev);
	if (!fresh) {
		log_warn_limited("keeping the previous host data: %s", err->message);
	} else {
		host_swap(fresh);
		g_atomic_int_inc((gint *)&refreshes);
		if (cpuinfo_due)
			cpuinfo_stamp = now;
	}
	__atomic_store_n(&host_stamp, now, __ATOMIC_RELEASE);
}

/* Tests (tests/integration/views.sh) shorten the refresh period to make
 * refreshes race with readers: CORRALFS_TEST_HOST_TTL_US, 1 us to 1 s. */
static void host_ttl_from_env(void)
{
	const char *s = g_getenv("CORRALFS_TEST_HOST_TTL_US");
	guint64 us = 0;

	if (!s)
		return;
	if (!g_ascii_string_to_unsigned(s, 10, 1, (guint64)HOST_TTL_US, &us, NULL)) {
		log_warn("ignoring CORRALFS_TEST_HOST_TTL_US='%s': not 1 to %" G_GINT64_FORMAT,
			 s, HOST_TTL_US);
		return;
	}
	host_test_set_ttl((gint64)us);
	log_info("host data refresh period: %" G_GUINT64_FORMAT " us (test setting)", us);
}

bool host_init(GError **err)
{
	gint64 now = g_get_monotonic_time();
	struct host_data *h = host_build(NULL, true, err);

	if (!h)
		return false;
	host_ttl_from_env();
	host_swap(h);
	host_stamp = cpuinfo_stamp = now;
	return true;
}

void host_fini(void)
{
	host_swap(NULL);
}

/* A reference on the current snapshot, without refreshing. */
const struct host_data *host_snap_get_current(void)
{
	struct host_data *h;

	g_mutex_lock(&snap_lock);
	h = current;
	if (h)
		g_atomic_int_inc(&h->refs);
	g_mutex_unlock(&snap_lock);
	return h;
}

const struct host_data *host_snap_get(void)
{
	gint64 now = g_get_monotonic_time();
	gint64 ttl = __atomic_load_n(&host_ttl_us, __ATOMIC_RELAXED);

	if (now - __atomic_load_n(&host_stamp, __ATOMIC_ACQUIRE) >= ttl &&
	    g_atomic_int_compare_and_exchange(&refreshing, 0, 1)) {
		if (now - __atomic_load_n(&host_stamp, __ATOMIC_ACQUIRE) >= ttl)
			host_refresh(now);
		g_atomic_int_set(&refreshing, 0);
	}
	return host_snap_get_current();
}

void host_test_set_ttl(gint64 us)
{
	__atomic_store_n(&host_ttl_us, us, __ATOMIC_RELAXED);
}

unsigned host_test_refreshes(void)
{
	return (unsigned)g_atomic_int_get((gint *)&refreshes);
}
