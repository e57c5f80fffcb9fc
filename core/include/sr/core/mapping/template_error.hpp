#pragma once
// A template or expression that cannot be compiled: names the expression, where in it the
// problem is and, for templates, where in the settings the string sits.
#include <cstddef>
#include <stdexcept>
#include <string>

namespace sr::core::mapping {

class template_error : public std::runtime_error {
public:
    // `expression`: the text between the braces, trimmed; `position`: byte offset in it.
    // `path`: where the string sits in the template ("body.tags[2]"); empty for the top level.
    template_error(std::string expression, std::size_t position, std::string message, std::string path = {});

    const std::string& expression() const noexcept { return expression_; }
    std::size_t position() const noexcept { return position_; }
    const std::string& message() const noexcept { return message_; }
    const std::string& path() const noexcept { return path_; }

private:
    std::string expression_;
    std::size_t position_;
    std::string message_;
    std::string path_;
};

} // namespace sr::core::mapping
