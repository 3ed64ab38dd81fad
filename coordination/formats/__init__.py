"""The field's file formats as pure functions: IATI activity XML and HXL 3W CSV in, and
IATI 2.03 XML, HXL 3W CSV, GeoJSON and CSV out.

Importers yield `ImportItem`s in the common initiative-input shape (the REST body);
exporters consume iterables of that shape and yield text chunks. No Flask, no database.
"""
from __future__ import annotations

from .csv_export import csv_chunks
from .geojson_export import geojson_chunks
from .hxl_export import hxl_csv_chunks
from .hxl_import import HxlStats, parse_hxl
from .iati_export import iati_xml_chunks
from .iati_import import parse_iati
from .items import ImportFileError, ImportItem, ImportProblem, ImportResult, collect

__all__ = [
    "HxlStats", "ImportFileError", "ImportItem", "ImportProblem", "ImportResult", "collect",
    "csv_chunks", "geojson_chunks", "hxl_csv_chunks", "iati_xml_chunks", "parse_hxl", "parse_iati",
]
