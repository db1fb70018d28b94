/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CPUs a container sees, and the sysfs views that follow from them:
 * sys/devices/system/cpu/{online,possible,present} and the cpu directory.
 */
#include "proc/proc.h"

#include <string.h>

/* The usable CPUs: cpuset ∩ host online, or host online without a cpuset
 * (or when that intersection is empty, e.g. from a stale snapshot). */
static void usable_cpus(const struct cg_cpuset *cpuset, const struct host_cpus *host,
			struct cg_cpumask *m)
{
	*m = host->online;
	if (!cpuset || !cpuset->valid)
		return;

	struct cg_cpumask both;
	bool any = false;
	for (unsigned i = 0; i < CG_MAX_CPUS / 64; i++) {
		both.bits[i] = cpuset->cpus.bits[i] & host->online.bits[i];
		any = any || both.bits[i];
	}
	if (any)
		*m = both;
}

/* ceil(quota / period) when a quota applies, else 0 (no reduction). */
static unsigned quota_cpus(const struct cg_cpu *cpu, bool use_quota)
{
	if (!use_quota || !cpu || !cpu->valid || cpu->quota_us <= 0 || cpu->period_us == 0)
		return 0;
	uint64_t q = (uint64_t)cpu->quota_us;
	uint64_t n = q / cpu->period_us + (q % cpu->period_us != 0);
	return n > CG_MAX_CPUS ? CG_MAX_CPUS : (unsigned)n;
}

void cpuview_compute(const struct cg_cpuset *cpuset, const struct cg_cpu *cpu,
		     const struct host_cpus *host, bool use_quota,
		     struct cpuview *out)
{
	struct cg_cpumask m;
	unsigned limit = quota_cpus(cpu, use_quota);

	usable_cpus(cpuset, host, &m);
	out->n = 0;
	for (unsigned c = 0; c < CG_MAX_CPUS; c++) {
		if (limit && out->n == limit)
			break;
		if (cg_cpumask_test(&m, c))
			out->phys[out->n++] = c;
	}
	if (out->n == 0) { /* no host data at all: one CPU, host CPU 0 */
		out->n = 1;
		out->phys[0] = 0;
	}
}

void render_cpu_range(const struct cpuview *v, GString *out)
{
	if (v->n <= 1)
		g_string_append(out, "0\n");
	else
		g_string_append_printf(out, "0-%u\n", v->n - 1);
}

/* The number of a canonical "cpuN" name (no sign, no leading zero), or -1. */
static long cpu_name_number(const char *name)
{
	const char *d = name + 3;
	long n = 0;

	if (strncmp(name, "cpu", 3) != 0 || *d < '0' || *d > '9')
		return -1;
	if (d[0] == '0' && d[1] != '\0')
		return -1;
	for (; *d; d++) {
		if (*d < '0' || *d > '9' || n > CG_MAX_CPUS)
			return -1;
		n = n * 10 + (*d - '0');
	}
	return n;
}

/* "cpu" followed by digits only (any form, e.g. "cpu01" too). */
static bool is_cpu_entry(const char *name)
{
	if (strncmp(name, "cpu", 3) != 0 || name[3] == '\0')
		return false;
	return strspn(name + 3, "0123456789") == strlen(name + 3);
}

void render_cpu_dir(const struct cpuview *v, const char *const *host_entries,
		    GPtrArray *out)
{
	for (unsigned i = 0; i < v->n; i++)
		g_ptr_array_add(out, g_strdup_printf("cpu%u", i));
	for (size_t i = 0; host_entries && host_entries[i]; i++)
		if (!is_cpu_entry(host_entries[i]))
			g_ptr_array_add(out, g_strdup(host_entries[i]));
}

int cpuview_map_name(const struct cpuview *v, const char *name)
{
	long n = name ? cpu_name_number(name) : -1;

	if (n < 0 || (unsigned long)n >= v->n)
		return -1;
	return (int)v->phys[n];
}
