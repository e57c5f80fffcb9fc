// The smallest useful plugin: one action, written against the installed SDK.
#include <scenario/sdk.hpp>

#include <string>

namespace {

sr::sdk::integration make_hello() {
    sr::sdk::integration app("hello", "Hello", "0.1.0");
    app.add_action(sr::sdk::action("greet", "Greet")
                       .side_effects(false)
                       .settings_schema(R"({"type":"object","properties":{"name":{"type":"string"}}})")
                       .sample_output(R"({"greeting":"Hello, world"})")
                       .run([](sr::sdk::action_context& ctx) {
                           std::string name = "world";
                           if (const auto* n = ctx.settings().if_contains("name"); n && n->is_string()) {
                               name = n->get_string().c_str();
                           }
                           return sr::sdk::result::success({{"greeting", "Hello, " + name}});
                       }));
    return app;
}

} // namespace

SR_PLUGIN(make_hello)
