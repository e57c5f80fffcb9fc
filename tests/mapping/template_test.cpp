// Templates: whole-value references, interpolation, escapes, references and compile errors.
#include <catch2/catch.hpp>

#include "mapping_test_support.hpp"
#include "sr/core/mapping/compiled_template.hpp"

using namespace sr::test;
using sr::core::mapping::compile_template;
using sr::core::mapping::reference;
using sr::core::mapping::template_error;
using sr::core::mapping::try_compile_template;

namespace {

template_error template_failure(const json::value& settings) {
    auto c = try_compile_template(settings);
    REQUIRE_FALSE(c.compiled);
    REQUIRE(c.errors.size() == 1);
    return c.errors.front();
}

} // namespace

TEST_CASE("a whole-value reference keeps a number a number") {
    json::value out = render(json::parse(R"({"amount": "{{trigger.body.amount}}"})"));
    REQUIRE(out.at("amount").is_int64());
    CHECK(out.at("amount").as_int64() == 100);
}

TEST_CASE("a whole-value reference keeps objects, arrays and booleans as they are") {
    json::value out = render(json::parse(R"({"post": "{{create_post.output}}", "tags": "{{trigger.body.tags}}",
                                             "flag": "{{trigger.body.flag}}", "none": "{{trigger.body.nope}}"})"));
    CHECK(out.at("post") == json::parse(R"({"id": 42, "title": "Hello"})"));
    CHECK(out.at("tags") == json::parse(R"(["x", "y", "z"])"));
    CHECK(out.at("flag") == json::value(true));
    CHECK(out.at("none").is_null());
}

TEST_CASE("whitespace inside the braces still makes a whole-value reference") {
    json::value out = render_text("{{   trigger.body.amount\n }}");
    REQUIRE(out.is_int64());
    CHECK(out.as_int64() == 100);
}

TEST_CASE("text around the braces makes interpolation, which gives a string") {
    CHECK(render_text(" {{trigger.body.amount}}") == json::value(" 100"));
    CHECK(render_text("Hi {{trigger.body.name}}!") == json::value("Hi Ada!"));
}

TEST_CASE("interpolation writes numbers in shortest round-trip form, integers without a fraction") {
    CHECK(render_text("{{0.1 + 0.2}}|{{2.5}}|{{4.0}}|{{1e21}}|{{7 / 2}}|{{-3}}") ==
          json::value("0.30000000000000004|2.5|4|1e+21|3.5|-3"));
}

TEST_CASE("interpolation writes true, false and null as words and containers as compact JSON") {
    CHECK(render_text(R"(x {{true}} {{false}} {{null}} {{trigger.body.tags}} {{ {"a": 1, "b": [1.5, "q\""]} }})") ==
          json::value(R"(x true false null ["x","y","z"] {"a":1,"b":[1.5,"q\""]})"));
}

TEST_CASE("several expressions in one string make interpolation even without other text") {
    CHECK(render_text("{{1}}{{2}}") == json::value("12"));
}

TEST_CASE("a backslash before {{ writes literal braces") {
    CHECK(render_text(R"(\{{not an expression}})") == json::value("{{not an expression}}"));
    CHECK(render_text(R"(\{{x}} = {{1 + 1}})") == json::value("{{x}} = 2"));
    CHECK(compile_template(json::string(R"(\{{x}})")).is_constant());
}

TEST_CASE("objects and arrays of a template are rendered recursively") {
    json::value out = render(json::parse(R"({"a": {"b": ["{{trigger.body.amount}}", "n={{1}}", 3]}, "c": "plain"})"));
    CHECK(out == json::parse(R"({"a": {"b": [100, "n=1", 3]}, "c": "plain"})"));
}

TEST_CASE("a template without expressions is constant and renders to a copy of itself") {
    json::value settings = json::parse(R"({"a": [1, "two", {"three": null}], "b": "no braces", "c": "one { brace }"})");
    auto compiled = compile_template(settings);
    CHECK(compiled.is_constant());
    CHECK(compiled.render(sample_scope()) == settings);
}

TEST_CASE("braces inside string literals and object literals do not end the expression") {
    CHECK(render_text("{{ '}}' }}") == json::value("}}"));
    CHECK(render_text(R"({{ {"a": {"b": 1}} }})") == json::parse(R"({"a": {"b": 1}})"));
    CHECK(render_text(R"({{ "a\"}}" }})") == json::value("a\"}}"));
}

