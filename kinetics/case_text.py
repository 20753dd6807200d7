"""The text of a case file: bytes to UTF-8 text to TOML data, and where each key is.

Every problem here is a single :class:`CaseError` (nothing else can be checked in a file
that cannot be read): too large (:data:`MAX_BYTES`), NUL bytes, not UTF-8, empty, a TOML
syntax error (with its line and column), nesting deeper than :data:`MAX_DEPTH` (tomllib's
own RecursionError included).  :class:`Locator` finds the line of a key for the messages
of :mod:`kinetics.case`.
"""

from __future__ import annotations

import re
import tomllib

__all__ = ["CaseError", "Locator", "MAX_BYTES", "MAX_DEPTH", "decode_case", "parse_toml",
           "deepest"]

#: largest case file read (bytes); case files are a few kilobytes
MAX_BYTES = 1 << 20

#: deepest nesting of tables and arrays accepted
MAX_DEPTH = 10


class CaseError(ValueError):
    """Invalid case file.

    Parameters
    ----------
    errors:
        One message or a list of messages, each ``"FILE, line N: [key.path] message"``.

    Attributes
    ----------
    errors:
        The messages (list of str, at least one); ``str(error)`` is them joined by newlines,
        so the first line is the first error on its own.
    """

    def __init__(self, errors: str | list[str]):
        self.errors = [errors] if isinstance(errors, str) else [str(e) for e in errors]
        super().__init__("\n".join(self.errors))


class Locator:
    """Line numbers of keys and tables in a TOML text (for error messages).

    Arrays of tables (``[[measure.resistance]]``) are counted: the keys of the second entry
    are found under ``("measure", "resistance", 1, key)``.
    """

    def __init__(self, text: str):
        self.lines: dict[tuple, int] = {}
        counts: dict[tuple, int] = {}
        table: tuple = ()
        for lineno, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                aot = line.startswith("[[")
                inner = line.strip("[]").split("#")[0].strip().rstrip("]").strip()
                try:
                    doc = tomllib.loads(f"[{inner}]\n")
                except (tomllib.TOMLDecodeError, RecursionError):
                    continue
                table = self._path(doc)
                for i in range(1, len(table)):
                    self.lines.setdefault(table[:i], lineno)
                if aot:
                    index = counts.get(table, 0)
                    counts[table] = index + 1
                    self.lines.setdefault(table, lineno)
                    table = table + (index,)
                self.lines.setdefault(table, lineno)
                continue
            try:
                doc = tomllib.loads(line)
            except (tomllib.TOMLDecodeError, RecursionError):
                key = line.split("=")[0].strip().strip('"')
                if key:
                    self.lines.setdefault(table + (key,), lineno)
                continue
            for sub in self._leaves(doc):
                self.lines.setdefault(table + sub, lineno)

    @staticmethod
    def _path(doc) -> tuple:
        out = []
        while isinstance(doc, dict) and len(doc) == 1:
            k = next(iter(doc))
            out.append(k)
            doc = doc[k]
        return tuple(out)

    @classmethod
    def _leaves(cls, doc, prefix=(), depth=0):
        for k, v in doc.items():
            yield prefix + (k,)
            if isinstance(v, dict) and depth < 16:
                yield from cls._leaves(v, prefix + (k,), depth + 1)

    def line(self, path: tuple) -> int | None:
        """Line of ``path`` (a key path, with integer indices of arrays of tables), else of
        its closest parent; then the same without the indices; else None."""
        for candidate in (tuple(path), tuple(p for p in path if not isinstance(p, int))):
            while candidate:
                if candidate in self.lines:
                    return self.lines[candidate]
                candidate = candidate[:-1]
        return None


def decode_case(raw: bytes, path: str = "<bytes>") -> str:
    """The text of a case file from its bytes.

    Raises
    ------
    CaseError
        For more than :data:`MAX_BYTES` bytes, NUL bytes (binary files), text that is not
        UTF-8 (naming the line and byte), or an empty file.
    """
    if len(raw) > MAX_BYTES:
        raise CaseError(f"{path}: the file is larger than {MAX_BYTES} bytes (1 MiB); a case "
                        f"file is a few kilobytes of TOML")
    if b"\x00" in raw:
        line = raw[:raw.index(b"\x00")].count(b"\n") + 1
        raise CaseError(f"{path}, line {line}: not a text file (it contains NUL bytes); a "
                        f"case file is UTF-8 TOML text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise CaseError(f"{path}, line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at "
                        f"offset {exc.start}); save the case file as UTF-8") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise CaseError(f"{path}: the file is empty; a case needs at least a [geometry] "
                        f"section (docs/case_files.md)")
    return text


def parse_toml(text: str, path: str) -> dict:
    """The TOML data of ``text``.

    Raises
    ------
    CaseError
        ``"FILE, line N: invalid TOML: <tomllib's message> (column M)"``, or for nesting
        too deep for the parser.
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)$", msg)
        if m:
            msg = msg[:m.start()].strip()
            raise CaseError(f"{path}, line {m.group(1)}: invalid TOML: {msg} (column "
                            f"{m.group(2)})") from None
        raise CaseError(f"{path}: invalid TOML: {msg}") from None
    except RecursionError:
        raise CaseError(f"{path}: invalid TOML: arrays or tables nested too deeply; case files "
                        f"nest at most {MAX_DEPTH} levels") from None


def deepest(data: dict) -> tuple[int, tuple, tuple | None]:
    """(depth, key path) of the most deeply nested value, and the key path of the first
    integer outside TOML's 64-bit range (tomllib accepts any size; None if there is none).
    Iterative: no recursion limit."""
    best, big = (0, ()), None
    stack = [(data, 1, ())]
    while stack:
        value, depth, keys = stack.pop()
        if depth > best[0]:
            best = (depth, keys)
        if depth > MAX_DEPTH:
            continue
        items = value.items() if isinstance(value, dict) else \
            enumerate(value) if isinstance(value, list) else ()
        for k, v in items:
            sub = keys + ((k,) if isinstance(k, str) else ())
            if isinstance(v, (dict, list)):
                stack.append((v, depth + 1, sub))
            elif isinstance(v, int) and not -2 ** 63 <= v < 2 ** 63 and big is None:
                big = sub
    return best[0], best[1], big
