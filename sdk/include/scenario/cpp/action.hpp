#pragma once
// One action of an integration: its manifest entry and the handlers that run it.
// An action id may be declared in several versions (each with its own schemas and handler)
// so scenarios saved against an old version keep working; flag the old ones deprecated.
#include <scenario/cpp/detail/schema.hpp>
#include <scenario/cpp/dynamic_field.hpp>
#include <scenario/cpp/flow_kind.hpp>
#include <scenario/cpp/handler.hpp>
#include <scenario/cpp/json_arg.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sr::sdk {

class action {
public:
    action(std::string id, std::string name) : id_(std::move(id)), name_(std::move(name)) {}

    // The action's own version (an integer >= 1, default 1).
    action& version(int v) {
        version_ = v;
        return *this;
    }
    action& description(std::string text) {
        description_ = std::move(text);
        return *this;
    }
    action& category(std::string text) {
        category_ = std::move(text);
        return *this;
    }
    action& deprecated(bool flag = true) {
        deprecated_ = flag;
        return *this;
    }
    // Required: does the action change the outside world? Dry runs use sample_output
    // instead of running actions that do.
    action& side_effects(bool flag) {
        side_effects_ = flag;
        return *this;
    }
    // The connection type the action needs (must be declared by the integration).
    action& connection(std::string connection_type_id) {
        connection_ = std::move(connection_type_id);
        return *this;
    }
    action& input_schema(const json_arg& schema) {
        input_schema_ = detail::resolve_schema(schema, what("input_schema"));
        return *this;
    }
    action& settings_schema(const json_arg& schema) {
        settings_schema_ = detail::resolve_schema(schema, what("settings_schema"));
        return *this;
    }
    action& output_schema(const json_arg& schema) {
        output_schema_ = detail::resolve_schema(schema, what("output_schema"));
        return *this;
    }
    action& sample_output(const json_arg& sample) {
        sample_output_ = sample.resolve(what("sample_output"));
        return *this;
    }
    // Output handle ids (e.g. "true", "false"); none means one default output.
    action& outputs(std::vector<std::string> handles) {
        outputs_ = std::move(handles);
        return *this;
    }
    // Output handles that come from the node's settings: one per element of the array
    // settings[setting], named by that element's string member `key`, plus the fixed `extra`
    // handles (e.g. router.switch: dynamic_outputs("cases", "handle", {"default"})).
    action& dynamic_outputs(std::string setting, std::string key, std::vector<std::string> extra = {}) {
        dynamic_outputs_ = dynamic_outputs_spec{std::move(setting), std::move(key), std::move(extra)};
        return *this;
    }
    // The action's role in the engine beyond being called (iterate, aggregate, merge,
    // variables, stop); none for ordinary actions.
    action& flow(flow_kind kind) {
        flow_ = kind;
        return *this;
    }
    action& add_field(dynamic_field field) {
        fields_.push_back(std::move(field));
        return *this;
    }
    // The action that undoes this one, with its input (templates such as "{{output.id}}").
    action& compensation(std::string action_id, const json_arg& input = boost::json::object()) {
        compensation_action_ = std::move(action_id);
        compensation_input_ = input.resolve(what("compensation input"));
        return *this;
    }
    // Runs the action (SR_CALL_ACTION).
    action& run(handler fn) {
        run_ = std::move(fn);
        return *this;
    }
    // Rewrites settings saved under an older plugin version (SR_CALL_MIGRATE_SETTINGS):
    // ctx.settings() are the old settings, ctx.from_version() their plugin version; succeed
    // with the new settings object.
    action& on_migrate(handler fn) {
        migrate_ = std::move(fn);
        return *this;
    }

    const std::string& id() const noexcept { return id_; }
    int version_number() const noexcept { return version_; }
    const handler& run_handler() const noexcept { return run_; }
    const handler& migrate_handler() const noexcept { return migrate_; }
    const std::vector<dynamic_field>& fields() const noexcept { return fields_; }

    boost::json::object to_json() const {
        boost::json::object o;
        o["id"] = id_;
        o["version"] = version_;
        o["name"] = name_;
        if (!description_.empty()) o["description"] = description_;
        if (!category_.empty()) o["category"] = category_;
        o["deprecated"] = deprecated_;
        o["side_effects"] = side_effects_.value_or(true);
        if (!connection_.empty()) o["connection"] = connection_;
        o["input_schema"] = input_schema_;
        o["settings_schema"] = settings_schema_;
        o["output_schema"] = output_schema_;
        if (sample_output_) o["sample_output"] = *sample_output_;
        if (!outputs_.empty()) o["outputs"] = detail::to_array(outputs_);
        if (dynamic_outputs_) {
            o["dynamic_outputs"] = boost::json::object{{"setting", dynamic_outputs_->setting},
                                                       {"key", dynamic_outputs_->key},
                                                       {"extra", detail::to_array(dynamic_outputs_->extra)}};
        }
        if (flow_) o["flow"] = to_string(*flow_);
        if (!fields_.empty()) {
            boost::json::array fields;
            for (const auto& f : fields_) fields.emplace_back(f.to_json());
            o["dynamic_fields"] = std::move(fields);
        }
        if (!compensation_action_.empty()) {
            o["compensation"] = boost::json::object{{"action", compensation_action_}, {"input", compensation_input_}};
        }
        return o;
    }

private:
    friend class integration;

    std::string what(const char* part) const { return "action '" + id_ + "' " + part; }

    struct dynamic_outputs_spec {
        std::string setting, key;
        std::vector<std::string> extra;
    };

    std::string id_, name_, description_, category_, connection_;
    int version_ = 1;
    bool deprecated_ = false;
    std::optional<bool> side_effects_;
    boost::json::value input_schema_ = boost::json::object();
    boost::json::value settings_schema_ = boost::json::object();
    boost::json::value output_schema_ = boost::json::object();
    std::optional<boost::json::value> sample_output_;
    std::vector<std::string> outputs_;
    std::optional<dynamic_outputs_spec> dynamic_outputs_;
    std::optional<flow_kind> flow_;
    std::vector<dynamic_field> fields_;
    std::string compensation_action_;
    boost::json::value compensation_input_;
    handler run_;
    handler migrate_;
};

} // namespace sr::sdk
