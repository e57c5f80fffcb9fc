/* What the C99 translation unit (abi_c99.c) exposes to the C++ tests. */
#ifndef SR_TEST_ABI_C99_H
#define SR_TEST_ABI_C99_H

#include <scenario/sr_plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sizes and field offsets of the ABI structs as a C99 compiler lays them out, in the order
 * of abi_layout_names (the C++ side computes the same list and compares). */
enum { SR_C99_LAYOUT_COUNT = 24 };
void sr_c99_layout(uint64_t out[SR_C99_LAYOUT_COUNT]);

/* SR_HAS_FIELD(call, sr_call, from_version) evaluated in C for a call of `struct_size`. */
int sr_c99_call_has_from_version(uint32_t struct_size);

/* A whole plugin written in C99 (not exported): its one action "echo" completes
 * synchronously with the call's settings as output. */
const sr_plugin_entry* sr_c99_echo_plugin(void);

#ifdef __cplusplus
}
#endif

#endif
