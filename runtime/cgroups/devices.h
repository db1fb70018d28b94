/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Device cgroup rules (linux.resources.devices): the v1 lines for
 * devices.allow/devices.deny and, for cgroup v2, a
 * BPF_PROG_TYPE_CGROUP_DEVICE program built from them.  Private to
 * runtime/cgroups/cgroups.c, devices.c and their unit tests.
 */
#ifndef CORRAL_RUNTIME_DEVICES_H
#define CORRAL_RUNTIME_DEVICES_H

#include "runtime/spec/spec.h"

#include <linux/bpf.h>

/* v1: "c 1:3 rwm" ('*' for -1, "rwm" when the access is empty). */
char *rt_device_rule_v1(const struct rt_device_rule *r);
/* v1: "devices.allow" or "devices.deny". */
const char *rt_device_rule_file(const struct rt_device_rule *r);

/*
 * v2: the program (a GArray of struct bpf_insn) deciding a device access
 * from @rules (NULL or empty: deny all).  Deny by default; the last rule
 * that matches decides, as in the OCI semantics and v1's rule lists.  An
 * allow rule matches when it grants every access bit requested, a deny
 * rule when it covers any of them.  Pure: no syscall.
 */
GArray *rt_devices_bpf_build(const GArray *rules);
/* Loads @prog (bpf(BPF_PROG_LOAD)); *@prog_fd on success. */
bool rt_devices_bpf_load(const GArray *prog, int *prog_fd, GError **err);
/* Attaches @prog_fd to the cgroup directory @cgroup_fd (BPF_CGROUP_DEVICE,
 * BPF_F_ALLOW_MULTI); @dir names it in messages. */
bool rt_devices_bpf_attach(int prog_fd, int cgroup_fd, const char *dir,
			   GError **err);

#endif
