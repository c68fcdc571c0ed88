/* test-lib: unit tests of lib/'s data structures and JSON-RPC framing.
 *
 * "test-lib NAME" runs one group and prints "NAME: OK"; a failed check
 * prints what failed and exits 1, so tests/library.at can run each group
 * as its own test. */
#include <config.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "coverage.h"
#include "crc32c.h"
#include "hmap.h"
#include "jsonrpc.h"
#include "list.h"
#include "token-bucket.h"
#include "util.h"

#define CHECK(COND)                                                     \
    do {                                                                \
        if (!(COND)) {                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,      \
                    __LINE__, #COND);                                   \
            exit(1);                                                    \
        }                                                               \
    } while (0)

struct element {
    int value;
    struct hmap_node hmap_node;
    struct xvs_list list_node;
};

static uint32_t
hash_value(int value)
{
    /* Few distinct hashes, so buckets hold chains. */
    return hash_int(value % 97, 0);
}

static struct element *
find_element(const struct hmap *h, int value)
{
    struct element *e;
    HMAP_FOR_EACH_WITH_HASH (e, hmap_node, hash_value(value), h) {
        if (e->value == value) {
            return e;
        }
    }
    return NULL;
}

/* Checks that 'h' holds exactly the values marked in 'present'. */
static void
check_hmap(const struct hmap *h, const bool *present, int n)
{
    bool *seen = xcalloc(n, sizeof *seen);
    size_t count = 0;
    struct element *e;

    HMAP_FOR_EACH (e, hmap_node, h) {
        CHECK(e->value >= 0 && e->value < n);
        CHECK(present[e->value]);
        CHECK(!seen[e->value]);
        seen[e->value] = true;
        count++;
    }
    CHECK(count == hmap_count(h));
    for (int i = 0; i < n; i++) {
        CHECK(seen[i] == present[i]);
        CHECK((find_element(h, i) != NULL) == present[i]);
    }
    free(seen);
}

static void
test_hmap(void)
{
    enum { N = 5000 };
    struct element *elems = xcalloc(N, sizeof *elems);
    bool present[N];
    struct hmap h;

    hmap_init(&h);
    CHECK(hmap_is_empty(&h));
    memset(present, 0, sizeof present);
    for (int i = 0; i < N; i++) {
        elems[i].value = i;
        hmap_insert(&h, &elems[i].hmap_node, hash_value(i));
        present[i] = true;
        if (i % 499 == 0) {
            check_hmap(&h, present, N);
        }
    }
    CHECK(hmap_count(&h) == N);
    check_hmap(&h, present, N);

    /* Remove every third element, then put them back. */
    for (int i = 0; i < N; i += 3) {
        hmap_remove(&h, &elems[i].hmap_node);
        present[i] = false;
    }
    check_hmap(&h, present, N);
    for (int i = 0; i < N; i += 3) {
        hmap_insert(&h, &elems[i].hmap_node, hash_value(i));
        present[i] = true;
    }
    check_hmap(&h, present, N);

    /* Safe removal while iterating: drop the odd values. */
    struct element *e, *next;
    HMAP_FOR_EACH_SAFE (e, next, hmap_node, &h) {
        if (e->value % 2) {
            hmap_remove(&h, &e->hmap_node);
            present[e->value] = false;
        }
    }
    check_hmap(&h, present, N);
    CHECK(hmap_count(&h) == N / 2);

    /* Then everything: the map shrinks back to empty. */
    HMAP_FOR_EACH_SAFE (e, next, hmap_node, &h) {
        hmap_remove(&h, &e->hmap_node);
        present[e->value] = false;
    }
    CHECK(hmap_is_empty(&h));
    check_hmap(&h, present, N);

    hmap_destroy(&h);
    free(elems);
}

