#include "evaluator.hpp"

#include <charconv>
#include <cmath>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "call_args.hpp"
#include "eval_error.hpp"
#include "function_table.hpp"
#include "operators.hpp"
#include "path_step.hpp"
#include "value_ops.hpp"

namespace sr::core::mapping::detail {
namespace {

namespace json = boost::json;

// One step along a path by a computed key: strings name members, integers index.
const json::value* dynamic_step(const json::value* v, const json::value& key) {
    if (key.is_string()) return member(v, key.get_string());
    if (auto n = as_number(key)) {
        if (n->is_int) return element(v, n->i);
        if (std::trunc(n->d) == n->d && std::abs(n->d) < 9.2e18) return element(v, static_cast<int64_t>(n->d));
    }
    if (key.is_null()) return nullptr;
    throw eval_error(fmt::format("an index must be a string or an integer, got {}", a_type_name(key)));
}

const json::value* step(const program& p, const segment& s, const json::value* v, eval_context& ctx) {
    switch (s.type) {
    case segment::kind::key: return member(v, s.key);
    case segment::kind::index: return element(v, s.index);
    case segment::kind::dynamic: {
        operand key = evaluate(p, s.expression, ctx);
        return dynamic_step(v, key.get());
    }
    }
    return nullptr;
}

operand evaluate_path(const program& p, const path& pa, eval_context& ctx) {
    const auto& segs = pa.segments;
    std::size_t i = 0;
    if (pa.has_root) {
        const json::value* v = nullptr;
        if (pa.field_static) {
            v = ctx.scope().resolve(pa.root, pa.field);
        } else if (!segs.empty() && segs[0].type == segment::kind::dynamic) {
            operand key = evaluate(p, segs[0].expression, ctx);
            i = 1;
            if (key.get().is_string()) {
                v = ctx.scope().resolve(pa.root, key.get().get_string());
            } else {
                v = ctx.scope().resolve(pa.root, {});
                if (v) v = dynamic_step(v, key.get());
            }
        } else {
            v = ctx.scope().resolve(pa.root, {});
        }
        for (; v && i < segs.size(); ++i) v = step(p, segs[i], v, ctx);
        return operand::borrow(v);
    }
    operand base = evaluate(p, pa.base, ctx);
    const json::value* v = &base.get();
    for (; v && i < segs.size(); ++i) v = step(p, segs[i], v, ctx);
    return std::move(base).project(v);
}

uint32_t item(const program& p, const node& n, uint32_t i) { return p.lists[n.list_begin + i]; }

operand make_array(const program& p, const node& n, eval_context& ctx) {
    json::array out;
    out.reserve(n.list_size);
    for (uint32_t i = 0; i < n.list_size; ++i) out.push_back(evaluate(p, item(p, n, i), ctx).release(ctx));
    return operand(std::move(out));
}

operand make_object(const program& p, const node& n, eval_context& ctx) {
    json::object out;
    for (uint32_t i = 0; i < n.list_size; i += 2) {
        const json::value& key = p.constants[p.nodes[item(p, n, i)].a];
        out[key.get_string()] = evaluate(p, item(p, n, i + 1), ctx).release(ctx);
    }
    return operand(std::move(out));
}

} // namespace

operand evaluate(const program& p, uint32_t index, eval_context& ctx) {
    const node& n = p.nodes[index];
    switch (n.kind) {
    case op::constant: return operand::borrow(&p.constants[n.a]);
    case op::path: return evaluate_path(p, p.paths[n.a], ctx);
    case op::negate: return operand(negate(evaluate(p, n.a, ctx).get()));
    case op::logical_not: return operand(!truthy(evaluate(p, n.a, ctx).get()));
    case op::add:
    case op::subtract:
    case op::multiply:
    case op::divide:
    case op::modulo: {
        operand l = evaluate(p, n.a, ctx);
        operand r = evaluate(p, n.b, ctx);
        return operand(arithmetic(n.kind, l.get(), r.get(), ctx));
    }
    case op::equal:
    case op::not_equal: {
        operand l = evaluate(p, n.a, ctx);
        operand r = evaluate(p, n.b, ctx);
        return operand(deep_equal(l.get(), r.get()) == (n.kind == op::equal));
    }
    case op::less:
    case op::less_equal:
    case op::greater:
    case op::greater_equal: {
        operand l = evaluate(p, n.a, ctx);
        operand r = evaluate(p, n.b, ctx);
        return operand(ordered(n.kind, l.get(), r.get()));
    }
    case op::logical_and:
        if (!truthy(evaluate(p, n.a, ctx).get())) return operand(false);
        return operand(truthy(evaluate(p, n.b, ctx).get()));
    case op::logical_or:
        if (truthy(evaluate(p, n.a, ctx).get())) return operand(true);
        return operand(truthy(evaluate(p, n.b, ctx).get()));
    case op::coalesce: {
        operand l = evaluate(p, n.a, ctx);
        if (!l.get().is_null()) return l;
        return evaluate(p, n.b, ctx);
    }
    case op::conditional:
        return truthy(evaluate(p, n.a, ctx).get()) ? evaluate(p, n.b, ctx) : evaluate(p, n.c, ctx);
    case op::call: {
        const function_entry& f = function_table()[n.a];
        call_args args(p, n, ctx, f);
        return f.impl(args);
    }
    case op::make_array: return make_array(p, n, ctx);
    case op::make_object: return make_object(p, n, ctx);
    }
    return operand();
}

json::value run(const program& p, eval_context& ctx) { return evaluate(p, p.root, ctx).release(ctx); }

} // namespace sr::core::mapping::detail
