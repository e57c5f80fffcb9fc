/* Compiled (not linked: it defines sr_plugin_entry_v1) with -std=c99 -pedantic -Werror, to
 * prove the entry macro works in C. */
#include <scenario/sr_plugin.h>

static sr_status entry_init(const sr_host* host, void** out_instance) {
    (void)host;
    *out_instance = NULL;
    return SR_ERR_INIT_FAILED;
}
static void entry_deinit(void* instance) { (void)instance; }
static sr_str entry_manifest(void* instance) {
    sr_str s;
    (void)instance;
    s.data = NULL;
    s.size = 0;
    return s;
}
static sr_status entry_execute(void* instance, const sr_call* call) {
    (void)instance;
    (void)call;
    return SR_ERR_UNSUPPORTED;
}

static const sr_plugin_entry entry = {
    sizeof(sr_plugin_entry), SR_ABI_MAJOR, SR_ABI_MINOR, entry_init, entry_deinit, entry_manifest, entry_execute, NULL,
};

SR_DEFINE_PLUGIN_ENTRY(&entry)
