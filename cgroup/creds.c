/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* (being written for issue 11: see cgroup/cgroup.h, "The delegated tree") */
#include "cgroup/internal.h"
