#pragma once
// A failure while evaluating; the expression wrapper turns it into engine::mapping_error
// "{{<expression>}}: <message>".
#include <stdexcept>

namespace sr::core::mapping::detail {

struct eval_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

} // namespace sr::core::mapping::detail
