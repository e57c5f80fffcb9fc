#pragma once
// C++ face of the host's per-plugin key/value store (service "sr.kv/1"), e.g. for trigger
// cursors. Keys are namespaced by plugin id and the call's scope; values are JSON. Each
// callback runs exactly once: inline, with an error status, when the operation could not
// start (no KV service, call already ended, host refused).
#include <scenario/cpp/detail/call_state.hpp>
#include <scenario/cpp/unique_function.hpp>

#include <boost/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace sr::sdk {

namespace detail {

template <class Fn>
struct kv_pending {
    std::shared_ptr<call_state> state;
    Fn callback;
};
using kv_get_pending = kv_pending<unique_function<void(sr_status, boost::json::value)>>;
using kv_done_pending = kv_pending<unique_function<void(sr_status)>>;

// [callback] A stored value that is not JSON is reported as SR_ERR_INTERNAL.
inline void on_kv_value(void* user_data, sr_status status, sr_str value) noexcept {
    std::unique_ptr<kv_get_pending> pending(static_cast<kv_get_pending*>(user_data));
    run_guarded(*pending->state, [&] {
        boost::json::value parsed;
        if (status == SR_OK && value.size > 0) {
            boost::system::error_code ec;
            parsed = boost::json::parse(view(value), ec);
            if (ec) {
                status = SR_ERR_INTERNAL;
                parsed = nullptr;
            }
        }
        pending->callback(status, std::move(parsed));
    });
}

// [callback]
inline void on_kv_done(void* user_data, sr_status status) noexcept {
    std::unique_ptr<kv_done_pending> pending(static_cast<kv_done_pending*>(user_data));
    run_guarded(*pending->state, [&] { pending->callback(status); });
}

} // namespace detail

class kv_store {
public:
    explicit kv_store(std::shared_ptr<detail::call_state> state) noexcept : state_(std::move(state)) {}

    bool available() const noexcept { return state_->services().kv != nullptr; }

    // `on_value(status, value)`: SR_OK with the value, SR_ERR_NOT_FOUND with null, or an error.
    void get(std::string_view key, unique_function<void(sr_status, boost::json::value)> on_value) const {
        auto pending = std::make_unique<detail::kv_get_pending>(detail::kv_get_pending{state_, std::move(on_value)});
        const sr_kv_v1* kv = state_->services().kv;
        sr_status status = SR_ERR_UNSUPPORTED;
        if (kv != nullptr) {
            status = state_->with_open_call([&](const sr_call* call) {
                return kv->get(call, detail::borrow(key), &detail::on_kv_value, pending.get());
            });
            if (status == SR_OK) {
                pending.release();
                return;
            }
        }
        detail::run_guarded(*state_, [&] { pending->callback(status, nullptr); });
    }

    // `on_done(status)`: SR_OK once stored.
    void put(std::string_view key, const boost::json::value& value, unique_function<void(sr_status)> on_done) const {
        const std::string text = boost::json::serialize(value);
        start_done(std::move(on_done), [&](const sr_kv_v1* kv, const sr_call* call, detail::kv_done_pending* p) {
            return kv->put(call, detail::borrow(key), detail::borrow(text), &detail::on_kv_done, p);
        });
    }

    // `on_done(status)`: SR_OK once removed (also when the key did not exist).
    void remove(std::string_view key, unique_function<void(sr_status)> on_done) const {
        start_done(std::move(on_done), [&](const sr_kv_v1* kv, const sr_call* call, detail::kv_done_pending* p) {
            return kv->remove(call, detail::borrow(key), &detail::on_kv_done, p);
        });
    }

private:
    template <class Start>
    void start_done(unique_function<void(sr_status)> on_done, Start&& start) const {
        auto pending = std::make_unique<detail::kv_done_pending>(detail::kv_done_pending{state_, std::move(on_done)});
        const sr_kv_v1* kv = state_->services().kv;
        sr_status status = SR_ERR_UNSUPPORTED;
        if (kv != nullptr) {
            status = state_->with_open_call([&](const sr_call* call) { return start(kv, call, pending.get()); });
            if (status == SR_OK) {
                pending.release();
                return;
            }
        }
        detail::run_guarded(*state_, [&] { pending->callback(status); });
    }

    std::shared_ptr<detail::call_state> state_;
};

} // namespace sr::sdk
