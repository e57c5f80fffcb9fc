#include "parser.hpp"

#include <algorithm>
#include <limits>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "function_table.hpp"
#include "lexer.hpp"
#include "sr/core/mapping/limits.hpp"
#include "sr/core/mapping/template_error.hpp"
#include "value_ops.hpp"

namespace sr::core::mapping::detail {
namespace {

namespace json = boost::json;

const std::string too_deep = fmt::format("the expression nests too deeply (more than {} levels)", limits::max_depth);

class parser {
public:
    explicit parser(std::string_view text) : text_(text), tokens_(tokenize(text)) { prog_.text = std::string(text); }

    program run() {
        if (cur().kind == token_kind::end) fail(0, "empty expression");
        uint32_t root = ternary();
        if (cur().kind != token_kind::end) fail(cur().position, fmt::format("unexpected {}", describe(cur())));
        prog_.root = root;
        return std::move(prog_);
    }

private:
    // Counts the recursion of the parser itself, so deep input fails before the stack does.
    struct depth_guard {
        depth_guard(parser& p, uint32_t position) : p_(p) {
            if (++p_.depth_ > limits::max_depth) p_.fail(position, too_deep);
        }
        ~depth_guard() { --p_.depth_; }
        depth_guard(const depth_guard&) = delete;
        depth_guard& operator=(const depth_guard&) = delete;
        parser& p_;
    };

    [[noreturn]] void fail(std::size_t position, std::string message) const {
        throw template_error(std::string(text_), position, std::move(message));
    }

    const token& cur() const { return tokens_[index_]; }
    const token& ahead(std::size_t n) const { return tokens_[std::min(index_ + n, tokens_.size() - 1)]; }
    void next() {
        if (index_ + 1 < tokens_.size()) ++index_;
    }
    void expect(token_kind kind, const char* what) {
        if (cur().kind != kind) fail(cur().position, fmt::format("expected {} but found {}", what, describe(cur())));
        next();
    }

    uint32_t height(uint32_t n) const { return heights_[n]; }

    uint32_t push(node n, uint32_t child_height) {
        if (child_height + 1 > limits::max_depth) fail(n.position, too_deep);
        prog_.nodes.push_back(n);
        heights_.push_back(static_cast<uint16_t>(child_height + 1));
        return static_cast<uint32_t>(prog_.nodes.size() - 1);
    }

    uint32_t unary_node(op kind, uint32_t position, uint32_t a) {
        node n{kind, position, a};
        return push(n, height(a));
    }

    uint32_t binary_node(op kind, uint32_t position, uint32_t a, uint32_t b) {
        node n{kind, position, a, b};
        return push(n, std::max(height(a), height(b)));
    }

    uint32_t constant(json::value v, uint32_t position) {
        prog_.constants.push_back(std::move(v));
        node n{op::constant, position, static_cast<uint32_t>(prog_.constants.size() - 1)};
        return push(n, 0);
    }

    bool is_constant(uint32_t n) const { return prog_.nodes[n].kind == op::constant; }
    json::value& constant_of(uint32_t n) { return prog_.constants[prog_.nodes[n].a]; }

    uint32_t ternary() {
        depth_guard guard(*this, cur().position);
        uint32_t condition = coalesce();
        if (cur().kind != token_kind::question) return condition;
        uint32_t position = cur().position;
        next();
        uint32_t then = ternary();
        expect(token_kind::colon, "':'");
        uint32_t otherwise = ternary();
        node n{op::conditional, position, condition, then, otherwise};
        return push(n, std::max({height(condition), height(then), height(otherwise)}));
    }

    template <class Next>
    uint32_t left_chain(Next next_level, std::initializer_list<std::pair<token_kind, op>> ops) {
        uint32_t left = (this->*next_level)();
        for (;;) {
            auto it = std::find_if(ops.begin(), ops.end(), [&](const auto& p) { return p.first == cur().kind; });
            if (it == ops.end()) return left;
            uint32_t position = cur().position;
            next();
            uint32_t right = (this->*next_level)();
            left = binary_node(it->second, position, left, right);
        }
    }

    uint32_t coalesce() { return left_chain(&parser::logical_or, {{token_kind::question_question, op::coalesce}}); }
    uint32_t logical_or() { return left_chain(&parser::logical_and, {{token_kind::or_or, op::logical_or}}); }
    uint32_t logical_and() { return left_chain(&parser::equality, {{token_kind::and_and, op::logical_and}}); }
    uint32_t equality() {
        return left_chain(&parser::comparison,
                          {{token_kind::equal_equal, op::equal}, {token_kind::bang_equal, op::not_equal}});
    }
    uint32_t comparison() {
        return left_chain(&parser::additive, {{token_kind::less, op::less},
                                              {token_kind::less_equal, op::less_equal},
                                              {token_kind::greater, op::greater},
                                              {token_kind::greater_equal, op::greater_equal}});
    }
    uint32_t additive() {
        return left_chain(&parser::multiplicative, {{token_kind::plus, op::add}, {token_kind::minus, op::subtract}});
    }
    uint32_t multiplicative() {
        return left_chain(&parser::unary, {{token_kind::star, op::multiply},
                                           {token_kind::slash, op::divide},
                                           {token_kind::percent, op::modulo}});
    }