TEST_CASE("references list every root and field with the expression and where it sits") {
    auto compiled = compile_template(json::parse(R"({
        "title": "{{create_post.output.title}}",
        "n": "x {{trigger.body.amount}} {{upper(trigger.headers['x-id'])}}",
        "list": ["{{ $[\"odd-id\"].output.v }}", "{{ items[0] }}", "{{ 1 + 2 }}"]
    })"));
    std::vector<reference> expected = {
        {"create_post", "output", "create_post.output.title", "title"},
        {"trigger", "body", "trigger.body.amount", "n"},
        {"trigger", "headers", "upper(trigger.headers['x-id'])", "n"},
        {"odd-id", "output", R"($["odd-id"].output.v)", "list[0]"},
        {"items", "", "items[0]", "list[1]"},
    };
    CHECK(compiled.references() == expected);
}

TEST_CASE("an expression that reads a root twice lists it once") {
    auto refs = compile_template(json::string("{{trigger.body.a + trigger.body.b}}")).references();
    REQUIRE(refs.size() == 1);
    CHECK(refs.front().root == "trigger");
    CHECK(refs.front().field == "body");
}

TEST_CASE("an unterminated {{ is reported with the expression and the position") {
    auto e = template_failure(json::string("Hello {{ trigger.body"));
    CHECK(e.expression() == "trigger.body");
    CHECK(e.position() == 12);
    CHECK(e.message() == "unterminated '{{': missing '}}'");
    CHECK(std::string(e.what()) == "{{trigger.body}}: unterminated '{{': missing '}}' at position 12");
}

TEST_CASE("an empty expression is an error") {
    auto e = template_failure(json::string("{{ }}"));
    CHECK(e.expression().empty());
    CHECK(e.position() == 0);
    CHECK(e.message() == "empty expression");
}

TEST_CASE("an incomplete expression names the position where a value is missing") {
    auto e = template_failure(json::string("{{ 1 + }}"));
    CHECK(e.expression() == "1 +");
    CHECK(e.position() == 3);
    CHECK(e.message() == "expected a value but found the end of the expression");
    CHECK(std::string(e.what()) == "{{1 +}}: expected a value but found the end of the expression at position 3");
}

TEST_CASE("an unknown function is a compile error at the function's name") {
    auto e = template_failure(json::string("{{ 1 + frobnicate(2) }}"));
    CHECK(e.position() == 4);
    CHECK(e.message() == "unknown function 'frobnicate'");
}

TEST_CASE("a call with the wrong number of arguments is a compile error") {
    CHECK(template_failure(json::string("{{ upper(1, 2) }}")).message() == "upper() takes 1 argument, got 2");
    CHECK(template_failure(json::string("{{ substring('a') }}")).message() == "substring() takes 2 to 3 arguments, got 1");
    CHECK(template_failure(json::string("{{ coalesce() }}")).message() == "coalesce() takes at least 1 argument, got 0");
    CHECK(template_failure(json::string("{{ now(1) }}")).message() == "now() takes 0 arguments, got 1");
}

TEST_CASE("an unterminated string literal is reported at its quote") {
    auto e = template_failure(json::string("{{ 1 + 'abc }}"));
    CHECK(e.position() == 4);
    CHECK(e.message() == "unterminated string literal");
}

TEST_CASE("an unexpected character is reported at its position") {
    auto e = template_failure(json::string("{{ a # b }}"));
    CHECK(e.position() == 2);
    CHECK(e.message() == "unexpected character '#'");
    CHECK(template_failure(json::string("{{ a = 1 }}")).message() == "'=' is not an operator (compare with '==')");
}

TEST_CASE("extra tokens after a complete expression are an error") {
    auto e = template_failure(json::string("{{ a b }}"));
    CHECK(e.position() == 2);
    CHECK(e.message() == "unexpected 'b'");
}

TEST_CASE("compiling a template reports every faulty expression at once, each with its path") {
    auto c = try_compile_template(json::parse(R"({"a": "{{1 +}}", "b": ["ok", "x {{ foo( }}"], "c": "{{fine}}"})"));
    REQUIRE_FALSE(c.compiled);
    REQUIRE(c.errors.size() == 2);
    CHECK(c.errors[0].path() == "a");
    CHECK(c.errors[1].path() == "b[1]");
    CHECK(std::string(c.errors[1].what()).find("(in b[1])") != std::string::npos);
    CHECK_THROWS_AS(compile_template(json::parse(R"({"a": "{{1 +}}"})")), template_error);
}

TEST_CASE("a runtime error names the expression and the reason") {
    auto compiled = compile_template(json::parse(R"({"x": "{{ trigger.body.name * 2 }}"})"));
    try {
        compiled.render(sample_scope());
        FAIL("rendered");
    } catch (const sr::core::engine::mapping_error& e) {
        CHECK(std::string(e.what()) == "{{trigger.body.name * 2}}: cannot multiply a string by a number");
    }
}
