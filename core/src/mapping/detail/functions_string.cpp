// Strings: upper, lower, trim, length, substring, replace, split, join, contains, starts_with,
// ends_with, pad_start, slugify. Lengths and offsets count code points, not bytes.
#include <boost/json.hpp>
#include <fmt/format.h>

#include "functions.hpp"
#include "sr/core/mapping/limits.hpp"
#include "utf8.hpp"
#include "value_ops.hpp"

namespace sr::core::mapping::detail {
namespace {

namespace json = boost::json;

void check_size(call_args& a, std::size_t bytes) {
    if (bytes > limits::max_string_bytes)
        a.fail(fmt::format("the string would be longer than {} bytes", limits::max_string_bytes));
}

template <class Map>
operand map_ascii(call_args& a, Map map) {
    std::string_view s = a.string(0);
    check_size(a, s.size());
    std::string out(s);
    for (char& c : out) c = map(c);
    return string_result(a, out);
}

// The text a scalar needle stands for: contains("a1", 1) looks for "1".
std::string needle_text(call_args& a, std::size_t i) {
    const json::value& v = a[i];
    if (v.is_array() || v.is_object()) a.type_error(i, "a string, a number or a boolean");
    std::string s;
    append_text(s, v, limits::max_string_bytes);
    return s;
}

// Latin-1 letters (U+00C0 to U+00FF) as slugify spells them; "" where none fits.
constexpr const char* latin1_letters[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

} // namespace

operand fn_upper(call_args& a) { return map_ascii(a, ascii_upper); }

operand fn_lower(call_args& a) { return map_ascii(a, ascii_lower); }

operand fn_trim(call_args& a) {
    std::string_view s = a.string(0);
    while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
    return string_result(a, s);
}

operand fn_length(call_args& a) {
    const json::value& v = a[0];
    switch (v.kind()) {
    case json::kind::null: return operand(int64_t{0});
    case json::kind::string: return operand(static_cast<int64_t>(code_points(v.get_string())));
    case json::kind::array: return operand(static_cast<int64_t>(v.get_array().size()));
    case json::kind::object: return operand(static_cast<int64_t>(v.get_object().size()));
    default: a.type_error(0, "a string, an array or an object");
    }
}

operand fn_substring(call_args& a) {
    std::string_view s = a.string(0);
    int64_t n = static_cast<int64_t>(code_points(s));
    int64_t start = a.integer(1);
    if (start < 0) start = std::max<int64_t>(0, start + n);
    start = std::min(start, n);
    int64_t end = n;
    if (a.size() > 2) {
        int64_t len = a.integer(2);
        if (len < 0) a.fail("the length must not be negative");
        end = len >= n - start ? n : start + len;
    }
    std::size_t from = byte_offset(s, static_cast<std::size_t>(start));
    std::size_t to = byte_offset(s, static_cast<std::size_t>(end));
    return string_result(a, s.substr(from, to - from));
}

operand fn_replace(call_args& a) {
    std::string_view s = a.string(0);
    std::string_view from = a.string(1);
    std::string_view to = a.string(2);
    if (from.empty()) a.fail("the text to replace must not be empty");
    std::string out;
    std::size_t pos = 0;
    for (;;) {
        std::size_t hit = s.find(from, pos);
        std::string_view keep = s.substr(pos, hit == s.npos ? s.npos : hit - pos);
        check_size(a, out.size() + keep.size());
        out.append(keep);
        if (hit == s.npos) break;
        check_size(a, out.size() + to.size());
        out.append(to);
        pos = hit + from.size();
    }
    return string_result(a, out);
}

operand fn_split(call_args& a) {
    std::string_view s = a.string(0);
    std::string_view sep = a.string(1);
    json::array out;
    auto add = [&](std::string_view part) {
        eval_context::check_elements(out.size() + 1);
        a.context().charge(part.size() + 8);
        out.emplace_back(json::string(part));
    };
    if (sep.empty()) { // every code point
        for (std::size_t i = 0; i < s.size();) {
            std::size_t n = code_point_length(s, i);
            add(s.substr(i, n));
            i += n;
        }
        return operand(std::move(out));
    }
    std::size_t pos = 0;
    for (;;) {
        std::size_t hit = s.find(sep, pos);
        add(s.substr(pos, hit == s.npos ? s.npos : hit - pos));
        if (hit == s.npos) break;
        pos = hit + sep.size();
    }
    return operand(std::move(out));
}

operand fn_join(call_args& a) {
    const json::array& items = a.array(0);
    std::string_view sep = a.size() > 1 ? a.string(1) : std::string_view(",");
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            check_size(a, out.size() + sep.size());
            out.append(sep);
        }
        append_text(out, items[i], limits::max_string_bytes);
    }
    return string_result(a, out);
}

operand fn_contains(call_args& a) {
    const json::value& haystack = a[0];
    if (haystack.is_array()) {
        const json::value& needle = a[1];
        for (const auto& item : haystack.get_array())
            if (deep_equal(item, needle)) return operand(true);
        return operand(false);
    }
    if (!haystack.is_string()) a.type_error(0, "a string or an array");
    std::string needle = needle_text(a, 1);
    return operand(std::string_view(haystack.get_string()).find(needle) != std::string_view::npos);
}

operand fn_starts_with(call_args& a) {
    std::string_view s = a.string(0);
    return operand(s.starts_with(a.string(1)));
}

operand fn_ends_with(call_args& a) {
    std::string_view s = a.string(0);
    return operand(s.ends_with(a.string(1)));
}

operand fn_pad_start(call_args& a) {
    std::string_view s = a.string(0);
    int64_t width = a.integer(1);
    std::string_view pad = a.size() > 2 ? a.string(2) : std::string_view(" ");
    if (pad.empty()) a.fail("the padding must not be empty");
    if (width > static_cast<int64_t>(limits::max_string_bytes))
        a.fail(fmt::format("the width must be at most {}", limits::max_string_bytes));
    int64_t have = static_cast<int64_t>(code_points(s));
    if (have >= width) return a.take(0);
    std::string out;
    std::size_t i = 0;
    for (int64_t missing = width - have; missing > 0; --missing) {
        std::size_t n = code_point_length(pad, i);
        out.append(pad.substr(i, n));
        i = (i + n) % pad.size();
    }
    check_size(a, out.size() + s.size());
    out.append(s);
    return string_result(a, out);
}

// Lower-case ASCII letters and digits joined by single dashes: "Héllo, World!" -> "hello-world".
operand fn_slugify(call_args& a) {
    std::string_view s = a.string(0);
    check_size(a, s.size() * 2);
    std::string out;
    bool dash = false;
    auto letter = [&](std::string_view text) {
        if (dash && !out.empty()) out.push_back('-');
        dash = false;
        out.append(text);
    };
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = code_point_length(s, i);
        if (is_ascii_alnum(s[i])) {
            char lower = ascii_lower(s[i]);
            letter(std::string_view(&lower, 1));
        } else if (c == 0xC3 && n == 2) { // U+00C0 to U+00FF
            const char* latin = latin1_letters[(static_cast<unsigned char>(s[i + 1]) & 0x3F)];
            if (*latin) letter(latin);
            else dash = true;
        } else {
            dash = true;
        }
        i += n;
    }
    return string_result(a, out);
}

} // namespace sr::core::mapping::detail