static void
test_list(void)
{
    enum { N = 1000 };
    struct element *elems = xcalloc(N, sizeof *elems);
    struct xvs_list list;
    struct element *e, *next;

    xvs_list_init(&list);
    CHECK(xvs_list_is_empty(&list));
    for (int i = 0; i < N; i++) {
        elems[i].value = i;
        if (i % 2) {
            xvs_list_push_back(&list, &elems[i].list_node);
        } else {
            xvs_list_push_front(&list, &elems[i].list_node);
        }
    }
    CHECK(xvs_list_size(&list) == N);

    /* Expected order: even values descending, then odd ascending. */
    int expected = N - 2;
    bool evens = true;
    XVS_LIST_FOR_EACH (e, list_node, &list) {
        CHECK(e->value == expected);
        if (evens) {
            expected -= 2;
            if (expected < 0) {
                evens = false;
                expected = 1;
            }
        } else {
            expected += 2;
        }
    }
    CHECK(!evens && expected == N + 1);

    XVS_LIST_FOR_EACH_SAFE (e, next, list_node, &list) {
        if (e->value % 3 == 0) {
            xvs_list_remove(&e->list_node);
        }
    }
    size_t n = 0;
    XVS_LIST_FOR_EACH (e, list_node, &list) {
        CHECK(e->value % 3 != 0);
        n++;
    }
    CHECK(n == xvs_list_size(&list));
    CHECK(n == N - (N + 2) / 3);

    while (!xvs_list_is_empty(&list)) {
        struct xvs_list *node = xvs_list_pop_front(&list);
        CHECK(CONTAINER_OF(node, struct element, list_node)->value % 3 != 0);
    }
    CHECK(xvs_list_size(&list) == 0);
    free(elems);
}

static void
test_ds(void)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    CHECK(!strcmp(ds_cstr(&s), ""));
    ds_put_cstr(&s, "hello");
    ds_put_char(&s, ' ');
    ds_put_format(&s, "%s %d", "world", 42);
    CHECK(!strcmp(ds_cstr(&s), "hello world 42"));
    CHECK(s.length == strlen("hello world 42"));
    ds_put_buffer(&s, "\n\n", 2);
    ds_chomp(&s, '\n');
    CHECK(!strcmp(ds_cstr(&s), "hello world 42\n"));

    /* Growth well past any initial allocation. */
    ds_clear(&s);
    for (int i = 0; i < 10000; i++) {
        ds_put_format(&s, "%d,", i % 10);
    }
    CHECK(s.length == 20000);
    CHECK(!strncmp(ds_cstr(&s), "0,1,2,3", 7));

    char *stolen = ds_steal_cstr(&s);
    CHECK(strlen(stolen) == 20000);
    free(stolen);
    CHECK(!strcmp(ds_cstr(&s), ""));
    ds_destroy(&s);
}

static void
test_uuid(void)
{
    static const char *const good = "550e8400-e29b-41d4-a716-446655440000";
    static const char *const bad[] = {
        "",
        "550e8400-e29b-41d4-a716-44665544000",     /* Too short. */
        "550e8400-e29b-41d4-a716-4466554400000",   /* Too long. */
        "550e8400xe29b-41d4-a716-446655440000",    /* Bad separator. */
        "550e8400-e29b-41d4-a716-44665544000g",    /* Not hex. */
        "+50e8400-e29b-41d4-a716-446655440000",
        " 50e8400-e29b-41d4-a716-446655440000",
    };
    struct uuid u, v;
    char s[UUID_LEN + 1];

    CHECK(uuid_from_string(&u, good));
    uuid_format(&u, s);
    CHECK(!strcmp(s, good));
    CHECK(uuid_from_string(&v, "550E8400-E29B-41D4-A716-446655440000"));
    CHECK(uuid_equals(&u, &v));
    CHECK(!uuid_is_zero(&u));
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        if (uuid_from_string(&u, bad[i])) {
            fprintf(stderr, "accepted bad uuid \"%s\"\n", bad[i]);
            exit(1);
        }
    }

    /* Generated UUIDs round-trip and differ. */
    for (int i = 0; i < 100; i++) {
        uuid_generate(&u);
        uuid_generate(&v);
        CHECK(!uuid_equals(&u, &v));
        uuid_format(&u, s);
        CHECK(strlen(s) == UUID_LEN);
        CHECK(uuid_from_string(&v, s));
        CHECK(uuid_equals(&u, &v));
        CHECK(uuid_hash(&u) == uuid_hash(&v));
    }
}

