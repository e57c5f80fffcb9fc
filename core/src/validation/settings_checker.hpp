#pragma once
// Checks node settings against their action's settings_schema with valijson. Values holding
// {{expressions}} are only known at run time, so they are taken out of a copy of the settings,
// and out of the `required` lists of a copy of the schema, before checking. Parsed schemas are
// cached per catalog entry (and per set of dropped `required` names), so many nodes of one
// action parse its schema once.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sr/core/engine/action_catalog.hpp"
#include "sr/core/model/problem.hpp"
#include "sr/core/model/scenario.hpp"

namespace sr::core::validation {

struct settings_job {
    const scenario_node* node = nullptr;
    const engine::action_info* info = nullptr;
    bool has_expressions = false; // some string in the settings holds "{{"
};

class settings_checker {
public:
    settings_checker();
    ~settings_checker();
    settings_checker(const settings_checker&) = delete;
    settings_checker& operator=(const settings_checker&) = delete;

    // Appends an "invalid_settings" problem per schema violation, in job order. Thread-safe.
    void check(std::span<const settings_job> jobs, std::vector<problem>& out);

    // How many schemas were parsed so far (each catalog entry and variant once).
    std::size_t parsed_count() const;

    struct cached_schema;

private:
    const cached_schema* find_schema(const engine::action_info& info, const std::string& variant) const;
    // Parses and caches; when the cache is full the result lives in `uncached` instead.
    const cached_schema& add_schema(const engine::action_info& info, const std::string& variant,
                                    const boost::json::value& schema_json, std::unique_ptr<cached_schema>& uncached);

    static constexpr std::size_t max_cached_schemas = 4096;

    mutable std::mutex mutex_;
    std::map<std::pair<const engine::action_info*, std::string>, std::unique_ptr<cached_schema>> cache_;
};

// True when the value is a string holding "{{" or, for arrays and objects, any value inside does.
bool holds_expression(const boost::json::value& value);

} // namespace sr::core::validation
