#pragma once
// The wordpress plugin as the daemon runs it: loaded from build/plugins through
// load_plugins() with the host's real services (its asynchronous HTTP client on an io_context
// thread). Every log line the host writes is kept, so tests can check that no secret leaks.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "plugins/plugin_loader.hpp"
#include "services/host_services.hpp"
#include "services/json_log.hpp"

#include <sr/core/plugin/call_outcome.hpp>
#include <sr/core/plugin/call_request.hpp>

namespace sr::test {

class plugin_host {
public:
    plugin_host();
    ~plugin_host();
    plugin_host(const plugin_host&) = delete;
    plugin_host& operator=(const plugin_host&) = delete;

    // Runs one call into the wordpress plugin and waits (at most 30 s) for its outcome.
    sr::core::call_outcome call(sr::core::call_request request);

    sr::core::call_outcome action(const std::string& target, boost::json::object settings,
                                  const boost::json::object& connection);
    sr::core::call_outcome poll(const std::string& trigger, boost::json::object settings,
                                const boost::json::object& connection, const boost::json::value& cursor);
    sr::core::call_outcome options(const std::string& target, const std::string& field, boost::json::object settings,
                                   const boost::json::object& connection);
    sr::core::call_outcome test_connection(const std::string& type, const boost::json::object& connection);
    sr::core::call_outcome webhook(const std::string& trigger, const std::string& raw_body);

    const boost::json::value& manifest() const;
    std::string log_text();

private:
    std::mutex mutex_;
    std::string lines_;
    boost::asio::io_context ioc_;
    sr::host::json_log log_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    sr::host::host_services services_;
    sr::host::plugin_registry registry_;
    std::vector<std::thread> threads_;
};

// The output of a successful outcome, parsed; fails the test (with the error) otherwise.
boost::json::value success_output(const sr::core::call_outcome& outcome);

} // namespace sr::test
