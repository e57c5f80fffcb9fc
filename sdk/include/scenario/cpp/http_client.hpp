#pragma once
// C++ face of the host's asynchronous HTTP client (service "sr.http/1"). The host runs the
// request on its own I/O threads; the callback gets owning copies of the response. The
// callback always runs exactly once: inline, with an error status, when the request could
// not start (the host offers no HTTP service, the call already ended, the host refused).
#include <scenario/cpp/detail/call_state.hpp>
#include <scenario/cpp/status.hpp>
#include <scenario/cpp/unique_function.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sr::sdk {

// Every member has a default initializer so designated initializers may name only some
// (g++ -Wextra warns about members without one).
struct http_header {
    std::string name{};
    std::string value{};
};

struct http_request {
    std::string method = "GET";
    std::string url{};
    std::vector<http_header> headers{};
    std::string body{};
    uint32_t timeout_ms = 0;         // whole exchange; 0: the host default (30 s)
    uint64_t max_response_bytes = 0; // 0: the host default (16 MiB)
};

struct http_response {
    sr_status status = SR_ERR_INTERNAL; // SR_OK when a response arrived, whatever its code
    int32_t http_status = 0;
    std::vector<http_header> headers{}; // names in lower case
    std::string body{};
    std::string error_message{};        // transport error detail when status != SR_OK

    // The first header named `name` (compared case-insensitively), or null.
    const std::string* header(std::string_view name) const noexcept {
        for (const auto& h : headers) {
            if (std::equal(h.name.begin(), h.name.end(), name.begin(), name.end(), [](char a, char b) {
                    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
                })) {
                return &h.value;
            }
        }
        return nullptr;
    }
};

namespace detail {

struct http_pending {
    std::shared_ptr<call_state> state;
    unique_function<void(http_response)> on_response;
};

inline http_response copy_response(const sr_http_response* r) {
    http_response out;
    if (r == nullptr || !SR_HAS_FIELD(r, sr_http_response, error_message)) {
        out.status = SR_ERR_INTERNAL;
        out.error_message = "the host sent an incomplete HTTP response";
        return out;
    }
    out.status = r->status;
    out.http_status = r->http_status;
    out.headers.reserve(r->header_count);
    for (uint32_t i = 0; i < r->header_count && r->headers != nullptr; ++i) {
        out.headers.push_back({copy(r->headers[i].name), copy(r->headers[i].value)});
    }
    out.body = copy(r->body);
    out.error_message = copy(r->error_message);
    return out;
}

// [callback] from the host's I/O thread.
inline void on_http_response(void* user_data, const sr_http_response* response) noexcept {
    std::unique_ptr<http_pending> pending(static_cast<http_pending*>(user_data));
    run_guarded(*pending->state, [&] { pending->on_response(copy_response(response)); });
    // `pending` (and any completion the callback kept) is released here: a callback that
    // neither completed nor passed its completion on ends the call as plugin_dropped_call.
}

} // namespace detail

class http_client {
public:
    explicit http_client(std::shared_ptr<detail::call_state> state) noexcept : state_(std::move(state)) {}

    // Whether the host offers the HTTP service.
    bool available() const noexcept { return state_->services().http != nullptr; }

    void request(const http_request& request, unique_function<void(http_response)> on_response) const {
        auto pending = std::make_unique<detail::http_pending>(detail::http_pending{state_, std::move(on_response)});
        const sr_http_v1* http = state_->services().http;
        sr_status status = SR_ERR_UNSUPPORTED;
        if (http != nullptr) {
            std::vector<sr_http_header> headers;
            headers.reserve(request.headers.size());
            for (const auto& h : request.headers) headers.push_back({detail::borrow(h.name), detail::borrow(h.value)});
            sr_http_request c{};
            c.struct_size = sizeof(sr_http_request);
            c.method = detail::borrow(request.method);
            c.url = detail::borrow(request.url);
            c.headers = headers.empty() ? nullptr : headers.data();
            c.header_count = static_cast<uint32_t>(headers.size());
            c.body = detail::borrow(request.body);
            c.timeout_ms = request.timeout_ms;
            c.max_response_bytes = request.max_response_bytes;
            status = state_->with_open_call([&](const sr_call* call) {
                return http->request(call, &c, &detail::on_http_response, pending.get());
            });
            if (status == SR_OK) {
                pending.release(); // the host owns it until on_http_response
                return;
            }
        }
        http_response failed;
        failed.status = status;
        failed.error_message = http == nullptr ? "the host offers no HTTP client (" SR_HTTP_V1 ")"
                                               : std::string("the host refused the request: ") +
                                                     std::string(status_message(status));
        run_guarded(*state_, [&] { pending->on_response(std::move(failed)); });
    }

private:
    std::shared_ptr<detail::call_state> state_;
};

} // namespace sr::sdk
