#pragma once
// A connection as the API may see it: everything but the credentials, which appear only as the
// masked summary.
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace sr::host {

struct connection_row {
    std::string id, organization_id, created_by; // created_by: "" when unknown
    std::string integration_id, integration;     // integration: the manifest id, e.g. "wordpress"
    std::string connection_type, name, description, status;
    std::string key_id;                    // which master key sealed the credentials
    boost::json::object masked_summary;    // secret fields masked ("••••abcd") or hidden
    std::string last_tested_at;            // ISO 8601 UTC or ""
    boost::json::value test_result;        // null when never tested
    std::string created_at, updated_at;    // ISO 8601 UTC
};

// For API responses: every field above except key_id.
boost::json::object to_json(const connection_row& row);

} // namespace sr::host
