#include "sr/core/manifest/manifest_validator.hpp"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>

#include "sr/core/manifest/semver.hpp"

namespace sr::core {
namespace {

namespace json = boost::json;

std::string member(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

std::string element(const std::string& path, std::size_t index) { return fmt::format("{}[{}]", path, index); }

// ^[a-z][a-z0-9_]{0,63}$ for plugin, action, trigger and connection ids.
bool is_valid_id(std::string_view id) {
    if (id.empty() || id.size() > 64 || id[0] < 'a' || id[0] > 'z') return false;
    return std::all_of(id.begin(), id.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::string quoted(std::string_view s) { return json::serialize(json::string(s)); }

// The names under settings_schema.properties, which dynamic fields may name.
std::set<std::string> settings_properties(const json::object& owner) {
    std::set<std::string> names;
    const auto* schema = owner.if_contains("settings_schema");
    if (!schema || !schema->is_object()) return names;
    const auto* props = schema->get_object().if_contains("properties");
    if (!props || !props->is_object()) return names;
    for (const auto& p : props->get_object()) names.emplace(p.key());
    return names;
}

class checker {
public:
    std::vector<manifest_problem> run(const json::value& manifest) {
        const auto* root = manifest.if_object();
        if (!root) {
            add("", "the manifest must be a JSON object");
            return std::move(problems_);
        }
        check_root(*root);
        return std::move(problems_);
    }

private:
    void add(std::string path, std::string message) { problems_.push_back({std::move(path), std::move(message)}); }

    void check_root(const json::object& root) {
        check_id(root, "id", "");
        require_text(root, "name", "");
        check_version(root);
        for (auto key : {"description", "category", "icon", "color", "author"}) optional_string(root, key, "");
        for (auto key : {"keywords", "tags"}) optional_strings(root, key, "", false);

        const auto* connections = optional_array(root, "connections", "");
        if (connections) check_connections(*connections);
        collect_action_ids(root);

        const auto* actions = root.if_contains("actions");
        const auto* triggers = optional_array(root, "triggers", "");
        if (!actions) add("actions", "required (an array, empty when the plugin only has triggers)");
        else if (!actions->is_array()) add("actions", "must be an array");
        else check_actions(actions->get_array());
        if (triggers) check_triggers(*triggers);

        bool no_actions = !actions || !actions->is_array() || actions->get_array().empty();
        bool no_triggers = !triggers || triggers->empty();
        if (actions && actions->is_array() && no_actions && no_triggers)
            add("actions", "a plugin needs at least one action or trigger");
    }

    void check_version(const json::object& root) {
        const auto* v = root.if_contains("version");
        if (!v) return add("version", "required");
        if (!v->is_string()) return add("version", "must be a string");
        if (!semver::parse(v->get_string()))
            add("version", fmt::format("{} is not a semantic version (MAJOR.MINOR.PATCH[-pre][+build])",
                                       quoted(v->get_string())));
    }

    void check_connections(const json::array& connections) {
        std::map<std::string, std::string> seen; // id -> path of its first declaration
        for (std::size_t i = 0; i < connections.size(); ++i) {
            auto path = element("connections", i);
            const auto* c = connections[i].if_object();
            if (!c) {
                add(path, "must be an object");
                continue;
            }
            if (auto id = check_id(*c, "id", path)) {
                auto [it, fresh] = seen.emplace(*id, path);
                if (fresh) connection_ids_.insert(*id);
                else add(member(path, "id"), fmt::format("duplicate connection id {} (first at {})", quoted(*id), it->second));
            }
            require_text(*c, "name", path);
            optional_string(*c, "description", path);
            optional_schema(*c, "schema", path);
            optional_strings(*c, "secret_fields", path, false);
            optional_bool(*c, "testable", path);
        }
    }

    void collect_action_ids(const json::object& root) {
        const auto* actions = root.if_contains("actions");
        if (!actions || !actions->is_array()) return;
        for (const auto& a : actions->get_array())
            if (const auto* o = a.if_object())
                if (const auto* id = o->if_contains("id"); id && id->is_string()) action_ids_.emplace(id->get_string());
    }

    void check_actions(const json::array& actions) {
        std::map<std::pair<std::string, int64_t>, std::string> seen; // (id, version) -> first path
        for (std::size_t i = 0; i < actions.size(); ++i) {
            auto path = element("actions", i);
            const auto* a = actions[i].if_object();
            if (!a) {
                add(path, "must be an object");
                continue;
            }
            auto id = check_id(*a, "id", path);
            int64_t version = check_action_version(*a, path);
            if (id) {
                auto [it, fresh] = seen.emplace(std::make_pair(*id, version), path);
                if (!fresh)
                    add(member(path, "id"), fmt::format("duplicate action {} version {} (first at {})", quoted(*id),
                                                        version, it->second));
            }
            require_text(*a, "name", path);
            for (auto key : {"description", "category"}) optional_string(*a, key, path);
            optional_bool(*a, "deprecated", path);
            require_bool(*a, "side_effects", path);
            bool has_connection = check_connection_ref(*a, path);
            for (auto key : {"input_schema", "settings_schema", "output_schema"}) optional_schema(*a, key, path);
            optional_strings(*a, "outputs", path, true);
            check_dynamic_fields(*a, path, has_connection);
            check_compensation(*a, path);
        }
    }

    void check_triggers(const json::array& triggers) {
        static const std::set<std::string_view> kinds{"polling", "webhook", "schedule", "manual"};
        static const std::set<std::string_view> verifications{"hmac_sha256", "stripe", "monday", "none"};
        std::map<std::string, std::string> seen;
        for (std::size_t i = 0; i < triggers.size(); ++i) {
            auto path = element("triggers", i);
            const auto* t = triggers[i].if_object();
            if (!t) {
                add(path, "must be an object");
                continue;
            }
            if (auto id = check_id(*t, "id", path)) {
                auto [it, fresh] = seen.emplace(*id, path);
                if (!fresh) add(member(path, "id"), fmt::format("duplicate trigger id {} (first at {})", quoted(*id), it->second));
            }
            require_text(*t, "name", path);
            optional_string(*t, "description", path);
            require_enum(*t, "kind", path, kinds, true);
            bool has_connection = check_connection_ref(*t, path);
            for (auto key : {"settings_schema", "output_schema"}) optional_schema(*t, key, path);
            check_dynamic_fields(*t, path, has_connection);
            optional_count(*t, "poll_interval_s", path, 1);
            require_enum(*t, "verification", path, verifications, false);
        }
    }

    void check_dynamic_fields(const json::object& owner, const std::string& owner_path, bool has_connection) {
        static const std::set<std::string_view> types{"select", "multi-select"};
        auto path = member(owner_path, "dynamic_fields");
        const auto* fields = optional_array(owner, "dynamic_fields", owner_path);
        if (!fields) return;
        auto properties = settings_properties(owner);
        std::set<std::string> seen;
        for (std::size_t i = 0; i < fields->size(); ++i) {
            auto fpath = element(path, i);
            const auto* f = (*fields)[i].if_object();
            if (!f) {
                add(fpath, "must be an object");
                continue;
            }
            auto name = require_string(*f, "field", fpath);
            if (name && !properties.count(*name))
                add(member(fpath, "field"), fmt::format("{} is not a property of settings_schema", quoted(*name)));
            if (name && !seen.insert(*name).second)
                add(member(fpath, "field"), fmt::format("{} has more than one dynamic field entry", quoted(*name)));
            require_enum(*f, "type", fpath, types, true);
            optional_string(*f, "label", fpath);
            optional_count(*f, "cache_ttl_s", fpath, 0);
            optional_bool(*f, "allow_custom", fpath);
            check_depends_on(*f, fpath, name, properties, has_connection);
        }
    }

    void check_depends_on(const json::object& field, const std::string& path, const std::optional<std::string>& name,
                          const std::set<std::string>& properties, bool has_connection) {
        const auto* deps = optional_array(field, "depends_on", path);
        if (!deps) return;
        for (std::size_t i = 0; i < deps->size(); ++i) {
            auto dpath = element(member(path, "depends_on"), i);
            const auto* dep = (*deps)[i].if_string();
            if (!dep) add(dpath, "must be a string");
            else if (*dep == "connection") {
                if (!has_connection) add(dpath, "depends on the connection, but no connection is declared");
            } else if (name && *dep == *name) add(dpath, "a field cannot depend on itself");
            else if (!properties.count(std::string(*dep)))
                add(dpath, fmt::format("{} is neither \"connection\" nor a property of settings_schema", quoted(*dep)));
        }
    }

    // The action or trigger's "connection"; true when it names a declared connection type.
    bool check_connection_ref(const json::object& owner, const std::string& path) {
        auto ref = optional_string(owner, "connection", path);
        if (!ref) return false;
        if (connection_ids_.count(*ref)) return true;
        add(member(path, "connection"), fmt::format("{} is not a declared connection type", quoted(*ref)));
        return false;
    }

    void check_compensation(const json::object& action, const std::string& path) {
        const auto* c = action.if_contains("compensation");
        if (!c) return;
        auto cpath = member(path, "compensation");
        if (!c->is_object()) return add(cpath, "must be an object");
        auto target = require_string(c->get_object(), "action", cpath);
        if (target && !action_ids_.count(*target))
            add(member(cpath, "action"), fmt::format("{} is not an action of this plugin", quoted(*target)));
        if (const auto* input = c->get_object().if_contains("input"); input && !input->is_object())
            add(member(cpath, "input"), "must be an object");
    }

    int64_t check_action_version(const json::object& action, const std::string& path) {
        const auto* v = action.if_contains("version");
        if (!v) return 1;
        // Versions beyond int64 are absurd but not wrong; they are treated as one value.
        int64_t n = v->is_int64() ? v->get_int64() : v->is_uint64() ? INT64_MAX : 0;
        if (n < 1) {
            add(member(path, "version"), "must be an integer >= 1");
            return 1;
        }
        return n;
    }

    void optional_schema(const json::object& owner, std::string_view key, const std::string& path) {
        const auto* schema = owner.if_contains(key);
        if (!schema) return;
        auto spath = member(path, key);
        if (!schema->is_object() && !schema->is_bool()) return add(spath, "must be a JSON Schema (an object)");
        try {
            valijson::Schema parsed;
            valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
            valijson::adapters::BoostJsonAdapter adapter(*schema);
            parser.populateSchema(adapter, parsed);
        } catch (const std::exception& e) {
            add(spath, fmt::format("malformed JSON Schema: {}", e.what()));
        }
    }

    std::optional<std::string> check_id(const json::object& owner, std::string_view key, const std::string& path) {
        auto id = require_string(owner, key, path);
        if (id && !is_valid_id(*id))
            add(member(path, key), fmt::format("{} does not match ^[a-z][a-z0-9_]{{0,63}}$", quoted(*id)));
        return id;
    }

    std::optional<std::string> require_string(const json::object& owner, std::string_view key, const std::string& path) {
        if (!owner.contains(key)) {
            add(member(path, key), "required");
            return std::nullopt;
        }
        return optional_string(owner, key, path);
    }

    void require_text(const json::object& owner, std::string_view key, const std::string& path) {
        auto s = require_string(owner, key, path);
        if (s && s->empty()) add(member(path, key), "must not be empty");
    }

    std::optional<std::string> optional_string(const json::object& owner, std::string_view key, const std::string& path) {
        const auto* v = owner.if_contains(key);
        if (!v) return std::nullopt;
        if (!v->is_string()) {
            add(member(path, key), "must be a string");
            return std::nullopt;
        }
        return std::string(v->get_string());
    }

    void require_bool(const json::object& owner, std::string_view key, const std::string& path) {
        if (!owner.contains(key)) return add(member(path, key), "required (true or false)");
        optional_bool(owner, key, path);
    }

    void optional_bool(const json::object& owner, std::string_view key, const std::string& path) {
        const auto* v = owner.if_contains(key);
        if (v && !v->is_bool()) add(member(path, key), "must be true or false");
    }

    void optional_count(const json::object& owner, std::string_view key, const std::string& path, int64_t min) {
        const auto* v = owner.if_contains(key);
        if (!v) return;
        bool ok = (v->is_int64() && v->get_int64() >= min) || (v->is_uint64() && min >= 0);
        if (!ok) add(member(path, key), fmt::format("must be an integer >= {}", min));
    }

    void require_enum(const json::object& owner, std::string_view key, const std::string& path,
                      const std::set<std::string_view>& allowed, bool required) {
        if (required && !owner.contains(key)) return add(member(path, key), "required");
        auto value = optional_string(owner, key, path);
        if (value && !allowed.count(*value)) {
            std::string list;
            for (auto a : allowed) list += (list.empty() ? "" : ", ") + quoted(a);
            add(member(path, key), fmt::format("{} is not one of {}", quoted(*value), list));
        }
    }

    const json::array* optional_array(const json::object& owner, std::string_view key, const std::string& path) {
        const auto* v = owner.if_contains(key);
        if (!v) return nullptr;
        if (!v->is_array()) {
            add(member(path, key), "must be an array");
            return nullptr;
        }
        return &v->get_array();
    }

    // An array of strings; `unique_nonempty` also rejects empty and repeated entries.
    void optional_strings(const json::object& owner, std::string_view key, const std::string& path, bool unique_nonempty) {
        const auto* items = optional_array(owner, key, path);
        if (!items) return;
        std::set<std::string_view> seen;
        for (std::size_t i = 0; i < items->size(); ++i) {
            const auto* s = (*items)[i].if_string();
            auto ipath = element(member(path, key), i);
            if (!s) add(ipath, "must be a string");
            else if (unique_nonempty && s->empty()) add(ipath, "must not be empty");
            else if (unique_nonempty && !seen.insert(*s).second) add(ipath, fmt::format("duplicate {}", quoted(*s)));
        }
    }

    std::vector<manifest_problem> problems_;
    std::set<std::string> connection_ids_;
    std::set<std::string> action_ids_;
};

} // namespace

std::string to_string(const manifest_problem& problem) {
    return problem.path.empty() ? problem.message : problem.path + ": " + problem.message;
}

std::string to_string(const std::vector<manifest_problem>& problems) {
    std::string s;
    for (const auto& p : problems) s += (s.empty() ? "" : "; ") + to_string(p);
    return s;
}

std::vector<manifest_problem> manifest_validator::validate(const boost::json::value& manifest) const {
    return checker().run(manifest);
}

std::vector<manifest_problem> manifest_validator::validate(std::string_view manifest_text) const {
    boost::system::error_code ec;
    auto value = boost::json::parse(manifest_text, ec);
    if (ec) return {{"", "the manifest is not valid JSON: " + ec.message()}};
    return validate(value);
}

} // namespace sr::core
