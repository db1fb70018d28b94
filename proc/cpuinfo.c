/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proc/cpuinfo: the host's blocks of the visible CPUs, renumbered from 0,
 * with a topology that matches what the container sees: one socket whose
 * m cores are the m visible CPUs (m = blocks found, normally v->n).  Only
 * the topology lines a block already has are rewritten; the key and its
 * tabs stay as the host wrote them.  A visible CPU without a host block is
 * skipped.  The header and trailer (s390, some arm) pass unchanged.
 */
#include "proc/proc.h"

#include <string.h>

/* The host block of CPU @cpu, or NULL. */
static const char *find_block(const struct host_cpuinfo *h, unsigned cpu)
{
	if (cpu < h->nblocks && h->cpu_id[cpu] == cpu) /* the usual layout */
		return h->block[cpu];
	for (unsigned i = 0; i < h->nblocks; i++)
		if (h->cpu_id[i] == cpu)
			return h->block[i];
	return NULL;
}

/* The rewritten value of the line's key, or -1 to keep the line. */
static long topology_value(const char *key, size_t klen, unsigned index, unsigned count)
{
	enum { INDEX, COUNT, ZERO };
	static const struct {
		const char *key;
		int what;
	} keys[] = {
		{ "processor", INDEX }, { "core id", INDEX }, { "apicid", INDEX },
		{ "initial apicid", INDEX }, { "siblings", COUNT }, { "cpu cores", COUNT },
		{ "physical id", ZERO },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		if (strlen(keys[i].key) != klen || memcmp(keys[i].key, key, klen) != 0)
			continue;
		switch (keys[i].what) {
		case INDEX: return (long)index;
		case COUNT: return (long)count;
		default: return 0;
		}
	}
	return -1;
}

/* Append one line [@p, @end) (without its '\n'), rewritten if needed. */
static void append_line(GString *out, const char *p, const char *end,
			unsigned index, unsigned count)
{
	const char *colon = memchr(p, ':', (size_t)(end - p));
	long v = -1;

	if (colon) {
		const char *k = colon;
		while (k > p && (k[-1] == '\t' || k[-1] == ' '))
			k--;
		v = topology_value(p, (size_t)(k - p), index, count);
	}
	if (v < 0) {
		g_string_append_len(out, p, end - p);
	} else {
		const char *val = colon + 1;
		if (val < end && *val == ' ')
			val++;
		g_string_append_len(out, p, val - p);
		g_string_append_printf(out, "%ld", v);
	}
	g_string_append_c(out, '\n');
}

static void append_block(GString *out, const char *block, unsigned index, unsigned count)
{
	const char *p = block;

	while (*p) {
		const char *end = strchrnul(p, '\n');
		append_line(out, p, end, index, count);
		p = *end ? end + 1 : end;
	}
	g_string_append_c(out, '\n'); /* the blank line after each block */
}

void render_cpuinfo(const struct cpuview *v, const struct host_cpuinfo *host,
		    GString *out)
{
	unsigned count = 0, index = 0;

	for (unsigned k = 0; k < v->n; k++)
		count += find_block(host, v->phys[k]) != NULL;
	if (host->header)
		g_string_append(out, host->header);
	for (unsigned k = 0; k < v->n; k++) {
		const char *b = find_block(host, v->phys[k]);
		if (b)
			append_block(out, b, index++, count);
	}
	if (host->trailer)
		g_string_append(out, host->trailer);
}
