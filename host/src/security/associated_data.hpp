#pragma once
// The associated data each kind of sealed row is bound to. Whoever seals or opens such a row
// (connections, webhook endpoints, key rotation) uses these, so the binding is written once.
#include <string>
#include <string_view>

namespace sr::host {

// connections.credentials: "<organization id>/<connection id>".
inline std::string connection_associated_data(std::string_view org_id, std::string_view connection_id) {
    std::string out(org_id);
    out += '/';
    out += connection_id;
    return out;
}

// webhook_endpoints.secret: "webhook_endpoint/<endpoint id>" (the row's uuid, not its public id).
inline std::string webhook_secret_associated_data(std::string_view endpoint_id) {
    return "webhook_endpoint/" + std::string(endpoint_id);
}

} // namespace sr::host
