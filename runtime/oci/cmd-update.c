/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `corral update [options] ID`: new limits for a container's cgroup, from
 * options or from an OCI linux.resources object (-r FILE, "-" for stdin),
 * as runc 1.1 takes them.  As in runc, 0 (and an absent member) leaves a
 * value as it is, -1 lifts a limit; sizes may be written "256m" (runc's
 * units: k, m, g, t, p are powers of 1024, an optional "b"/"ib").
 * Everything is parsed before anything is written, and the cgroup is
 * written all or nothing (rt_cgroup_update()).
 */
#include "runtime/oci/state.h"
#include "common/json.h"
#include "runtime/spec/bundle.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void res_unset(struct rt_resources *r)
{
	memset(r, 0, sizeof(*r));
	r->memory.limit = r->memory.reservation = r->memory.swap = RT_UNSET;
	r->cpu.shares = r->cpu.quota = r->cpu.period = RT_UNSET;
	r->pids.limit = RT_UNSET;
}

/* runc's 0 means "unchanged". */
static int64_t or_unset(int64_t v)
{
	return v == 0 ? RT_UNSET : v;
}

/* ------------------------------------------------------------- options */

/* A size the way runc (docker/go-units RAMInBytes) reads it: "1024",
 * "1.5g", "256 MiB", "64kb". */
static bool parse_size(const char *text, int64_t *out)
{
	static const char units[] = "kmgtp";
	const char *p = text;
	double mult = 1, v;
	char *end;

	if (!g_ascii_isdigit(*p))
		return false;
	v = g_ascii_strtod(p, &end);
	if (end == p || end[-1] == '.')
		return false;
	p = end;
	if (*p == ' ')
		p++;
	const char *u = *p ? strchr(units, g_ascii_tolower(*p)) : NULL;
	if (u) {
		mult = pow(1024.0, (double)(u - units + 1));
		p++;
		if (*p == 'i' || *p == 'I')
			p++;
	}
	if (*p == 'b' || *p == 'B')
		p++;
	if (*p || v * mult >= 9.2e18)
		return false;
	*out = (int64_t)(v * mult);
	return true;
}

/* Go's strconv words, as runc prints them. */
static bool parse_int(const char *opt, const char *text, bool is_signed, int64_t *out)
{
	char *end;
	const char *fn = is_signed ? "ParseInt" : "ParseUint";

	errno = 0;
	long long v = (!*text || (!is_signed && *text == '-')) ? 0 : strtoll(text, &end, 10);
	if (!*text || (!is_signed && *text == '-') || *end || g_ascii_isspace(*text)) {
		oci_fail("invalid value for %s: strconv.%s: parsing \"%s\": invalid syntax", opt, fn,
			 text);
		return false;
	}
	if (errno == ERANGE) {
		oci_fail("invalid value for %s: strconv.%s: parsing \"%s\": value out of range", opt,
			 fn, text);
		return false;
	}
	*out = v;
	return true;
}

static bool parse_mem(const char *opt, const char *text, int64_t *out)
{
	if (!strcmp(text, "-1")) {
		*out = -1;
		return true;
	}
	if (parse_size(text, out))
		return true;
	oci_fail("invalid value for %s: invalid size: '%s'", opt, text);
	return false;
}

struct update_opts {
	const char *file;
	const char *memory, *swap, *reservation, *quota, *period, *shares, *cpus, *mems, *pids,
		*blkio;
};

static bool from_options(const struct update_opts *o, struct rt_resources *r)
{
	int64_t v;

	if ((o->memory && !parse_mem("memory", o->memory, &r->memory.limit)) ||
	    (o->swap && !parse_mem("memory-swap", o->swap, &r->memory.swap)) ||
	    (o->reservation &&
	     !parse_mem("memory-reservation", o->reservation, &r->memory.reservation)) ||
	    (o->quota && !parse_int("cpu-quota", o->quota, true, &r->cpu.quota)) ||
	    (o->period && !parse_int("cpu-period", o->period, false, &r->cpu.period)) ||
	    (o->shares && !parse_int("cpu-share", o->shares, false, &r->cpu.shares)))
		return false;
	if (o->pids) {
		char *end;
		v = strtoll(o->pids, &end, 10);
		if (!*o->pids || *end || v < INT32_MIN || v > INT32_MAX) {
			oci_fail("invalid value \"%s\" for flag -pids-limit: parse error", o->pids);
			return false;
		}
		r->pids.limit = v;
	}
	if (o->blkio) {
		oci_fail("--blkio-weight is not supported by corral (no blkio weight on this "
			 "kernel's v1 blkio, and corral does not set io.weight)");
		return false;
	}
	r->cpu.cpus = o->cpus && *o->cpus ? g_strdup(o->cpus) : NULL;
	r->cpu.mems = o->mems && *o->mems ? g_strdup(o->mems) : NULL;
	return true;
}

