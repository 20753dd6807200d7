"""Output folders of runs: checked before the work, written whole or not at all, never
deleting what kinetics did not write.

A run's folder holds a marker file, :data:`MARKER` (``.kinetics-result``), listing the
entries the run wrote.  Rules (:class:`OutputFolder`):

- a folder that does not exist, or an empty one, is used;
- an existing folder with a marker is a previous result: it is replaced, but only if it holds
  nothing besides the entries its marker lists (anything else is the user's: refused);
- anything else is refused before meshing: a file, a non-empty folder without a marker, the
  working directory or one of its parents, the folder of the case file or one of its parents,
  the home folder, a place that cannot be written;
- the new result is written into a temporary sibling ``.NAME.partial-HOST-PID`` and renamed
  into place when complete, on rank 0, with the outcome broadcast so every rank returns or
  raises together; the previous result is moved aside first and deleted (its listed
  entries only) after the rename, or put back if the rename fails;
- temporary siblings left by killed runs on this host (their process is gone) are removed at
  the next run into the same folder; others are named in the error message;
- the result is world-readable (folders 0755, files 0644), whatever the umask.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
from pathlib import Path

__all__ = ["MARKER", "OutputError", "OutputFolder", "world_readable"]

#: marker file of a kinetics result folder (JSON: {"kinetics": version, "entries": [...]})
MARKER = ".kinetics-result"
_PARTIAL = ".partial-"


class OutputError(ValueError):
    """An output folder that cannot be used (exit code 2 of ``kinetics run``)."""


def _collective(comm, fn):
    """``fn()`` on rank 0; its value, or its :class:`OutputError`/``OSError`` re-raised as
    :class:`OutputError`, on every rank."""
    value, error = None, None
    if comm.rank == 0:
        try:
            value = fn()
        except (OutputError, OSError) as exc:
            error = str(exc) if isinstance(exc, OutputError) else f"{type(exc).__name__}: {exc}"
    value, error = comm.bcast((value, error), root=0)
    if error is not None:
        raise OutputError(error)
    return value


def _is_relative_to(path: Path, other: Path) -> bool:
    return path == other or other in path.parents


def _entries(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _remove_entry(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class OutputFolder:
    """The output folder of one run.

    Parameters
    ----------
    path:
        The folder the user asked for (``kinetics run -o PATH``).
    comm:
        MPI communicator; rank 0 touches the file system, every rank gets the outcome.
    protect:
        Files whose folders (and their parents) may not be the output folder, e.g. the
        case file.

    Raises
    ------
    OutputError
        On every rank, if the folder may not be used (see the module docstring); the message
        names the folder and the reason.
    """

    def __init__(self, path, comm, protect=()):
        self.path = Path(path)
        self.comm = comm
        self._protect = [Path(p) for p in protect if p]
        #: temporary folders of other runs into the same folder that were left alone (rank 0)
        self.notes: list[str] = []
        self.target = _collective(comm, self._check)

    # -- checks ----------------------------------------------------------------------------
    def _check(self) -> Path:
        """The absolute target folder, after every rule (rank 0)."""
        raw = self.path
        target = Path(os.path.abspath(raw.expanduser()))
        if target.exists() or target.is_symlink():
            target = target.resolve()
        where = f"output folder {raw}"
        if target.parent == target:
            raise OutputError(f"{where}: the file-system root cannot be an output folder")
        cwd = Path.cwd().resolve()
        if _is_relative_to(cwd, target):
            raise OutputError(f"{where} is the working directory or one of its parents; "
                              f"give a new folder, e.g. -o results/run1")
        home = Path.home().resolve()
        if target == home:
            raise OutputError(f"{where} is the home folder; give a new folder")
        for p in self._protect:
            folder = Path(os.path.abspath(p)).resolve().parent
            if _is_relative_to(folder, target):
                raise OutputError(f"{where} holds {p}; give a folder of its own, e.g. "
                                  f"-o results/{Path(p).stem}")
        if target.exists() and not target.is_dir():
            raise OutputError(f"{where} exists and is not a folder")
        if target.is_dir():
            self._check_previous(target, where)
        base = target.parent
        while not base.exists():
            base = base.parent
        try:
            probe = tempfile.mkdtemp(dir=base, prefix=".kinetics-probe-")
            os.rmdir(probe)
        except OSError as exc:
            raise OutputError(f"{where}: cannot write in {base} ({exc.strerror or exc})") \
                from None
        return target

    @staticmethod
    def _check_previous(target: Path, where: str) -> None:
        entries = _entries(target)
        if not entries:
            return
        marker = target / MARKER
        if not marker.is_file():
            shown = ", ".join(sorted(entries)[:5]) + (", ..." if len(entries) > 5 else "")
            raise OutputError(f"{where} exists and is not a kinetics result (no {MARKER}; it "
                              f"holds {shown}); give a new or empty folder")
        try:
            listed = set(json.loads(marker.read_text())["entries"])
        except (ValueError, KeyError, TypeError, OSError) as exc:
            raise OutputError(f"{where}: unreadable {MARKER} ({exc}); remove the folder "
                              f"yourself or give another one") from None
        extra = sorted(entries - listed - {MARKER})
        if extra:
            raise OutputError(f"{where} is a previous kinetics result but also holds "
                              f"{', '.join(extra[:5])}, which kinetics did not write; move "
                              f"them out or give another folder")
        if not os.access(target, os.W_OK | os.X_OK):
            raise OutputError(f"{where}: cannot replace it (no write permission)")

    # -- writing ---------------------------------------------------------------------------
    def _stale_partials(self) -> list[Path]:
        """Temporary siblings of earlier runs into this folder (rank 0)."""
        parent = self.target.parent
        if not parent.is_dir():
            return []
        return sorted(parent.glob(f".{self.target.name}{_PARTIAL}*"))

    def _make_tmp(self) -> Path:
        host = socket.gethostname()
        notes = []
        for old in self._stale_partials():
            tail = old.name.rsplit("-", 1)
            mine = old.name.startswith(f".{self.target.name}{_PARTIAL}{host}-")
            if mine and tail[-1].isdigit() and not _pid_alive(int(tail[-1])) \
                    and (old / MARKER).is_file():
                shutil.rmtree(old, ignore_errors=True)
            else:
                notes.append(str(old))
        self.notes = notes
        tmp = self.target.parent / f".{self.target.name}{_PARTIAL}{host}-{os.getpid()}"
        self.target.parent.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
        (tmp / MARKER).write_text(json.dumps({"kinetics": _version(), "entries": [],
                                              "complete": False}) + "\n")
        return tmp

    def write(self, writer, launcher_alive=None) -> Path:
        """Call ``writer(tmp)`` on every rank with a fresh temporary folder, then move the
        result into place (see the module docstring).

        ``writer`` runs on every rank (it may be collective).  If it raises on any rank, the
        temporary folder is removed and every rank raises: the writer's own exception on the
        ranks where it failed, :class:`OutputError` on the others.  ``launcher_alive``
        (callable -> bool, rank 0) is asked just before the rename: False (the MPI launcher
        was killed) abandons the result.

        Returns
        -------
        Path
            The output folder (absolute).

        Raises
        ------
        OutputError
            If the folder cannot be written or renamed; nothing of this run is left behind.
        """
        comm = self.comm
        tmp = Path(_collective(comm, lambda: str(self._make_tmp())))
        error = None
        try:
            writer(tmp)
        except Exception as exc:  # noqa: BLE001 - re-raised below after cleaning up
            error = exc
        except KeyboardInterrupt:
            if comm.rank == 0:      # no collective: the other ranks may be anywhere
                shutil.rmtree(tmp, ignore_errors=True)
            raise
        failed = comm.allreduce(error is not None, op=_lor())
        if failed:
            _collective(comm, lambda: shutil.rmtree(tmp, ignore_errors=True))
            if error is not None:
                raise error
            raise OutputError(f"writing {self.target} failed on another rank; nothing written")
        _collective(comm, lambda: self._commit(tmp, launcher_alive))
        return self.target

    def _commit(self, tmp: Path, launcher_alive) -> None:
        entries = sorted(_entries(tmp) - {MARKER})
        (tmp / MARKER).write_text(json.dumps({"kinetics": _version(), "entries": entries,
                                              "complete": True}, indent=1) + "\n")
        world_readable(tmp)
        if launcher_alive is not None and not launcher_alive():
            shutil.rmtree(tmp, ignore_errors=True)
            raise OutputError("the MPI launcher is gone; the result was not kept")
        target, old = self.target, None
        try:
            if target.is_dir() and _entries(target):
                self._check_previous(target, f"output folder {self.path}")
                old = target.with_name(f".{target.name}.previous-{os.getpid()}")
                os.rename(target, old)
            os.replace(tmp, target)
        except OSError as exc:
            if old is not None and not target.exists():
                os.rename(old, target)
            shutil.rmtree(tmp, ignore_errors=True)
            raise OutputError(f"cannot move the result into {self.path}: {exc}") from None
        if old is not None:
            listed = json.loads((old / MARKER).read_text())["entries"]
            for name in [*listed, MARKER]:
                _remove_entry(old / name)
            try:
                old.rmdir()
            except OSError:
                pass


def world_readable(folder: Path) -> None:
    """Make ``folder`` and everything in it readable by everyone (folders 0755, files 0644
    at least; symbolic links are left alone): results are shared data, whatever the umask."""
    for root, dirs, files in os.walk(folder):
        os.chmod(root, os.stat(root).st_mode | 0o755)
        for name in files:
            p = os.path.join(root, name)
            if not os.path.islink(p):
                os.chmod(p, os.stat(p).st_mode | 0o644)


def _lor():
    from mpi4py import MPI
    return MPI.LOR


def _version() -> str:
    from kinetics import __version__
    return __version__
