// Dates, in UTC: now, to_date_ms, format_date, add_ms, add_days, date_diff_ms. A date is ISO
// 8601 text or Unix milliseconds; the functions that compute a date return milliseconds.
#include <cmath>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "date_time.hpp"
#include "functions.hpp"
#include "sr/core/mapping/limits.hpp"
#include "value_ops.hpp"

namespace sr::core::mapping::detail {
namespace {

namespace json = boost::json;

constexpr int64_t ms_per_day = 86'400'000;

int64_t in_range(call_args& a, int64_t ms) {
    if (ms < min_date_ms || ms > max_date_ms) a.fail("the date is outside the years 0000 to 9999");
    return ms;
}

int64_t date_arg(call_args& a, std::size_t i) {
    const json::value& v = a[i];
    if (auto n = as_number(v)) {
        double d = n->as_double();
        if (!n->is_int && (!std::isfinite(d) || std::abs(d) > 9e15)) a.fail("the date is outside the years 0000 to 9999");
        return in_range(a, n->is_int ? n->i : static_cast<int64_t>(std::floor(d)));
    }
    if (!v.is_string()) a.type_error(i, "a date (ISO 8601 text or Unix milliseconds)");
    std::string_view text = v.get_string();
    if (auto ms = parse_iso_date(text)) return *ms;
    a.fail(fmt::format("'{}' is not an ISO 8601 date", text.substr(0, 40)));
}

int64_t add(call_args& a, int64_t ms, int64_t delta, int64_t unit) {
    int64_t scaled = 0, out = 0;
    if (__builtin_mul_overflow(delta, unit, &scaled) || __builtin_add_overflow(ms, scaled, &out))
        a.fail("the date is outside the years 0000 to 9999");
    return in_range(a, out);
}

} // namespace

operand fn_now(call_args& a) { return operand(a.context().scope().now_ms()); }

operand fn_to_date_ms(call_args& a) { return operand(date_arg(a, 0)); }

operand fn_format_date(call_args& a) {
    int64_t ms = date_arg(a, 0);
    std::string_view format = a.size() > 1 ? a.string(1) : std::string_view("%Y-%m-%dT%H:%M:%S.%LZ");
    if (format.size() > limits::max_format_bytes)
        a.fail(fmt::format("the format is longer than {} bytes", limits::max_format_bytes));
    std::string out;
    if (auto error = format_date(ms, format, out, limits::max_string_bytes)) a.fail(*error);
    return string_result(a, out);
}

operand fn_add_ms(call_args& a) { return operand(add(a, date_arg(a, 0), a.integer(1), 1)); }

operand fn_add_days(call_args& a) { return operand(add(a, date_arg(a, 0), a.integer(1), ms_per_day)); }

// a - b: positive when a is later.
operand fn_date_diff_ms(call_args& a) { return operand(date_arg(a, 0) - date_arg(a, 1)); }

} // namespace sr::core::mapping::detail
