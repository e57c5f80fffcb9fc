#include "http/system_routes.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <memory>

namespace sr::host {

void add_system_routes(router& routes, system_status status) {
    auto shared = std::make_shared<const system_status>(std::move(status));

    routes.add("GET", "/health", [shared](const http_request&, const route_params&) {
        bool up = shared->database_reachable && shared->database_reachable();
        boost::json::object body;
        body["status"] = up ? "ok" : "unavailable";
        body["database"] = up ? "ok" : "unreachable";
        auto res = http_response::json(up ? 200 : 503, body);
        res.set_header("Cache-Control", "no-store");
        return res;
    });

    routes.add("GET", "/system/info", [shared](const http_request&, const route_params&) {
        boost::json::value info = shared->system_info ? shared->system_info() : boost::json::object{};
        return http_response::json(200, info);
    });
}

} // namespace sr::host
