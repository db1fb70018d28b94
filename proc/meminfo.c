/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proc/meminfo and proc/swaps of a container.
 *
 * Every line is either the container's own figure (from its memory
 * cgroup, capped at MemTotal) or a host-wide constant that is not an amount
 * of memory in use (VmallocTotal: address space size; Hugepagesize).
 * Choices:
 *  - Cached = the cgroup's file pages (shmem included, as the kernel's
 *    Cached does); Buffers = 0.  procps `free` shows buff/cache =
 *    Buffers + Cached + SReclaimable and used = MemTotal - MemFree -
 *    buff/cache = usage - file - reclaimable slab.
 *  - Committed_AS = anon + shmem: an approximation (the cgroup does not
 *    track commitments); CommitLimit follows the kernel's formula.
 *  - Lines the cgroup cannot know (Mlocked, Zswap, Percpu, hugetlb pool,
 *    ...) are 0, never the host's value.  DirectMap* are left out.
 *  - Without a memory cgroup (!valid) the view is the host's size with
 *    nothing in use: MemFree = MemAvailable = MemTotal, host swap.
 */
#include "proc/proc.h"

#include <inttypes.h>

/* The figures of one meminfo, in kB. */
struct mi {
	uint64_t total, free, avail, cached, swapcached;
	uint64_t active_anon, inactive_anon, active_file, inactive_file;
	uint64_t unevictable, swap_total, swap_free, dirty, writeback;
	uint64_t anon, mapped, shmem, sreclaimable, sunreclaim;
	uint64_t kernel_stack, pagetables, commit_limit, committed, anon_thp;
	uint64_t vmalloc_total, hugepagesize;
};

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* @bytes in kB, at most @cap kB. */
static uint64_t kb_capped(uint64_t bytes, uint64_t cap)
{
	return min_u64(bytes / 1024, cap);
}

static uint64_t mem_total_kb(const struct cg_memory *mem, const struct host_mem *host)
{
	bool limited = mem->valid && mem->limit != CG_UNLIMITED;
	uint64_t limit_kb = limited ? mem->limit / 1024 : UINT64_MAX;

	if (host->mem_total_kb == 0) /* host unknown: the limit, if any */
		return limited ? limit_kb : 0;
	return min_u64(limit_kb, host->mem_total_kb);
}

/*
 * The container's swap in kB: none without swap accounting or with
 * swappiness 0 (v1), else its limit capped by the host's swap.  Without a
 * memory cgroup: the host's swap.
 */
static void swap_kb(const struct cg_memory *mem, const struct host_mem *host,
		    uint64_t *total, uint64_t *used)
{
	*total = *used = 0;
	if (!mem->valid) {
		*total = host->swap_total_kb;
		*used = host->swap_total_kb - min_u64(host->swap_free_kb, host->swap_total_kb);
		return;
	}
	if (!mem->swap_accounting || mem->swappiness == 0)
		return;
	*total = min_u64(mem->swap_limit / 1024, host->swap_total_kb);
	*used = kb_capped(mem->swap_usage, *total);
}

/* The per-container figures, each at most MemTotal. */
static void mi_from_cgroup(const struct cg_memory *mem, struct mi *m)
{
	uint64_t t = m->total;

	m->free = t - kb_capped(mem->usage, t);
	m->cached = kb_capped(mem->file, t);
	m->swapcached = kb_capped(mem->swapcached, t);
	m->active_anon = kb_capped(mem->active_anon, t);
	m->inactive_anon = kb_capped(mem->inactive_anon, t);
	m->active_file = kb_capped(mem->active_file, t);
	m->inactive_file = kb_capped(mem->inactive_file, t);
	m->unevictable = kb_capped(mem->unevictable, t);
	m->dirty = kb_capped(mem->file_dirty, t);
	m->writeback = kb_capped(mem->file_writeback, t);
	m->anon = kb_capped(mem->anon, t);
	m->mapped = kb_capped(mem->file_mapped, t);
	m->shmem = kb_capped(mem->shmem, t);
	m->sreclaimable = kb_capped(mem->slab_reclaimable, t);
	m->sunreclaim = kb_capped(mem->slab_unreclaimable, t);
	m->kernel_stack = kb_capped(mem->kernel_stack, t);
	m->pagetables = kb_capped(mem->pagetables, t);
	m->anon_thp = kb_capped(mem->anon_thp, t);
	m->avail = min_u64(m->free + m->active_file + m->inactive_file + m->sreclaimable, t);
	m->committed = min_u64(m->anon + m->shmem, t);
}

static void mi_compute(const struct cg_memory *mem, const struct host_mem *host,
		       struct mi *m)
{
	uint64_t swap_used;

