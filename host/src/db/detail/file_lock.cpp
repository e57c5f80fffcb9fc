#include "db/detail/file_lock.hpp"

#include <cerrno>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace sr::host::detail {

file_lock::file_lock(const std::filesystem::path& file) {
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "open " + file.string());
}

file_lock::~file_lock() {
    if (fd_ >= 0) ::close(fd_);
}

void file_lock::lock(mode m) {
    int op = m == mode::shared ? LOCK_SH : LOCK_EX;
    while (::flock(fd_, op) != 0) {
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "flock");
    }
}

bool file_lock::try_lock(mode m) {
    int op = (m == mode::shared ? LOCK_SH : LOCK_EX) | LOCK_NB;
    while (::flock(fd_, op) != 0) {
        if (errno == EWOULDBLOCK) return false;
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "flock");
    }
    return true;
}

void file_lock::unlock() {
    ::flock(fd_, LOCK_UN);
}

} // namespace sr::host::detail
