#include "mapping_test_support.hpp"

#include <catch2/catch.hpp>

namespace sr::test {

using sr::core::mapping::compile_template;
using sr::core::mapping::compiled_expression;
using sr::core::mapping::template_error;

const json::value* map_scope::resolve(std::string_view root, std::string_view field) const {
    auto it = roots_.find(root);
    if (it == roots_.end()) return nullptr;
    if (field.empty()) return &it->second;
    return it->second.is_object() ? it->second.get_object().if_contains(field) : nullptr;
}

const map_scope& sample_scope() {
    static const map_scope scope = [] {
        map_scope s;
        s.set("trigger", json::parse(R"({"body": {
            "amount": 100, "name": "Ada", "price": "12.5", "zero": 0, "empty": "", "flag": true,
            "items": [{"sku": "a", "qty": 2}, {"sku": "b", "qty": 3}],
            "tags": ["x", "y", "z"],
            "nested": {"key with space": 7}
        }, "headers": {"x-id": "h1"}})"));
        s.set("create_post", json::parse(R"({"output": {"id": 42, "title": "Hello"}, "input": {"title": "Hello"}})"));
        s.set("odd-id", json::parse(R"({"output": {"v": 1}})"));
        return s;
    }();
    return scope;
}

json::value eval(std::string_view expression, const map_scope& scope) {
    return compiled_expression::compile(expression).evaluate(scope);
}

std::string eval_failure(std::string_view expression, const map_scope& scope) {
    auto compiled = compiled_expression::compile(expression);
    try {
        compiled.evaluate(scope);
    } catch (const sr::core::engine::mapping_error& e) {
        return e.what();
    }
    return {};
}

template_error compile_failure(std::string_view expression) {
    try {
        compiled_expression::compile(expression);
    } catch (const template_error& e) {
        return e;
    }
    FAIL("'" << std::string(expression.substr(0, 60)) << "' compiled, but should not");
    throw std::logic_error("unreachable");
}

json::value render(const json::value& settings, const map_scope& scope) {
    return compile_template(settings).render(scope);
}

json::value render_text(std::string_view text, const map_scope& scope) {
    return render(json::string(text), scope);
}

} // namespace sr::test
