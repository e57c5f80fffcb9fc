#pragma once
// Compiled plans by scenario version. A version is immutable, so its plan (and the compiled
// templates of its settings) is built once per host and shared by all its runs. Runs retried
// with edited settings get a plan of their own. Thread-safe.
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/value.hpp>

#include "sr/core/engine/action_catalog.hpp"
#include "sr/core/engine/execution_plan.hpp"
#include "sr/core/engine/run_machine.hpp"

namespace sr::host {

struct compiled_version {
    std::shared_ptr<const core::engine::execution_plan> plan;      // null when it does not compile
    std::shared_ptr<const core::engine::input_renderer> renderer;
    std::string problem; // why it does not compile, for the run's error
};

class plan_cache {
public:
    explicit plan_cache(const core::engine::action_catalog& catalog) : catalog_(catalog) {}

    // Null when the version is not cached yet.
    std::shared_ptr<const compiled_version> find(const std::string& version_id) const;
    // Compiles and caches `definition` as the version's plan.
    std::shared_ptr<const compiled_version> add(const std::string& version_id, const boost::json::value& definition);
    // A plan for a run whose node settings were edited ({"<node id>": settings}); not cached.
    std::shared_ptr<const compiled_version> with_overrides(const boost::json::value& definition,
                                                           const boost::json::value& overrides) const;

private:
    std::shared_ptr<const compiled_version> compile(const boost::json::value& definition) const;

    const core::engine::action_catalog& catalog_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const compiled_version>> plans_;
};

} // namespace sr::host
