// Every built-in function (dates are in date_functions_test.cpp), each with an error it gives.
#include <algorithm>

#include <catch2/catch.hpp>

#include "mapping_test_support.hpp"
#include "sr/core/mapping/function_catalog.hpp"

using namespace sr::test;

namespace {
json::value j(const char* text) { return json::parse(text); }
} // namespace

TEST_CASE("default gives the fallback for null or an empty string, and evaluates it only then") {
    CHECK(eval("default(trigger.body.nope, 'x')") == json::value("x"));
    CHECK(eval("default(trigger.body.empty, 'x')") == json::value("x"));
    CHECK(eval("default(trigger.body.zero, 'x')").as_int64() == 0);
    CHECK(eval("default(1, 1 / 0)").as_int64() == 1);
}

TEST_CASE("coalesce gives the first argument that is not null") {
    CHECK(eval("coalesce(null, trigger.body.nope, 0, 5)").as_int64() == 0);
    CHECK(eval("coalesce(null, null)").is_null());
    CHECK(eval("coalesce('a', 1 / 0)") == json::value("a"));
}

TEST_CASE("if picks a branch by truthiness and skips the other") {
    CHECK(eval("if(trigger.body.amount > 50, 'high', 'low')") == json::value("high"));
    CHECK(eval("if(0, 1 / 0, 'b')") == json::value("b"));
    CHECK(eval("if(false, 1)").is_null());
}

TEST_CASE("type_of names each JSON type") {
    CHECK(eval("[type_of(null), type_of(true), type_of(1.5), type_of(''), type_of([]), type_of({})]") ==
          j(R"(["null", "boolean", "number", "string", "array", "object"])"));
}

TEST_CASE("is_null is true for null and missing values") {
    CHECK(eval("is_null(trigger.body.nope)") == json::value(true));
    CHECK(eval("is_null(trigger.body.zero)") == json::value(false));
}

TEST_CASE("to_string writes values as interpolation does") {
    CHECK(eval("to_string(2.50)") == json::value("2.5"));
    CHECK(eval("to_string(trigger.body.tags)") == json::value(R"(["x","y","z"])"));
    CHECK(eval("to_string(null)") == json::value("null"));
    CHECK(eval("to_string('as is')") == json::value("as is"));
}

TEST_CASE("to_number reads numeric text and rejects other text") {
    CHECK(eval("to_number(trigger.body.price)").as_double() == 12.5);
    CHECK(eval("to_number(' 42 ')").as_int64() == 42);
    CHECK(eval("to_number(true)").as_int64() == 1);
    CHECK(eval("to_number(7)").as_int64() == 7);
    CHECK(eval_failure("to_number('12abc')") == "{{to_number('12abc')}}: to_number(): cannot convert '12abc' to a number");
    CHECK(eval_failure("to_number([])") ==
          "{{to_number([])}}: to_number() expects a string, a number or a boolean, got an array");
}

TEST_CASE("to_bool uses truthiness, except that false, 0, no and off in text are false") {
    CHECK(eval("[to_bool('false'), to_bool('OFF'), to_bool(' 0 '), to_bool('no'), to_bool('')]") ==
          j("[false, false, false, false, false]"));
    CHECK(eval("[to_bool('yes'), to_bool(1), to_bool([0]), to_bool(null)]") == j("[true, true, true, false]"));
}

TEST_CASE("json_parse reads JSON text and rejects invalid text") {
    CHECK(eval(R"(json_parse('{"a": [1, 2.5, null]}'))") == j(R"({"a": [1, 2.5, null]})"));
    CHECK(eval_failure("json_parse('{nope')").rfind("{{json_parse('{nope')}}: json_parse(): invalid JSON", 0) == 0);
    CHECK(eval_failure("json_parse(1)") == "{{json_parse(1)}}: json_parse() expects a string, got a number");
}

TEST_CASE("json_stringify writes compact JSON with escapes") {
    CHECK(eval(R"(json_stringify({"a": [1, 2.5], "s": "q\"\n"}))") == json::value(R"({"a":[1,2.5],"s":"q\"\n"})"));
    CHECK(eval("json_stringify('x')") == json::value(R"("x")"));
}

TEST_CASE("upper and lower change ASCII letters only and need a string") {
    CHECK(eval("upper('héllo')") == json::value("HéLLO"));
    CHECK(eval("lower('ABC-1')") == json::value("abc-1"));
    CHECK(eval_failure("upper(1)") == "{{upper(1)}}: upper() expects a string, got a number");
    CHECK(eval_failure("lower(null)") == "{{lower(null)}}: lower() expects a string, got null");
}

