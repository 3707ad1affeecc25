#!/usr/bin/python3
"""Replace the UIDs of a CT series the way the InnerEye gateway's anonymiser does: Study, Series, Frame of Reference
and SOP Instance UIDs become 64-digit decimal hashes (no valid UID root), the same value for the same input UID.

anonymise_like_gateway.py FILE [FILE...]   edits the files in place and prints the hashes used, as a JSON list.
"""
import hashlib
import json
import sys

import pydicom

KEYWORDS = ("StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID", "SOPInstanceUID")


def digits(uid):
    # Decimal digits of a SHA-512 of the UID, cut to 64 characters; never a leading zero.
    n = int.from_bytes(hashlib.sha512(uid.encode("ascii")).digest(), "big")
    text = str(n)[:64]
    return text if text[0] != "0" else "1" + text[1:]


def main():
    used = set()
    for path in sys.argv[1:]:
        ds = pydicom.dcmread(path)
        for keyword in KEYWORDS:
            value = digits(str(getattr(ds, keyword)))
            setattr(ds, keyword, value)
            used.add(value)
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.save_as(path, write_like_original=True)
    print(json.dumps(sorted(used)))


if __name__ == "__main__":
    main()
