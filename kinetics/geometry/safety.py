"""Geometry files and mesh caches named by untrusted input (case files) made safe.

Case files are shared like data, so a geometry file they name must not run programs, write
or delete files, end the process or read files outside the case's folder tree.  Three checks:

* :func:`check_geometry_path` — the ``[geometry] file`` value: a relative path, inside the
  case file's folder tree or a ``meshes/`` folder (after resolving symlinks), with an
  allowed suffix, an existing regular file of at most :data:`MAX_FILE_BYTES`.
* :func:`check_geo_script` — the file itself: a ``.geo`` script is tokenized (comments and
  string literals skipped exactly as gmsh's lexer does) and refused when it uses a command
  of :data:`REFUSED_COMMANDS`, redirects ``Printf`` to a file, sets a refused option, or
  includes/merges a file that is not a plain relative string literal inside the roots; the
  included files are checked in turn.  A ``.msh`` must start with ``$MeshFormat`` (gmsh
  reads any other ``.msh`` as a ``.geo`` script, with all of its commands).
* :func:`check_cache_dir` — ``[geometry] cache``: ``true`` (the user cache folder),
  ``false``, or a relative folder inside the output folder.

All of them raise ValueError naming the value and the rule it breaks; the ``.geo`` check
lists every refused use as ``file:line``.  They are pure Python and cheap.

Not covered: a script can still take long (``For i In {1:1e9}`` loops, ``Mesh 3;`` with a
tiny ``Mesh.MeshSizeMax``) — gmsh offers no time limit, so run untrusted geometry with the
same care as any long job.  CAD files (``.step``, ``.iges``, ``.brep``) are read by
OpenCASCADE and cannot run commands.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

__all__ = ["check_geometry_path", "check_geo_script", "check_cache_dir", "meshes_dir",
           "default_roots", "geo_tokens", "ALLOWED_SUFFIXES", "REFUSED_COMMANDS",
           "MAX_FILE_BYTES"]

#: suffixes a geometry file may have: gmsh scripts, meshes and CAD files
ALLOWED_SUFFIXES = (".geo", ".geo_unrolled", ".msh", ".brep", ".step", ".stp", ".iges", ".igs")
_SCRIPT_SUFFIXES = (".geo", ".geo_unrolled")
#: largest geometry file accepted from a case file (bytes)
MAX_FILE_BYTES = 200 * 1024 ** 2
#: most files one script may pull in through Include/Merge (recursively)
MAX_INCLUDED_FILES = 100

#: .geo words refused anywhere outside comments and strings, with the reason
REFUSED_COMMANDS = {
    "SystemCall": "runs a shell command",
    "System": "runs a shell command",
    "NonBlockingSystemCall": "runs a shell command",
    "OnelabRun": "runs a program",
    "OnelabAction": "drives ONELAB clients",
    "SendToServer": "talks to a ONELAB server",
    "Save": "writes a file",
    "Print": "writes a file",
    "CreateDir": "creates a folder",
    "DeleteFile": "deletes a file",
    "RenameFile": "renames a file",
    "Exit": "ends the process",
    "Abort": "ends the script",
    "Sleep": "waits",
    "GetValue": "reads the terminal",
    "GetStringValue": "reads the terminal",
    "Plugin": "runs post-processing plugins (some write files)",
    "SetName": "renames the gmsh model (kinetics tracks its model by name)",
    "NewModel": "switches the gmsh model (kinetics tracks its model by name)",
}
#: commands whose argument is a file: it must be a plain relative string literal in the roots
_FILE_COMMANDS = ("Include", "Merge", "MergeWithBoundingBox", "ShapeFromFile", "ListFromFile")
#: option categories refused entirely (Solver: executables; Print: output files)
_REFUSED_CATEGORIES = ("Solver", "Print")
#: the only General options a script may set (General.AbortOnError can exit the process,
#: General.*FileName/Executable/Command... name files and programs)
_GENERAL_ALLOWED = ("Terminal", "Verbosity", "NumThreads", "ExpertMode")

_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\f]+) | (?P<newline>\n) | (?P<comment>//[^\n]*|/\*) |
    (?P<string>["']) | (?P<word>[A-Za-z_][A-Za-z_0-9]*) |
    (?P<number>[0-9]*\.?[0-9]+(?:[Ee][-+]?[0-9]+)?) | (?P<op>>>|.)""", re.VERBOSE | re.DOTALL)


