#include "observability_fixture.hpp"

#include <future>
#include <sstream>

#include <catch2/catch.hpp>

#include "io_drain.hpp"

namespace sr::test {

observed_host::observed_host(const std::string& conninfo, std::chrono::milliseconds ttl)
    : pool(conninfo, 2), runs(pool, ttl), guard_(boost::asio::make_work_guard(ioc)) {}

observed_host::~observed_host() {
    if (server_) {
        std::promise<void> stopped;
        server_->stop(std::chrono::milliseconds(2000), [&] { stopped.set_value(); });
        stopped.get_future().wait();
    }
    drain(ioc, guard_, threads_);
}

void observed_host::serve(host::request_limits* limits) {
    host::http_server_config config;
    config.listen = "127.0.0.1:0";
    host::async_request_handler next = [this](host::http_request r, host::respond_fn respond) {
        routes.dispatch(std::move(r), std::move(respond));
    };
    server_ = std::make_unique<host::http_server>(ioc, config,
                                                  limits ? host::limit_requests(*limits, std::move(next)) : next);
    port_ = server_->start();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc.run(); });
}

raw_response observed_host::request(std::string_view method, std::string_view target, std::string_view body,
                                    std::string_view extra_headers) {
    raw_client client(port_);
    client.send(raw_request(method, target, body, extra_headers));
    return client.read_response(std::chrono::seconds(10));
}

std::string observed_host::scrape() {
    auto r = request("GET", "/metrics");
    REQUIRE(r.status == 200);
    return r.body;
}

std::optional<double> sample_value(const std::string& text, std::string_view series) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.size() <= series.size() || line.compare(0, series.size(), series) != 0 || line[series.size()] != ' ')
            continue;
        const std::string value = line.substr(series.size() + 1);
        if (value == "+Inf") return std::numeric_limits<double>::infinity();
        return std::stod(value);
    }
    return std::nullopt;
}

std::vector<std::string> lines_starting(const std::string& text, std::string_view prefix) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (line.compare(0, prefix.size(), prefix) == 0) out.push_back(line);
    return out;
}

} // namespace sr::test
