/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proc/stat of a container.
 *
 * CPU lines: per visible CPU, the container's user and system time in
 * USER_HZ ticks; idle = uptime - user - system (never negative); nice,
 * iowait, irq, softirq, steal, guest and guest_nice are 0 (the cgroup does
 * not split them out).  The "cpu" line is the sum of the per-CPU lines.
 *  - v1 (per-CPU counters): host CPU phys[k]'s time goes to visible CPU k;
 *    the time of every other host CPU with time (outside the view, or cut
 *    by the quota) is added round-robin onto the visible CPUs, so that the
 *    total is the cgroup's.
 *  - v2 (no per-CPU counters): the total is spread evenly.
 *  - no CPU accounting (!valid): no busy time, idle = uptime.
 * Host-wide lines passed through: intr, ctxt, btime, softirq.
 * "processes" is the container's fork count, which never goes down: the
 * threads seen starting since the daemon first walked the container
 * (cg_tasks.forks, docs/proc-stat.md), at least the current thread
 * count; procs_running is at least 1, the reader itself.
 */
#include "proc/proc.h"

#include <inttypes.h>
#include <math.h>
#include <unistd.h>

#define NSEC_PER_SEC UINT64_C(1000000000)

/* The kernel's USER_HZ, as the C library reports it (no I/O). */
static uint64_t user_hz(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	return hz > 0 ? (uint64_t)hz : 100;
}

static uint64_t ns_to_ticks(uint64_t ns, uint64_t hz)
{
	return ns / NSEC_PER_SEC * hz + ns % NSEC_PER_SEC * hz / NSEC_PER_SEC;
}

static uint64_t seconds_to_ticks(double s, uint64_t hz)
{
	if (!isfinite(s) || s <= 0)
		return 0;
	if (s > 1e12)
		s = 1e12;
	return (uint64_t)(s * (double)hz);
}

/* v1: fold the host CPUs' times (ns) onto the visible CPUs. */
static void fold_percpu(const struct cg_cputime *t, const struct cpuview *v,
			uint64_t *user, uint64_t *sys)
{
	g_autofree int *visible = g_new(int, t->ncpu ? t->ncpu : 1);
	unsigned rr = 0;

	for (unsigned j = 0; j < t->ncpu; j++)
		visible[j] = -1;
	for (unsigned k = 0; k < v->n; k++)
		if (v->phys[k] < t->ncpu)
			visible[v->phys[k]] = (int)k;
	for (unsigned j = 0; j < t->ncpu; j++) {
		uint64_t u = t->percpu_user_ns[j], s = t->percpu_system_ns[j];
		if (u == 0 && s == 0)
			continue;
		unsigned k = visible[j] >= 0 ? (unsigned)visible[j] : rr++ % v->n;
		user[k] += u;
		sys[k] += s;
	}
}

/* Spread @total ticks evenly over @n slots (the first get the remainder). */
static void spread(uint64_t total, unsigned n, uint64_t *slot)
{
	for (unsigned i = 0; i < n; i++)
		slot[i] = total / n + (i < total % n);
}

/* Busy ticks per visible CPU into @user and @sys (zeroed, v->n long). */
static void busy_ticks(const struct cg_cputime *t, const struct cpuview *v,
		       uint64_t hz, uint64_t *user, uint64_t *sys)
{
	if (!t || !t->valid)
		return;
	if (t->percpu_user_ns && t->percpu_system_ns) {
		fold_percpu(t, v, user, sys);
		for (unsigned k = 0; k < v->n; k++) {
			user[k] = ns_to_ticks(user[k], hz);
			sys[k] = ns_to_ticks(sys[k], hz);
		}
		return;
	}
	spread(ns_to_ticks(t->user_ns, hz), v->n, user);
	spread(ns_to_ticks(t->system_ns, hz), v->n, sys);
}

static void cpu_line(GString *out, const char *name, uint64_t user, uint64_t sys,
		     uint64_t idle)
{
	g_string_append_printf(out, "%s %" PRIu64 " 0 %" PRIu64 " %" PRIu64 " 0 0 0 0 0 0\n",
			       name, user, sys, idle);
}

static uint64_t idle_of(uint64_t up, uint64_t user, uint64_t sys)
{
	return up > user + sys ? up - user - sys : 0;
}

static void render_cpu_lines(const struct cg_cputime *t, const struct cpuview *v,
			     double uptime_s, GString *out)
{
	uint64_t hz = user_hz(), up = seconds_to_ticks(uptime_s, hz);
	unsigned n = v->n ? v->n : 1;
	g_autofree uint64_t *user = g_new0(uint64_t, n);
	g_autofree uint64_t *sys = g_new0(uint64_t, n);
	struct cpuview one = { .n = 1 };
	uint64_t su = 0, ss = 0, si = 0;

	busy_ticks(t, v->n ? v : &one, hz, user, sys);
	for (unsigned k = 0; k < n; k++) {
		su += user[k];
		ss += sys[k];
		si += idle_of(up, user[k], sys[k]);
	}
	cpu_line(out, "cpu ", su, ss, si);
	for (unsigned k = 0; k < n; k++) {
		char name[16];
		g_snprintf(name, sizeof(name), "cpu%u", k);
		cpu_line(out, name, user[k], sys[k], idle_of(up, user[k], sys[k]));
	}
}

static void render_task_lines(const struct cg_tasks *tasks, GString *out)
{
	bool ok = tasks && tasks->valid;
	uint64_t threads = ok ? tasks->nr_threads : 0;
	uint64_t forks = ok ? MAX(tasks->forks, threads) : 0;
	unsigned running = ok ? tasks->nr_running : 0;

	g_string_append_printf(out, "processes %" PRIu64 "\nprocs_running %u\nprocs_blocked %u\n",
			       MAX(forks, UINT64_C(1)), MAX(running, 1u),
			       ok ? tasks->nr_blocked : 0);
}

void render_stat(const struct cg_cputime *t, const struct cpuview *v,
		 const struct host_stat *host, double uptime_s,
		 const struct cg_tasks *tasks, GString *out)
{
	render_cpu_lines(t, v, uptime_s, out);
	if (host && host->intr_line)
		g_string_append(out, host->intr_line);
	if (host && host->ctxt_line)
		g_string_append(out, host->ctxt_line);
	g_string_append_printf(out, "btime %" PRIu64 "\n", host ? host->btime : 0);
	render_task_lines(tasks, out);
	if (host && host->softirq_line)
		g_string_append(out, host->softirq_line);
}