/* ------------------------------------------------------------ -r FILE */

/* What corral reads of linux.resources, and where it goes: bundle.c's list. */
#define res_ints rt_oci_res_ints

static bool known(const char *group, const char *key)
{
	for (size_t i = 0; res_ints[i].group; i++)
		if (!strcmp(group, res_ints[i].group) && !strcmp(key, res_ints[i].key))
			return true;
	return !strcmp(group, "cpu") && (!strcmp(key, "cpus") || !strcmp(key, "mems"));
}

static bool is_zero(const struct rj_value *v)
{
	return v->type == RJ_NULL || (v->type == RJ_NUMBER && rj_number(v) == 0) ||
	       (v->type == RJ_STRING && !*v->string) || (v->type == RJ_BOOL && !v->boolean) ||
	       ((v->type == RJ_ARRAY || v->type == RJ_OBJECT) && v->n == 0);
}

/* Members corral cannot apply: a warning each (runc would apply some),
 * never silence.  "devices" is skipped without a word, as runc does. */
static void warn_unsupported(const struct rj_value *top)
{
	for (size_t i = 0; i < top->n; i++) {
		const struct rj_value *g = &top->members[i].value;
		const char *name = top->members[i].key;
		bool group = !strcmp(name, "memory") || !strcmp(name, "cpu") || !strcmp(name, "pids");

		if (!strcmp(name, "devices") || is_zero(g))
			continue;
		if (!group || g->type != RJ_OBJECT) {
			oci_warn("update: resources.%s is not supported by corral: ignored", name);
			continue;
		}
		for (size_t k = 0; k < g->n; k++)
			if (!known(name, g->members[k].key) && !is_zero(&g->members[k].value))
				oci_warn("update: resources.%s.%s is not supported by corral: ignored",
					 name, g->members[k].key);
	}
}

static bool json_int(const struct rj_value *top, size_t i, struct rt_resources *r)
{
	const struct rj_value *g = rj_get(top, res_ints[i].group);
	const struct rj_value *v = g && g->type == RJ_OBJECT ? rj_get(g, res_ints[i].key) : NULL;
	int64_t *dst = (int64_t *)((char *)r + res_ints[i].offset);

	if (!v || v->type == RJ_NULL)
		return true;
	if (v->type != RJ_NUMBER || !(res_ints[i].is_unsigned ? v->is_uint : v->is_int) ||
	    (res_ints[i].is_unsigned && v->uinteger > INT64_MAX)) {
		oci_fail("update: resources.%s.%s: expected %s integer, got %s", res_ints[i].group,
			 res_ints[i].key, res_ints[i].is_unsigned ? "a non-negative" : "an",
			 v->type == RJ_NUMBER ? "a number out of range or with a fraction"
					      : rj_type_name(v->type));
		return false;
	}
	*dst = res_ints[i].is_unsigned ? (int64_t)v->uinteger : v->integer;
	return true;
}

static bool json_str(const struct rj_value *top, const char *key, char **dst)
{
	const struct rj_value *g = rj_get(top, "cpu");
	const struct rj_value *v = g && g->type == RJ_OBJECT ? rj_get(g, key) : NULL;

	if (!v || v->type == RJ_NULL)
		return true;
	if (v->type != RJ_STRING) {
		oci_fail("update: resources.cpu.%s: expected a string, got %s", key,
			 rj_type_name(v->type));
		return false;
	}
	*dst = *v->string ? g_strdup(v->string) : NULL;
	return true;
}

