#include <config.h>
#include "ovsdb-error.h"
#include <stdarg.h>
#include <stdlib.h>

json_t *
ovsdb_error(const char *tag, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *details = xvasprintf(fmt, args);
    va_end(args);

    json_t *error = json_pack("{s:s, s:s}", "error", tag, "details", details);
    free(details);
    return error;
}

char *
ovsdb_error_to_string(const json_t *error)
{
    const char *tag = json_string_value(json_object_get(error, "error"));
    const char *details = json_string_value(json_object_get(error, "details"));
    if (!tag) {
        char *s = json_dumps(error, JSON_COMPACT);
        return s ? s : xstrdup("unknown error");
    }
    return details ? xasprintf("%s: %s", tag, details) : xstrdup(tag);
}
