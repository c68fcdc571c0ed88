#! /usr/bin/env python3
"""ofp-controller: a minimal OpenFlow 1.3 controller for tests.

Usage: ofp-controller.py PORTFILE LOGFILE [VERSION]

Listens on 127.0.0.1 (a free port, written to PORTFILE once listening),
accepts connections, says HELLO at OpenFlow VERSION (4 = 1.3, the
default, or 1 = 1.0), answers ECHO requests and
appends one line per PACKET_IN or PORT_STATUS to LOGFILE:
    packet_in reason=R table_id=T cookie=0xC total_len=L data=HEX
    port_status reason=R port=N name=NAME
Runs until killed."""

import select
import socket
import struct
import sys


def handle(conn, buf, log):
    while len(buf) >= 8:
        version, mtype, length, xid = struct.unpack('!BBHI', buf[:8])
        if length < 8 or len(buf) < length:
            break
        msg, buf = buf[:length], buf[length:]
        if mtype == 2:                          # ECHO_REQUEST
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
    portfile, log = sys.argv[1], sys.argv[2]
    version = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(('127.0.0.1', 0))
    lsock.listen(5)
    open(log, 'a').close()
    with open(portfile + '.tmp', 'w') as f:
        f.write('%d\n' % lsock.getsockname()[1])
    import os
    os.rename(portfile + '.tmp', portfile)
    conns = {}
    while True:
        r, _, _ = select.select([lsock] + list(conns), [], [])
        for s in r:
            if s is lsock:
                c, _ = lsock.accept()
                c.sendall(struct.pack('!BBHI', version, 0, 8, 1))
                conns[c] = b''
                continue
            data = s.recv(65536)
            if not data:
                del conns[s]
                s.close()
                continue
            conns[s] = handle(s, conns[s] + data, log)


if __name__ == '__main__':
    main()
