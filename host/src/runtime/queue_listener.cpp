#include "runtime/queue_listener.hpp"

#include <chrono>

#include <pqxx/pqxx>

#include "runtime/run_queue.hpp"

namespace sr::host {

namespace {

class wake_receiver final : public pqxx::notification_receiver {
public:
    wake_receiver(pqxx::connection& c, const std::function<void()>& wake)
        : pqxx::notification_receiver(c, run_queue_channel), wake_(wake) {}
    void operator()(const std::string&, int) override { wake_(); }

private:
    const std::function<void()>& wake_;
};

} // namespace

queue_listener::queue_listener(std::string conninfo, std::function<void()> wake)
    : conninfo_(std::move(conninfo)), wake_(std::move(wake)) {}

queue_listener::~queue_listener() { stop(); }

void queue_listener::start() { thread_ = std::thread([this] { loop(); }); }

void queue_listener::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

void queue_listener::loop() {
    while (!stopping_) {
        try {
            pqxx::connection conn(conninfo_);
            wake_receiver receiver(conn, wake_);
            wake_(); // anything queued while we were not listening
            // Short waits so stop() is prompt.
            while (!stopping_) conn.await_notification(0, 200'000);
        } catch (const std::exception&) {
            for (int i = 0; i < 10 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
}

} // namespace sr::host
