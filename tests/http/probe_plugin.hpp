#pragma once
// A plugin linked into the services tests (no dlopen) that uses the host services exactly as
// a real plugin does, through the sr_host it gets at init:
//   target "fetch": input {"url", "method"?, "timeout_ms"?, "body"?, "max_response_bytes"?}
//                   -> output {"status", "http_status", "body", "error", "headers": {...}}
//   target "kv":    input {"op": "put"|"get"|"remove", "key", "value"? (JSON text)}
//                   -> output {"status", "value"?}
//   target "log":   input {"level", "msg"} -> writes the line, output null
//   target "services": output {"http": bool, "kv": bool}
#include <scenario/sr_plugin.h>

namespace sr::test {
const sr_plugin_entry* probe_plugin_entry();
}
