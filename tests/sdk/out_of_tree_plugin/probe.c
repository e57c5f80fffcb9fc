/* Loads a plugin like a host would: dlopen, the one entry symbol, the ABI handshake, init,
 * manifest, one action call, deinit. Usage: sr_plugin_probe <plugin.so> <action> <settings> */
#include <scenario/sr_plugin.h>

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static int completed = 0;
static char output[4096];

static void probe_log(const sr_host* host, const sr_call* call, sr_log_level level, sr_str message) {
    (void)host;
    (void)call;
    fprintf(stderr, "plugin log %d: %.*s\n", (int)level, (int)message.size, message.data);
}

static sr_status probe_complete(const sr_call* call, const sr_result* result) {
    (void)call;
    ++completed;
    if (result->kind != SR_RESULT_SUCCESS) {
        fprintf(stderr, "call failed: %.*s\n", (int)result->error_code.size, result->error_code.data);
        return SR_OK;
    }
    snprintf(output, sizeof output, "%.*s", (int)result->output_json.size, result->output_json.data);
    return SR_OK;
}

static int32_t probe_is_cancelled(const sr_call* call) {
    (void)call;
    return 0;
}

static const void* probe_get_service(const sr_host* host, const char* id) {
    (void)host;
    (void)id;
    return NULL;
}

static sr_str str(const char* s) {
    sr_str r;
    r.data = s;
    r.size = strlen(s);
    return r;
}

int main(int argc, char** argv) {
    void* library;
    void* symbol;
    sr_plugin_entry_fn entry_fn;
    const sr_plugin_entry* entry;
    sr_host host;
    sr_call call;
    void* instance = NULL;
    sr_str manifest;
    sr_status status;

    if (argc != 4) {
        fprintf(stderr, "usage: %s <plugin.so> <action> <settings json>\n", argv[0]);
        return 2;
    }
    library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        fprintf(stderr, "dlopen failed: %s\n", dlerror());
        return 1;
    }
    symbol = dlsym(library, SR_ENTRY_SYMBOL);
    if (symbol == NULL) {
        fprintf(stderr, "no %s in %s\n", SR_ENTRY_SYMBOL, argv[1]);
        return 1;
    }
    memcpy(&entry_fn, &symbol, sizeof entry_fn); /* POSIX: object to function pointer */
    entry = entry_fn();
    if (entry == NULL || entry->struct_size < sizeof(sr_plugin_entry) || entry->abi_major != SR_ABI_MAJOR ||
        entry->abi_minor > SR_ABI_MINOR) {
        fprintf(stderr, "ABI handshake failed\n");
        return 1;
    }
    printf("abi %u.%u\n", (unsigned)entry->abi_major, (unsigned)entry->abi_minor);

    memset(&host, 0, sizeof host);
    host.struct_size = sizeof host;
    host.abi_major = SR_ABI_MAJOR;
    host.abi_minor = SR_ABI_MINOR;
    host.log = probe_log;
    host.complete = probe_complete;
    host.is_cancelled = probe_is_cancelled;
    host.get_service = probe_get_service;
    status = entry->init(&host, &instance);
    if (status != SR_OK) {
        fprintf(stderr, "init failed: %d\n", (int)status);
        return 1;
    }
    manifest = entry->manifest(instance);
    printf("manifest %.*s\n", (int)manifest.size, manifest.data);

    memset(&call, 0, sizeof call);
    call.struct_size = sizeof call;
    call.kind = SR_CALL_ACTION;
    call.target = str(argv[2]);
    call.input_json = str("{}");
    call.settings_json = str(argv[3]);
    call.attempt = 1;
    call.cursor_json = str("null");
    call.headers_json = str("{}");
    status = entry->execute(instance, &call);
    if (status != SR_OK || completed != 1) {
        fprintf(stderr, "execute: status %d, completed %d times\n", (int)status, completed);
        return 1;
    }
    printf("output %s\n", output);
    entry->deinit(instance);
    dlclose(library);
    return 0;
}
