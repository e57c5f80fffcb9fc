/* What route_c99.c, compiled as C99, reports about sr_result's ABI 1.1 field. */
#ifndef SR_TEST_ROUTE_C99_H
#define SR_TEST_ROUTE_C99_H

#include <scenario/sr_plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

/* out[0] = sizeof(sr_result), out[1] = offsetof(sr_result, route_json), out[2] = SR_ABI_MINOR. */
void sr_c99_route_layout(uint64_t out[3]);

/* SR_HAS_FIELD(result, sr_result, route_json) evaluated in C for a result of `struct_size`. */
int sr_c99_result_has_route(uint32_t struct_size);

#ifdef __cplusplus
}
#endif

#endif
