# syntax=docker/dockerfile:1
# nnlab's student dashboard for a course (README, "Serving a class"):
#   docker build -t nnlab . && docker run --rm -p 127.0.0.1:8501:8501 \
#     --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
#     --security-opt systempaths=unconfined nnlab
# The three security options are what bubblewrap (the sandbox of the student self-check) needs
# inside a container; deploy/README.md says why. Without them the dashboard still works and the
# self-check says that it cannot run (it fails closed).
#
# The image holds no solutions and no hidden tests: .dockerignore lets in only what a student
# dashboard needs (tests/serving/test_image_context.py checks it). A course that wants instructor
# mode mounts its own assignment folder and secrets file.
#
# Debian's own Python (3.11 on bookworm) and bubblewrap, so that the sandbox and the interpreter
# it binds read-only come from one distribution. BASE_IMAGE lets a mirror or a local copy of
# debian:bookworm-slim stand in.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}

# glibc's malloc, tuned for a server whose every script run is a new thread: two arenas instead
# of one per core and thread, and large buffers (numpy arrays, pictures) always in their own
# mappings, handed back when freed. Without this the process kept 32-39 % more memory after a
# class left (the Python heap itself was back to its size: no session leaked); with it, 8-9 %
# (benchmarks/memory_probe.py).
ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/nnlab \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    MALLOC_TRIM_THRESHOLD_=131072 \
    PATH=/opt/nnlab/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv bubblewrap tini \
    && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv /opt/nnlab

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The code (read-only for the server's user: it belongs to root), then the course settings.
COPY . .
RUN mkdir -p .streamlit \
    && cp deploy/streamlit/config.toml deploy/streamlit/secrets.toml .streamlit/ \
    && rm -rf deploy \
    && python -m compileall -q app.py pages viz nncore grader \
    && useradd --uid 10001 --create-home --shell /usr/sbin/nologin nnlab

USER nnlab
EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; assert u.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() == b'ok'"]
ENTRYPOINT ["tini", "--"]
# `streamlit run app.py` after importing the libraries once (viz/serving.py says why)
CMD ["python", "-m", "viz.serving"]
