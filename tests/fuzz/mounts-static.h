/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/process/mounts.c's static parsers, for fuzz-cgroup (mounts-static.c). */
#ifndef CORRAL_TEST_FUZZ_MOUNTS_STATIC_H
#define CORRAL_TEST_FUZZ_MOUNTS_STATIC_H

unsigned fuzz_mounts_hiers(const char *mountinfo, const char *cgroup);
void fuzz_mounts_options(char **options);

#endif
