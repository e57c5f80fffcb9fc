// The Prometheus text exposition format 0.0.4 as written by prometheus_text, and the
// histogram series it is fed with.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "observability/duration_histogram.hpp"
#include "observability/node_metrics.hpp"
#include "observability/prometheus_text.hpp"
#include "runtime/run_writer.hpp"

using namespace sr::host;

TEST_CASE("a metric family starts with its HELP and TYPE lines, then its samples") {
    prometheus_text out;
    out.family("sr_things_total", "counter", "Things seen.");
    out.sample("sr_things_total", {{"kind", "a"}}, std::uint64_t{3});
    out.sample("sr_things_total", {}, std::uint64_t{4});
    CHECK(out.text() == "# HELP sr_things_total Things seen.\n"
                        "# TYPE sr_things_total counter\n"
                        "sr_things_total{kind=\"a\"} 3\n"
                        "sr_things_total 4\n");
}

TEST_CASE("label values with quotes, backslashes and newlines are escaped") {
    prometheus_text out;
    out.sample("m", {{"a", "say \"hi\""}, {"b", "C:\\dir"}, {"c", "two\nlines"}}, std::int64_t{1});
    CHECK(out.text() == "m{a=\"say \\\"hi\\\"\",b=\"C:\\\\dir\",c=\"two\\nlines\"} 1\n");
    CHECK(escape_label_value("plain-ünïcode") == "plain-ünïcode");
}

TEST_CASE("help text escapes backslashes and newlines but keeps quotes") {
    prometheus_text out;
    out.family("m", "gauge", "a \"b\" \\ c\nd");
    CHECK(out.text() == "# HELP m a \"b\" \\\\ c\\nd\n# TYPE m gauge\n");
}

TEST_CASE("sample values are written as integers, shortest decimals or +Inf, -Inf and NaN") {
    CHECK(format_sample_value(3.0) == "3");
    CHECK(format_sample_value(-2.0) == "-2");
    CHECK(format_sample_value(0.005) == "0.005");
    CHECK(format_sample_value(2.5) == "2.5");
    CHECK(format_sample_value(std::numeric_limits<double>::infinity()) == "+Inf");
    CHECK(format_sample_value(-std::numeric_limits<double>::infinity()) == "-Inf");
    CHECK(format_sample_value(std::nan("")) == "NaN");
    CHECK(std::stod(format_sample_value(1e-7)) == 1e-7);
}

TEST_CASE("histogram buckets are cumulative, inclusive of their bound, and +Inf equals the count") {
    const double bounds[] = {0.01, 0.1, 1};
    duration_histogram h(bounds);
    for (double v : {0.0, 0.01, 0.05, 0.1, 0.5, 2.0, 7.0}) h.observe(v);
    auto s = h.snapshot();
    CHECK(s.cumulative == std::vector<std::uint64_t>{2, 4, 5, 7});
    CHECK(s.count == 7);
    CHECK(s.cumulative.back() == s.count);
    CHECK(s.sum == Approx(9.66));
}

TEST_CASE("node durations count only nodes that succeeded or failed, by integration, action and outcome") {
    node_metrics m;
    node_row row;
    row.plugin_id = "system";
    row.operation_id = "transform";
    row.started_ms = 1'000;
    row.finished_ms = 1'004;
    row.status = "succeeded";
    m.observe(row);
    row.status = "failed";
    m.observe(row);
    for (const char* status : {"skipped", "waiting", "cancelled", "pending"}) {
        row.status = status;
        m.observe(row);
    }
    row.status = "succeeded";
    row.started_ms = 0; // never started
    m.observe(row);
    auto series = m.snapshot();
    REQUIRE(series.size() == 2);
    CHECK(series[0].outcome == "failed");
    CHECK(series[1].outcome == "succeeded");
    CHECK(series[1].integration == "system");
    CHECK(series[1].action == "transform");
    CHECK(series[1].histogram.count == 1);
    CHECK(series[1].histogram.sum == Approx(0.004));
    CHECK(series[1].histogram.cumulative[0] == 0); // le 0.001
    CHECK(series[1].histogram.cumulative[2] == 1); // le 0.005
}
