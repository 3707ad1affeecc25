#!/usr/bin/python3
"""Print a DICOM file's element tree as pydicom parses it, one line per element, for comparison with our reader.

Line format: "<depth> <gggg,eeee> <value>" where value is the trimmed text of string VRs, "items=N" for sequences,
"fragments=N" for encapsulated pixel data, and "bytes=N" for any other element.
"""
import sys

import pydicom
from pydicom.dataelem import RawDataElement
from pydicom.encaps import generate_pixel_data_fragment
from pydicom.filebase import DicomBytesIO
from pydicom.filereader import read_sequence

STRING_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}


def dump(ds, depth, out):
    for tag in sorted(ds.keys()):
        raw = ds.get_item(tag)
        key = f"{tag.group:04X},{tag.element:04X}"
        if isinstance(raw, RawDataElement):
            value = raw.value or b""
            if raw.length == 0xFFFFFFFF and tag == 0x7FE00010:
                fp = DicomBytesIO(value)
                fp.is_little_endian = True
                out.append(f"{depth} {key} fragments={sum(1 for _ in generate_pixel_data_fragment(fp))}")
                continue
            if raw.VR in (None, "UN") and value[:4] == b"\xfe\xff\x00\xe0" and not tag.is_private_creator:
                # A private element holding items: pydicom leaves it as bytes; read it as the implicit sequence it is.
                items = read_sequence(DicomBytesIO(value), True, True, len(value), "latin_1")
                out.append(f"{depth} {key} items={len(items)}")
                for item in items:
                    dump(item, depth + 1, out)
                continue
            elem = ds[tag]
            if elem.VR == "SQ":
                out.append(f"{depth} {key} items={len(elem.value)}")
                for item in elem.value:
                    dump(item, depth + 1, out)
            elif elem.VR in STRING_VRS:
                text = value.decode("latin-1").rstrip("\0").rstrip(" ")
                if elem.VR not in ("LT", "ST", "UT"):
                    text = text.lstrip(" ")
                out.append(f"{depth} {key} [{text}]")
            else:
                out.append(f"{depth} {key} bytes={len(value)}")
        else:
            if raw.VR == "SQ":
                out.append(f"{depth} {key} items={len(raw.value)}")
                for item in raw.value:
                    dump(item, depth + 1, out)
            elif raw.VR in STRING_VRS:
                value = raw.value
                if value is None:
                    text = ""
                elif isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
                    text = "\\".join(str(v) for v in value)
                else:
                    text = str(value)
                out.append(f"{depth} {key} [{text}]")
            else:
                out.append(f"{depth} {key} bytes=?")


def main():
    ds = pydicom.dcmread(sys.argv[1], force=True)
    out = []
    if len(sys.argv) > 2 and sys.argv[2] == "--meta":
        dump(ds.file_meta, 0, out)
    dump(ds, 0, out)
    print("\n".join(out))


if __name__ == "__main__":
    main()
