#pragma once
// The compiled form of a template: the constant parts as one JSON value with a null where each
// dynamic string goes, and for each of those a slot saying where it is and what to put there.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "sr/core/mapping/compiled_expression.hpp"

namespace sr::core::mapping::detail {

struct template_part {
    std::string text;       // literal text when expression < 0
    int32_t expression = -1; // index into template_data::expressions
};

struct template_slot {
    std::vector<uint32_t> steps; // member or element positions from the top of the value
    bool whole = false;          // a whole-value reference: parts is one expression
    std::vector<template_part> parts;
    std::string path;            // for references and messages: "body.tags[2]"
};

struct template_data {
    boost::json::value base;
    std::size_t base_bytes = 0; // measure(base), for the output bound
    std::vector<compiled_expression> expressions;
    std::vector<template_slot> slots;
};

} // namespace sr::core::mapping::detail
