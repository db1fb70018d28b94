/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The host's own files.  They are read at most once per refresh period and
 * only when a reader asks (an idle daemon reads nothing); readers share the
 * parsed copy under a read lock.
 */
#include "fs/fs.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOST_TTL_US ((gint64)1 * G_USEC_PER_SEC)
#define CPUINFO_TTL_US ((gint64)10 * G_USEC_PER_SEC)

static GRWLock host_lock;
static GMutex refresh_lock;
static struct host_data host;
static gint64 host_stamp;    /* monotonic us of the last refresh */
static gint64 cpuinfo_stamp;

char *host_read_file(const char *path, GError **err)
{
	char *text = NULL;
	GError *e = NULL;

	if (!g_file_get_contents(path, &text, NULL, &e)) {
		g_set_error(err, CG_ERROR, CG_ERROR_IO, "reading %s: %s", path, e->message);
		g_error_free(e);
		return NULL;
	}
	return text;
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

/* A parse step: the file, its parser, the target. */
static bool load_mem(struct host_data *h, GError **err)
{
	g_autofree char *text = host_read_file("/proc/meminfo", err);
	g_autofree char *ratio = NULL;

	if (!text)
		return false;
	if (!host_mem_parse(text, &h->mem)) {
		g_set_error(err, CG_ERROR, CG_ERROR_PARSE, "parsing /proc/meminfo");
		return false;
	}
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
	if (!host_cpuinfo_parse(text, &h->cpuinfo)) {
		g_set_error(err, CG_ERROR, CG_ERROR_PARSE, "parsing /proc/cpuinfo");
		return false;
	}
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
	if (!host_stat_parse(text, &h->stat)) {
		g_set_error(err, CG_ERROR, CG_ERROR_PARSE, "parsing /proc/stat");
		return false;
	}
	return true;
}

static bool load_disks(struct host_data *h, GError **err)
{
	g_autofree char *text = host_read_file("/proc/diskstats", err);

	if (!text)
		return false;
	if (!host_disks_parse(text, &h->disks)) {
		g_set_error(err, CG_ERROR, CG_ERROR_PARSE, "parsing /proc/diskstats");
		return false;
	}
	return true;
}

static void host_data_clear(struct host_data *h, bool with_cpuinfo)
{
	if (with_cpuinfo)
		host_cpuinfo_clear(&h->cpuinfo);
	host_stat_clear(&h->stat);
	host_disks_clear(&h->disks);
	g_strfreev(h->cpudir);
	h->cpudir = NULL;
}

/* Everything but cpuinfo, which has its own (longer) period. */
static bool host_load(struct host_data *h, GError **err)
{
	h->clk_tck = sysconf(_SC_CLK_TCK);
	return load_mem(h, err) && load_cpus(h, err) && load_stat(h, err) &&
	       load_disks(h, err);
}

static void host_refresh(gint64 now)
{
	struct host_data fresh = { 0 };
	bool cpuinfo_due = now - cpuinfo_stamp >= CPUINFO_TTL_US;
	g_autoptr(GError) err = NULL;

	if (!host_load(&fresh, &err) || (cpuinfo_due && !load_cpuinfo(&fresh, &err))) {
		log_warn_ratelimited("host-refresh", "keeping the previous host data: %s",
				     err->message);
		host_data_clear(&fresh, cpuinfo_due);
		__atomic_store_n(&host_stamp, now, __ATOMIC_RELEASE);
		return;
	}
	g_rw_lock_writer_lock(&host_lock);
	if (!cpuinfo_due)
		fresh.cpuinfo = host.cpuinfo;
	host_data_clear(&host, cpuinfo_due);
	host = fresh;
	__atomic_store_n(&host_stamp, now, __ATOMIC_RELEASE);
	if (cpuinfo_due)
		cpuinfo_stamp = now;
	g_rw_lock_writer_unlock(&host_lock);
}

bool host_init(GError **err)
{
	gint64 now = g_get_monotonic_time();

	if (!host_load(&host, err) || !load_cpuinfo(&host, err)) {
		host_data_clear(&host, true);
		return false;
	}
	host_stamp = cpuinfo_stamp = now;
	return true;
}

void host_fini(void)
{
	host_data_clear(&host, true);
}

const struct host_data *host_get(void)
{
	gint64 now = g_get_monotonic_time();

	if (now - __atomic_load_n(&host_stamp, __ATOMIC_ACQUIRE) >= HOST_TTL_US &&
	    g_mutex_trylock(&refresh_lock)) {
		if (now - __atomic_load_n(&host_stamp, __ATOMIC_ACQUIRE) >= HOST_TTL_US)
			host_refresh(now);
		g_mutex_unlock(&refresh_lock);
	}
	g_rw_lock_reader_lock(&host_lock);
	return &host;
}

void host_put(void)
{
	g_rw_lock_reader_unlock(&host_lock);
}
