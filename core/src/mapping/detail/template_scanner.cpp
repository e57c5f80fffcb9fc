#include "template_scanner.hpp"

#include <fmt/format.h>

#include "expression_text.hpp"
#include "sr/core/mapping/limits.hpp"
#include "sr/core/mapping/template_error.hpp"

namespace sr::core::mapping::detail {
namespace {

[[noreturn]] void fail(std::string_view raw, std::size_t raw_position, std::string message) {
    std::string_view trimmed = trim(raw);
    std::size_t lead = static_cast<std::size_t>(trimmed.data() - raw.data());
    std::size_t position = raw_position > lead ? raw_position - lead : 0;
    throw template_error(std::string(trimmed), std::min(position, trimmed.size()), std::move(message));
}

// The index of the first '}' of the "}}" that closes an expression starting at `start`.
std::size_t find_close(std::string_view s, std::size_t start) {
    int depth = 0;
    char quote = 0;
    std::size_t quote_at = 0;
    for (std::size_t j = start; j < s.size(); ++j) {
        if (j - start > limits::max_expression_bytes)
            throw template_error(std::string(trim(s.substr(start, 64))), 0,
                                 fmt::format("the expression is longer than {} bytes", limits::max_expression_bytes));
        char c = s[j];
        if (quote) {
            if (c == '\\') ++j;
            else if (c == quote) quote = 0;
            continue;
        }
        if (c == '"' || c == '\'') {
            quote = c;
            quote_at = j;
        } else if (c == '{') {
            ++depth;
        } else if (c == '}') {
            if (depth > 0) --depth;
            else if (j + 1 < s.size() && s[j + 1] == '}') return j;
        }
    }
    std::string_view raw = s.substr(start);
    if (quote) fail(raw, quote_at - start, "unterminated string literal");
    fail(raw, raw.size(), "unterminated '{{': missing '}}'");
}

} // namespace

scanned_string scan_template_string(std::string_view s) {
    scanned_string out;
    std::string literal;
    auto flush = [&] {
        if (literal.empty()) return;
        out.pieces.push_back({false, std::move(literal)});
        literal.clear();
    };
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] == '\\' && s.substr(i + 1, 2) == "{{") {
            literal.append("{{");
            i += 3;
            continue;
        }
        if (s.substr(i, 2) != "{{") {
            literal.push_back(s[i++]);
            continue;
        }
        flush();
        std::size_t start = i + 2;
        std::size_t end = find_close(s, start);
        out.pieces.push_back({true, std::string(s.substr(start, end - start))});
        out.has_expression = true;
        i = end + 2;
    }
    flush();
    out.whole = out.pieces.size() == 1 && out.pieces.front().is_expression;
    return out;
}

} // namespace sr::core::mapping::detail
