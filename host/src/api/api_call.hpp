#pragma once
// The pipeline every /api/v1 route runs: bearer token (401), body size (413), then on a
// db_pool thread, in one transaction: authenticate, check the permission (403), run the
// route's work, commit when it succeeded. Errors become problem+json with stable codes:
// api_error as thrown; store_error not_found 404, conflict 409, validation_failed 422
// (with "problems"), invalid_input 400; a lost database 503; anything else 500 (logged).
#include <functional>
#include <string_view>

#include <boost/json/value.hpp>
#include <pqxx/transaction>

#include "api/api_context.hpp"
#include "auth/principal.hpp"
#include "http/router.hpp"

namespace sr::host {

// What a route's work gets. Runs on a db_pool thread.
struct api_call {
    pqxx::work& tx;
    const principal& who;
    const http_request& request;
    const route_params& params;
    api_context& ctx;

    const std::string& param(std::string_view name) const;
    // An audit row for this request's principal, IP and user agent, in this transaction.
    void audit(std::string_view action, std::string_view resource_type, std::string_view resource_id,
               const boost::json::value& details = nullptr) const;
};

using api_work = std::function<http_response(api_call&)>;

// The async route handler running `work` under `needed`.
async_route_handler authorized(api_context& ctx, permission needed, api_work work);

} // namespace sr::host
