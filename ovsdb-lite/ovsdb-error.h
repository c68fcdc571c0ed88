/* ovsdb-error: the error objects RFC 7047 puts in transaction results.
 *
 * Every failure in the engine is one JSON object {"error": TAG,
 * "details": TEXT} where TAG is one of RFC 7047's fixed strings ("syntax
 * error", "constraint violation", "referential integrity violation",
 * "timed out", ...).  Building them as jansson values from the start means
 * the server can put them straight into a reply. */
#ifndef XVS_OVSDB_ERROR_H
#define XVS_OVSDB_ERROR_H 1

#include <jansson.h>
#include "util.h"

/* Returns a new {"error": tag, "details": formatted} object. */
json_t *ovsdb_error(const char *tag, const char *fmt, ...) XVS_PRINTF(2, 3);
/* "TAG: DETAILS" as a malloc'd string, for command-line messages. */
char *ovsdb_error_to_string(const json_t *error);

#endif
