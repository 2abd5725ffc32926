"""`make reset-data`: deletes the embedded store's data directory, unless a running process uses it.

Every open database holds an exclusive lock on its `<file>.lock`; this takes each of them (without
waiting) and keeps them while it deletes, so no platform can open the files meanwhile. A directory
holding anything but the store's own files is refused, in case DATA_DIR points somewhere else.
"""

import fcntl
import os
import re
import shutil
import sys
from pathlib import Path

STORE_FILE = re.compile(r"[A-Za-z0-9_-]+\.sqlite3(-wal|-shm|-journal|\.lock)?")


def reset(data_dir: Path) -> int:
    if not data_dir.exists():
        print(f"没有数据目录，无需删除 / no data directory to delete: {data_dir}")
        return 0
    others = sorted(path.name for path in data_dir.iterdir() if not STORE_FILE.fullmatch(path.name) or path.is_dir())
    if others:
        print(
            f"拒绝删除：{data_dir} 中有不属于嵌入式存储的文件 / refusing: {data_dir} holds files that are not "
            f"the embedded store's: {', '.join(others)}",
            file=sys.stderr,
        )
        return 1
    held = []
    try:
        for lock in sorted(data_dir.glob("*.lock")):
            fd = os.open(lock, os.O_RDWR)
            held.append(fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(
                    f"拒绝删除：{lock.name} 正被使用（make run 在运行？）/ refusing: {lock.name} is in use "
                    "(is `make run` running?)",
                    file=sys.stderr,
                )
                return 1
        print(f"删除 / deleting {data_dir}:")
        for path in sorted(data_dir.iterdir()):
            print(f"  {path.name}  {path.stat().st_size:,} bytes")
        shutil.rmtree(data_dir)
        return 0
    finally:
        for fd in held:
            os.close(fd)


if __name__ == "__main__":
    sys.exit(reset(Path(sys.argv[1])))
