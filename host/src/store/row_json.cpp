#include "store/row_json.hpp"

namespace sr::host {

namespace json = boost::json;

namespace {
json::value or_null(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }
} // namespace

json::object to_json(const scenario_row& row, bool with_draft) {
    json::object o{{"id", row.id},
                   {"organization_id", row.organization_id},
                   {"name", row.name},
                   {"description", row.description},
                   {"status", row.status},
                   {"pause_policy", row.pause_policy},
                   {"current_version_id", or_null(row.current_version_id)},
                   {"current_version_number", row.current_version_number ? json::value(row.current_version_number)
                                                                         : json::value(nullptr)},
                   {"draft_revision", row.draft_revision},
                   {"settings", row.settings},
                   {"created_at", row.created_at},
                   {"updated_at", row.updated_at}};
    if (with_draft) o["draft_graph"] = row.draft_graph;
    return o;
}

json::object to_json(const version_row& row, bool with_definition) {
    json::object o{{"id", row.id},
                   {"scenario_id", row.scenario_id},
                   {"number", row.number},
                   {"label", or_null(row.label)},
                   {"change_summary", or_null(row.change_summary)},
                   {"published_at", row.published_at},
                   {"published_by", or_null(row.published_by)}};
    if (with_definition) o["definition"] = row.definition;
    return o;
}

} // namespace sr::host
