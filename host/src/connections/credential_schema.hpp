#pragma once
// One connection type of an integration's manifest (manifest.connections[]): the JSON Schema
// its credentials must satisfy and which fields are secret.
#include <set>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace sr::host {

struct credential_schema {
    std::string connection_type; // "" when the manifest has no such connection type
    boost::json::value schema = boost::json::object{};
    std::set<std::string> secret_fields;

    static credential_schema from_manifest(const boost::json::value& manifest, std::string_view type);

    // Schema violations as [{"path": "credentials.<field>", "message": "..."}]; empty when valid.
    // Messages name fields and constraints, never a value from `credentials`.
    boost::json::array validate(const boost::json::value& credentials) const;

    // What may be shown: non-secret fields as they are; secret fields (declared in
    // secret_fields, or named like one: password, secret, token, key, ...) as "••••" plus the
    // last 4 characters when the value is a long ASCII string, else "••••••••".
    boost::json::object mask(const boost::json::object& credentials) const;
};

// True when a field name looks secret whatever the manifest says (a second line of defence).
bool looks_secret(std::string_view field_name);

} // namespace sr::host
