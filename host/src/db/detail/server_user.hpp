#pragma once
// The unprivileged OS user that runs PostgreSQL when we are root (initdb and postgres refuse
// to run as root), and what it needs to reach its directory.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace sr::host::detail {

struct os_user {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;  // primary and supplementary
};

// The user this process runs as (name from the password database; "uid<N>" without an entry).
std::string current_user_name();

// The user named `name`, created as a system user with useradd when missing (root only).
// `log_file` receives useradd's output. Throws std::runtime_error.
os_user ensure_system_user(const std::string& name, const std::filesystem::path& log_file);

// Makes every parent directory of `dir` searchable by `user`: a parent that is not gets the
// search bit of the class that applies to the user (o+x as a rule) and `log` is told. Throws
// std::runtime_error naming the directory when that cannot be done.
void grant_traversal(const std::filesystem::path& dir, const os_user& user,
                     const std::function<void(std::string_view)>& log);

} // namespace sr::host::detail
