#include "expression_text.hpp"

#include <fmt/format.h>

#include "utf8.hpp"

namespace sr::core::mapping::detail {

std::string runtime_message(std::string_view expression, std::string_view reason) {
    constexpr std::size_t max = 80;
    if (expression.size() <= max) return fmt::format("{{{{{}}}}}: {}", expression, reason);
    std::size_t cut = max;
    while (cut > 0 && is_continuation(expression[cut])) --cut;
    return fmt::format("{{{{{}...}}}}: {}", expression.substr(0, cut), reason);
}

} // namespace sr::core::mapping::detail
