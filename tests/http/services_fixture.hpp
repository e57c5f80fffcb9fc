#pragma once
// host_services on a running io_context, with the probe plugin loaded against it and every
// log line captured. With a conninfo, sr.kv/1 is backed by a db_pool on that database.
#include "probe_plugin.hpp"

#include "db/db_pool.hpp"
#include "services/host_services.hpp"
#include "services/json_log.hpp"
#include "sr/core/plugin/plugin_instance.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <catch2/catch.hpp>

#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace sr::test {

class services_fixture {
public:
    explicit services_fixture(std::optional<std::string> conninfo = std::nullopt,
                              host::http_client_config http = {})
        : work_(boost::asio::make_work_guard(ioc)),
          log(SR_LOG_DEBUG, [this](std::string_view line) {
              std::lock_guard lock(mutex_);
              lines_.emplace_back(line);
          }) {
        if (conninfo) db = std::make_unique<host::db_pool>(*conninfo, 2);
        services = std::make_unique<host::host_services>(ioc, log, db.get(), std::move(http));
        plugin = core::plugin_instance::create(probe_plugin_entry(), "probe.so", *services);
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] {
            io_thread_ids_add(std::this_thread::get_id());
            ioc.run();
        });
    }
    ~services_fixture() {
        plugin.reset();
        services.reset();
        db.reset();
        work_.reset();
        for (auto& t : threads_) t.join();
    }

    // Runs one call of the probe plugin and waits for its outcome.
    core::call_outcome call(std::string target, const boost::json::value& input, core::call_request base = {}) {
        base.target = std::move(target);
        base.input_json = boost::json::serialize(input);
        auto result = std::make_shared<std::promise<core::call_outcome>>();
        plugin->invoke(base, [result](core::call_outcome o) { result->set_value(std::move(o)); });
        auto f = result->get_future();
        REQUIRE(f.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
        return f.get();
    }
    static boost::json::object output(const core::call_outcome& o) {
        INFO(o.error_code << ": " << o.error_message);
        REQUIRE(o.kind == SR_RESULT_SUCCESS);
        return boost::json::parse(o.output_json).as_object();
    }

    std::vector<std::string> lines() {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    bool is_io_thread(std::thread::id id) {
        std::lock_guard lock(mutex_);
        for (auto t : io_ids_)
            if (t == id) return true;
        return false;
    }

    boost::asio::io_context ioc;

private:
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::mutex mutex_;
    std::vector<std::string> lines_;
    std::vector<std::thread::id> io_ids_;
    void io_thread_ids_add(std::thread::id id) {
        std::lock_guard lock(mutex_);
        io_ids_.push_back(id);
    }

public:
    host::json_log log;
    std::unique_ptr<host::db_pool> db;
    std::unique_ptr<host::host_services> services;
    std::shared_ptr<core::plugin_instance> plugin;

private:
    std::vector<std::thread> threads_;
};

} // namespace sr::test