/* Splits 'stream' into values with jsonrpc_parse_one() as a reader that
 * received only its first 'avail' bytes would, then the rest; returns the
 * values as one JSON array. */
static json_t *
parse_stream(const char *stream, size_t len, size_t avail)
{
    json_t *values = json_array();
    size_t ofs = 0;
    size_t limit = avail;

    for (;;) {
        json_t *v;
        size_t consumed;
        char *error;
        int retval = jsonrpc_parse_one(stream + ofs, limit - ofs, &v,
                                       &consumed, &error);
        if (retval < 0) {
            fprintf(stderr, "split at %zu, offset %zu: %s\n", avail, ofs,
                    error);
            exit(1);
        }
        if (retval == 1) {
            CHECK(consumed > 0 && consumed <= limit - ofs);
            json_array_append_new(values, v);
            ofs += consumed;
        } else if (limit < len) {
            limit = len;
        } else {
            break;
        }
    }
    return values;
}

static void
test_jsonrpc_framing(void)
{
    static const char stream[] =
        "{\"method\":\"echo\",\"params\":[],\"id\":\"echo\"}"
        "  [1, 2.5, -3e2, true, false, null]\n"
        "{\"s\":\"brace } bracket ] quote \\\" backslash \\\\\","
        "\"u\":\"\\u00e9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\","
        "\"nested\":{\"a\":[{},[],{\"b\":[[[]]]}]}}"
        "{\"result\":{\"x\":12345678901},\"error\":null,\"id\":7}";
    size_t len = strlen(stream);

    json_t *whole = parse_stream(stream, len, len);
    CHECK(json_array_size(whole) == 4);
    CHECK(!strcmp(json_string_value(json_object_get(
                      json_array_get(whole, 2), "u")),
                  "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
    /* Whatever the split point, the same values come out. */
    for (size_t avail = 0; avail <= len; avail++) {
        json_t *split = parse_stream(stream, len, avail);
        if (!json_equal(split, whole)) {
            fprintf(stderr, "split at %zu differs\n", avail);
            exit(1);
        }
        json_decref(split);
    }
    json_decref(whole);

    /* Only whitespace, or nothing: need more bytes. */
    json_t *v;
    size_t consumed;
    char *error;
    CHECK(jsonrpc_parse_one("", 0, &v, &consumed, &error) == 0);
    CHECK(jsonrpc_parse_one(" \n\t", 3, &v, &consumed, &error) == 0);

    /* Garbage, at the start or inside a value, is an error even before
     * the value could be complete. */
    static const char *const garbage[] = {
        "hello", "}", "]", "{\"a\" 1}", "[1,,2]", "{\"a\":1,}x",
        "[1 2 3", "{\"a\":tru1", "[\"\\q\"]", "{1:2}", "\"string\"", "42 ",
        "[1]]", "[\xff]",
    };
    for (size_t i = 0; i < ARRAY_SIZE(garbage); i++) {
        const char *g = garbage[i];
        int retval = jsonrpc_parse_one(g, strlen(g), &v, &consumed, &error);
        if (!strcmp(g, "[1]]")) {
            /* A valid value, then garbage at the next one. */
            CHECK(retval == 1 && consumed == 3);
            json_decref(v);
            retval = jsonrpc_parse_one(g + 3, 1, &v, &consumed, &error);
        }
        if (retval != -1) {
            fprintf(stderr, "garbage \"%s\" gave %d, not -1\n", g, retval);
            exit(1);
        }
        CHECK(error && *error);
        free(error);
    }

    /* A large message: a few megabytes in one value. */
    json_t *big = json_array();
    for (int i = 0; i < 100000; i++) {
        json_array_append_new(big, json_pack("{s:i, s:s}", "n", i,
                                             "s", "some text [ { \""));
    }
    char *s = json_dumps(big, JSON_COMPACT);
    size_t slen = strlen(s);
    CHECK(slen > 3000000);
    CHECK(jsonrpc_parse_one(s, slen - 1, &v, &consumed, &error) == 0);
    CHECK(jsonrpc_parse_one(s, slen, &v, &consumed, &error) == 1);
    CHECK(consumed == slen);
    CHECK(json_equal(v, big));
    json_decref(v);
    free(s);
    json_decref(big);

    /* Constructors. */
    json_t *id = NULL;
    json_t *req = jsonrpc_request("transact", NULL, &id);
    CHECK(id && json_equal(json_object_get(req, "id"), id));
    CHECK(json_is_array(json_object_get(req, "params")));
    json_t *reply = jsonrpc_reply(json_string("ok"), id);
    CHECK(json_is_null(json_object_get(reply, "error")));
    CHECK(json_equal(json_object_get(reply, "id"), id));
    json_t *ereply = jsonrpc_error_reply(json_string("bad"), id);
    CHECK(json_is_null(json_object_get(ereply, "result")));
    json_t *note = jsonrpc_notify("update", json_array());
    CHECK(json_is_null(json_object_get(note, "id")));
    json_decref(req);
    json_decref(reply);
    json_decref(ereply);
    json_decref(note);
    json_decref(id);
}

/* A bucket of 100 a second and bursts of 25: starts full, empties, and
 * refills at the rate, never past the burst. */
static void
test_token_bucket(void)
{
    struct token_bucket tb;
    int n = 0;

    token_bucket_init(&tb, 100, 25, 1000);
    while (token_bucket_take(&tb, 1000)) {
        n++;
    }
    CHECK(n == 25);
    CHECK(!token_bucket_take(&tb, 1009));       /* 0.9 of a token. */
    CHECK(token_bucket_take(&tb, 1010));        /* 10 ms: one token. */
    CHECK(!token_bucket_take(&tb, 1010));
    for (n = 0; token_bucket_take(&tb, 1110); n++) {
        continue;
    }
    CHECK(n == 10);
    for (n = 0; token_bucket_take(&tb, 100000); n++) {
        continue;
    }
    CHECK(n == 25);                             /* Capped at the burst. */
    CHECK(!token_bucket_take(&tb, 99999));      /* Time going back. */
}


/* coverage: counts from several threads add up, including those of
 * threads that have exited, and the rates follow the (stopped) clock:
 * one second holding 4005 events, then the windows sliding past it. */
COVERAGE_DEFINE(test_event);
COVERAGE_DEFINE(test_never);

static void *
coverage_thread(void *aux XVS_UNUSED)
{
    for (int i = 0; i < 1000; i++) {
        COVERAGE_INC(test_event);
    }
    return NULL;
}

static void
check_coverage_row(const char *expected)
{
    char *text = coverage_show();
    char *row = strstr(text, "\ntest_event ");
    CHECK(row != NULL);
    CHECK(!strncmp(row + 1, expected, strlen(expected)));
    CHECK(!strstr(text, "test_never"));
    free(text);
}

static void
test_coverage(void)
{
    pthread_t threads[4];

    time_stop();
    coverage_run();
    for (size_t i = 0; i < ARRAY_SIZE(threads); i++) {
        CHECK(!pthread_create(&threads[i], NULL, coverage_thread, NULL));
    }
    for (size_t i = 0; i < ARRAY_SIZE(threads); i++) {
        CHECK(!pthread_join(threads[i], NULL));
    }
    COVERAGE_ADD(test_event, 5);
    CHECK(coverage_total(coverage_find("test_event")) == 4005);
    CHECK(coverage_total(coverage_find("test_never")) == 0);
    CHECK(coverage_find("no_such_event") == NULL);

    /* Not a whole second yet: no sample, no rate. */
    time_warp(999);
    check_coverage_row("test_event                 0.0/sec     0.000/sec"
                       "        0.0000/sec   total: 4005\n");
    time_warp(1);
    check_coverage_row("test_event               801.0/sec    66.750/sec"
                       "        0.0000/sec   total: 4005\n");
    time_warp(4000);
    check_coverage_row("test_event               801.0/sec    66.750/sec"
                       "        0.0000/sec   total: 4005\n");
    time_warp(1000);
    check_coverage_row("test_event                 0.0/sec    66.750/sec"
                       "        0.0000/sec   total: 4005\n");
    /* The minute closes with the event second still in it... */
    time_warp(54000);
    check_coverage_row("test_event                 0.0/sec    66.750/sec"
                       "        1.1125/sec   total: 4005\n");
    /* ...which then leaves the minute, and after an hour the hour. */
    time_warp(1000);
    check_coverage_row("test_event                 0.0/sec     0.000/sec"
                       "        1.1125/sec   total: 4005\n");
    time_warp(2 * 3600 * 1000);
    check_coverage_row("test_event                 0.0/sec     0.000/sec"
                       "        0.0000/sec   total: 4005\n");
}
/* Bit by bit, straight from the definition, to check the fast paths. */
static uint32_t
crc32c_reference(const uint8_t *p, size_t len)
{
    uint32_t crc = 0xffffffff;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) {
            crc = crc & 1 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
    }
    return ~crc;
}

static void
test_crc32c(void)
{
    /* The check value of CRC-32C (RFC 3720 appendix B.4 lists more). */
    CHECK(crc32c(0, "123456789", 9) == 0xE3069283);
    CHECK(crc32c(0, "", 0) == 0);
    uint8_t zeros[32] = { 0 };
    CHECK(crc32c(0, zeros, sizeof zeros) == 0x8A9136AA);

    uint8_t buf[300];
    for (size_t i = 0; i < sizeof buf; i++) {
        buf[i] = i * 7 + 3;
    }
    for (size_t len = 0; len <= sizeof buf; len++) {
        uint32_t whole = crc32c(0, buf, len);
        CHECK(whole == crc32c_reference(buf, len));
        /* Extending a CRC piece by piece gives the same value. */
        size_t cut = len / 3;
        CHECK(crc32c(crc32c(0, buf, cut), buf + cut, len - cut) == whole);
    }
    /* One flipped bit changes it. */
    uint32_t before = crc32c(0, buf, sizeof buf);
    buf[100] ^= 0x10;
    CHECK(crc32c(0, buf, sizeof buf) != before);
}

static void
test_jsonrpc_backoff(void)
{
    /* 1 s, then doubling up to 8 s, and staying there. */
    static const int expected[] = { 1000, 2000, 4000, 8000, 8000, 8000 };
    int ms = 0;
    for (size_t i = 0; i < ARRAY_SIZE(expected); i++) {
        ms = jsonrpc_backoff_next(ms);
        CHECK(ms == expected[i]);
    }
    CHECK(jsonrpc_backoff_next(5000) == 8000);
    CHECK(jsonrpc_backoff_next(-1) == 1000);
}

static const struct {
    const char *name;
    void (*run)(void);
} tests[] = {
    { "hmap", test_hmap },
    { "list", test_list },
    { "ds", test_ds },
    { "uuid", test_uuid },
    { "jsonrpc-framing", test_jsonrpc_framing },
    { "token-bucket", test_token_bucket },
    { "coverage", test_coverage },
    { "crc32c", test_crc32c },
    { "jsonrpc-backoff", test_jsonrpc_backoff },
};

int
main(int argc, char *argv[])
{
    xvs_set_program_name(argv[0]);
    if (argc != 2) {
        xvs_fatal(0, "usage: %s TEST (one of: hmap list ds uuid "
                  "jsonrpc-framing token-bucket coverage crc32c "
                  "jsonrpc-backoff)", program_name);
    }
    for (size_t i = 0; i < ARRAY_SIZE(tests); i++) {
        if (!strcmp(argv[1], tests[i].name)) {
            tests[i].run();
            printf("%s: OK\n", tests[i].name);
            return 0;
        }
    }
    xvs_fatal(0, "unknown test \"%s\"", argv[1]);
}
