#pragma once
// The compiled form of one expression: a flat array of nodes that refer to each other, to
// constants and to paths by index. Evaluation walks it recursively; its depth is bounded at
// compile time (limits::max_depth), so the recursion is too.
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace sr::core::mapping::detail {

enum class op : uint8_t {
    constant,    // a = constant index
    path,        // a = path index
    negate,      // a = operand
    logical_not, // a = operand
    add, subtract, multiply, divide, modulo,
    equal, not_equal, less, less_equal, greater, greater_equal,
    logical_and, logical_or, coalesce, // a, b = operands
    conditional, // a ? b : c
    call,        // a = function index; list = arguments
    make_array,  // list = items
    make_object  // list = (key constant, value node) pairs
};

struct node {
    op kind = op::constant;
    uint32_t position = 0; // byte offset in the expression text, for errors
    uint32_t a = 0, b = 0, c = 0;
    uint32_t list_begin = 0, list_size = 0; // into program::lists
};

// One step after the root (or after a computed base): .name, [0], [-1], ["key"], [expr].
struct segment {
    enum class kind : uint8_t { key, index, dynamic };
    kind type = kind::key;
    int64_t index = 0;     // kind::index; negative counts from the end
    std::string key;       // kind::key; also used for "items.0"-style keys (index set as well)
    bool key_is_index = false; // a key written as digits: indexes arrays, names object members
    uint32_t expression = 0;   // kind::dynamic
};

struct path {
    bool has_root = true;  // root.field...; otherwise `base` is computed: (expr).a, f(x)[0]
    std::string root;
    std::string field;     // the second segment when it is a constant name; see field_segment
    bool field_static = false;
    uint32_t base = 0;     // !has_root
    std::vector<segment> segments; // after root and field (or after base)
    // When the second segment is not a constant name (a[0], a[expr]) it stays in `segments`
    // and the root is resolved whole; dynamic string keys become the field at run time.
};

struct program {
    std::string text;
    std::vector<node> nodes;
    std::vector<boost::json::value> constants;
    std::vector<path> paths;
    std::vector<uint32_t> lists;
    uint32_t root = 0;
};

} // namespace sr::core::mapping::detail
