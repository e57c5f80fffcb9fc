#include "api/api_call.hpp"

#include <cstdio>
#include <memory>

#include <pqxx/pqxx>

#include "api/api_error.hpp"
#include "auth/audit_log.hpp"
#include "auth/authenticator.hpp"
#include "http/problem.hpp"
#include "store/store_error.hpp"

namespace sr::host {
namespace {

http_response unauthorized(std::string_view detail) {
    auto res = problem_response(401, "unauthorized", "Unauthorized", detail);
    res.set_header("WWW-Authenticate", "Bearer");
    return res;
}

std::string_view title_for(int status) {
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 422: return "Unprocessable Content";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : "Error";
    }
}

http_response from_store_error(const store_error& e) {
    boost::json::object ext;
    if (e.code == "validation_failed") {
        ext["problems"] = e.details.is_array() ? e.details : boost::json::array{};
        return problem_response(422, e.code, title_for(422), e.what(), ext);
    }
    if (e.details.is_object()) ext = e.details.as_object();
    if (e.code == "not_found") return problem_response(404, e.code, title_for(404), e.what(), ext);
    if (e.code == "conflict") return problem_response(409, e.code, title_for(409), e.what(), ext);
    return problem_response(400, "invalid_input", title_for(400), e.what(), ext);
}

void log_to(const api_context& ctx, const std::string& message) {
    try {
        if (ctx.log_error)
            ctx.log_error(message);
        else
            std::fprintf(stderr, "%s\n", message.c_str());
    } catch (...) {
        // Logging never turns an answer into a crash.
    }
}

http_response internal_error() {
    return problem_response(500, "internal_error", title_for(500), "the request could not be handled");
}

// One request's transaction: authenticate, authorize, work, commit.
http_response run_in_transaction(api_context& ctx, permission needed, const api_work& work, pqxx::connection& conn,
                                 const std::string& token, const http_request& request, const route_params& params) {
    pqxx::work tx(conn);
    auto who = authenticate(tx, token);
    if (!who) return unauthorized("the bearer token is unknown, expired or revoked");
    if (!allowed(who->role, needed)) {
        tx.commit(); // keeps last_used_at
        return problem_response(403, "forbidden", title_for(403),
                                "the role " + std::string(to_string(who->role)) + " lacks " +
                                    std::string(to_string(needed)));
    }
    api_call call{tx, *who, request, params, ctx};
    auto response = work(call);
    if (response.status < 400) tx.commit();
    return response;
}

} // namespace

const std::string& api_call::param(std::string_view name) const {
    static const std::string empty;
    auto* v = params.get(name);
    return v ? *v : empty;
}

void api_call::audit(std::string_view action, std::string_view resource_type, std::string_view resource_id,
                     const boost::json::value& details) const {
    auto* ua = request.header("user-agent");
    write_audit(tx, who, action, resource_type, resource_id, details, request.remote_address,
                ua ? std::string_view(*ua) : std::string_view());
}

async_route_handler authorized(api_context& ctx, permission needed, api_work work) {
    auto shared_work = std::make_shared<const api_work>(std::move(work));
    return [&ctx, needed, shared_work](const http_request& request, const route_params& params, respond_fn respond) {
        auto token = bearer_token(request.header("authorization"));
        if (!token) return respond(unauthorized("an Authorization: Bearer token is required"));
        if (request.body.size() > ctx.max_body_bytes)
            return respond(problem_response(413, "body_too_large", title_for(413),
                                            "the request body exceeds " + std::to_string(ctx.max_body_bytes) +
                                                " bytes"));
        // request and params stay valid until respond is called (router::dispatch keeps them).
        ctx.pool.post(
            [&ctx, needed, shared_work, &request, &params, respond,
             token = std::string(*token)](pqxx::connection& conn) {
                http_response response;
                try {
                    response = run_in_transaction(ctx, needed, *shared_work, conn, token, request, params);
                } catch (const api_error& e) {
                    response = problem_response(e.status, e.code, title_for(e.status), e.what(), e.extensions);
                } catch (const store_error& e) {
                    response = from_store_error(e);
                } catch (const pqxx::broken_connection&) {
                    throw; // db_pool reconnects; the error handler answers 503
                } catch (const std::exception& e) {
                    log_to(ctx, "api " + request.method + " " + request.path + " failed: " + e.what());
                    response = internal_error();
                }
                respond(std::move(response));
            },
            [&ctx, respond](std::exception_ptr) {
                // The exception may name the server: it stays out of the answer and the log.
                log_to(ctx, "api request failed: the database is unavailable");
                respond(problem_response(503, "database_unavailable", title_for(503),
                                         "the database is unavailable; try again later"));
            });
    };
}

} // namespace sr::host
