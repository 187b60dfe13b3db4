#!/usr/bin/env python3
"""Hostile inputs for pdb: a deterministic generator of test cases.

usage: gen.py FAMILY OUTDIR [KEY=VALUE ...]

FAMILY is one of input, options, env, dbfiles, iterators, expressions.
The cases go to OUTDIR, one set of files per case NNN:

  NNN.argv  the command, NUL-separated (the program first)
  NNN.env   extra environment, NUL-separated VAR=VALUE entries
  NNN.in    standard input

and OUTDIR/cases.tsv has one line per case, tab-separated:

  id  want  line  check  quiet  pattern  description

  want     the exit status pdb documents for the case
  line     the line of stdin the error must name (stdin:LINE:), or -
  check    what must be unchanged after it: db (the logical content of
           ./test.db, as sqlite3 .dump prints it), files (every file of the
           working directory, byte for byte, none added or removed), or -
  quiet    1 if nothing may be printed on stdout
  pattern  a bash glob that stderr must match (beyond the 'PROGRAM: '
           prefix, which is always required of a failure)

The cases run in a copy of a fixture directory made by tests/80-hostile.bats;
the fixtures are described there, and the names this file relies on (tables
users and comp, items u0..u4 and ustr) are listed in FIXTURE below.

The output depends only on FAMILY, the KEY=VALUE context and two variables:
HOSTILE_SEED (default 1) seeds the random cases and HOSTILE_N (default 30)
says how many random cases each family adds to its fixed ones.  Python 3
standard library only.
"""

import base64
import json
import os
import random
import re
import sqlite3
import sys

SEED = int(os.environ.get("HOSTILE_SEED", "1"))
N = int(os.environ.get("HOSTILE_N", "30"))

