// scenarioctl: the command-line tool for operators. Each subcommand is one function in
// commands/; this file only dispatches.
#include <cstdio>
#include <string>
#include <vector>

#include "commands.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return sr::ctl::dispatch(args);
}