	*m = (struct mi){ 0 };
	m->total = mem_total_kb(mem, host);
	if (mem->valid) {
		mi_from_cgroup(mem, m);
	} else {
		m->free = m->avail = m->total;
	}
	swap_kb(mem, host, &m->swap_total, &swap_used);
	m->swap_free = m->swap_total - swap_used;
	m->commit_limit = m->total * host->overcommit_ratio / 100 + m->swap_total;
	m->vmalloc_total = host->vmalloc_total_kb;
	m->hugepagesize = host->hugepagesize_kb;
}

/* One line: @label is the key with its colon, as the kernel pads it. */
static void line(GString *out, const char *label, uint64_t v)
{
	g_string_append_printf(out, "%-16s%8" PRIu64 " kB\n", label, v);
}

/* A line without unit (the HugePages_ counts). */
static void line_nounit(GString *out, const char *label, uint64_t v)
{
	g_string_append_printf(out, "%-16s%8" PRIu64 "\n", label, v);
}

static void render_mem_part(const struct mi *m, GString *out)
{
	line(out, "MemTotal:", m->total);
	line(out, "MemFree:", m->free);
	line(out, "MemAvailable:", m->avail);
	line(out, "Buffers:", 0);
	line(out, "Cached:", m->cached);
	line(out, "SwapCached:", m->swapcached);
	line(out, "Active:", min_u64(m->active_anon + m->active_file, m->total));
	line(out, "Inactive:", min_u64(m->inactive_anon + m->inactive_file, m->total));
	line(out, "Active(anon):", m->active_anon);
	line(out, "Inactive(anon):", m->inactive_anon);
	line(out, "Active(file):", m->active_file);
	line(out, "Inactive(file):", m->inactive_file);
	line(out, "Unevictable:", m->unevictable);
	line(out, "Mlocked:", 0);
	line(out, "SwapTotal:", m->swap_total);
	line(out, "SwapFree:", m->swap_free);
	line(out, "Zswap:", 0);
	line(out, "Zswapped:", 0);
	line(out, "Dirty:", m->dirty);
	line(out, "Writeback:", m->writeback);
	line(out, "AnonPages:", m->anon);
	line(out, "Mapped:", m->mapped);
	line(out, "Shmem:", m->shmem);
}

static void render_kernel_part(const struct mi *m, GString *out)
{
	line(out, "KReclaimable:", m->sreclaimable);
	line(out, "Slab:", min_u64(m->sreclaimable + m->sunreclaim, m->total));
	line(out, "SReclaimable:", m->sreclaimable);
	line(out, "SUnreclaim:", m->sunreclaim);
	line(out, "KernelStack:", m->kernel_stack);
	line(out, "PageTables:", m->pagetables);
	line(out, "SecPageTables:", 0);
	line(out, "NFS_Unstable:", 0);
	line(out, "Bounce:", 0);
	line(out, "WritebackTmp:", 0);
	line(out, "CommitLimit:", m->commit_limit);
	line(out, "Committed_AS:", m->committed);
	line(out, "VmallocTotal:", m->vmalloc_total);
	line(out, "VmallocUsed:", 0);
	line(out, "VmallocChunk:", 0);
	line(out, "Percpu:", 0);
	/* the kernel's only label wider than 16 columns, with a 5-wide value */
	g_string_append(out, "HardwareCorrupted:     0 kB\n");
}

static void render_huge_part(const struct mi *m, GString *out)
{
	line(out, "AnonHugePages:", m->anon_thp);
	line(out, "ShmemHugePages:", 0);
	line(out, "ShmemPmdMapped:", 0);
	line(out, "FileHugePages:", 0);
	line(out, "FilePmdMapped:", 0);
	line(out, "Balloon:", 0);
	line_nounit(out, "HugePages_Total:", 0);
	line_nounit(out, "HugePages_Free:", 0);
	line_nounit(out, "HugePages_Rsvd:", 0);
	line_nounit(out, "HugePages_Surp:", 0);
	line(out, "Hugepagesize:", m->hugepagesize);
	line(out, "Hugetlb:", 0);
}

void render_meminfo(const struct cg_memory *mem, const struct host_mem *host,
		    GString *out)
{
	struct mi m;

	mi_compute(mem, host, &m);
	render_mem_part(&m, out);
	render_kernel_part(&m, out);
	render_huge_part(&m, out);
}

/* proc/swaps: the kernel's header, then one pseudo device holding the
 * container's swap when it has any (same rule as SwapTotal). */
void render_swaps(const struct cg_memory *mem, const struct host_mem *host,
		  GString *out)
{
	static const char name[] = "none";
	uint64_t total, used;

	g_string_append(out, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	swap_kb(mem, host, &total, &used);
	if (total == 0)
		return;
	/* kernel layout: name padded with spaces to 40 columns, type, then
	 * size and used each followed by a second tab below 10^7 */
	g_string_append_printf(out, "%s%*s%s\t%" PRIu64 "\t%s%" PRIu64 "\t%s%d\n",
			       name, (int)(40 - (sizeof(name) - 1)), " ", "virtual\t",
			       total, total < 10000000 ? "\t" : "",
			       used, used < 10000000 ? "\t" : "", 0);
}
