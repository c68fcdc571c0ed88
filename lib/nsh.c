/* nsh: reading and rewriting NSH headers; see nsh.h. */
#include <config.h>
#include "nsh.h"

#include <string.h>

bool
nsh_parse(const uint8_t *p, size_t len, struct flow_nsh *nsh)
{
    memset(nsh, 0, sizeof *nsh);
    if (len < NSH_BASE_LEN) {
        return false;
    }
    unsigned int version = p[0] >> 6;
    size_t hdr_len = (p[1] & 0x3f) * 4;
    uint8_t mdtype = p[2] & 0x0f;
    if (version != 0 || hdr_len < NSH_BASE_LEN || hdr_len > len
        || (mdtype == NSH_MDTYPE_1 ? hdr_len != NSH_M1_LEN
            : mdtype != NSH_MDTYPE_2)) {
        return false;
    }
    nsh->flags = (p[0] >> 4) & 0x3;
    nsh->ttl = ((p[0] & 0x0f) << 2) | (p[1] >> 6);
    nsh->mdtype = mdtype;
    nsh->np = p[3];
    memcpy(&nsh->path, p + 4, 4);
    if (mdtype == NSH_MDTYPE_1) {
        memcpy(nsh->c, p + NSH_BASE_LEN, sizeof nsh->c);
    }
    return true;
}

void
nsh_write(uint8_t *p, size_t len, const struct flow_nsh *nsh)
{
    struct flow_nsh old;
    if (!nsh_parse(p, len, &old)) {
        return;
    }
    p[0] = (p[0] & 0xc0) | (nsh->flags & 0x3) << 4 | (nsh->ttl >> 2 & 0x0f);
    p[1] = (p[1] & 0x3f) | (nsh->ttl & 0x3) << 6;
    memcpy(p + 4, &nsh->path, 4);
    if (old.mdtype == NSH_MDTYPE_1) {
        memcpy(p + NSH_BASE_LEN, nsh->c, sizeof nsh->c);
    }
}