def geo_tokens(text: str) -> list[tuple[str, str, int]]:
    """Tokens ``(kind, text, line)`` of a .geo script, as gmsh's lexer (Gmsh.l) splits it.

    Kinds: ``"word"``, ``"string"`` (text without the quotes; ``"..."`` or ``'...'``, no
    escapes: a string ends at the next quote of its kind, and may span lines), ``"number"``
    and ``"op"`` (one character, or ``>>``).  ``//`` comments run to the end of the line,
    ``/* */`` comments do not nest; neither is recognized inside a string.  An unterminated
    string or comment runs to the end of the text (gmsh reports an error there).
    """
    out, pos, line = [], 0, 1
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        kind, value = m.lastgroup, m.group()
        if kind == "comment" and value == "/*":
            end = text.find("*/", pos + 2)
            end = len(text) if end < 0 else end + 2
            line += text.count("\n", pos, end)
            pos = end
            continue
        if kind == "string":
            end = text.find(value, pos + 1)
            end = len(text) if end < 0 else end
            out.append(("string", text[pos + 1:end], line))
            line += text.count("\n", pos, end)
            pos = end + 1
            continue
        if kind == "newline":
            line += 1
        elif kind in ("word", "number", "op"):
            out.append((kind, value, line))
        pos = m.end()
    return out


def meshes_dir() -> Path | None:
    """The ``meshes/`` folder of the kinetics checkout or install, if there is one."""
    here = Path(__file__).resolve().parent
    for cand in (here.parents[1] / "meshes", here.parent / "meshes"):
        if cand.is_dir():
            return cand
    return None


def default_roots(case_dir) -> tuple[Path, ...]:
    """Folders a case file's geometry may come from: the case's folder and ``meshes/``."""
    roots = [Path(case_dir)]
    shipped = meshes_dir()
    if shipped is not None:
        roots.append(shipped)
    return tuple(roots)


def _inside(path: Path, roots: Sequence[Path]) -> bool:
    for root in roots:
        try:
            path.relative_to(Path(root).resolve())
            return True
        except ValueError:
            continue
    return False


def _roots_text(roots) -> str:
    return ", ".join(str(Path(r)) for r in roots) or "(none)"


