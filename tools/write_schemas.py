"""Write the published JSON Schema of facts files from the fact model.

    python tools/write_schemas.py

tests/test_schemas.py fails when the committed file and the model drift apart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def facts_schema_text() -> str:
    sys.path.insert(0, str(ROOT))
    from patuh.model.facts import Facts

    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "patuh-facts/1",
              **Facts.model_json_schema()}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    (ROOT / "facts" / "facts.schema.json").write_text(facts_schema_text(), encoding="utf-8")
