// The B3 side-effect sink (docs/benchmarks.md): answers every POST 200 {"ok":true} and counts
// requests per (path, Idempotency-Key), so a benchmark can check every effect happened exactly
// once. It serves with the host's own HTTP server (Boost.Beast, async), because a sink slower
// than the runtime (the Python one B3 used first) measures the sink, not the runtime.
//
//   bench_sink PORT_FILE [THREADS]   binds 127.0.0.1:0 and writes its port to PORT_FILE
//   GET /stats -> {"requests", "without_key", "keys", "duplicates", "max_per_key", "examples"}
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "http/http_server.hpp"

namespace {

namespace json = boost::json;
using sr::host::http_request;
using sr::host::http_response;

class effect_counter {
public:
    void count(const http_request& r) {
        const std::string* key = r.header("idempotency-key");
        std::lock_guard lock(mutex_);
        ++requests_;
        if (!key || key->empty()) {
            ++without_key_;
            return;
        }
        ++per_key_[r.path + ' ' + *key];
    }

    json::object stats() const {
        std::lock_guard lock(mutex_);
        json::array examples;
        std::size_t duplicates = 0, most = 0;
        for (const auto& [key, n] : per_key_) {
            most = std::max(most, n);
            if (n == 1) continue;
            ++duplicates;
            if (examples.size() < 5) examples.emplace_back(key + " x" + std::to_string(n));
        }
        return {{"requests", requests_},     {"without_key", without_key_}, {"keys", per_key_.size()},
                {"duplicates", duplicates},  {"max_per_key", most},         {"examples", std::move(examples)}};
    }

private:
    mutable std::mutex mutex_;
    std::size_t requests_ = 0, without_key_ = 0;
    std::unordered_map<std::string, std::size_t> per_key_;
};

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_sink PORT_FILE [THREADS]\n");
        return 2;
    }
    const int threads = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1;
    effect_counter counter;
    boost::asio::io_context ioc;
    sr::host::http_server_config config;
    config.listen = "127.0.0.1:0";
    config.log_error = [](std::string_view) {}; // a client that gave up is counted by the runs
    sr::host::http_server server(ioc, config, sr::host::request_handler([&counter](const http_request& r) {
                                     if (r.method == "GET" && r.path == "/stats")
                                         return http_response::json(200, counter.stats());
                                     counter.count(r);
                                     return http_response::json(200, json::object{{"ok", true}});
                                 }));
    const auto port = server.start();
    std::ofstream(argv[1]) << port;
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run(); // until killed
    for (auto& t : pool) t.join();
}
