"""Every Kubernetes manifest against the API's schemas, and the high-availability rules of docs/operations.md.

Core kinds are checked with `kubernetes-validate` (the API's OpenAPI schemas, shipped in the package, strict:
an unknown field is an error). CloudNativePG's kinds are checked against the operator's own CRD schemas, kept
in tests/deploy/crds/ (see its README: taken from the operator's repository, descriptions removed) and made
strict the same way.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest

from fne_cli.components import COMPONENTS
from tests.deploy.test_manifests import KUBERNETES, deployments, load_documents, of_kind, pod_spec, workloads

KUBERNETES_VERSION = "1.31.0"  # the oldest version still maintained upstream when this was written
CRDS = Path(__file__).parent / "crds"
CNPG = KUBERNETES / "cloudnative-pg"
MANIFESTS = sorted(path for path in KUBERNETES.rglob("*.yaml") if path.name != "kustomization.yaml")
AUTOSCALED = {"gateway", "directory"}


def strict(schema: Any) -> Any:
    """A CRD schema where an object with declared properties refuses any other (the API server prunes them
    silently: a typo would be lost without a word)."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: strict(value) for key, value in schema.items()}
    if (
        "properties" in result
        and "additionalProperties" not in result
        and not result.get("x-kubernetes-preserve-unknown-fields")
    ):
        result["additionalProperties"] = False
    return result


@cache
def crd_schemas() -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) -> schema, for the operator's kinds."""
    schemas = {}
    for path in CRDS.glob("*.json"):
        crd = json.loads(path.read_text())
        for version, schema in crd["versions"].items():
            schemas[(f"{crd['group']}/{version}", crd["kind"])] = strict(schema)
    return schemas


def documents(path: Path) -> list[dict[str, Any]]:
    return load_documents(path)


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda path: str(path.relative_to(KUBERNETES)))
def test_every_manifest_matches_its_schema(path: Path) -> None:
    for document in documents(path):
        key = (document["apiVersion"], document["kind"])
        if key in crd_schemas():
            errors = sorted(jsonschema.Draft7Validator(crd_schemas()[key]).iter_errors(document), key=str)
            assert not errors, f"{path.name} {document['kind']}: " + "; ".join(
                f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in errors[:5]
            )
        else:
            try:
                kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
            except kubernetes_validate.ValidationError as exc:
                pytest.fail(
                    f"{path.name} {document['kind']} {document['metadata']['name']}: {exc.message} "
                    f"at {'/'.join(map(str, exc.path))}"
                )


def test_strict_schemas_catch_a_misspelt_field() -> None:
    """The checks above can fail: a typo in an operator's resource and in a core one are both refused."""
    [cluster] = [d for d in documents(CNPG / "cluster.yaml") if d["kind"] == "Cluster"]
    misspelt = {**cluster, "spec": {**cluster["spec"], "instance": 3}}
    assert list(
        jsonschema.Draft7Validator(crd_schemas()[("postgresql.cnpg.io/v1", "Cluster")]).iter_errors(misspelt)
    )
    [pdb, *_] = of_kind("PodDisruptionBudget")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(
            {**pdb, "spec": {**pdb["spec"], "minAvailabe": 1}}, KUBERNETES_VERSION, strict=True
        )


def test_every_kustomization_lists_files_that_exist() -> None:
    for kustomization in KUBERNETES.rglob("kustomization.yaml"):
        for resource in documents(kustomization)[0]["resources"]:
            assert (kustomization.parent / resource).is_file(), f"{kustomization}: {resource}"


# --- High availability
# ----------------------------------------------------------------------------------------


def pod_labels(deployment: dict[str, Any]) -> dict[str, str]:
    return deployment["spec"]["template"]["metadata"]["labels"]


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    return selector["matchLabels"].items() <= labels.items() and not selector.get("matchExpressions")


def minimum_replicas(name: str) -> int:
    deployment, _ = deployments()[name]
    autoscalers = [
        hpa
        for hpa in of_kind("HorizontalPodAutoscaler")
        if hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    ]
    return autoscalers[0]["spec"]["minReplicas"] if autoscalers else deployment["spec"].get("replicas", 1)


