/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Parsers for the host's own files (/proc/meminfo, /proc/cpuinfo,
 * /sys/devices/system/cpu/online, /proc/stat, /proc/diskstats).  They take
 * the text, never open anything, never read past its terminating NUL and
 * return false on text they do not understand.
 */
#include "proc/proc.h"

#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------- lines */

/* End of the line starting at @p: its '\n' or the terminating NUL. */
static const char *line_end(const char *p)
{
	return strchrnul(p, '\n');
}

/* Start of the next line after the one starting at @p (or the NUL). */
static const char *next_line(const char *p)
{
	const char *e = line_end(p);
	return *e ? e + 1 : e;
}

/* Parse decimal digits at *@p into *@out, advancing *@p; false if none or
 * on overflow. */
static bool parse_u64(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	*p = s;
	return true;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A copy of the line at @p including its '\n' (added when missing). */
static char *dup_line(const char *p)
{
	const char *e = line_end(p);
	return g_strdup_printf("%.*s\n", (int)(e - p), p);
}

/* ---------------------------------------------------------- meminfo */

/* Value of "@key: N kB" in meminfo-format @text. */
static bool meminfo_get(const char *text, const char *key, uint64_t *out)
{
	size_t klen = strlen(key);

	for (const char *p = text; *p; p = next_line(p)) {
		if (strncmp(p, key, klen) != 0 || p[klen] != ':')
			continue;
		const char *v = skip_blanks(p + klen + 1);
		return parse_u64(&v, out);
	}
	return false;
}

bool host_mem_parse(const char *meminfo_text, struct host_mem *out)
{
	memset(out, 0, sizeof(*out));
	out->overcommit_ratio = 50;
	if (!meminfo_text || !meminfo_get(meminfo_text, "MemTotal", &out->mem_total_kb) ||
	    out->mem_total_kb == 0)
		return false;
	/* Optional lines: absent without swap support, hugetlb, ... */
	meminfo_get(meminfo_text, "SwapTotal", &out->swap_total_kb);
	meminfo_get(meminfo_text, "SwapFree", &out->swap_free_kb);
	meminfo_get(meminfo_text, "VmallocTotal", &out->vmalloc_total_kb);
	meminfo_get(meminfo_text, "Hugepagesize", &out->hugepagesize_kb);
	if (out->swap_free_kb > out->swap_total_kb)
		out->swap_free_kb = out->swap_total_kb;
	return true;
}

/* ---------------------------------------------------------- cpuinfo */

/* "processor<blanks>:<blanks>N<blanks>" up to @end; N into *@id. */
static bool is_processor_line(const char *p, const char *end, unsigned *id)
{
	static const char key[] = "processor";
	uint64_t v;

	if ((size_t)(end - p) < sizeof(key) - 1 || memcmp(p, key, sizeof(key) - 1) != 0)
		return false;
	p = skip_blanks(p + sizeof(key) - 1);
	if (*p != ':')
		return false;
	p = skip_blanks(p + 1);
	if (!parse_u64(&p, &v) || v >= CG_MAX_CPUS)
		return false;
	p = skip_blanks(p);
	if (p != end)
		return false;
	*id = (unsigned)v;
	return true;
}

/* End of the paragraph starting at @p: the start of the blank line that
 * ends it, or the terminating NUL. */
static const char *paragraph_end(const char *p)
{
	while (*p && *p != '\n')
		p = next_line(p);
	return p;
}

/* Store the block [@p, @end) with id @id. */
static void cpuinfo_add(GPtrArray *blocks, GArray *ids, const char *p,
			const char *end, unsigned id)
{
	bool nl = end > p && end[-1] == '\n';

	g_ptr_array_add(blocks, g_strdup_printf("%.*s%s", (int)(end - p), p, nl ? "" : "\n"));
	g_array_append_val(ids, id);
}

bool host_cpuinfo_parse(const char *cpuinfo_text, struct host_cpuinfo *out)
{
	memset(out, 0, sizeof(*out));
	if (!cpuinfo_text)
		return false;

	g_autoptr(GPtrArray) blocks = g_ptr_array_new();
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(unsigned));
	const char *header_end = NULL, *trailer = cpuinfo_text;
	const char *p = cpuinfo_text;
	unsigned id;

	while (*p) {
		if (!is_processor_line(p, line_end(p), &id)) {
			p = next_line(p);
			continue;
		}
		if (!header_end)
			header_end = p;
		const char *end = paragraph_end(p);
		cpuinfo_add(blocks, ids, p, end, id);
		p = *end ? end + 1 : end; /* the separating blank line */
		trailer = p;
	}
	if (!header_end)
		return false;
	out->header = g_strndup(cpuinfo_text, (gsize)(header_end - cpuinfo_text));
	out->trailer = g_strdup(trailer);
	out->nblocks = blocks->len;
	out->cpu_id = (unsigned *)g_array_steal(ids, NULL);
	g_ptr_array_add(blocks, NULL);
	out->block = (char **)g_ptr_array_steal(blocks, NULL);
	return true;
}

