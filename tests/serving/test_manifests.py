"""The recipes past one server agree with each other and with the image: compose.yaml,
deploy/kubernetes.yaml, the Dockerfile and the course config name the same port, user, health
check, settings path and sandbox permissions."""

import re
from pathlib import Path

import yaml  # a test dependency (pyproject: [test])

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
PORT = 8501
UID = 10001
SECRETS_PATH = "/app/.streamlit/secrets.toml"


def test_the_dockerfile_installs_the_sandbox_and_runs_unprivileged():
    assert re.search(r"apt-get install[^\n]*\bbubblewrap\b", DOCKERFILE)
    assert f"useradd --uid {UID}" in DOCKERFILE and "\nUSER nnlab\n" in DOCKERFILE
    assert f"EXPOSE {PORT}" in DOCKERFILE
    healthcheck = DOCKERFILE.split("HEALTHCHECK", 1)[1].split("\n\n")[0]
    assert f"http://127.0.0.1:{PORT}/_stcore/health" in healthcheck and "b'ok'" in healthcheck
    # the course settings land where Streamlit reads a project's config and secrets
    assert "cp deploy/streamlit/config.toml deploy/streamlit/secrets.toml .streamlit/" in DOCKERFILE
    assert "WORKDIR /app" in DOCKERFILE


def test_the_load_test_runs_the_server_with_the_images_environment():
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from load_test import IMAGE_ENV

    for name, value in IMAGE_ENV.items():
        assert re.search(rf"\b{name}={value}\b", DOCKERFILE), name


def test_compose_runs_replicas_behind_the_sticky_proxy():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    app, proxy = compose["services"]["app"], compose["services"]["proxy"]
    assert app["build"] == "." and "ports" not in app  # students reach the app via the proxy
    assert app["expose"] == [str(PORT)]
    assert set(app["security_opt"]) == {
        "seccomp=unconfined",
        "apparmor=unconfined",
        "systempaths=unconfined",
    }
    assert app["read_only"] is True and any(t.startswith("/tmp") for t in app["tmpfs"])
    assert app["deploy"]["replicas"] == "${NNLAB_REPLICAS:-2}"  # podman-compose ignores --scale
    assert f"http://127.0.0.1:{PORT}/_stcore/health" in app["healthcheck"]["test"]
    assert proxy["build"] == "deploy/haproxy"
    assert (ROOT / proxy["build"] / "Dockerfile").exists()
    assert proxy["ports"] == ["${NNLAB_BIND:-127.0.0.1}:${NNLAB_PORT:-8501}:8080"]
    config = (ROOT / "deploy" / "haproxy" / "haproxy.cfg").read_text()
    assert f"app:{PORT}" in config and "NNLAB_PROXY_PORT-8080" in config
    assert "cookie NNLAB_SERVER insert" in config and "GET /_stcore/health" in config


def test_kubernetes_deployment_service_and_ingress_agree():
    documents = list(yaml.safe_load_all((ROOT / "deploy" / "kubernetes.yaml").read_text()))
    by_kind = {document["kind"]: document for document in documents}
    assert set(by_kind) == {"Deployment", "Service", "Ingress"}
    deployment, service = by_kind["Deployment"], by_kind["Service"]
    pod = deployment["spec"]["template"]
    assert deployment["spec"]["selector"]["matchLabels"] == pod["metadata"]["labels"]
    assert service["spec"]["selector"] == pod["metadata"]["labels"]
    assert service["spec"]["sessionAffinity"] == "ClientIP"
    (container,) = pod["spec"]["containers"]
    assert container["ports"] == [{"name": "http", "containerPort": PORT}]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/_stcore/health", "port": "http"}
    security = pod["spec"]["securityContext"]
    assert security["runAsUser"] == UID and security["runAsNonRoot"] is True
    assert security["seccompProfile"] == {"type": "Unconfined"}
    assert pod["spec"]["hostUsers"] is False
    assert container["securityContext"]["procMount"] == "Unmasked"
    assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    mounts = {mount["mountPath"]: mount for mount in container["volumeMounts"]}
    assert mounts[SECRETS_PATH]["subPath"] == "secrets.toml"
    ingress = by_kind["Ingress"]["metadata"]["annotations"]
    assert ingress["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    backend = by_kind["Ingress"]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
