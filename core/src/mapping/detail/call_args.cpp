#include "call_args.hpp"

#include <cmath>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "eval_error.hpp"
#include "evaluator.hpp"

namespace sr::core::mapping::detail {

call_args::call_args(const program& p, const node& call, eval_context& ctx, const function_entry& f)
    : program_(p), call_(call), ctx_(ctx), function_(f), size_(call.list_size) {
    if (size_ > inline_.size()) more_.resize(size_ - inline_.size());
}

operand& call_args::slot(std::size_t i) {
    operand& s = i < inline_.size() ? inline_[i] : more_[i - inline_.size()];
    if (!(evaluated_ & (uint64_t{1} << i))) {
        s = evaluate(program_, program_.lists[call_.list_begin + i], ctx_);
        evaluated_ |= uint64_t{1} << i;
    }
    return s;
}

const boost::json::value& call_args::operator[](std::size_t i) { return slot(i).get(); }

operand call_args::take(std::size_t i) { return std::move(slot(i)); }

operand call_args::project(std::size_t i, const boost::json::value* part) { return std::move(slot(i)).project(part); }

void call_args::fail(std::string_view message) const {
    throw eval_error(fmt::format("{}(): {}", function_.info.name, message));
}

void call_args::type_error(std::size_t i, std::string_view expected) {
    const char* got = a_type_name((*this)[i]);
    if (size_ == 1) throw eval_error(fmt::format("{}() expects {}, got {}", function_.info.name, expected, got));
    throw eval_error(fmt::format("{}() expects {} as argument {}, got {}", function_.info.name, expected, i + 1, got));
}

std::string_view call_args::string(std::size_t i) {
    const auto& v = (*this)[i];
    if (!v.is_string()) type_error(i, "a string");
    return v.get_string();
}

number call_args::num(std::size_t i) {
    auto n = as_number((*this)[i]);
    if (!n) type_error(i, "a number");
    return *n;
}

int64_t call_args::integer(std::size_t i) {
    auto n = as_number((*this)[i]);
    if (n && n->is_int) return n->i;
    if (n && std::trunc(n->d) == n->d && std::abs(n->d) < 9.2e18) return static_cast<int64_t>(n->d);
    type_error(i, "an integer");
}

const boost::json::array& call_args::array(std::size_t i) {
    const auto& v = (*this)[i];
    if (!v.is_array()) type_error(i, "an array");
    return v.get_array();
}

const boost::json::object& call_args::object(std::size_t i) {
    const auto& v = (*this)[i];
    if (!v.is_object()) type_error(i, "an object");
    return v.get_object();
}

} // namespace sr::core::mapping::detail