    uint32_t unary() {
        token_kind k = cur().kind;
        if (k != token_kind::minus && k != token_kind::bang) return postfix();
        depth_guard guard(*this, cur().position);
        uint32_t position = cur().position;
        next();
        uint32_t operand = unary();
        if (k == token_kind::minus) {
            if (is_constant(operand) && fold_negation(constant_of(operand))) return operand;
            return unary_node(op::negate, position, operand);
        }
        if (is_constant(operand)) {
            constant_of(operand) = !truthy(constant_of(operand));
            return operand;
        }
        return unary_node(op::logical_not, position, operand);
    }

    // -5 is a constant, so a[-1] is a plain index step and costs nothing at run time.
    static bool fold_negation(json::value& v) {
        if (v.is_int64() && v.get_int64() != std::numeric_limits<int64_t>::min()) {
            v = -v.get_int64();
            return true;
        }
        if (v.is_double()) {
            v = -v.get_double();
            return true;
        }
        return false;
    }

    uint32_t postfix() {
        uint32_t base = primary();
        if (cur().kind != token_kind::dot && cur().kind != token_kind::lbracket) return base;
        path p;
        p.has_root = false;
        p.base = base;
        read_segments(p);
        return push_path(std::move(p), prog_.nodes[base].position);
    }

    void read_segments(path& p) {
        for (;;) {
            if (cur().kind == token_kind::dot) {
                next();
                p.segments.push_back(name_segment());
            } else if (cur().kind == token_kind::lbracket) {
                uint32_t position = cur().position;
                next();
                uint32_t e = ternary();
                expect(token_kind::rbracket, "']'");
                p.segments.push_back(index_segment(e, position));
            } else {
                return;
            }
        }
    }

    segment name_segment() {
        const token& t = cur();
        segment s;
        if (t.kind == token_kind::integer) {
            s.key = std::string(text_.substr(t.position, t.length));
            s.key_is_index = true;
            s.index = t.integer;
        } else if (!t.text.empty() && t.kind != token_kind::string) {
            s.key = t.text; // identifiers, and keywords used as names: a.null, a.not
        } else {
            fail(t.position, fmt::format("expected a name after '.' but found {}", describe(t)));
        }
        next();
        return s;
    }

    segment index_segment(uint32_t e, uint32_t position) {
        segment s;
        if (!is_constant(e)) {
            s.type = segment::kind::dynamic;
            s.expression = e;
            return s;
        }
        const json::value& v = constant_of(e);
        if (v.is_string()) {
            s.key = std::string(v.get_string());
        } else if (v.is_int64()) {
            s.type = segment::kind::index;
            s.index = v.get_int64();
        } else {
            fail(position, "an index must be a string or an integer");
        }
        return s;
    }

    uint32_t push_path(path p, uint32_t position) {
        uint32_t h = p.has_root ? 0 : height(p.base);
        for (const segment& s : p.segments)
            if (s.type == segment::kind::dynamic) h = std::max(h, height(s.expression));
        prog_.paths.push_back(std::move(p));
        node n{op::path, position, static_cast<uint32_t>(prog_.paths.size() - 1)};
        return push(n, h);
    }

    uint32_t root_path(std::string root, uint32_t position) {
        path p;
        p.root = std::move(root);
        read_segments(p);
        // The second step names the field the scope resolves (trigger.body, node.output).
        if (!p.segments.empty() && p.segments.front().type == segment::kind::key) {
            p.field = std::move(p.segments.front().key);
            p.field_static = true;
            p.segments.erase(p.segments.begin());
        }
        return push_path(std::move(p), position);
    }

    uint32_t primary() {
        const token& t = cur();
        uint32_t position = t.position;
        switch (t.kind) {
        case token_kind::integer: next(); return constant(t.integer, position);
        case token_kind::real: next(); return constant(t.real, position);
        case token_kind::string: next(); return constant(json::string(t.text), position);
        case token_kind::kw_true: next(); return constant(true, position);
        case token_kind::kw_false: next(); return constant(false, position);
        case token_kind::kw_null: next(); return constant(nullptr, position);
        case token_kind::lparen: {
            next();
            uint32_t e = ternary();
            expect(token_kind::rparen, "')'");
            return e;
        }
        case token_kind::lbracket: return array_literal();
        case token_kind::lbrace: return object_literal();
        case token_kind::identifier: {
            if (ahead(1).kind == token_kind::lparen) return call();
            std::string name = t.text;
            next();
            return root_path(std::move(name), position);
        }
        case token_kind::dollar: {
            next();
            expect(token_kind::lbracket, "'[' after '$'");
            if (cur().kind != token_kind::string)
                fail(cur().position, "expected a quoted name in $[...]");
            std::string name = cur().text;
            next();
            expect(token_kind::rbracket, "']'");
            return root_path(std::move(name), position);
        }
        default: fail(position, fmt::format("expected a value but found {}", describe(t)));
        }
    }

