#include "triggers/schedule_firer.hpp"

#include <algorithm>
#include <cstdio>

#include <boost/asio/post.hpp>
#include <fmt/format.h>

namespace sr::host {

namespace net = boost::asio;

std::shared_ptr<schedule_firer> schedule_firer::create(net::io_context& ioc, db_pool& pool,
                                                       schedule_firer_config config, problem_handler on_problem,
                                                       pass_handler on_pass) {
    return std::shared_ptr<schedule_firer>(
        new schedule_firer(ioc, pool, std::move(config), std::move(on_problem), std::move(on_pass)));
}

schedule_firer::schedule_firer(net::io_context& ioc, db_pool& pool, schedule_firer_config config,
                               problem_handler on_problem, pass_handler on_pass)
    : strand_(net::make_strand(ioc)),
      timer_(strand_),
      pool_(pool),
      config_(std::move(config)),
      on_problem_(std::move(on_problem)),
      on_pass_(std::move(on_pass)) {
    if (!on_problem_)
        on_problem_ = [](const schedule_problem& p) {
            fmt::print(stderr, "schedule {}: {}\n", p.schedule_id, p.message);
        };
}

void schedule_firer::start() {
    net::post(strand_, [self = shared_from_this()] { self->do_pass(); });
}

void schedule_firer::stop() {
    net::post(strand_, [self = shared_from_this()] {
        self->stopped_ = true;
        self->timer_.cancel();
    });
}

void schedule_firer::do_pass() {
    if (stopped_) return;
    auto self = shared_from_this();
    pool_.post(
        [self](pqxx::connection& conn) {
            auto report = run_schedule_pass(conn, self->config_.pass);
            net::post(self->strand_, [self, report = std::move(report)] { self->on_pass(report); });
        },
        [self](std::exception_ptr error) {
            net::post(self->strand_, [self, error] { self->on_pass_failed(error); });
        });
}

void schedule_firer::on_pass(const schedule_pass_report& report) {
    for (const auto& problem : report.problems) on_problem_(problem);
    if (on_pass_) on_pass_(report);
    auto delay = config_.max_interval;
    if (report.batch_full) delay = std::chrono::milliseconds{0};
    else if (report.next_due_in) delay = std::min(delay, *report.next_due_in);
    wait(delay);
}

void schedule_firer::on_pass_failed(std::exception_ptr error) {
    // The database may be down or restarting: report and try again after the usual interval.
    try {
        if (error) std::rethrow_exception(error);
    } catch (const std::exception& e) {
        on_problem_({"", std::string("schedule pass failed: ") + e.what()});
    } catch (...) {
        on_problem_({"", "schedule pass failed"});
    }
    wait(config_.max_interval);
}

void schedule_firer::wait(std::chrono::milliseconds delay) {
    if (stopped_) return;
    timer_.expires_after(delay);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec) self->do_pass();
    });
}

} // namespace sr::host
