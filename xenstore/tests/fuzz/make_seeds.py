#!/usr/bin/python3
"""Write the fuzzer's seed corpus (run by hand; the output is committed).

Input format of fuzz_wire: chunks, each a selector byte b followed by
(b >> 2) * 8 + 1 bytes for destination b % 4 (0: dom0, 1: domain 5,
2: domain 7 acting for 5, 3: the ring of domain 9, where a first byte
with bit 0 set means raw index values)."""
import os
import struct
import sys

T = dict(CONTROL=0, DIRECTORY=1, READ=2, GET_PERMS=3, WATCH=4, UNWATCH=5,
         TSTART=6, TEND=7, INTRODUCE=8, RELEASE=9, GET_DOMAIN_PATH=10,
         WRITE=11, MKDIR=12, RM=13, SET_PERMS=14, IS_INTRODUCED=17,
         RESUME=18, SET_TARGET=19, RESET_WATCHES=21, DIRECTORY_PART=22)


def msg(t, body, tx=0, rid=1):
    return struct.pack("<IIII", T[t], rid, tx, len(body)) + body


def chunks(conn, data):
    out = b""
    while data:
        size = len(data)
        m = min((size - 1) // 8, 63)
        n = m * 8 + 1
        out += bytes([m << 2 | conn]) + data[:n]
        data = data[n:]
    return out


def seed(*parts):
    return b"".join(chunks(c, m) for c, m in parts)


S = {
    "write_read": seed((0, msg("WRITE", b"/a/b\0v")),
                       (0, msg("READ", b"/a/b\0"))),
    "dir": seed((0, msg("MKDIR", b"/d/x\0")), (0, msg("MKDIR", b"/d/y\0")),
                (0, msg("DIRECTORY", b"/d\0")),
                (0, msg("DIRECTORY_PART", b"/d\x000\0"))),
    "perms": seed((0, msg("WRITE", b"/local/domain/5/x\0v")),
                  (0, msg("SET_PERMS", b"/local/domain/5\0n5\0r7\0")),
                  (1, msg("WRITE", b"y\0w")),
                  (1, msg("GET_PERMS", b"y\0")),
                  (2, msg("READ", b"/local/domain/5/y\0"))),
    "watch": seed((0, msg("WATCH", b"/w\0tok\0")),
                  (1, msg("WATCH", b"@releaseDomain\0r\0")),
                  (0, msg("WRITE", b"/w/x\0")), (0, msg("RM", b"/w\0")),
                  (0, msg("UNWATCH", b"/w\0tok\0")),
                  (0, msg("RESET_WATCHES", b""))),
    "txn": seed((0, msg("TSTART", b"\0")),
                (0, msg("WRITE", b"/t/a\x001", tx=1)),
                (0, msg("READ", b"/t/a\0", tx=1)),
                (0, msg("RM", b"/t\0", tx=1)),
                (0, msg("TEND", b"T\0", tx=1)),
                (1, msg("TSTART", b"\0")),
                (1, msg("WRITE", b"q\0z", tx=1)),
                (1, msg("TEND", b"F\0", tx=1))),
    "domains": seed((0, msg("INTRODUCE", b"9\x0099\x003\0")),
                    (0, msg("IS_INTRODUCED", b"9\0")),
                    (0, msg("GET_DOMAIN_PATH", b"9\0")),
                    (0, msg("SET_TARGET", b"9\x009\0")),
                    (0, msg("RESUME", b"9\0")),
                    (0, msg("RELEASE", b"9\0"))),
    "control": seed((0, msg("CONTROL", b"check\0")),
                    (0, msg("CONTROL", b"quota\0nodes=3\0")),
                    (0, msg("CONTROL", b"stats\0"))),
    "ring": seed((3, b"\0" + msg("WRITE", b"data\0v")),
                 (3, b"\0" + msg("READ", b"data\0")),
                 (3, b"\0" + msg("WATCH", b"data\0t\0")),
                 (3, b"\x01" + struct.pack("<IIII", 0, 5000, 0, 0))),
    "bad": seed((0, struct.pack("<IIII", 2, 1, 0, 5000)),
                (1, struct.pack("<IIII", 999, 1, 0, 0)),
                (1, msg("READ", b"/a")), (2, msg("TEND", b"X\0", tx=4))),
}

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "corpus")
os.makedirs(out, exist_ok=True)
for name, data in S.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
