"""The OSRM recipe (issue #12): the observatory's road travel times in production, with compose (profile
`osrm`) and Kubernetes (deploy/kubernetes/osrm). Checked without Docker or a cluster: the files against each
other, against the observatory's settings, and the extract's box against Savoie's communes."""

import re
import shlex
import subprocess
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import yaml

from fne_observatory.config import Settings
from fne_observatory.territories.loader import read_territories
from tests.deploy.test_manifests import KUBERNETES, compose, interpolate, load_documents

OVERLAY = KUBERNETES / "osrm"
PINNED = re.compile(r"^ghcr\.io/project-osrm/osrm-backend:v\d+\.\d+\.\d+$")


def overlay(kind: str) -> list[dict]:
    return [document for document in load_documents(OVERLAY / "osrm.yaml") if document["kind"] == kind]


def script(command: list[str]) -> str:
    assert command[:2] == ["sh", "-c"], command
    return command[2]


def server_options(argv: list[str]) -> tuple[dict[str, str], str]:
    assert argv[0] == "osrm-routed", argv
    options = dict(zip(argv[1:-1:2], argv[2:-1:2], strict=True))
    return options, argv[-1]


def check_server(argv: list[str], prepare_script: str, data_path: str) -> int:
    """The server serves, with MLD, the file the preparation builds, in the volume both mount; its port."""
    options, served = server_options(argv)
    assert options["--algorithm"] == "mld"
    # Every table request the observatory makes fits: its default, and what compose sets.
    assert int(options["--max-table-size"]) >= Settings().osrm_max_locations
    assert int(options["--max-table-size"]) >= int(
        interpolate(compose()["services"]["observatory"]["environment"]["OBSERVATORY_OSRM_MAX_LOCATIONS"])
    )
    assert PurePosixPath(served).parent == PurePosixPath(data_path)
    base = PurePosixPath(served).name
    steps = [shlex.split(step) for step in prepare_script.split(";") if step.strip()]
    assert ["osrm-extract", "-p", "/opt/car.lua", base.removesuffix(".osrm") + ".osm.pbf"] in steps
    assert ["osrm-partition", base] in steps and ["osrm-customize", base] in steps  # what MLD needs
    assert steps.index(["osrm-partition", base]) < steps.index(["osrm-customize", base])
    return int(options["--port"])


def test_compose_prepares_and_serves_the_extract_under_its_own_profile() -> None:
    services = compose()["services"]
    download, prepare, server = services["osrm-download"], services["osrm-prepare"], services["osrm"]
    assert download["profiles"] == prepare["profiles"] == server["profiles"] == ["osrm"]
    assert PINNED.match(prepare["image"]) and server["image"] == prepare["image"]
    assert download["restart"] == prepare["restart"] == "no"
    assert prepare["depends_on"]["osrm-download"]["condition"] == "service_completed_successfully"
    assert server["depends_on"]["osrm-prepare"]["condition"] == "service_completed_successfully"
    volumes = {
        str(volume).split(":")[0] for service in (download, prepare, server) for volume in service["volumes"]
    }
    assert volumes == {"osrm-data"} and "osrm-data" in compose()["volumes"]
    port = check_server(server["command"], script(prepare["command"]), "/data")
    # The observatory is told where OSRM is by OBSERVATORY_OSRM_URL (empty: the built-in estimate).
    observatory = services["observatory"]["environment"]
    assert interpolate(observatory["OBSERVATORY_OSRM_URL"]) == ""
    assert "osrm" not in services["observatory"].get("depends_on", {})  # the platform runs without it
    assert f"exec 3<>/dev/tcp/127.0.0.1/{port}" in " ".join(server["healthcheck"]["test"])


def test_the_extract_covers_savoie_with_a_margin_and_is_checked() -> None:
    box = None
    for recipe in (
        script(compose()["services"]["osrm-download"]["command"]),
        *[
            container["command"][2]
            for job in overlay("Job")
            for container in job["spec"]["template"]["spec"]["initContainers"]
        ],
    ):
        assert "https://download.geofabrik.de/europe/france/rhone-alpes-latest.osm.pbf" in recipe
        assert "md5sum -c rhone-alpes-latest.osm.pbf.md5" in recipe
        [found] = re.findall(r"--bbox ([\d.,-]+)", recipe)
        assert box is None or found == box, "compose and Kubernetes keep the same box"
        box = found
    assert box is not None
    west, south, east, north = map(float, box.split(","))
    savoie = [t for t in read_territories({"73"}).territories if t["level"] == "commune"]
    assert len(savoie) == 273
    margin = 0.1  # degrees, about 8–11 km: roads across the border and the advisers there
    assert (
        west + margin <= min(t["longitude"] for t in savoie)
        and max(t["longitude"] for t in savoie) <= east - margin
    )
    assert (
        south + margin <= min(t["latitude"] for t in savoie)
        and max(t["latitude"] for t in savoie) <= north - margin
    )


def test_kubernetes_overlay_prepares_into_the_volume_the_server_reads() -> None:
    [job], [deployment], [service], [claim] = (
        overlay("Job"),
        overlay("Deployment"),
        overlay("Service"),
        overlay("PersistentVolumeClaim"),
    )
    job_spec, pod = job["spec"]["template"]["spec"], deployment["spec"]["template"]["spec"]
    [prepare], [server] = job_spec["containers"], pod["containers"]
    assert PINNED.match(prepare["image"]) and server["image"] == prepare["image"]
    assert server["image"] == compose()["services"]["osrm"]["image"]
    claims = {
        volume["persistentVolumeClaim"]["claimName"] for spec in (job_spec, pod) for volume in spec["volumes"]
    }
    assert claims == {claim["metadata"]["name"]}
    [mount] = server["volumeMounts"]
    assert mount["readOnly"] is True
    assert {m["mountPath"] for c in [*job_spec["initContainers"], prepare] for m in c["volumeMounts"]} == {
        mount["mountPath"]
    }
    port = check_server(server["command"], script(prepare["command"]), mount["mountPath"])
    [container_port] = server["ports"]
    assert container_port["containerPort"] == port and service["spec"]["ports"][0]["targetPort"] == "http"
    # Reached only from the platform's pods: the main NetworkPolicy selects services of the platform.
    assert (
        pod
        and deployment["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"] == "service"
    )
    kustomization = load_documents(OVERLAY / "kustomization.yaml")[0]
    assert kustomization["labels"][0]["pairs"] == {"app.kubernetes.io/part-of": "fne-savoie"}
    # The URL the overlay tells to set is its Service's.
    [url] = re.findall(r"OBSERVATORY_OSRM_URL=(\S+)", (OVERLAY / "kustomization.yaml").read_text())
    parts = urlsplit(url)
    assert (parts.hostname, parts.port) == (service["metadata"]["name"], service["spec"]["ports"][0]["port"])
    built = subprocess.run(
        ["kubectl", "kustomize", str(OVERLAY)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert [document["kind"] for document in yaml.safe_load_all(built) if document] == [
        "Service",
        "PersistentVolumeClaim",
        "Deployment",
        "Job",
    ]
