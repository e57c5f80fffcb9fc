/*
 * Scenario Runtime plugin ABI, version 1.
 *
 * This header is the whole contract between the `scenariod` host and an integration
 * plugin (a shared library). It compiles as C99 and as C++. Only fixed-width types,
 * plain structs and function pointers cross the boundary: no STL, no Boost, no
 * exceptions. All strings are UTF-8 and carry an explicit length; JSON crosses as text.
 *
 * Versioning
 *   SR_ABI_MAJOR changes only when an existing struct or function changes meaning; the
 *   exported symbol name carries it (sr_plugin_entry_v1), so a v2 plugin is simply not
 *   found by a v1 host. SR_ABI_MINOR grows when fields or services are appended; a host
 *   refuses a plugin built against a newer minor than its own.
 *   Every struct that can grow starts with `uint32_t struct_size`. A reader checks that a
 *   field lies inside struct_size (SR_HAS_FIELD) before using it. Fields are append-only;
 *   the minor version in which each group arrived is written above it.
 *
 * Ownership
 *   "borrowed" pointers belong to the caller and stay valid only for the stated span;
 *   the callee copies what it wants to keep. Each side frees only what it allocated.
 *
 * Thread tags (written on every function):
 *   [load-thread]  called by the host on the thread that loads and unloads plugins,
 *                  never concurrently with any other call into the same plugin instance.
 *   [any-thread]   the host may call it from any of its threads, concurrently with
 *                  other [any-thread] calls; the plugin must be thread-safe there.
 *   [thread-safe]  a host service the plugin may call from any thread, at any time
 *                  between init and deinit.
 *   [callback]     runs on a host I/O thread; it must not block. It may call host
 *                  services, including complete().
 */
#ifndef SCENARIO_SR_PLUGIN_H
#define SCENARIO_SR_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SR_ABI_MAJOR 1
#define SR_ABI_MINOR 1

/* The name of the one exported symbol; the major version is part of the name. */
#define SR_ENTRY_SYMBOL "sr_plugin_entry_v1"

/* True when `field` of the struct pointed to by `ptr` lies inside ptr->struct_size. */
#define SR_HAS_FIELD(ptr, type, field) \
    ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/* ------------------------------------------------------------------------------------ */
/* Status codes. Append-only; sr::sdk::status_message() (C++ layer) names each one.      */
/* ------------------------------------------------------------------------------------ */
enum {
    SR_OK = 0,                 /* done; for execute(): complete() was already called   */
    SR_PENDING = 1,            /* execute(): complete() will be called later, once     */
    SR_ERR_INVALID_ARGUMENT = 2,
    SR_ERR_UNKNOWN_TARGET = 3, /* no such action, trigger, connection type or field    */
    SR_ERR_UNSUPPORTED = 4,    /* call kind or service not supported                   */
    SR_ERR_ALREADY_COMPLETED = 5,
    SR_ERR_CANCELLED = 6,
    SR_ERR_TIMEOUT = 7,
    SR_ERR_CONNECT = 8,        /* could not connect (refused, DNS, TLS handshake)      */
    SR_ERR_IO = 9,             /* connection broke while sending or receiving          */
    SR_ERR_NOT_FOUND = 10,
    SR_ERR_TOO_LARGE = 11,
    SR_ERR_INTERNAL = 12,
    SR_ERR_INIT_FAILED = 13
};
typedef int32_t sr_status;

/* A borrowed UTF-8 string or byte range; `data` may be NULL when `size` is 0. */
typedef struct sr_str {
    const char* data;
    uint64_t size;
} sr_str;

