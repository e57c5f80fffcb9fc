#include "store/admin_lookup.hpp"

#include <pqxx/pqxx>

#include "store/detail/sql_text.hpp"

namespace sr::host {

std::optional<std::string> find_organization_id(pqxx::transaction_base& tx, std::string_view id_or_slug) {
    // A slug never reaches a uuid cast.
    auto r = detail::is_uuid(id_or_slug)
                 ? tx.exec_params("SELECT id FROM organizations WHERE id = $1::uuid", std::string(id_or_slug))
                 : tx.exec_params("SELECT id FROM organizations WHERE slug = $1", std::string(id_or_slug));
    if (r.empty()) return std::nullopt;
    return r[0][0].as<std::string>();
}

std::optional<std::string> find_scenario_organization(pqxx::transaction_base& tx, std::string_view scenario_id) {
    if (!detail::is_uuid(scenario_id)) return std::nullopt;
    auto r = tx.exec_params("SELECT organization_id FROM scenarios WHERE id = $1::uuid", std::string(scenario_id));
    if (r.empty()) return std::nullopt;
    return r[0][0].as<std::string>();
}

} // namespace sr::host
