#pragma once
// Helpers for the mapping tests: a data scope over a map of root -> JSON, and one-line ways to
// evaluate an expression, render a template or capture the error either gives.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "sr/core/engine/run_machine.hpp"
#include "sr/core/mapping/compiled_expression.hpp"
#include "sr/core/mapping/compiled_template.hpp"
#include "sr/core/mapping/template_error.hpp"

namespace sr::test {

namespace json = boost::json;

// resolve(root, "") is the root's value; resolve(root, field) its member `field`, as the run
// machine resolves "trigger".
class map_scope final : public sr::core::engine::data_scope {
public:
    map_scope() = default;
    map_scope& set(std::string root, json::value v) {
        roots_[std::move(root)] = std::move(v);
        return *this;
    }
    const json::value* resolve(std::string_view root, std::string_view field) const override;
    int64_t now_ms() const override { return now_; }

    int64_t now_ = 1'700'000'000'000; // 2023-11-14T22:13:20Z

private:
    std::map<std::string, json::value, std::less<>> roots_;
};

// trigger.body = {amount: 100, name: "Ada", price: "12.5", items: [...], tags: ["x","y","z"], ...},
// create_post = {output: {id: 42, title: "Hello"}, input: {title: "Hello"}}, "odd-id" = {output: {v: 1}}.
const map_scope& sample_scope();

json::value eval(std::string_view expression, const map_scope& scope = sample_scope());
// The what() of the mapping_error the evaluation throws; "" when it does not throw.
std::string eval_failure(std::string_view expression, const map_scope& scope = sample_scope());
// The template_error compiling the expression throws; fails the test when it does not.
sr::core::mapping::template_error compile_failure(std::string_view expression);

json::value render(const json::value& settings, const map_scope& scope = sample_scope());
json::value render_text(std::string_view text, const map_scope& scope = sample_scope()); // a one-string template

} // namespace sr::test
