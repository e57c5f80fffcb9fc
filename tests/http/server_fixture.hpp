#pragma once
// An http_server with the system routes (and any extra routes) on 127.0.0.1:0, run by two
// io_context threads.
#include "http/http_server.hpp"
#include "http/router.hpp"
#include "http/system_routes.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

namespace sr::test {

class running_server {
public:
    explicit running_server(host::http_server_config config = {}, std::function<void(host::router&)> extra = {})
        : work_(boost::asio::make_work_guard(ioc_)) {
        config.listen = "127.0.0.1:0";
        config.log_error = [this](std::string_view m) {
            std::lock_guard lock(log_mutex_);
            errors_.emplace_back(m);
        };
        host::add_system_routes(routes_, {[this] { return database_up.load(); },
                                          [] { return boost::json::value{{"version", "9.9.9"}, {"abi", 1}}; }});
        if (extra) extra(routes_);
        // The async entry point serves sync and async routes alike.
        server_ = std::make_unique<host::http_server>(
            ioc_, config, host::async_request_handler([this](host::http_request r, host::respond_fn respond) {
                routes_.dispatch(std::move(r), std::move(respond));
            }));
        port_ = server_->start();
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
    }
    ~running_server() {
        stop(std::chrono::milliseconds(2000));
        work_.reset();
        for (auto& t : threads_) t.join();
    }
    // Returns how long the graceful stop took.
    std::chrono::milliseconds stop(std::chrono::milliseconds grace) {
        if (stopped_) return std::chrono::milliseconds(0);
        stopped_ = true;
        auto start = std::chrono::steady_clock::now();
        std::promise<void> done;
        server_->stop(grace, [&] { done.set_value(); });
        done.get_future().wait();
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    }
    std::uint16_t port() const { return port_; }
    host::http_server& server() { return *server_; }
    std::vector<std::string> errors() {
        std::lock_guard lock(log_mutex_);
        return errors_;
    }

    std::atomic<bool> database_up{true};

private:
    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    host::router routes_;
    std::unique_ptr<host::http_server> server_;
    std::uint16_t port_ = 0;
    std::vector<std::thread> threads_;
    bool stopped_ = false;
    std::mutex log_mutex_;
    std::vector<std::string> errors_;
};

} // namespace sr::test