@pytest.mark.parametrize("component", list(COMPONENTS))
def test_each_component_keeps_a_replica_through_a_drain(component: str) -> None:
    deployment, _ = deployments()[component]
    budgets = [
        pdb
        for pdb in of_kind("PodDisruptionBudget")
        if selects(pdb["spec"]["selector"], pod_labels(deployment))
    ]
    assert len(budgets) == 1, f"{component}: {len(budgets)} PodDisruptionBudgets"
    # At least two replicas, and a budget that still lets a drain evict one of them.
    assert minimum_replicas(component) >= 2
    assert 1 <= budgets[0]["spec"]["minAvailable"] < minimum_replicas(component)


@pytest.mark.parametrize("component", list(COMPONENTS))
def test_replicas_spread_over_nodes(component: str) -> None:
    deployment, _ = deployments()[component]
    constraints = pod_spec(deployment).get("topologySpreadConstraints", [])
    by_node = [c for c in constraints if c["topologyKey"] == "kubernetes.io/hostname"]
    assert by_node and by_node[0]["whenUnsatisfiable"] == "DoNotSchedule", component
    assert all(selects(c["labelSelector"], pod_labels(deployment)) for c in constraints)


def test_gateway_and_directory_scale_on_cpu() -> None:
    targets = {}
    for hpa in of_kind("HorizontalPodAutoscaler"):
        reference = hpa["spec"]["scaleTargetRef"]
        assert reference["kind"] == "Deployment"
        [metric] = hpa["spec"]["metrics"]
        assert metric["resource"]["name"] == "cpu" and metric["resource"]["target"]["type"] == "Utilization"
        targets[reference["name"]] = hpa
    assert {deployments()[name][0]["metadata"]["name"] for name in AUTOSCALED} == set(targets)
    for name in AUTOSCALED:
        deployment, _ = deployments()[name]
        # A replica count in the Deployment would fight the autoscaler at every `kubectl apply`.
        assert "replicas" not in deployment["spec"], name


