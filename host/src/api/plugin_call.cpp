#include "api/plugin_call.hpp"

#include <exception>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

namespace sr::host {
namespace {

namespace net = boost::asio;

// The call's state, touched only on its strand: whichever of the outcome and the timer comes
// first finishes it.
struct pending_call {
    pending_call(net::any_io_executor io, std::function<void(std::optional<core::call_outcome>)> d)
        : strand(net::make_strand(io)), timer(strand), done(std::move(d)) {}

    void finish(std::optional<core::call_outcome> outcome) {
        if (finished) return;
        finished = true;
        timer.cancel();
        if (!outcome && cancel) cancel->cancel();
        auto d = std::move(done);
        d(std::move(outcome));
    }

    net::strand<net::any_io_executor> strand;
    net::steady_timer timer;
    std::function<void(std::optional<core::call_outcome>)> done;
    std::shared_ptr<core::cancel_signal> cancel;
    bool finished = false;
};

core::call_outcome failed_to_start() {
    core::call_outcome o;
    o.kind = SR_RESULT_FATAL_ERROR;
    o.error_code = "plugin_error";
    o.error_message = "the plugin call could not be started";
    return o;
}

} // namespace

void async_plugin_call(net::any_io_executor io, std::shared_ptr<core::plugin_instance> plugin,
                       core::call_request request,
                       std::chrono::milliseconds timeout,
                       std::function<void(std::optional<core::call_outcome>)> done) {
    auto state = std::make_shared<pending_call>(std::move(io), std::move(done));
    net::post(state->strand, [state, plugin = std::move(plugin), timeout, request = std::move(request)]() mutable {
        state->timer.expires_after(timeout);
        state->timer.async_wait([state](boost::system::error_code ec) {
            if (!ec) state->finish(std::nullopt);
        });
        try {
            // The plugin may complete on any thread, even inside invoke(): hop onto the strand.
            state->cancel = plugin->invoke(std::move(request), [state](core::call_outcome o) {
                net::post(state->strand, [state, o = std::move(o)]() mutable { state->finish(std::move(o)); });
            });
        } catch (const std::exception&) {
            state->finish(failed_to_start());
        }
    });
}

} // namespace sr::host
