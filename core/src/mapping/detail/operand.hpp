#pragma once
// A value during evaluation: either borrowed (a constant of the program, or a part of the data
// the scope holds) or owned (a result computed here). Borrowing is what makes a path lookup
// free of allocation: nothing is copied until a value is placed into the rendered output.
#include <boost/json/value.hpp>

#include "eval_context.hpp"

namespace sr::core::mapping::detail {

class operand {
public:
    operand() noexcept = default; // an owned null
    explicit operand(boost::json::value owned) noexcept : own_(std::move(owned)) {}

    // Borrows `v`, which must outlive the operand; nullptr means a missing value (null).
    static operand borrow(const boost::json::value* v) noexcept {
        operand o;
        o.ref_ = v;
        return o;
    }

    operand(operand&&) noexcept = default;
    operand& operator=(operand&&) noexcept = default;
    operand(const operand&) = delete;
    operand& operator=(const operand&) = delete;

    const boost::json::value& get() const noexcept { return ref_ ? *ref_ : own_; }
    bool borrowed() const noexcept { return ref_ != nullptr; }

    // The value, owned: moved when owned, copied (and charged) when borrowed.
    boost::json::value release(eval_context& ctx) && {
        if (!ref_) return std::move(own_);
        ctx.charge_copy(*ref_);
        return *ref_;
    }

    // A part of this value (an element, a member) as an operand that stays valid after this
    // one is gone: borrowed when this is borrowed, else moved out of the owned value.
    operand project(const boost::json::value* part) && {
        if (!part) return operand();
        if (ref_) return borrow(part);
        if (part == &own_) return std::move(*this);
        // We own the whole, so taking a part out of it is safe.
        return operand(std::move(*const_cast<boost::json::value*>(part)));
    }

private:
    const boost::json::value* ref_ = nullptr;
    boost::json::value own_;
};

} // namespace sr::core::mapping::detail
