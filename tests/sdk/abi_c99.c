/* Compiled with -std=c99 -pedantic -Werror: proves sr_plugin.h is plain C99, and gives the
 * C++ tests a C view of the struct layouts and a plugin written in C. */
#include "abi_c99.h"

#include <string.h>

void sr_c99_layout(uint64_t out[SR_C99_LAYOUT_COUNT]) {
    int i = 0;
    out[i++] = sizeof(sr_str);
    out[i++] = sizeof(sr_call);
    out[i++] = offsetof(sr_call, target);
    out[i++] = offsetof(sr_call, connection_json);
    out[i++] = offsetof(sr_call, attempt);
    out[i++] = offsetof(sr_call, deadline_unix_ms);
    out[i++] = offsetof(sr_call, from_version);
    out[i++] = sizeof(sr_result);
    out[i++] = offsetof(sr_result, output_json);
    out[i++] = offsetof(sr_result, retry_after_ms);
    out[i++] = offsetof(sr_result, resume_at_unix_ms);
    out[i++] = sizeof(sr_host);
    out[i++] = offsetof(sr_host, log);
    out[i++] = offsetof(sr_host, get_service);
    out[i++] = sizeof(sr_http_request);
    out[i++] = offsetof(sr_http_request, header_count);
    out[i++] = offsetof(sr_http_request, max_response_bytes);
    out[i++] = sizeof(sr_http_response);
    out[i++] = offsetof(sr_http_response, error_message);
    out[i++] = sizeof(sr_http_v1);
    out[i++] = sizeof(sr_kv_v1);
    out[i++] = sizeof(sr_plugin_entry);
    out[i++] = offsetof(sr_plugin_entry, init);
    out[i++] = offsetof(sr_plugin_entry, cancel);
}

int sr_c99_call_has_from_version(uint32_t struct_size) {
    sr_call call;
    memset(&call, 0, sizeof call);
    call.struct_size = struct_size;
    return SR_HAS_FIELD(&call, sr_call, from_version) ? 1 : 0;
}

static const sr_host* echo_host = NULL;
static const char echo_manifest_text[] =
    "{\"id\":\"c_echo\",\"name\":\"C echo\",\"version\":\"1.0.0\","
    "\"actions\":[{\"id\":\"echo\",\"name\":\"Echo\",\"side_effects\":false}]}";

static sr_status echo_init(const sr_host* host, void** out_instance) {
    echo_host = host;
    *out_instance = (void*)&echo_host;
    return SR_OK;
}

static void echo_deinit(void* instance) { (void)instance; }

static sr_str echo_manifest(void* instance) {
    sr_str s;
    (void)instance;
    s.data = echo_manifest_text;
    s.size = sizeof echo_manifest_text - 1;
    return s;
}

static sr_status echo_execute(void* instance, const sr_call* call) {
    sr_result result;
    (void)instance;
    if (call->kind != SR_CALL_ACTION) return SR_ERR_UNSUPPORTED;
    if (call->target.size != 4 || memcmp(call->target.data, "echo", 4) != 0) return SR_ERR_UNKNOWN_TARGET;
    memset(&result, 0, sizeof result);
    result.struct_size = sizeof result;
    result.kind = SR_RESULT_SUCCESS;
    result.output_json = call->settings_json;
    result.retry_after_ms = -1;
    echo_host->complete(call, &result);
    return SR_OK;
}

static const sr_plugin_entry echo_entry = {
    sizeof(sr_plugin_entry), SR_ABI_MAJOR, SR_ABI_MINOR, echo_init, echo_deinit, echo_manifest, echo_execute, NULL,
};

const sr_plugin_entry* sr_c99_echo_plugin(void) { return &echo_entry; }
