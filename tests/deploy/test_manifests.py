"""deploy/ against the code: compose and Kubernetes must run real commands, ports, probes and settings.

No Docker or cluster is needed: the files are parsed, and each `fne …` command line is parsed by the real CLI.
"""

import json
import re
import shlex
import shutil
import subprocess
import tomllib
from functools import cache
from importlib import import_module
from pathlib import Path, PurePosixPath
from typing import Any, cast
from urllib.parse import urlsplit

import click
import pytest
import typer
import yaml
from httpx import ASGITransport, AsyncClient

from fne_cli.components import COMPONENTS, GATEWAY, SERVICES, Component
from fne_cli.main import app as cli_app

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
CLI = cast(click.Group, typer.main.get_command(cli_app))  # the `fne` app has subcommands
LIVENESS_PATHS = {"gateway": "/api/docs", **{service.name: "/health" for service in SERVICES}}
READINESS_PATHS = {"gateway": "/api/docs", **{service.name: "/ready" for service in SERVICES}}


# --- Reading the files --------------------------------------------------------------------------------------


def load_documents(path: Path) -> list[dict[str, Any]]:
    with path.open() as stream:
        return [document for document in yaml.safe_load_all(stream) if document is not None]


def is_example(path: Path) -> bool:
    return path.name.endswith(".example.yaml")


@cache
def manifests() -> tuple[tuple[str, dict[str, Any]], ...]:
    """(file name, document) for every Kubernetes manifest, the examples included."""
    return tuple(
        (path.name, document)
        for path in sorted(KUBERNETES.glob("*.yaml"))
        if path.name != "kustomization.yaml"
        for document in load_documents(path)
    )


def of_kind(kind: str) -> list[dict[str, Any]]:
    return [document for _, document in manifests() if document["kind"] == kind]


@cache
def kustomization() -> dict[str, Any]:
    return load_documents(KUBERNETES / "kustomization.yaml")[0]


@cache
def compose() -> dict[str, Any]:
    return load_documents(DEPLOY / "compose.yaml")[0]


def interpolate(value: str) -> str:
    """Compose's `${VAR:-default}` with the defaults, as on a host that sets none of them."""
    return re.sub(r"\$\{\w+(?::?-([^}]*))?\}", lambda match: match.group(1) or "", value)


def config_map(name: str) -> dict[str, str]:
    [found] = [document for document in of_kind("ConfigMap") if document["metadata"]["name"] == name]
    return found.get("data", {})


def secret_keys(name: str) -> set[str]:
    [found] = [document for document in of_kind("Secret") if document["metadata"]["name"] == name]
    return set(found.get("stringData", {})) | set(found.get("data", {}))


# --- Command lines ------------------------------------------------------------------------------------------


def fne_invocations(command: list[str] | str | None) -> list[list[str]]:
    """The `fne …` argument lists of a container command, including those inside an `sh -c` script."""
    if command is None:
        return []
    argv = shlex.split(command) if isinstance(command, str) else [str(part) for part in command]
    if len(argv) == 3 and argv[0] in ("sh", "bash") and argv[1] == "-c":
        return [
            step
            for part in re.split(r"&&|\|\||;", argv[2])
            if (step := shlex.split(part)) and step[0] == "fne"
        ]
    return [argv] if argv and argv[0] == "fne" else []


def parse_fne(argv: list[str]) -> tuple[str, dict[str, Any]]:
    """The subcommand and its parameters, as the real `fne` command line parses them."""
    assert argv[0] == "fne", argv
    assert len(argv) > 1 and argv[1] in CLI.commands, f"{argv}: no such subcommand ({sorted(CLI.commands)})"
    try:
        context = CLI.commands[argv[1]].make_context(argv[1], argv[2:])
    except Exception as exc:  # the CLI's own usage errors, e.g. an option that does not exist
        pytest.fail(f"`{' '.join(argv)}` does not parse: {exc}")
    return argv[1], context.params


def served_component(command: list[str] | str | None) -> tuple[Component, int]:
    """The component a container serves and the port it listens on, from its `fne serve` command."""
    [argv] = fne_invocations(command)
    subcommand, params = parse_fne(argv)
    assert subcommand == "serve", argv
    assert params["component"] in COMPONENTS, f"{argv}: unknown component (among {sorted(COMPONENTS)})"
    assert params["host"] == "0.0.0.0", f"{argv}: a container must listen on every interface"
    component = COMPONENTS[params["component"]]
    return component, params["port"] or component.default_port


