#include "http_request_action.hpp"

#include "http_exchange.hpp"

#include <string>
#include <utility>
#include <variant>

namespace sr::plugins::system {

namespace {

// Asynchronous: the host runs the exchange on its I/O threads and the completion travels
// with the response callback, so no thread waits for the network.
void run_http_request(sdk::action_context ctx, sdk::completion done) {
    auto built = build_http_request(ctx.settings(), ctx.idempotency_key());
    if (auto* error = std::get_if<sdk::result>(&built)) {
        done(*error);
        return;
    }
    const auto& request = std::get<sdk::http_request>(built);
    ctx.http().request(request, [done = std::move(done), method = request.method,
                                 url = request.url](sdk::http_response response) mutable {
        done(map_http_response(response, method, url));
    });
}

} // namespace

sdk::action http_request_action() {
    return sdk::action("http_request", "HTTP request")
        .description("Sends an HTTP(S) request with any method, headers and body, and outputs the response.")
        .category("network")
        .side_effects(true)
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "method": {"type": "string", "pattern": "^[A-Za-z]+$", "default": "GET"},
                "url": {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"},
                "headers": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
                "body": {"description": "A string is sent as is; any other JSON value is sent as application/json"},
                "timeout_ms": {"type": "integer", "minimum": 1, "maximum": 600000}
            },
            "required": ["url"]
        })")
        .output_schema(R"({
            "type": "object",
            "properties": {
                "status": {"type": "integer"},
                "headers": {"type": "object", "additionalProperties": {"type": "string"}},
                "body": {},
                "body_encoding": {"type": "string", "enum": ["base64"]}
            },
            "required": ["status", "headers", "body"]
        })")
        .sample_output(R"({
            "status": 200,
            "headers": {"content-type": "application/json"},
            "body": {"id": 1042, "status": "created"}
        })")
        .run(run_http_request);
}

} // namespace sr::plugins::system
