#pragma once
// Ends an io_context's threads the way the daemon does: drop the work guard and let run()
// return once every operation has finished, so no handler that refers to the host's services
// is left to be destroyed with the io_context after them. A stuck operation is stopped after
// a deadline so a failing test cannot hang.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace sr::test {

inline void drain(boost::asio::io_context& ioc,
                  boost::asio::executor_work_guard<boost::asio::io_context::executor_type>& guard,
                  std::vector<std::thread>& threads, std::chrono::seconds limit = std::chrono::seconds(10)) {
    guard.reset();
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!ioc.stopped() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ioc.stop();
    for (auto& t : threads) t.join();
    threads.clear();
}

} // namespace sr::test