def container_command(container: dict[str, Any]) -> list[str]:
    return [*container.get("command", []), *container.get("args", [])]


# --- Kubernetes workloads -----------------------------------------------------------------------------------


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    return workload["spec"]["template"]["spec"]


def the_container(workload: dict[str, Any]) -> dict[str, Any]:
    [container] = pod_spec(workload)["containers"]
    return container


@cache
def deployments() -> dict[str, tuple[dict[str, Any], int]]:
    """Component name -> (Deployment, port passed to `fne serve`)."""
    found: dict[str, tuple[dict[str, Any], int]] = {}
    for deployment in of_kind("Deployment"):
        component, port = served_component(container_command(the_container(deployment)))
        assert component.name not in found, f"two Deployments serve {component.name}"
        found[component.name] = (deployment, port)
    return found


def resolve_port(container: dict[str, Any], port: int | str) -> int:
    if isinstance(port, int):
        return port
    [number] = [entry["containerPort"] for entry in container["ports"] if entry.get("name") == port]
    return number


def service_for(deployment: dict[str, Any]) -> dict[str, Any]:
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    matching = [
        service for service in of_kind("Service") if service["spec"]["selector"].items() <= labels.items()
    ]
    assert len(matching) == 1, f"{deployment['metadata']['name']}: {len(matching)} Services select its pods"
    return matching[0]


def effective_env(container: dict[str, Any]) -> dict[str, str | None]:
    """Variable name -> value (None when it comes from a secret), envFrom config maps included."""
    env: dict[str, str | None] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(config_map(source["configMapRef"]["name"]))
        if "secretRef" in source:
            env.update(dict.fromkeys(secret_keys(source["secretRef"]["name"])))
    for variable in container.get("env", []):
        env[variable["name"]] = variable.get("value")
    return env


def mounted_secret_files(workload: dict[str, Any]) -> dict[str, str]:
    """Path in the container -> secret key, for every secret file mounted into the workload's container."""
    volumes = {volume["name"]: volume for volume in pod_spec(workload).get("volumes", [])}
    files: dict[str, str] = {}
    for mount in the_container(workload).get("volumeMounts", []):
        secret = volumes[mount["name"]].get("secret")
        if secret is None:
            continue
        items = secret.get("items") or [
            {"key": key, "path": key} for key in secret_keys(secret["secretName"])
        ]
        for item in items:
            files[str(PurePosixPath(mount["mountPath"]) / item["path"])] = item["key"]
    return files


def workloads() -> list[dict[str, Any]]:
    return [*of_kind("Deployment"), *of_kind("Job")]


# --- The apps, for the probe paths --------------------------------------------------------------------------


async def assert_probe_answers(keys: tuple[str, str], component: str, path: str, liveness: bool) -> None:
    """Requests `path` from the component's app, on an empty (unmigrated) SQLite database."""
    selected = COMPONENTS[component]
    key = {"identity_private_key": keys[0]} if selected is GATEWAY else {"identity_public_key": keys[1]}
    settings = import_module(f"{selected.package}.config").Settings(
        database_url="sqlite+aiosqlite://", access_log=False, **key
    )
    app = import_module(f"{selected.package}.main").create_app(settings)
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://probe") as client,
    ):
        status = (await client.get(path)).status_code
    if liveness:
        assert status == 200, f"{component} answers {path} with {status}"
    else:  # readiness is 503 on this unmigrated database: the route must exist all the same
        assert status in (200, 503), f"{component} answers {path} with {status}"


# --- Every file ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(DEPLOY.rglob("*.y*ml")), ids=lambda path: path.name)
def test_every_yaml_file_parses(path: Path) -> None:
    assert load_documents(path)


def test_every_fne_command_line_parses() -> None:
    commands = [
        container_command(container)
        for workload in workloads()
        for container in pod_spec(workload)["containers"]
    ]
    commands += [service.get("command") for service in compose()["services"].values()]
    invocations = [argv for command in commands for argv in fne_invocations(command)]
    assert len(invocations) >= 2 * len(COMPONENTS)
    for argv in invocations:
        parse_fne(argv)


