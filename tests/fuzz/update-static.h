/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/oci-update.c's static readers, for fuzz-oci (update-static.c). */
#ifndef CORRAL_TEST_FUZZ_UPDATE_STATIC_H
#define CORRAL_TEST_FUZZ_UPDATE_STATIC_H

void fuzz_update_file(const char *path);
void fuzz_update_options(const char *const v[10]);

#endif
