// Numbers: round, floor, ceil, abs, min, max, sum, avg.
#include <cmath>
#include <limits>
#include <optional>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "functions.hpp"
#include "operators.hpp"
#include "value_ops.hpp"

namespace sr::core::mapping::detail {
namespace {

namespace json = boost::json;

template <class Fn>
operand to_integral(call_args& a, Fn fn) {
    number n = a.num(0);
    if (n.is_int) return a.take(0);
    return operand(integral_or_double(fn(n.d)));
}

number element_number(call_args& a, const json::value& v) {
    auto n = as_number(v);
    if (!n) a.fail(fmt::format("expects numbers, found {}", a_type_name(v)));
    return *n;
}

bool less(number x, number y) {
    if (x.is_int && y.is_int) return x.i < y.i;
    return x.as_double() < y.as_double();
}

// min(1, 2, 3) or min([1, 2, 3]); null when there is nothing to compare.
operand extreme(call_args& a, bool want_max) {
    const json::array* list = a.size() == 1 && a[0].is_array() ? &a[0].get_array() : nullptr;
    std::size_t n = list ? list->size() : a.size();
    std::optional<number> best;
    for (std::size_t i = 0; i < n; ++i) {
        number x = list ? element_number(a, (*list)[i]) : a.num(i);
        if (!best || (want_max ? less(*best, x) : less(x, *best))) best = x;
    }
    return best ? operand(to_value(*best)) : operand();
}

json::value total(call_args& a, const json::array& items) {
    json::value sum = int64_t{0};
    for (const auto& item : items) sum = add_numbers(*as_number(sum), element_number(a, item));
    return sum;
}

} // namespace

// Half away from zero; digits may be negative (round(1234, -2) is 1200).
operand fn_round(call_args& a) {
    number n = a.num(0);
    int64_t digits = a.size() > 1 ? a.integer(1) : 0;
    if (digits < -15 || digits > 15) a.fail("digits must be from -15 to 15");
    if (n.is_int && digits >= 0) return a.take(0);
    // Dividing by 100 is exact where multiplying by 0.01 is not, hence the two ways.
    double scale = std::pow(10.0, static_cast<double>(digits < 0 ? -digits : digits));
    double r = digits < 0 ? std::round(n.as_double() / scale) * scale : std::round(n.as_double() * scale) / scale;
    return operand(digits <= 0 ? integral_or_double(r) : finite(r));
}

operand fn_floor(call_args& a) { return to_integral(a, [](double d) { return std::floor(d); }); }

operand fn_ceil(call_args& a) { return to_integral(a, [](double d) { return std::ceil(d); }); }

operand fn_abs(call_args& a) {
    number n = a.num(0);
    if (n.is_int && n.i != std::numeric_limits<int64_t>::min()) return operand(n.i < 0 ? -n.i : n.i);
    return operand(finite(std::abs(n.as_double())));
}

operand fn_min(call_args& a) { return extreme(a, false); }

operand fn_max(call_args& a) { return extreme(a, true); }

operand fn_sum(call_args& a) { return operand(total(a, a.array(0))); }

operand fn_avg(call_args& a) {
    const json::array& items = a.array(0);
    if (items.empty()) return operand();
    json::value sum = total(a, items);
    return operand(divide_numbers(*as_number(sum), number{true, static_cast<int64_t>(items.size()), 0}));
}

} // namespace sr::core::mapping::detail
