"""Validation of an uploaded DAG or bundle archive before anything is kept.

An archive is accepted only when it is a real tar (plain or gzip/bz2/xz compressed) whose every
member stays inside the archive: no absolute paths, no `..` segments, no symbolic or hard links
that point outside (or at absolute paths), no device files or FIFOs, and unpacked contents no
larger than `max_unpacked_bytes` (a guard against compression bombs).
"""

import posixpath


class ArchiveRejected(ValueError):
    pass


def _absolute(path: str) -> bool:
    return path.startswith("/") or path.startswith("\\") or (len(path) > 1 and path[1] == ":")


def _inside(path: str) -> bool:
    """A member name: relative, with no `..` segment at all."""
    return bool(path) and not _absolute(path) and ".." not in path.replace("\\", "/").split("/")


def _resolves_inside(path: str) -> bool:
    """A link target: relative, and still below the archive root once normalized."""
    if not path or _absolute(path):
        return False
    normalized = posixpath.normpath(path.replace("\\", "/"))
    return normalized != ".." and not normalized.startswith("../")


def validate_archive(path: str, max_unpacked_bytes: int, max_members: int = 100_000) -> int:
    """Raise ArchiveRejected with a reason, or return the number of members."""
    import tarfile  # imported by the first archive checked, not by every server

    try:
        archive = tarfile.open(path, mode="r:*")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveRejected("the body is not a tar archive (plain or gzip-compressed)") from exc
    count, unpacked = 0, 0
    names: set[str] = set()
    try:
        with archive:
            for member in archive:
                count += 1
                if count > max_members:
                    raise ArchiveRejected(f"the archive holds more than {max_members} entries")
                name = member.name
                if not _inside(name):
                    raise ArchiveRejected(f"entry {name[:200]!r} has an absolute path or leaves the archive with '..'")
                if member.issym():
                    target = member.linkname
                    if _absolute(target) or not _resolves_inside(posixpath.join(posixpath.dirname(name), target)):
                        raise ArchiveRejected(f"symbolic link {name[:200]!r} points outside the archive")
                elif member.islnk():
                    if not _inside(member.linkname) or posixpath.normpath(member.linkname) not in names:
                        raise ArchiveRejected(f"hard link {name[:200]!r} points outside the archive")
                elif not (member.isfile() or member.isdir()):
                    raise ArchiveRejected(f"entry {name[:200]!r} is a device, FIFO or other special file")
                unpacked += max(member.size, 0)
                if unpacked > max_unpacked_bytes:
                    raise ArchiveRejected(f"the archive unpacks to more than {max_unpacked_bytes} bytes")
                names.add(posixpath.normpath(name))
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, ArchiveRejected):
            raise
        raise ArchiveRejected("the archive is damaged or truncated") from exc
    if count == 0:
        raise ArchiveRejected("the archive is empty")
    return count
