#include "lexer.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "sr/core/mapping/template_error.hpp"
#include "utf8.hpp"

namespace sr::core::mapping::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

class lexer {
public:
    explicit lexer(std::string_view text) : text_(text) {}

    std::vector<token> run() {
        std::vector<token> out;
        for (;;) {
            while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
            token t;
            t.position = static_cast<uint32_t>(pos_);
            if (pos_ >= text_.size()) {
                out.push_back(std::move(t));
                return out;
            }
            bool after_dot = !out.empty() && out.back().kind == token_kind::dot;
            read(t, after_dot);
            t.length = static_cast<uint32_t>(pos_ - t.position);
            out.push_back(std::move(t));
        }
    }

private:
    [[noreturn]] void fail(std::size_t at, std::string message) const {
        throw template_error(std::string(text_), at, std::move(message));
    }

    char peek(std::size_t ahead = 0) const {
        return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
    }

    void read(token& t, bool after_dot) {
        char c = text_[pos_];
        if (is_digit(c)) return read_number(t, after_dot);
        if (c == '"' || c == '\'') return read_string(t);
        if (is_ident_start(c)) return read_word(t);
        read_operator(t);
    }

    // After a dot only digits are read, so items.0.1 is two index steps and not items, 0.1.
    void read_number(token& t, bool after_dot) {
        std::size_t start = pos_;
        while (is_digit(peek())) ++pos_;
        bool is_real = false;
        if (!after_dot && peek() == '.' && is_digit(peek(1))) {
            is_real = true;
            ++pos_;
            while (is_digit(peek())) ++pos_;
        }
        if (!after_dot && (peek() == 'e' || peek() == 'E') &&
            (is_digit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && is_digit(peek(2))))) {
            is_real = true;
            pos_ += 2;
            while (is_digit(peek())) ++pos_;
        }
        const char* first = text_.data() + start;
        const char* last = text_.data() + pos_;
        if (!is_real) {
            auto [p, ec] = std::from_chars(first, last, t.integer);
            if (ec == std::errc() && p == last) {
                t.kind = token_kind::integer;
                return;
            }
            if (after_dot) fail(start, "index out of range");
        }
        auto [p, ec] = std::from_chars(first, last, t.real);
        if (ec != std::errc() || p != last || !std::isfinite(t.real)) fail(start, "number out of range");
        t.kind = token_kind::real;
    }

    void read_string(token& t) {
        std::size_t start = pos_;
        char quote = text_[pos_++];
        for (;;) {
            if (pos_ >= text_.size()) fail(start, "unterminated string literal");
            char c = text_[pos_++];
            if (c == quote) break;
            if (c != '\\') {
                t.text.push_back(c);
                continue;
            }
            if (pos_ >= text_.size()) fail(start, "unterminated string literal");
            read_escape(t.text);
        }
        t.kind = token_kind::string;
    }

    void read_escape(std::string& out) {
        std::size_t at = pos_ - 1;
        char e = text_[pos_++];
        switch (e) {
        case 'n': out.push_back('\n'); return;
        case 't': out.push_back('\t'); return;
        case 'r': out.push_back('\r'); return;
        case 'b': out.push_back('\b'); return;
        case 'f': out.push_back('\f'); return;
        case '0': out.push_back('\0'); return;
        case '/': case '\\': case '\'': case '"': out.push_back(e); return;
        case 'u': break;
        default: fail(at, fmt::format("unknown escape '\\{}'", printable(e)));
        }
        uint32_t cp = read_hex4(at);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (peek() != '\\' || peek(1) != 'u') fail(at, "unpaired surrogate in \\u escape");
            pos_ += 2;
            uint32_t low = read_hex4(at);
            if (low < 0xDC00 || low > 0xDFFF) fail(at, "unpaired surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail(at, "unpaired surrogate in \\u escape");
        }
        append_utf8(out, cp);
    }

    uint32_t read_hex4(std::size_t at) {
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            int h = hex_value(peek());
            if (h < 0) fail(at, "\\u needs four hexadecimal digits");
            v = v * 16 + static_cast<uint32_t>(h);
            ++pos_;
        }
        return v;
    }

    void read_word(token& t) {
        std::size_t start = pos_;
        while (is_ident_char(peek())) ++pos_;
        t.text = std::string(text_.substr(start, pos_ - start));
        if (t.text == "true") t.kind = token_kind::kw_true;
        else if (t.text == "false") t.kind = token_kind::kw_false;
        else if (t.text == "null") t.kind = token_kind::kw_null;
        else if (t.text == "and") t.kind = token_kind::and_and;
        else if (t.text == "or") t.kind = token_kind::or_or;
        else if (t.text == "not") t.kind = token_kind::bang;
        else t.kind = token_kind::identifier;
    }

    void read_operator(token& t) {
        char c = text_[pos_];
        char n = peek(1);
        auto one = [&](token_kind k) { t.kind = k; pos_ += 1; };
        auto two = [&](token_kind k) { t.kind = k; pos_ += 2; };
        switch (c) {
        case '(': return one(token_kind::lparen);
        case ')': return one(token_kind::rparen);
        case '[': return one(token_kind::lbracket);
        case ']': return one(token_kind::rbracket);
        case '{': return one(token_kind::lbrace);
        case '}': return one(token_kind::rbrace);
        case ',': return one(token_kind::comma);
        case ':': return one(token_kind::colon);
        case '.': return one(token_kind::dot);
        case '$': return one(token_kind::dollar);
        case '+': return one(token_kind::plus);
        case '-': return one(token_kind::minus);
        case '*': return one(token_kind::star);
        case '/': return one(token_kind::slash);
        case '%': return one(token_kind::percent);
        case '?': return n == '?' ? two(token_kind::question_question) : one(token_kind::question);
        case '!': return n == '=' ? two(token_kind::bang_equal) : one(token_kind::bang);
        case '<': return n == '=' ? two(token_kind::less_equal) : one(token_kind::less);
        case '>': return n == '=' ? two(token_kind::greater_equal) : one(token_kind::greater);
        case '=':
            if (n == '=') return two(token_kind::equal_equal);
            fail(pos_, "'=' is not an operator (compare with '==')");
        case '&':
            if (n == '&') return two(token_kind::and_and);
            fail(pos_, "'&' is not an operator (use '&&' or 'and')");
        case '|':
            if (n == '|') return two(token_kind::or_or);
            fail(pos_, "'|' is not an operator (use '||' or 'or')");
        default:
            fail(pos_, fmt::format("unexpected character '{}'", printable(c)));
        }
    }

    static std::string printable(char c) {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7F) return std::string(1, c);
        return fmt::format("\\x{:02x}", u);
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

} // namespace

std::vector<token> tokenize(std::string_view text) { return lexer(text).run(); }

std::string describe(const token& t) {
    switch (t.kind) {
    case token_kind::end: return "the end of the expression";
    case token_kind::integer:
    case token_kind::real: return "a number";
    case token_kind::string: return "a string";
    case token_kind::identifier:
    case token_kind::kw_true:
    case token_kind::kw_false:
    case token_kind::kw_null:
    case token_kind::and_and:
    case token_kind::or_or:
    case token_kind::bang:
        if (!t.text.empty()) return fmt::format("'{}'", t.text);
        break;
    default: break;
    }
    static constexpr const char* symbols[] = {
        "", "", "", "", "", "$", "", "", "", "(", ")", "[", "]", "{", "}", ",", ":", ".", "?", "??",
        "+", "-", "*", "/", "%", "!", "==", "!=", "<", "<=", ">", ">=", "&&", "||"};
    return fmt::format("'{}'", symbols[static_cast<std::size_t>(t.kind)]);
}

} // namespace sr::core::mapping::detail
