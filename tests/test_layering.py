"""The layering the code promises: one module talks to the SDKs; the pure stages never do."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "extractor"
SDKS = {"openai", "instructor", "tenacity"}
PURE = {"grounding.py", "chunking.py", "merge.py", "schema.py", "ingest.py"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
            if node.module.startswith("extractor."):
                roots.add(node.module)
    return roots


def test_only_llm_imports_the_sdks():
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(imported_roots(p) & SDKS)
        for p in PACKAGE.rglob("*.py")
        if p.name != "llm.py" and imported_roots(p) & SDKS
    }
    assert offenders == {}


def test_pure_stages_never_reach_the_model():
    for name in PURE:
        roots = imported_roots(PACKAGE / name)
        assert not roots & (SDKS | {"extractor.llm", "extractor.local_model", "llama_cpp"}), name
    for path in (PACKAGE / "finder").glob("*.py"):
        assert not imported_roots(path) & (SDKS | {"extractor.llm"}), path.name


def test_the_strategies_never_import_the_pipeline_that_drives_them():
    """No cycle, not even a lazy one: what strategies share with the pipeline is in steps.py."""
    for path in (PACKAGE / "strategies").glob("*.py"):
        assert "extractor.pipeline" not in imported_roots(path), path.name
    assert "extractor.pipeline" not in imported_roots(PACKAGE / "steps.py")
