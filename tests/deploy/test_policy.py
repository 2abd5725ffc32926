"""checkov's Kubernetes policies over each installable overlay: no failure, and every exception
made beside the resource it exempts with its reason (`checkov.io/skipN` annotations)."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.deploy.test_manifests import KUBECTL, ROOT

CHECKOV = ROOT / ".venv-checkov/bin/checkov"

# the only exceptions the project makes, each explained in the kustomization that makes it
EXPECTED_EXCEPTIONS = {
    "overlays/dev": {"CKV_K8S_35", "CKV_K8S_43"},
    "overlays/prod": {"CKV_K8S_35"},
}


def checkov(overlay: str, tmp_path: Path) -> dict:
    rendered = tmp_path / f"{overlay.replace('/', '-')}.yaml"
    rendered.write_text(
        subprocess.run(
            [KUBECTL, "kustomize", str(ROOT / "deploy/k8s" / overlay)], check=True, capture_output=True, text=True
        ).stdout
    )
    assert CHECKOV.exists(), "checkov is installed by scripts/ensure-checkov.sh (`make test` runs it)"
    # --skip-download: no call to the vendor's platform; the checks ship with the package
    out = subprocess.run(
        [str(CHECKOV), "-f", str(rendered), "--framework", "kubernetes", "--skip-download", "-o", "json"],
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("overlay", sorted(EXPECTED_EXCEPTIONS))
def test_every_policy_passes_or_is_an_explained_exception(overlay, tmp_path):
    report = checkov(overlay, tmp_path)
    results = report["results"]
    failed = [(c["check_id"], c["resource"]) for c in results["failed_checks"]]
    assert failed == []
    assert results["parsing_errors"] == []
    assert report["summary"]["passed"] > 400  # the Kubernetes checks ran over every resource
    skipped = results["skipped_checks"]
    assert {c["check_id"] for c in skipped} == EXPECTED_EXCEPTIONS[overlay]
    for check in skipped:
        assert len(check["check_result"]["suppress_comment"]) > 20, check["check_id"]
