#include "observability/prometheus_text.hpp"

#include <cmath>

#include <fmt/format.h>

namespace sr::host {

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string escape_help(std::string_view help) {
    std::string out;
    out.reserve(help.size());
    for (char c : help) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string format_sample_value(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    // Counts are the common case: print them without an exponent or a fraction.
    if (value == std::trunc(value) && std::fabs(value) < 9.007199254740992e15)
        return fmt::format("{}", static_cast<long long>(value));
    return fmt::format("{}", value);
}

void prometheus_text::family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape_help(help), name, type);
}

void prometheus_text::series(std::string_view name, const metric_labels& labels) {
    out_ += name;
    if (labels.empty()) return;
    out_ += '{';
    bool first = true;
    for (const auto& [label, value] : labels) {
        if (!first) out_ += ',';
        first = false;
        out_ += label;
        out_ += "=\"";
        out_ += escape_label_value(value);
        out_ += '"';
    }
    out_ += '}';
}

void prometheus_text::sample(std::string_view name, const metric_labels& labels, double value) {
    series(name, labels);
    out_ += ' ';
    out_ += format_sample_value(value);
    out_ += '\n';
}

void prometheus_text::sample(std::string_view name, const metric_labels& labels, std::uint64_t value) {
    series(name, labels);
    out_ += fmt::format(" {}\n", value);
}

void prometheus_text::sample(std::string_view name, const metric_labels& labels, std::int64_t value) {
    series(name, labels);
    out_ += fmt::format(" {}\n", value);
}

} // namespace sr::host
