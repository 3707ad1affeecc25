"""Writes the files of a folder into zips the way Python's zipfile does in each of its layouts.

usage: write_zips.py SOURCE_DIR OUT_DIR
Writes OUT_DIR/deflated.zip, stored.zip, zip64.zip (zip64 sizes in every local header), zip64central.zip (zip64 fields
in the central directory and a zip64 end record, as archives past 4 GiB or 65,535 entries have them, forced by lowering
zipfile's limits) and streamed.zip (written to an unseekable stream, so sizes and CRC follow each entry's data in a data
descriptor).
"""
import io
import os
import sys
import zipfile


class Unseekable(io.RawIOBase):
    def __init__(self, target):
        self._target = target

    def writable(self):
        return True

    def write(self, data):
        return self._target.write(data)


def names(source):
    for root, _, files in os.walk(source):
        for f in sorted(files):
            full = os.path.join(root, f)
            yield full, os.path.relpath(full, source).replace(os.sep, "/")


def write(path, method, zip64=False, streamed=False):
    with open(path, "wb") as raw:
        target = Unseekable(raw) if streamed else raw
        with zipfile.ZipFile(target, "w", compression=method) as archive:
            for full, name in sorted(names(SOURCE), key=lambda x: x[1]):
                with open(full, "rb") as f:
                    data = f.read()
                if zip64 or streamed:
                    info = zipfile.ZipInfo(name)
                    info.compress_type = method
                    with archive.open(info, "w", force_zip64=zip64) as entry:
                        entry.write(data)
                else:
                    archive.writestr(name, data)


SOURCE, OUT = sys.argv[1], sys.argv[2]
os.makedirs(OUT, exist_ok=True)
write(os.path.join(OUT, "deflated.zip"), zipfile.ZIP_DEFLATED)
write(os.path.join(OUT, "stored.zip"), zipfile.ZIP_STORED)
write(os.path.join(OUT, "zip64.zip"), zipfile.ZIP_DEFLATED, zip64=True)
write(os.path.join(OUT, "streamed.zip"), zipfile.ZIP_DEFLATED, streamed=True)
zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 1000, 1
write(os.path.join(OUT, "zip64central.zip"), zipfile.ZIP_DEFLATED)
