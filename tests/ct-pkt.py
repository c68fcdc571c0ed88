#! /usr/bin/env python3
"""ct-pkt: builds frames for the connection-tracking tests.

Usage:
    ct-pkt.py tcp SRC DST SPORT DPORT FLAGS   FLAGS: letters of S(YN),
                                              A(CK), F(IN), R(ST), P(SH),
                                              or "-" for none
    ct-pkt.py udp SRC DST SPORT DPORT
    ct-pkt.py icmp SRC DST TYPE ID            an ICMP (ICMPv6 for IPv6
                                              addresses) message of code 0
                                              with identifier ID
    ct-pkt.py other SRC DST PROTO             an IP packet of protocol PROTO
    ct-pkt.py icmperr SRC DST TYPE CODE KIND ARGS...
                                              an ICMP (ICMPv6) error quoting
                                              the IP packet that "KIND
                                              ARGS..." builds

prints the frame as hex, and

    ct-pkt.py show HEX...                     prints each frame as
                                              tests/pkt-check.py does, with
                                              an ICMP echo's identifier
                                              (id=N) and the packet an
                                              ICMP error quotes, checksums
                                              checked (quote(...))
  SRC and DST are IPv4 or IPv6 addresses; the
Ethernet addresses are 50:54:00:00:00:01 and 50:54:00:00:00:02, ordered
so that the lower IP address sends from ...:01."""

import importlib.util
import ipaddress
import os
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(src, dst, proto, l4):
    a, b = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    m1, m2 = bytes.fromhex('505400000001'), bytes.fromhex('505400000002')
    eth_src, eth_dst = (m1, m2) if a < b else (m2, m1)
    if a.version == 4:
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(l4), 0, 0, 64,
                         proto, 0, a.packed, b.packed)
        ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
        pseudo = a.packed + b.packed + struct.pack('!BBH', 0, proto, len(l4))
        ethertype = 0x0800
    else:
        ip = struct.pack('!IHBB16s16s', 0x60000000, len(l4), proto, 64,
                         a.packed, b.packed)
        pseudo = a.packed + b.packed + struct.pack('!I3xB', len(l4), proto)
        ethertype = 0x86dd
    return eth_dst + eth_src + struct.pack('!H', ethertype) + ip, pseudo


def build(args):
    kind, src, dst = args[0], args[1], args[2]
    v6 = ':' in src
    if kind == 'tcp':
        flags = 0
        for c in args[5]:
            flags |= {'F': 1, 'S': 2, 'R': 4, 'P': 8, 'A': 16, '-': 0}[c]
        l4 = struct.pack('!HHIIBBHHH', int(args[3]), int(args[4]), 1000,
                         2000 if flags & 16 else 0, 5 << 4, flags, 8192, 0,
                         0)
        proto, ofs = 6, 16
    elif kind == 'udp':
        l4 = struct.pack('!HHHH', int(args[3]), int(args[4]), 12, 0) + b'ping'
        proto, ofs = 17, 6
    elif kind == 'icmperr':
        quoted = bytes.fromhex(build(args[5:]))[14:]
        l4 = struct.pack('!BBHI', int(args[3]), int(args[4]), 0, 0) + quoted
        proto, ofs = (58 if v6 else 1), 2
    elif kind == 'icmp':
        l4 = struct.pack('!BBHHH', int(args[3]), 0, 0, int(args[4]), 1)
        l4 += b'ping'
        proto, ofs = (58 if v6 else 1), 2
    else:
        l4, proto, ofs = b'data', int(args[3]), None
    head, pseudo = frame(src, dst, proto, l4)
    if ofs is not None:
        c = csum((pseudo if proto != 1 else b'') + l4)
        l4 = l4[:ofs] + struct.pack('!H', c) + l4[ofs + 2:]
    return (head + l4).hex()


def pkt_check():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'pkt-check.py')
    spec = importlib.util.spec_from_file_location('pkt_check', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def show(frame, pc):
    text = pc.show(frame)
    etype = struct.unpack('!H', frame[12:14])[0]
    if etype == 0x0800 and frame[23] == 1:
        icmp, errors, echoes = frame[14 + (frame[14] & 0xf) * 4:], \
            (3, 11, 12), (0, 8)
    elif etype == 0x86dd and frame[20] == 58:
        icmp, errors, echoes = frame[54:], (1, 2, 3, 4), (128, 129)
    else:
        return text
    if icmp[0] in echoes:
        text += ' id=%d' % struct.unpack('!H', icmp[4:6])[0]
    elif icmp[0] in errors:
        quote = pc.show(frame[:12] + frame[12:14] + icmp[8:])
        text += ' quote(%s)' % quote.split(' ', 1)[1]
    return text


if __name__ == '__main__':
    if sys.argv[1:2] == ['show']:
        pc = pkt_check()
        for h in sys.argv[2:]:
            print(show(bytes.fromhex(h), pc))
    else:
        print(build(sys.argv[1:]))
