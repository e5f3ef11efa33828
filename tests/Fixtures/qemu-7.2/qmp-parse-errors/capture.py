#!/usr/bin/env python3
"""Captures QEMU 7.2's QMP replies to malformed input into cases.txt (see README.md).

Each case is sent on a fresh QMP connection after qmp_capabilities, followed by a newline and
{"execute":"query-status","id":"end"} so the replies show how the lexer resynchronises; every reply line
received until query-status answers (or 3 s of silence) is recorded.
"""
import os, socket, subprocess, sys, time

# name, segments: (hex-bytes, repeat)
def seg(data, count=1):
    return (data, count)

CASES = [
    ("byte-ff", [seg(b"\xff")]),
    ("byte-fe", [seg(b"\xfe")]),
    ("byte-80", [seg(b"\x80")]),
    ("nul", [seg(b"\x00")]),
    ("escape-control", [seg(b"\x1b")]),
    ("string-ending-in-ff", [seg(b'{"execute":"query-status\xff"}')]),
    ("ff-in-object", [seg(b'{"execute":\xff"query-status"}')]),
    ("fe-in-string", [seg(b'{"execute":"a\xfeb"}')]),
    ("invalid-utf8-in-string", [seg(b'{"execute":"\xc3("}')]),
    ("continuation-byte-in-string", [seg(b'{"execute":"\x80"}')]),
    ("overlong-nul", [seg(b'{"execute":"a\xc0\x80b"}')]),
    ("overlong-slash", [seg(b'{"execute":"\xc0\xaf"}')]),
    ("overlong-3-byte", [seg(b'{"execute":"\xe0\x80\x80"}')]),
    ("utf8-surrogate", [seg(b'{"execute":"\xed\xa0\x80"}')]),
    ("utf8-4-byte", [seg(b'{"execute":"\xf0\x9f\x98\x80"}')]),
    ("utf8-5-byte", [seg(b'{"execute":"\xf8\x88\x80\x80\x80"}')]),
    ("utf8-beyond-10ffff", [seg(b'{"execute":"\xf4\x90\x80\x80"}')]),
    ("utf8-2-byte", [seg(b'{"execute":"\xc3\xa9"}')]),
    ("utf8-truncated-at-quote", [seg(b'{"execute":"\xe2\x82"}')]),
    ("leading-zero", [seg(b"01")]),
    ("leading-dot", [seg(b".5")]),
    ("minus-alone", [seg(b"-")]),
    ("minus-brace", [seg(b"-{}")]),
    ("mantissa-without-digits", [seg(b"1.")]),
    ("exponent-without-digits", [seg(b"1e+")]),
    ("number-then-ff", [seg(b"1\xff")]),
    ("keyword-prefix", [seg(b"tru")]),
    ("keyword-capital", [seg(b"True")]),
    ("keyword-null", [seg(b"null")]),
    ("keyword-long", [seg(b"a", 2000)]),
    ("keyword-then-utf8", [seg(b"nul\xc3\xa9")]),
    ("unterminated-string-in-object", [seg(b'{"execute":"query-status')]),
    ("unterminated-string", [seg(b'"abc')]),
    ("unterminated-single-quoted", [seg(b"'abc")]),
    ("tab-in-string", [seg(b'{"execute":"a\tb"}')]),
    ("control-in-string", [seg(b'{"execute":"a\x01b"}')]),
    ("nul-in-string", [seg(b'{"execute":"ab\x00cd"}')]),
    ("del-in-string", [seg(b'{"execute":"a\x7fb"}')]),
    ("long-string-then-control", [seg(b'"'), seg(b"x", 300), seg(b"\x02")]),
    ("invalid-escape", [seg(b'{"execute":"\\x41"}')]),
    ("escape-capital-u", [seg(b'{"execute":"\\U0041"}')]),
    ("escape-slash-and-quote", [seg(b'{"execute":"a\\/b\\\'c\\"d"}')]),
    ("unicode-escape-short", [seg(b'{"execute":"\\u12"}')]),
    ("unicode-escape-empty", [seg(b'{"execute":"\\u"}')]),
    ("unicode-escape-nonhex", [seg(b'{"execute":"\\u12G4x"}')]),
    ("unicode-escape-nul", [seg(b'{"execute":"a\\u0000b"}')]),
    ("unicode-escape-noncharacter", [seg(b'{"execute":"\\uFFFF"}')]),
    ("unicode-escape-fdd0", [seg(b'{"execute":"\\ufdd0"}')]),
    ("lone-high-surrogate", [seg(b'{"execute":"\\ud800"}')]),
    ("lone-low-surrogate", [seg(b'{"execute":"\\udc00"}')]),
    ("high-surrogate-then-letter", [seg(b'{"execute":"\\ud800\\u0041"}')]),
    ("surrogate-pair", [seg(b'{"execute":"\\ud83d\\ude00"}')]),
    ("surrogate-pair-noncharacter", [seg(b'{"execute":"\\udbff\\udfff"}')]),
    ("lone-rcurly", [seg(b"}")]),
    ("lone-rsquare", [seg(b"]")]),
    ("extra-rcurly", [seg(b'{"execute":"query-status"}}')]),
    ("mismatched-close", [seg(b'{"execute":"query-status"]')]),
    ("execute-without-value", [seg(b'{"execute"}')]),
    ("missing-colon", [seg(b'{"execute" "query-status"}')]),
    ("missing-value", [seg(b'{"execute":}')]),
    ("trailing-comma-object", [seg(b'{"execute":"query-status",}')]),
    ("missing-comma-object", [seg(b'{"execute":"query-status" "id":1}')]),
    ("key-not-string", [seg(b'{1:"query-status"}')]),
    ("duplicate-key", [seg(b'{"execute":"query-status","execute":"quit"}')]),
    ("missing-comma-list", [seg(b"[1 2]")]),
    ("trailing-comma-list", [seg(b"[1,]")]),
    ("top-level-list", [seg(b"[1,2]")]),
    ("top-level-number", [seg(b"42")]),
    ("two-values-one-line", [seg(b'{"execute":"query-status","id":1}{"execute":"query-status","id":2}')]),
    ("nesting-1024", [seg(b"[", 1024), seg(b"]", 1024)]),
    ("nesting-1025", [seg(b"[", 1025)]),
    ("nesting-over-limit-in-object", [seg(b'{"execute":"query-status","id":'), seg(b"[", 1024)]),
    ("nesting-1100-then-close", [seg(b"[", 1100), seg(b"]", 1100)]),
    ("id-1e999", [seg(b'{"execute":"query-status","id":1e999}')]),
    ("id-minus-1e999", [seg(b'{"execute":"query-status","id":-1e999}')]),
    ("id-huge-integer", [seg(b'{"execute":"query-status","id":123456789012345678901234567890}')]),
    ("id-uint64-max", [seg(b'{"execute":"query-status","id":18446744073709551615}')]),
    ("id-below-int64-min", [seg(b'{"execute":"query-status","id":-9223372036854775809}')]),
    ("id-minus-zero", [seg(b'{"execute":"query-status","id":-0}')]),
    ("id-minus-zero-float", [seg(b'{"execute":"query-status","id":-0.0}')]),
    ("id-tenth", [seg(b'{"execute":"query-status","id":0.1}')]),
    ("id-small", [seg(b'{"execute":"query-status","id":1e-7}')]),
    ("id-exponent-17", [seg(b'{"execute":"query-status","id":1.5e17}')]),
    ("id-exponent-16", [seg(b'{"execute":"query-status","id":1.5e16}')]),
    ("id-denormal", [seg(b'{"execute":"query-status","id":4.9e-324}')]),
    ("id-underflow", [seg(b'{"execute":"query-status","id":1e-400}')]),
    ("id-string-escapes", [seg(b'{"execute":"query-status","id":"\\u00e9\\t\\u001f\\/"}')]),
    ("token-count-limit", [seg(b"["), seg(b"0,", 1048575), seg(b"1]")]),
    ("token-count-below-limit", [seg(b"["), seg(b"0,", 1048574), seg(b"1]")]),
    # QMP reads one byte at a time: a 64 MiB token (the size limit) takes minutes, so the size
    # limit is left to QmpServerRobustnessTests (a lowered limit).
]

