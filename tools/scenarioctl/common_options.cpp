#include "common_options.hpp"

namespace sr::ctl {

std::filesystem::path default_plugins_dir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    auto dir = ec ? std::filesystem::current_path() : exe.parent_path();
    return (dir / ".." / "plugins").lexically_normal();
}

std::optional<std::string> parse_common(const std::vector<std::string>& args, common_options& out,
                                        bool allow_plugins, bool allow_force) {
    out.plugins_dir = default_plugins_dir();
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--force" && allow_force) {
            out.force = true;
        } else if ((a == "--data-dir" || (a == "--plugins" && allow_plugins)) && i + 1 < args.size()) {
            (a == "--data-dir" ? out.data_dir : out.plugins_dir) = args[++i];
        } else {
            return "unknown option or missing value: " + a;
        }
    }
    return std::nullopt;
}

} // namespace sr::ctl