    // Items up to `close`, comma separated.
    std::vector<uint32_t> list(token_kind close, const char* what) {
        std::vector<uint32_t> items;
        if (cur().kind == close) {
            next();
            return items;
        }
        for (;;) {
            if (items.size() == limits::max_arguments)
                fail(cur().position, fmt::format("more than {} {}", limits::max_arguments, what));
            items.push_back(ternary());
            if (cur().kind == token_kind::comma) {
                next();
                continue;
            }
            expect(close, close == token_kind::rparen ? "',' or ')'" : "',' or ']'");
            return items;
        }
    }

    uint32_t list_node(op kind, uint32_t position, const std::vector<uint32_t>& items, uint32_t a = 0) {
        uint32_t h = 0;
        for (uint32_t i : items) h = std::max(h, height(i));
        node n{kind, position, a};
        n.list_begin = static_cast<uint32_t>(prog_.lists.size());
        n.list_size = static_cast<uint32_t>(items.size());
        prog_.lists.insert(prog_.lists.end(), items.begin(), items.end());
        return push(n, h);
    }

    uint32_t array_literal() {
        uint32_t position = cur().position;
        next();
        std::vector<uint32_t> items = list(token_kind::rbracket, "array items");
        if (std::all_of(items.begin(), items.end(), [&](uint32_t i) { return is_constant(i); })) {
            json::array a;
            a.reserve(items.size());
            for (uint32_t i : items) a.push_back(constant_of(i));
            return constant(std::move(a), position);
        }
        return list_node(op::make_array, position, items);
    }

    uint32_t object_literal() {
        uint32_t position = cur().position;
        next();
        std::vector<uint32_t> items; // key constant, value node
        bool all_constant = true;
        while (cur().kind != token_kind::rbrace) {
            if (items.size() / 2 == limits::max_arguments)
                fail(cur().position, fmt::format("more than {} object members", limits::max_arguments));
            const token& k = cur();
            if (k.kind != token_kind::string && (k.text.empty() || k.kind == token_kind::integer))
                fail(k.position, fmt::format("expected a member name but found {}", describe(k)));
            uint32_t key = constant(json::string(k.text), k.position);
            next();
            expect(token_kind::colon, "':'");
            uint32_t value = ternary();
            all_constant = all_constant && is_constant(value);
            items.push_back(key);
            items.push_back(value);
            if (cur().kind == token_kind::comma) {
                next();
                if (cur().kind == token_kind::rbrace) fail(cur().position, "expected a member name but found '}'");
                continue;
            }
            if (cur().kind != token_kind::rbrace)
                fail(cur().position, fmt::format("expected ',' or '}}' but found {}", describe(cur())));
        }
        next();
        if (all_constant) {
            json::object o;
            for (std::size_t i = 0; i < items.size(); i += 2)
                o[constant_of(items[i]).get_string()] = constant_of(items[i + 1]);
            return constant(std::move(o), position);
        }
        return list_node(op::make_object, position, items);
    }

    uint32_t call() {
        const token& name = cur();
        uint32_t position = name.position;
        auto index = find_function(name.text);
        if (!index) fail(position, fmt::format("unknown function '{}'", name.text));
        const function_entry& f = function_table()[*index];
        next();
        next(); // '('
        std::vector<uint32_t> args = list(token_kind::rparen, "arguments");
        check_arity(f, args.size(), position);
        return list_node(op::call, position, args, *index);
    }

    void check_arity(const function_entry& f, std::size_t n, uint32_t position) const {
        bool too_many = f.max_args != variadic && n > f.max_args;
        if (n >= f.min_args && !too_many) return;
        auto plural = [](std::size_t k) { return k == 1 ? "argument" : "arguments"; };
        std::string expected;
        if (f.max_args == variadic)
            expected = fmt::format("at least {} {}", f.min_args, plural(f.min_args));
        else if (f.min_args == f.max_args)
            expected = fmt::format("{} {}", f.min_args, plural(f.min_args));
        else
            expected = fmt::format("{} to {} arguments", f.min_args, f.max_args);
        fail(position, fmt::format("{}() takes {}, got {}", f.info.name, expected, n));
    }

    std::string_view text_;
    std::vector<token> tokens_;
    std::size_t index_ = 0;
    std::size_t depth_ = 0;
    program prog_;
    std::vector<uint16_t> heights_;
};

} // namespace

program parse_expression(std::string_view text) {
    if (text.size() > limits::max_expression_bytes)
        throw template_error(std::string(text.substr(0, 64)), 0,
                             fmt::format("the expression is longer than {} bytes", limits::max_expression_bytes));
    return parser(text).run();
}

} // namespace sr::core::mapping::detail
