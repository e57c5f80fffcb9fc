#include "sr/core/mapping/template_error.hpp"

#include <fmt/format.h>

namespace sr::core::mapping {
namespace {

// Hostile input can make an expression 16 KiB long; messages show its start.
std::string excerpt(const std::string& expression) {
    constexpr std::size_t max = 80;
    if (expression.size() <= max) return expression;
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(expression[cut]) & 0xC0) == 0x80) --cut; // whole UTF-8 characters
    return expression.substr(0, cut) + "...";
}

std::string describe(const std::string& expression, std::size_t position, const std::string& message,
                     const std::string& path) {
    std::string text = fmt::format("{{{{{}}}}}: {} at position {}", excerpt(expression), message, position);
    if (!path.empty()) text += fmt::format(" (in {})", path);
    return text;
}

} // namespace

template_error::template_error(std::string expression, std::size_t position, std::string message, std::string path)
    : std::runtime_error(describe(expression, position, message, path)), expression_(std::move(expression)),
      position_(position), message_(std::move(message)), path_(std::move(path)) {}

} // namespace sr::core::mapping
