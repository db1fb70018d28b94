/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The load average thread.  Every SAMPLE_INTERVAL_S it counts the active
 * tasks of the containers read in the last minutes (view_sample_all): its
 * cost grows with the containers actually being read and their tasks, not
 * with all the tasks of the host.
 */
#include "fs/fs.h"

static GThread *thread;
static GMutex lock;
static GCond wake;
static bool stopping;

static gpointer sampler_main(gpointer data)
{
	gint64 last = g_get_monotonic_time();

	(void)data;
	g_mutex_lock(&lock);
	while (!stopping) {
		gint64 deadline = last + (gint64)SAMPLE_INTERVAL_S * G_USEC_PER_SEC;

		if (g_cond_wait_until(&wake, &lock, deadline) || stopping)
			continue;
		g_mutex_unlock(&lock);
		gint64 now = g_get_monotonic_time();
		view_sample_all((double)(now - last) / G_USEC_PER_SEC);
		last = now;
		g_mutex_lock(&lock);
	}
	g_mutex_unlock(&lock);
	return NULL;
}

bool sampler_start(GError **err)
{
	stopping = false;
	thread = g_thread_try_new("corral-sampler", sampler_main, NULL, err);
	return thread != NULL;
}

void sampler_stop(void)
{
	if (!thread)
		return;
	g_mutex_lock(&lock);
	stopping = true;
	g_cond_signal(&wake);
	g_mutex_unlock(&lock);
	g_thread_join(thread);
	thread = NULL;
}
