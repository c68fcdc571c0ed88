#! /usr/bin/env python3
"""ofp-client: a tiny raw OpenFlow client for tests.

Usage: ofp-client.py unix:PATH|tcp:IP:PORT VERSION [N:]HEX...

Connects, exchanges HELLO at VERSION (e.g. 4 for OpenFlow 1.3), then for
each HEX message (the bytes to send, any xid) sends it followed by an
ECHO_REQUEST with xid 0xeeeeeeee and prints every message received before
that echo's reply, one line each:
    error type=T code=C data=FIRST-BYTES-HEX
    reply type=T xid=X len=L [body=HEX]
so a test sees both the error and that the connection still answers.
Role, async-config and bundle-control replies (types 25, 27, 30, 33) also
print their body.

"N:HEX" sends on a further connection number N (opened, with HELLO, the
first time it is named) and prefixes what arrives on it with "N: "; a
bare "N:" sends nothing and only prints what has arrived on N (the echo
makes sure the switch has sent it), which is how a test sees the
asynchronous messages one connection gets because of another's request.
Exits 1 if a connection closes or nothing arrives within 10 s."""

import socket
import struct
import sys

ECHO_XID = 0xeeeeeeee
BODY_TYPES = (25, 27, 30, 33)


def recv_msg(sock):
    hdr = b''
    while len(hdr) < 8:
        chunk = sock.recv(8 - len(hdr))
        if not chunk:
            raise EOFError('connection closed')
        hdr += chunk
    version, mtype, length, xid = struct.unpack('!BBHI', hdr)
    body = b''
    while len(body) < length - 8:
        chunk = sock.recv(length - 8 - len(body))
        if not chunk:
            raise EOFError('connection closed')
        body += chunk
    return version, mtype, length, xid, body


def connect(target, version):
    if target.startswith('tcp:'):
        ip, port = target[len('tcp:'):].rsplit(':', 1)
        sock = socket.create_connection((ip, int(port)), timeout=10)
    else:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(10)
        sock.connect(target[len('unix:'):])
    sock.sendall(struct.pack('!BBHI', version, 0, 8, 1))
    _, t, _, _, _ = recv_msg(sock)
    if t != 0:
        raise EOFError('expected hello, got type %d' % t)
    return sock


def main():
    target, version = sys.argv[1], int(sys.argv[2])
    socks = {'': connect(target, version)}
    for arg in sys.argv[3:]:
        name, hexmsg = arg.split(':', 1) if ':' in arg else ('', arg)
        if name not in socks:
            socks[name] = connect(target, version)
        sock = socks[name]
        prefix = name + ': ' if name else ''
        sock.sendall(bytes.fromhex(hexmsg))
        sock.sendall(struct.pack('!BBHI', version, 2, 8, ECHO_XID))
        while True:
            v, t, length, xid, body = recv_msg(sock)
            if t == 3 and xid == ECHO_XID:
                break
            if t == 1:
                etype, ecode = struct.unpack('!HH', body[:4])
                print('%serror type=%d code=%d data=%s'
                      % (prefix, etype, ecode, body[4:].hex()))
            elif t in BODY_TYPES:
                print('%sreply type=%d xid=%#x len=%d body=%s'
                      % (prefix, t, xid, length, body.hex()))
            else:
                print('%sreply type=%d xid=%#x len=%d'
                      % (prefix, t, xid, length))
    print('connection alive')
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except (OSError, EOFError) as e:
        print('ofp-client: %s' % e)
        sys.exit(1)
