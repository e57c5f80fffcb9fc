#pragma once
// An flock(2) lock on a file, held by this object's own open file description: two objects in
// one process lock independently, and the kernel drops the lock when the process dies.
#include <filesystem>

namespace sr::host::detail {

class file_lock {
public:
    enum class mode { shared, exclusive };

    // Opens (creating) `file` close-on-exec; locks nothing yet. Throws std::system_error.
    explicit file_lock(const std::filesystem::path& file);
    ~file_lock();  // closing the descriptor releases the lock
    file_lock(const file_lock&) = delete;
    file_lock& operator=(const file_lock&) = delete;

    void lock(mode m);          // blocks until granted
    bool try_lock(mode m);      // false when another holder conflicts
    void unlock();

private:
    int fd_ = -1;
};

} // namespace sr::host::detail
