#include <config.h>
#include "storage.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "db.h"
#include "ovsdb-error.h"
#include "schema.h"
#include "util.h"

#define STORAGE_FORMAT "xvsdb-snapshot-1"

char *
storage_read_json(const char *path, json_t **jsonp)
{
    json_error_t jerr;
    *jsonp = json_load_file(path, JSON_DECODE_ANY, &jerr);
    if (!*jsonp) {
        return (access(path, F_OK)
                ? xasprintf("%s: %s", path, strerror(errno))
                : xasprintf("%s: line %d: %s", path, jerr.line, jerr.text));
    }
    return NULL;
}

static int
fsync_dir(const char *path)
{
    char *copy = xstrdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    free(copy);
    if (fd < 0) {
        return errno;
    }
    int error = fsync(fd) ? errno : 0;
    close(fd);
    return error;
}

static int
write_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        buf += n;
        len -= n;
    }
    return 0;
}

/* Writes 'contents' to 'path' durably.  With 'exclusive', fails if 'path'
 * exists. */
static char *
write_file(const char *path, const char *text, bool exclusive)
{
    char *tmp = xasprintf("%s.tmp", path);
    char *msg = NULL;
    int error;

    if (exclusive && !access(path, F_OK)) {
        msg = xasprintf("%s: database file exists, refusing to overwrite it",
                        path);
        goto out;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) {
        msg = xasprintf("%s: %s", tmp, strerror(errno));
        goto out;
    }
    error = write_all(fd, text, strlen(text));
    if (!error) {
        error = write_all(fd, "\n", 1);
    }
    if (!error && fsync(fd)) {
        error = errno;
    }
    if (close(fd) && !error) {
        error = errno;
    }
    if (!error && exclusive && link(tmp, path)) {
        error = errno;
        unlink(tmp);
    } else if (!error && exclusive) {
        unlink(tmp);
    } else if (!error && rename(tmp, path)) {
        error = errno;
    }
    if (!error) {
        error = fsync_dir(path);
    }
    if (error) {
        msg = xasprintf("%s: %s", path, strerror(error));
    }
out:
    free(tmp);
    return msg;
}

char *
storage_create(const char *path, const json_t *schema_json)
{
    struct db_schema *schema;
    json_t *error = schema_from_json(schema_json, &schema);
    if (error) {
        char *s = ovsdb_error_to_string(error);
        char *msg = xasprintf("schema: %s", s);
        free(s);
        json_decref(error);
        return msg;
    }
    schema_destroy(schema);

    json_t *file = json_pack("{s:s, s:O, s:{}}", "format", STORAGE_FORMAT,
                             "schema", schema_json, "data");
    char *text = json_dumps(file, JSON_COMPACT);
    char *msg = write_file(path, text, true);
    free(text);
    json_decref(file);
    return msg;
}

char *
storage_load(const char *path, struct db **dbp)
{
    json_t *file;
    *dbp = NULL;
    char *msg = storage_read_json(path, &file);
    if (msg) {
        return msg;
    }
    const char *format = json_string_value(json_object_get(file, "format"));
    if (!format || strcmp(format, STORAGE_FORMAT)) {
        json_decref(file);
        return xasprintf("%s: not an xvsdb database file", path);
    }
    struct db_schema *schema;
    json_t *error = schema_from_json(json_object_get(file, "schema"), &schema);
    struct db *db = NULL;
    if (!error) {
        db = db_create(schema);
        error = db_data_from_json(db, json_object_get(file, "data"));
    }
    json_decref(file);
    if (error) {
        char *s = ovsdb_error_to_string(error);
        msg = xasprintf("%s: corrupt database: %s", path, s);
        free(s);
        json_decref(error);
        db_destroy(db);
        return msg;
    }
    *dbp = db;
    return NULL;
}

char *
storage_save(const char *path, struct db *db)
{
    struct ds text = DS_EMPTY_INITIALIZER;
    char *schema = json_dumps(db->schema->json, JSON_COMPACT);
    ds_put_format(&text, "{\"format\":\"%s\",\"schema\":%s,\"data\":",
                  STORAGE_FORMAT, schema);
    free(schema);
    db_data_to_text(db, &text);
    ds_put_char(&text, '}');
    char *msg = write_file(path, ds_cstr(&text), false);
    ds_destroy(&text);
    return msg;
}
