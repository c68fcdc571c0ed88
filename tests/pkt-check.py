#! /usr/bin/env python3
"""pkt-check: builds test frames and shows frames with their checksums.

Usage:
    pkt-check.py build KIND     prints one frame as hex; KIND is tcp4,
                                udp4, udp4-nocsum, icmp4, sctp4, tcp6, udp6,
                                sctp6, arp, ns6 or na6 (a neighbor
                                solicitation for fd00::2 with the source's
                                link-layer address, an advertisement of
                                fd00::2 with the target's), mpls4 (tcp4
                                under label 100, TC 5, TTL 9) or mpls4x2
                                (tcp4 under labels 200 over 100, TTLs 7
                                and 9), or NSH: nsh1 (MD type 1, TTL 63,
                                SPI 0x123, SI 255, contexts 0x11111111,
                                0x22222222, 0x33333333, 0x44444444, over
                                the tcp4 frame, next protocol Ethernet),
                                nsh2 (MD type 2, one 4-byte TLV, SPI 0x456,
                                SI 9, flags 1, TTL 5, over tcp4's IPv4
                                packet), and malformed NSH: nsh-ver
                                (nsh1 with version 1), nsh-len (nsh1 whose
                                Length runs past the frame), nsh-md1len
                                (MD type 1 with Length 2), nsh-md3 (MD type
                                3), nsh-short (4 bytes of NSH header)
    pkt-check.py build KIND SRC DST SPORT DPORT
                                the same with other IPv4 addresses and
                                ports, for KIND tcp4 or udp4
    pkt-check.py show HEX...    prints each frame's headers, one line each,
                                with "csum=ok" or "csum=BAD" for the IPv4
                                header and the L4 checksum

Frames are from 50:54:00:00:00:01 to 50:54:00:00:00:02, 10.0.0.1 to
10.0.0.2 (or fd00::1 to fd00::2), ports 1234 to 80, TTL 64.  MPLS label
stack entries show as mpls(label,tc,ttl,bos); the payload after the bottom
one is shown by its IP version.  An NSH header shows as
nsh(ver,flags,ttl,len,mdtype,np,spi,si[,c1..c4]) followed by what its next
protocol says (Ethernet, IPv4, IPv6); a header that does not fit the frame
shows as nsh(short)."""

import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def mac(s):
    return bytes(int(x, 16) for x in s.split(':'))


def fmt_mac(b):
    return ':'.join('%02x' % x for x in b)


def ip4(s):
    return bytes(int(x) for x in s.split('.'))


def fmt_ip4(b):
    return '.'.join(str(x) for x in b)


def ip6(last):
    return b'\xfd' + b'\0' * 14 + bytes([last])


def fmt_ip6(b):
    return 'fd00::%x' % b[15] if b[:15] == b'\xfd' + b'\0' * 14 else b.hex()


ETH = mac('50:54:00:00:00:02') + mac('50:54:00:00:00:01')


def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
    return crc ^ 0xffffffff


def sctp_ok(seg):
    """SCTP's CRC32c, over the packet with a zero checksum field, is
    stored least significant byte first."""
    zeroed = seg[:8] + b'\0' * 4 + seg[12:]
    return struct.unpack('<I', seg[8:12])[0] == crc32c(zeroed)


def l4(proto, src_ip, dst_ip, v6, nocsum=False, sport=1234, dport=80):
    payload = b'hello'
    if proto == 132:
        # Common header (ports, verification tag) and one DATA chunk.
        seg = (struct.pack('!HHII', 1234, 80, 0x01020304, 0)
               + struct.pack('!BBHIHHI', 0, 3, 16 + 4, 1, 0, 0, 0)
               + b'data')
        return seg[:8] + struct.pack('<I', crc32c(seg)) + seg[12:]
    if proto == 6:
        hdr = struct.pack('!HHIIBBHHH', sport, dport, 1, 0, 5 << 4, 0x02,
                          1000, 0, 0)
    elif proto == 17:
        hdr = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0)
    else:
        hdr = struct.pack('!BBHHH', 128 if v6 else 8, 0, 0, 1, 1)
    seg = hdr + payload
    if nocsum:
        return seg
    if v6:
        pseudo = src_ip + dst_ip + struct.pack('!IxxxB', len(seg), proto)
    elif proto == 1:
        pseudo = b''
    else:
        pseudo = src_ip + dst_ip + struct.pack('!xBH', proto, len(seg))
    c = csum(pseudo + seg)
    ofs = {6: 16, 17: 6, 1: 2, 58: 2}[proto]
    return seg[:ofs] + struct.pack('!H', c) + seg[ofs + 2:]


def lse(label, tc, ttl, bos):
    return struct.pack('!I', label << 12 | tc << 9 | bos << 8 | ttl)


