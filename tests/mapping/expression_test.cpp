// Expressions: literals, paths, operators, precedence, short-circuit and number semantics.
#include <catch2/catch.hpp>

#include "mapping_test_support.hpp"

using namespace sr::test;

TEST_CASE("literals evaluate to their JSON values") {
    CHECK(eval("42").as_int64() == 42);
    CHECK(eval("2.5").as_double() == 2.5);
    CHECK(eval("1e3").as_double() == 1000.0);
    CHECK(eval("'single'") == json::value("single"));
    CHECK(eval("\"double\"") == json::value("double"));
    CHECK(eval("true") == json::value(true));
    CHECK(eval("false") == json::value(false));
    CHECK(eval("null").is_null());
    CHECK(eval("[1, 'a', [true]]") == json::parse(R"([1, "a", [true]])"));
    CHECK(eval(R"({"a": 1, b: [2], 'c': {}})") == json::parse(R"({"a": 1, "b": [2], "c": {}})"));
    CHECK(eval("[]") == json::array());
}

TEST_CASE("string literals understand escapes") {
    CHECK(eval(R"('it\'s')") == json::value("it's"));
    CHECK(eval(R"("a\nb\t\\")") == json::value("a\nb\t\\"));
    CHECK(eval(R"("\u00e9")") == json::value("\xC3\xA9"));
    CHECK(eval(R"("\ud83d\ude00")") == json::value("\xF0\x9F\x98\x80"));
    CHECK(compile_failure(R"("\q")").message() == "unknown escape '\\q'");
    CHECK(compile_failure(R"("\ud83d")").message() == "unpaired surrogate in \\u escape");
}

TEST_CASE("array and object literals may hold expressions") {
    CHECK(eval("[trigger.body.amount, 1 + 1]") == json::parse("[100, 2]"));
    CHECK(eval("{total: trigger.body.amount * 2, 'name': trigger.body.name}") ==
          json::parse(R"({"total": 200, "name": "Ada"})"));
}

TEST_CASE("a path reads the root, then the field, then steps into the JSON") {
    CHECK(eval("trigger.body.items[1].sku") == json::value("b"));
    CHECK(eval("create_post.output.id").as_int64() == 42);
    CHECK(eval("trigger") == *sample_scope().resolve("trigger", ""));
}

TEST_CASE("bracket keys reach member names that are not identifiers") {
    CHECK(eval(R"(trigger.body.nested["key with space"])").as_int64() == 7);
    CHECK(eval("trigger['body']['name']") == json::value("Ada"));
}

TEST_CASE("a negative index counts from the end") {
    CHECK(eval("trigger.body.tags[-1]") == json::value("z"));
    CHECK(eval("trigger.body.tags[-3]") == json::value("x"));
    CHECK(eval("trigger.body.tags[-4]").is_null());
}

TEST_CASE("an index may be any expression") {
    CHECK(eval("trigger.body.tags[1 + 1]") == json::value("z"));
    CHECK(eval("trigger.body.items[0]['s' + 'ku']") == json::value("a"));
    CHECK(eval("trigger.body.tags[length(trigger.body.tags) - 1]") == json::value("z"));
    CHECK(eval("trigger[lower('BODY')].name") == json::value("Ada"));
    CHECK(eval_failure("trigger.body.tags[trigger.body.flag]") ==
          "{{trigger.body.tags[trigger.body.flag]}}: an index must be a string or an integer, got a boolean");
    CHECK(compile_failure("trigger.body.tags[true]").message() == "an index must be a string or an integer");
}

TEST_CASE("digits after a dot index arrays") {
    CHECK(eval("trigger.body.tags.0") == json::value("x"));
    CHECK(eval("trigger.body.items.1.qty").as_int64() == 3);
}

TEST_CASE("$[...] names a root that is not an identifier") {
    CHECK(eval(R"($["odd-id"].output.v)").as_int64() == 1);
}

TEST_CASE("a missing value evaluates to null, not an error") {
    CHECK(eval("trigger.body.nope").is_null());
    CHECK(eval("nobody.output.x").is_null());
    CHECK(eval("trigger.body.amount.deeper").is_null());
    CHECK(eval("trigger.body.tags[99]").is_null());
    CHECK(eval("create_post.nothing").is_null());
}

TEST_CASE("indexing null gives null") {
    CHECK(eval("trigger.body.nope.x[3].y").is_null());
    CHECK(eval("null[0]").is_null());
    CHECK(eval("trigger.body.tags[trigger.body.nope]").is_null());
}

