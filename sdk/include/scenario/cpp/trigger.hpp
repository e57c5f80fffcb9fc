#pragma once
// One trigger of an integration: how a scenario starts (polling, webhook, schedule, manual).
#include <scenario/cpp/detail/schema.hpp>
#include <scenario/cpp/dynamic_field.hpp>
#include <scenario/cpp/handler.hpp>
#include <scenario/cpp/json_arg.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sr::sdk {

enum class trigger_kind { polling, webhook, schedule, manual };
enum class webhook_verification { none, hmac_sha256, stripe, monday };

class trigger {
public:
    trigger(std::string id, std::string name, trigger_kind kind)
        : id_(std::move(id)), name_(std::move(name)), kind_(kind) {}

    trigger& description(std::string text) {
        description_ = std::move(text);
        return *this;
    }
    trigger& connection(std::string connection_type_id) {
        connection_ = std::move(connection_type_id);
        return *this;
    }
    trigger& settings_schema(const json_arg& schema) {
        settings_schema_ = detail::resolve_schema(schema, what("settings_schema"));
        return *this;
    }
    trigger& output_schema(const json_arg& schema) {
        output_schema_ = detail::resolve_schema(schema, what("output_schema"));
        return *this;
    }
    trigger& sample_output(const json_arg& sample) {
        sample_output_ = sample.resolve(what("sample_output"));
        return *this;
    }
    trigger& add_field(dynamic_field field) {
        fields_.push_back(std::move(field));
        return *this;
    }
    // Polling triggers: seconds between polls (default 60).
    trigger& poll_interval_s(int64_t seconds) {
        poll_interval_s_ = seconds;
        return *this;
    }
    // Webhook triggers: how the host authenticates deliveries before calling on_webhook.
    trigger& verification(webhook_verification v) {
        verification_ = v;
        return *this;
    }
    // Polling (SR_CALL_POLL_TRIGGER): ctx.cursor() is the last cursor (null at first);
    // succeed with {"events": [...], "cursor": <json>}.
    trigger& on_poll(handler fn) {
        poll_ = std::move(fn);
        return *this;
    }
    // Webhook (SR_CALL_WEBHOOK): ctx.raw_body() and ctx.headers() are the delivery; succeed
    // with {"events": [...]} and optionally "response": {"status", "body"}.
    trigger& on_webhook(handler fn) {
        webhook_ = std::move(fn);
        return *this;
    }

    const std::string& id() const noexcept { return id_; }
    trigger_kind kind() const noexcept { return kind_; }
    const handler& poll_handler() const noexcept { return poll_; }
    const handler& webhook_handler() const noexcept { return webhook_; }
    const std::vector<dynamic_field>& fields() const noexcept { return fields_; }

    static const char* kind_name(trigger_kind kind) noexcept {
        switch (kind) {
        case trigger_kind::polling: return "polling";
        case trigger_kind::webhook: return "webhook";
        case trigger_kind::schedule: return "schedule";
        case trigger_kind::manual: return "manual";
        }
        return "manual";
    }

    static const char* verification_name(webhook_verification v) noexcept {
        switch (v) {
        case webhook_verification::none: return "none";
        case webhook_verification::hmac_sha256: return "hmac_sha256";
        case webhook_verification::stripe: return "stripe";
        case webhook_verification::monday: return "monday";
        }
        return "none";
    }

    boost::json::object to_json() const {
        boost::json::object o;
        o["id"] = id_;
        o["name"] = name_;
        if (!description_.empty()) o["description"] = description_;
        o["kind"] = kind_name(kind_);
        if (!connection_.empty()) o["connection"] = connection_;
        o["settings_schema"] = settings_schema_;
        o["output_schema"] = output_schema_;
        if (sample_output_) o["sample_output"] = *sample_output_;
        if (!fields_.empty()) {
            boost::json::array fields;
            for (const auto& f : fields_) fields.emplace_back(f.to_json());
            o["dynamic_fields"] = std::move(fields);
        }
        if (kind_ == trigger_kind::polling) o["poll_interval_s"] = poll_interval_s_;
        if (kind_ == trigger_kind::webhook) o["verification"] = verification_name(verification_);
        return o;
    }

private:
    friend class integration;

    std::string what(const char* part) const { return "trigger '" + id_ + "' " + part; }

    std::string id_, name_, description_, connection_;
    trigger_kind kind_;
    boost::json::value settings_schema_ = boost::json::object();
    boost::json::value output_schema_ = boost::json::object();
    std::optional<boost::json::value> sample_output_;
    std::vector<dynamic_field> fields_;
    int64_t poll_interval_s_ = 60;
    webhook_verification verification_ = webhook_verification::none;
    handler poll_;
    handler webhook_;
};

} // namespace sr::sdk
