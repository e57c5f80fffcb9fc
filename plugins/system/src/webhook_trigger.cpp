#include "webhook_trigger.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace sr::plugins::system {

namespace {

bool may_be_json(const boost::json::string* content_type) {
    if (content_type == nullptr) return true; // senders often omit it; try
    std::string type(content_type->data(), content_type->size());
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return type.find("json") != std::string::npos;
}

sdk::result on_delivery(sdk::action_context& ctx) {
    boost::json::object event;
    event["body"] = webhook_body(ctx.raw_body(), ctx.header("content-type"));
    event["headers"] = ctx.headers();
    return sdk::result::success({{"events", boost::json::array{std::move(event)}}});
}

} // namespace

boost::json::value webhook_body(std::string_view raw_body, const boost::json::string* content_type) {
    if (raw_body.empty()) return nullptr;
    if (may_be_json(content_type)) {
        boost::system::error_code ec;
        auto parsed = boost::json::parse(raw_body, ec);
        if (!ec) return parsed;
    }
    return boost::json::string(raw_body);
}

sdk::trigger webhook_trigger() {
    return sdk::trigger("webhook", "Webhook", sdk::trigger_kind::webhook)
        .description("Starts the scenario for each HTTP delivery to the scenario's webhook URL, "
                     "signed with HMAC-SHA256.")
        .verification(sdk::webhook_verification::hmac_sha256)
        .settings_schema(R"({"type": "object", "properties": {}})")
        .output_schema(R"({
            "type": "object",
            "properties": {"body": {}, "headers": {"type": "object"}},
            "required": ["body", "headers"]
        })")
        .sample_output(R"({"body": {"order_id": 1042, "total": 99.5}, "headers": {"content-type": "application/json"}})")
        .on_webhook(on_delivery);
}

} // namespace sr::plugins::system