/* The whole of @path ("-": stdin). */
static char *read_input(const char *path, size_t *len)
{
	g_autoptr(GError) e = NULL;
	char *text = NULL;
	gsize n = 0;

	if (strcmp(path, "-")) {
		if (!g_file_get_contents(path, &text, &n, &e)) {
			oci_fail("open %s: %s", path, e->code == G_FILE_ERROR_NOENT
							     ? "no such file or directory" : e->message);
			return NULL;
		}
		*len = n;
		return text;
	}
	GString *in = g_string_new(NULL);
	char buf[4096];
	ssize_t r;
	while ((r = read(STDIN_FILENO, buf, sizeof(buf))) > 0 || (r < 0 && errno == EINTR))
		if (r > 0)
			g_string_append_len(in, buf, r);
	if (r < 0) {
		oci_fail("reading the resources from stdin: %s", g_strerror(errno));
		g_string_free(in, TRUE);
		return NULL;
	}
	*len = in->len;
	return g_string_free(in, FALSE);
}

static bool from_file(const char *path, struct rt_resources *r)
{
	size_t len = 0;
	g_autofree char *text = read_input(path, &len);
	GError *e = NULL;

	if (!text)
		return false;
	g_autoptr(rj_value) top = rj_parse(text, len, &e);
	if (!top) {
		oci_fail("update: %s: %s", strcmp(path, "-") ? path : "stdin", e->message);
		g_error_free(e);
		return false;
	}
	if (top->type != RJ_OBJECT) {
		oci_fail("update: %s: expected a linux.resources object, got %s",
			 strcmp(path, "-") ? path : "stdin", rj_type_name(top->type));
		return false;
	}
	for (size_t i = 0; res_ints[i].group; i++)
		if (!json_int(top, i, r))
			return false;
	if (!json_str(top, "cpus", &r->cpu.cpus) || !json_str(top, "mems", &r->cpu.mems))
		return false;
	warn_unsupported(top);
	return true;
}

/* ------------------------------------------------------------- command */

static int apply(const char *id, struct rt_resources *r)
{
	GError *e = NULL;
	struct cg_layout l;
	g_autoptr(oci_state) s = oci_state_load(id, &e);

	if (!s)
		return oci_fail_err(e);
	if (!strcmp(oci_state_status(s), "stopped"))
		return oci_fail("container not running");
	struct rt_cgroup *cg = oci_state_cgroup(s, &l, &e);
	if (!cg)
		return oci_fail_err(e);
	bool ok = rt_cgroup_update(cg, r, &e);
	rt_cgroup_close(cg);
	cg_layout_close(&l);
	if (!ok)
		return oci_fail_err(e);
	oci_debug("container %s updated", id);
	return 0;
}

int oci_cmd_update(int argc, char **argv)
{
	struct update_opts o = { NULL };
	struct oci_opt opts[] = {
		{ "--resources", "-r", true, &o.file, NULL },
		{ "--memory", NULL, true, &o.memory, NULL },
		{ "--memory-swap", NULL, true, &o.swap, NULL },
		{ "--memory-reservation", NULL, true, &o.reservation, NULL },
		{ "--cpu-quota", NULL, true, &o.quota, NULL },
		{ "--cpu-period", NULL, true, &o.period, NULL },
		{ "--cpu-share", "--cpu-shares", true, &o.shares, NULL },
		{ "--cpuset-cpus", NULL, true, &o.cpus, NULL },
		{ "--cpuset-mems", NULL, true, &o.mems, NULL },
		{ "--pids-limit", NULL, true, &o.pids, NULL },
		{ "--blkio-weight", NULL, true, &o.blkio, NULL },
		{ NULL, NULL, false, NULL, NULL },
	};
	struct rt_resources r;
	const char *id;

	if (!(id = oci_id_arg(argc, argv, opts)))
		return 1;
	res_unset(&r);
	/* like runc: with -r, the other options are ignored */
	bool ok = o.file ? from_file(o.file, &r) : from_options(&o, &r);
	int rc = 1;
	if (ok) {
		/* runc: unlimited memory without a word on swap lifts both */
		if (r.memory.limit == -1 && r.memory.swap == RT_UNSET)
			r.memory.swap = -1;
		r.memory.limit = or_unset(r.memory.limit);
		r.memory.swap = or_unset(r.memory.swap);
		r.memory.reservation = or_unset(r.memory.reservation);
		r.cpu.shares = or_unset(r.cpu.shares);
		r.cpu.quota = or_unset(r.cpu.quota);
		r.cpu.period = or_unset(r.cpu.period);
		r.pids.limit = or_unset(r.pids.limit);
		rc = apply(id, &r);
	}
	g_free(r.cpu.cpus);
	g_free(r.cpu.mems);
	return rc;
}
