#pragma once
// Writes the Prometheus text exposition format 0.0.4: a family's `# HELP` and `# TYPE` lines,
// then its samples, with label values and help text escaped as the format requires.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sr::host {

// The Content-Type of a /metrics answer.
inline constexpr std::string_view prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

// Label name (a valid Prometheus name, written as is) and value (any UTF-8, escaped).
using metric_label = std::pair<std::string_view, std::string_view>;
using metric_labels = std::vector<metric_label>;

class prometheus_text {
public:
    // `type` is counter, gauge, histogram, summary or untyped. Once per family, before its
    // samples (the format wants a family's samples together).
    void family(std::string_view name, std::string_view type, std::string_view help);
    void sample(std::string_view name, const metric_labels& labels, double value);
    void sample(std::string_view name, const metric_labels& labels, std::uint64_t value);
    void sample(std::string_view name, const metric_labels& labels, std::int64_t value);

    const std::string& text() const noexcept { return out_; }
    std::string take() noexcept { return std::move(out_); }

private:
    void series(std::string_view name, const metric_labels& labels);

    std::string out_;
};

// Backslash, double quote and line feed escaped (\\, \", \n).
std::string escape_label_value(std::string_view value);
// Backslash and line feed escaped.
std::string escape_help(std::string_view help);
// Integers exactly, other values in the shortest form that reads back equal; +Inf, -Inf, NaN.
std::string format_sample_value(double value);

} // namespace sr::host
