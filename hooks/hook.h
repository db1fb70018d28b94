/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * corral-hook's inputs, without side effects: the OCI state JSON (stdin),
 * the bundle's config.json, and the decision whether and from where to
 * mount the corralfs views.  Unit-tested in tests/unit/hooks/.
 */
#ifndef CORRAL_HOOKS_HOOK_H
#define CORRAL_HOOKS_HOOK_H

#include <glib.h>
#include <stdbool.h>

#define CH_ERROR (ch_error_quark())
GQuark ch_error_quark(void);
enum { CH_ERROR_INPUT, CH_ERROR_SETUP };

#define CH_ANN_VIEWS      "org.corral.views"
#define CH_ANN_VIEWS_PATH "org.corral.views.path"
#define CH_DEFAULT_VIEWS  "/var/lib/corral"

/* What the hook uses of the OCI state. */
struct ch_state {
	char *id;
	int pid;                  /* 0: none given */
	char *bundle;             /* absolute */
	GHashTable *annotations;  /* string -> string, never NULL after parsing */
};

void ch_state_clear(struct ch_state *st);
typedef struct ch_state ch_state;
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ch_state, ch_state_clear)

/* Parse the state JSON; errors name the member ("state: pid: expected a
 * positive integer"). */
bool ch_state_parse(const char *text, size_t len, struct ch_state *st, GError **err);

/*
 * Parse config.json (@text, read from @path, which errors name): the
 * rootfs, root.path made absolute against @bundle, in @rootfs; the
 * config's annotations are added to @annotations where the state has none
 * of the same key.
 */
bool ch_config_parse(const char *text, size_t len, const char *path, const char *bundle,
		     char **rootfs, GHashTable *annotations, GError **err);

/*
 * Whether the views are wanted: in opt-in mode (@all false) only when the
 * annotation org.corral.views is "true"; with @all unless it is "false".
 * Any other value is an error.
 */
bool ch_views_wanted(GHashTable *annotations, bool all, bool *wanted, GError **err);

/* Where corralfs is: the annotation org.corral.views.path (absolute), else
 * @option, else /var/lib/corral.  NULL and an error for a relative path. */
char *ch_views_path(GHashTable *annotations, const char *option, GError **err);

#endif