TEST_CASE("steps apply to computed values too") {
    CHECK(eval("[10, 20, 30][1]").as_int64() == 20);
    CHECK(eval(R"(json_parse('{"a": [5]}').a[0])").as_int64() == 5);
    CHECK(eval("(trigger.body.items)[0].qty").as_int64() == 2);
    CHECK(eval("first(trigger.body.items).sku") == json::value("a"));
}

TEST_CASE("integer arithmetic stays integer") {
    json::value v = eval("2 + 3 * 4 - 1");
    REQUIRE(v.is_int64());
    CHECK(v.as_int64() == 13);
    CHECK(eval("trigger.body.amount - 1").is_int64());
}

TEST_CASE("integer overflow falls back to a double") {
    json::value sum = eval("9223372036854775807 + 1");
    REQUIRE(sum.is_double());
    CHECK(sum.as_double() == Approx(9.223372036854775808e18));
    CHECK(eval("9223372036854775807 * 2").is_double());
    CHECK(eval("-9223372036854775807 - 10").is_double());
    CHECK(eval("-(-9223372036854775807 - 1)").is_double());
    CHECK(eval("99999999999999999999").is_double()); // too big for int64 as written
}

TEST_CASE("exact integer division stays an integer and inexact division gives a double") {
    json::value exact = eval("6 / 3");
    REQUIRE(exact.is_int64());
    CHECK(exact.as_int64() == 2);
    json::value half = eval("7 / 2");
    REQUIRE(half.is_double());
    CHECK(half.as_double() == 3.5);
}

TEST_CASE("mixing an integer with a double gives a double") {
    json::value v = eval("trigger.body.amount * 1.5");
    REQUIRE(v.is_double());
    CHECK(v.as_double() == 150.0);
}

TEST_CASE("division and modulo by zero are errors") {
    CHECK(eval_failure("1 / 0") == "{{1 / 0}}: division by zero");
    CHECK(eval_failure("1.5 / 0.0") == "{{1.5 / 0.0}}: division by zero");
    CHECK(eval_failure("5 % 0") == "{{5 % 0}}: modulo by zero");
}

TEST_CASE("modulo keeps the sign of the dividend") {
    CHECK(eval("7 % 3").as_int64() == 1);
    CHECK(eval("-7 % 3").as_int64() == -1);
    CHECK(eval("7.5 % 2").as_double() == 1.5);
    CHECK(eval("(-9223372036854775807 - 1) % -1").as_int64() == 0);
}

TEST_CASE("plus concatenates when either side is a string, and joins arrays") {
    CHECK(eval("'a' + 1") == json::value("a1"));
    CHECK(eval("1.5 + 'a'") == json::value("1.5a"));
    CHECK(eval("'n=' + trigger.body.flag") == json::value("n=true"));
    CHECK(eval("'x' + [1, 2]") == json::value("x[1,2]"));
    CHECK(eval("[1] + [2, 3]") == json::parse("[1, 2, 3]"));
}

TEST_CASE("arithmetic on the wrong types names both types") {
    CHECK(eval_failure("trigger.body.name * 2") == "{{trigger.body.name * 2}}: cannot multiply a string by a number");
    CHECK(eval_failure("true + 1") == "{{true + 1}}: cannot add a boolean and a number");
    CHECK(eval_failure("trigger.body.nope - 1") == "{{trigger.body.nope - 1}}: cannot subtract a number from null");
    CHECK(eval_failure("{} / 2") == "{{{} / 2}}: cannot divide an object by a number");
    CHECK(eval_failure("-'a'") == "{{-'a'}}: cannot negate a string");
}

TEST_CASE("unary minus negates and not inverts truthiness") {
    CHECK(eval("-trigger.body.amount").as_int64() == -100);
    CHECK(eval("--5").as_int64() == 5);
    CHECK(eval("!true") == json::value(false));
    CHECK(eval("not trigger.body.zero") == json::value(true));
    CHECK(eval("!trigger.body.name") == json::value(false));
}

TEST_CASE("multiplication binds tighter than addition, and both associate to the left") {
    CHECK(eval("2 + 3 * 4").as_int64() == 14);
    CHECK(eval("(2 + 3) * 4").as_int64() == 20);
    CHECK(eval("10 - 4 - 3").as_int64() == 3);
    CHECK(eval("2 * 3 % 4").as_int64() == 2);
    CHECK(eval("-2 * 3").as_int64() == -6);
}

