#pragma once
// What an expression reads from its data scope, so the graph validator can check that every
// referenced node is upstream of the node that reads it.
#include <string>

namespace sr::core::mapping {

struct reference {
    std::string root;       // "trigger", a node id, or any other root the scope knows
    std::string field;      // "body", "output", ...; empty for the whole root or a computed field
    std::string expression; // the expression that reads it, as written between the braces (trimmed)
    std::string path;       // where the string sits in the template; empty for expressions alone
    friend bool operator==(const reference&, const reference&) = default;
};

} // namespace sr::core::mapping
