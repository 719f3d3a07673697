"""Cross-checks our event-stream framing against an independent implementation.

Driven by runtime/tests/event_stream_framing.rs (with the moto venv's python, which has
botocore). Modes, one JSON document on stdout each:

  decode   stdin: hex of a stream we encoded. botocore's EventStreamBuffer decodes it; prints
           [{"headers": [[name, "kind:value"], ...], "payload": hex}, ...].
  encode   prints {"stream": hex, "messages": [...]} for messages written by the small encoder
           below (written from the wire format, independently of the Rust one), with each
           header's exact type, for the Rust decoder to check.
  sign     stdin: JSON {secret, region, service, seed, time, payloads: [hex, ...]}; prints the
           chained signatures (hex) computed with hashlib/hmac from the SigV4 event-stream rules.
"""

import binascii
import datetime
import hashlib
import hmac
import json
import struct
import sys

from botocore.eventstream import EventStreamBuffer


def describe(value):
    if isinstance(value, bool):
        return "bool:" + ("true" if value else "false")
    if isinstance(value, int):
        return "int:%d" % value
    if isinstance(value, (bytes, bytearray)):
        return "bytes:" + bytes(value).hex()
    return "str:" + value


def decode():
    buffer = EventStreamBuffer()
    buffer.add_data(bytes.fromhex(sys.stdin.read().strip()))
    out = []
    for message in buffer:
        # botocore keeps headers in a dict, in wire order.
        headers = [[name, describe(value)] for name, value in message.headers.items()]
        out.append({"headers": headers, "payload": bytes(message.payload).hex()})
    return out


def header(name, kind, value):
    raw = name.encode()
    out = struct.pack(">B", len(raw)) + raw
    if kind == "bool":
        return out + struct.pack(">B", 0 if value else 1)
    codes = {"byte": (2, ">b"), "int16": (3, ">h"), "int32": (4, ">i"), "int64": (5, ">q"),
             "timestamp": (8, ">q")}
    if kind in codes:
        code, fmt = codes[kind]
        return out + struct.pack(">B", code) + struct.pack(fmt, value)
    if kind == "bytes":
        data = bytes.fromhex(value)
        return out + struct.pack(">BH", 6, len(data)) + data
    if kind == "string":
        data = value.encode()
        return out + struct.pack(">BH", 7, len(data)) + data
    if kind == "uuid":
        return out + struct.pack(">B", 9) + bytes.fromhex(value)
    raise ValueError(kind)


def frame(headers, payload):
    encoded = b"".join(header(*h) for h in headers)
    total = 12 + len(encoded) + len(payload) + 4
    prelude = struct.pack(">II", total, len(encoded))
    prelude += struct.pack(">I", binascii.crc32(prelude) & 0xFFFFFFFF)
    body = prelude + encoded + payload
    return body + struct.pack(">I", binascii.crc32(body) & 0xFFFFFFFF)


MESSAGES = [
    ([], b""),
    ([[":event-type", "string", "Chunk"], [":message-type", "string", "event"]],
     b'{"text":"h\xc3\xa9llo"}'),
    ([["t", "bool", True], ["f", "bool", False], ["b", "byte", -7], ["s", "int16", -300],
      ["i", "int32", 2_000_000_000], ["l", "int64", -(2 ** 62)],
      ["a", "bytes", "00ff10"], ["ts", "timestamp", 1_700_000_000_123],
      ["u", "uuid", "0123456789abcdef0123456789abcdef"]], b"\x00\x01\x02"),
    ([["empty", "string", ""], ["zero", "bytes", ""]], b"x" * 70000),
]


def encode():
    stream = b"".join(frame(h, p) for h, p in MESSAGES)
    return {"stream": stream.hex(),
            "messages": [{"headers": h, "payload": p.hex()} for h, p in MESSAGES]}


def sign():
    job = json.loads(sys.stdin.read())
    time = datetime.datetime.fromtimestamp(job["time"], datetime.timezone.utc)
    amz = time.strftime("%Y%m%dT%H%M%SZ")
    day = time.strftime("%Y%m%d")
    key = ("AWS4" + job["secret"]).encode()
    for part in (day, job["region"], job["service"], "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    scope = "%s/%s/%s/aws4_request" % (day, job["region"], job["service"])
    date_header = header(":date", "timestamp", job["time"] * 1000)
    previous = job["seed"]
    out = []
    for payload in job["payloads"]:
        string = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz, scope, previous,
                            hashlib.sha256(date_header).hexdigest(),
                            hashlib.sha256(bytes.fromhex(payload)).hexdigest()])
        previous = hmac.new(key, string.encode(), hashlib.sha256).hexdigest()
        out.append(previous)
    return out


if __name__ == "__main__":
    print(json.dumps({"decode": decode, "encode": encode, "sign": sign}[sys.argv[1]]()))