def nd(kind):
    src, dst = ip6(1), ip6(2)
    if kind == 'ns6':
        body = struct.pack('!BBHI', 135, 0, 0, 0) + dst + struct.pack(
            '!BB6s', 1, 1, mac('50:54:00:00:00:01'))
    else:
        body = struct.pack('!BBHI', 136, 0, 0, 0x60000000) + dst + \
            struct.pack('!BB6s', 2, 1, mac('50:54:00:00:00:02'))
    pseudo = src + dst + struct.pack('!IxxxB', len(body), 58)
    body = body[:2] + struct.pack('!H', csum(pseudo + body)) + body[4:]
    hdr = struct.pack('!IHBB', 6 << 28, len(body), 58, 255) + src + dst
    return ETH + b'\x86\xdd' + hdr + body


def nsh_hdr(ver, flags, ttl, words, mdtype, np, spi, si):
    return struct.pack('!BBBBI', ver << 6 | flags << 4 | ttl >> 2,
                       (ttl & 3) << 6 | words, mdtype, np, spi << 8 | si)


NSH_MD1 = struct.pack('!IIII', 0x11111111, 0x22222222, 0x33333333,
                      0x44444444)


def build_nsh(kind):
    inner = build('tcp4')
    if kind == 'nsh2':
        tlv = struct.pack('!HBBI', 0x1000, 10, 4, 0x12345678)
        return (ETH + b'\x89\x4f' + nsh_hdr(0, 1, 5, 4, 2, 1, 0x456, 9)
                + tlv + inner[14:])
    if kind == 'nsh-short':
        return ETH + b'\x89\x4f' + nsh_hdr(0, 0, 63, 6, 1, 3, 0x123, 255)[:4]
    ver, words, mdtype = {'nsh1': (0, 6, 1), 'nsh-ver': (1, 6, 1),
                          'nsh-len': (0, 63, 1), 'nsh-md1len': (0, 2, 1),
                          'nsh-md3': (0, 6, 3)}[kind]
    return (ETH + b'\x89\x4f'
            + nsh_hdr(ver, 0, 63, words, mdtype, 3, 0x123, 255) + NSH_MD1
            + inner)


def show_nsh(p, out):
    """Appends the NSH header at 'p'; returns the rest and its
    Ethertype, or None if that is not shown."""
    if len(p) < 8 or (p[1] & 0x3f) * 4 > len(p):
        out.append('nsh(short)')
        return None, None
    words = p[1] & 0x3f
    spi_si = struct.unpack('!I', p[4:8])[0]
    text = ('nsh(ver=%d,flags=%d,ttl=%d,len=%d,mdtype=%d,np=%d,spi=%#x,si=%d'
            % (p[0] >> 6, (p[0] >> 4) & 3, (p[0] & 0xf) << 2 | p[1] >> 6,
               words, p[2] & 0xf, p[3], spi_si >> 8, spi_si & 0xff))
    if p[2] & 0xf == 1 and words == 6:
        text += ',c1=%#x,c2=%#x,c3=%#x,c4=%#x' % struct.unpack('!IIII',
                                                              p[8:24])
    out.append(text + ')')
    return p[words * 4:], {1: 0x0800, 2: 0x86dd, 3: 'eth'}.get(p[3])


def build(kind, src='10.0.0.1', dst='10.0.0.2', sport=1234, dport=80):
    if kind.startswith('nsh'):
        return build_nsh(kind)
    if kind in ('ns6', 'na6'):
        return nd(kind)
    if kind.startswith('mpls4'):
        ip = build('tcp4')[14:]
        stack = lse(100, 5, 9, 1)
        if kind == 'mpls4x2':
            stack = lse(200, 0, 7, 0) + stack
        return ETH + b'\x88\x47' + stack + ip
    if kind == 'arp':
        return ETH[:6] + ETH[6:] + b'\x08\x06' + struct.pack(
            '!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 1, mac('50:54:00:00:00:01'),
            ip4('10.0.0.1'), b'\0' * 6, ip4('10.0.0.2'))
    if kind.endswith('6') and kind != 'udp4-nocsum':
        proto = {'tcp6': 6, 'udp6': 17, 'sctp6': 132}[kind]
        src, dst = ip6(1), ip6(2)
        seg = l4(proto, src, dst, True)
        hdr = struct.pack('!IHBB', 6 << 28, len(seg), proto, 64) + src + dst
        return ETH + b'\x86\xdd' + hdr + seg
    proto = {'tcp4': 6, 'udp4': 17, 'udp4-nocsum': 17, 'icmp4': 1,
             'sctp4': 132}[kind]
    src, dst = ip4(src), ip4(dst)
    seg = l4(proto, src, dst, False, kind == 'udp4-nocsum', sport, dport)
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(seg), 0, 0x4000,
                      64, proto, 0, src, dst)
    hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
    return ETH + b'\x08\x00' + hdr + seg


