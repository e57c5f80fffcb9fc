#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::wordpress {

// wordpress.upload_media: uploads a file (fetched from a URL or given as base64) to the media library.
sdk::action upload_media_action();

} // namespace sr::plugins::wordpress
