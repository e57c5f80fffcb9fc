#include "operators.hpp"

#include <cmath>
#include <limits>
#include <string>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "eval_error.hpp"
#include "sr/core/mapping/limits.hpp"
#include "value_ops.hpp"

namespace sr::core::mapping::detail {
namespace {

namespace json = boost::json;

[[noreturn]] void cannot(op kind, const json::value& l, const json::value& r) {
    const char* a = a_type_name(l);
    const char* b = a_type_name(r);
    switch (kind) {
    case op::add: throw eval_error(fmt::format("cannot add {} and {}", a, b));
    case op::subtract: throw eval_error(fmt::format("cannot subtract {} from {}", b, a));
    case op::multiply: throw eval_error(fmt::format("cannot multiply {} by {}", a, b));
    case op::divide: throw eval_error(fmt::format("cannot divide {} by {}", a, b));
    case op::modulo: throw eval_error(fmt::format("cannot take {} modulo {}", a, b));
    default: throw eval_error(fmt::format("cannot compare {} with {}", a, b));
    }
}

json::value concatenate(const json::value& l, const json::value& r, eval_context& ctx) {
    if (l.is_string() && r.is_string()) {
        std::size_t n = l.get_string().size() + r.get_string().size();
        if (n > limits::max_string_bytes)
            throw eval_error(fmt::format("the string would be longer than {} bytes", limits::max_string_bytes));
        ctx.charge(n);
        json::string s;
        s.reserve(n);
        s.append(l.get_string());
        s.append(r.get_string());
        return s;
    }
    std::string s;
    append_text(s, l, limits::max_string_bytes);
    append_text(s, r, limits::max_string_bytes);
    return ctx.string_value(s);
}

json::value concatenate_arrays(const json::array& l, const json::array& r, eval_context& ctx) {
    eval_context::check_elements(l.size() + r.size());
    json::array out;
    out.reserve(l.size() + r.size());
    for (const auto* part : {&l, &r})
        for (const auto& item : *part) {
            ctx.charge_copy(item);
            out.push_back(item);
        }
    return out;
}

json::value multiply_numbers(number a, number b) {
    int64_t out = 0;
    if (a.is_int && b.is_int && !__builtin_mul_overflow(a.i, b.i, &out)) return out;
    return finite(a.as_double() * b.as_double());
}

json::value subtract_numbers(number a, number b) {
    int64_t out = 0;
    if (a.is_int && b.is_int && !__builtin_sub_overflow(a.i, b.i, &out)) return out;
    return finite(a.as_double() - b.as_double());
}

bool is_zero(number n) { return n.is_int ? n.i == 0 : n.d == 0; }

json::value modulo_numbers(number a, number b) {
    if (is_zero(b)) throw eval_error("modulo by zero");
    if (a.is_int && b.is_int) return b.i == -1 ? 0 : a.i % b.i;
    return finite(std::fmod(a.as_double(), b.as_double()));
}

} // namespace

json::value add_numbers(number a, number b) {
    int64_t out = 0;
    if (a.is_int && b.is_int && !__builtin_add_overflow(a.i, b.i, &out)) return out;
    return finite(a.as_double() + b.as_double());
}

json::value divide_numbers(number a, number b) {
    if (is_zero(b)) throw eval_error("division by zero");
    if (a.is_int && b.is_int && !(a.i == std::numeric_limits<int64_t>::min() && b.i == -1) && a.i % b.i == 0)
        return a.i / b.i;
    return finite(a.as_double() / b.as_double());
}

json::value arithmetic(op kind, const json::value& l, const json::value& r, eval_context& ctx) {
    if (kind == op::add) {
        if (l.is_string() || r.is_string()) return concatenate(l, r, ctx);
        if (l.is_array() && r.is_array()) return concatenate_arrays(l.get_array(), r.get_array(), ctx);
    }
    auto a = as_number(l);
    auto b = as_number(r);
    if (!a || !b) cannot(kind, l, r);
    switch (kind) {
    case op::add: return add_numbers(*a, *b);
    case op::subtract: return subtract_numbers(*a, *b);
    case op::multiply: return multiply_numbers(*a, *b);
    case op::divide: return divide_numbers(*a, *b);
    default: return modulo_numbers(*a, *b);
    }
}

json::value negate(const json::value& v) {
    auto n = as_number(v);
    if (!n) throw eval_error(fmt::format("cannot negate {}", a_type_name(v)));
    if (n->is_int && n->i != std::numeric_limits<int64_t>::min()) return -n->i;
    return finite(-n->as_double());
}

bool ordered(op kind, const json::value& l, const json::value& r) {
    int c = 0;
    auto a = as_number(l);
    auto b = as_number(r);
    if (a && b) {
        if (a->is_int && b->is_int) c = a->i < b->i ? -1 : (a->i > b->i ? 1 : 0);
        else {
            double x = a->as_double(), y = b->as_double();
            if (std::isnan(x) || std::isnan(y)) return false;
            c = x < y ? -1 : (x > y ? 1 : 0);
        }
    } else if (l.is_string() && r.is_string()) {
        int k = std::string_view(l.get_string()).compare(std::string_view(r.get_string()));
        c = k < 0 ? -1 : (k > 0 ? 1 : 0);
    } else {
        cannot(kind, l, r);
    }
    switch (kind) {
    case op::less: return c < 0;
    case op::less_equal: return c <= 0;
    case op::greater: return c > 0;
    default: return c >= 0;
    }
}

} // namespace sr::core::mapping::detail