def ok(b):
    return 'ok' if b else 'BAD'


def show(frame):
    out = ['eth(%s>%s)' % (fmt_mac(frame[6:12]), fmt_mac(frame[0:6]))]
    ofs = 12
    while frame[ofs:ofs + 2] == b'\x81\x00':
        out.append('vlan(%d)' % (struct.unpack('!H', frame[ofs + 2:ofs + 4])[0]
                                 & 0xfff))
        ofs += 4
    etype = struct.unpack('!H', frame[ofs:ofs + 2])[0]
    p = frame[ofs + 2:]
    if etype in (0x8847, 0x8848):
        while len(p) >= 4:
            v = struct.unpack('!I', p[:4])[0]
            out.append('mpls(label=%d,tc=%d,ttl=%d,bos=%d)'
                       % (v >> 12, (v >> 9) & 7, v & 0xff, (v >> 8) & 1))
            p = p[4:]
            if v & 0x100:
                break
        etype = {4: 0x0800, 6: 0x86dd}.get(p[0] >> 4 if p else 0)
    if etype == 0x894f:
        p, etype = show_nsh(p, out)
        if etype == 'eth':
            return ' '.join(out) + ' ' + show(p)
    if etype == 0x0806:
        op, sha, spa, tha, tpa = struct.unpack('!6xH6s4s6s4s', p[:28])
        out.append('arp(op=%d,%s/%s>%s/%s)' % (op, fmt_mac(sha), fmt_ip4(spa),
                                              fmt_mac(tha), fmt_ip4(tpa)))
        return ' '.join(out)
    if etype == 0x0800:
        hlen = (p[0] & 0xf) * 4
        tot = struct.unpack('!H', p[2:4])[0]
        proto, src, dst = p[9], p[12:16], p[16:20]
        out.append('ipv4(%s>%s,tos=%#x,ttl=%d,csum=%s)'
                   % (fmt_ip4(src), fmt_ip4(dst), p[1], p[8],
                      ok(csum(p[:hlen]) == 0)))
        seg = p[hlen:tot]
        pseudo = src + dst + struct.pack('!xBH', proto, len(seg))
    elif etype == 0x86dd:
        plen, proto, hlim = struct.unpack('!HBB', p[4:8])
        src, dst = p[8:24], p[24:40]
        vtc = struct.unpack('!I', p[:4])[0]
        out.append('ipv6(%s>%s,tc=%#x,label=%#x,hlim=%d)'
                   % (fmt_ip6(src), fmt_ip6(dst), (vtc >> 20) & 0xff,
                      vtc & 0xfffff, hlim))
        seg = p[40:40 + plen]
        pseudo = src + dst + struct.pack('!IxxxB', len(seg), proto)
    else:
        return ' '.join(out)
    if proto in (6, 17):
        sport, dport = struct.unpack('!HH', seg[:4])
        c = struct.unpack('!H', seg[16:18] if proto == 6 else seg[6:8])[0]
        good = 'none' if proto == 17 and c == 0 else ok(csum(pseudo + seg) == 0)
        out.append('%s(%d>%d,csum=%s)' % ('tcp' if proto == 6 else 'udp',
                                          sport, dport, good))
    elif proto == 132:
        sport, dport = struct.unpack('!HH', seg[:4])
        out.append('sctp(%d>%d,csum=%s)' % (sport, dport, ok(sctp_ok(seg))))
    elif proto in (1, 58):
        good = csum((pseudo if proto == 58 else b'') + seg) == 0
        out.append('icmp(type=%d,code=%d,csum=%s)' % (seg[0], seg[1],
                                                      ok(good)))
        if proto == 58 and seg[0] in (135, 136) and len(seg) >= 24:
            opts = ['target=' + fmt_ip6(seg[8:24])]
            o = 24
            while o + 8 <= len(seg) and seg[o + 1]:
                if seg[o] in (1, 2):
                    opts.append('%s=%s' % ('sll' if seg[o] == 1 else 'tll',
                                           fmt_mac(seg[o + 2:o + 8])))
                o += seg[o + 1] * 8
            out.append('nd(%s)' % ','.join(opts))
    return ' '.join(out)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == 'build':
        print(build(sys.argv[2]).hex())
    elif (len(sys.argv) == 7 and sys.argv[1] == 'build'
          and sys.argv[2] in ('tcp4', 'udp4')):
        a = sys.argv
        print(build(a[2], a[3], a[4], int(a[5]), int(a[6])).hex())
    elif len(sys.argv) >= 2 and sys.argv[1] == 'show':
        for h in sys.argv[2:]:
            print(show(bytes.fromhex(h)))
    else:
        sys.stderr.write(__doc__)
        sys.exit(1)


if __name__ == '__main__':
    main()
