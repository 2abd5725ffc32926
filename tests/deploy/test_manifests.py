"""Every kustomize overlay renders and every object passes the Kubernetes schema, offline."""

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from contracts.services import SERVICES, service_class_path

ROOT = Path(__file__).resolve().parents[2]
OVERLAYS = ["base", "overlays/dev", "overlays/prod"]
KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or "kubectl"


def render(overlay: str) -> list[dict]:
    out = subprocess.run(
        [KUBECTL, "kustomize", str(ROOT / "deploy/k8s" / overlay)], check=True, capture_output=True, text=True
    ).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request) -> list[dict]:
    return render(request.param)


def deployments(docs: list[dict]) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == "Deployment"}


def test_every_object_is_valid_for_the_current_kubernetes_schema(rendered):
    for doc in rendered:
        kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)


def test_one_deployment_per_service_and_the_gateway_with_its_service(rendered):
    assert set(deployments(rendered)) == {*SERVICES, "gateway"}
    services = [doc for doc in rendered if doc["kind"] == "Service"]
    # intake's own port takes photo bytes from the gateway, off the broker
    assert {svc["metadata"]["name"]: svc["spec"]["selector"] for svc in services} == {
        "gateway": {"app": "gateway"},
        "intake": {"app": "intake"},
    }


def test_workloads_are_probed_limited_and_locked_down(rendered):
    for name, deployment in deployments(rendered).items():
        pod = deployment["spec"]["template"]["spec"]
        assert deployment["spec"]["template"]["metadata"]["labels"]["app"] == name
        assert pod["securityContext"]["runAsNonRoot"] is True
        (container,) = pod["containers"]
        assert container["livenessProbe"] and container["readinessProbe"]
        if name in SERVICES:  # its own probes on its metrics port (infra/health.py); time to finish handlers
            assert pod["terminationGracePeriodSeconds"] >= 30
            probes = (container["livenessProbe"]["httpGet"], container["readinessProbe"]["httpGet"])
            assert [(probe["path"], probe["port"]) for probe in probes] == [
                ("/healthz", "metrics"),
                ("/readyz", "metrics"),
            ]
        assert container["resources"]["requests"] and container["resources"]["limits"]
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_commands_name_classes_that_exist(rendered):
    for name, deployment in deployments(rendered).items():
        command = deployment["spec"]["template"]["spec"]["containers"][0]["command"]
        target = command[-1] if command[0] == "nameko" else command[1]
        module, _, attribute = target.partition(":")
        assert getattr(importlib.import_module(module), attribute)
        if command[0] == "nameko":
            assert target == service_class_path(name)


def test_prod_keeps_the_gateway_available_and_dev_runs_one_of_each():
    prod, dev = deployments(render("overlays/prod")), deployments(render("overlays/dev"))
    assert prod["gateway"]["spec"]["replicas"] == 3
    assert all(d["spec"]["replicas"] == 1 for d in dev.values())
    dev_config = next(doc for doc in render("overlays/dev") if doc["kind"] == "ConfigMap")
    assert dev_config["data"]["ENVIRONMENT"] == "development"


def test_dev_keeps_the_embedded_store_on_a_writable_volume():
    rendered = render("overlays/dev")
    data_dir = next(doc for doc in rendered if doc["kind"] == "ConfigMap")["data"]["DATA_DIR"]
    for deployment in deployments(rendered).values():
        pod = deployment["spec"]["template"]["spec"]
        mounts = {mount["mountPath"]: mount["name"] for mount in pod["containers"][0]["volumeMounts"]}
        volume = next(volume for volume in pod["volumes"] if volume["name"] == mounts[data_dir])
        assert "emptyDir" in volume
