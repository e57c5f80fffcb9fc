#include "sr/core/schedule/time_zone.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

namespace sr::core::schedule {

namespace {

constexpr std::size_t max_zone_file = 1 << 20; // real files are a few kB

struct tzif_error {
    std::string why;
};

// Big-endian reads over the file, every one bounds-checked.
struct byte_reader {
    std::string_view bytes;
    std::size_t pos = 0;

    void need(std::size_t n) const {
        if (bytes.size() - pos < n) throw tzif_error{"the file is truncated"};
    }
    uint32_t u32() {
        need(4);
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[pos++]);
        return v;
    }
    int32_t i32() { return static_cast<int32_t>(u32()); }
    int64_t i64() {
        uint64_t hi = u32();
        return static_cast<int64_t>((hi << 32) | u32());
    }
    uint8_t u8() {
        need(1);
        return static_cast<uint8_t>(bytes[pos++]);
    }
    void skip(std::size_t n) {
        need(n);
        pos += n;
    }
};

struct tzif_header {
    char version = 0;
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

tzif_header read_header(byte_reader& in) {
    in.need(44);
    if (in.bytes.substr(in.pos, 4) != "TZif") throw tzif_error{"not a TZif file"};
    tzif_header h;
    h.version = in.bytes[in.pos + 4];
    in.skip(20);
    h.isutcnt = in.u32();
    h.isstdcnt = in.u32();
    h.leapcnt = in.u32();
    h.timecnt = in.u32();
    h.typecnt = in.u32();
    h.charcnt = in.u32();
    if (h.typecnt == 0) throw tzif_error{"the file has no local time types"};
    if (h.timecnt > 100000 || h.typecnt > 256 || h.charcnt > 65536 || h.leapcnt > 100000)
        throw tzif_error{"the file's counts are implausible"};
    return h;
}

bool valid_zone_name(std::string_view name) {
    if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/') return false;
    if (name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '+' || c == '/';
    });
}

} // namespace

time_zone time_zone::utc() {
    time_zone zone;
    zone.name_ = "UTC";
    return zone;
}

time_zone_result time_zone::load(std::string_view name, std::string_view root) {
    if (name == "UTC") return {utc(), {}};
    if (!valid_zone_name(name))
        return {std::nullopt, fmt::format("'{}' is not a valid time zone name", name)};
    auto path = std::filesystem::path(root) / std::filesystem::path(name);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return {std::nullopt, fmt::format("unknown time zone '{}'", name)};
    std::ifstream file(path, std::ios::binary);
    std::string bytes;
    bytes.resize(max_zone_file + 1);
    file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(file.gcount()));
    if (bytes.size() > max_zone_file)
        return {std::nullopt, fmt::format("time zone '{}': the file is too large", name)};
    return from_tzif(name, bytes);
}

time_zone_result time_zone::from_tzif(std::string_view name, std::string_view bytes) {
    time_zone zone;
    zone.name_ = std::string(name);
    try {
        byte_reader in{bytes};
        auto v1 = read_header(in);
        if (v1.version < '2')
            throw tzif_error{"version 1 TZif files are not supported (no 64-bit data)"};
        // Skip the version 1 block (32-bit times); the version 2 block repeats it with 64-bit ones.
        in.skip(std::size_t{v1.timecnt} * 5 + std::size_t{v1.typecnt} * 6 + v1.charcnt +
                std::size_t{v1.leapcnt} * 8 + v1.isstdcnt + v1.isutcnt);
        auto h = read_header(in);
        if (h.leapcnt != 0) throw tzif_error{"leap-second time zones are not supported"};
        std::vector<int64_t> times(h.timecnt);
        for (auto& t : times) t = in.i64();
        std::vector<uint8_t> indexes(h.timecnt);
        for (auto& i : indexes) {
            i = in.u8();
            if (i >= h.typecnt) throw tzif_error{"a transition names a missing local time type"};
        }
        std::vector<int32_t> offsets(h.typecnt);
        for (auto& o : offsets) {
            o = in.i32();
            in.skip(2); // isdst, abbreviation index
        }
        in.skip(std::size_t{h.charcnt} + h.isstdcnt + h.isutcnt);
        zone.initial_offset_ = offsets[0];
        for (std::size_t i = 0; i < times.size(); ++i) zone.transitions_.push_back({times[i], offsets[indexes[i]]});
        // Footer: "\n<TZ string>\n"; an empty string means "no rule beyond the last transition".
        if (in.pos < bytes.size() && bytes[in.pos] == '\n') {
            auto end = bytes.find('\n', in.pos + 1);
            if (end == std::string_view::npos) throw tzif_error{"the footer is not terminated"};
            auto footer = bytes.substr(in.pos + 1, end - in.pos - 1);
            if (!footer.empty()) {
                zone.footer_ = posix_tz_rule::parse(footer);
                if (!zone.footer_) throw tzif_error{fmt::format("the footer TZ string '{}' is invalid", footer)};
            }
        }
    } catch (const tzif_error& e) {
        return {std::nullopt, fmt::format("time zone '{}': {}", name, e.why)};
    }
    return {std::move(zone), {}};
}

std::chrono::seconds time_zone::offset_at(std::chrono::sys_seconds instant) const {
    int64_t t = instant.time_since_epoch().count();
    if (transitions_.empty() || t >= transitions_.back().at) {
        if (footer_) return std::chrono::seconds{footer_->offset_at(t)};
        return std::chrono::seconds{transitions_.empty() ? initial_offset_ : transitions_.back().offset};
    }
    auto after = std::upper_bound(transitions_.begin(), transitions_.end(), t,
                                  [](int64_t v, const transition& tr) { return v < tr.at; });
    if (after == transitions_.begin()) return std::chrono::seconds{initial_offset_};
    return std::chrono::seconds{std::prev(after)->offset};
}

std::optional<std::chrono::sys_seconds> time_zone::next_transition(std::chrono::sys_seconds instant) const {
    int64_t t = instant.time_since_epoch().count();
    auto current = offset_at(instant).count();
    auto after = std::upper_bound(transitions_.begin(), transitions_.end(), t,
                                  [](int64_t v, const transition& tr) { return v < tr.at; });
    // Tables sometimes list changes of abbreviation only: skip those that keep the offset.
    for (; after != transitions_.end(); ++after) {
        if (after->offset != current) return std::chrono::sys_seconds{std::chrono::seconds{after->at}};
    }
    if (!footer_) return std::nullopt;
    int64_t from = std::max(t, transitions_.empty() ? t : transitions_.back().at);
    for (int i = 0; i < 8; ++i) {
        auto next = footer_->next_transition(from);
        if (!next) return std::nullopt;
        if (footer_->offset_at(*next) != current) return std::chrono::sys_seconds{std::chrono::seconds{*next}};
        from = *next;
    }
    return std::nullopt;
}

} // namespace sr::core::schedule