TEST_CASE("trim removes white space at both ends") {
    CHECK(eval("trim('  a b \\n\\t')") == json::value("a b"));
    CHECK(eval_failure("trim([])") == "{{trim([])}}: trim() expects a string, got an array");
}

TEST_CASE("length counts characters, items and members, and 0 for null") {
    CHECK(eval("length('né')").as_int64() == 2);
    CHECK(eval("length(trigger.body.tags)").as_int64() == 3);
    CHECK(eval("length({a: 1})").as_int64() == 1);
    CHECK(eval("length(trigger.body.nope)").as_int64() == 0);
    CHECK(eval_failure("length(5)") == "{{length(5)}}: length() expects a string, an array or an object, got a number");
}

TEST_CASE("substring counts characters, from the end when start is negative") {
    CHECK(eval("substring('héllo', 1, 3)") == json::value("éll"));
    CHECK(eval("substring('hello', -3)") == json::value("llo"));
    CHECK(eval("substring('hello', 10)") == json::value(""));
    CHECK(eval("substring('hello', 2, 100)") == json::value("llo"));
    CHECK(eval_failure("substring('hello', 1, -1)") == "{{substring('hello', 1, -1)}}: substring(): the length must not be negative");
    CHECK(eval_failure("substring('hello', 'a')") ==
          "{{substring('hello', 'a')}}: substring() expects an integer as argument 2, got a string");
}

TEST_CASE("replace replaces every occurrence") {
    CHECK(eval("replace('a-b-c', '-', '+')") == json::value("a+b+c"));
    CHECK(eval_failure("replace('abc', '', 'x')") == "{{replace('abc', '', 'x')}}: replace(): the text to replace must not be empty");
}

TEST_CASE("split cuts at each separator, or into characters for an empty one") {
    CHECK(eval("split('a,b,,c', ',')") == j(R"(["a", "b", "", "c"])"));
    CHECK(eval("split('né', '')") == j(R"(["n", "é"])"));
    CHECK(eval_failure("split('a', 1)") == "{{split('a', 1)}}: split() expects a string as argument 2, got a number");
}

TEST_CASE("join writes items as text between separators") {
    CHECK(eval("join(['a', 1, true, null], '-')") == json::value("a-1-true-null"));
    CHECK(eval("join(trigger.body.tags)") == json::value("x,y,z"));
    CHECK(eval_failure("join('abc', '-')") == "{{join('abc', '-')}}: join() expects an array as argument 1, got a string");
}

TEST_CASE("contains looks for text in a string or an equal item in an array") {
    CHECK(eval("contains('order-123', 123)") == json::value(true));
    CHECK(eval("contains(trigger.body.items, {'sku': 'b', 'qty': 3})") == json::value(true));
    CHECK(eval("contains(trigger.body.tags, 'q')") == json::value(false));
    CHECK(eval_failure("contains(5, 5)") == "{{contains(5, 5)}}: contains() expects a string or an array as argument 1, got a number");
}

TEST_CASE("starts_with and ends_with test prefixes and suffixes") {
    CHECK(eval("starts_with('invoice-7', 'invoice')") == json::value(true));
    CHECK(eval("ends_with('invoice-7', '8')") == json::value(false));
    CHECK(eval_failure("starts_with(1, 'a')") == "{{starts_with(1, 'a')}}: starts_with() expects a string as argument 1, got a number");
    CHECK(eval_failure("ends_with('a', null)") == "{{ends_with('a', null)}}: ends_with() expects a string as argument 2, got null");
}

TEST_CASE("pad_start pads on the left to a width in characters") {
    CHECK(eval("pad_start('7', 3, '0')") == json::value("007"));
    CHECK(eval("pad_start('é', 3)") == json::value("  é"));
    CHECK(eval("pad_start('long', 2)") == json::value("long"));
    CHECK(eval("pad_start('1', 4, 'ab')") == json::value("aba1"));
    CHECK(eval_failure("pad_start('1', 3, '')") == "{{pad_start('1', 3, '')}}: pad_start(): the padding must not be empty");
}

TEST_CASE("slugify keeps lower-case letters and digits joined by dashes") {
    CHECK(eval("slugify('  Héllo, Wörld! 2024 ')") == json::value("hello-world-2024"));
    CHECK(eval("slugify('Straße & Æsir')") == json::value("strasse-aesir"));
    CHECK(eval_failure("slugify(1)") == "{{slugify(1)}}: slugify() expects a string, got a number");
}

