#!/usr/bin/python3
"""Change or delete attributes of DICOM files in place with pydicom, to build broken series for tests.

edit_dicom.py FILE [FILE...] -- Keyword=value [Keyword=value...] [-Keyword ...]
A value with backslashes becomes a multi-valued attribute; "-Keyword" deletes the attribute.
"""
import sys

import pydicom


def main():
    split = sys.argv.index("--")
    files, edits = sys.argv[1:split], sys.argv[split + 1:]
    for path in files:
        ds = pydicom.dcmread(path)
        for edit in edits:
            if edit.startswith("-"):
                delattr(ds, edit[1:])
                continue
            keyword, value = edit.split("=", 1)
            if value.lstrip("-").isdigit():
                value = int(value)
            elif "\\" in value:
                value = value.split("\\")
            setattr(ds, keyword, value)
        ds.save_as(path)


if __name__ == "__main__":
    main()
