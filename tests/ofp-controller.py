#! /usr/bin/env python3
"""ofp-controller: a minimal OpenFlow 1.3 controller for tests.

Usage: ofp-controller.py [OPTIONS] PORTFILE LOGFILE [VERSION]

Listens on 127.0.0.1 (a free port, or --port, written to PORTFILE once
listening), accepts connections, says HELLO at OpenFlow VERSION (4 = 1.3,
the default, or 1 = 1.0), answers ECHO requests and
appends one line per PACKET_IN or PORT_STATUS to LOGFILE:
    packet_in reason=R table_id=T cookie=0xC total_len=L data=HEX
    port_status reason=R port=N name=NAME
Runs until killed.

Options:
  --port=N            listen on port N
  --mute=FILE         while FILE exists, ignore ECHO requests (a controller
                      that hangs, for inactivity probe tests)
  --stall=FILE        while FILE exists, read nothing from connections (a
                      controller that does not keep up, for queue tests)
  --unix=PATH         listen on Unix socket PATH instead (PORTFILE gets 0)
  --send=HEX          send the OpenFlow message HEX after each HELLO (e.g.
                      an NXT_SET_ASYNC_CONFIG)
  --ofp=VERSION       the same as the VERSION argument
  --ssl KEY CERT CA   speak TLS as the server, with private key KEY and
                      certificate CERT, requiring a client certificate
                      signed by CA; a failed handshake is logged as
                      "ssl_error REASON" and the connection dropped"""

import argparse
import os
import select
import socket
import ssl
import struct


def handle(conn, buf, log, mute):
    while len(buf) >= 8:
        version, mtype, length, xid = struct.unpack('!BBHI', buf[:8])
        if length < 8 or len(buf) < length:
            break
        msg, buf = buf[:length], buf[length:]
        if mtype == 2:                          # ECHO_REQUEST
            if mute and os.path.exists(mute):
                continue
            conn.sendall(struct.pack('!BBHI', version, 3, length, xid)
                         + msg[8:])
        elif mtype == 10 and version == 1:      # PACKET_IN (OF1.0)
            _, total_len, in_port, reason = \
                struct.unpack('!IHHB', msg[8:17])
            with open(log, 'a') as f:
                f.write('packet_in reason=%d in_port=%d total_len=%d '
                        'data=%s\n' % (reason, in_port, total_len,
                                       msg[18:].hex()))
        elif mtype == 12 and version == 4:      # PORT_STATUS (OF1.3)
            reason = msg[8]
            port_no = struct.unpack('!I', msg[16:20])[0]
            name = msg[32:48].split(b'\0')[0].decode()
            with open(log, 'a') as f:
                f.write('port_status reason=%d port=%d name=%s\n'
                        % (reason, port_no, name))
        elif mtype == 10:                       # PACKET_IN (OF1.3)
            _, total_len, reason, table_id, cookie = \
                struct.unpack('!IHBBQ', msg[8:24])
            mlen = struct.unpack('!H', msg[26:28])[0]
            data = msg[24 + (mlen + 7) // 8 * 8 + 2:]
            with open(log, 'a') as f:
                f.write('packet_in reason=%d table_id=%d cookie=%#x '
                        'total_len=%d data=%s\n'
                        % (reason, table_id, cookie, total_len, data.hex()))
    return buf


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('portfile')
    ap.add_argument('log')
    ap.add_argument('version', nargs='?', type=int, default=4)
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--mute')
    ap.add_argument('--stall')
    ap.add_argument('--unix')
    ap.add_argument('--send')
    ap.add_argument('--ofp', type=int)
    ap.add_argument('--ssl', nargs=3, metavar=('KEY', 'CERT', 'CA'))
    args = ap.parse_args()
    ctx = None
    if args.ssl:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.ssl[1], args.ssl[0])
        ctx.load_verify_locations(args.ssl[2])
        ctx.verify_mode = ssl.CERT_REQUIRED
    log, version = args.log, args.ofp or args.version
    if args.unix:
        lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        lsock.bind(args.unix)
    else:
        lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsock.bind(('127.0.0.1', args.port))
    lsock.listen(5)
    open(log, 'a').close()
    with open(args.portfile + '.tmp', 'w') as f:
        f.write('%d\n' % (0 if args.unix else lsock.getsockname()[1]))
    os.rename(args.portfile + '.tmp', args.portfile)
    conns = {}
    while True:
        stalled = args.stall and os.path.exists(args.stall)
        r, _, _ = select.select([lsock] + ([] if stalled else list(conns)),
                                [], [], 0.1 if stalled else None)
        for s in r:
            if s is lsock:
                c, _ = lsock.accept()
                if ctx:
                    try:
                        c.settimeout(10)
                        c = ctx.wrap_socket(c, server_side=True)
                    except (OSError, ssl.SSLError) as e:
                        with open(log, 'a') as f:
                            f.write('ssl_error %s\n'
                                    % getattr(e, 'reason', e))
                        c.close()
                        continue
                try:
                    c.sendall(struct.pack('!BBHI', version, 0, 8, 1))
                    if args.send:
                        c.sendall(bytes.fromhex(args.send))
                except OSError:
                    # A peer that drops at once (one that came for our
                    # CA certificate only).
                    c.close()
                    continue
                conns[c] = b''
                continue
            try:
                data = s.recv(65536)
                # TLS may hold decrypted bytes that select() cannot see.
                while data and getattr(s, 'pending', lambda: 0)():
                    data += s.recv(65536)
            except OSError:
                data = b''
            if not data:
                del conns[s]
                s.close()
                continue
            conns[s] = handle(s, conns[s] + data, log, args.mute)


if __name__ == '__main__':
    main()
