"""Every kustomize overlay renders and every object passes the Kubernetes schema, offline."""

import importlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from contracts.intake.opinions import SubmitOpinion
from contracts.services import SERVICES, service_class_path
from contracts.subscriptions import SUBSCRIPTIONS
from infra import topology

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


# KEDA's and the Prometheus Operator's resources: no package here carries their CRD schemas, so the
# fields used are checked below
CUSTOM_KINDS = {
    "ScaledObject",
    "TriggerAuthentication",
    "PodMonitor",
    "PrometheusRule",
    "RabbitmqCluster",
    "MongoDBCommunity",
}


def test_every_object_is_valid_for_the_current_kubernetes_schema(rendered):
    for doc in rendered:
        if doc["kind"] not in CUSTOM_KINDS:
            kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)


def service_queues() -> dict[str, set[str]]:
    """Every queue each service consumes: its event queues, its RPC queue, intake's command queue."""
    queues = {name: {f"rpc-{name}"} for name in SERVICES}
    for model, subscribers in SUBSCRIPTIONS.items():
        for service, method in subscribers:
            queues[service].add(topology.event_queue(model.SOURCE, model.TYPE, service, method))
    queues["intake"].add(topology.command_queue(SubmitOpinion.TYPE))
    return queues


def test_each_service_scales_on_exactly_its_own_queues_and_on_cpu():
    scaled = {doc["metadata"]["name"]: doc for doc in render("overlays/prod") if doc["kind"] == "ScaledObject"}
    assert set(scaled) == set(SERVICES)
    everyone = set().union(*service_queues().values())
    for name, queues in service_queues().items():
        spec = scaled[name]["spec"]
        assert spec["scaleTargetRef"]["name"] == name and 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
        rabbitmq, cpu = spec["triggers"]
        assert rabbitmq["type"] == "rabbitmq" and cpu["type"] == "cpu"
        assert rabbitmq["authenticationRef"]["name"] == "rabbitmq-management"
        metadata = rabbitmq["metadata"]
        assert (metadata["protocol"], metadata["mode"], metadata["useRegex"], metadata["operation"]) == (
            "http",
            "QueueLength",
            "true",
            "sum",
        )
        pattern = re.compile(metadata["queueName"])
        assert {queue for queue in everyone if pattern.match(queue)} == queues, name


def test_the_gateway_scales_on_cpu_behind_a_tls_ingress():
    docs = render("overlays/prod")
    (hpa,) = [doc for doc in docs if doc["kind"] == "HorizontalPodAutoscaler"]
    assert hpa["spec"]["scaleTargetRef"]["name"] == "gateway" and hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    (ingress,) = [doc for doc in docs if doc["kind"] == "Ingress"]
    assert (
        ingress["spec"]["tls"][0]["secretName"]
        and ingress["spec"]["rules"][0]["host"] in ingress["spec"]["tls"][0]["hosts"]
    )
    budgets = {doc["spec"]["selector"]["matchLabels"]["app"] for doc in docs if doc["kind"] == "PodDisruptionBudget"}
    assert budgets == {*SERVICES, "gateway"}


def test_everything_is_denied_but_the_paths_the_platform_uses(rendered):
    policies = {doc["metadata"]["name"]: doc["spec"] for doc in rendered if doc["kind"] == "NetworkPolicy"}
    assert policies["default-deny"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    for name, deployment in deployments(rendered).items():
        spread = deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]
        assert [c["topologyKey"] for c in spread] == ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]
        assert all(c["labelSelector"]["matchLabels"] == {"app": name} for c in spread)


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


def anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_part_is_scraped_and_every_alert_links_a_runbook_section_that_exists():
    docs = render("overlays/prod")
    monitors = [doc for doc in docs if doc["kind"] == "PodMonitor"]
    scraped = set()
    for monitor in monitors:
        selector = monitor["spec"]["selector"]
        scraped |= set(selector.get("matchLabels", {}).values())
        for expression in selector.get("matchExpressions", []):
            scraped |= set(expression["values"])
        assert all(endpoint["path"] == "/metrics" for endpoint in monitor["spec"]["podMetricsEndpoints"])
    assert scraped == {*SERVICES, "gateway"}

    runbook = (ROOT / "deploy/README.md").read_text(encoding="utf-8")
    sections = {anchor(line.lstrip("#")) for line in runbook.splitlines() if line.startswith("## ")}
    (rules,) = [doc for doc in docs if doc["kind"] == "PrometheusRule"]
    alerts = [rule for group in rules["spec"]["groups"] for rule in group["rules"]]
    assert len(alerts) >= 6
    for alert in alerts:
        assert alert["expr"] and alert["labels"]["severity"] in {"warning", "critical"}
        page, _, section = alert["annotations"]["runbook_url"].partition("#")
        assert page == "deploy/README.md" and section in sections, alert["alert"]