TEST_CASE("round rounds half away from zero to the given digits") {
    CHECK(eval("round(2.5)").as_int64() == 3);
    CHECK(eval("round(-2.5)").as_int64() == -3);
    CHECK(eval("round(3.14159, 2)").as_double() == Approx(3.14));
    CHECK(eval("round(1234, -2)").as_int64() == 1200);
    CHECK(eval("round(7)").as_int64() == 7);
    CHECK(eval_failure("round(1.5, 20)") == "{{round(1.5, 20)}}: round(): digits must be from -15 to 15");
    CHECK(eval_failure("round('1')") == "{{round('1')}}: round() expects a number, got a string");
}

TEST_CASE("floor and ceil give integers") {
    CHECK(eval("floor(2.7)").as_int64() == 2);
    CHECK(eval("floor(-2.1)").as_int64() == -3);
    CHECK(eval("ceil(2.1)").as_int64() == 3);
    CHECK(eval("ceil(5)").as_int64() == 5);
    CHECK(eval_failure("floor(null)") == "{{floor(null)}}: floor() expects a number, got null");
    CHECK(eval_failure("ceil('x')") == "{{ceil('x')}}: ceil() expects a number, got a string");
}

TEST_CASE("abs gives the absolute value") {
    CHECK(eval("abs(-3)").as_int64() == 3);
    CHECK(eval("abs(-2.5)").as_double() == 2.5);
    CHECK(eval_failure("abs('x')") == "{{abs('x')}}: abs() expects a number, got a string");
}

TEST_CASE("min and max take numbers or one array of numbers") {
    CHECK(eval("min(3, 1.5, 2)").as_double() == 1.5);
    CHECK(eval("max([3, 10, 2])").as_int64() == 10);
    CHECK(eval("max([])").is_null());
    CHECK(eval_failure("min(1, 'a')") == "{{min(1, 'a')}}: min() expects a number as argument 2, got a string");
    CHECK(eval_failure("max([1, 'a'])") == "{{max([1, 'a'])}}: max(): expects numbers, found a string");
}

TEST_CASE("sum adds an array of numbers, integers staying integers") {
    CHECK(eval("sum(pluck(trigger.body.items, 'qty'))").as_int64() == 5);
    CHECK(eval("sum([])").as_int64() == 0);
    CHECK(eval("sum([1, 0.5])").as_double() == 1.5);
    CHECK(eval_failure("sum(['a'])") == "{{sum(['a'])}}: sum(): expects numbers, found a string");
}

TEST_CASE("avg gives the mean, or null for an empty array") {
    CHECK(eval("avg([1, 2, 3, 4])").as_double() == 2.5);
    CHECK(eval("avg([2, 4])").as_int64() == 3);
    CHECK(eval("avg([])").is_null());
    CHECK(eval_failure("avg(1)") == "{{avg(1)}}: avg() expects an array, got a number");
}

TEST_CASE("first and last give the end items, or null for an empty array") {
    CHECK(eval("first(trigger.body.tags)") == json::value("x"));
    CHECK(eval("last(trigger.body.tags)") == json::value("z"));
    CHECK(eval("first([])").is_null());
    CHECK(eval("last(split('a b', ' '))") == json::value("b"));
    CHECK(eval_failure("first('abc')") == "{{first('abc')}}: first() expects an array, got a string");
    CHECK(eval_failure("last({})") == "{{last({})}}: last() expects an array, got an object");
}

TEST_CASE("at indexes an array, from the end when negative") {
    CHECK(eval("at(trigger.body.tags, -2)") == json::value("y"));
    CHECK(eval("at(trigger.body.tags, 5)").is_null());
    CHECK(eval_failure("at(trigger.body.tags, 'a')") ==
          "{{at(trigger.body.tags, 'a')}}: at() expects an integer as argument 2, got a string");
}

TEST_CASE("slice takes a range of items or characters, JavaScript style") {
    CHECK(eval("slice([1, 2, 3, 4], 1, 3)") == j("[2, 3]"));
    CHECK(eval("slice([1, 2, 3, 4], -2)") == j("[3, 4]"));
    CHECK(eval("slice('héllo', 1, -1)") == json::value("éll"));
    CHECK(eval("slice([1, 2], 5)") == json::array());
    CHECK(eval_failure("slice(1, 0)") == "{{slice(1, 0)}}: slice() expects an array or a string as argument 1, got a number");
}

