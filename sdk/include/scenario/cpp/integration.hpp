#pragma once
// The whole definition of a plugin: metadata, connection types, actions and triggers.
// The plugin's factory builds one at init; validate() catches the mistakes the host's
// manifest validator would refuse, with a message naming the part, and manifest()
// produces the JSON described in sdk/docs/manifest.md.
#include <scenario/cpp/action.hpp>
#include <scenario/cpp/connection_type.hpp>
#include <scenario/cpp/detail/names.hpp>
#include <scenario/cpp/detail/schema.hpp>
#include <scenario/cpp/trigger.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sr::sdk {

class integration {
public:
    // `id` matches ^[a-z][a-z0-9_]{0,63}$; `version` is the plugin's semver (not the ABI's).
    integration(std::string id, std::string name, std::string version)
        : id_(std::move(id)), name_(std::move(name)), version_(std::move(version)) {}

    integration& description(std::string text) { return set(description_, std::move(text)); }
    integration& category(std::string text) { return set(category_, std::move(text)); }
    integration& icon(std::string text) { return set(icon_, std::move(text)); }
    integration& color(std::string text) { return set(color_, std::move(text)); }
    integration& author(std::string text) { return set(author_, std::move(text)); }
    integration& keywords(std::vector<std::string> words) {
        keywords_ = std::move(words);
        return *this;
    }
    integration& tags(std::vector<std::string> words) {
        tags_ = std::move(words);
        return *this;
    }
    integration& add_connection(connection_type type) {
        connections_.push_back(std::move(type));
        return *this;
    }
    integration& add_action(action a) {
        actions_.push_back(std::move(a));
        return *this;
    }
    integration& add_trigger(trigger t) {
        triggers_.push_back(std::move(t));
        return *this;
    }

    const std::string& id() const noexcept { return id_; }
    const std::string& version() const noexcept { return version_; }

    // The action a call's target names: "id" is the highest version, "id@N" version N.
    const action* find_action(std::string_view target) const noexcept {
        std::string_view id = target;
        int version = 0;
        if (const auto at = target.find('@'); at != std::string_view::npos) {
            id = target.substr(0, at);
            const auto digits = target.substr(at + 1);
            const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
            if (ec != std::errc() || end != digits.data() + digits.size() || version < 1) return nullptr;
        }
        const action* best = nullptr;
        for (const auto& a : actions_) {
            if (a.id_ != id) continue;
            if (version != 0 ? a.version_ == version : (best == nullptr || a.version_ > best->version_)) best = &a;
        }
        return best;
    }
    const trigger* find_trigger(std::string_view id) const noexcept {
        for (const auto& t : triggers_) {
            if (t.id_ == id) return &t;
        }
        return nullptr;
    }
    const connection_type* find_connection(std::string_view id) const noexcept {
        for (const auto& c : connections_) {
            if (c.id_ == id) return &c;
        }
        return nullptr;
    }

    // Throws std::invalid_argument naming the first problem found.
    void validate() const {
        if (!detail::is_identifier(id_)) fail("integration id " + detail::quoted(id_) + " must match ^[a-z][a-z0-9_]{0,63}$");
        if (name_.empty()) fail("integration " + detail::quoted(id_) + " has no name");
        if (!detail::is_semver(version_)) fail("integration version " + detail::quoted(version_) + " is not semver (MAJOR.MINOR.PATCH)");
        if (actions_.empty() && triggers_.empty()) fail("integration " + detail::quoted(id_) + " defines no action and no trigger");
        std::set<std::string> connection_ids;
        for (const auto& c : connections_) {
            const std::string what = "connection type " + detail::quoted(c.id_);
            check_identifier(c.id_, what);
            if (c.name_.empty()) fail(what + " has no name");
            if (!connection_ids.insert(c.id_).second) fail(what + " is declared twice");
        }
        std::set<std::pair<std::string, int>> action_keys;
        for (const auto& a : actions_) validate_action(a, action_keys);
        std::set<std::string> trigger_ids;
        for (const auto& t : triggers_) {
            const std::string what = "trigger " + detail::quoted(t.id_);
            check_identifier(t.id_, what);
            if (!trigger_ids.insert(t.id_).second) fail(what + " is declared twice");
            if (find_action(t.id_) != nullptr) fail(what + " has the id of an action");
            if (t.name_.empty()) fail(what + " has no name");
            check_connection(t.connection_, what);
            if (t.kind_ == trigger_kind::polling && !t.poll_) fail(what + " is a polling trigger without on_poll()");
            if (t.kind_ == trigger_kind::polling && t.poll_interval_s_ < 1) fail(what + " needs poll_interval_s >= 1");
            if (t.kind_ == trigger_kind::webhook && !t.webhook_) fail(what + " is a webhook trigger without on_webhook()");
            validate_fields(t.fields_, t.settings_schema_, what);
        }
    }