/* ------------------------------------------------------------------------------------ */
/* Calls: one shape for every way the host uses a plugin.                                */
/* ------------------------------------------------------------------------------------ */
enum {
    SR_CALL_ACTION = 0,           /* run action `target` with input and settings         */
    SR_CALL_POLL_TRIGGER = 1,     /* poll trigger `target`, starting from `cursor_json`;  */
                                  /* output {"events":[...], "cursor": <json>}           */
    SR_CALL_WEBHOOK = 2,          /* turn a webhook delivery (raw_body, headers_json) for */
                                  /* trigger `target` into output {"events":[...]} and   */
                                  /* optionally "response": {"status", "body"}           */
    SR_CALL_FIELD_OPTIONS = 3,    /* options of dynamic field `field` of action or trigger */
                                  /* `target`; dependency values are in settings_json;   */
                                  /* output {"options":[{"value","label"}...]}           */
    SR_CALL_TEST_CONNECTION = 4,  /* check credentials of connection type `target`        */
    SR_CALL_MIGRATE_SETTINGS = 5  /* settings of action `target` saved under plugin      */
                                  /* version `from_version`; output: the new settings    */
};
typedef int32_t sr_call_kind;

/*
 * One call into a plugin. Owned by the host. Every pointer in it, and the struct itself,
 * stays valid from execute() until complete() for this call returns. The address of the
 * struct identifies the call towards host services (complete, is_cancelled, HTTP, KV).
 */
typedef struct sr_call {
    uint32_t struct_size;
    sr_call_kind kind;
    /* since 1.0 */
    sr_str target;            /* action, trigger or connection type id                */
    sr_str field;             /* dynamic field name (SR_CALL_FIELD_OPTIONS), else empty */
    sr_str input_json;        /* mapped input, a JSON object ("{}" when none)          */
    sr_str settings_json;     /* node settings after mapping, a JSON object           */
    sr_str connection_json;   /* decrypted credentials, JSON object; empty when none.  */
                              /* Secret: never log it or echo it in output or errors.  */
    sr_str run_id;
    sr_str node_id;
    sr_str correlation_id;
    sr_str idempotency_key;   /* stable across retries and re-executions of this node  */
                              /* in this run: forward it to services that honour one   */
    sr_str scope;             /* host-chosen id of the trigger/node instance; the KV   */
                              /* service namespaces keys by plugin and scope           */
    uint32_t attempt;         /* 1 for the first attempt                               */
    int64_t deadline_unix_ms; /* wall-clock deadline; 0 when none                      */
    sr_str cursor_json;       /* SR_CALL_POLL_TRIGGER: last cursor, "null" at first    */
    sr_str raw_body;          /* SR_CALL_WEBHOOK: request body bytes as received       */
    sr_str headers_json;      /* SR_CALL_WEBHOOK: {"lower-case-name": "value", ...}    */
    sr_str from_version;      /* SR_CALL_MIGRATE_SETTINGS: semver the settings were for */
} sr_call;

enum {
    SR_RESULT_SUCCESS = 0,
    SR_RESULT_RETRYABLE_ERROR = 1,
    SR_RESULT_FATAL_ERROR = 2,
    SR_RESULT_SUSPEND = 3 /* wait until resume_at_unix_ms, then the node succeeds with */
                          /* output_json (e.g. system.delay); no thread waits        */
};
typedef int32_t sr_result_kind;

/*
 * The outcome of a call, passed to complete(). Borrowed: the host copies everything it
 * needs before complete() returns, so the plugin may free it right after.
 */
typedef struct sr_result {
    uint32_t struct_size;
    sr_result_kind kind;
    /* since 1.0 */
    sr_str output_json;        /* JSON value; empty means null                        */
    sr_str error_code;         /* error taxonomy code, e.g. "connection_invalid"      */
    sr_str error_message;      /* human-readable; must not contain secrets            */
    int64_t retry_after_ms;    /* service-requested wait before a retry; -1 when none  */
    int64_t resume_at_unix_ms; /* SR_RESULT_SUSPEND only                              */
    /* since 1.1 */
    sr_str route_json;         /* JSON array of output handle ids to follow (only for */
                               /* actions that declare outputs or act as filters);    */
                               /* empty (size 0) means follow every success edge;     */
                               /* "[]" means follow none. Read only when struct_size  */
                               /* covers it (SR_HAS_FIELD)                            */
} sr_result;

