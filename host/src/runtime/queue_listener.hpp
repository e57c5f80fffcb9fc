#pragma once
// Wakes an idle host as soon as a run is queued anywhere: a LISTEN on the run queue channel on
// a connection of its own (a notification needs a connection that is not inside a
// transaction). One thread for the whole host, blocked in the socket wait; when the database
// goes away it reconnects after a pause, and the worker's poll timer covers the gap.
#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace sr::host {

class queue_listener {
public:
    // `wake` runs on the listener thread for each notification batch; keep it cheap (post).
    queue_listener(std::string conninfo, std::function<void()> wake);
    ~queue_listener(); // stops and joins
    queue_listener(const queue_listener&) = delete;
    queue_listener& operator=(const queue_listener&) = delete;

    void start();
    void stop();

private:
    void loop();

    std::string conninfo_;
    std::function<void()> wake_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

} // namespace sr::host
