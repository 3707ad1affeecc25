#!/usr/bin/python3
"""Read a DICOM Segmentation with pydicom and rebuild its label volume frame by frame, through the functional groups.

usage: read_seg.py SEG.dcm SOURCE.json OUT.bin

SOURCE.json: {"slices": [{"uid": ..., "position": [x, y, z]}, ...], "names": [label of value 1, value 2, ...]} with the
source slices in volume order. Each frame's ImagePositionPatient (PlanePositionSequence) picks its slice (it must lie
within 1 µm of exactly one); its SegmentIdentificationSequence (BINARY) or its pixel values (LABELMAP) pick the segment,
whose SegmentLabel picks the label value. The rebuilt volume is written to OUT.bin (uint8, x fastest, slices in order);
what was read is printed as JSON.
"""
import json
import sys

import numpy as np
import pydicom


def code(item):
    return [str(item.CodeValue), str(item.CodingSchemeDesignator), str(item.CodeMeaning)]


def main(path, source_path, out_path):
    ds = pydicom.dcmread(path)
    source = json.load(open(source_path))
    slices, names = source["slices"], source["names"]
    positions = np.array([s["position"] for s in slices], dtype=float)
    rows, cols, frames = int(ds.Rows), int(ds.Columns), int(ds.NumberOfFrames)
    seg_type = str(ds.SegmentationType)
    problems = []

    segments = []
    by_number = {}
    for item in ds.SegmentSequence:
        number = int(item.SegmentNumber)
        label = str(item.SegmentLabel)
        algo = item.SegmentationAlgorithmIdentificationSequence[0]
        entry = {
            "number": number, "label": label, "algorithm_type": str(item.SegmentAlgorithmType),
            "algorithm_name": str(item.get("SegmentAlgorithmName", "")),
            "algorithm": [str(algo.AlgorithmName), str(algo.AlgorithmVersion), code(algo.AlgorithmFamilyCodeSequence[0])],
            "category": code(item.SegmentedPropertyCategoryCodeSequence[0]),
            "type": code(item.SegmentedPropertyTypeCodeSequence[0]),
            "modifier": code(item.SegmentedPropertyTypeCodeSequence[0].SegmentedPropertyTypeModifierCodeSequence[0])
            if "SegmentedPropertyTypeModifierCodeSequence" in item.SegmentedPropertyTypeCodeSequence[0] else None,
            "cielab": [int(v) for v in item.RecommendedDisplayCIELabValue],
        }
        segments.append(entry)
        if number == 0 and seg_type == "LABELMAP":
            by_number[0] = 0
        elif label in names:
            by_number[number] = names.index(label) + 1
        else:
            problems.append(f"segment {number} '{label}' is not one of the source's names")

    raw = ds.PixelData
    bits = int(ds.BitsAllocated)
    if ds.file_meta.TransferSyntaxUID.is_compressed:
        # Encapsulated (the label map is RLE Lossless): pydicom's own decoder gives the frames.
        flat = np.asarray(ds.pixel_array).reshape(-1)[: frames * rows * cols]
    elif bits == 1:
        flat = np.unpackbits(np.frombuffer(raw, dtype=np.uint8), bitorder="little")[: frames * rows * cols]
    elif bits == 8:
        flat = np.frombuffer(raw, dtype=np.uint8)[: frames * rows * cols]
    else:
        flat = np.frombuffer(raw, dtype="<u2")[: frames * rows * cols]
    pixels = flat.reshape(frames, rows, cols)

    shared = ds.SharedFunctionalGroupsSequence[0]
    volume = np.zeros((len(slices), rows, cols), dtype=np.uint8)
    overlaps = 0
    referenced = []
    frame_list = []
    for f, fg in enumerate(ds.PerFrameFunctionalGroupsSequence):
        ipp = np.array([float(v) for v in fg.PlanePositionSequence[0].ImagePositionPatient])
        distance = np.linalg.norm(positions - ipp, axis=1)
        z = int(np.argmin(distance))
        if distance[z] > 1e-3:
            problems.append(f"frame {f + 1} at {ipp.tolist()} is {distance[z]:.6f} mm from the nearest slice")
        source_item = fg.DerivationImageSequence[0].SourceImageSequence[0]
        uid = str(source_item.ReferencedSOPInstanceUID)
        referenced.append(uid)
        if uid != slices[z]["uid"]:
            problems.append(f"frame {f + 1} references {uid} but lies on slice {z} ({slices[z]['uid']})")
        raw_index = fg.FrameContentSequence[0].DimensionIndexValues
        many = isinstance(raw_index, (list, tuple, pydicom.multival.MultiValue))
        index_values = [int(v) for v in (raw_index if many else [raw_index])]
        frame = pixels[f]
        if seg_type == "BINARY":
            number = int(fg.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
            frame_list.append([number, z])
            if index_values != [number, z + 1]:
                problems.append(f"frame {f + 1}: DimensionIndexValues {index_values}, expected {[number, z + 1]}")
            if not frame.any():
                problems.append(f"frame {f + 1} (segment {number}, slice {z}) is empty")
            value = by_number.get(number, 0)
            mask = frame.astype(bool)
            overlaps += int(np.count_nonzero(volume[z][mask]))
            volume[z][mask] = value
        else:
            if "SegmentIdentificationSequence" in fg:
                problems.append(f"frame {f + 1} of a label map has a SegmentIdentificationSequence")
            frame_list.append([None, z])
            if index_values != [z + 1]:
                problems.append(f"frame {f + 1}: DimensionIndexValues {index_values}, expected {[z + 1]}")
            for number in np.unique(frame):
                if int(number) not in by_number:
                    problems.append(f"pixel value {int(number)} of frame {f + 1} is not a described segment")
            lut = np.zeros(max(int(frame.max()), max(by_number) if by_number else 0) + 1, dtype=np.uint8)
            for number, value in by_number.items():
                lut[number] = value
            volume[z] = lut[frame]

    volume.tofile(out_path)
    dims = [[f"{int(d.DimensionIndexPointer):08X}", f"{int(d.FunctionalGroupPointer):08X}"] for d in ds.DimensionIndexSequence]
    referenced_series = ds.ReferencedSeriesSequence[0]
    print(json.dumps({
        "sop_class": str(ds.SOPClassUID), "media_sop_class": str(ds.file_meta.MediaStorageSOPClassUID),
        "transfer_syntax": str(ds.file_meta.TransferSyntaxUID), "segmentation_type": seg_type,
        "modality": str(ds.Modality), "bits_allocated": bits, "bits_stored": int(ds.BitsStored),
        "high_bit": int(ds.HighBit), "photometric": str(ds.PhotometricInterpretation),
        "pixel_padding": int(ds.PixelPaddingValue) if "PixelPaddingValue" in ds else None,
        "rows": rows, "columns": cols, "frames": frames, "pixel_bytes": len(raw),
        "image_type": list(ds.ImageType), "lossy": str(ds.LossyImageCompression), "content_label": str(ds.ContentLabel),
        "segments_overlap": str(ds.get("SegmentsOverlap", "")),
        "study_uid": str(ds.StudyInstanceUID), "series_uid": str(ds.SeriesInstanceUID),
        "frame_of_reference": str(ds.FrameOfReferenceUID), "patient_name": str(ds.get("PatientName", "")),
        "patient_id": str(ds.get("PatientID", "")),
        "orientation": [float(v) for v in shared.PlaneOrientationSequence[0].ImageOrientationPatient],
        "pixel_spacing": [float(v) for v in shared.PixelMeasuresSequence[0].PixelSpacing],
        "slice_thickness": float(shared.PixelMeasuresSequence[0].SliceThickness),
        "dimensions": dims, "segments": segments, "frame_list": frame_list, "referenced": referenced,
        "referenced_series": str(referenced_series.SeriesInstanceUID),
        "referenced_instances": [str(i.ReferencedSOPInstanceUID) for i in referenced_series.ReferencedInstanceSequence],
        "overlapping_voxels": overlaps, "problems": problems,
    }))


if __name__ == "__main__":
    main(*sys.argv[1:4])