def quantity(value: str | int) -> float:
    """Kubernetes quantities (CPU cores or bytes) as numbers."""
    text = str(value)
    for suffix, factor in (("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10), ("m", 0.001)):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


def test_every_container_requests_what_it_needs_and_has_a_memory_limit() -> None:
    containers = [container for workload in workloads() for container in pod_spec(workload)["containers"]]
    containers += [
        container
        for job in of_kind("CronJob")
        for container in job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    ]
    assert len(containers) >= len(COMPONENTS) + 3
    for container in containers:
        resources = container["resources"]
        for kind in ("cpu", "memory"):
            assert kind in resources["requests"], container["name"]
        assert quantity(resources["requests"]["memory"]) <= quantity(resources["limits"]["memory"])
    # The services' requests cover what the soak test measured (docs/benchmarks.md): 140–300 MiB resident.
    for name in ("directory", "surveys"):
        container = pod_spec(deployments()[name][0])["containers"][0]
        assert quantity(container["resources"]["requests"]["memory"]) >= 160 * 2**20, name


# --- Metrics
# ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("component", list(COMPONENTS))
def test_prometheus_scrapes_a_port_the_pod_opens_and_the_public_never_reaches(component: str) -> None:
    deployment, port = deployments()[component]
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true" and annotations["prometheus.io/path"] == "/metrics"
    container = pod_spec(deployment)["containers"][0]
    ports = {entry.get("name"): entry["containerPort"] for entry in container["ports"]}
    scraped = int(annotations["prometheus.io/port"])
    assert scraped in ports.values()
    if component == "gateway":
        from tests.deploy.test_manifests import effective_env, service_for

        env = effective_env(container)
        assert scraped == ports["metrics"] == int(env["GATEWAY_METRICS_PORT"] or "") != port
        assert env["GATEWAY_METRICS_HOST"] == "0.0.0.0"
        # Neither the gateway's Service (which the ingress uses) nor the ingress names the metrics port.
        service_ports = service_for(deployment)["spec"]["ports"]
        assert all(entry["targetPort"] not in ("metrics", scraped) for entry in service_ports)


def test_network_policies_name_ports_that_exist() -> None:
    named = {
        entry["name"]
        for deployment, _ in deployments().values()
        for entry in pod_spec(deployment)["containers"][0]["ports"]
    }
    for policy in of_kind("NetworkPolicy"):
        for rule in policy["spec"]["ingress"]:
            for port in rule.get("ports", []):
                assert port["port"] in named, policy["metadata"]["name"]
    [services] = [
        p
        for p in of_kind("NetworkPolicy")
        if p["spec"]["podSelector"]["matchLabels"].get("app.kubernetes.io/component") == "service"
    ]
    covered = {
        name
        for name, (deployment, _) in deployments().items()
        if selects(services["spec"]["podSelector"], pod_labels(deployment))
    }
    assert covered == {"directory", "observatory", "surveys", "network"}


# --- PostgreSQL (CloudNativePG)
# ------------------------------------------------------------------------------


def cnpg(kind: str) -> list[dict[str, Any]]:
    return [
        document
        for path in sorted(CNPG.glob("*.yaml"))
        if path.name != "kustomization.yaml" and not path.name.endswith(".example.yaml")
        for document in documents(path)
        if document["kind"] == kind
    ]


def test_postgresql_cluster_is_highly_available_and_archived() -> None:
    [cluster] = cnpg("Cluster")
    spec = cluster["spec"]
    assert spec["instances"] == 3 and spec["minSyncReplicas"] >= 1
    assert spec["affinity"]["podAntiAffinityType"] == "required"
    assert spec["backup"]["retentionPolicy"] and spec["backup"]["barmanObjectStore"]["destinationPath"]
    [scheduled] = cnpg("ScheduledBackup")
    assert scheduled["spec"]["cluster"]["name"] == cluster["metadata"]["name"]


def test_one_database_and_owner_per_component() -> None:
    [cluster] = cnpg("Cluster")
    initdb = cluster["spec"]["bootstrap"]["initdb"]
    databases = {initdb["database"]: initdb["owner"]}
    databases |= {
        db["spec"]["name"]: db["spec"]["owner"]
        for db in cnpg("Database")
        if db["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    }
    assert databases == {f"fne_{name}": f"fne_{name}" for name in COMPONENTS}
    roles = {role["name"] for role in cluster["spec"]["managed"]["roles"]} | {initdb["owner"]}
    assert set(databases.values()) <= roles
    secrets = {document["metadata"]["name"] for document in documents(CNPG / "secrets.example.yaml")}
    referenced = {role["passwordSecret"]["name"] for role in cluster["spec"]["managed"]["roles"]}
    referenced |= {initdb["secret"]["name"]}
    store = cluster["spec"]["backup"]["barmanObjectStore"]["s3Credentials"]
    referenced |= {store["accessKeyId"]["name"], store["secretAccessKey"]["name"]}
    assert referenced <= secrets


def test_point_in_time_recovery_example_reads_the_production_archive() -> None:
    [restored] = documents(CNPG / "recovery.example.yaml")
    [cluster] = cnpg("Cluster")
    recovery = restored["spec"]["bootstrap"]["recovery"]
    [source] = [c for c in restored["spec"]["externalClusters"] if c["name"] == recovery["source"]]
    archive = cluster["spec"]["backup"]["barmanObjectStore"]["destinationPath"]
    assert source["barmanObjectStore"]["destinationPath"] == archive
    assert recovery["recoveryTarget"]["targetTime"]
    # Never archives over the production cluster's history.
    assert restored["spec"]["backup"]["barmanObjectStore"]["destinationPath"] != archive


def test_crd_schemas_are_the_operators() -> None:
    """The kept schemas are structural CRD schemas of the kinds used here (not hand-written stand-ins)."""
    kinds = {kind for (_, kind) in crd_schemas()}
    assert {"Cluster", "Database", "ScheduledBackup"} <= kinds
    cluster = crd_schemas()[("postgresql.cnpg.io/v1", "Cluster")]
    assert len(json.dumps(cluster)) > 30_000 and "barmanObjectStore" in json.dumps(cluster)
