#include "api/deferred_route.hpp"

#include <exception>
#include <memory>

#include "http/problem.hpp"

namespace sr::host {

async_route_handler authorized_deferred(api_context& ctx, permission needed, api_deferred_work work) {
    auto shared_work = std::make_shared<const api_deferred_work>(std::move(work));
    return [&ctx, needed, shared_work](const http_request& request, const route_params& params, respond_fn respond) {
        // One slot per request: the work fills it inside the transaction; the answer of
        // authorized() (after the commit) then starts it instead of being sent.
        auto next = std::make_shared<api_continuation>();
        auto handler = authorized(ctx, needed, [shared_work, next](api_call& call) {
            *next = (*shared_work)(call);
            http_response committed; // status 200 makes authorized() commit; it is never sent
            return committed;
        });
        handler(request, params, [next, respond](http_response response) {
            if (response.status >= 400 || !*next) return respond(std::move(response));
            auto start = std::move(*next);
            try {
                start(respond);
            } catch (const std::exception&) {
                // Only starting can fail here (out of memory, a closed executor); nothing was
                // answered yet, and a second respond would be ignored anyway.
                respond(problem_response(500, "internal_error", "Internal Server Error",
                                         "the request could not be handled"));
            }
        });
    };
}

} // namespace sr::host
