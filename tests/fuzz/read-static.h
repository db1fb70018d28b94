/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup/read.c's static parsers, for fuzz-kernel (read-static.c). */
#ifndef CORRAL_TEST_FUZZ_READ_STATIC_H
#define CORRAL_TEST_FUZZ_READ_STATIC_H

void fuzz_read_cputime(int which, const char *text);
void fuzz_read_blkio(int which, const char *text);

#endif