def test_the_dashboard_is_json_with_the_operations_panels():
    (dashboard,) = [
        doc
        for doc in render("overlays/prod")
        if doc["kind"] == "ConfigMap" and "grafana_dashboard" in doc["metadata"].get("labels", {})
    ]
    panels = json.loads(dashboard["data"]["renda-minqing.json"])["panels"]
    queries = " ".join(target["expr"] for panel in panels for target in panel["targets"])
    for metric in (
        "opinions_received_total",
        "rabbitmq_queue_messages_ready",
        "http_request_seconds_bucket",
        "overdue_cases",
    ):
        assert metric in queries


def test_no_image_floats_on_a_tag_like_latest(rendered):
    for deployment in deployments(rendered).values():
        image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
        assert not image.endswith(":latest") and ":" in image.rsplit("/", 1)[-1] or "@sha256:" in image


def container_env(deployment: dict) -> dict[str, dict]:
    return {var["name"]: var for var in deployment["spec"]["template"]["spec"]["containers"][0].get("env", [])}


def test_prod_runs_three_broker_nodes_and_a_replica_set_with_a_user_per_part_on_its_own_database():
    docs = render("overlays/prod")
    (rabbitmq,) = [doc for doc in docs if doc["kind"] == "RabbitmqCluster"]
    assert (
        rabbitmq["spec"]["replicas"] == 3 and "rabbitmq_prometheus" in rabbitmq["spec"]["rabbitmq"]["additionalPlugins"]
    )
    (mongo,) = [doc for doc in docs if doc["kind"] == "MongoDBCommunity"]
    assert mongo["spec"]["members"] == 3 and mongo["spec"]["type"] == "ReplicaSet"
    users = {user["name"]: user for user in mongo["spec"]["users"]}
    for name, deployment in deployments(docs).items():
        assert users[name]["roles"] == [{"name": "readWrite", "db": name}]  # its own database only
        source = container_env(deployment)["MONGO_URL"]["valueFrom"]["secretKeyRef"]
        assert source == {"name": users[name]["connectionStringSecretName"], "key": "connectionString.standard"}
    assert set(users) == set(deployments(docs))


def test_dev_keeps_the_embedded_store_and_names_its_broker():
    docs = render("overlays/dev")
    (config,) = [doc for doc in docs if doc["kind"] == "ConfigMap"]
    assert config["data"]["DATA_DIR"] == "/data" and config["data"]["AMQP_URI"].startswith("amqp://")
    assert not any("MONGO_URL" in container_env(d) for d in deployments(docs).values())
    assert not [doc for doc in docs if doc["kind"] in {"RabbitmqCluster", "MongoDBCommunity"}]


def test_no_secret_sits_in_a_config_map(rendered):
    for doc in rendered:
        if doc["kind"] == "ConfigMap" and "grafana_dashboard" not in doc["metadata"].get("labels", {}):
            for key, value in doc["data"].items():
                assert not re.search(r"://[^/@]+:[^/@]+@", value) or "guest:guest" in value, key  # dev's broker only
                assert key not in {"PII_KEYS", "API_KEY_PEPPER", "ADMIN_API_KEY", "MONGO_URL"}


def test_prod_pins_its_image_by_digest():
    for deployment in deployments(render("overlays/prod")).values():
        assert re.search(r"@sha256:[0-9a-f]{64}$", deployment["spec"]["template"]["spec"]["containers"][0]["image"])


def test_the_image_copies_what_exists_and_runs_what_the_manifests_name():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for line in dockerfile.splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source
    packages = re.findall(r"^COPY (\w+) \1$", dockerfile, flags=re.MULTILINE)
    for deployment in deployments(render("overlays/prod")).values():
        command = deployment["spec"]["template"]["spec"]["containers"][0]["command"]
        target = command[-1] if command[0] == "nameko" else command[1]
        assert target.split(".")[0] in packages, target  # the image holds the module it runs


# what a part needs from its environment in production, and where each comes from there
PROD_ENVIRONMENT = {
    "AMQP_URI": "secret",  # carries the broker password
    "PII_KEYS": "secret",
    "API_KEY_PEPPER": "secret",
    "ADMIN_API_KEY": "secret",
    "MONGO_URL": "env",  # each part's own user, from the operator's Secret
    "PUBLIC_BASE_URL": "config",
    "INTAKE_HTTP_URL": "config",
    "METRICS_PORT": "config",
    "ENVIRONMENT": "config",
}


def test_every_setting_production_needs_is_provided_and_every_setting_is_known():
    from infra.settings import Settings

    known = {name.upper() for name in Settings.model_fields}
    assert set(PROD_ENVIRONMENT) <= known
    docs = render("overlays/prod")
    (config,) = [
        doc for doc in docs if doc["kind"] == "ConfigMap" and doc["metadata"]["name"].startswith("renda-config")
    ]
    for name, deployment in deployments(docs).items():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        sources = {
            ref.get("secretRef", {}).get("name") or ref.get("configMapRef", {}).get("name")
            for ref in container["envFrom"]
        }
        assert "renda-secrets" in sources and config["metadata"]["name"] in sources
        for variable, source in PROD_ENVIRONMENT.items():
            if source == "config":
                assert variable in config["data"], variable
            elif source == "env":
                assert variable in container_env(deployment), (name, variable)
    for key in config["data"]:
        assert key in known or key == "WEB_SERVER_ADDRESS", key  # nameko's own setting
