/* sr_result's route_json (ABI 1.1) as a C99 compiler sees it. */
#include "route_c99.h"

void sr_c99_route_layout(uint64_t out[3]) {
    out[0] = sizeof(sr_result);
    out[1] = offsetof(sr_result, route_json);
    out[2] = SR_ABI_MINOR;
}

int sr_c99_result_has_route(uint32_t struct_size) {
    sr_result result = {0};
    result.struct_size = struct_size;
    return SR_HAS_FIELD(&result, sr_result, route_json) ? 1 : 0;
}
