"""The layering the code promises: one package (extractor.llm) talks to the SDKs; the pure
stages never do."""

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


def reaches_the_model(roots: set[str]) -> bool:
    return any(r == "extractor.llm" or r.startswith("extractor.llm.") for r in roots)


def test_only_llm_imports_the_sdks():
    llm = PACKAGE / "llm"
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(imported_roots(p) & SDKS)
        for p in PACKAGE.rglob("*.py")
        if llm not in p.parents and imported_roots(p) & SDKS
    }
    assert offenders == {}
    assert imported_roots(llm / "client.py") >= SDKS, "the rule above would pass if llm/ moved"


def test_pure_stages_never_reach_the_model():
    for name in PURE:
        roots = imported_roots(PACKAGE / name)
        assert not roots & (SDKS | {"extractor.local_model", "llama_cpp"}) and not reaches_the_model(roots), name
    for path in (PACKAGE / "finder").rglob("*.py"):
        roots = imported_roots(path)
        assert not roots & SDKS and not reaches_the_model(roots), path.name


def test_the_strategies_never_import_the_pipeline_that_drives_them():
    """No cycle, not even a lazy one: what strategies share with the pipeline is in steps.py."""
    for path in (PACKAGE / "strategies").glob("*.py"):
        assert "extractor.pipeline" not in imported_roots(path), path.name
    assert "extractor.pipeline" not in imported_roots(PACKAGE / "steps.py")
