#pragma once
// One problem found in user input, naming where it is. Validators return every problem at
// once so an editor can show them all.
#include <string>

namespace sr::core {

struct problem {
    std::string code;    // stable, snake_case: "cycle", "unknown_action", ...
    std::string node_id; // the node concerned, if any
    std::string edge_id; // the edge concerned, if any
    std::string path;    // JSON path inside the node or manifest, if any
    std::string message; // for people
};

} // namespace sr::core
