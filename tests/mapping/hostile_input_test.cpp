// Hostile input: deep nesting, huge strings, runaway sizes, NaN and infinity. Each must end in
// a clean error naming what was refused, never a crash, a hang or an unbounded allocation.
#include <catch2/catch.hpp>

#include "mapping_test_support.hpp"
#include "sr/core/mapping/limits.hpp"

using namespace sr::test;
using sr::core::mapping::try_compile_template;

namespace {

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out.append(s);
    return out;
}

const std::string too_deep = "the expression nests too deeply (more than 64 levels)";

map_scope big_scope(std::size_t bytes) {
    map_scope s;
    s.set("big", json::object{{"s", json::string(std::string(bytes, 'a'))}});
    return s;
}

} // namespace

TEST_CASE("10,000 nested parentheses fail cleanly at compile time") {
    auto e = compile_failure(repeat("(", 10'000) + "1");
    CHECK(e.message() == too_deep);
    CHECK(e.position() <= 64);
}

TEST_CASE("10,000 nested brackets, braces, calls and unary operators fail cleanly") {
    CHECK(compile_failure(repeat("[", 10'000)).message() == too_deep);
    CHECK(compile_failure(repeat("{a:", 5'000)).message() == too_deep);
    CHECK(compile_failure(repeat("abs(", 3'000)).message() == too_deep);
    CHECK(compile_failure(repeat("-", 10'000) + "1").message() == too_deep);
    CHECK(compile_failure(repeat("!", 10'000) + "1").message() == too_deep);
    CHECK(compile_failure(repeat("a[", 5'000)).message() == too_deep);
    CHECK(compile_failure(repeat("1 ? 1 : ", 2'000) + "1").message() == too_deep);
}

TEST_CASE("a long chain of operators is bounded by the tree depth, not just the parser's") {
    CHECK(compile_failure("1" + repeat(" + 1", 3'000)).message() == too_deep);
}

TEST_CASE("nesting just under the limit still works") {
    CHECK(eval(repeat("(", 60) + "7" + repeat(")", 60)).as_int64() == 7);
    CHECK(eval("1" + repeat(" + 1", 60)).as_int64() == 61);
}

TEST_CASE("a template nested 10,000 levels deep inside braces is refused without recursion") {
    auto c = try_compile_template(json::string("{{" + repeat("[", 10'000) + "}}"));
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors.front().message() == too_deep);
}

TEST_CASE("a settings document nested deeper than the template limit is refused") {
    json::value v = "leaf";
    for (int i = 0; i < 200; ++i) v = json::array{v};
    auto c = try_compile_template(v);
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors.front().message() == "the template nests more than 128 levels deep");
}

TEST_CASE("an expression longer than 16 KiB is refused") {
    auto e = compile_failure("'" + std::string(20'000, 'a') + "'");
    CHECK(e.message() == "the expression is longer than 16384 bytes");
    auto c = try_compile_template(json::string("{{ '" + std::string(20'000, 'a') + "' }}"));
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors.front().message() == "the expression is longer than 16384 bytes");
}

TEST_CASE("an unterminated {{ at the start of a 20 MB string is refused quickly") {
    auto c = try_compile_template(json::string("{{" + std::string(20'000'000, 'x')));
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors.front().message() == "the expression is longer than 16384 bytes");
    CHECK(c.errors.front().expression().size() <= 64);
}

TEST_CASE("unterminated quotes, brackets and braces are clean errors") {
    CHECK(compile_failure("'abc").message() == "unterminated string literal");
    CHECK(compile_failure("[1, 2").message() == "expected ',' or ']' but found the end of the expression");
    CHECK(compile_failure("{'a': 1").message() == "expected ',' or '}' but found the end of the expression");
    CHECK(compile_failure("upper('a'").message() == "expected ',' or ')' but found the end of the expression");
    CHECK(try_compile_template(json::string("{{ {'a': 1 }}")).errors.size() == 1);
}

TEST_CASE("a 20 MB string given to upper fails with a size error") {
    auto scope = big_scope(20'000'000);
    CHECK(eval_failure("upper(big.s)", scope) == "{{upper(big.s)}}: upper(): the string would be longer than 1048576 bytes");
    CHECK(eval("length(big.s)", scope).as_int64() == 20'000'000); // reading it is fine
}

TEST_CASE("concatenation past 1 MiB fails, in expressions and in interpolation") {
    auto scope = big_scope(600'000);
    CHECK(eval_failure("big.s + big.s", scope) == "{{big.s + big.s}}: the string would be longer than 1048576 bytes");
    CHECK(eval_failure("big.s + [big.s]", scope) == "{{big.s + [big.s]}}: the text would be longer than 1048576 bytes");
    auto compiled = sr::core::mapping::compile_template(json::string("{{big.s}}{{big.s}}"));
    CHECK_THROWS_WITH(compiled.render(scope), Catch::Contains("longer than 1048576 bytes"));
}

TEST_CASE("replace, pad_start, join and json_stringify stop at the string limit") {
    auto scope = big_scope(600'000);
    CHECK_THAT(eval_failure("replace(big.s, 'a', 'bb')", scope), Catch::Contains("longer than 1048576 bytes"));
    CHECK_THAT(eval_failure("pad_start('x', 2000000)", scope), Catch::Contains("at most 1048576"));
    CHECK_THAT(eval_failure("join([big.s, big.s], '')", scope), Catch::Contains("longer than 1048576 bytes"));
    CHECK_THAT(eval_failure("json_stringify([big.s, big.s])", scope), Catch::Contains("longer than 1048576 bytes"));
}

TEST_CASE("range(10^9) is refused") {
    CHECK(eval_failure("range(1000000000)") == "{{range(1000000000)}}: range(): makes at most 10000 numbers");
    CHECK(eval_failure("range(-9223372036854775807, 9223372036854775807)") != "");
}

TEST_CASE("arrays past 100,000 elements are refused") {
    map_scope scope;
    scope.set("big", json::object{{"s", json::string(std::string(150'000, 'a'))}});
    CHECK_THAT(eval_failure("split(big.s, '')", scope), Catch::Contains("more than 100000 elements"));
}

TEST_CASE("copying large values over and over hits the work budget") {
    auto scope = big_scope(1'000'000);
    std::string many = "length([" + repeat("big.s, ", 40) + "1])";
    CHECK_THAT(eval_failure(many, scope), Catch::Contains("more than 32 MiB of data"));
}

TEST_CASE("a rendered template larger than 8 MiB is refused") {
    auto scope = big_scope(1'000'000);
    json::array settings;
    for (int i = 0; i < 9; ++i) settings.push_back(json::string("{{big.s}}"));
    auto compiled = sr::core::mapping::compile_template(settings);
    CHECK_THROWS_WITH(compiled.render(scope), "{{big.s}}: the rendered template would be larger than 8 MiB");
}

TEST_CASE("NaN and infinity never come out of an expression") {
    CHECK(eval_failure("1e308 * 10") == "{{1e308 * 10}}: the result is not a finite number");
    CHECK(compile_failure("1e999").message() == "number out of range");
    CHECK(eval_failure("to_number('NaN')") == "{{to_number('NaN')}}: to_number(): cannot convert 'NaN' to a number");
    CHECK(eval_failure("to_number('inf')") == "{{to_number('inf')}}: to_number(): cannot convert 'inf' to a number");
    CHECK(eval_failure("to_number('1e999')") == "{{to_number('1e999')}}: to_number(): cannot convert '1e999' to a number");
    map_scope scope;
    scope.set("x", json::object{{"nan", std::numeric_limits<double>::quiet_NaN()},
                                {"inf", std::numeric_limits<double>::infinity()}});
    CHECK(eval_failure("x.inf + 1", scope) == "{{x.inf + 1}}: the result is not a finite number");
    CHECK(eval("json_stringify(x)", scope) == json::value(R"({"nan":null,"inf":null})"));
    CHECK(eval("x.nan > 1", scope) == json::value(false));
}

TEST_CASE("data nested deeper than the value limit is refused when walked") {
    json::value v = 1;
    for (int i = 0; i < 300; ++i) v = json::array{v};
    map_scope scope;
    scope.set("deep", json::object{{"v", v}});
    CHECK(eval_failure("json_stringify(deep.v)", scope) == "{{json_stringify(deep.v)}}: a value nests more than 128 levels deep");
    CHECK(eval_failure("deep.v == deep.v", scope) == "{{deep.v == deep.v}}: a value nests more than 128 levels deep");
    CHECK_THAT(eval_failure("json_parse('" + repeat("[", 100) + repeat("]", 100) + "')"), Catch::Contains("invalid JSON"));
}

TEST_CASE("more than 64 arguments or literal items are refused") {
    CHECK(compile_failure("max(" + repeat("1, ", 64) + "1)").message() == "more than 64 arguments");
    CHECK(compile_failure("[" + repeat("1, ", 64) + "1]").message() == "more than 64 array items");
}

TEST_CASE("an unknown character, even a control byte, is a clean error") {
    CHECK(compile_failure(std::string("1 \x01 2")).message() == "unexpected character '\\x01'");
    CHECK(compile_failure("a ; b").message() == "unexpected character ';'");
}
