#! /usr/bin/python3
"""Sends one hand-made tunnel packet to DST, for the tunnel tests.

Usage: tnl-inject.py [--no-udp-csum] DST KIND

KIND names a well-formed or a broken Geneve, VXLAN or GRE packet (see
KINDS below).  Geneve and VXLAN go in a UDP datagram to their port (with
--no-udp-csum, a checksum of zero: "none"); GRE in a raw IP packet of
protocol 47.  Each carries a small Ethernet frame from 02:00:00:00:00:02
to 02:00:00:00:00:01: an IPv4 header alone, or with -udp, a whole UDP
datagram (10.0.0.2:1024 to 10.0.0.1:9)."""

import socket
import struct
import sys

INNER = (bytes.fromhex("020000000001" "020000000002" "0800")
         + bytes.fromhex("45000014000000004011" "0000" "0a000002" "0a000001")
         + bytes(26))


def ipv4_udp():
    udp = struct.pack("!HHHH", 1024, 9, 8, 0)
    ip = bytes.fromhex("4500001c000000004011" "0000" "0a000002" "0a000001")
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return bytes.fromhex("020000000001" "020000000002" "0800") + ip + udp


def geneve(vni, opts=b"", ver=0, words=None, proto=0x6558):
    words = len(opts) // 4 if words is None else words
    return (struct.pack("!BBHI", ver << 6 | words, 0, proto, vni << 8)
            + opts)


def opt(cls, typ, data):
    return struct.pack("!HBB", cls, typ, len(data) // 4) + data


def vxlan(vni, flags=0x08):
    return struct.pack("!B3xI", flags, vni << 8)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def gre(flags=0, proto=0x6558, key=None, csum=None):
    f = flags | (0x2000 if key is not None else 0)
    f |= 0x8000 if csum is not None else 0
    hdr = struct.pack("!HH", f, proto)
    if csum is not None:
        hdr += struct.pack("!HH", 0, 0)
    if key is not None:
        hdr += struct.pack("!I", key)
    if csum == "good":
        c = checksum(hdr + INNER)
        hdr = hdr[:4] + struct.pack("!H", c) + hdr[6:]
    elif csum == "bad":
        hdr = hdr[:4] + struct.pack("!H", 0x1234) + hdr[6:]
    return hdr


OVN = opt(0x0102, 0x80, bytes.fromhex("00010002"))
INNER_UDP = ipv4_udp()
KINDS = {
    "geneve-udp": ("geneve", geneve(5, OVN + opt(0x0999, 0x01, bytes(4)))
                   + INNER_UDP),
    "geneve-udp-critical": ("geneve",
                            geneve(5, OVN + opt(0x0999, 0x81, bytes(4)))
                            + INNER_UDP),
    # Mapped OVN option plus an unknown option that is not critical.
    "geneve-good": ("geneve", geneve(5, OVN + opt(0x0999, 0x01, bytes(4)))
                    + INNER),
    "geneve-critical": ("geneve", geneve(5, OVN + opt(0x0999, 0x81, bytes(4)))
                        + INNER),
    "geneve-version": ("geneve", geneve(5, OVN, ver=1) + INNER),
    # Option length beyond the packet.
    "geneve-optlen": ("geneve", geneve(5, OVN, words=63)),
    # An option whose own length runs past the options.
    "geneve-optover": ("geneve", geneve(5, opt(0x0102, 0x80, bytes(4))[:3]
                                        + b"\x05" + bytes(4), words=2)
                       + INNER),
    "geneve-short": ("geneve", b"\x00\x00\x65"),
    "geneve-ip": ("geneve", geneve(5, OVN, proto=0x0800) + INNER),
    "geneve-noframe": ("geneve", geneve(5, OVN) + INNER[:10]),
    "vxlan-good": ("vxlan", vxlan(7) + INNER),
    "vxlan-noflag": ("vxlan", vxlan(7, flags=0) + INNER),
    "gre-good": ("gre", gre(key=9, csum="good") + INNER),
    "gre-badcsum": ("gre", gre(key=9, csum="bad") + INNER),
    "gre-routing": ("gre", gre(flags=0x4000, key=9) + INNER),
    "gre-version": ("gre", gre(flags=0x0001, key=9) + INNER),
    "gre-ip": ("gre", gre(key=9, proto=0x0800) + INNER),
}
PORTS = {"geneve": 6081, "vxlan": 4789}
SO_NO_CHECK = 11                # Linux: send UDP without a checksum.


def main():
    args = sys.argv[1:]
    no_csum = args[:1] == ["--no-udp-csum"]
    if no_csum:
        args = args[1:]
    if len(args) != 2 or args[1] not in KINDS:
        sys.stderr.write("usage: tnl-inject.py [--no-udp-csum] DST KIND "
                         "(KIND: %s)\n" % ", ".join(sorted(KINDS)))
        sys.exit(2)
    dst, kind = args
    proto, payload = KINDS[kind]
    if proto == "gre":
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_GRE)
        s.sendto(payload, (dst, 0))
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        if no_csum:
            s.setsockopt(socket.SOL_SOCKET, SO_NO_CHECK, 1)
        s.sendto(payload, (dst, PORTS[proto]))


if __name__ == "__main__":
    main()