/* ------------------------------------------------------------------------------------ */
/* Host services                                                                         */
/* ------------------------------------------------------------------------------------ */
enum { SR_LOG_DEBUG = 0, SR_LOG_INFO = 1, SR_LOG_WARN = 2, SR_LOG_ERROR = 3 };
typedef int32_t sr_log_level;

/*
 * The host as one plugin instance sees it. Owned by the host; valid from init() until
 * deinit() returns. Each plugin instance gets its own sr_host.
 */
typedef struct sr_host {
    uint32_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    /* since 1.0 */

    /* [thread-safe] Writes a log line attributed to this plugin and, when `call` is not
     * NULL, to that call's run and correlation id. `message` is borrowed for the call. */
    void (*log)(const struct sr_host* host, const sr_call* call, sr_log_level level,
                sr_str message);

    /* [thread-safe] Finishes `call` with `result`. Must be called exactly once per call
     * that execute() answered with SR_OK or SR_PENDING, including cancelled calls (with
     * an error result). `result` is borrowed for the call. After it returns, `call` and
     * everything it points to are gone. A second call returns SR_ERR_ALREADY_COMPLETED
     * only while the host can still tell; do not rely on it. */
    sr_status (*complete)(const sr_call* call, const sr_result* result);

    /* [thread-safe] Non-zero once the host wants `call` abandoned (run cancelled,
     * deadline passed, host shutting down). */
    int32_t (*is_cancelled)(const sr_call* call);

    /* [thread-safe] Looks up an optional service by versioned id, e.g. SR_HTTP_V1.
     * Returns a pointer to the service's table (owned by the host, valid until
     * deinit) or NULL when this host does not offer it. */
    const void* (*get_service)(const struct sr_host* host, const char* id);
} sr_host;

/* ---- Service "sr.http/1": an asynchronous HTTP(S) client run by the host ------------- */
#define SR_HTTP_V1 "sr.http/1"

typedef struct sr_http_header {
    sr_str name;
    sr_str value;
} sr_http_header;

/* Borrowed for the duration of request(); the host copies it. */
typedef struct sr_http_request {
    uint32_t struct_size;
    /* since 1.0 */
    sr_str method;                 /* "GET", "POST", ...                               */
    sr_str url;                    /* http:// or https:// (TLS via OpenSSL, verified)  */
    const sr_http_header* headers; /* may be NULL when header_count is 0                */
    uint32_t header_count;
    sr_str body;
    uint32_t timeout_ms;           /* whole exchange; 0 means the host default (30 s)   */
    uint64_t max_response_bytes;   /* 0 means the host default (16 MiB)                 */
} sr_http_request;

/* Borrowed for the duration of the callback only. */
typedef struct sr_http_response {
    uint32_t struct_size;
    /* since 1.0 */
    sr_status status;              /* SR_OK when a response arrived, whatever its code; */
                                   /* else SR_ERR_TIMEOUT, SR_ERR_CONNECT, SR_ERR_IO,  */
                                   /* SR_ERR_TOO_LARGE, SR_ERR_CANCELLED               */
    int32_t http_status;           /* 0 unless status is SR_OK                          */
    const sr_http_header* headers; /* names in lower case                               */
    uint32_t header_count;
    sr_str body;
    sr_str error_message;          /* transport error detail; empty on SR_OK            */
} sr_http_response;

/* [callback] Called exactly once per accepted request. */
typedef void (*sr_http_callback)(void* user_data, const sr_http_response* response);

typedef struct sr_http_v1 {
    uint32_t struct_size;
    /* since 1.0 */
    /* [thread-safe] Starts a request on behalf of `call` (which must still be open; its
     * cancellation and deadline bound the request). Returns SR_OK when accepted, and
     * then `callback` runs exactly once, never inside request() itself. Any other return
     * means the callback will not run. `user_data` is the plugin's, passed back as is. */
    sr_status (*request)(const sr_call* call, const sr_http_request* request,
                         sr_http_callback callback, void* user_data);
} sr_http_v1;

/* ---- Service "sr.kv/1": durable per-plugin key/value state --------------------------- */
#define SR_KV_V1 "sr.kv/1"