TEST_CASE("pluck takes a field from each item, null where it is missing") {
    CHECK(eval("pluck(trigger.body.items, 'sku')") == j(R"(["a", "b"])"));
    CHECK(eval("pluck([{'a': {'b': 1}}, 2], 'a.b')") == j("[1, null]"));
    CHECK(eval_failure("pluck(trigger.body.items, 1)") ==
          "{{pluck(trigger.body.items, 1)}}: pluck() expects a string as argument 2, got a number");
}

TEST_CASE("includes is contains under another name") {
    CHECK(eval("includes(trigger.body.tags, 'y')") == json::value(true));
    CHECK(eval("includes('abc', 'bc')") == json::value(true));
    CHECK(eval_failure("includes(null, 1)") == "{{includes(null, 1)}}: includes() expects a string or an array as argument 1, got null");
}

TEST_CASE("flatten splices nested arrays one level deep") {
    CHECK(eval("flatten([1, [2, [3]], [], 4])") == j("[1, 2, [3], 4]"));
    CHECK(eval_failure("flatten({})") == "{{flatten({})}}: flatten() expects an array, got an object");
}

TEST_CASE("unique drops repeated items, keeping the first, with deep equality") {
    CHECK(eval("unique([1, 2, 1, 1.0, 'a', 'a', {'k': 1}, {'k': 1}])") == j(R"([1, 2, "a", {"k": 1}])"));
    CHECK(eval_failure("unique('aab')") == "{{unique('aab')}}: unique() expects an array, got a string");
}

TEST_CASE("sort orders numbers or strings ascending and refuses a mix") {
    CHECK(eval("sort([3, 1.5, 2])") == j("[1.5, 2, 3]"));
    CHECK(eval("sort(['b', 'a', 'C'])") == j(R"(["C", "a", "b"])"));
    CHECK(eval_failure("sort([1, 'a'])") == "{{sort([1, 'a'])}}: sort(): expects an array of only numbers or only strings");
}

TEST_CASE("reverse reverses arrays and strings") {
    CHECK(eval("reverse([1, 2, 3])") == j("[3, 2, 1]"));
    CHECK(eval("reverse('né!')") == json::value("!én"));
    CHECK(eval_failure("reverse(1)") == "{{reverse(1)}}: reverse() expects an array or a string, got a number");
}

TEST_CASE("range makes a bounded run of integers") {
    CHECK(eval("range(3)") == j("[0, 1, 2]"));
    CHECK(eval("range(2, 5)") == j("[2, 3, 4]"));
    CHECK(eval("range(-1)") == json::array());
    CHECK(eval("length(range(10000))").as_int64() == 10000);
    CHECK(eval_failure("range(10001)") == "{{range(10001)}}: range(): makes at most 10000 numbers");
}

TEST_CASE("keys and values list an object's members in order") {
    CHECK(eval("keys({'b': 1, 'a': 2})") == j(R"(["b", "a"])"));
    CHECK(eval("values({'b': 1, 'a': [2]})") == j("[1, [2]]"));
    CHECK(eval_failure("keys([])") == "{{keys([])}}: keys() expects an object, got an array");
    CHECK(eval_failure("values('x')") == "{{values('x')}}: values() expects an object, got a string");
}

TEST_CASE("get follows a dotted path, with a fallback when it leads nowhere") {
    CHECK(eval("get(trigger.body, 'items.1.sku')") == json::value("b"));
    CHECK(eval("get(trigger.body, 'items.9.sku')").is_null());
    CHECK(eval("get(trigger.body, 'nope', 'd')") == json::value("d"));
    CHECK(eval_failure("get(trigger.body, 3)") == "{{get(trigger.body, 3)}}: get() expects a string as argument 2, got a number");
}

TEST_CASE("merge combines objects, later ones winning, skipping null") {
    CHECK(eval("merge({'a': 1, 'b': 1}, null, {'b': 2})") == j(R"({"a": 1, "b": 2})"));
    CHECK(eval_failure("merge({}, [1])") == "{{merge({}, [1])}}: merge() expects an object as argument 2, got an array");
}

TEST_CASE("the function catalog documents every function once") {
    auto functions = sr::core::mapping::builtin_functions();
    CHECK(functions.size() == 52);
    std::vector<std::string_view> names;
    for (const auto& f : functions) {
        CHECK_FALSE(f.signature.empty());
        CHECK_FALSE(f.summary.empty());
        names.push_back(f.name);
    }
    std::sort(names.begin(), names.end());
    CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
}
