#pragma once
// Sets (or, with nullptr, removes) environment variables for one test and restores them after.
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

namespace sr::test {

class env_guard {
public:
    env_guard(std::map<std::string, const char*> vars) {
        for (const auto& [name, value] : vars) {
            const char* old = std::getenv(name.c_str());
            saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
            if (value) ::setenv(name.c_str(), value, 1);
            else ::unsetenv(name.c_str());
        }
    }
    ~env_guard() {
        for (const auto& [name, value] : saved_) {
            if (value) ::setenv(name.c_str(), value->c_str(), 1);
            else ::unsetenv(name.c_str());
        }
    }
    env_guard(const env_guard&) = delete;
    env_guard& operator=(const env_guard&) = delete;

private:
    std::map<std::string, std::optional<std::string>> saved_;
};

} // namespace sr::test
