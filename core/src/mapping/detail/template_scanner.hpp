#pragma once
// Splits one string of a template into literal text and {{ expressions }}. The closing "}}" is
// found by skipping quoted strings and balanced braces, so {{ {"a": {"b": 1}} }} and
// {{ "}}" }} work; \{{ writes a literal "{{".
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sr::core::mapping::detail {

struct template_piece {
    bool is_expression = false;
    std::string text; // literal text (escapes resolved), or the expression as written
};

struct scanned_string {
    std::vector<template_piece> pieces;
    bool has_expression = false;
    bool whole = false; // exactly one {{ expr }} and nothing else: a whole-value reference
};

inline bool may_hold_template(std::string_view s) { return s.find("{{") != std::string_view::npos; }

// Throws template_error for an unterminated {{ or string literal, or an over-long expression.
scanned_string scan_template_string(std::string_view s);

} // namespace sr::core::mapping::detail
