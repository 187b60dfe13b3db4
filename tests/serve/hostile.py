#!/usr/bin/env python3
"""hostile.py PORT CASE: one kind of hostile HTTP traffic against pdb-serve
at 127.0.0.1:PORT, while a well-behaved client checks it is still answered.
Prints what it saw as one JSON line; exits 1 when the server misbehaved."""
import json
import socket
import sys
import time

PORT = int(sys.argv[1])
CASE = sys.argv[2]


def connect():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    return s


def request(body=b"{}", target="DynamoDB_20120810.ListTables", extra=b""):
    return (b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: " + target.encode() +
            b"\r\nContent-Type: application/x-amz-json-1.0\r\n" + extra +
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def answered():
    """A good client's ListTables gets its answer."""
    s = connect()
    s.sendall(request())
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b"}"):
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data.startswith(b"HTTP/1.1 200") and b'"TableNames"' in data


def status_and_closed(payload):
    """Send payload; the status line the server answers, and whether it
    then closed the connection."""
    s = connect()
    s.sendall(payload)
    data = b""
    closed = False
    s.settimeout(5)
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                closed = True
                break
            data += chunk
    except socket.timeout:
        pass
    except ConnectionResetError:
        closed = True
    s.close()
    return data.split(b"\r\n", 1)[0].decode(errors="replace"), closed


def rss(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


out = {}
if CASE == "malformed":
    cases = {
        "bad-version": b"POST / HTTP/9\r\nHost: x\r\n\r\n",
        "bad-header": b"POST / HTTP/1.1\r\nHost x\r\n\r\n",
        "huge-header": b"POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n",
        "bad-length": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    }
    for name, payload in cases.items():
        line, closed = status_and_closed(payload)
        out[name] = [line.split(" ")[1] if " " in line else line, closed]
    out["answered"] = answered()
elif CASE == "truncated":
    for i in range(50):
        s = connect()
        s.sendall(request(b'{"TableName":"users"}')[:-10])
        s.close()
    out["answered"] = answered()
elif CASE == "chunked-over":
    s = connect()
    s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n" % 65536 + b"a" * 65536 + b"\r\n"
    sent = 0
    closed = False
    try:
        for i in range(400):  # 26 MB, past the 16 MB limit
            s.sendall(chunk)
            sent += 65536
    except (BrokenPipeError, ConnectionResetError):
        closed = True
    s.close()
    out["closed"] = closed
    out["sent_mb"] = sent // 1000000
    out["answered"] = answered()
elif CASE == "idle":
    pid = int(sys.argv[3])
    before = rss(pid)
    conns = []
    for i in range(3000):
        conns.append(connect())
    time.sleep(0.5)
    out["answered"] = answered()
    out["rss_kib"] = rss(pid)
    out["rss_growth_kib"] = out["rss_kib"] - before
    for c in conns:
        c.close()
elif CASE == "drip":
    s = connect()
    payload = request()
    start = time.time()
    closed = False
    good = []
    for i, b in enumerate(payload):
        try:
            s.send(bytes([b]))
        except (BrokenPipeError, ConnectionResetError):
            closed = True
            break
        if i % 2 == 0:
            good.append(answered())
        time.sleep(1)
        if time.time() - start > float(sys.argv[3]):
            break
    try:
        s.settimeout(1)
        closed = closed or s.recv(100) == b""
    except (socket.timeout, ConnectionResetError):
        pass
    out["closed_after"] = round(time.time() - start)
    out["closed"] = closed
    out["others_answered"] = all(good) and len(good) > 0
print(json.dumps(out))
