#!/usr/bin/python3
"""Read an RT Structure Set with dicompyler-core (Debian's python3-dicompylercore) and print, per ROI, what it computes.

dicompyler_volumes.py RTSTRUCT

Prints JSON: {roi number: {"name", "empty", "thickness", "volume", "planes": {z: area}, "polygons": {z: count}}}.
"volume" is dicompyler's own CalculateStructureVolume (cm³; on the first and last planes it sorts, by their text, it
takes each polygon's area halved and floored to whole mm²); "planes" is the area
(mm²) dicompyler gives each plane alone — the same function on a one-plane structure with a 1000 mm thickness, which
combines the plane's polygons its way (a polygon within the largest one is subtracted).
"""
import json
import sys

from dicompylercore import dicomparser


def main():
    parser = dicomparser.DicomParser(sys.argv[1])
    result = {}
    for number, structure in parser.GetStructures().items():
        coords = parser.GetStructureCoordinates(number)
        thickness = parser.CalculatePlaneThickness(coords)
        planes = {z: parser.CalculateStructureVolume({z: plane}, 1000) for z, plane in coords.items()}
        result[str(number)] = {
            "name": str(structure["name"]),
            "empty": bool(structure.get("empty", True)),
            "thickness": float(thickness),
            "volume": float(parser.CalculateStructureVolume(coords, thickness)) if coords else 0.0,
            "planes": {z: float(a) for z, a in planes.items()},
            "polygons": {z: len(plane) for z, plane in coords.items()},
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
