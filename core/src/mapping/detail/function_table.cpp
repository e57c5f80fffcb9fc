// The one table of built-in functions. docs/expressions.md lists the same, with examples.
#include "function_table.hpp"

#include <array>

#include "functions.hpp"

namespace sr::core::mapping::detail {
namespace {

// {name, signature, category, summary}, min arguments, max arguments, implementation.
constexpr function_entry table[] = {
    // defaults (if, default and coalesce evaluate only the arguments they use)
    {{"default", "default(x, fallback)", "defaults", "x, or fallback when x is null or an empty string"}, 2, 2, fn_default},
    {{"coalesce", "coalesce(a, b, ...)", "defaults", "the first argument that is not null"}, 1, variadic, fn_coalesce},
    {{"if", "if(condition, then[, otherwise])", "defaults", "then when condition is truthy, else otherwise (or null)"}, 2, 3, fn_if},
    // type
    {{"type_of", "type_of(x)", "type", "\"null\", \"boolean\", \"number\", \"string\", \"array\" or \"object\""}, 1, 1, fn_type_of},
    {{"is_null", "is_null(x)", "type", "true when x is null or missing"}, 1, 1, fn_is_null},
    {{"to_string", "to_string(x)", "type", "x as text, as interpolation writes it"}, 1, 1, fn_to_string},
    {{"to_number", "to_number(x)", "type", "a number from a number, numeric text or a boolean; error on other text"}, 1, 1, fn_to_number},
    {{"to_bool", "to_bool(x)", "type", "truthiness, except that the texts false, 0, no and off are false"}, 1, 1, fn_to_bool},
    {{"json_parse", "json_parse(text)", "type", "the JSON value the text holds"}, 1, 1, fn_json_parse},
    {{"json_stringify", "json_stringify(x)", "type", "x as compact JSON text"}, 1, 1, fn_json_stringify},
    // string
    {{"upper", "upper(s)", "string", "s with ASCII letters in upper case"}, 1, 1, fn_upper},
    {{"lower", "lower(s)", "string", "s with ASCII letters in lower case"}, 1, 1, fn_lower},
    {{"trim", "trim(s)", "string", "s without leading and trailing white space"}, 1, 1, fn_trim},
    {{"length", "length(x)", "string", "characters of a string, items of an array or object; 0 for null"}, 1, 1, fn_length},
    {{"substring", "substring(s, start[, len])", "string", "len characters from start (negative: from the end)"}, 2, 3, fn_substring},
    {{"replace", "replace(s, from, to)", "string", "s with every occurrence of from replaced by to"}, 3, 3, fn_replace},
    {{"split", "split(s, sep)", "string", "the parts of s between occurrences of sep; every character when sep is \"\""}, 2, 2, fn_split},
    {{"join", "join(array[, sep])", "string", "the items as text joined by sep (default \",\")"}, 1, 2, fn_join},
    {{"contains", "contains(s | array, x)", "string", "whether the string holds x as text, or the array an item equal to x"}, 2, 2, fn_contains},
    {{"starts_with", "starts_with(s, prefix)", "string", "whether s begins with prefix"}, 2, 2, fn_starts_with},
    {{"ends_with", "ends_with(s, suffix)", "string", "whether s ends with suffix"}, 2, 2, fn_ends_with},
    {{"pad_start", "pad_start(s, width[, pad])", "string", "s padded on the left with pad (default \" \") to width characters"}, 2, 3, fn_pad_start},
    {{"slugify", "slugify(s)", "string", "lower-case ASCII letters and digits joined by dashes"}, 1, 1, fn_slugify},
    // number
    {{"round", "round(x[, digits])", "number", "x rounded half away from zero to digits decimals (-15 to 15)"}, 1, 2, fn_round},
    {{"floor", "floor(x)", "number", "the largest integer not above x"}, 1, 1, fn_floor},
    {{"ceil", "ceil(x)", "number", "the smallest integer not below x"}, 1, 1, fn_ceil},
    {{"abs", "abs(x)", "number", "the absolute value of x"}, 1, 1, fn_abs},
    {{"min", "min(a, b, ...) | min(array)", "number", "the smallest number; null when there is none"}, 1, variadic, fn_min},
    {{"max", "max(a, b, ...) | max(array)", "number", "the largest number; null when there is none"}, 1, variadic, fn_max},
    {{"sum", "sum(array)", "number", "the sum of the numbers (0 when empty)"}, 1, 1, fn_sum},
    {{"avg", "avg(array)", "number", "the mean of the numbers; null when empty"}, 1, 1, fn_avg},
    // date
    {{"now", "now()", "date", "the current time in Unix milliseconds"}, 0, 0, fn_now},
    {{"to_date_ms", "to_date_ms(date)", "date", "an ISO 8601 date (or milliseconds) as Unix milliseconds"}, 1, 1, fn_to_date_ms},
    {{"format_date", "format_date(date[, format])", "date", "the date as text in UTC; default %Y-%m-%dT%H:%M:%S.%LZ"}, 1, 2, fn_format_date},
    {{"add_ms", "add_ms(date, ms)", "date", "the date plus ms milliseconds, in Unix milliseconds"}, 2, 2, fn_add_ms},
    {{"add_days", "add_days(date, days)", "date", "the date plus whole days, in Unix milliseconds"}, 2, 2, fn_add_days},
    {{"date_diff_ms", "date_diff_ms(a, b)", "date", "a minus b in milliseconds"}, 2, 2, fn_date_diff_ms},
    // array
    {{"first", "first(array)", "array", "the first item; null when empty"}, 1, 1, fn_first},
    {{"last", "last(array)", "array", "the last item; null when empty"}, 1, 1, fn_last},
    {{"at", "at(array, i)", "array", "the item at i (negative: from the end); null when out of range"}, 2, 2, fn_at},
    {{"slice", "slice(array | s, start[, end])", "array", "items (or characters) from start up to end, JavaScript style"}, 2, 3, fn_slice},
    {{"pluck", "pluck(array, \"field\")", "array", "each item's field (a dotted path), null where missing"}, 2, 2, fn_pluck},
    {{"includes", "includes(array | s, x)", "array", "the same as contains"}, 2, 2, fn_includes},
    {{"flatten", "flatten(array)", "array", "nested arrays spliced in, one level deep"}, 1, 1, fn_flatten},
    {{"unique", "unique(array)", "array", "the items without repeats, first occurrence kept"}, 1, 1, fn_unique},
    {{"sort", "sort(array)", "array", "numbers or strings in ascending order"}, 1, 1, fn_sort},
    {{"reverse", "reverse(array | s)", "array", "the items (or characters) in reverse order"}, 1, 1, fn_reverse},
    {{"range", "range(n) | range(start, end)", "array", "the integers from start (default 0) up to end - 1; at most 10,000"}, 1, 2, fn_range},
    {{"keys", "keys(object)", "array", "the member names"}, 1, 1, fn_keys},
    {{"values", "values(object)", "array", "the member values"}, 1, 1, fn_values},
    {{"get", "get(x, \"a.b.0\"[, fallback])", "array", "the value at a dotted path; fallback (or null) when missing"}, 2, 3, fn_get},
    {{"merge", "merge(object, object, ...)", "array", "the members of all objects, later ones winning; null skipped"}, 1, variadic, fn_merge},
};

constexpr std::array<function_info, std::size(table)> infos = [] {
    std::array<function_info, std::size(table)> out{};
    for (std::size_t i = 0; i < std::size(table); ++i) out[i] = table[i].info;
    return out;
}();

} // namespace

std::span<const function_entry> function_table() { return table; }

std::optional<uint32_t> find_function(std::string_view name) {
    for (uint32_t i = 0; i < std::size(table); ++i)
        if (table[i].info.name == name) return i;
    return std::nullopt;
}

} // namespace sr::core::mapping::detail

namespace sr::core::mapping {

std::span<const function_info> builtin_functions() { return detail::infos; }

} // namespace sr::core::mapping
