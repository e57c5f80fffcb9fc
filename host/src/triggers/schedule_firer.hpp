#pragma once
// Drives schedule passes from an Asio timer: each pass runs on a db_pool thread (blocking
// libpqxx), and the next one is timed for the earliest next_fire_at or `max_interval`
// (1 s), whichever is sooner; at once when a pass filled its batch. Several hosts each run one
// firer against the same database; run_schedule_pass makes that safe.
#include <chrono>
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "db/db_pool.hpp"
#include "triggers/schedule_pass.hpp"

namespace sr::host {

struct schedule_firer_config {
    schedule_pass_options pass;
    std::chrono::milliseconds max_interval{1000};
};

class schedule_firer : public std::enable_shared_from_this<schedule_firer> {
public:
    // Told about each parked schedule or refused slot; called on the firer's strand. The
    // default writes one line to stderr.
    using problem_handler = std::function<void(const schedule_problem&)>;
    // Told after every pass (tests and metrics); called on the firer's strand.
    using pass_handler = std::function<void(const schedule_pass_report&)>;

    static std::shared_ptr<schedule_firer> create(boost::asio::io_context& ioc, db_pool& pool,
                                                  schedule_firer_config config = {}, problem_handler on_problem = {},
                                                  pass_handler on_pass = {});

    void start(); // [thread-safe] first pass at once
    void stop();  // [thread-safe] no pass starts after this; one in flight still commits

private:
    schedule_firer(boost::asio::io_context& ioc, db_pool& pool, schedule_firer_config config,
                   problem_handler on_problem, pass_handler on_pass);
    void do_pass();
    void on_pass(const schedule_pass_report& report);
    void on_pass_failed(std::exception_ptr error);
    void wait(std::chrono::milliseconds delay);

    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::steady_timer timer_;
    db_pool& pool_;
    schedule_firer_config config_;
    problem_handler on_problem_;
    pass_handler on_pass_;
    bool stopped_ = false; // touched on the strand only
};

} // namespace sr::host
