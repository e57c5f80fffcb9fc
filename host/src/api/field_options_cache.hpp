#pragma once
// Dynamic-field options by (organization, plugin, action, field, connection, dependency
// values), kept for the field's cache_ttl_s so an editor opening a form does not call the
// service each time. Thread-safe; bounded (the oldest half goes when it is full).
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/json/value.hpp>

namespace sr::host {

class field_options_cache {
public:
    explicit field_options_cache(std::size_t capacity = 10'000) : capacity_(capacity) {}

    std::optional<boost::json::value> find(const std::string& key);
    void put(const std::string& key, boost::json::value options, std::chrono::seconds ttl);

private:
    struct entry {
        boost::json::value options;
        std::chrono::steady_clock::time_point expires;
    };
    std::size_t capacity_;
    std::mutex mutex_;
    std::unordered_map<std::string, entry> entries_;
};

} // namespace sr::host
