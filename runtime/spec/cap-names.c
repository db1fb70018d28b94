/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Capability names: "CAP_SYS_ADMIN" <-> 21 (the kernel's numbers). */
#include "runtime/spec/cap-names.h"

#include <glib.h>
#include <linux/capability.h>
#include <string.h>

#define CAP(n) [CAP_##n] = "CAP_" #n
static const char *const cap_names[] = {
	CAP(CHOWN), CAP(DAC_OVERRIDE), CAP(DAC_READ_SEARCH), CAP(FOWNER),
	CAP(FSETID), CAP(KILL), CAP(SETGID), CAP(SETUID), CAP(SETPCAP),
	CAP(LINUX_IMMUTABLE), CAP(NET_BIND_SERVICE), CAP(NET_BROADCAST),
	CAP(NET_ADMIN), CAP(NET_RAW), CAP(IPC_LOCK), CAP(IPC_OWNER),
	CAP(SYS_MODULE), CAP(SYS_RAWIO), CAP(SYS_CHROOT), CAP(SYS_PTRACE),
	CAP(SYS_PACCT), CAP(SYS_ADMIN), CAP(SYS_BOOT), CAP(SYS_NICE),
	CAP(SYS_RESOURCE), CAP(SYS_TIME), CAP(SYS_TTY_CONFIG), CAP(MKNOD),
	CAP(LEASE), CAP(AUDIT_WRITE), CAP(AUDIT_CONTROL), CAP(SETFCAP),
	CAP(MAC_OVERRIDE), CAP(MAC_ADMIN), CAP(SYSLOG), CAP(WAKE_ALARM),
	CAP(BLOCK_SUSPEND), CAP(AUDIT_READ), CAP(PERFMON), CAP(BPF),
	CAP(CHECKPOINT_RESTORE),
};
#undef CAP

int rt_cap_from_name(const char *name)
{
	if (name == NULL)
		return -1;
	for (int i = 0; i < (int)G_N_ELEMENTS(cap_names); i++) {
		const char *full = cap_names[i];
		if (g_ascii_strcasecmp(name, full) == 0 ||
		    g_ascii_strcasecmp(name, full + strlen("CAP_")) == 0)
			return i;
	}
	return -1;
}

const char *rt_cap_name(int cap)
{
	if (cap < 0 || cap >= (int)G_N_ELEMENTS(cap_names))
		return NULL;
	return cap_names[cap];
}