/* [callback] `value` is borrowed for the callback; status SR_OK or SR_ERR_NOT_FOUND,
 * or an error when the store is unreachable. */
typedef void (*sr_kv_get_callback)(void* user_data, sr_status status, sr_str value);
/* [callback] */
typedef void (*sr_kv_done_callback)(void* user_data, sr_status status);

typedef struct sr_kv_v1 {
    uint32_t struct_size;
    /* since 1.0 */
    /* [thread-safe] Keys are namespaced by plugin id and the call's scope. Values are
     * JSON text. Each returns SR_OK when accepted; the callback then runs exactly once,
     * never inside the function itself. Arguments are borrowed for the function call. */
    sr_status (*get)(const sr_call* call, sr_str key, sr_kv_get_callback callback,
                     void* user_data);
    sr_status (*put)(const sr_call* call, sr_str key, sr_str value_json,
                     sr_kv_done_callback callback, void* user_data);
    sr_status (*remove)(const sr_call* call, sr_str key, sr_kv_done_callback callback,
                        void* user_data);
} sr_kv_v1;

/* ------------------------------------------------------------------------------------ */
/* The plugin entry                                                                      */
/* ------------------------------------------------------------------------------------ */

/*
 * Returned by the exported entry function. Static, owned by the plugin, valid while the
 * library is loaded. The host checks struct_size, abi_major (equal) and abi_minor (not
 * newer than the host's) before calling anything.
 */
typedef struct sr_plugin_entry {
    uint32_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    /* since 1.0 */

    /* [load-thread] Creates a plugin instance. Must be fast: no network, no database, no
     * threads started that outlive a failed init. `host` is borrowed until deinit().
     * On SR_OK, *out_instance is the plugin's opaque state passed to every other
     * function. Any other status refuses the plugin; deinit is then not called. */
    sr_status (*init)(const sr_host* host, void** out_instance);

    /* [load-thread] Destroys the instance. The host calls it only after every call has
     * completed (or been cancelled and completed). */
    void (*deinit)(void* instance);

    /* [load-thread] The manifest: UTF-8 JSON describing the integration (see
     * sdk/docs/manifest.md). Owned by the plugin, unchanged and valid until deinit(). */
    sr_str (*manifest)(void* instance);

    /* [any-thread] Starts `call`. Returns:
     *   SR_OK       complete() has already been called for this call (synchronous work);
     *   SR_PENDING  complete() will be called exactly once later, from any thread;
     *   an error    complete() has not been and will not be called (e.g.
     *               SR_ERR_UNKNOWN_TARGET, SR_ERR_UNSUPPORTED).
     * Must not block on I/O: use the host's HTTP and KV services. */
    sr_status (*execute)(void* instance, const sr_call* call);

    /* [any-thread] Asks the plugin to abandon a pending call. The call still ends with
     * complete() (typically a SR_RESULT_FATAL_ERROR with code "cancelled"). May be NULL.
     * The host calls it only before complete() for `call` has returned, but possibly while
     * another thread is inside that complete(): the plugin must not wait for a completion
     * in progress here (the host may hold a lock that its complete() also takes). */
    void (*cancel)(void* instance, const sr_call* call);
} sr_plugin_entry;

typedef const sr_plugin_entry* (*sr_plugin_entry_fn)(void);

#if defined(_WIN32)
#define SR_EXPORT __declspec(dllexport)
#else
#define SR_EXPORT __attribute__((visibility("default")))
#endif

/*
 * Defines the one exported entry function of a plugin. `entry_expr` is an expression of
 * type `const sr_plugin_entry*` pointing at static storage. A function, not a data symbol:
 * dlsym is only guaranteed to work for functions.
 */
#ifdef __cplusplus
#define SR_EXTERN_C extern "C"
#else
#define SR_EXTERN_C
#endif
#define SR_DEFINE_PLUGIN_ENTRY(entry_expr) \
    SR_EXTERN_C SR_EXPORT const sr_plugin_entry* sr_plugin_entry_v1(void) { return (entry_expr); }

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SCENARIO_SR_PLUGIN_H */
