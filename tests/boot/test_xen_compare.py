#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The comparison of make xen-compare without QEMU: transcripts, check
keys, endings, the allowed-differences table of docs/xen-differences.md.
make xen-compare runs it first."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xen_compare  # noqa: E402
import xen_ref  # noqa: E402

XEN_LOG = """\x1b[2JSeaBIOS (version 1.16.2)\r
(XEN) Xen version 4.17.7\r\r
(XEN) Freed 656kB init memory\r\r
start info: 0x117008, version 0, command line ''\r\r
hello from the reference guest\r\r
# bad\r\r
ok 1 - a == 1\r\r
(XEN) d0v0: Invalid EFER update\r\r
not ok 2 - f(x) == -XEN_EINVAL: got -14 want -22\r\r
ok - g # SKIP Xen takes any reason\r\r
# loop\r\r
ok 3 - rdmsr\r\r
not ok 4 - rdmsr: got 13 want -1\r\r
not ok 5 - y \\| z\r\r
(d0) port 0xE9 line\r\r
5 passed, 2 failed\r\r
(XEN) Hardware Dom0 halted: halting machine\r\r
"""

LAMINA_LOG = """(lamina) 2 CPUs online\r
start info: 0x117048, version 1, command line ''\r
# bad\r
ok 1 - a == 1\r
ok 2 - f(x) == -XEN_EINVAL\r
ok 3 - g\r
# loop\r
ok 4 - rdmsr\r
ok 5 - rdmsr\r
(lamina) d0v0 ran 3 ms of 4\r
ok 6 - y \\| z\r
6 passed, 0 failed\r
(lamina) domain 0 shut down (poweroff)\r
"""

TABLE = """# x

## Allowed differences

| program | check | Lamina | Xen 4.17 | why |
|---|---|---|---|---|
| `p` | `f(x) == -XEN_EINVAL` | `ok` | `got -14` | a reason |
| `p` | `g` | `ok` | `skip` | another |
| `p` | `a \\| b` | `ok` | `got 2` | a pipe |
| `q` | `(end)` | `poweroff` | `crash` | ends |

## Other

| program | check | Lamina | Xen 4.17 | why |
|---|---|---|---|---|
| `p` | `rdmsr` | `ok` | `got 13` | not in the allowed table |
"""


def result(log, target):
    res = xen_ref.Result(xen_ref.transcript(log))
    res.end = xen_ref.ending(log, target)
    return res


class Transcript(unittest.TestCase):
    def test_only_the_guest(self):
        lines = xen_ref.transcript(XEN_LOG)
        self.assertEqual(lines[0], "start info: 0x117008, version 0, "
                         "command line ''")
        self.assertIn("(d0) port 0xE9 line", lines)
        self.assertFalse([ln for ln in lines if ln.startswith("(XEN)")
                          or "\r" in ln or "SeaBIOS" in ln])

    def test_no_guest(self):
        self.assertEqual(xen_ref.transcript("(XEN) Panic on CPU 0\n"), [])
        res = xen_ref.Result([], "timeout after 9 s")
        self.assertEqual(res.ended(), "timeout after 9 s")


class Checks(unittest.TestCase):
    def test_keys_and_results(self):
        res = result(XEN_LOG, "xen")
        self.assertEqual(res.summary, (5, 2))
        self.assertIsNone(res.ended())
        self.assertEqual(res.checks[("bad", "a == 1", 0)], "ok")
        self.assertEqual(res.checks[("bad", "f(x) == -XEN_EINVAL", 0)],
                         "got -14")
        self.assertEqual(res.checks[("bad", "g", 0)], "skip")
        self.assertEqual(res.checks[("loop", "rdmsr", 0)], "ok")
        self.assertEqual(res.checks[("loop", "rdmsr", 1)], "got 13")
        self.assertEqual(res.checks[("loop", "y \\| z", 0)], "not ok")

    def test_endings(self):
        self.assertEqual(xen_ref.ending(XEN_LOG, "xen"), "poweroff")
        self.assertEqual(xen_ref.ending(LAMINA_LOG, "lamina"), "poweroff")
        self.assertEqual(xen_ref.ending(
            "(XEN) d0v0 Triple fault - invoking HVM shutdown action 1\n"
            "(XEN) Hardware Dom0 shutdown: rebooting machine\n", "xen"),
            "reboot (triple fault)")
        self.assertEqual(xen_ref.ending(
            "(XEN) Hardware Dom0 shutdown (unknown reason 99): ", "xen"),
            "reason 99")
        self.assertEqual(xen_ref.ending(
            "(lamina) domain 0 crashed: triple fault\n", "lamina"),
            "crashed by the hypervisor (triple fault)")
        self.assertIsNone(xen_ref.ending("nothing\n", "lamina"))


class Compare(unittest.TestCase):
    def setUp(self):
        with tempfile.NamedTemporaryFile("w", suffix=".md",
                                         delete=False) as f:
            f.write(TABLE)
        self.allowed = xen_compare.allowed_differences(f.name)
        os.unlink(f.name)

    def test_table(self):
        self.assertEqual(self.allowed[("p", "a | b")][1], "got 2")
        self.assertEqual(self.allowed[("q", "(end)")][:2],
                         ("poweroff", "crash"))
        self.assertNotIn(("p", "rdmsr"), self.allowed)
        self.assertEqual(len(self.allowed), 4)

    def test_differences(self):
        diffs = xen_compare.differences(result(LAMINA_LOG, "lamina"),
                                        result(XEN_LOG, "xen"))
        self.assertEqual(diffs, [
            ("f(x) == -XEN_EINVAL", "ok", "got -14"),
            ("g", "ok", "skip"),
            ("rdmsr", "ok", "got 13"),
            ("y \\| z", "ok", "not ok")])
        known, unexpected = xen_compare.judge("p", diffs, self.allowed)
        self.assertEqual([k[0] for k in known],
                         ["f(x) == -XEN_EINVAL", "g"])
        self.assertEqual([u[0] for u in unexpected], ["rdmsr", "y \\| z"])

    def test_result_must_match_the_table(self):
        known, unexpected = xen_compare.judge(
            "p", [("f(x) == -XEN_EINVAL", "ok", "got -22")], self.allowed)
        self.assertEqual(known, [])
        self.assertIn("documented: Lamina ok, Xen got -14", unexpected[0][3])
        known, unexpected = xen_compare.judge(
            "other", [("g", "ok", "skip")], self.allowed)
        self.assertEqual(len(unexpected), 1)

    def test_absent_and_end(self):
        lam = result(LAMINA_LOG, "lamina")
        xen = result(XEN_LOG.split("# loop")[0], "xen")
        diffs = xen_compare.differences(lam, xen)
        self.assertIn(("rdmsr", "ok", "absent"), diffs)
        self.assertIn((xen_compare.END, "poweroff", None), diffs)

    def test_the_real_table(self):
        """docs/xen-differences.md parses, and names programs that the
        comparison runs."""
        allowed = xen_compare.allowed_differences()
        self.assertTrue(allowed)
        names = {p.name for p in xen_compare.PROGRAMS}
        for (prog, check), (lam, xen, why) in allowed.items():
            self.assertIn(prog, names)
            self.assertTrue(check and lam and xen and why)
            self.assertNotEqual(lam, xen)


if __name__ == "__main__":
    unittest.main(verbosity=1)
