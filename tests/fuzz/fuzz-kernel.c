/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-kernel: the parsers of kernel text that take a string: every parser
 * of cgroup/parse.c, the stat and status ones of cgroup/procfs.c, those of
 * proc/host.c, and cgroup/read.c's parsers of
 * cpuacct and blkio/io files.  The first byte (modulo 20) picks the parser,
 * the rest (up to a NUL, as in a kernel file) is its text:
 *   0 cgi_parse_limit       4 cgi_parse_limit        8 cg_cpumask_parse
 *   1 cgi_parse_u64         5 cgi_parse_keyed,       9 cg_pid_stat_parse,
 *                             cgi_parse_nested         cg_status_*
 *   2 cgi_parse_i64         6 cg_parse_keyed_u64    10 cgi_parse_idlist
 *   3 cg_parse_u64_or_max   7 cg_parse_psi          11 host_mem_parse
 *  12 host_cpuinfo_parse   13 host_cpus_parse       14 host_stat_parse
 *  15 host_disks_parse and host_disks_name
 *  16 cpuacct.usage_all    17 cpuacct.usage_percpu_user
 *  18 v1 blkio.throttle.io_service_bytes, io_serviced (by byte0 / 20 odd),
 *  19 v2 io.stat
 * Results are checked where a property is cheap to state.
 */
#include "tests/fuzz/fuzz.h"

#include "cgroup/internal.h"
#include "proc/proc.h"
#include "tests/fuzz/read-static.h"

static void numbers(int which, const char *t)
{
	uint64_t u = 0;
	int64_t i = 0;

	switch (which) {
	case 1: (void)cgi_parse_u64(t, &u); break;
	case 2: (void)cgi_parse_i64(t, &i); break;
	case 3: (void)cg_parse_u64_or_max(t, &u); break;
	default:
		if (cgi_parse_limit(t, &u) && u >= CGI_V1_UNLIMITED_MIN && u != CG_UNLIMITED)
			__builtin_trap(); /* huge v1 limits are "no limit" */
		break;
	}
}

static void keyed(int which, const char *t)
{
	uint64_t rss = 0, cache = 0, usage = 0, v = 0;
	const struct cgi_key keys[] = {
		{ "total_rss", &rss }, { "total_cache", &cache }, { "usage_usec", &usage },
	};

	if (which == 5) {
		(void)cgi_parse_keyed(t, keys, G_N_ELEMENTS(keys));
		(void)cgi_parse_nested(t, keys, G_N_ELEMENTS(keys));
	} else {
		(void)cg_parse_keyed_u64(t, "nr_periods", &v);
	}
}

/* /proc/PID/stat and /proc/PID/status (cgroup/procfs.c). */
static void pid_files(const char *t)
{
	struct cg_pid_stat st;
	uint64_t v;
	size_t len;

	/* the comm is inside the text, and the state follows its ") " */
	if (cg_pid_stat_parse(t, &st) &&
	    (st.comm < t || st.comm + st.comm_len + 2 >= t + strlen(t) ||
	     st.comm[st.comm_len + 2] != st.state))
		__builtin_trap();
	if (cg_status_field(t, "Tgid", &len) && len > strlen(t))
		__builtin_trap();
	(void)cg_status_u64(t, "Tgid", &v);
	(void)cg_status_last_id(t, "NSpid", &v);
	(void)cg_status_hex(t, "SigBlk", &v);
}

static void cgroup_text(int which, const char *t)
{
	struct cg_psi psi;
	struct cg_cpumask mask;
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(pid_t));

	switch (which) {
	case 7: (void)cg_parse_psi(t, &psi); break;
	case 8:
		if (cg_cpumask_parse(t, &mask) && cg_cpumask_count(&mask) > CG_MAX_CPUS)
			__builtin_trap();
		break;
	case 9: pid_files(t); break;
	default:
		if (cgi_parse_idlist(t, ids))
			for (guint k = 0; k < ids->len; k++)
				if (g_array_index(ids, pid_t, k) <= 0)
					__builtin_trap();
		break;
	}
}

static void host_text(int which, const char *t)
{
	struct host_mem mem;
	struct host_cpuinfo ci;
	struct host_cpus cpus;
	struct host_stat st;
	struct host_disks disks;

	switch (which) {
	case 11: (void)host_mem_parse(t, &mem); break;
	case 12:
		if (host_cpuinfo_parse(t, &ci) && (ci.nblocks == 0 || !ci.header || !ci.trailer))
			__builtin_trap();
		host_cpuinfo_clear(&ci);
		break;
	case 13:
		if (host_cpus_parse(t, &cpus) && cpus.nonline != cg_cpumask_count(&cpus.online))
			__builtin_trap();
		break;
	case 14:
		(void)host_stat_parse(t, &st);
		host_stat_clear(&st);
		break;
	default:
		if (host_disks_parse(t, &disks)) /* every parsed disk is found by its numbers */
			for (size_t k = 0; k < disks.n; k++)
				if (!host_disks_name(&disks, disks.d[k].major, disks.d[k].minor))
					__builtin_trap();
		host_disks_clear(&disks);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *t = NULL;
	int which;

	if (size < 1)
		return 0;
	which = data[0] % 20;
	t = fuzz_text(data + 1, size - 1);
	if (which <= 4)
		numbers(which, t);
	else if (which <= 6)
		keyed(which, t);
	else if (which <= 10)
		cgroup_text(which, t);
	else if (which <= 15)
		host_text(which, t);
	else if (which <= 17)
		fuzz_read_cputime(which - 16, t);
	else if (which == 18)
		fuzz_read_blkio((data[0] / 20) % 2, t);
	else
		fuzz_read_blkio(2, t);
	return 0;
}
