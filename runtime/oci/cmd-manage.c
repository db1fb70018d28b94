/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pause, resume and ps on a container's cgroup, reopened from the parts
 * its state file keeps (oci_state_cgroup()).  update is in
 * cmd-update.c, spec and features in cmd-spec.c.
 *
 * Freezing: the v1 freezer hierarchy when the host has one, else
 * cgroup.freeze of the cgroup2 hierarchy (runtime/cgroups/cgroups.c).  The
 * status "paused" is read from the freezer, never stored.
 */
#include "runtime/oci/state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* The container's cgroup with its layout, released together. */
struct opened {
	struct cg_layout l;
	struct rt_cgroup *cg;
};

static void opened_clear(struct opened *o)
{
	if (o->cg) {
		rt_cgroup_close(o->cg);
		cg_layout_close(&o->l);
	}
	o->cg = NULL;
}

static bool open_cgroup(const struct oci_state *s, struct opened *o, GError **err)
{
	o->cg = oci_state_cgroup(s, &o->l, err);
	return o->cg != NULL;
}

bool oci_state_frozen(const struct oci_state *s)
{
	struct opened o = { .cg = NULL };
	bool frozen = false;

	if (s->nparts == 0 || !open_cgroup(s, &o, NULL))
		return false;
	if (!rt_cgroup_frozen(o.cg, &frozen, NULL))
		frozen = false;
	opened_clear(&o);
	return frozen;
}

/* The one argument, an id, loaded; NULL after printing the message. */
static struct oci_state *load_one(int argc, char **argv)
{
	struct oci_opt opts[] = { { NULL, NULL, false, NULL, NULL } };
	const char *id;
	GError *e = NULL;
	struct oci_state *s;

	if (!(id = oci_id_arg(argc, argv, opts)))
		return NULL;
	if (!(s = oci_state_load(id, &e)))
		oci_fail_err(e);
	return s;
}

/* ------------------------------------------------------- pause, resume */

static int set_frozen(const struct oci_state *s, bool frozen)
{
	struct opened o = { .cg = NULL };
	GError *e = NULL;
	bool ok = open_cgroup(s, &o, &e) && rt_cgroup_freeze(o.cg, frozen, &e);

	opened_clear(&o);
	if (!ok)
		return oci_fail_err(e);
	oci_debug("container %s %s", s->id, frozen ? "paused" : "resumed");
	return 0;
}

/* Like runc: only a running container can be paused (corral also
 * refuses a created one: its init is waiting for `start`), only a
 * paused one resumed. */
static int freeze_from(int argc, char **argv, const char *status, bool frozen)
{
	g_autoptr(oci_state) s = load_one(argc, argv);

	if (!s)
		return 1;
	if (strcmp(oci_state_status(s), status))
		return oci_fail("container not %s", status);
	return set_frozen(s, frozen);
}

int oci_cmd_pause(int argc, char **argv)
{
	return freeze_from(argc, argv, "running", true);
}

int oci_cmd_resume(int argc, char **argv)
{
	return freeze_from(argc, argv, "paused", false);
}

/* ------------------------------------------------------------------ ps */

static bool has_pid(const GArray *pids, long pid)
{
	for (guint i = 0; i < pids->len; i++)
		if (g_array_index(pids, pid_t, i) == pid)
			return true;
	return false;
}

static void print_json_pids(const GArray *pids)
{
	fputc('[', stdout);
	for (guint i = 0; i < pids->len; i++)
		printf("%s%d", i ? "," : "", (int)g_array_index(pids, pid_t, i));
	puts("]");
}

/* Which column of ps's header is PID; -1 if none. */
static int pid_column(const char *header)
{
	g_auto(GStrv) f = g_strsplit_set(header, " \t", -1);
	int col = 0;

	for (char **p = f; *p; p++) {
		if (!**p)
			continue;
		if (!strcmp(*p, "PID"))
			return col;
		col++;
	}
	return -1;
}

/* The @col-th field of @line as a pid, -1 if none. */
static long field_pid(const char *line, int col)
{
	g_auto(GStrv) f = g_strsplit_set(line, " \t", -1);
	int n = 0;

	for (char **p = f; *p; p++) {
		if (!**p)
			continue;
		if (n++ == col) {
			char *end;
			long v = strtol(*p, &end, 10);
			return *end ? -1 : v;
		}
	}
	return -1;
}

/* runc's table: `ps ARGS` (default -ef), its header, and the lines of
 * the container's processes. */
static int print_table(const GArray *pids, GPtrArray *ps_args)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree char *out = NULL, *errs = NULL;
	g_autoptr(GError) e = NULL;
	int status;

	g_ptr_array_add(argv, "ps");
	if (ps_args->len == 0)
		g_ptr_array_add(argv, "-ef");
	for (guint i = 0; i < ps_args->len; i++)
		g_ptr_array_add(argv, ps_args->pdata[i]);
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
			  &out, &errs, &status, &e))
		return oci_fail("running ps: %s", e->message);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return oci_fail("exit status %d: %s", WIFEXITED(status) ? WEXITSTATUS(status) : 128,
				errs);
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	int col = lines[0] ? pid_column(lines[0]) : -1;
	if (col < 0)
		return oci_fail("couldn't find PID field in ps output");
	printf("%s\n", lines[0]);
	for (char **l = lines + 1; *l; l++)
		if (**l && has_pid(pids, field_pid(*l, col)))
			printf("%s\n", *l);
	return 0;
}

/* Options up to the id; what follows the id goes to ps. */
static bool ps_args(int argc, char **argv, const char **format, const char **id,
		    GPtrArray *rest)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		g_autofree char *name = eq ? g_strndup(a, (gsize)(eq - a)) : g_strdup(a);

		if (strcmp(name, "--format") && strcmp(name, "-f")) {
			oci_fail("ps: unknown option %s", name);
			return false;
		}
		if (!eq && i + 1 >= argc) {
			oci_fail("ps: %s needs a value", name);
			return false;
		}
		*format = eq ? eq + 1 : argv[++i];
	}
	if (i >= argc) {
		oci_fail("ps: \"ps\" requires a minimum of 1 argument");
		return false;
	}
	*id = argv[i++];
	for (; i < argc; i++)
		g_ptr_array_add(rest, argv[i]);
	return true;
}

int oci_cmd_ps(int argc, char **argv)
{
	const char *format = "table", *id = NULL;
	g_autoptr(GPtrArray) rest = g_ptr_array_new();
	g_autoptr(GPtrArray) idv = g_ptr_array_new();
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
	struct opened o = { .cg = NULL };
	GError *e = NULL;

	if (!ps_args(argc, argv, &format, &id, rest))
		return 1;
	g_ptr_array_add(idv, (char *)id);
	if (!oci_one_id("ps", idv, 1))
		return 1;
	if (strcmp(format, "table") && strcmp(format, "json"))
		return oci_fail("invalid format option");
	g_autoptr(oci_state) s = oci_state_load(id, &e);
	if (!s)
		return oci_fail_err(e);
	bool ok = open_cgroup(s, &o, &e) && rt_cgroup_pids(o.cg, pids, &e);
	opened_clear(&o);
	if (!ok)
		return oci_fail_err(e);
	if (!strcmp(format, "json")) {
		print_json_pids(pids);
		return 0;
	}
	return print_table(pids, rest);
}
