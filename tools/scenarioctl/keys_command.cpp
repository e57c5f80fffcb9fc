#include <cstdio>
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <pqxx/pqxx>

#include "commands.hpp"
#include "common_options.hpp"
#include "connections/key_rotation.hpp"
#include "db/database.hpp"
#include "db/migrator.hpp"
#include "security/master_key.hpp"
#include "security/vault.hpp"

namespace sr::ctl {

namespace {

int usage(const std::string& message) {
    fmt::print(stderr, "scenarioctl keys: {}\n", message);
    return 2;
}

// Prints a new key on stdout (and only the key, so `export SR_MASTER_KEY=$(scenarioctl keys
// generate)` works); its id goes to stderr.
int generate(const std::vector<std::string>& args) {
    if (args.size() != 2) return usage("generate takes no options");
    auto key = host::master_key::generate();
    fmt::print("{}\n", key.to_hex());
    fmt::print(stderr, "key id {}\n", key.id());
    return 0;
}

// The vault for rotation: the new key from SR_MASTER_KEY(_FILE), old keys from
// SR_MASTER_KEY_OLD, and the data directory's generated key file (if any) as one more old key,
// so a deployment that started without a configured key can move to one.
host::vault rotation_vault(const std::filesystem::path& data_dir) {
    auto v = host::vault::from_environment();
    const auto generated = data_dir / host::vault::generated_key_file;
    std::error_code ec;
    if (std::filesystem::exists(generated, ec)) {
        std::FILE* f = std::fopen(generated.c_str(), "r");
        if (f) {
            char buf[256] = {};
            auto n = std::fread(buf, 1, sizeof buf - 1, f);
            std::fclose(f);
            auto key = host::master_key::parse(std::string_view(buf, n), generated.string());
            OPENSSL_cleanse(buf, sizeof buf);
            v.add_old_key(std::move(key));
        }
    }
    return v;
}

int rotate_or_status(const std::vector<std::string>& args, bool rotate) {
    std::size_t batch = 500;
    std::vector<std::string> rest{"keys"};
    for (std::size_t i = 2; i < args.size(); ++i) {
        if (rotate && args[i] == "--batch" && i + 1 < args.size()) {
            try {
                batch = std::stoul(args[++i]);
            } catch (const std::exception&) {
                return usage("--batch needs a positive number");
            }
            if (batch == 0) return usage("--batch needs a positive number");
        } else {
            rest.push_back(args[i]);
        }
    }
    common_options opts;
    if (auto err = parse_common(rest, opts, false, false)) return usage(*err);
    try {
        auto db = host::open_database(opts.data_dir);
        pqxx::connection conn(db.conninfo);
        host::migrate(conn);
        if (!rotate) {
            fmt::print("{}", host::describe_key_usage(conn));
            return 0;
        }
        auto v = rotation_vault(opts.data_dir);
        auto report = host::rotate_keys(conn, v, batch, 0, [](const host::rotation_report& r) {
            fmt::print("batch {}: {} connections, {} webhook secrets so far\n", r.batches, r.connections, r.webhook_secrets);
            std::fflush(stdout);
        });
        fmt::print("rotated {} connections and {} webhook secrets to key {} in {} batches\n", report.connections,
                   report.webhook_secrets, v.current_key_id(), report.batches);
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "scenarioctl keys {}: {}\n", rotate ? "rotate" : "status", e.what());
        return 1;
    }
}

int keys_command(const std::vector<std::string>& args) {
    if (args.size() < 2) return usage("expected generate, rotate or status");
    if (args[1] == "generate") return generate(args);
    if (args[1] == "rotate") return rotate_or_status(args, true);
    if (args[1] == "status") return rotate_or_status(args, false);
    return usage("unknown subcommand " + args[1]);
}

const command_registration keys_registration{
    "keys", keys_command,
    "keys generate\n    print a new master key (64 hex digits) for SR_MASTER_KEY\n"
    "keys rotate [--batch N] [--data-dir DIR]\n    re-encrypt every secret under SR_MASTER_KEY; old keys from "
    "SR_MASTER_KEY_OLD (safe to run again)\n"
    "keys status [--data-dir DIR]\n    count sealed rows per key id"};

} // namespace

} // namespace sr::ctl
