#include "runtime/plan_cache.hpp"

#include <boost/json.hpp>

#include "sr/core/mapping/template_renderer.hpp"
#include "sr/core/model/scenario.hpp"

namespace sr::host {

namespace json = boost::json;

namespace {

std::string describe(const std::vector<core::problem>& problems) {
    std::string text;
    for (const auto& p : problems) {
        if (!text.empty()) text += "; ";
        text += p.message;
        if (text.size() > 500) break;
    }
    return text;
}

} // namespace

std::shared_ptr<const compiled_version> plan_cache::find(const std::string& version_id) const {
    std::lock_guard lock(mutex_);
    auto it = plans_.find(version_id);
    return it == plans_.end() ? nullptr : it->second;
}

std::shared_ptr<const compiled_version> plan_cache::add(const std::string& version_id, const json::value& definition) {
    auto compiled = compile(definition);
    std::lock_guard lock(mutex_);
    return plans_.try_emplace(version_id, std::move(compiled)).first->second;
}

std::shared_ptr<const compiled_version> plan_cache::with_overrides(const json::value& definition,
                                                                   const json::value& overrides) const {
    json::value edited = definition;
    if (overrides.is_object() && edited.is_object() && edited.as_object().contains("nodes") &&
        edited.at("nodes").is_array()) {
        for (auto& node : edited.at("nodes").as_array()) {
            if (!node.is_object() || !node.as_object().contains("id") || !node.at("id").is_string()) continue;
            const auto* settings = overrides.as_object().if_contains(node.at("id").as_string());
            if (!settings) continue;
            auto& data = node.as_object()["data"];
            if (!data.is_object()) data = json::object();
            data.as_object()["settings"] = *settings;
        }
    }
    return compile(edited);
}

std::shared_ptr<const compiled_version> plan_cache::compile(const json::value& definition) const {
    auto out = std::make_shared<compiled_version>();
    auto parsed = core::parse_scenario(definition);
    if (!parsed.definition) {
        out->problem = "the scenario version does not parse: " + describe(parsed.problems);
        return out;
    }
    auto compiled = core::engine::compile_plan(std::move(*parsed.definition), catalog_);
    if (!compiled.plan) {
        out->problem = "the scenario version cannot run with the loaded plugins: " + describe(compiled.problems);
        return out;
    }
    out->plan = compiled.plan;
    out->renderer = std::make_shared<core::mapping::template_renderer>(compiled.plan);
    return out;
}

} // namespace sr::host
