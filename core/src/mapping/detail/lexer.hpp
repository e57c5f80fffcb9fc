#pragma once
// Splits an expression into tokens. The whole expression is at most 16 KiB, so tokenizing it
// at once keeps the parser simple (it can look ahead) at no real cost.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sr::core::mapping::detail {

enum class token_kind : uint8_t {
    end, integer, real, string, identifier, dollar, kw_true, kw_false, kw_null,
    lparen, rparen, lbracket, rbracket, lbrace, rbrace, comma, colon, dot, question, question_question,
    plus, minus, star, slash, percent, bang, equal_equal, bang_equal,
    less, less_equal, greater, greater_equal, and_and, or_or
};

struct token {
    token_kind kind = token_kind::end;
    uint32_t position = 0;
    uint32_t length = 0;
    int64_t integer = 0;
    double real = 0;
    std::string text; // identifiers and keywords as written; string literals decoded
};

// Throws template_error naming `text` and the offending position.
std::vector<token> tokenize(std::string_view text);

// "'+'", "a number", "the end of the expression": for error messages.
std::string describe(const token& t);

} // namespace sr::core::mapping::detail
