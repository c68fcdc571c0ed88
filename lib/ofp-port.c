/* ofp-port: OpenFlow port numbers and their names. */
#include <config.h>
#include "ofp-port.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ofp-names.h"

struct reserved_port {
    uint32_t port;
    const char *name;
};

/* Names as ovs-ofctl prints them. */
static const struct reserved_port reserved_ports[] = {
    { OFPP_IN_PORT,    "IN_PORT" },
    { OFPP_TABLE,      "TABLE" },
    { OFPP_NORMAL,     "NORMAL" },
    { OFPP_FLOOD,      "FLOOD" },
    { OFPP_ALL,        "ALL" },
    { OFPP_CONTROLLER, "CONTROLLER" },
    { OFPP_LOCAL,      "LOCAL" },
    { OFPP_ANY,        "ANY" },
    { OFPP_UNSET,      "UNSET" },
};

uint32_t
ofp_port_from_of10(uint16_t port)
{
    return port < OFPP10_MAX ? port : port + 0xffff0000u;
}

bool
ofp_port_to_of10(uint32_t port, uint16_t *out)
{
    if (port < OFPP10_MAX) {
        *out = port;
        return true;
    }
    if (port >= 0xffffff00u) {
        *out = port - 0xffff0000u;
        return true;
    }
    *out = OFPP10_NONE;
    return false;
}

const char *
ofp_port_name(uint32_t port)
{
    for (size_t i = 0; i < ARRAY_SIZE(reserved_ports); i++) {
        if (reserved_ports[i].port == port) {
            return reserved_ports[i].name;
        }
    }
    return NULL;
}

void
ofp_port_format(uint32_t port, struct ds *s)
{
    const char *name = ofp_port_name(port);
    if (name) {
        ds_put_cstr(s, name);
    } else if ((name = ofp_names_port_display(port))) {
        ofp_names_put(name, s);
    } else {
        ds_put_format(s, "%"PRIu32, port);
    }
}

bool
ofp_port_from_string(const char *s, uint32_t *port)
{
    for (size_t i = 0; i < ARRAY_SIZE(reserved_ports); i++) {
        if (!strcasecmp(s, reserved_ports[i].name)) {
            *port = reserved_ports[i].port;
            return true;
        }
    }
    /* OF1.0 spelled "no port" as NONE. */
    if (!strcasecmp(s, "NONE")) {
        *port = OFPP_ANY;
        return true;
    }
    unsigned long long n;
    if (!str_to_ullong(s, 0, &n) || n > UINT32_MAX) {
        return ofp_names_port_from_name(s, port);
    }
    if (n > OFPP_MAX && !ofp_port_name(n)) {
        return false;
    }
    *port = n;
    return true;
}
