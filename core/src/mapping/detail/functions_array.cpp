// Arrays and objects: first, last, at, slice, pluck, includes, flatten, unique, sort, reverse,
// range, keys, values, get, merge.
#include <algorithm>
#include <unordered_map>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "functions.hpp"
#include "path_step.hpp"
#include "sr/core/mapping/limits.hpp"
#include "utf8.hpp"
#include "value_ops.hpp"

namespace sr::core::mapping::detail {
namespace {

namespace json = boost::json;

// JS-style bounds: negative counts from the end; the result is clamped to [0, n].
int64_t clamp_index(int64_t i, int64_t n) {
    if (i < 0) i += n;
    return std::clamp<int64_t>(i, 0, n);
}

void push_copy(call_args& a, json::array& out, const json::value& v) {
    eval_context::check_elements(out.size() + 1);
    a.context().charge_copy(v);
    out.push_back(v);
}

} // namespace

operand fn_first(call_args& a) {
    const json::array& items = a.array(0);
    return items.empty() ? operand() : a.project(0, &items.front());
}

operand fn_last(call_args& a) {
    const json::array& items = a.array(0);
    return items.empty() ? operand() : a.project(0, &items.back());
}

operand fn_at(call_args& a) {
    const json::array& items = a.array(0);
    int64_t n = static_cast<int64_t>(items.size());
    int64_t i = a.integer(1);
    if (i < 0) i += n;
    return i >= 0 && i < n ? a.project(0, &items[static_cast<std::size_t>(i)]) : operand();
}

operand fn_slice(call_args& a) {
    const json::value& v = a[0];
    if (v.is_string()) {
        std::string_view s = v.get_string();
        int64_t n = static_cast<int64_t>(code_points(s));
        int64_t start = clamp_index(a.integer(1), n);
        int64_t end = a.size() > 2 ? clamp_index(a.integer(2), n) : n;
        if (end <= start) return string_result(a, "");
        std::size_t from = byte_offset(s, static_cast<std::size_t>(start));
        std::size_t to = byte_offset(s, static_cast<std::size_t>(end));
        return string_result(a, s.substr(from, to - from));
    }
    if (!v.is_array()) a.type_error(0, "an array or a string");
    const json::array& items = v.get_array();
    int64_t n = static_cast<int64_t>(items.size());
    int64_t start = clamp_index(a.integer(1), n);
    int64_t end = a.size() > 2 ? clamp_index(a.integer(2), n) : n;
    json::array out;
    if (end > start) out.reserve(static_cast<std::size_t>(end - start));
    for (int64_t i = start; i < end; ++i) push_copy(a, out, items[static_cast<std::size_t>(i)]);
    return operand(std::move(out));
}

operand fn_pluck(call_args& a) {
    const json::array& items = a.array(0);
    std::string_view field = a.string(1);
    json::array out;
    out.reserve(items.size());
    for (const auto& item : items) {
        const json::value* v = walk_dotted(&item, field);
        if (v) push_copy(a, out, *v);
        else out.emplace_back(nullptr);
    }
    return operand(std::move(out));
}

operand fn_includes(call_args& a) { return fn_contains(a); }

operand fn_flatten(call_args& a) {
    const json::array& items = a.array(0);
    json::array out;
    for (const auto& item : items) {
        if (!item.is_array()) {
            push_copy(a, out, item);
            continue;
        }
        for (const auto& inner : item.get_array()) push_copy(a, out, inner);
    }
    return operand(std::move(out));
}

// Keeps the first of equal elements, in order; hashing keeps it linear on large arrays.
operand fn_unique(call_args& a) {
    const json::array& items = a.array(0);
    std::unordered_multimap<std::size_t, std::size_t> seen; // hash -> index in out
    seen.reserve(items.size());
    json::array out;
    for (const auto& item : items) {
        std::size_t h = hash_value(item);
        auto [lo, hi] = seen.equal_range(h);
        bool duplicate = std::any_of(lo, hi, [&](const auto& entry) { return deep_equal(out[entry.second], item); });
        if (duplicate) continue;
        seen.emplace(h, out.size());
        push_copy(a, out, item);
    }
    return operand(std::move(out));
}

operand fn_sort(call_args& a) {
    const json::array& items = a.array(0);
    bool numbers = std::all_of(items.begin(), items.end(), [](const json::value& v) { return as_number(v).has_value(); });
    bool strings = std::all_of(items.begin(), items.end(), [](const json::value& v) { return v.is_string(); });
    if (!numbers && !strings) a.fail("expects an array of only numbers or only strings");
    a.context().charge_copy(a[0]);
    std::vector<const json::value*> order;
    order.reserve(items.size());
    for (const auto& item : items) order.push_back(&item);
    std::stable_sort(order.begin(), order.end(), [numbers](const json::value* x, const json::value* y) {
        if (!numbers) return std::string_view(x->get_string()) < std::string_view(y->get_string());
        number p = *as_number(*x), q = *as_number(*y);
        return p.is_int && q.is_int ? p.i < q.i : p.as_double() < q.as_double();
    });
    json::array out;
    out.reserve(order.size());
    for (const auto* v : order) out.push_back(*v);
    return operand(std::move(out));
}

operand fn_reverse(call_args& a) {
    const json::value& v = a[0];
    if (v.is_string()) {
        std::string_view s = v.get_string();
        std::string out;
        out.reserve(s.size());
        for (std::size_t end = s.size(); end > 0;) {
            std::size_t start = end - 1;
            while (start > 0 && is_continuation(s[start])) --start;
            out.append(s.substr(start, end - start));
            end = start;
        }
        return string_result(a, out);
    }
    if (!v.is_array()) a.type_error(0, "an array or a string");
    const json::array& items = v.get_array();
    a.context().charge_copy(v);
    json::array out(items.rbegin(), items.rend());
    return operand(std::move(out));
}

// range(n) is 0 .. n-1; range(start, end) is start .. end-1.
operand fn_range(call_args& a) {
    int64_t start = a.size() > 1 ? a.integer(0) : 0;
    int64_t end = a.size() > 1 ? a.integer(1) : a.integer(0);
    if (end > start && (static_cast<uint64_t>(end) - static_cast<uint64_t>(start)) > limits::max_range)
        a.fail(fmt::format("makes at most {} numbers", limits::max_range));
    json::array out;
    if (end > start) out.reserve(static_cast<std::size_t>(end - start));
    for (int64_t i = start; i < end; ++i) out.emplace_back(i);
    a.context().charge(out.size() * 8);
    return operand(std::move(out));
}

operand fn_keys(call_args& a) {
    const json::object& o = a.object(0);
    json::array out;
    out.reserve(o.size());
    for (const auto& m : o) {
        a.context().charge(m.key().size() + 8);
        out.emplace_back(json::string(m.key()));
    }
    return operand(std::move(out));
}

operand fn_values(call_args& a) {
    const json::object& o = a.object(0);
    json::array out;
    out.reserve(o.size());
    for (const auto& m : o) push_copy(a, out, m.value());
    return operand(std::move(out));
}

// get(value, "a.b.0.c"[, fallback]): the fallback when the path leads nowhere or to null.
operand fn_get(call_args& a) {
    const json::value& base = a[0];
    std::string_view path = a.string(1);
    const json::value* v = walk_dotted(&base, path);
    if ((!v || v->is_null()) && a.size() > 2) return a.take(2);
    return a.project(0, v);
}

// Shallow; later objects win; null arguments are skipped.
operand fn_merge(call_args& a) {
    json::object out;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].is_null()) continue;
        for (const auto& m : a.object(i)) {
            a.context().charge(m.key().size());
            a.context().charge_copy(m.value());
            out[m.key()] = m.value();
        }
    }
    return operand(std::move(out));
}

} // namespace sr::core::mapping::detail
