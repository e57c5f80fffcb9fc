#pragma once
// The vault's one error type. Its message names what is wrong (a variable, a length, a key id)
// and never a key, a plaintext or a ciphertext.
#include <stdexcept>
#include <string>

namespace sr::host {

struct vault_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

} // namespace sr::host
