// Asynchronous handlers: routes that answer later, from another thread, over real sockets.
#include "server_fixture.hpp"
#include "test_servers.hpp"

#include "http/problem.hpp"

#include "request_of.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>

using namespace sr::test;
using namespace std::chrono_literals;
namespace json = boost::json;
namespace host = sr::host;

namespace {

// A thread with a job queue, like a db_pool thread: the handler's answer comes from here.
class worker_thread {
public:
    worker_thread() : thread_([this] { loop(); }) {}
    ~worker_thread() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        ready_.notify_one();
        thread_.join();
    }
    void post(std::function<void()> job) {
        {
            std::lock_guard lock(mutex_);
            jobs_.push_back(std::move(job));
        }
        ready_.notify_one();
    }
    std::thread::id id() const { return thread_.get_id(); }

private:
    void loop() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
                if (jobs_.empty()) return;
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            job();
        }
    }

    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::thread thread_;
};

host::http_response text(std::string body) {
    return host::http_response::text(200, std::move(body));
}

// Captures what a dispatch answered (inline or not).
struct captured {
    std::mutex mutex;
    std::optional<host::http_response> response;
    int calls = 0;
    host::respond_fn fn() {
        return [this](host::http_response r) {
            std::lock_guard lock(mutex);
            ++calls;
            response = std::move(r);
        };
    }
};

} // namespace

TEST_CASE("router::dispatch answers a sync route inline, before it returns") {
    host::router r;
    r.add("GET", "/a", [](const host::http_request&, const host::route_params&) { return text("sync"); });
    captured out;
    r.dispatch(request_of("GET", "/a"), out.fn());
    REQUIRE(out.response);
    CHECK(out.response->body == "sync");
}

TEST_CASE("router::dispatch answers an unknown path with 404 and a wrong method with 405") {
    host::router r;
    r.add_async("GET", "/a", [](const host::http_request&, const host::route_params&, host::respond_fn f) {
        f(text("x"));
    });
    captured missing, wrong;
    r.dispatch(request_of("GET", "/b"), missing.fn());
    r.dispatch(request_of("DELETE", "/a"), wrong.fn());
    REQUIRE(missing.response);
    CHECK(missing.response->status == 404);
    REQUIRE(wrong.response);
    CHECK(wrong.response->status == 405);
    CHECK(*wrong.response->header("Allow") == "GET, HEAD");
}

TEST_CASE("The request and route params given to an async handler stay valid until it answers") {
    host::router r;
    worker_thread worker;
    r.add_async("POST", "/items/{id}",
                [&](const host::http_request& req, const host::route_params& p, host::respond_fn f) {
                    worker.post([&req, &p, f] {
                        std::this_thread::sleep_for(20ms);
                        f(text(*p.get("id") + ":" + req.body));
                    });
                });
    captured out;
    {
        auto req = request_of("POST", "/items/42");
        req.body = "payload";
        r.dispatch(std::move(req), out.fn());
    }
    for (int i = 0; i < 200; ++i) {
        {
            std::lock_guard lock(out.mutex);
            if (out.response) break;
        }
        std::this_thread::sleep_for(5ms);
    }
    std::lock_guard lock(out.mutex);
    REQUIRE(out.response);
    CHECK(out.response->body == "42:payload");
}

TEST_CASE("router::handle_request refuses an async route with logic_error") {
    host::router r;
    r.add_async("GET", "/a", [](const host::http_request&, const host::route_params&, host::respond_fn f) {
        f(text("x"));
    });
    CHECK_THROWS_AS(r.handle_request(request_of("GET", "/a")), std::logic_error);
}

TEST_CASE("router::routes lists every route with its method and pattern in registration order") {
    host::router r;
    r.add("GET", "/a/{id}", [](const host::http_request&, const host::route_params&) { return text("x"); });
    r.add_async("PUT", "/b", [](const host::http_request&, const host::route_params&, host::respond_fn) {});
    auto all = r.routes();
    REQUIRE(all.size() == 2);
    CHECK(all[0].method == "GET");
    CHECK(all[0].pattern == "/a/{id}");
    CHECK(all[1].method == "PUT");
    CHECK(all[1].pattern == "/b");
}

TEST_CASE("add_async rejects a malformed pattern like add does") {
    host::router r;
    auto noop = [](const host::http_request&, const host::route_params&, host::respond_fn) {};
    CHECK_THROWS_AS(r.add_async("GET", "no-slash", noop), std::invalid_argument);
    CHECK_THROWS_AS(r.add_async("GET", "/a/{}", noop), std::invalid_argument);
}