void host_cpuinfo_clear(struct host_cpuinfo *c)
{
	for (unsigned i = 0; c->block && i < c->nblocks; i++)
		g_free(c->block[i]);
	g_free(c->block);
	g_free(c->cpu_id);
	g_free(c->header);
	g_free(c->trailer);
	memset(c, 0, sizeof(*c));
}

/* ------------------------------------------------------------- cpus */

bool host_cpus_parse(const char *online_text, struct host_cpus *out)
{
	memset(out, 0, sizeof(*out));
	if (!online_text || !cg_cpumask_parse(online_text, &out->online)) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	out->nonline = cg_cpumask_count(&out->online);
	return out->nonline > 0;
}

/* ------------------------------------------------------------- stat */

/* Keep a copy of the line at @p in *@slot if it starts with @prefix. */
static bool stat_take(const char *p, const char *prefix, char **slot)
{
	if (strncmp(p, prefix, strlen(prefix)) != 0)
		return false;
	if (!*slot)
		*slot = dup_line(p);
	return true;
}

bool host_stat_parse(const char *stat_text, struct host_stat *out)
{
	bool have_btime = false;

	memset(out, 0, sizeof(*out));
	if (!stat_text)
		return false;
	for (const char *p = stat_text; *p; p = next_line(p)) {
		if (stat_take(p, "intr ", &out->intr_line) ||
		    stat_take(p, "ctxt ", &out->ctxt_line) ||
		    stat_take(p, "softirq ", &out->softirq_line))
			continue;
		if (strncmp(p, "btime ", 6) == 0) {
			const char *v = skip_blanks(p + 6);
			have_btime = parse_u64(&v, &out->btime);
		}
	}
	if (!have_btime) {
		host_stat_clear(out);
		return false;
	}
	return true;
}

void host_stat_clear(struct host_stat *s)
{
	g_free(s->intr_line);
	g_free(s->ctxt_line);
	g_free(s->softirq_line);
	memset(s, 0, sizeof(*s));
}

/* -------------------------------------------------------- diskstats */

/* "<blanks>major<blanks>minor<blanks>name ..." of one diskstats line. */
static bool disk_line_parse(const char *p, struct host_disk *d)
{
	const char *end = line_end(p);
	uint64_t major, minor;

	p = skip_blanks(p);
	if (!parse_u64(&p, &major) || (*p != ' ' && *p != '\t'))
		return false;
	p = skip_blanks(p);
	if (!parse_u64(&p, &minor) || (*p != ' ' && *p != '\t'))
		return false;
	p = skip_blanks(p);
	const char *name = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	if (p == name || major > UINT32_MAX || minor > UINT32_MAX)
		return false;
	d->major = (unsigned)major;
	d->minor = (unsigned)minor;
	d->name = g_strndup(name, (gsize)(p - name));
	return true;
}

static int disk_cmp(const void *a, const void *b)
{
	const struct host_disk *x = a, *y = b;

	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	return 0;
}

bool host_disks_parse(const char *diskstats_text, struct host_disks *out)
{
	memset(out, 0, sizeof(*out));
	if (!diskstats_text)
		return false;

	g_autoptr(GArray) disks = g_array_new(FALSE, FALSE, sizeof(struct host_disk));
	for (const char *p = diskstats_text; *p; p = next_line(p)) {
		struct host_disk d;
		char first = *skip_blanks(p);
		if (first == '\n' || first == '\0')
			continue;
		if (!disk_line_parse(p, &d)) {
			out->n = disks->len;
			out->d = (struct host_disk *)g_array_steal(disks, NULL);
			host_disks_clear(out);
			return false;
		}
		g_array_append_val(disks, d);
	}
	g_array_sort(disks, disk_cmp);
	out->n = disks->len;
	out->d = (struct host_disk *)g_array_steal(disks, NULL);
	return true;
}

void host_disks_clear(struct host_disks *d)
{
	for (size_t i = 0; i < d->n; i++)
		g_free(d->d[i].name);
	g_free(d->d);
	memset(d, 0, sizeof(*d));
}

const char *host_disks_name(const struct host_disks *d, unsigned major, unsigned minor)
{
	struct host_disk key = { .major = major, .minor = minor };
	const struct host_disk *hit;

	if (!d || d->n == 0)
		return NULL;
	hit = bsearch(&key, d->d, d->n, sizeof(*d->d), disk_cmp);
	return hit ? hit->name : NULL;
}