# What the fixtures of tests/80-hostile.bats hold (see items_fixture there).
FIXTURE = {
    "users": "pdb-table create users id --stream NEW_AND_OLD_IMAGES; "
             "items u0..u4 with n (N), s (S), l (L), m (M), ss (SS); "
             "item ustr whose n is S, l is S and ss is NS",
    "comp": "pdb-table create comp pk:N sk:B --stream KEYS_ONLY; "
            "items (1, AA==) and (2, AQ==)",
}
USER_KEYS = ["u%d" % i for i in range(5)]
COMP_KEYS = [("1", "AA=="), ("2", "AQ==")]
UPDATE_ARGS = ["-u", "SET touched = :t", "-V", '{":t":{"BOOL":true}}']

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def esc(s):
    """A literal for a bash glob."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", s)


def show(b, n=70):
    """A short printable form of bytes for a description."""
    if isinstance(b, str):
        b = b.encode("utf-8", "surrogateescape")
    s = b[:n].decode("ascii", "backslashreplace")
    s = "".join(c if " " <= c < "\x7f" else "\\x%02x" % ord(c) for c in s)
    return s + ("...(%d bytes)" % len(b) if len(b) > n else "")


class Out:
    """Writes the cases of one family."""

    def __init__(self, family, outdir):
        self.family = family
        self.dir = outdir
        os.makedirs(outdir, exist_ok=True)
        self.tsv = open(os.path.join(outdir, "cases.tsv"), "w")
        self.n = 0

    def case(self, argv, want, desc, stdin=b"", env=None, line=None,
             check="db", quiet=True, pattern="*"):
        self.n += 1
        cid = "%03d" % self.n

        def b(x):
            return x if isinstance(x, bytes) else x.encode("utf-8", "surrogateescape")

        with open(os.path.join(self.dir, cid + ".argv"), "wb") as f:
            f.write(b"".join(b(a) + b"\0" for a in argv))
        with open(os.path.join(self.dir, cid + ".env"), "wb") as f:
            f.write(b"".join(b(k) + b"=" + b(v) + b"\0" for k, v in (env or {}).items()))
        with open(os.path.join(self.dir, cid + ".in"), "wb") as f:
            f.write(b(stdin))
        desc = show(desc, 160).replace("\t", " ")
        pattern = pattern.replace("\t", " ").replace("\n", " ")
        self.tsv.write("\t".join([cid, str(want), "-" if line is None else str(line),
                                  check, "1" if quiet else "0", pattern, desc]) + "\n")

    def close(self):
        self.tsv.close()
        return self.n


# ---------------------------------------------------------------------------
# Valid values, to surround the hostile ones

SAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.éü€😀"
NUMBERS = ["0", "-0", "1", "-15.789e6", "1E-130", "-1E-130", "0.5", "3.14",
           "9.9999999999999999999999999999999999999E+125",
           "12345678901234567890123456789012345678", "1e125", "-00042.10"]


def rstr(rng, lo=1, hi=12):
    return "".join(rng.choice(SAFE) for _ in range(rng.randint(lo, hi)))


def rb64(rng, lo=1, hi=12):
    return base64.b64encode(bytes(rng.randrange(256) for _ in range(rng.randint(lo, hi)))).decode()


def valid_value(rng, depth=0):
    kinds = ["S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL"] + (["L", "M"] if depth < 3 else [])
    k = rng.choice(kinds)
    if k == "S":
        return {"S": rstr(rng, 0)}
    if k == "N":
        return {"N": rng.choice(NUMBERS + [str(rng.randint(-10**9, 10**9))])}
    if k == "B":
        return {"B": rb64(rng, 0)}
    if k == "SS":
        return {"SS": sorted({rstr(rng) for _ in range(rng.randint(1, 3))})}
    if k == "NS":
        return {"NS": [str(x) for x in sorted(rng.sample(range(-1000, 1000), rng.randint(1, 3)))]}
    if k == "BS":
        return {"BS": sorted({rb64(rng) for _ in range(rng.randint(1, 3))})}
    if k == "BOOL":
        return {"BOOL": rng.random() < 0.5}
    if k == "NULL":
        return {"NULL": True}
    if k == "L":
        return {"L": [valid_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]}
    return {"M": {rstr(rng, 1, 5): valid_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}}


def attr_names(rng, n):
    names = set()
    while len(names) < n:
        names.add(rng.choice(["a", "b", "n2", "tags", "x_1", "ä", "data"]) + str(rng.randint(0, 99)))
    return sorted(names)


def key_of(table, rng, new=False):
    if table == "users":
        return {"id": {"S": ("v" + rstr(rng, 1, 8)) if new else rng.choice(USER_KEYS)}}
    if new:
        return {"pk": {"N": rng.choice(NUMBERS[:-1] + [str(rng.randint(3, 999))])},
                "sk": {"B": rb64(rng, 1, 20)}}
    pk, sk = rng.choice(COMP_KEYS)
    return {"pk": {"N": pk}, "sk": {"B": sk}}


def valid_item(table, rng, new=True):
    item = key_of(table, rng, new)
    for name in attr_names(rng, rng.randint(0, 4)):
        item[name] = valid_value(rng)
    return item


def valid_line(prog, table, rng):
    """A line that prog accepts for table and that changes the database."""
    if prog == "put":
        return dumps(valid_item(table, rng))
    return dumps(key_of(table, rng, new=False))


def nest_m(n, leaf='{"S":"leaf"}'):
    v = leaf
    for _ in range(n):
        v = '{"M":{"m":%s}}' % v
    return v.encode()


def nest_l(n, leaf='{"S":"leaf"}'):
    v = leaf
    for _ in range(n):
        v = '{"L":[%s]}' % v
    return v.encode()


def nest_mixed(n):
    v = '{"N":"1"}'
    for i in range(n):
        v = ('{"M":{"k":%s}}' if i % 2 else '{"L":[{"NULL":true},%s]}') % v
    return v.encode()


# ---------------------------------------------------------------------------
# input: malformed and extreme JSON lines for pdb-put/-delete/-update/-get

SER = "*SerializationException: *"
VAL = "*ValidationException: *"
ANY = "*Exception: *"

# Attribute values that are wrong wherever they stand: (name, text, pattern)
BAD_VALUES = [
    ("S of a number", b'{"S":5}', SER), ("S of true", b'{"S":true}', SER),
    ("S of null", b'{"S":null}', SER), ("S of an array", b'{"S":["a"]}', SER),
    ("S of an object", b'{"S":{}}', SER),
    ("N of letters", b'{"N":"x"}', VAL), ("N empty", b'{"N":""}', VAL),
    ("N with a leading space", b'{"N":" 1"}', VAL), ("N with a trailing space", b'{"N":"1 "}', VAL),
    ("N 1e126", b'{"N":"1e126"}', VAL), ("N -1e126", b'{"N":"-1e126"}', VAL),
    ("N 1e-131", b'{"N":"1e-131"}', VAL),
    ("N of 39 digits", b'{"N":"123456789012345678901234567890123456789"}', VAL),
    ("N of 39 digits after a point", b'{"N":"1.23456789012345678901234567890123456789"}', VAL),
    ("N of 39 significant digits after zeros", b'{"N":"0.000123456789012345678901234567890123456789"}', VAL),
    ("N 39 digits at the top of the range", b'{"N":"9.99999999999999999999999999999999999999E+125"}', VAL),
    ("N 1E+126", b'{"N":"1E+126"}', VAL),
    ("N exponent of 20 digits", b'{"N":"1e99999999999999999999"}', VAL),
    ("N exponent of -20 digits", b'{"N":"1e-99999999999999999999"}', VAL),
    ("N exponent past int64", b'{"N":"1e9223372036854775808"}', VAL),
    ("N 1 and 100000 zeros", b'{"N":"1' + b"0" * 100000 + b'"}', VAL),
    ("N 100000 zeros then 1 after the point", b'{"N":"0.' + b"0" * 100000 + b'1"}', VAL),
    ("N of 60000 digits", b'{"N":"' + b"123456789" * 6000 + b'"}', VAL),
    ("N hex", b'{"N":"0x10"}', VAL), ("N NaN", b'{"N":"NaN"}', VAL),
    ("N Infinity", b'{"N":"Infinity"}', VAL), ("N -Infinity", b'{"N":"-Infinity"}', VAL),
    ("N 1e", b'{"N":"1e"}', VAL), ("N --1", b'{"N":"--1"}', VAL), ("N 1..2", b'{"N":"1..2"}', VAL),
    ("N 1 2", b'{"N":"1 2"}', VAL), ("N e5", b'{"N":"e5"}', VAL), ("N .", b'{"N":"."}', VAL),
    ("N -", b'{"N":"-"}', VAL), ("N 1e+", b'{"N":"1e+"}', VAL), ("N 1,5", b'{"N":"1,5"}', VAL),
    ("N fullwidth digit", '{"N":"１"}'.encode(), VAL), ("N JSON number", b'{"N":5}', SER),
    ("N JSON null", b'{"N":null}', SER),
    ("B !!", b'{"B":"!!"}', SER), ("B !!!!", b'{"B":"!!!!"}', SER), ("B of 5 characters", b'{"B":"abcde"}', SER),
    ("B with a bad last character", b'{"B":"Yh=="}', SER), ("B A===", b'{"B":"A==="}', SER),
    ("B ====", b'{"B":"===="}', SER), ("B padding inside", b'{"B":"AA=A"}', SER),
    ("B of a number", b'{"B":5}', SER), ("B with a newline", b'{"B":"QUJD\\n"}', SER),
    ("B url-safe alphabet", b'{"B":"-_-_"}', SER), ("B with a space", b'{"B":"QU JD"}', SER),
    ("B unpadded", b'{"B":"QUI"}', SER),
    ("SS empty", b'{"SS":[]}', VAL), ("NS empty", b'{"NS":[]}', VAL), ("BS empty", b'{"BS":[]}', VAL),
    ("SS duplicates", b'{"SS":["a","a"]}', VAL), ("NS 1 and 1.0", b'{"NS":["1","1.0"]}', VAL),
    ("NS 0 and -0", b'{"NS":["0","-0"]}', VAL), ("NS 1e2 and 100", b'{"NS":["1e2","100"]}', VAL),
    ("BS duplicates", b'{"BS":["AA==","AA=="]}', VAL), ("SS of a string", b'{"SS":"a"}', SER),
    ("SS with a number", b'{"SS":[1]}', SER), ("SS with null", b'{"SS":[null]}', SER),
    ("NS with letters", b'{"NS":["1","x"]}', VAL), ("NS with 1e126", b'{"NS":["1e126"]}', VAL),
    ("BS with bad base64", b'{"BS":["!!"]}', SER), ("SS null", b'{"SS":null}', SER),
    ("NULL false", b'{"NULL":false}', VAL), ("NULL of a string", b'{"NULL":"true"}', SER),
    ("NULL of a number", b'{"NULL":1}', SER), ("NULL null", b'{"NULL":null}', SER),
    ("BOOL of a string", b'{"BOOL":"true"}', SER), ("BOOL of a number", b'{"BOOL":1}', SER),
    ("BOOL null", b'{"BOOL":null}', SER),
    ("L of an object", b'{"L":{}}', SER), ("L of a string", b'{"L":"x"}', SER),
    ("L with a bare number", b'{"L":[5]}', SER), ("L with an empty value", b'{"L":[{}]}', VAL),
    ("M of an array", b'{"M":[]}', SER), ("M with a bare value", b'{"M":{"x":5}}', SER),
    ("M with an empty value", b'{"M":{"x":{}}}', VAL),
    ("M with an empty member name", b'{"M":{"":{"S":"x"}}}', VAL),
    ("an empty value", b'{}', VAL), ("an unknown type", b'{"X":"1"}', ANY),
    ("a lowercase type", b'{"s":"x"}', ANY), ("two types", b'{"S":"x","N":"1"}', VAL),
    ("NULL and S", b'{"NULL":true,"S":"x"}', VAL), ("three types", b'{"S":"x","N":"1","BOOL":true}', VAL),
    ("a bare number", b'5', SER), ("a bare string", b'"x"', SER), ("a bare null", b'null', SER),
    ("a bare array", b'[]', SER), ("a bare true", b'true', SER),
    ("M nested 33 levels", nest_m(32), VAL), ("L nested 33 levels", nest_l(32), VAL),
    ("M and L nested 40 levels", nest_mixed(40), VAL),
    ("M nested 200 levels", nest_m(200), VAL),
]

INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc0\x80", b"\xc1\xbf", b"\xed\xa0\x80", b"\xed\xbf\xbf",
                b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xbf",
                b"\xe2\x82", b"\xe0\x80\xaf", b"\xf0\x8f\xbf\xbf", b"\xc3"]
CONTROL = [bytes([c]) for c in list(range(1, 9)) + list(range(14, 32)) + [0x0b, 0x0c]]


def bad_lines(table, rng):
    """Whole lines that are wrong for any program: (name, bytes, pattern)."""
    good = dumps(valid_item(table, rng))
    key = dumps(key_of(table, rng))
    k = key[:-1]  # the key object without its closing brace
    out = []
    for cut in sorted({1, 2, len(good) // 3, len(good) // 2, len(good) - 2, len(good) - 1}):
        out.append(("truncated JSON (%d of %d bytes)" % (cut, len(good)), good[:cut], SER))
    for text in [b"[]", b"[1,2]", b'"str"', b"5", b"null", b"true", b"-0", b"1e126",
                 b"[" + key + b"]", b"{", b"}", b"{}}", b'{"id"}', b'{"id":}',
                 b"{'id':{'S':'a'}}", b"{id:{S:a}}", key + b" " + key, key + b" trailing",
                 k + b",}", k + b',"n":NaN}', k + b',"n":Infinity}', k + b',"n":{"N":"1"},}',
                 b"\xef\xbb\xbf" + key, key + b"\0junk", b"\0" + key, k + b',"x":{"S":"a\0b"}}',
                 b"[" * 5000, b'{"a":' * 5000, b'{"L":[' * 3000]:
        out.append(("the line %s" % show(text, 40), text, SER))
    for seq in INVALID_UTF8:
        out.append(("invalid UTF-8 %s in a value" % show(seq), k + b',"x":{"S":"a' + seq + b'b"}}', SER))
        out.append(("invalid UTF-8 %s in a name" % show(seq), k + b',"' + seq + b'":{"S":"x"}}', SER))
    for u in [b"\\ud800", b"\\udfff", b"\\udc00\\ud800", b"\\ud83d", b"\\ud83dx"]:
        out.append(("lone surrogate %s" % u.decode(), k + b',"x":{"S":"' + u + b'"}}', SER))
    for c in rng.sample(CONTROL, 4) + [b"\t"]:
        out.append(("raw control character %s in a string" % show(c), k + b',"x":{"S":"a' + c + b'b"}}', SER))
    dup = [k + b',' + key[1:-1] + b"}", k + b',"x":{"S":"1"},"x":{"S":"2"}}',
           k + b',"x":{"S":"1","S":"2"}}', k + b',"x":{"M":{"y":{"N":"1"},"y":{"N":"2"}}}}']
    for text in dup:
        out.append(("duplicate JSON keys %s" % show(text, 60), text, SER))
    big = b'{"id":{"S":"' + b"x" * (4 * 1024 * 1024 + 16) + b'"}}'
    out.append(("a line over 4 MB", big, SER))
    return out


def bad_keys(table, rng):
    """Key attributes that DynamoDB refuses: (name, line, pattern)."""
    if table == "users":
        rows = [
            ("no key attribute", {"name": {"S": "x"}}),
            ("key of type N", {"id": {"N": "1"}}), ("key of type B", {"id": {"B": "AA=="}}),
            ("key of type SS", {"id": {"SS": ["a"]}}), ("key of type NULL", {"id": {"NULL": True}}),
            ("key of type BOOL", {"id": {"BOOL": True}}), ("key of type L", {"id": {"L": []}}),
            ("key of type M", {"id": {"M": {}}}), ("empty string key", {"id": {"S": ""}}),
            ("key of 2049 ASCII bytes", {"id": {"S": "x" * 2049}}),
            ("key of 1025 two-byte characters (2050 bytes)", {"id": {"S": "é" * 1025}}),
            ("key of 683 three-byte characters (2049 bytes)", {"id": {"S": "€" * 683}}),
            ("key of 513 four-byte characters (2052 bytes)", {"id": {"S": "😀" * 513}}),
            ("key of 100000 bytes", {"id": {"S": "k" * 100000}}),
        ]
        out = [(n, dumps(v), VAL) for n, v in rows]
        out.append(("key of bad value shape", b'{"id":{"S":5}}', SER))
        return out
    pk, sk = COMP_KEYS[0]
    rows = [
        ("partition key of type S", {"pk": {"S": "1"}, "sk": {"B": sk}}),
        ("partition key of type B", {"pk": {"B": "AA=="}, "sk": {"B": sk}}),
        ("sort key of type S", {"pk": {"N": pk}, "sk": {"S": "AA=="}}),
        ("sort key of type N", {"pk": {"N": pk}, "sk": {"N": "1"}}),
        ("no partition key", {"sk": {"B": sk}}), ("no sort key", {"pk": {"N": pk}}),
        ("empty binary sort key", {"pk": {"N": pk}, "sk": {"B": ""}}),
        ("sort key of 1025 bytes", {"pk": {"N": pk}, "sk": {"B": base64.b64encode(b"\xff" * 1025).decode()}}),
        ("partition key of 39 digits", {"pk": {"N": "123456789012345678901234567890123456789"}, "sk": {"B": sk}}),
        ("partition key 1e126", {"pk": {"N": "1e126"}, "sk": {"B": sk}}),
        ("partition key of letters", {"pk": {"N": "x"}, "sk": {"B": sk}}),
        ("partition key NULL", {"pk": {"NULL": True}, "sk": {"B": sk}}),
    ]
    out = [(n, dumps(v), VAL) for n, v in rows]
    out.append(("sort key of bad base64", dumps({"pk": {"N": pk}, "sk": {"B": "!!"}}), SER))
    return out


def bad_items(rng):
    """Whole items that only a put can get wrong (users): (name, line, pattern)."""
    k = b'{"id":{"S":"big"}'
    many = b"".join(b',"a%03d":{"S":"%s"}' % (i, b"y" * 1000) for i in range(420))
    return [
        ("an item of 409601 bytes", k.replace(b"big", b"v") + b',"a":{"S":"' + b"x" * 409597 + b'"}}', VAL),
        ("an item of 409602 bytes of two-byte characters",
         k.replace(b"big", b"v") + b',"a":{"S":"' + "é".encode() * 204799 + b'"}}', VAL),
        ("an item of 420 attributes of 1000 bytes", k + many + b"}", VAL),
        ("an item of 1 MB", k + b',"a":{"S":"' + b"x" * 1048576 + b'"}}', VAL),
        ("a binary of 409600 bytes", k + b',"a":{"B":"' + base64.b64encode(b"\0" * 409600) + b'"}}', VAL),
        ("an attribute name of 65536 bytes", k + b',"' + b"n" * 65536 + b'":{"S":"x"}}', VAL),
        ("an empty attribute name", k + b',"":{"S":"x"}}', VAL),
        ("a list of 250000 NULLs", k + b',"l":{"L":[' + b",".join([b'{"NULL":true}'] * 250000) + b"]}}", VAL),
    ]


def bad_plain(rng):
    """Lines that are wrong with --plain (users): (name, line, pattern)."""
    return [
        ("plain number 1e400", b'{"id":"v1","x":1e400}', SER),
        ("plain number 1e200", b'{"id":"v1","x":1e200}', VAL),
        ("plain number 1e-200", b'{"id":"v1","x":1e-200}', VAL),
        ("plain key null", b'{"id":null}', VAL), ("plain key number", b'{"id":5}', VAL),
        ("plain key true", b'{"id":true}', VAL), ("plain key array", b'{"id":["a"]}', VAL),
        ("plain key object", b'{"id":{"a":1}}', VAL), ("plain empty key", b'{"id":""}', VAL),
        ("plain arrays nested 40 deep", b'{"id":"v1","x":' + b"[" * 40 + b"1" + b"]" * 40 + b"}", VAL),
        ("plain item of 409601 bytes", b'{"id":"v","a":"' + b"x" * 409597 + b'"}', VAL),
        ("plain top-level array", b'[{"id":"v1"}]', SER),
        ("plain truncated", b'{"id":"v1","x":[1,2', SER),
    ]


def controls(rng):
    """Extreme but valid lines a put must accept (users, or comp)."""
    return [
        ("users", "an item of exactly 409600 bytes", b'{"id":{"S":"u"},"a":{"S":"' + b"x" * 409596 + b'"}}'),
        ("users", "M nested 32 levels", b'{"id":{"S":"v"},"a":' + nest_m(31) + b"}"),
        ("users", "L nested 32 levels", b'{"id":{"S":"v"},"a":' + nest_l(31) + b"}"),
        ("users", "a key of 2048 bytes", dumps({"id": {"S": "x" * 2048}})),
        ("users", "a key of 1024 two-byte characters", dumps({"id": {"S": "é" * 1024}})),
        ("comp", "a sort key of 1024 bytes", dumps({"pk": {"N": "7"}, "sk": {"B": base64.b64encode(b"\xff" * 1024).decode()}})),
        ("users", "a number of 38 digits", b'{"id":{"S":"v"},"n":{"N":"12345678901234567890123456789012345678"}}'),
        ("users", "numbers at the ends of the range",
         b'{"id":{"S":"v"},"a":{"N":"-0"},"b":{"N":"1E-130"},"c":{"N":"9.9999999999999999999999999999999999999E+125"},"d":{"N":"-9.9999999999999999999999999999999999999E+125"}}'),
        ("users", "empty string, binary, list and map outside keys",
         b'{"id":{"S":"v"},"s":{"S":""},"b":{"B":""},"l":{"L":[]},"m":{"M":{}}}'),
        ("users", "an attribute name of 65535 bytes", b'{"id":{"S":"v"},"' + b"n" * 65535 + b'":{"S":"x"}}'),
        ("users", "a NUL character in a string value (DynamoDB accepts it)", b'{"id":{"S":"v"},"s":{"S":"a\\u0000b"}}'),
        ("users", "escaped surrogate pair", b'{"id":{"S":"v\\ud83d\\ude00"}}'),
    ]


def input_family(out, rng, ctx):
    progs = ["put", "delete", "update", "get"]

    def case(prog, table, bad, desc, pattern, nprefix=None, plain=False):
        nprefix = rng.randint(0, 4) if nprefix is None else nprefix
        lines = []
        for _ in range(nprefix):
            if rng.random() < 0.2:
                lines.append(rng.choice([b"", b"   ", b" \t "]))
            if plain:
                lines.append(dumps({"id": "p" + rstr(rng, 1, 6), "n": rng.randint(-99, 99), "l": [rstr(rng)]}))
            else:
                lines.append(valid_line(prog, table, rng))
        lines.append(bad)
        where = len(lines)
        for _ in range(rng.randint(0, 2)):  # lines after the bad one are never read
            lines.append(valid_line(prog, table, rng))
        stdin = b"\n".join(lines) + (b"\n" if rng.random() < 0.8 else b"")
        argv = ["pdb-" + prog] + (["--plain"] if plain else []) + [table] + (UPDATE_ARGS if prog == "update" else [])
        out.case(argv, 3, "%s %s, line %d of %d: %s" % (argv[0], table, where, len(lines), desc),
                 stdin=stdin, line=where, quiet=(prog != "get"), pattern=pattern)

    def embed(table, av):
        """An otherwise valid item holding av somewhere: (line, where)."""
        item = dumps(valid_item(table, rng))[:-1]
        spot = rng.choice(["top", "map", "list", "deep"])
        if spot == "top":
            return item + b',"bad":' + av + b"}", "attribute bad"
        if spot == "map":
            return item + b',"m":{"M":{"bad":' + av + b"}}}", "inside a map"
        if spot == "list":
            return item + b',"l":{"L":[{"N":"1"},' + av + b"]}}", "inside a list"
        return item + b',"d":{"M":{"x":{"L":[' + av + b"]}}}}", "two levels down"

    # Fixed cases: every hostile value, line and key once, programs in turn.
    i = 0
    for name, av, pat in BAD_VALUES:
        prog = progs[i % 4]
        table = "users" if i % 3 else "comp"
        line, where = embed(table, av)
        case(prog, table, line, "%s %s" % (name, where), pat)
        i += 1
    for table in ("users", "comp"):
        for name, line, pat in bad_lines(table, rng):
            case(progs[i % 4], table, line, name, pat)
            i += 1
        for name, line, pat in bad_keys(table, rng):
            case(progs[i % 4], table, line, name, pat)
            i += 1
    for name, line, pat in bad_items(rng):
        case("put", "users", line, name, pat)
    for name, line, pat in bad_plain(rng):
        case("put", "users", line, name, pat, plain=True)
    case("get", "users", b'{"id":5}', "plain key number", VAL, plain=True)

    # Random cases: a hostile value, line or key in a random place, or a
    # valid item broken by a change that can never leave it valid.
    for _ in range(N):
        prog, table = rng.choice(progs), rng.choice(["users", "comp"])
        r = rng.random()
        if r < 0.35:
            name, av, pat = rng.choice(BAD_VALUES)
            line, where = embed(table, av)
            case(prog, table, line, "%s %s" % (name, where), pat)
        elif r < 0.5:
            name, line, pat = rng.choice(bad_keys(table, rng))
            case(prog, table, line, name, pat)
        else:
            good = dumps(valid_item(table, rng))
            how = rng.choice(["cut", "utf8", "control", "brace", "quote", "colon"])
            pos = rng.randrange(1, len(good))
            if how == "cut":
                bad = good[:pos]
            elif how == "utf8":
                bad = good[:pos] + rng.choice(INVALID_UTF8) + good[pos:]
            elif how == "control":
                bad = good[:pos] + rng.choice(CONTROL) + good[pos:]
            else:
                ch = {"brace": b"}", "quote": b'"', "colon": b":"}[how]
                spots = [j for j in range(len(good)) if good[j:j + 1] == ch]
                j = rng.choice(spots)
                bad = good[:j] + (b"," if how == "colon" else b"") + good[j + 1:]
            case(prog, table, bad, "random %s at byte %d of %s" % (how, pos, show(good, 50)), SER)

    # Controls: the valid lines alone, and extreme lines a put accepts.
    for prog in progs:
        for table in ("users", "comp"):
            lines = [valid_line(prog, table, rng) for _ in range(3)]
            argv = ["pdb-" + prog, table] + (UPDATE_ARGS if prog == "update" else [])
            out.case(argv, 0, "control: %s %s with valid lines only" % (argv[0], table),
                     stdin=b"\n".join(lines) + b"\n", check="-", quiet=False)
    for table, name, line in controls(rng):
        out.case(["pdb-put", table], 0, "control: a put of " + name, stdin=line + b"\n", check="-")


# ---------------------------------------------------------------------------
# options: unknown options, missing arguments, bad numbers and words

PROGRAMS = {
    # name: (valid argv after the name, stdin, optstring, long options with an argument, without)
    "pdb-table": (["list"], b"", "d:g:hi:L:s:", ["db", "gsi", "input", "lsi", "stream"], ["help", "version"]),
    "pdb-put": (["users"], b'{"id":{"S":"new"}}\n', "b:c:d:hN:pR:SV:",
                ["batch-size", "condition-expression", "db", "expression-attribute-names",
                 "expression-attribute-values", "return-values"],
                ["help", "plain", "skip-failed-conditions", "version"]),
    "pdb-delete": (["users"], b'{"id":{"S":"u1"}}\n', "b:c:d:hN:pR:SV:",
                   ["batch-size", "condition-expression", "db", "expression-attribute-names",
                    "expression-attribute-values", "return-values"],
                   ["help", "plain", "skip-failed-conditions", "version"]),
    "pdb-update": (["users"] + UPDATE_ARGS, b'{"id":{"S":"u1"}}\n', "b:c:d:hN:pR:Su:V:",
                   ["batch-size", "condition-expression", "db", "expression-attribute-names",
                    "expression-attribute-values", "return-values", "update-expression"],
                   ["help", "plain", "skip-failed-conditions", "version"]),
    "pdb-get": (["users"], b'{"id":{"S":"u1"}}\n', "d:hp", ["db"], ["help", "plain", "version"]),
    "pdb-scan": (["users"], b"", "d:e:F:ghi:l:N:pP:S:s:t:V:x",
                 ["db", "exclusive-start-key", "expression-attribute-names", "expression-attribute-values",
                  "filter-expression", "index", "limit", "projection-expression", "segment", "select",
                  "total-segments"], ["export", "help", "page", "plain", "version"]),
    "pdb-query": (["-k", "id = :v", "-V", '{":v":{"S":"u1"}}', "users"], b"", "d:F:ghi:k:l:N:pP:rS:s:V:",
                  ["db", "exclusive-start-key", "expression-attribute-names", "expression-attribute-values",
                   "filter-expression", "index", "key-condition-expression", "limit", "projection-expression",
                   "select"],
                  ["help", "page", "plain", "reverse", "version"]),
    "pdb-stream-describe": ([], b"", "d:ht:", ["db", "table"], ["help", "version"]),
    "pdb-stream-iter": (["-t", "LATEST", "users"], b"", "d:hjs:S:t:", ["db", "seq", "shard", "type"],
                        ["help", "json", "version"]),
    "pdb-stream-tail": (["users"], b"", "c:d:e:fghi:Ll:n:s:S:",
                        ["checkpoint", "count", "db", "events", "from", "iterator", "limit", "shard"],
                        ["follow", "help", "lambda", "page", "version"]),
}
BAD_NUMBERS = ["", "x", "0", "-1", "1x", "0x10", "1e3", "1.5", "99999999999999999999999",
               "１", " 1", "1 ", "\t1", "-", "+", "--1", "1,000", "0.0", "-0", "٣", "1_000", "9" * 400]
ENUMS = {
    "pdb-put": ("R", "return-values", ["NONE", "ALL_OLD"]),
    "pdb-delete": ("R", "return-values", ["NONE", "ALL_OLD"]),
    "pdb-update": ("R", "return-values", ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"]),
    "pdb-stream-iter": ("t", "type", ["TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"]),
    "pdb-scan": ("S", "select", ["ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"]),
}


def whole_number(v, hi):
    return re.fullmatch(r"\+?[0-9]+", v) is not None and 1 <= int(v) <= hi


def word_variants(rng, words):
    """Values near the valid words that are not one of them."""
    w = rng.choice(words)
    out = {w.lower(), w.title(), w + " ", " " + w, w + ",", w[:-1], w + w[-1], w.replace("_", "-"),
           w + "," + w, "", "*", "ALL", w + "x"}
    for _ in range(1 + N // 15):
        out.add("".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ_,") for _ in range(rng.randint(1, 14))))
    return sorted(v for v in out if v not in words)


def options_family(out, rng, ctx):
    for prog, (base, stdin, optstring, longarg, longflag) in PROGRAMS.items():
        longs = longarg + longflag

        def run(args, want, desc, pattern="*", s=stdin):
            out.case([prog] + args, want, "%s %s" % (prog, desc), stdin=s, pattern=pattern)

        # Unknown long options, and abbreviations that fit two options.
        names = ["hostile", "no-such-option=1", "DB", "-", "=x"]
        while len(names) < 6 + N // 30:
            cand = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz-") for _ in range(rng.randint(1, 12)))
            if cand.strip("-") and not any(o.startswith(cand.split("=")[0]) for o in longs):
                names.append(cand)
        for name in names:
            if any(o.startswith(name.split("=")[0]) and name.split("=")[0] for o in longs):
                continue
            run(base + ["--" + name], 2, "unknown option --%s" % name, "*" + esc(name.split("=")[0]) + "*")
        for length in range(1, 30):
            seen = {}
            for o in longs:
                seen.setdefault(o[:length], []).append(o)
            for prefix, opts in sorted(seen.items()):
                if len(opts) > 1 and prefix not in longs:
                    run(base + ["--" + prefix], 2, "ambiguous option --%s" % prefix, "*" + esc(prefix) + "*")
                    break
            else:
                continue
            break
        # Unknown short options.
        unused = [c for c in "aAbBcCeEgGHiIjJkKlLmMnNoOPqQrRsStTuUvVwWxXyYzZ019" if c not in optstring]
        for c in ["x"] + rng.sample([c for c in unused if c != "x"], 2):
            if c in unused:
                run(base + ["-" + c], 2, "unknown option -%s" % c, "*%s*" % c)
        # Each option that wants an argument, given last with none.
        # (short and long forms in turn: getopt_long handles both alike)
        shorts = re.findall(r"(\w):", optstring)
        for j, name in enumerate(longarg):
            c = [x for x in shorts if name.startswith(x.lower())] or [None]
            if j % 2 and c[0]:
                run(base + ["-" + c[0]], 2, "-%s without its argument" % c[0], "*%s*" % c[0])
            else:
                run(base + ["--" + name], 2, "--%s without its argument" % name, "*%s*" % esc(name))
        # An empty database name.
        run(base + ["--db", ""], 2, "--db ''")
        # Operands: missing and extra.
        if prog not in ("pdb-stream-describe",):
            run([a for a in base if a not in ("users", "list")], 2, "without its operand")
        run(base + ["extra", "operands"], 2, "with extra operands")

    # Bad numbers.
    numeric = [("pdb-put", "b", "batch-size", 1000000000, 2), ("pdb-delete", "b", "batch-size", 1000000000, 2),
               ("pdb-update", "b", "batch-size", 1000000000, 2),
               ("pdb-scan", "l", "limit", 1 << 62, 2), ("pdb-query", "l", "limit", 1 << 62, 2),
               ("pdb-scan", "t", "total-segments", 1000000, 2),
               ("pdb-stream-tail", "n", "count", 1 << 62, 2),
               # GetRecords' Limit: pdb(1) documents a ValidationException, exit 3.
               ("pdb-stream-tail", "l", "limit", 1000, 3)]
    core = ["", "x", "0", "-1", "1x", " 1"]
    rest = [v for v in BAD_NUMBERS if v not in core]
    for j, (prog, c, name, hi, want) in enumerate(numeric):
        base, stdin = PROGRAMS[prog][0], PROGRAMS[prog][1]
        values = core + rest[j::len(numeric)] + [str(hi + 1), str(1 << 64)]
        for _ in range(N // 10):
            values.append("".join(rng.choice("0123456789-+.eEx ,_") for _ in range(rng.randint(1, 6))))
        for k, v in enumerate(values):
            if whole_number(v, hi):
                continue
            args = ["-" + c, v] if k % 2 else ["--%s=%s" % (name, v)]
            # DynamoDB's text for a Limit past its maximum does not echo it.
            over = want == 3 and re.fullmatch(r"[0-9]+", v) and hi < int(v) < 1 << 63
            pat = ("*ValidationException*" if want == 3 else "*%s*" % name) + \
                  ("'%s'*" % esc(v) if v.isprintable() and len(v) < 100 and not over else "")
            out.case([prog] + base + args, want, "%s %s" % (prog, show(" ".join(args))), stdin=stdin,
                     pattern=pat)
    # Bad words.
    for prog, (c, name, words) in ENUMS.items():
        base, stdin = PROGRAMS[prog][0], PROGRAMS[prog][1]
        if prog == "pdb-stream-iter":
            base = ["users"]
        for k, v in enumerate(word_variants(rng, words) + ["ALL", "UPDATED", "none"]):
            args = ["-" + c, v] if k % 2 else ["--%s=%s" % (name, v)]
            out.case([prog] + base + args, 2, "%s %s" % (prog, show(" ".join(args))), stdin=stdin,
                     pattern="*-t *" if c == "t" else "*%s*" % name)
    events = [v for v in word_variants(rng, ["INSERT", "MODIFY", "REMOVE"])
              if not re.fullmatch(r"(INSERT|MODIFY|REMOVE)(,(INSERT|MODIFY|REMOVE))*", v)]
    for k, v in enumerate(events + [",", "INSERT,,MODIFY", ",INSERT", "INSERT;MODIFY", "INSERT MODIFY", "ALL"]):
        args = ["-e", v] if k % 2 else ["--events=" + v]
        out.case(["pdb-stream-tail", "users"] + args, 2, "pdb-stream-tail %s" % show(" ".join(args)),
                 pattern="*events*")
    for k, v in enumerate(["bogus", "LATEST", "Latest", "trim_horizon", "TRIM_HORIZON", "latest ", " latest",
                           "at", "after", "before:1", "from:1", "", "latest:1", "trim-horizon:"]):
        args = ["-s", v] if k % 2 else ["--from=" + v]
        out.case(["pdb-stream-tail", "users"] + args, 2, "pdb-stream-tail %s" % show(" ".join(args)),
                 pattern="*from*")
    # Combinations the pages refuse, and pdb-table's own operands.
    for args in (["--page", "-f"], ["--page", "-L"], ["-g", "--follow"]):
        out.case(["pdb-stream-tail", "users"] + args, 2, "pdb-stream-tail " + " ".join(args))
    out.case(["pdb-stream-tail", "-i", "x|1|AAAA", "users"], 2, "pdb-stream-tail with -i and a table")
    out.case(["pdb-stream-iter", "users"], 2, "pdb-stream-iter without -t")
    out.case(["pdb-query", "users"], 2, "pdb-query without -k")
    for args in (["-x", "-g"], ["--export", "-p"], ["-x", "-S", "COUNT"], ["-e", "0"], ["--total-segments=2"]):
        out.case(["pdb-scan", "users"] + args, 2, "pdb-scan " + " ".join(args))
    out.case(["pdb-update", "users"], 2, "pdb-update without -u", stdin=PROGRAMS["pdb-update"][1])
    for args in (["bogus"], [], ["list", "extra"], ["create"], ["create", "newtab"], ["describe"],
                 ["delete"], ["stream"], ["stream", "users"], ["create", "a", "b", "c", "d"], ["LIST"],
                 ["index"], ["index", "users"], ["index", "users", "rename", "x"], ["index", "users", "add"],
                 ["list", "-g", "byA a"], ["-i", "-", "-g", "byA a", "create"]):
        out.case(["pdb-table"] + args, 2, "pdb-table %s" % " ".join(args))


# ---------------------------------------------------------------------------
# env: garbage in PDB_NOW, PDB_RETENTION, PDB_BUSY_TIMEOUT_MS, PDB_SYNC, ...

INVOCATIONS = [(p, spec[0], spec[1]) for p, spec in PROGRAMS.items()]

ENV_BAD = {
    "PDB_NOW": ["x", "-1", " 5", "5 ", "+5", "1e3", "1.5", "0x10", "99999999999999999999999",
                "9223372036854775807", "253402300800000", "1969-12-31T23:59:59Z", "2030-13-01T00:00:00Z",
                "2030-00-10T00:00:00Z", "2030-01-32T00:00:00Z", "2030-01-00T00:00:00Z",
                "2030-02-30T00:00:00Z", "2031-02-29T00:00:00Z", "2030-04-31T00:00:00Z",
                "2030-01-01T24:00:00Z", "2030-01-01T00:60:00Z", "2030-01-01T00:00:61Z", "2030-01-01",
                "2030-01-01T00:00", "2030-01-01 00:00:00Z", "2030-01-01t00:00:00z",
                "2030-01-01T00:00:00+01:00", "2030-01-01T00:00:00.Z", "2030-01-01T00:00:00ZZ",
                " 2030-01-01T00:00:00Z", "2030-01-01T00:00:00Z ", "2030-1-1T0:0:0Z",
                "2030- 1- 1T 0: 0: 0Z", "T", "now", "yesterday", "١٢٣", "10000-01-01T00:00:00Z"],
    "PDB_RETENTION": ["x", "0", "0s", "-1s", "1.h", ".5h", "1w", "24H", " 1h",
                      "1h ", "1 h", "1e3", "h", "1hh", "1h30m", "0x10", "1,5h", "-0s",
                      "1y", "ms", "1 ms"],
    "PDB_BUSY_TIMEOUT_MS": ["x", "-1", "1e3", " 5", "5 ", "\t5", "99999999999999999999999", "0x10", "1.5",
                            "5ms", "2147483648", "-9223372036854775808", "5\n", "٥"],
    "PDB_SYNC": ["x", "FULL", "Full", "full ", " full", "off", "1", "0", "true", "normal ", "NORMAL",
                 "extra", "fulll", "ful", "full\n"],
}
CREATE_ENV_BAD = {
    "AWS_REGION": ["US-EAST-1", "us_east_1", "eu west", "a" * 33, "us-east-1\n", "ü", " us-east-1", "us-east-1 "],
    "AWS_DEFAULT_REGION": ["EU-WEST-1", "eu/west", "a" * 40, "x y"],
    "PDB_ACCOUNT_ID": ["123", "12345678901a", "1234567890123", " 123456789012", "123456789012 ",
                       "-12345678901", "１２３４５６７８９０１２", "x"],
}
ENV_GOOD = {"PDB_NOW": ["1900000000000", "2030-01-01T00:00:00Z", "2030-06-15T12:34:56.789Z"],
            "PDB_RETENTION": ["24h", "90s", "15m", "1.5h", "1d"],
            "PDB_BUSY_TIMEOUT_MS": ["5000", "0", "250"], "PDB_SYNC": ["full", "normal"]}


def valid_env(var, v):
    """The grammar pdb(7) documents for each variable."""
    if var == "PDB_NOW":
        if re.fullmatch(r"[0-9]+", v):
            return int(v) <= 253402300799999
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z?", v)
        if not m:
            return False
        y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
        days = [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return y >= 1970 and 1 <= mo <= 12 and 1 <= d <= days[mo - 1] and h < 24 and mi < 60 and s < 60
    if var == "PDB_RETENTION":
        m = re.fullmatch(r"([0-9]+(\.[0-9]+)?)(ms|s|m|h|d)?", v)
        return bool(m) and float(m.group(1)) > 0
    if var == "PDB_BUSY_TIMEOUT_MS":
        return re.fullmatch(r"[0-9]+", v) is not None and int(v) < 2 ** 31
    return v in ("full", "normal")


def mutate_env(rng, v):
    """A change to a valid value that the documented grammar never allows."""
    how = rng.choice(["letter", "space", "sign"])
    pos = rng.randrange(len(v) + 1)
    if how == "letter":
        return v[:pos] + rng.choice("qxjQ") + v[pos:]
    if how == "space":
        return rng.choice([" " + v, v + " ", v[:pos] + " " + v[pos:]])
    return rng.choice(["-", "+-", "--"]) + v


def env_family(out, rng, ctx):
    k = 0
    for var, values in ENV_BAD.items():
        values = list(values)
        tries = 0
        while len(values) < len(ENV_BAD[var]) + N // 4 and tries < 1000:
            tries += 1
            v = mutate_env(rng, rng.choice(ENV_GOOD[var]))
            if not valid_env(var, v) and v not in values:
                values.append(v)
        for v in values:
            assert not valid_env(var, v), (var, v)
            prog, args, stdin = INVOCATIONS[k % len(INVOCATIONS)]
            k += 1
            out.case([prog] + args, 2, "%s=%s for %s" % (var, show(v, 60), prog), stdin=stdin,
                     env={var: v}, pattern="*" + esc(var) + "*")
    # Region and account count when a database is created: it must not be.
    for var, values in CREATE_ENV_BAD.items():
        for v in values:
            out.case(["pdb-table", "--db", "new.db", "create", "tab1", "id"], 2,
                     "%s=%s for pdb-table create" % (var, show(v, 60)), env={var: v},
                     check="files", pattern="*" + esc(var) + "*")
    # Controls: good values are accepted.
    for var, values in ENV_GOOD.items():
        for v in values:
            out.case(["pdb-scan", "users"], 0, "control: %s=%s" % (var, v), env={var: v}, check="-", quiet=False)


# ---------------------------------------------------------------------------
# dbfiles: missing, directory, truncated, garbage, empty, /dev/null, foreign

def make_files(rng, fixture, good):
    """Hostile database files beside the pdb database good (in fixture)."""
    data = open(os.path.join(fixture, good), "rb").read()
    page = 4096
    files = {}

    def put(name, content):
        with open(os.path.join(fixture, name), "wb") as f:
            f.write(content)
        files[name] = "file"

    put("empty.db", b"")
    put("one-byte.db", b"x")
    put("two-bytes.db", b"x\n")
    for size in (1, 100, 4096, 65536):
        put("junk-%d.db" % size, bytes(rng.randrange(256) for _ in range(size)))
    put("header-only.db", b"SQLite format 3\0")
    put("header-junk.db", b"SQLite format 3\0" + bytes(rng.randrange(256) for _ in range(page * 3 - 16)))
    for size in (50, 100, page, (len(data) // page // 2) * page, len(data) - page):
        put("trunc-%d.db" % size, data[:size])
    # Page 1 (the schema) with its second half zeroed.
    put("zeroed-schema.db", data[:2048] + b"\0" * 2048 + data[page:])
    put("text.db", b'{"id":{"S":"u1"}}\n' * 100)
    os.mkdir(os.path.join(fixture, "dir.db"))
    files["dir.db"] = "dir"
    os.mkfifo(os.path.join(fixture, "fifo.db"))
    files["fifo.db"] = "fifo"
    os.symlink("loop.db", os.path.join(fixture, "loop.db"))
    files["loop.db"] = "loop"
    os.symlink("dir.db", os.path.join(fixture, "link-to-dir.db"))
    files["link-to-dir.db"] = "dir"

    # Other programs' SQLite files.
    def sql(name, script, wal=False):
        c = sqlite3.connect(os.path.join(fixture, name))
        if wal:
            c.execute("PRAGMA journal_mode=WAL")
        c.executescript(script)
        c.commit()
        c.close()
        files[name] = "foreign"

    sql("app.db", "CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT);"
                  "INSERT INTO accounts(name) VALUES ('ada'), ('grace'); PRAGMA user_version = 7;")
    sql("app-wal.db", "CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT);"
                      "INSERT INTO accounts(name) VALUES ('ada');", wal=True)
    sql("lookalike.db", "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                        "INSERT INTO meta VALUES ('salt', 'x'), ('region', 'us-east-1');"
                        "CREATE TABLE tables(id INTEGER PRIMARY KEY, name TEXT);"
                        "INSERT INTO tables(name) VALUES ('users');"
                        "CREATE TABLE items(x); CREATE TABLE records(y); CREATE TABLE streams(z);")
    sql("app-v1.db", "CREATE TABLE users(id TEXT PRIMARY KEY, item TEXT); PRAGMA user_version = 1;")
    # A pdb database from a newer pdb.
    with open(os.path.join(fixture, "newer.db"), "wb") as f:
        f.write(data)
    c = sqlite3.connect(os.path.join(fixture, "newer.db"))
    c.execute("PRAGMA user_version = 99")
    c.close()
    files["newer.db"] = "newer"
    return files


def dbfiles_family(out, rng, ctx):
    fixture, good = ctx["fixture"], ctx["good"]
    files = make_files(rng, fixture, good)
    files["missing.db"] = "missing"
    files["nodir/missing.db"] = "missing"
    files["/dev/null"] = "device"
    readers = [["pdb-scan", "users"], ["pdb-get", "users"], ["pdb-query", "-k", "id = :v", "-V", '{":v":{"S":"u1"}}', "users"],
               ["pdb-stream-describe"], ["pdb-stream-iter", "-t", "LATEST", "users"], ["pdb-stream-tail", "users"],
               ["pdb-table", "list"], ["pdb-table", "describe", "users"]]
    writers = [["pdb-put", "users"], ["pdb-delete", "users"], ["pdb-update", "users"] + UPDATE_ARGS,
               ["pdb-table", "create", "newtab", "id"], ["pdb-table", "stream", "users", "off"]]
    stdin = {"pdb-put": b'{"id":{"S":"new"}}\n', "pdb-delete": b'{"id":{"S":"u1"}}\n',
             "pdb-update": b'{"id":{"S":"u1"}}\n', "pdb-get": b'{"id":{"S":"u1"}}\n'}
    k = 0
    for name, kind in sorted(files.items()):
        cmds = readers + writers
        if kind not in ("foreign", "missing"):
            # Every program on another program's file, or a missing one; a
            # sample of them on the rest (HOSTILE_N more for more), always
            # with create, the one program that may write a new file.
            cmds = [writers[3]] + rng.sample(readers + writers[:3] + writers[4:], min(len(cmds) - 1, 3 + N // 10))
        for cmd in cmds:
            if cmd[:2] == ["pdb-table", "create"] and (kind == "missing" or name == "empty.db"):
                continue  # create makes these a database: that is its job (controls below)
            k += 1
            by_env = k % 2 == 0
            argv = [cmd[0]] + ([] if by_env else ["--db", name]) + cmd[1:]
            env = {"PDB_DB": name} if by_env else {}
            pattern = "*" + esc(name) + "*"
            if kind == "missing":
                pattern = "*" + esc("create it with 'pdb-table --db %s create" % name) + "*"
            elif kind == "foreign":
                pattern = "*" + esc(name) + ": not a pdb database*"
            elif kind == "newer":
                pattern = "*newer*"
            out.case(argv, 4, "%s on %s (%s, %s)" % (" ".join(cmd), name, kind, "$PDB_DB" if by_env else "--db"),
                     stdin=stdin.get(cmd[0], b""), env=env, check="files", pattern=pattern)
    # Controls: the good database works, and create makes a missing or empty file.
    out.case(["pdb-scan", "--db", good, "users"], 0, "control: pdb-scan on the good database", check="-", quiet=False)
    out.case(["pdb-table", "--db", "missing.db", "create", "tab1", "id"], 0, "control: create makes missing.db", check="-")
    out.case(["pdb-table", "--db", "empty.db", "create", "tab1", "id"], 0, "control: create fills empty.db", check="-")


# ---------------------------------------------------------------------------
# iterators: tampered, truncated, foreign, garbage, too long, expired

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def fnv1a(h, data):
    for c in data:
        h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def forger(db, it):
    """A function that makes iterators as pdb makes them, with the database's
    own secret, or None when the format is not the one known here."""
    try:
        salt = int(sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()[0])
        arn, opaque = it.split("|1|")
        payload = base64.b64decode(opaque, validate=True).decode()
        body, check = payload.rsplit(":", 1)
        _, shard, pos, issued = body.split(":")

        def make(pos, issued, shard=shard, arn=arn):
            body = "1:%s:%s:%s" % (shard, pos, issued)
            c = fnv1a(fnv1a(0xcbf29ce484222325 ^ salt, arn.encode()), body.encode())
            return arn + "|1|" + base64.b64encode(("%s:%016x" % (body, c)).encode()).decode()

        return make if make(pos, issued) == it else None
    except Exception:
        return None


def iterators_family(out, rng, ctx):
    it, other, gone = ctx["it"], ctx["other"], ctx["deleted"]
    now = int(ctx["now"])
    arn, opaque = it.split("|1|")
    bad = []
    # One character changed, in the opaque part and in the ARN.
    spots = sorted({0, 1, len(opaque) // 2, len(opaque) - 2, len(opaque) - 1} |
                   {rng.randrange(len(opaque)) for _ in range(N // 5)})
    for p in spots:
        c = rng.choice([x for x in B64 + "=-_.!" if x != opaque[p]])
        bad.append(("opaque character %d changed to %r" % (p, c), arn + "|1|" + opaque[:p] + c + opaque[p + 1:]))
    for p in sorted({0, len(arn) // 2, len(arn) - 1} | {rng.randrange(len(arn)) for _ in range(N // 10)}):
        c = rng.choice([x for x in "abcxyz019:/-" if x != arn[p]])
        bad.append(("ARN character %d changed" % p, arn[:p] + c + arn[p + 1:] + "|1|" + opaque))
    bad += [("version 2", arn + "|2|" + opaque), ("version 01", arn + "|01|" + opaque),
            ("no version", arn + "||" + opaque), ("no separator", arn + opaque),
            ("opaque repeated", it + opaque), ("iterator twice", it + it), ("an extra |1|", it + "|1|" + opaque),
            ("padding added", it + "=="), ("a character added", it + "A"),
            ("lowercased", it.lower()), ("uppercased", it.upper()),
            ("opaque only", opaque), ("|1| and opaque", "|1|" + opaque), ("ARN only", arn),
            ("ARN and |1|", arn + "|1|"), ("another database's iterator for the same ARN", other)]
    # Truncated.
    lengths = {1, 10, len(arn) - 1, len(arn), len(arn) + 1, len(arn) + 2, len(arn) + 3, len(arn) + 4,
               len(it) - 1, len(it) - 2, len(it) - 3, len(it) - 4, len(it) - 5}
    lengths |= {rng.randrange(1, len(it)) for _ in range(N // 5)}
    for n in sorted(lengths):
        bad.append(("truncated to %d of %d characters" % (n, len(it)), it[:n]))
    # Too long, and garbage.
    bad += [("2049 characters", arn + "|1|" + "A" * (2049 - len(arn) - 3)),
            ("5000 characters", it + "A" * (5000 - len(it))), ("100000 characters", it + "A" * (100000 - len(it))),
            ("empty", ""), ("garbage", "garbage"), ("|1|", "|1|"), ("a space", " "), ("a dash", "-"),
            ("two dashes", "--"), ("invalid UTF-8", arn + "|1|\udcff\udcfe" + opaque),
            ("a NUL-free control character", arn + "|1|" + opaque[:5] + "\x01" + opaque[5:]),
            ("a forged payload without the secret",
             arn + "|1|" + base64.b64encode(b"1:shardId-00000000000000000000-00000000:0:%d:0000000000000000" % now).decode())]
    for _ in range(N // 3):
        kind = rng.choice(["printable", "b64", "payload"])
        if kind == "printable":
            s = "".join(chr(rng.randrange(32, 127)) for _ in range(rng.randint(1, 300)))
        elif kind == "b64":
            s = arn + "|1|" + rb64(rng, 1, 200)
        else:
            s = arn + "|1|" + base64.b64encode(("1:%s:%d:%d:%016x" % (
                rstr(rng, 1, 30), rng.randint(-10, 10**6), now, rng.getrandbits(64))).encode()).decode()
        bad.append(("random %s %s" % (kind, show(s, 30)), s))
    readers = [["-i"], ["--page", "-i"], ["-L", "-i"], ["--iterator"]]
    for k, (name, token) in enumerate(bad):
        argv = ["pdb-stream-tail"] + readers[k % len(readers)] + [token]
        out.case(argv, 3, "iterator: " + name, pattern="*pdb-stream-tail: ValidationException: *")
    # Expired and trimmed.
    out.case(["pdb-stream-tail", "-i", it], 3, "iterator used 16 minutes after it was issued",
             env={"PDB_NOW": str(now + 16 * 60000)}, pattern="*ExpiredIteratorException*")
    out.case(["pdb-stream-tail", "-i", it], 3, "iterator whose records expired (PDB_RETENTION=1s, a minute on)",
             env={"PDB_NOW": str(now + 60000), "PDB_RETENTION": "1s"}, pattern="*TrimmedDataAccessException*")
    # Positions: -s of pdb-stream-tail and pdb-stream-iter, and checkpoint files.
    seqs = ["", "x", "-1", "1x", " 1", "+1", "0", "1.0", "1e3", "99999999999999999999999",
            "9223372036854775807", "9223372036854775808", "0" * 50 + "1", "\udcff"]
    for k, q in enumerate(seqs):
        where = ("at:", "after:")[k % 2]
        out.case(["pdb-stream-tail", "-s", where + q, "users"], 3, "position %s%s" % (where, show(q, 30)),
                 pattern="*ValidationException: *")
        out.case(["pdb-stream-iter", "-t", ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER")[k % 2], "-s", q, "users"],
                 3, "pdb-stream-iter -s %s" % show(q, 30), quiet=True, pattern="*ValidationException: *")
    checkpoints = [b"abc", b"", b"-5", b"1 2", b"\xff", b"0x10", b"1e3", bytes(rng.randrange(256) for _ in range(5000)),
                   b"99999999999999999999999", b"9223372036854775807", b"100"]
    for k, content in enumerate(checkpoints):
        name = "ck-%d.seq" % k
        with open(os.path.join(ctx["fixture"], name), "wb") as f:
            f.write(content)
        # A number past the stream's end would skip every record up to it
        # without a word; -s after:N refuses the same number (exit 3).
        out.case(["pdb-stream-tail", "--checkpoint", name, "users"], 3, "checkpoint file holding %s" % show(content, 30),
                 check="files", pattern="*" + name + "*")
    os.mkdir(os.path.join(ctx["fixture"], "ck-dir"))
    out.case(["pdb-stream-tail", "--checkpoint", "ck-dir", "users"], 4, "checkpoint file that is a directory",
             check="files", pattern="*ck-dir*")
    # Forged with the database's own secret: the fields themselves extreme.
    # pdb never issues a negative field, so one is a malformed iterator.
    make = forger(ctx["db"], it)
    if make is not None:
        for pos, issued, want, pat, name in [
                (0, INT64_MIN, 3, "*ValidationException: Invalid ShardIterator*", "issued at INT64_MIN"),
                (0, -1, 3, "*ValidationException: Invalid ShardIterator*", "issued at -1"),
                (0, 0, 3, "*ExpiredIteratorException*", "issued at 0"),
                (-1, now, 3, "*ValidationException: Invalid ShardIterator*", "position -1"),
                (INT64_MIN, now, 3, "*ValidationException: Invalid ShardIterator*", "position INT64_MIN"),
                (0, "x", 3, "*ValidationException*", "issued 'x'"),
                ("99999999999999999999", now, 3, "*ValidationException*", "position past int64")]:
            out.case(["pdb-stream-tail", "-i", make(pos, issued)], want, "forged iterator: " + name, pattern=pat)
        out.case(["pdb-stream-tail", "-i", make(0, now, shard="shardId-00000000000000000000-00000000")], 1,
                 "forged iterator: an unknown shard", pattern="*ResourceNotFoundException*")
    # Controls: the iterator itself, at 14 minutes, and one of a deleted table's stream.
    out.case(["pdb-stream-tail", "-i", it], 0, "control: the iterator", check="db", quiet=False)
    out.case(["pdb-stream-tail", "-i", it], 0, "control: the iterator 14 minutes on",
             env={"PDB_NOW": str(now + 14 * 60000)}, quiet=False)
    out.case(["pdb-stream-tail", "-i", gone], 0, "control: an iterator of a deleted table's stream reads its records",
             quiet=False)
    out.case(["pdb-stream-tail", "--page", "-i", gone], 0, "control: --page of a deleted table's stream", quiet=False)


# ---------------------------------------------------------------------------
# expressions: syntax, placeholders, reserved words, size, nesting

VALS = {":v": {"S": "x"}, ":w": {"S": "y"}, ":one": {"N": "1"}, ":lo": {"N": "0"}, ":hi": {"N": "9"},
        ":l": {"L": [{"S": "z"}]}, ":ss": {"SS": ["a"]}, ":t": {"BOOL": True}, ":ty": {"S": "S"},
        ":p": {"N": "1"}, ":a": {"B": "AA=="}, ":b": {"B": "AQ=="}, ":k": {"S": "u1"}}
NAMES = {"#n": "name", "#s": "status", "#pk": "pk", "#sk": "sk", "#m": "m"}
UPDATES = ["SET a = :v", "SET #n = :v", "SET n = n + :one", "SET l = list_append(l, :l)",
           "SET a = if_not_exists(a, :v), b = :w", "REMOVE a, m.x", "ADD c :one", "DELETE ss :ss",
           "SET #m.x = :v", "SET a = :v REMOVE b ADD c :one", "SET l[0] = :v", "SET n = n - :one"]
CONDITIONS = ["attribute_exists(id)", "attribute_not_exists(nope) OR a = :v", "n BETWEEN :lo AND :hi",
              "s IN (:v, :w)", "NOT (s = :v)", "begins_with(s, :v) AND size(s) > :one",
              "contains(ss, :v)", "attribute_type(s, :ty)", "#s <> :v", "(n < :hi) AND (n >= :lo)"]
KEYS = ["pk = :p", "pk = :p AND sk BETWEEN :a AND :b", "pk = :p AND begins_with(sk, :a)",
        "#pk = :p AND #sk > :a", "pk = :p AND sk <= :b"]
PROJECTIONS = ["a, b", "m.x, l[0]", "#n, s", "id", "ss, n"]
RESERVED = ["name", "status", "total", "data", "date", "year", "value", "user", "key", "order", "comment",
            "count", "timestamp", "type", "group", "level", "time", "table", "index", "by", "from"]
JUNK = ["@", "$", "!", "%", "^", "&", "|", "?", "~", "`", ";", "\\", "{", "}", '"', "'", "\x01", "\x7f",
        "\udcff", "\udcc3"]
CONTEXTS = {
    # name: (argv before the expression, option, bases, stdin, kind)
    "update-u": (["pdb-update", "users"], "-u", UPDATES, b'{"id":{"S":"u1"}}\n{"id":{"S":"u2"}}\n', "UpdateExpression"),
    "update-c": (["pdb-update", "users", "-u", "SET t = :t"], "-c", CONDITIONS, b'{"id":{"S":"u1"}}\n', "ConditionExpression"),
    "put-c": (["pdb-put", "users"], "-c", CONDITIONS, b'{"id":{"S":"new1"}}\n{"id":{"S":"u3"}}\n', "ConditionExpression"),
    "delete-c": (["pdb-delete", "users"], "-c", CONDITIONS, b'{"id":{"S":"u1"}}\n', "ConditionExpression"),
    "query-k": (["pdb-query", "comp"], "-k", KEYS, b"", "KeyConditionExpression"),
    # A Query's filter may not name a key attribute.
    "query-F": (["pdb-query", "users", "-k", "id = :k"], "-F", CONDITIONS[1:], b"", "FilterExpression"),
    "query-P": (["pdb-query", "users", "-k", "id = :k"], "-P", PROJECTIONS, b"", "ProjectionExpression"),
    "scan-F": (["pdb-scan", "users"], "-F", CONDITIONS, b"", "FilterExpression"),
    "scan-P": (["pdb-scan", "users"], "-P", PROJECTIONS, b"", "ProjectionExpression"),
}
CONTINUE = {"=", "<>", "<", "<=", ">", ">=", "AND", "OR", "NOT", "BETWEEN", "IN", "(", ",", "SET", "REMOVE",
            "ADD", "DELETE", "+", "-", "."}


def tokens(expr):
    return re.findall(r"[#:]?\w+|<>|<=|>=|[^\s\w]", expr)


def placeholders(text):
    return set(re.findall(r"[#:]\w+", text))


def maps(prefix, expr):
    used = placeholders(" ".join(prefix) + " " + expr)
    names = {k: v for k, v in NAMES.items() if k in used}
    vals = {k: v for k, v in VALS.items() if k in used}
    return names, vals


def syntax_mutation(rng, expr):
    """A change that leaves no valid expression."""
    toks = tokens(expr)
    how = rng.choice(["cut", "junk", "paren", "double", "bare", "clause"])
    if how == "cut":
        cuts = [i for i in range(1, len(toks) + 1) if toks[i - 1] in CONTINUE]
        if cuts:
            return " ".join(toks[:rng.choice(cuts)]), "cut after a token that needs more"
        how = "junk"
    if how == "junk":
        p = rng.randrange(len(expr) + 1)
        j = rng.choice(JUNK)
        return expr[:p] + j + expr[p:], "junk %s at %d" % (show(j), p)
    if how == "paren":
        p = rng.randrange(len(toks) + 1)
        return " ".join(toks[:p] + [")"] + toks[p:]), "a stray ) at token %d" % p
    if how == "double":
        ops = [i for i, t in enumerate(toks) if t in ("=", "<>", "<", "<=", ">", ">=", "AND", "OR", "+", "-", ",")]
        if ops:
            i = rng.choice(ops)
            return " ".join(toks[:i + 1] + [toks[i]] + toks[i + 1:]), "operator %s doubled" % toks[i]
        return expr + " " + ",", "a trailing comma"
    if how == "bare":
        ph = [i for i, t in enumerate(toks) if t[0] in "#:"]
        if ph:
            i = rng.choice(ph)
            return " ".join(toks[:i] + [toks[i][0]] + toks[i + 1:]), "a bare %s" % toks[i][0]
        return expr + " )", "a trailing )"
    first = toks[0]
    if first in ("SET", "REMOVE", "ADD", "DELETE"):
        return expr + " " + first + " zz = :v" if first == "SET" else expr + " " + first + " zz", "a second %s clause" % first
    return "(" + expr, "an unclosed ("


def expressions_family(out, rng, ctx):
    def case(cname, expr, want, desc, names=None, vals=None, extra=(), pattern=None, stdin=None, line=None):
        prefix, opt, _, s, kind = CONTEXTS[cname]
        n, v = maps(prefix, expr)
        n = n if names is None else names
        v = v if vals is None else vals
        argv = list(prefix) + [opt, expr]
        if n:
            argv += ["-N", n if isinstance(n, str) else json.dumps(n)]
        if v:
            argv += ["-V", v if isinstance(v, str) else json.dumps(v)]
        argv += list(extra)
        pat = pattern or ("*ValidationException: *" if want == 3 else "*")
        out.case(argv, want, "%s %s: %s" % (cname, desc, show(expr, 80)), stdin=s if stdin is None else stdin,
                 line=line, pattern=pat)

    cond_contexts = [c for c, spec in CONTEXTS.items() if spec[2] is CONDITIONS]
    for cname, (prefix, opt, bases, s, kind) in CONTEXTS.items():
        if bases is CONDITIONS:
            # One parser for every condition: each base in one context, in turn.
            j = cond_contexts.index(cname)
            bases = [bases[0]] + bases[1:][j::len(cond_contexts)]
        for expr in bases:
            # Syntax errors.
            for _ in range(2):
                bad, how = syntax_mutation(rng, expr)
                case(cname, bad, 3, "syntax error (%s)" % how)
            ph = sorted(placeholders(expr))
            # An undefined placeholder, and an unused one.
            if ph:
                p = rng.choice(ph)
                n, v = maps(prefix, expr)
                (n if p[0] == "#" else v).pop(p)
                case(cname, expr, 3, "placeholder %s not defined" % p, names=n, vals=v, pattern="*not defined*")
            n, v = maps(prefix, expr)
            pat = "*unused*"
            if rng.random() < 0.5:
                # Values where no expression of the request takes any: AWS
                # says so before looking for unused ones.
                if cname == "scan-P":
                    pat = "*ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null"
                v = dict(v, **{":unused": {"S": "u"}})
            else:
                n = dict(n, **{"#unused": "u"})
            case(cname, expr, 3, "an unused placeholder", names=n, vals=v, pattern=pat)
            # A reserved word where a name stands.
            plain = [i for i, t in enumerate(tokens(expr)) if re.fullmatch(r"[a-z]\w*", t) and
                     t not in ("attribute_exists", "attribute_not_exists", "begins_with", "contains", "size",
                               "attribute_type", "list_append", "if_not_exists")]
            if plain:
                toks = tokens(expr)
                i = rng.choice(plain)
                word = rng.choice(RESERVED)
                if word != toks[i]:
                    toks[i] = rng.choice([word, word.upper(), word.title()])
                    case(cname, " ".join(toks), 3, "reserved word %s" % toks[i], pattern="*reserved keyword*")
        base = bases[0]
        # Over 4 KB: padded with blanks, and with more clauses.
        case(cname, base + " " * (4097 - len(base)), 3, "4097 bytes (blank padding)", pattern="*size*")
        case(cname, base + " " * (100000 - len(base)), 3, "100000 bytes", pattern="*size*")
        # Nesting.
        if kind in ("ConditionExpression", "FilterExpression"):
            case(cname, "(" * 300 + base + ")" * 300, 3, "300 levels of parentheses")
            case(cname, "(" * 2000 + base + ")" * 2000, 3, "2000 levels of parentheses (in 4 KB)")
            case(cname, "NOT " * 400 + base, 3, "400 NOTs (DynamoDB: more than 300 operators)")
            case(cname, "((" + base + "))", 3, "redundant parentheses (DynamoDB refuses them)")
            case(cname, " OR ".join(["s = :v"] * 200), 3, "399 operators, flat", pattern="*operators*")
            case(cname, " AND ".join(["attribute_exists(a%d)" % i for i in range(100)]) + " AND " + base, 0
                 if cname not in ("put-c", "update-c", "delete-c") else 1,
                 "200 operators", pattern="*ConditionalCheckFailedException*")
        if kind in ("ProjectionExpression",):
            case(cname, "a" + ".b" * 40, 3, "a document path of 41 elements")
            case(cname, "a" + "[0]" * 40, 3, "a document path of 41 list indexes")
        if kind == "ProjectionExpression":
            case(cname, "l[2147483648]", 3, "list index 2^31 (DynamoDB: not within the allowable range)")
        if kind == "FilterExpression":
            case(cname, "attribute_exists(l[99999999999999999999])", 3, "list index of 20 digits")
        if kind == "UpdateExpression":
            case(cname, "SET l[2147483648] = :v", 3, "list index 2^31 (DynamoDB: not within the allowable range)")
            case(cname, "SET l[99999999999999999999] = :v", 3, "list index of 20 digits")
            case(cname, "REMOVE l[18446744073709551616]", 3, "list index 2^64")
            case(cname, "SET a" + ".b" * 40 + " = :v", 3, "a document path of 41 elements")
            case(cname, "SET a = " + "list_append(" * 50 + ":l" + ", :l)" * 50, 3,
                 "list_append nested 50 deep (DynamoDB refuses nested list_append)")
            case(cname, "SET a = :v" + " + :v" * 301, 3, "301 operators")
        # Bad placeholder maps.
        n, v = maps(prefix, base)
        for bad_v, desc in [('{":v":', "truncated JSON"), ("[]", "an array"), ("5", "a number"),
                            ('{":v":{"S":5}}', "{\"S\":5}"), ('{":v":{}}', "an empty value"),
                            ('{":v":{"N":"x"}}', "N x"), ('{":v":{"SS":[]}}', "an empty set"),
                            ('{"v":{"S":"x"}}', "a name without :"), ('{":v":{"S":"x"},":v":{"S":"y"}}', "a duplicate"),
                            ("{}", "empty (DynamoDB: must not be empty)"),
                            (json.dumps(dict(v, **{":" + "v" * 300: {"S": "x"}})), "a 301-byte placeholder")]:
            if v or bad_v == "{}":
                case(cname, base, 3, "-V %s" % desc, vals=bad_v, pattern="*Exception: *")
        for bad_n, desc in [('{"#n":', "truncated JSON"), ("[]", "an array"), ('{"#n":5}', "a number"),
                            ('{"#n":null}', "null"), ("{}", "empty (DynamoDB: must not be empty)"),
                            ('{"#n":"x","#n":"y"}', "a duplicate")]:
            case(cname, base, 3, "-N %s" % desc, names=bad_n, pattern="*Exception: *")
        if cname == "scan-P":
            case(cname, "a, a", 3, "the same path twice (DynamoDB: paths overlap)")
            case(cname, "m, m.x", 3, "overlapping paths")
        if cname == "update-u":
            # DynamoDB: "The expression attribute map contains a key that is too long"
            case(cname, "SET #" + "n" * 300 + " = :v", 3, "a name placeholder of 301 bytes",
                 names={"#" + "n" * 300: "x"}, vals={":v": {"S": "x"}}, pattern="*Exception: *")
            case(cname, "SET a = :" + "v" * 300, 3, "a value placeholder of 301 bytes",
                 vals={":" + "v" * 300: {"S": "x"}}, pattern="*Exception: *")

    # Errors only an item shows, on line N of keys: the whole input rolls back.
    keys = [b'{"id":{"S":"%s"}}' % k.encode() for k in USER_KEYS]
    runtime = [("SET n = n + :one", "n is a string"), ("ADD n :one", "ADD to a string"),
               ("DELETE ss :ss", "DELETE SS from an NS"), ("SET l[0] = :v", "an index into a string"),
               ("SET l = list_append(l, :l)", "list_append to a string"), ("SET m.x = :v", "a path through nothing"),
               ("SET q = s", "an operand that item lacks"), ("SET q = n - :one", "- on a string")]
    for expr, desc in runtime:
        k = rng.randint(0, 4)
        lines = rng.sample(keys, k) + [b'{"id":{"S":"ustr"}}'] + rng.sample(keys, rng.randint(0, 2))
        case("update-u", expr, 3, "line %d of %d: %s" % (k + 1, len(lines), desc), stdin=b"\n".join(lines) + b"\n",
             line=k + 1)
    for cname in ("update-c", "put-c", "delete-c"):
        k = rng.randint(0, 3)
        lines = rng.sample(keys[:4], k) + [b'{"id":{"S":"nobody"}}']
        if cname == "put-c":
            lines = [b'{"id":{"S":"u%d"},"x":{"S":"y"}}' % i for i in range(k)] + [b'{"id":{"S":"nobody"}}']
        case(cname, "attribute_exists(id)", 1, "a condition that fails on line %d of %d" % (k + 1, len(lines)),
             stdin=b"\n".join(lines) + b"\n", line=k + 1, pattern="*ConditionalCheckFailedException*")

    # Controls.
    ok = {"update-u": "SET a = :v", "update-c": "attribute_exists(id)", "put-c": "attribute_not_exists(id)",
          "delete-c": "attribute_exists(id)", "query-k": "pk = :p", "query-F": "s = :v", "query-P": "a, b",
          "scan-F": "s = :v", "scan-P": "a, b"}
    for cname, expr in ok.items():
        prefix, opt, _, s, kind = CONTEXTS[cname]
        n, v = maps(prefix, expr)
        argv = list(prefix) + [opt, expr] + (["-N", json.dumps(n)] if n else []) + (["-V", json.dumps(v)] if v else [])
        s = s.split(b"\n")[0] + b"\n" if s else s
        out.case(argv, 0, "control: %s %s" % (cname, expr), stdin=s, check="-", quiet=False)
        argv[len(prefix) + 1] = expr + " " * (4096 - len(expr))
        out.case(argv, 0, "control: %s of exactly 4096 bytes" % cname, stdin=s, check="-", quiet=False)


FAMILIES = {"input": input_family, "options": options_family, "env": env_family,
            "dbfiles": dbfiles_family, "iterators": iterators_family, "expressions": expressions_family}


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in FAMILIES:
        sys.stderr.write("usage: gen.py %s OUTDIR [KEY=VALUE ...]\n" % "|".join(FAMILIES))
        return 2
    family, outdir = sys.argv[1], sys.argv[2]
    ctx = dict(a.split("=", 1) for a in sys.argv[3:])
    rng = random.Random("%d:%s" % (SEED, family))
    out = Out(family, outdir)
    FAMILIES[family](out, rng, ctx)
    print(out.close())
    return 0


if __name__ == "__main__":
    sys.exit(main())
