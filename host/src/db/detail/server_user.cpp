#include "db/detail/server_user.hpp"

#include "db/detail/process.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sr::host::detail {
namespace {

std::optional<os_user> lookup(const std::string& name) {
    struct passwd pw {};
    struct passwd* found = nullptr;
    std::vector<char> buffer(16384);
    if (::getpwnam_r(name.c_str(), &pw, buffer.data(), buffer.size(), &found) != 0 || !found)
        return std::nullopt;
    os_user user{name, pw.pw_uid, pw.pw_gid, {}};
    int count = 64;
    std::vector<gid_t> groups(static_cast<std::size_t>(count));
    if (::getgrouplist(name.c_str(), pw.pw_gid, groups.data(), &count) < 0) {
        groups.resize(static_cast<std::size_t>(count));
        ::getgrouplist(name.c_str(), pw.pw_gid, groups.data(), &count);
    }
    groups.resize(static_cast<std::size_t>(std::max(count, 0)));
    user.groups = std::move(groups);
    return user;
}

// The permission bit that decides whether `user` may search `st` (owner, group or other class).
mode_t search_bit_for(const struct stat& st, const os_user& user) {
    if (st.st_uid == user.uid) return S_IXUSR;
    if (std::find(user.groups.begin(), user.groups.end(), st.st_gid) != user.groups.end()) return S_IXGRP;
    return S_IXOTH;
}

} // namespace

std::string current_user_name() {
    struct passwd pw {};
    struct passwd* found = nullptr;
    std::vector<char> buffer(16384);
    uid_t uid = ::geteuid();
    if (::getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &found) == 0 && found) return pw.pw_name;
    return fmt::format("uid{}", uid);
}

os_user ensure_system_user(const std::string& name, const std::filesystem::path& log_file) {
    if (auto user = lookup(name)) return *user;
    int rc = run_process({system_tool("useradd"), "--system", "--home-dir", "/var/lib/postgresql", "--shell", "/bin/false", name},
                         log_file, "/");
    auto user = lookup(name);
    if (!user) {
        throw std::runtime_error(fmt::format(
            "the OS user '{}' is missing and useradd failed (exit {}); PostgreSQL cannot run as root. "
            "Output: {}", name, rc, file_tail(log_file, 600)));
    }
    return *user;
}

void grant_traversal(const std::filesystem::path& dir, const os_user& user,
                     const std::function<void(std::string_view)>& log) {
    for (auto p = dir.parent_path(); ; p = p.parent_path()) {
        struct stat st {};
        if (::stat(p.c_str(), &st) != 0)
            throw std::runtime_error(fmt::format("cannot inspect {}: {}", p.string(), std::strerror(errno)));
        mode_t bit = search_bit_for(st, user);
        if ((st.st_mode & bit) == 0) {
            if (::chmod(p.c_str(), (st.st_mode & 07777) | bit) != 0) {
                throw std::runtime_error(fmt::format(
                    "the '{}' user that runs PostgreSQL cannot traverse {} and granting it the search "
                    "permission failed ({}); choose a data directory it can reach",
                    user.name, p.string(), std::strerror(errno)));
            }
            log(fmt::format("granted the search permission ({}+x, nothing else) on {} so the '{}' user "
                            "running PostgreSQL can reach its directory",
                            bit == S_IXOTH ? "o" : bit == S_IXGRP ? "g" : "u", p.string(), user.name));
        }
        if (p == p.root_path() || p.parent_path() == p) break;
    }
}

} // namespace sr::host::detail