def test_every_component_setting_exists() -> None:
    names: list[tuple[str, str]] = []
    for file, document in manifests():
        if document["kind"] == "ConfigMap":
            names += [(file, name) for name in document.get("data", {})]
        elif document["kind"] == "Secret":
            names += [(file, name) for name in document.get("stringData", {})]
    for workload in workloads():
        names += [
            (workload["metadata"]["name"], variable["name"])
            for variable in the_container(workload).get("env", [])
        ]
    for service_name, service in compose()["services"].items():
        names += [(f"compose {service_name}", name) for name in service.get("environment", {})]

    checked = 0
    for component in COMPONENTS.values():
        settings_class = import_module(f"{component.package}.config").Settings
        assert settings_class.model_config["env_prefix"] == component.env_prefix
        for where, name in names:
            if name.startswith(component.env_prefix):
                field = name.removeprefix(component.env_prefix).lower()
                assert field in settings_class.model_fields, f"{where}: {name} is no {component.name} setting"
                checked += 1
    assert checked > 2 * len(COMPONENTS)


# --- Kubernetes ---------------------------------------------------------------------------------------------


def test_kustomization_lists_every_manifest() -> None:
    manifest_files = {path.name for path in KUBERNETES.glob("*.yaml") if path.name != "kustomization.yaml"}
    applied = {name for name in manifest_files if not is_example(Path(name))}
    # Examples stay out, so that applying the kustomization never overwrites the real secrets.
    assert set(kustomization()["resources"]) == applied


def test_kustomization_names_the_image_of_every_workload() -> None:
    images = {
        container["image"] for workload in workloads() for container in pod_spec(workload)["containers"]
    }
    assert {image["name"] for image in kustomization().get("images", [])} == images


def test_every_component_has_a_deployment() -> None:
    assert set(deployments()) == set(COMPONENTS)


@pytest.mark.parametrize("component", list(COMPONENTS))
def test_deployment_port_and_service(component: str) -> None:
    deployment, port = deployments()[component]
    container = the_container(deployment)
    # Besides its port, a container may open only its metrics listener (the gateway's: docs/operations.md).
    assert [entry["containerPort"] for entry in container["ports"] if entry.get("name") != "metrics"] == [
        port
    ]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    service = service_for(deployment)
    assert [resolve_port(container, entry["targetPort"]) for entry in service["spec"]["ports"]] == [port]


@pytest.mark.parametrize("component", list(COMPONENTS))
async def test_deployment_probes(component: str, identity_keys: tuple[str, str]) -> None:
    deployment, port = deployments()[component]
    container = the_container(deployment)
    probes = (("livenessProbe", LIVENESS_PATHS, True), ("readinessProbe", READINESS_PATHS, False))
    for probe, paths, liveness in probes:
        http = container[probe]["httpGet"]
        assert http["path"] == paths[component], f"{component} {probe}"
        assert resolve_port(container, http["port"]) == port, f"{component} {probe}"
        await assert_probe_answers(identity_keys, component, http["path"], liveness)


@pytest.mark.parametrize("component", list(COMPONENTS))
def test_deployment_gets_its_database_and_identity_key(component: str) -> None:
    deployment, _ = deployments()[component]
    prefix = COMPONENTS[component].env_prefix
    env = effective_env(the_container(deployment))
    assert f"{prefix}DATABASE_URL" in env

    if component == "gateway":
        key_setting, key_file = "GATEWAY_IDENTITY_PRIVATE_KEY", "identity-private.pem"
    else:
        key_setting, key_file = f"{prefix}IDENTITY_PUBLIC_KEY", "identity-public.pem"
    files = mounted_secret_files(deployment)
    assert files.get(str(env.get(key_setting))) == key_file, f"{component}: {key_setting} is not {key_file}"
    if component != "gateway":
        assert "identity-private.pem" not in files.values(), f"{component} must not see the private key"


def test_secret_and_config_references_exist() -> None:
    for workload in workloads():
        for container in pod_spec(workload)["containers"]:
            for variable in container.get("env", []):
                source = variable.get("valueFrom", {})
                if "secretKeyRef" in source:
                    reference = source["secretKeyRef"]
                    assert reference["key"] in secret_keys(reference["name"]), variable
                if "configMapKeyRef" in source:
                    reference = source["configMapKeyRef"]
                    assert reference["key"] in config_map(reference["name"]), variable
            effective_env(container)  # fails on an envFrom source that does not exist
        for volume in pod_spec(workload).get("volumes", []):
            if "secret" in volume:
                keys = secret_keys(volume["secret"]["secretName"])
                assert {item["key"] for item in volume["secret"].get("items", [])} <= keys, volume


@pytest.mark.parametrize("service", [service.name for service in SERVICES])
def test_gateway_upstream_urls_point_at_the_services(service: str) -> None:
    gateway_env = effective_env(the_container(deployments()["gateway"][0]))
    url = urlsplit(str(gateway_env[f"GATEWAY_{service.upper()}_URL"]))
    target = service_for(deployments()[service][0])
    assert url.hostname is not None and url.hostname.split(".")[0] == target["metadata"]["name"]
    assert url.port in [entry["port"] for entry in target["spec"]["ports"]]


