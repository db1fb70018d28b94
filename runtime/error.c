/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The error domain of corral's runtime (RT_ERROR). */
#include "runtime/spec.h"

G_DEFINE_QUARK(corral-runtime-error-quark, rt_error)
