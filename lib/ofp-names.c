/* ofp-names: port and table names learned from a switch. */
#include <config.h>
#include "ofp-names.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct name_entry {
    char *name;
    uint32_t number;
};

struct name_list {
    struct name_entry *entries;
    size_t n;
};

static struct name_list port_names, table_names;
static bool display;
static bool loaded;
static void (*loader)(const void *aux);
static const void *loader_aux;

void
ofp_names_set_loader(void (*load)(const void *aux), const void *aux)
{
    loader = load;
    loader_aux = aux;
}

void
ofp_names_set_display(bool on)
{
    display = on;
}

static void
list_add(struct name_list *l, const char *name, uint32_t number)
{
    if (!name[0]) {
        return;
    }
    l->entries = xrealloc(l->entries, (l->n + 1) * sizeof *l->entries);
    l->entries[l->n].name = xstrdup(name);
    l->entries[l->n].number = number;
    l->n++;
}

void
ofp_names_add_port(const char *name, uint32_t port)
{
    list_add(&port_names, name, port);
}

void
ofp_names_add_table(const char *name, uint8_t table_id)
{
    list_add(&table_names, name, table_id);
}

static void
load_once(void)
{
    if (!loaded && loader) {
        loaded = true;
        loader(loader_aux);
    }
}

/* The name of 'number' in 'l' if names are displayed, else NULL. */
static const char *
list_display(const struct name_list *l, uint32_t number)
{
    if (!display) {
        return NULL;
    }
    load_once();
    for (size_t i = 0; i < l->n; i++) {
        if (l->entries[i].number == number) {
            return l->entries[i].name;
        }
    }
    return NULL;
}

/* The number named 's' (perhaps in double quotes) in 'l'. */
static bool
list_lookup(const struct name_list *l, const char *s, uint32_t *number)
{
    if (!loader) {
        return false;
    }
    load_once();
    size_t len = strlen(s);
    if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
        s++;
        len -= 2;
    }
    for (size_t i = 0; i < l->n; i++) {
        if (strlen(l->entries[i].name) == len
            && !memcmp(l->entries[i].name, s, len)) {
            *number = l->entries[i].number;
            return true;
        }
    }
    return false;
}

const char *
ofp_names_port_display(uint32_t port)
{
    return list_display(&port_names, port);
}

bool
ofp_names_port_from_name(const char *s, uint32_t *port)
{
    return list_lookup(&port_names, s, port);
}

/* Names that could be taken for something else print quoted. */
static bool
needs_quotes(const char *name)
{
    if (!isalpha((unsigned char) name[0])) {
        return true;
    }
    for (const char *p = name + 1; *p; p++) {
        if (!isalnum((unsigned char) *p)) {
            return true;
        }
    }
    return false;
}

void
ofp_names_put(const char *name, struct ds *s)
{
    if (!needs_quotes(name)) {
        ds_put_cstr(s, name);
        return;
    }
    ds_put_char(s, '"');
    for (const unsigned char *p = (const unsigned char *) name; *p; p++) {
        if (*p == '"' || *p == '\\') {
            ds_put_format(s, "\\%c", *p);
        } else if (*p < 0x20) {
            ds_put_format(s, "\\u%04x", *p);
        } else {
            ds_put_char(s, *p);
        }
    }
    ds_put_char(s, '"');
}

bool
ofp_table_from_string(const char *s, unsigned int max, uint8_t *table_id)
{
    unsigned long long n;
    uint32_t number;
    if (str_to_ullong(s, 0, &n)) {
        if (n > max) {
            return false;
        }
        *table_id = n;
        return true;
    }
    if (list_lookup(&table_names, s, &number) && number <= max) {
        *table_id = number;
        return true;
    }
    return false;
}

void
ofp_table_format(uint8_t table_id, struct ds *s)
{
    const char *name = list_display(&table_names, table_id);
    if (name) {
        ofp_names_put(name, s);
    } else {
        ds_put_format(s, "%"PRIu8, table_id);
    }
}