SENTINEL = b'{"execute":"query-status","id":"end"}'

def encode(segments):
    return " ".join(d.hex() + ("" if n == 1 else "*%d" % n) for d, n in segments)

def read_line(f):
    line = f.readline()
    if not line:
        raise EOFError
    return line.rstrip(b"\r\n").decode("utf-8")

def run_case(sock_path, data):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock_path)
    f = s.makefile("rb")
    read_line(f)
    s.sendall(b'{"execute":"qmp_capabilities"}\n')
    assert read_line(f) == '{"return": {}}'
    s.sendall(data + b'\n' + SENTINEL + b'\n')
    replies = []
    s.settimeout(3)
    try:
        while True:
            line = read_line(f)
            replies.append(line)
            if line.endswith('"id": "end"}'):
                break
    except (socket.timeout, EOFError):
        pass
    s.close()
    return replies

def main():
    sock_path = "/tmp/qmp-parse-errors-%d.sock" % os.getpid()
    qemu = subprocess.Popen(["qemu-system-x86_64", "-S", "-display", "none", "-nodefaults",
                             "-qmp", "unix:%s,server=on,wait=off" % sock_path])
    try:
        for _ in range(100):
            if os.path.exists(sock_path):
                break
            time.sleep(0.1)
        out = ["# Captured from QEMU 7.2 (Debian 12) by capture.py; format in README.md."]
        for name, segments in CASES:
            data = b"".join(d * n for d, n in segments)
            replies = run_case(sock_path, data)
            out.append("case: " + name)
            out.append("input: " + encode(segments))
            out.extend("reply: " + r for r in replies)
            out.append("")
        version = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        out[0] = "# Captured from %s by capture.py; format in README.md." % version
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.txt"), "w") as fh:
            fh.write("\n".join(out))
    finally:
        qemu.kill()
        qemu.wait()
        if os.path.exists(sock_path):
            os.unlink(sock_path)

main()