def _check_file(value: str, path: Path, roots, what: str) -> Path:
    """The resolved regular file ``path`` if it is inside ``roots``, allowed and small."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise ValueError(f"{what} {value!r}: no such file ({path})") from None
    if not _inside(real, roots):
        raise ValueError(f"{what} {value!r} resolves to {real}, outside the allowed folders "
                         f"({_roots_text(roots)}); geometry files must lie in the case "
                         f"file's folder tree or in meshes/")
    if real.suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValueError(f"{what} {value!r}: the file {real.name} has the suffix "
                         f"{real.suffix or '(none)'!r}; allowed: {', '.join(ALLOWED_SUFFIXES)}")
    if not real.is_file():
        raise ValueError(f"{what} {value!r}: {real} is not a regular file")
    size = real.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(f"{what} {value!r}: {size / 1024 ** 2:.0f} MB is larger than the "
                         f"limit of {MAX_FILE_BYTES / 1024 ** 2:.0f} MB")
    return real


def _relative(value, what: str, base: str = "the case file (inside its folder tree or "
              "meshes/)") -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty relative path (a string), got {value!r}")
    if "\x00" in value:
        raise ValueError(f"{what} {value!r} contains a NUL character")
    if value.startswith("~"):
        raise ValueError(f"{what} {value!r}: '~' (home folders) is not allowed; give a path "
                         f"relative to {base}")
    if os.path.isabs(value) or Path(value).is_absolute() or value.startswith(("/", "\\")):
        raise ValueError(f"{what} {value!r} is an absolute path; give a path relative to "
                         f"{base}")
    return Path(value)


def check_geometry_path(value: str, case_dir, roots: Sequence | None = None) -> Path:
    """The geometry file a case file names, checked: returns its resolved path.

    Parameters
    ----------
    value:
        The ``[geometry] file`` string: a path relative to ``case_dir``.
    case_dir:
        Folder of the case file.
    roots:
        Folders the file must lie in after resolving ``..`` and symlinks; default
        :func:`default_roots` (``case_dir`` and the ``meshes/`` folder).

    Returns
    -------
    pathlib.Path
        The resolved (absolute, symlink-free) path of an existing regular file.

    Raises
    ------
    ValueError
        Naming ``value`` and the rule: not a non-empty string; absolute or starting with
        ``~``; resolving (``..``, symlinks) outside every root; a suffix not in
        :data:`ALLOWED_SUFFIXES` (checked on the name given and on the file it resolves
        to); missing; not a regular file; larger than :data:`MAX_FILE_BYTES` (200 MB).
    """
    what = "geometry file"
    rel = _relative(value, what)
    if rel.suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValueError(f"{what} {value!r}: suffix {rel.suffix or '(none)'!r} is not allowed; "
                         f"allowed: {', '.join(ALLOWED_SUFFIXES)}")
    roots = default_roots(case_dir) if roots is None else tuple(roots)
    return _check_file(value, Path(case_dir) / rel, roots, what)


def check_msh_header(path: Path) -> None:
    """A ``.msh`` file must start with ``$MeshFormat`` (or MSH 1's ``$NOD``).

    gmsh reads a ``.msh`` without that header as a ``.geo`` script (running its commands),
    so anything else is refused.

    Raises
    ------
    ValueError
        Naming the file.
    """
    with open(path, "rb") as f:
        head = f.read(4096).lstrip()
    if not head.startswith((b"$MeshFormat", b"$NOD")):
        raise ValueError(f"{Path(path).name} is not a gmsh mesh file: a .msh must start with "
                         f"$MeshFormat (gmsh would read this one as a .geo script)")


def _option_refusal(category: str, option: str) -> str | None:
    if category in _REFUSED_CATEGORIES:
        return f"sets the {category}.* option {category}.{option} (refused: names programs or files)"
    if category == "General" and option not in _GENERAL_ALLOWED:
        return (f"uses the option General.{option} (only General."
                f"{', General.'.join(_GENERAL_ALLOWED)} are allowed)")
    return None


def _scan(path: Path, roots, seen: set, problems: list, stack: tuple = ()) -> None:
    """Check one script; recurse into the files it includes or merges (``stack``: the
    chain of including files, to report include cycles, which gmsh would follow forever)."""
    stack = stack + (path,)
    if len(seen) > MAX_INCLUDED_FILES:
        problems.append(f"{path.name}: more than {MAX_INCLUDED_FILES} included files")
        return
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        problems.append(f"{path.name}: cannot be read ({exc.strerror or exc})")
        return
    toks = geo_tokens(text)
    where = lambda ln: f"{path.name}:{ln}"  # noqa: E731
    for i, (kind, word, ln) in enumerate(toks):
        if kind != "word":
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else ("", "", ln)
        if word in REFUSED_COMMANDS:
            problems.append(f"{where(ln)}: '{word}' {REFUSED_COMMANDS[word]}")
        elif word == "Printf":
            depth, j = 0, i + 1
            while j < len(toks):
                if toks[j][1] == "(":
                    depth += 1
                elif toks[j][1] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                elif toks[j][1] == ";" and depth == 0:
                    break
                j += 1
            if j + 1 < len(toks) and toks[j + 1][1] in (">", ">>"):
                problems.append(f"{where(ln)}: 'Printf(...) {toks[j + 1][1]}' writes to a file")
        elif word in ("SetNumber", "SetString"):
            arg = toks[i + 2] if i + 2 < len(toks) else ("", "", ln)
            if nxt[1] != "(" or arg[0] != "string":
                problems.append(f"{where(ln)}: '{word}' needs a plain string literal name")
            elif "." in arg[1]:
                reason = _option_refusal(*arg[1].split(".", 1))
                if reason:
                    problems.append(f"{where(ln)}: '{word}(\"{arg[1]}\", ...)' {reason}")
        elif nxt[1] == "." and i + 2 < len(toks) and toks[i + 2][0] == "word" and \
                (i == 0 or toks[i - 1][1] != "."):
            reason = _option_refusal(word, toks[i + 2][1])
            if reason:
                problems.append(f"{where(ln)}: {reason}")
        elif word in _FILE_COMMANDS:
            j = i + 1
            while j < len(toks) and toks[j][1] in ("(", "["):
                j += 1
            arg = toks[j] if j < len(toks) else ("", "", ln)
            after = toks[j + 1][1] if j + 1 < len(toks) else ""
            if arg[0] != "string" or after not in (";", ")", "]"):
                problems.append(f"{where(ln)}: '{word}' needs a plain string literal file name "
                                f"(a relative path), not an expression")
                continue
            _check_included(path, arg[1], word, ln, roots, seen, problems, stack)


def _check_included(parent: Path, value: str, word: str, ln: int, roots, seen, problems,
                    stack):
    label = f"{parent.name}:{ln}: '{word} \"{value}\"'"
    try:
        _relative(value, "file")
        real = _check_file(value, parent.parent / value, roots, "file")
    except ValueError as exc:
        problems.append(f"{label}: {exc}")
        return
    if word == "ListFromFile":
        return
    if word == "ShapeFromFile" and real.suffix.lower() in _SCRIPT_SUFFIXES + (".msh",):
        problems.append(f"{label}: ShapeFromFile reads CAD files only")
        return
    if real.suffix.lower() == ".msh":
        try:
            check_msh_header(real)
        except ValueError as exc:
            problems.append(f"{label}: {exc}")
    elif real in stack:
        problems.append(f"{label}: includes itself (a cycle: "
                        f"{' -> '.join(p.name for p in stack + (real,))})")
    elif real.suffix.lower() in _SCRIPT_SUFFIXES and real not in seen:
        seen.add(real)
        _scan(real, roots, seen, problems, stack)


def check_geo_script(path, roots: Sequence) -> None:
    """Refuse a geometry file that could run programs, write files or leave the roots.

    ``.geo``/``.geo_unrolled`` scripts are tokenized (:func:`geo_tokens`: comments and
    strings are skipped, so a refused word inside a comment or a string is fine) and
    refused when they use, outside comments and strings:

    * a word of :data:`REFUSED_COMMANDS`: ``SystemCall``, ``System``,
      ``NonBlockingSystemCall``, ``OnelabRun``, ``OnelabAction``, ``SendToServer`` (run
      programs), ``Save``, ``Print`` (write files, ``Save View`` too), ``CreateDir``,
      ``DeleteFile``, ``RenameFile`` (files and folders), ``Exit``, ``Abort`` (end the
      process or script), ``Sleep``, ``GetValue``, ``GetStringValue`` (wait, read the
      terminal), ``Plugin`` (plugins can write files), ``SetName``, ``NewModel`` (kinetics
      tracks its gmsh model by name);
    * ``Printf(...) > "file"`` or ``>> "file"`` (writes a file);
    * options of the categories ``Solver.*`` and ``Print.*``, and every ``General.*``
      option except ``General.Terminal``, ``General.Verbosity``, ``General.NumThreads``,
      ``General.ExpertMode`` — whether assigned (``General.AbortOnError = 4;`` exits the
      process on an error) or set through ``SetNumber``/``SetString("General...", ...)``
      (which set options too); ``SetNumber``/``SetString`` with a name that is not a plain
      string literal;
    * ``Include``, ``Merge``, ``MergeWithBoundingBox``, ``ShapeFromFile``, ``ListFromFile``
      whose argument is not a plain string literal, or names a file that fails the rules
      of :func:`check_geometry_path` relative to the including file's folder (absolute,
      ``~``, outside the roots after resolving symlinks, suffix, missing, size).  Included
      ``.geo`` files are checked the same way (recursively, at most 100 files; a file that
      includes itself, directly or not, is refused); merged ``.msh`` files must start with
      ``$MeshFormat``.

    A ``.msh`` file must start with ``$MeshFormat`` (or ``$NOD``): gmsh reads any other
    ``.msh`` as a script.  CAD files are accepted as they are.  Long loops are not detected
    (see the module notes).

    Parameters
    ----------
    path:
        The geometry file (already checked by :func:`check_geometry_path`).
    roots:
        Folders that included files must lie in (the case's folder and ``meshes/``).

    Raises
    ------
    ValueError
        One line listing every refused use as ``"<file>:<line>: '<word>' <reason>"``,
        separated by ``"; "``.
    """
    path = Path(path).resolve()
    roots = tuple(roots)
    _check_file(str(path), path, roots + (path.parent,), "geometry file")
    suffix = path.suffix.lower()
    if suffix == ".msh":
        check_msh_header(path)
        return
    if suffix not in _SCRIPT_SUFFIXES:
        return
    problems: list[str] = []
    _scan(path, roots, {path}, problems)
    if problems:
        raise ValueError(f"{path.name} is refused (it could run programs, write files or read "
                         f"files outside the case's folders): " + "; ".join(problems))


def check_cache_dir(value, output_dir) -> Path | None:
    """The mesh cache folder a case file asks for: only ``true``, ``false`` or a folder in
    the output folder.

    Parameters
    ----------
    value:
        ``[geometry] cache``: ``False`` (no cache), ``True`` (the user cache folder,
        :func:`kinetics.geometry._gmsh.default_cache_dir`: ``$KINETICS_MESH_CACHE`` or
        ``~/.cache/kinetics/meshes``) or a relative path (string) inside ``output_dir``.
    output_dir:
        The run's output folder.

    Returns
    -------
    pathlib.Path or None
        The folder to pass as ``cache=`` to a builder (None: no cache).

    Raises
    ------
    ValueError
        Any other value (numbers, lists, absolute paths, ``~``, a path leaving the output
        folder through ``..`` or a symlink).
    """
    from kinetics.geometry._gmsh import default_cache_dir
    if value is False:
        return None
    if value is True:
        return default_cache_dir()
    if not isinstance(value, str):
        raise ValueError(f"cache must be true (the user cache folder), false, or a folder "
                         f"relative to the output folder, got {value!r}")
    rel = _relative(value, "cache folder", "the output folder")
    out = Path(output_dir).resolve()
    target = Path(os.path.normpath(out / rel))
    if not _inside(target, [out]) or not _inside(target.resolve(), [out]):
        raise ValueError(f"cache folder {value!r} leaves the output folder {out}; give a "
                         f"folder inside it (e.g. \"mesh-cache\") or true for the user cache")
    return target
