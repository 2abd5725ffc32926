# One image runs any part of the platform; each Kubernetes Deployment sets the command.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md config.yml ./
COPY contracts contracts
COPY infra infra
COPY services services
COPY gateway gateway
COPY devtools devtools
RUN pip install . && useradd --uid 10001 --no-create-home renda
USER 10001
EXPOSE 8000 9100
CMD ["uvicorn", "gateway.app:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000"]
