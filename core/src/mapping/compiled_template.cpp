#include "sr/core/mapping/compiled_template.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "detail/eval_context.hpp"
#include "detail/eval_error.hpp"
#include "detail/evaluator.hpp"
#include "detail/expression_text.hpp"
#include "detail/template_data.hpp"
#include "detail/template_scanner.hpp"
#include "detail/value_ops.hpp"
#include "sr/core/mapping/limits.hpp"

namespace sr::core::mapping {
namespace {

namespace json = boost::json;
using detail::template_data;
using detail::template_part;
using detail::template_slot;

class template_compiler {
public:
    // The compiled data, or nullptr with the errors.
    std::shared_ptr<const template_data> run(const json::value& settings, std::vector<template_error>& errors) {
        auto data = std::make_shared<template_data>();
        data_ = data.get();
        std::vector<uint32_t> steps;
        data->base = walk(settings, steps, "", 0);
        errors = std::move(errors_);
        if (!errors.empty()) return nullptr;
        data->base_bytes = detail::measure(data->base, limits::max_output_bytes + 1);
        return data;
    }

private:
    json::value walk(const json::value& v, std::vector<uint32_t>& steps, const std::string& path, std::size_t depth) {
        if (depth > limits::max_template_depth) {
            errors_.emplace_back("", 0, fmt::format("the template nests more than {} levels deep", limits::max_template_depth),
                                 path);
            return nullptr;
        }
        switch (v.kind()) {
        case json::kind::string: return string(v.get_string(), steps, path);
        case json::kind::array: {
            const json::array& a = v.get_array();
            json::array out;
            out.reserve(a.size());
            for (std::size_t i = 0; i < a.size(); ++i) {
                steps.push_back(static_cast<uint32_t>(i));
                out.push_back(walk(a[i], steps, fmt::format("{}[{}]", path, i), depth + 1));
                steps.pop_back();
            }
            return out;
        }
        case json::kind::object: {
            const json::object& o = v.get_object();
            json::object out;
            out.reserve(o.size());
            uint32_t index = 0;
            for (const auto& m : o) {
                steps.push_back(index++);
                std::string child = path.empty() ? std::string(m.key()) : fmt::format("{}.{}", path, std::string_view(m.key()));
                out.emplace(m.key(), walk(m.value(), steps, child, depth + 1));
                steps.pop_back();
            }
            return out;
        }
        default: return v;
        }
    }

    json::value string(const json::string& s, const std::vector<uint32_t>& steps, const std::string& path) {
        if (!detail::may_hold_template(s)) return s;
        detail::scanned_string scanned;
        try {
            scanned = detail::scan_template_string(s);
        } catch (const template_error& e) {
            errors_.emplace_back(e.expression(), e.position(), e.message(), path);
            return nullptr;
        }
        if (!scanned.has_expression) return json::string(scanned.pieces.empty() ? "" : scanned.pieces.front().text);
        template_slot slot{steps, scanned.whole, {}, path};
        for (auto& piece : scanned.pieces) {
            if (!piece.is_expression) {
                slot.parts.push_back({std::move(piece.text), -1});
                continue;
            }
            try {
                data_->expressions.push_back(compiled_expression::compile(piece.text));
            } catch (const template_error& e) {
                errors_.emplace_back(e.expression(), e.position(), e.message(), path);
                continue;
            }
            slot.parts.push_back({{}, static_cast<int32_t>(data_->expressions.size() - 1)});
        }
        data_->slots.push_back(std::move(slot));
        return nullptr; // the slot's place
    }

    template_data* data_ = nullptr;
    std::vector<template_error> errors_;
};

json::value* locate(json::value& root, const std::vector<uint32_t>& steps) {
    json::value* v = &root;
    for (uint32_t step : steps)
        v = v->is_object() ? &(v->get_object().begin() + step)->value() : &v->get_array()[step];
    return v;
}

[[noreturn]] void rethrow(const compiled_expression& e, const detail::eval_error& error) {
    throw engine::mapping_error(detail::runtime_message(e.text(), error.what()));
}

json::value render_slot(const template_data& d, const template_slot& slot, detail::eval_context& ctx) {
    if (slot.whole) {
        const compiled_expression& e = d.expressions[static_cast<std::size_t>(slot.parts.front().expression)];
        try {
            return detail::run(e.program(), ctx);
        } catch (const detail::eval_error& error) {
            rethrow(e, error);
        }
    }
    std::string out;
    for (const template_part& part : slot.parts) {
        if (part.expression < 0) {
            if (out.size() + part.text.size() > limits::max_string_bytes)
                throw engine::mapping_error(fmt::format("{}: the text would be longer than {} bytes", slot.path,
                                                        limits::max_string_bytes));
            out.append(part.text);
            continue;
        }
        const compiled_expression& e = d.expressions[static_cast<std::size_t>(part.expression)];
        try {
            detail::operand v = detail::evaluate(e.program(), e.program().root, ctx);
            detail::append_text(out, v.get(), limits::max_string_bytes);
        } catch (const detail::eval_error& error) {
            rethrow(e, error);
        }
    }
    try {
        return ctx.string_value(out);
    } catch (const detail::eval_error& error) {
        throw engine::mapping_error(fmt::format("{}: {}", slot.path, error.what()));
    }
}

const compiled_expression& first_expression(const template_data& d, const template_slot& slot) {
    for (const template_part& part : slot.parts)
        if (part.expression >= 0) return d.expressions[static_cast<std::size_t>(part.expression)];
    return d.expressions.front(); // a slot always holds an expression once compiled
}

} // namespace

compiled_template::compiled_template() = default;

boost::json::value compiled_template::render(const engine::data_scope& scope) const {
    if (!data_) return nullptr;
    const template_data& d = *data_;
    json::value out = d.base;
    if (d.slots.empty()) return out;
    detail::eval_context ctx(scope);
    std::size_t size = d.base_bytes;
    for (const template_slot& slot : d.slots) {
        json::value* target = locate(out, slot.steps);
        *target = render_slot(d, slot, ctx);
        size += detail::measure(*target, limits::max_output_bytes + 1);
        if (size > limits::max_output_bytes) {
            const std::string& text = first_expression(d, slot).text();
            throw engine::mapping_error(detail::runtime_message(
                text, fmt::format("the rendered template would be larger than {} MiB", limits::max_output_bytes >> 20)));
        }
    }
    return out;
}

std::vector<reference> compiled_template::references() const {
    std::vector<reference> out;
    if (!data_) return out;
    for (const template_slot& slot : data_->slots)
        for (const template_part& part : slot.parts) {
            if (part.expression < 0) continue;
            for (reference r : data_->expressions[static_cast<std::size_t>(part.expression)].references()) {
                r.path = slot.path;
                out.push_back(std::move(r));
            }
        }
    return out;
}

bool compiled_template::is_constant() const { return !data_ || data_->slots.empty(); }

template_compilation try_compile_template(const boost::json::value& settings) {
    template_compilation out;
    if (auto data = template_compiler().run(settings, out.errors)) out.compiled = compiled_template(std::move(data));
    return out;
}

compiled_template compile_template(const boost::json::value& settings) {
    template_compilation c = try_compile_template(settings);
    if (!c.errors.empty()) throw c.errors.front();
    return std::move(*c.compiled);
}

} // namespace sr::core::mapping