TEST_CASE("An async route answers later from another thread over a real socket") {
    worker_thread worker;
    std::atomic<bool> answered_elsewhere{false};
    running_server s({}, [&](host::router& r) {
        r.add_async("GET", "/slow/{n}", [&](const host::http_request&, const host::route_params& p, host::respond_fn f) {
            auto n = *p.get("n");
            std::thread([f, n, &answered_elsewhere] {
                std::this_thread::sleep_for(100ms);
                answered_elsewhere = true;
                f(text("late " + n));
            }).detach();
        });
    });
    raw_client c(s.port());
    auto start = std::chrono::steady_clock::now();
    c.send(raw_request("GET", "/slow/7"));
    auto r = c.read_response();
    CHECK(std::chrono::steady_clock::now() - start >= 90ms);
    CHECK(r.status == 200);
    CHECK(r.body == "late 7");
    CHECK(answered_elsewhere);
}

TEST_CASE("An I/O thread stays free while an async response is pending") {
    worker_thread worker;
    std::mutex m;
    std::vector<host::respond_fn> parked;
    running_server s({}, [&](host::router& r) {
        r.add_async("GET", "/park", [&](const host::http_request&, const host::route_params&, host::respond_fn f) {
            std::lock_guard lock(m);
            parked.push_back(std::move(f));
        });
    });
    // Three parked requests (more than the two I/O threads) do not stop /health from answering.
    std::vector<std::unique_ptr<raw_client>> waiting;
    for (int i = 0; i < 3; ++i) {
        waiting.push_back(std::make_unique<raw_client>(s.port()));
        waiting.back()->send(raw_request("GET", "/park"));
    }
    raw_client probe(s.port());
    probe.send(raw_request("GET", "/health"));
    CHECK(probe.read_response(2s).status == 200);
    for (int i = 0; i < 100; ++i) {
        {
            std::lock_guard lock(m);
            if (parked.size() == 3) break;
        }
        std::this_thread::sleep_for(5ms);
    }
    std::lock_guard lock(m);
    REQUIRE(parked.size() == 3);
    for (auto& f : parked) f(text("released"));
    for (auto& c : waiting) CHECK(c->read_response().body == "released");
}

TEST_CASE("An async handler that throws before answering gets a 500 problem and the error is logged") {
    running_server s({}, [](host::router& r) {
        r.add_async("GET", "/boom", [](const host::http_request&, const host::route_params&, host::respond_fn) {
            throw std::runtime_error("secret detail");
        });
    });
    raw_client c(s.port());
    c.send(raw_request("GET", "/boom"));
    auto r = c.read_response();
    CHECK(r.status == 500);
    CHECK(*r.header("content-type") == "application/problem+json");
    CHECK(json::parse(r.body).at("code") == "internal_error");
    CHECK(r.body.find("secret detail") == std::string::npos);
    auto errors = s.errors();
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("GET /boom") != std::string::npos);
    CHECK(errors[0].find("secret detail") != std::string::npos);
    // The connection survives for the next request.
    c.send(raw_request("GET", "/health"));
    CHECK(c.read_response().status == 200);
}

TEST_CASE("A handler that answers and then throws keeps its answer") {
    running_server s({}, [](host::router& r) {
        r.add_async("GET", "/both", [](const host::http_request&, const host::route_params&, host::respond_fn f) {
            f(text("first"));
            throw std::runtime_error("after the answer");
        });
    });
    raw_client c(s.port());
    c.send(raw_request("GET", "/both"));
    auto r = c.read_response();
    CHECK(r.status == 200);
    CHECK(r.body == "first");
}

TEST_CASE("respond called from a db_pool-like worker thread answers the request") {
    worker_thread worker;
    std::atomic<bool> on_worker{false};
    running_server s({}, [&](host::router& r) {
        r.add_async("POST", "/echo", [&](const host::http_request& req, const host::route_params&, host::respond_fn f) {
            worker.post([&, &req = req, f] {
                on_worker = std::this_thread::get_id() == worker.id();
                f(host::http_response::json(201, json::object{{"got", req.body}}));
            });
        });
    });
    raw_client c(s.port());
    c.send(raw_request("POST", "/echo", "hello"));
    auto r = c.read_response();
    CHECK(r.status == 201);
    CHECK(json::parse(r.body) == json::parse(R"({"got":"hello"})"));
    CHECK(on_worker);
}

