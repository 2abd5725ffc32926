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
# the API docs' scripts (npm swagger-ui-dist and redoc), served by the gateway itself: no CDN on an intranet
COPY package.json package-lock.json ./
RUN apt-get update && apt-get install -y --no-install-recommends npm \
    && npm ci --ignore-scripts --omit=dev --no-audit --no-fund \
    && apt-get purge -y npm && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* /root/.npm
ENV WEB_ASSETS_DIR=/app/node_modules
# the legislation summary report (意见汇总 PDF) embeds a CJK font from Debian
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei && rm -rf /var/lib/apt/lists/*
RUN pip install . && useradd --uid 10001 --no-create-home renda
USER 10001
EXPOSE 8000 9100
CMD ["uvicorn", "gateway.app:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000"]
