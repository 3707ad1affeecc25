#!/usr/bin/python3
"""Read an RT Structure Set with pydicom and print what the tests check, as JSON.

Besides pydicom's view of the content, the file layout is checked independently of pydicom: the file meta group length,
and a walk over the top-level implicit VR little endian elements by their defined lengths, which must end exactly at
the end of the file (no trailing bytes, no undefined lengths).
"""
import json
import os
import struct
import sys

import pydicom


def walk_top_level(data, start):
    """Top-level (group, element) tags of an implicit VR LE data set with defined lengths; position where it ended."""
    pos = start
    tags = []
    undefined = False
    while pos + 8 <= len(data):
        group, element, length = struct.unpack_from("<HHI", data, pos)
        if length == 0xFFFFFFFF:
            undefined = True
            break
        tags.append((group, element))
        pos += 8 + length
    return tags, pos, undefined


def main():
    path = sys.argv[1]
    with open(path, "rb") as fp:
        data = fp.read()
    with open(path, "rb") as fp:
        ds = pydicom.dcmread(fp)
        pydicom_end = fp.tell()

    meta_len = struct.unpack_from("<I", data, 132 + 8)[0]
    dataset_start = 132 + 12 + meta_len
    tags, walk_end, undefined = walk_top_level(data, dataset_start)

    out = {
        "file_size": len(data),
        "pydicom_end": pydicom_end,
        "preamble_zero": data[:128] == bytes(128),
        "magic": data[128:132].decode("latin-1"),
        "walk_end": walk_end,
        "undefined_length": undefined,
        "top_level_tags": ["%04X,%04X" % t for t in tags],
        "top_level_sorted": tags == sorted(tags),
        "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
        "media_sop_class": str(ds.file_meta.MediaStorageSOPClassUID),
        "media_sop_instance": str(ds.file_meta.MediaStorageSOPInstanceUID),
        "implementation_class_uid": str(ds.file_meta.ImplementationClassUID),
        "is_implicit_vr": ds.is_implicit_VR,
        "sop_class": str(ds.SOPClassUID),
        "sop_instance": str(ds.SOPInstanceUID),
        "modality": ds.Modality,
        "study_instance_uid": str(ds.StudyInstanceUID),
        "series_instance_uid": str(ds.SeriesInstanceUID),
        "manufacturer": ds.Manufacturer,
        "software_versions": str(ds.SoftwareVersions),
        "structure_set_label": ds.StructureSetLabel,
        "structure_set_name": ds.StructureSetName,
        "series_description": ds.SeriesDescription,
        "patient_name": str(ds.PatientName),
        "patient_id": ds.PatientID,
    }

    frames = ds.ReferencedFrameOfReferenceSequence
    out["frame_count"] = len(frames)
    frame = frames[0]
    out["frame_of_reference_uid"] = str(frame.FrameOfReferenceUID)
    study = frame.RTReferencedStudySequence[0]
    out["referenced_study_class"] = str(study.ReferencedSOPClassUID)
    out["referenced_study_instance"] = str(study.ReferencedSOPInstanceUID)
    series = study.RTReferencedSeriesSequence[0]
    out["referenced_series"] = str(series.SeriesInstanceUID)
    out["contour_images"] = [str(i.ReferencedSOPInstanceUID) for i in series.ContourImageSequence]
    out["contour_image_classes"] = sorted({str(i.ReferencedSOPClassUID) for i in series.ContourImageSequence})

    rois = []
    for roi, contour, obs in zip(ds.StructureSetROISequence, ds.ROIContourSequence, ds.RTROIObservationsSequence):
        contours = []
        for c in contour.get("ContourSequence", []):
            images = c.ContourImageSequence
            contours.append({
                "points": int(c.NumberOfContourPoints),
                "values": len(c.ContourData),
                "type": c.ContourGeometricType,
                "number": int(c.ContourNumber),
                "images": [str(i.ReferencedSOPInstanceUID) for i in images],
                "image_classes": [str(i.ReferencedSOPClassUID) for i in images],
            })
        rois.append({
            "number": int(roi.ROINumber),
            "name": roi.ROIName,
            "referenced_frame": str(roi.ReferencedFrameOfReferenceUID),
            "algorithm": roi.ROIGenerationAlgorithm,
            "contour_roi_number": int(contour.ReferencedROINumber),
            "color": [int(v) for v in contour.ROIDisplayColor],
            "has_contour_sequence": "ContourSequence" in contour,
            "contours": contours,
            "observation_number": int(obs.ObservationNumber),
            "observation_roi_number": int(obs.ReferencedROINumber),
            "interpreted_type": obs.RTROIInterpretedType,
            "interpreter": str(obs.ROIInterpreter),
        })
    out["roi_counts"] = [len(ds.StructureSetROISequence), len(ds.ROIContourSequence), len(ds.RTROIObservationsSequence)]
    out["rois"] = rois
    print(json.dumps(out))


if __name__ == "__main__":
    main()