def test_ingress_routes_to_the_gateway_service() -> None:
    gateway_service = service_for(deployments()["gateway"][0])
    ports = {entry.get("name") for entry in gateway_service["spec"]["ports"]} | {
        entry["port"] for entry in gateway_service["spec"]["ports"]
    }
    [ingress] = of_kind("Ingress")
    backends = [
        path["backend"]["service"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]
    ]
    assert backends
    for backend in backends:
        assert backend["name"] == gateway_service["metadata"]["name"]
        assert backend["port"].get("name", backend["port"].get("number")) in ports


def test_migration_job_migrates_every_database() -> None:
    [job] = of_kind("Job")
    container = the_container(job)
    [argv] = fne_invocations(container_command(container))
    subcommand, params = parse_fne(argv)
    assert subcommand == "migrate"
    migrated = params["components"] or tuple(COMPONENTS)
    assert set(migrated) == set(COMPONENTS)
    env = effective_env(container)
    for name in migrated:
        assert f"{COMPONENTS[name].env_prefix}DATABASE_URL" in env


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_builds() -> None:
    built = subprocess.run(
        ["kubectl", "kustomize", str(KUBERNETES)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    expected = sum(len(load_documents(KUBERNETES / name)) for name in kustomization()["resources"])
    assert len([document for document in yaml.safe_load_all(built) if document]) == expected


# --- Compose ------------------------------------------------------------------------------------------------


@cache
def compose_components() -> dict[str, tuple[str, int]]:
    """Component name -> (compose service, port passed to `fne serve`)."""
    found: dict[str, tuple[str, int]] = {}
    for name, service in compose()["services"].items():
        if any(argv[1:2] == ["serve"] for argv in fne_invocations(service.get("command"))):
            component, port = served_component(service["command"])
            assert component.name not in found, f"two compose services serve {component.name}"
            found[component.name] = (name, port)
    return found


def test_compose_serves_every_component() -> None:
    assert set(compose_components()) == set(COMPONENTS)


@pytest.mark.parametrize("component", list(COMPONENTS))
async def test_compose_healthcheck(component: str, identity_keys: tuple[str, str]) -> None:
    name, port = compose_components()[component]
    test = compose()["services"][name]["healthcheck"]["test"]
    match = re.search(r"http://(?:127\.0\.0\.1|localhost):(\d+)(/[\w/.-]*)", " ".join(test))
    assert match, test
    assert int(match.group(1)) == port
    assert match.group(2) == READINESS_PATHS[component]
    await assert_probe_answers(identity_keys, component, match.group(2), liveness=False)


def test_compose_publishes_the_gateway_port() -> None:
    name, port = compose_components()["gateway"]
    published = [str(entry).rsplit(":", 1)[-1] for entry in compose()["services"][name]["ports"]]
    assert published == [str(port)]


@pytest.mark.parametrize("service", [service.name for service in SERVICES])
def test_compose_gateway_upstream_urls(service: str) -> None:
    gateway = compose()["services"][compose_components()["gateway"][0]]
    url = urlsplit(gateway["environment"][f"GATEWAY_{service.upper()}_URL"])
    assert (url.hostname, url.port) == compose_components()[service]


def test_compose_dependencies() -> None:
    services = compose()["services"]
    for name, service in services.items():
        for dependency, spec in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on missing {dependency}"
            if spec["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], f"{dependency} has no healthcheck"
            if spec["condition"] == "service_completed_successfully":
                assert services[dependency].get("restart") == "no", f"{dependency} would run again and again"
    for name, _ in compose_components().values():
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_migrates_every_database() -> None:
    [(name, argv)] = [
        (name, argv)
        for name, service in compose()["services"].items()
        for argv in fne_invocations(service.get("command"))
        if argv[1] == "migrate"
    ]
    migrated = parse_fne(argv)[1]["components"] or tuple(COMPONENTS)
    environment = compose()["services"][name]["environment"]
    for component in migrated:
        assert f"{COMPONENTS[component].env_prefix}DATABASE_URL" in environment


def compose_mounts(service: dict[str, Any]) -> dict[str, str]:
    """Mount point -> volume name (or host path)."""
    return {str(volume).split(":")[1]: str(volume).split(":")[0] for volume in service.get("volumes", [])}


def test_compose_runs_each_component_with_its_own_database_and_key() -> None:
    services = compose()["services"]
    [(init, keys_directory)] = [
        (service, str(parse_fne(argv)[1]["directory"]))
        for service in services.values()
        for argv in fne_invocations(service.get("command"))
        if argv[1] == "keys"
    ]
    keys_volume = compose_mounts(init)[keys_directory]
    for component, (name, _) in compose_components().items():
        prefix = COMPONENTS[component].env_prefix
        environment = services[name]["environment"]
        assert f"{prefix}DATABASE_URL" in environment
        key = environment[
            "GATEWAY_IDENTITY_PRIVATE_KEY" if component == "gateway" else f"{prefix}IDENTITY_PUBLIC_KEY"
        ]
        volume = compose_mounts(services[name]).get(str(PurePosixPath(key).parent))
        if component == "gateway":
            assert volume == keys_volume, f"{name}: {key} is not in the volume that `fne keys` writes"
        else:  # a volume that the init service fills, not the one that holds the private key
            assert volume in compose_mounts(init).values() and volume != keys_volume, f"{name}: {key}"


def test_postgres_init_creates_every_compose_database() -> None:
    init_sql = (DEPLOY / "postgres-init.sql").read_text()
    created = set(re.findall(r"CREATE DATABASE\s+\"?(\w+)\"?", init_sql, flags=re.IGNORECASE))
    urls = [
        interpolate(value)
        for service in compose()["services"].values()
        for name, value in service.get("environment", {}).items()
        if name.endswith("_DATABASE_URL")
    ]
    assert urls
    assert {urlsplit(url).path.lstrip("/") for url in urls} <= created


def test_compose_builds_the_deploy_image() -> None:
    builds = [service["build"] for service in compose()["services"].values() if "build" in service]
    assert builds
    for build in builds:
        context = (DEPLOY / build["context"]).resolve()
        assert context == ROOT and (context / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"


# --- Dockerfile ---------------------------------------------------------------------------------------------


def dockerfile_instructions(final_stage: bool) -> dict[str, list[str]]:
    """Instruction -> its arguments, in order, for the whole Dockerfile or its last stage."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    # The base images are build arguments (a release passes digest-pinned references): their defaults here.
    defaults = dict(
        line.split(" ", 1)[1].split("=", 1) for line in lines if line.startswith("ARG ") and "=" in line
    )
    lines = [re.sub(r"\$\{(\w+)\}", lambda match: defaults[match.group(1)], line) for line in lines]
    if final_stage:
        lines = lines[max(i for i, line in enumerate(lines) if line.upper().startswith("FROM ")) :]
    instructions: dict[str, list[str]] = {}
    for line in lines:
        instruction, _, arguments = line.partition(" ")
        instructions.setdefault(instruction.upper(), []).append(arguments.strip())
    return instructions


def test_dockerfile_runs_the_gateway_by_default() -> None:
    final = dockerfile_instructions(final_stage=True)
    assert final["FROM"][0].startswith("python:3.11")
    component, port = served_component(json.loads(final["CMD"][-1]))
    assert component is GATEWAY
    assert port == compose_components()["gateway"][1] == deployments()["gateway"][1]


def test_dockerfile_installs_every_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    top_folders = {package.split("/")[0] for package in packages}
    copied = {
        source
        for arguments in dockerfile_instructions(final_stage=False)["COPY"]
        if not arguments.startswith("--from")
        for source in arguments.split()[:-1]
    }
    needed = top_folders | {"pyproject.toml", pyproject["project"]["readme"]}
    assert needed <= copied
    ignore_rules = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    allowed = {line[1:] for line in ignore_rules if line.startswith("!")}
    assert needed <= allowed, "the build context leaves out part of the project"


def test_dockerfile_installs_the_locked_dependencies_only() -> None:
    runs = dockerfile_instructions(final_stage=False)["RUN"]
    assert any("--require-hashes --no-deps -r requirements.lock" in run for run in runs)
    assert any(run.startswith("pip install --no-deps .") for run in runs)
    assert not any(re.match(r"pip install (?!--)", run) for run in runs), "an install that resolves by itself"


def test_pods_run_as_the_image_user() -> None:
    uid = int(dockerfile_instructions(final_stage=True)["USER"][-1].split(":")[0])
    for workload in workloads():
        security = pod_spec(workload)["securityContext"]
        assert security["runAsNonRoot"] is True and security["runAsUser"] == uid, workload["metadata"]["name"]
