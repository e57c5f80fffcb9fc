#include "connection_types.hpp"

#include "wp_exchange.hpp"

#include <utility>
#include <variant>

namespace sr::plugins::wordpress {

namespace {

void test_connection(sdk::action_context ctx, sdk::completion done) {
    auto site = site_from_connection(ctx.connection(), ctx.target());
    if (auto* error = std::get_if<sdk::result>(&site)) {
        done(*error);
        return;
    }
    wp_call call;
    call.path = "/users/me";
    send(ctx, std::get<wp_site>(site), call, std::move(done), [](wp_reply reply, sdk::completion done) {
        boost::json::object user;
        if (const auto* o = reply.body.if_object()) {
            for (const char* name : {"id", "name", "slug"}) {
                if (const auto* v = o->if_contains(name)) user[name] = *v;
            }
        }
        done(sdk::result::success({{"ok", true}, {"user", std::move(user)}}));
    });
}

} // namespace

sdk::connection_type app_password_connection() {
    return sdk::connection_type("app_password", "Application password")
        .description("A WordPress user and one of its Application Passwords (Users > Profile > Application "
                     "Passwords). Works over HTTPS, or plain HTTP on sites in the local environment.")
        .schema(R"({
            "type": "object",
            "properties": {
                "site_url": {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://", "description": "e.g. https://blog.example.com"},
                "username": {"type": "string", "minLength": 1},
                "application_password": {"type": "string", "minLength": 1}
            },
            "required": ["site_url", "username", "application_password"]
        })")
        .secret_fields({"application_password"})
        .on_test(test_connection);
}

sdk::connection_type bearer_token_connection() {
    return sdk::connection_type("bearer_token", "Bearer token")
        .description("A token sent as Authorization: Bearer, for sites with a JWT or OAuth plugin.")
        .schema(R"({
            "type": "object",
            "properties": {
                "site_url": {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"},
                "token": {"type": "string", "minLength": 1}
            },
            "required": ["site_url", "token"]
        })")
        .secret_fields({"token"})
        .on_test(test_connection);
}

} // namespace sr::plugins::wordpress
