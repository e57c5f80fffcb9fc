#pragma once
// Look-ups across organizations, for operator tools (scenarioctl) that are given a bare id and
// must find the organization to scope the repositories with. Not for request handlers.
#include <optional>
#include <string>
#include <string_view>

#include <pqxx/transaction_base>

namespace sr::host {

// The id of the organization whose id or slug is `id_or_slug`.
std::optional<std::string> find_organization_id(pqxx::transaction_base& tx, std::string_view id_or_slug);
// The organization that owns a scenario.
std::optional<std::string> find_scenario_organization(pqxx::transaction_base& tx, std::string_view scenario_id);

} // namespace sr::host
