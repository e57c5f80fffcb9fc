#pragma once
// The host side the engine tests need, for real: an io_context on its own threads, a JSON log
// the test can read, host_services (sr.http/1 through the real client) and plugins loaded
// from .so files. `plugins` is a directory of .so files; with_fixture() builds one holding the
// bundled plugins plus the engine fixture (build/test-plugins/engine).
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "io_drain.hpp"
#include "plugins/plugin_loader.hpp"
#include "services/host_services.hpp"
#include "services/json_log.hpp"
#include "test_paths.hpp"

namespace sr::test {

class plugin_host {
public:
    explicit plugin_host(const std::filesystem::path& plugins, int io_threads = 2)
        : log_(SR_LOG_WARN,
               [this](std::string_view line) {
                   std::lock_guard lock(mutex_);
                   lines_.emplace_back(line);
               }),
          guard_(boost::asio::make_work_guard(ioc_)), services_(ioc_, log_, nullptr),
          registry_(sr::host::load_plugins(plugins, services_)) {
        for (const auto& r : registry_.refused()) UNSCOPED_INFO("refused: " << r.reason);
        for (int i = 0; i < io_threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
    }

    // Plugins first, while the I/O threads still run: unloading must wait by itself for
    // whatever the plugins' service callbacks are still doing.
    ~plugin_host() {
        unload();
        drain(ioc_, guard_, threads_);
    }

    // Copies of the bundled plugins and the engine fixture in one fresh directory.
    static std::filesystem::path with_fixture() {
        auto dir = temp_dir("engine-plugins");
        namespace fs = std::filesystem;
        for (const auto& entry : fs::directory_iterator(plugin_dir()))
            if (entry.path().extension() == ".so") fs::copy_file(entry.path(), dir / entry.path().filename());
        fs::copy_file(fixture_plugin_dir() / "engine" / "engine_fixture.so", dir / "engine_fixture.so");
        return dir;
    }

    const sr::host::plugin_registry& registry() const { return registry_; }
    std::shared_ptr<sr::core::plugin_instance> instance(const std::string& id) const {
        const auto* p = registry_.find(id);
        REQUIRE(p != nullptr);
        return p->instance;
    }
    void unload() { registry_ = sr::host::plugin_registry(); }
    boost::asio::io_context& ioc() { return ioc_; }

    std::vector<std::string> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    // Index of the first log line containing `text`, or -1.
    int line_index(const std::string& text) const {
        auto all = lines();
        for (std::size_t i = 0; i < all.size(); ++i)
            if (all[i].find(text) != std::string::npos) return static_cast<int>(i);
        return -1;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
    boost::asio::io_context ioc_;
    sr::host::json_log log_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    sr::host::host_services services_;
    sr::host::plugin_registry registry_;
    std::vector<std::thread> threads_;
};

} // namespace sr::test