    boost::json::object manifest() const {
        boost::json::object m;
        m["id"] = id_;
        m["name"] = name_;
        m["version"] = version_;
        if (!description_.empty()) m["description"] = description_;
        if (!category_.empty()) m["category"] = category_;
        if (!icon_.empty()) m["icon"] = icon_;
        if (!color_.empty()) m["color"] = color_;
        if (!author_.empty()) m["author"] = author_;
        if (!keywords_.empty()) m["keywords"] = detail::to_array(keywords_);
        if (!tags_.empty()) m["tags"] = detail::to_array(tags_);
        if (!connections_.empty()) {
            boost::json::array connections;
            for (const auto& c : connections_) connections.emplace_back(c.to_json());
            m["connections"] = std::move(connections);
        }
        boost::json::array actions;
        for (const auto& a : actions_) actions.emplace_back(a.to_json());
        m["actions"] = std::move(actions);
        if (!triggers_.empty()) {
            boost::json::array triggers;
            for (const auto& t : triggers_) triggers.emplace_back(t.to_json());
            m["triggers"] = std::move(triggers);
        }
        return m;
    }

private:
    integration& set(std::string& field, std::string value) {
        field = std::move(value);
        return *this;
    }

    [[noreturn]] static void fail(const std::string& message) { throw std::invalid_argument(message); }

    static void check_identifier(const std::string& id, const std::string& what) {
        if (!detail::is_identifier(id)) fail(what + ": id must match ^[a-z][a-z0-9_]{0,63}$");
    }

    void check_connection(const std::string& id, const std::string& what) const {
        if (!id.empty() && find_connection(id) == nullptr) {
            fail(what + " uses connection type " + detail::quoted(id) + ", which is not declared");
        }
    }

    void validate_action(const action& a, std::set<std::pair<std::string, int>>& keys) const {
        const std::string what = "action " + detail::quoted(a.id_) + " version " + std::to_string(a.version_);
        check_identifier(a.id_, what);
        if (a.version_ < 1) fail(what + ": version must be >= 1");
        if (!keys.insert({a.id_, a.version_}).second) fail(what + " is declared twice");
        if (a.name_.empty()) fail(what + " has no name");
        if (!a.side_effects_) fail(what + " does not declare side_effects(true|false)");
        if (!a.run_) fail(what + " has no run() handler");
        check_connection(a.connection_, what);
        std::set<std::string> handles;
        for (const auto& h : a.outputs_) {
            if (h.empty() || !handles.insert(h).second) fail(what + ": output handles must be unique and non-empty");
        }
        if (a.dynamic_outputs_) validate_dynamic_outputs(*a.dynamic_outputs_, a.settings_schema_, handles, what);
        if (!a.compensation_action_.empty() && find_action(a.compensation_action_) == nullptr) {
            fail(what + ": compensation action " + detail::quoted(a.compensation_action_) + " is not declared");
        }
        validate_fields(a.fields_, a.settings_schema_, what);
    }

    // The setting must be an array property of settings_schema; the fixed extra handles join
    // the declared outputs and must stay unique.
    static void validate_dynamic_outputs(const action::dynamic_outputs_spec& spec,
                                         const boost::json::value& settings_schema, std::set<std::string>& handles,
                                         const std::string& what) {
        const std::string outputs_what = what + " dynamic_outputs";
        const boost::json::value* property = nullptr;
        if (const auto* schema = settings_schema.if_object()) {
            if (const auto* p = schema->if_contains("properties"); p != nullptr && p->is_object()) {
                property = p->get_object().if_contains(spec.setting);
            }
        }
        if (spec.setting.empty() || property == nullptr) {
            fail(outputs_what + ": setting " + detail::quoted(spec.setting) + " is not a property of settings_schema.properties");
        }
        if (const auto* p = property->if_object()) {
            if (const auto* type = p->if_contains("type"); type != nullptr && type->is_string() && type->get_string() != "array") {
                fail(outputs_what + ": setting " + detail::quoted(spec.setting) + " must be an array in settings_schema");
            }
        }
        if (spec.key.empty()) fail(outputs_what + ": key must be non-empty");
        for (const auto& h : spec.extra) {
            if (h.empty() || !handles.insert(h).second) fail(outputs_what + ": extra handles must be unique, non-empty and not also in outputs");
        }
    }

    static void validate_fields(const std::vector<dynamic_field>& fields, const boost::json::value& settings_schema,
                                const std::string& what) {
        const boost::json::object* properties = nullptr;
        if (const auto* schema = settings_schema.if_object()) {
            if (const auto* p = schema->if_contains("properties")) properties = p->if_object();
        }
        std::set<std::string> seen;
        for (const auto& f : fields) {
            const std::string field_what = what + " dynamic field " + detail::quoted(f.field_);
            if (properties == nullptr || !properties->contains(f.field_)) {
                fail(field_what + " is not a property of settings_schema.properties");
            }
            if (!seen.insert(f.field_).second) fail(field_what + " is declared twice");
            for (const auto& d : f.depends_on_) {
                if (d != "connection" && (d == f.field_ || !properties->contains(d))) {
                    fail(field_what + " depends on " + detail::quoted(d) + ", which is neither \"connection\" nor another settings property");
                }
            }
            if (f.cache_ttl_s_ < 0) fail(field_what + ": cache_ttl_s must be >= 0");
        }
    }

    std::string id_, name_, version_;
    std::string description_, category_, icon_, color_, author_;
    std::vector<std::string> keywords_, tags_;
    std::vector<connection_type> connections_;
    std::vector<action> actions_;
    std::vector<trigger> triggers_;
};

} // namespace sr::sdk