TEST_CASE("comparisons bind tighter than logical operators, arithmetic tighter than comparisons") {
    CHECK(eval("1 < 2 && 3 > 4") == json::value(false));
    CHECK(eval("1 + 1 == 2") == json::value(true));
    CHECK(eval("1 < 2 == true") == json::value(true));
    CHECK(eval("false || true && false") == json::value(false));
}

TEST_CASE("the ternary has the lowest precedence and nests to the right") {
    CHECK(eval("false ? 1 : true ? 2 : 3").as_int64() == 2);
    CHECK(eval("1 > 2 ? 'a' : 'b' + 'c'") == json::value("bc"));
    CHECK(eval("null ?? false ? 'yes' : 'no'") == json::value("no"));
}

TEST_CASE("equality is deep and compares numbers by value") {
    CHECK(eval(R"({"a": [1, 2]} == {"a": [1, 2]})") == json::value(true));
    CHECK(eval(R"({"a": 1, "b": 2} == {"b": 2, "a": 1})") == json::value(true));
    CHECK(eval("1 == 1.0") == json::value(true));
    CHECK(eval("'1' == 1") == json::value(false));
    CHECK(eval("[1, 2] != [2, 1]") == json::value(true));
    CHECK(eval("trigger.body.nope == null") == json::value(true));
}

TEST_CASE("orderings compare numbers with numbers and strings with strings") {
    CHECK(eval("'abc' < 'abd'") == json::value(true));
    CHECK(eval("2 >= 2.0") == json::value(true));
    CHECK(eval("3 <= 2") == json::value(false));
    CHECK(eval("trigger.body.amount * 1.2 > 100") == json::value(true));
    CHECK(eval_failure("'a' < 1") == "{{'a' < 1}}: cannot compare a string with a number");
    CHECK(eval_failure("trigger.body.nope > 1") == "{{trigger.body.nope > 1}}: cannot compare null with a number");
}

TEST_CASE("null, false, 0, empty string, empty array and empty object are false and the rest is true") {
    for (const char* falsy : {"null", "false", "0", "0.0", "''", "[]", "{}"})
        CHECK(eval(std::string("!") + falsy) == json::value(true));
    for (const char* truthy : {"true", "1", "-0.5", "'0'", "[0]", "{a: null}"})
        CHECK(eval(std::string("!") + truthy) == json::value(false));
}

TEST_CASE("and and or give booleans and skip their right side when the left decides") {
    CHECK(eval("false && 1 / 0") == json::value(false));
    CHECK(eval("true || 1 / 0") == json::value(true));
    CHECK(eval("'x' and 1") == json::value(true));
    CHECK(eval("0 or ''") == json::value(false));
    CHECK(eval_failure("true && 1 / 0") == "{{true && 1 / 0}}: division by zero");
}

TEST_CASE("the ternary evaluates only the branch it takes") {
    CHECK(eval("true ? 1 : 1 / 0").as_int64() == 1);
    CHECK(eval("false ? 1 / 0 : 'b'") == json::value("b"));
}

TEST_CASE("null coalescing takes the right side only for null") {
    CHECK(eval("trigger.body.nope ?? 'fallback'") == json::value("fallback"));
    CHECK(eval("trigger.body.zero ?? 5").as_int64() == 0);
    CHECK(eval("trigger.body.empty ?? 'x'") == json::value(""));
    CHECK(eval("1 ?? 1 / 0").as_int64() == 1);
    CHECK(eval("null ?? null ?? 3").as_int64() == 3);
}

TEST_CASE("B1's transform and router condition evaluate as written") {
    json::value total = eval("trigger.body.amount * 1.2");
    REQUIRE(total.is_double());
    CHECK(total.as_double() == Approx(120.0));
    map_scope scope;
    scope.set("transform", json::parse(R"({"output": {"total": 96.0}})"));
    CHECK(eval("transform.output.total > 100", scope) == json::value(false));
}

TEST_CASE("keywords may be used as member names after a dot") {
    map_scope scope;
    scope.set("r", json::parse(R"({"f": {"null": 1, "not": 2, "true": 3}})"));
    CHECK(eval("r.f.null + r.f.not + r.f.true", scope).as_int64() == 6);
}

TEST_CASE("an expression compiles once and evaluates against many scopes") {
    auto compiled = sr::core::mapping::compiled_expression::compile("a.v * 2");
    map_scope one, two;
    one.set("a", json::parse(R"({"v": 1})"));
    two.set("a", json::parse(R"({"v": 21})"));
    CHECK(compiled.evaluate(one).as_int64() == 2);
    CHECK(compiled.evaluate(two).as_int64() == 42);
    CHECK(compiled.text() == "a.v * 2");
}