TEST_CASE("A second respond call is ignored and the connection serves the next request normally") {
    running_server s({}, [](host::router& r) {
        r.add_async("GET", "/twice", [](const host::http_request&, const host::route_params&, host::respond_fn f) {
            auto copy = f;
            f(text("one"));
            copy(text("two"));
        });
    });
    raw_client c(s.port());
    c.send(raw_request("GET", "/twice"));
    CHECK(c.read_response().body == "one");
    c.send(raw_request("GET", "/twice"));
    auto second = c.read_response();
    CHECK(second.body == "one");
    CHECK(second.keep_alive);
}

TEST_CASE("Several async requests in sequence on one keep-alive connection each get their own answer") {
    worker_thread worker;
    running_server s({}, [&](host::router& r) {
        r.add_async("GET", "/n/{n}", [&](const host::http_request&, const host::route_params& p, host::respond_fn f) {
            std::string n = *p.get("n");
            worker.post([n, f] {
                std::this_thread::sleep_for(10ms);
                f(text("answer " + n));
            });
        });
    });
    raw_client c(s.port());
    for (int i = 0; i < 5; ++i) {
        c.send(raw_request("GET", "/n/" + std::to_string(i)));
        auto r = c.read_response();
        CHECK(r.status == 200);
        CHECK(r.body == "answer " + std::to_string(i));
        CHECK(r.keep_alive);
    }
    CHECK(s.server().connection_count() == 1);
}

TEST_CASE("Pipelined async requests are answered in order") {
    worker_thread worker;
    running_server s({}, [&](host::router& r) {
        r.add_async("GET", "/n/{n}", [&](const host::http_request&, const host::route_params& p, host::respond_fn f) {
            std::string n = *p.get("n");
            worker.post([n, f] { f(text(n)); });
        });
    });
    raw_client c(s.port());
    c.send(raw_request("GET", "/n/a") + raw_request("GET", "/n/b") + raw_request("GET", "/n/c"));
    CHECK(c.read_response().body == "a");
    CHECK(c.read_response().body == "b");
    CHECK(c.read_response().body == "c");
}

TEST_CASE("A graceful stop waits for a pending async answer within the grace and sends it with Connection close") {
    worker_thread worker;
    running_server s({}, [&](host::router& r) {
        r.add_async("GET", "/slow", [&](const host::http_request&, const host::route_params&, host::respond_fn f) {
            worker.post([f] {
                std::this_thread::sleep_for(150ms);
                f(text("done"));
            });
        });
    });
    raw_client c(s.port());
    c.send(raw_request("GET", "/slow"));
    std::this_thread::sleep_for(30ms); // the request is in the handler
    auto took = s.stop(2000ms);
    CHECK(took < 1500ms);
    auto r = c.read_response();
    CHECK(r.status == 200);
    CHECK(r.body == "done");
    CHECK_FALSE(r.keep_alive);
}

TEST_CASE("A stop whose grace ends while an answer is pending closes the connection, and the late answer is dropped") {
    worker_thread worker;
    std::mutex m;
    host::respond_fn parked;
    running_server s({}, [&](host::router& r) {
        r.add_async("GET", "/never", [&](const host::http_request&, const host::route_params&, host::respond_fn f) {
            std::lock_guard lock(m);
            parked = std::move(f);
        });
    });
    raw_client c(s.port());
    c.send(raw_request("GET", "/never"));
    std::this_thread::sleep_for(30ms);
    auto took = s.stop(100ms);
    CHECK(took >= 90ms);
    CHECK(took < 1500ms);
    CHECK(c.closed_within(1s));
    CHECK(s.server().connection_count() == 0);
    // Answering after the connection is gone is harmless.
    std::lock_guard lock(m);
    REQUIRE(parked);
    std::promise<void> answered;
    worker.post([f = parked, &answered] {
        f(text("too late"));
        answered.set_value();
    });
    // Before the server (and its io_context) goes: a respond_fn must not outlive it.
    answered.get_future().wait();
}

TEST_CASE("The synchronous server constructor still serves a plain request handler") {
    boost::asio::io_context ioc;
    host::http_server_config config;
    config.listen = "127.0.0.1:0";
    host::http_server server(ioc, config, host::request_handler([](const host::http_request& r) {
                                 return text("sync " + r.path);
                             }));
    auto port = server.start();
    std::thread io([&] { ioc.run(); });
    raw_client c(port);
    c.send(raw_request("GET", "/x"));
    auto r = c.read_response();
    CHECK(r.body == "sync /x");
    std::promise<void> stopped;
    server.stop(500ms, [&] { stopped.set_value(); });
    stopped.get_future().wait();
    io.join();
}
